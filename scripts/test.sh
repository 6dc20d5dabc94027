#!/usr/bin/env bash
# Install scfin with its test tools in a fresh virtual environment and run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
python3 -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q -e '.[test]'
python -m pytest -n 2 "$@"
