"""Every derivation script runs and writes its LaTeX fragment (into a temp dir)."""

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = sorted((Path(__file__).resolve().parent.parent / "derivations").glob("0*.py"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_derivation_runs(script, tmp_path):
    proc = subprocess.run([sys.executable, str(script), str(tmp_path)], cwd=script.parent,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / f"{script.stem}.tex").exists()
