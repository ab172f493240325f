#!/usr/bin/env bash
# Run tests/test_postgres.py against PostgreSQL: the server in REVIEW_TEST_PG_URL, or a throwaway
# cluster made by scripts/pg-cluster.sh. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
START=$(date +%s)

if [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=${PYTHON:-python3}; fi
source scripts/pg-cluster.sh

set +e
"$PY" -m pytest -q -p no:cacheprovider -rs tests/test_postgres.py "$@"
rc=$?
set -e
echo "postgres-test.sh: done in $(( $(date +%s) - START )) s (pytest exit $rc)" >&2
exit $rc
