"""``scfin reproduce`` and ``scfin plot``: outputs, determinism, PDF compile."""

import json
import shutil

import pytest

from scfin.cli import main
from scfin.claims.base import REGISTRY
from scfin.models import CATALOGUE
from scfin.report import reproduce as R

# one worker renders the report (its module fixture runs reproduce twice)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("report")]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    a = tmp_path_factory.mktemp("a")
    b = tmp_path_factory.mktemp("b")
    rc_a = R.reproduce_command(str(a), pdf=False, quiet=True)
    # a: the default, symbolic work prefetched in worker processes (cold cache
    # under the test session's cache directory); b: one process, from the cache
    rc_b = R.reproduce_command(str(b), pdf=False, quiet=True, jobs=1)
    return a, b, rc_a, rc_b


def test_report_mentions_every_model_and_claim(reports):
    a, _, _, _ = reports
    text = (a / "scfin-report.tex").read_text()
    for mid in CATALOGUE:
        assert f"\\texttt{{{mid.replace('-', '-')}}}" in text or mid in text
    summary = json.loads((a / "scfin-summary.json").read_text())
    assert set(summary["claims"]) == {str(n) for n in REGISTRY}
    for n in REGISTRY:
        assert f"Claim {n}" in text
    assert (a / "figures" / "profits-by-mode.pdf").exists()
    assert (a / "figures" / "sens-repurchase-b.png").exists()


def test_two_runs_are_identical(reports):
    a, b, _, _ = reports
    assert (a / "scfin-report.tex").read_bytes() == (b / "scfin-report.tex").read_bytes()
    assert (a / "scfin-summary.json").read_bytes() == (b / "scfin-summary.json").read_bytes()
    assert (a / "figures" / "sens-repurchase-b.pdf").read_bytes() == (b / "figures" / "sens-repurchase-b.pdf").read_bytes()


@pytest.mark.latex
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_report_compiles(reports):
    a, _, _, _ = reports
    ok, note = R.compile_pdf((a / "scfin-report.tex").read_text(), a / "figures", a / "compiled.pdf")
    assert ok, note
    assert (a / "compiled.pdf").stat().st_size > 10_000


def test_plot_writes_both_files(tmp_path):
    stem = tmp_path / "rep-b"
    assert main(["plot", "repurchase", "--vary", "b=0:5", "--points", "6", "--out", str(stem)]) == 0
    assert (tmp_path / "rep-b.pdf").stat().st_size > 0 and (tmp_path / "rep-b.png").stat().st_size > 0


def test_plot_bad_input_is_one_line(capsys, tmp_path):
    assert main(["plot", "repurchase", "--vary", "b=5:1", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "LOW must be below HIGH" in err
    assert not list(tmp_path.iterdir())
