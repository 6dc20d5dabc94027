#!/usr/bin/env bash
# Install scfin in a fresh virtual environment and run the main job on built-in defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh --tex-only
python3 -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q -e .
scfin reproduce --out scfin-out --figures figures "$@"
