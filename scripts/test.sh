#!/usr/bin/env bash
# Install everything the test-suite needs and run all of it, browser tests included.
# Needs only Python 3.11+ and the package registries (PyPI, Debian). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

# Debian's Chromium for the browser tests (never a browser download).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "scripts/test.sh: /usr/bin/chromium is missing and apt-get needs root; browser tests will fail" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,postgres]'
PY=.venv/bin/python

# A throwaway PostgreSQL cluster on loopback for the store tests (REVIEW_SKIP_PG=1 skips them).
if [ "${REVIEW_SKIP_PG:-}" != 1 ]; then
  source scripts/pg-cluster.sh
fi

# pytest exits 5 when it collected no tests: that is a failure here too.
set +e
"$PY" -m pytest -q -p no:cacheprovider "$@"
rc=$?
set -e
exit $rc
