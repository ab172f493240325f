#!/usr/bin/env bash
# Set up and open the review UI on the sample document, with the embedded SQLite store in ./data.
# Extra arguments go to `review app` (e.g. a file to open, --port 8502, --db postgresql://...).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
exec .venv/bin/review app "$@"
