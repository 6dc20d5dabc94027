"""``scfin reproduce --model REF``: a user's model gets the catalogue's section, a verification and its statics."""

import json
from pathlib import Path

import pytest

from scfin.cli import main
from scfin.report import content, prefetch, tex

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "two_part_tariff.py") + ":model"


def test_reproduce_refuses_a_file_that_defines_no_model_before_writing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["reproduce", "--no-pdf", "--out", str(out), "--model", EXAMPLE.replace(":model", ":nothing")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "does not define 'nothing'" in err[0]
    assert not out.exists()


def test_user_model_section_from_a_worker_job(monkeypatch, tmp_path):
    # a short verification and tight statics budget: the path, not the numbers, is under test here
    monkeypatch.setattr(content, "USER_VERIFY_POINTS", 2)
    monkeypatch.setattr(content, "USER_STATICS_BUDGET", 2.0)
    jobs = prefetch.jobs_for([], [], [], tmp_path, (EXAMPLE,))
    assert ("user model " + EXAMPLE, "user", (EXAMPLE,)) in jobs
    prefetch.run_job("user", (EXAMPLE,))  # what a parallel worker runs: loads the model by its reference
    user = content.run_user(EXAMPLE)
    assert user.run.numbers is not None and user.verification is not None
    assert user.verification["points"] == 2 and user.verification["disagreements"] == []
    assert user.statics is not None
    text = tex.user_section(user)
    assert "\\subsection{Two-part tariff" in text
    assert "\\textbf{Verification.}" in text and "no disagreement" in text
    assert "\\caption{Comparative statics: Two-part tariff}" in text
    assert "\\label{tab:statics-model-user-" in text
    data = json.loads(content.summary_json([], [], None, "", (), [user]))
    entry = data["user_models"][EXAMPLE]
    assert entry["at_defaults"]["decisions"]["fee"] == pytest.approx(180, rel=1e-6)
    assert {e["quantity"] for e in entry["statics"]} >= {"q", "w", "fee"}
