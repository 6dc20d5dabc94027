#!/usr/bin/env bash
# Install scfin with its test tools in a fresh virtual environment and run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
python3 -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q -e '.[test]'
# the default suite deselects the tests marked slow (the same checks at more random points);
# a later -m wins: bash scripts/test.sh -m slow runs them, bash scripts/test.sh -m "" runs everything
# --dist worksteal: the test durations range from milliseconds to a minute; an idle worker takes pending
# tests from the busy one instead of waiting for it at the end
python -m pytest -n 2 --dist worksteal -m "not slow" "$@"
