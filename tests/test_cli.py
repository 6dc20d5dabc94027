"""The command line: output formats, and one clear line with exit 2 for bad input."""

import json
import subprocess
import sys

import pytest

from scfin.cli import main


def run(args, capsys):
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_models_lists_every_model(capsys):
    from scfin.spec.models import CATALOGUE

    code, out, _ = run(["models"], capsys)
    assert code == 0
    for mid in CATALOGUE:
        assert mid in out


def test_help_exits_zero():
    proc = subprocess.run([sys.executable, "-m", "scfin.cli", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
    assert "solve" in proc.stdout and "reproduce" in proc.stdout


def test_solve_closed_forms_without_numbers(capsys):
    code, out, _ = run(["solve", "wholesale"], capsys)
    assert code == 0
    assert "closed form" in out and "w" in out and "p" in out


def test_general_demand_prints_inverse_cdf(capsys):
    code, out, _ = run(["solve", "wholesale", "--demand", "general"], capsys)
    assert code == 0
    assert "F^{-1}" in out


def test_json_bank_loan_metrics(capsys):
    code, out, _ = run(["solve", "bank-loan", "p=10", "c=4", "A=100", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["profits"]["bank"] == pytest.approx(0, abs=1e-9)
    for key in ("default_probability", "interest_rate", "loan", "efficiency"):
        assert key in data["metrics"]
    assert data["regime"]["holds"] is True


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["solve", "nope"], "unknown model"),
        (["solve", "wholesale", "p=-1"], "p = -1"),
        (["solve", "wholesale", "p=ten"], "not a number"),
        (["solve", "wholesale", "p=__import__('os')"], "not a number"),
        (["solve", "wholesale", "p=10", "c=4", "A=100", "w=10"], "w = 10"),
        (["solve", "wholesale", "zeta=1"], "unknown parameter"),
        (["solve", "buyback", "p=10", "c=4", "A=100", "w=6", "b=6"], "b = 6"),
        (["solve", "repurchase", "lam=3/2"], "lam"),
        (["solve", "repurchase-cost-sharing", "phi=1"], "phi"),
        (["solve", "bank-loan", "rate=exogenous", "p=10", "c=4", "A=100"], "needs the loan rate"),
        (["solve", "bank-loan", "rate=sideways"], "unknown rate"),
        (["solve", "wholesale", "rate=exogenous", "r=1/10"], "no bank loan"),
        (["solve", "wholesale", "p=1/0"], "divides by zero"),
        (["solve", "wholesale", "p"], "NAME=VALUE"),
        (["frobnicate"], "invalid choice"),
        (["reproduce", "--jobs", "0"], "whole number >= 1"),
        (["reproduce", "--jobs", "two"], "expected a whole number"),
    ],
)
def test_bad_input_one_line_exit_2(args, fragment, capsys):
    code, out, err = run(args, capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert fragment in lines[0]
    assert "Traceback" not in err


def test_bad_input_subprocess_no_traceback():
    proc = subprocess.run([sys.executable, "-m", "scfin.cli", "solve", "wholesale", "w=abc"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
