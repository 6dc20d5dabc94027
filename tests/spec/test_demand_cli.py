"""Demand on the command line: --demand NAME with parameters, --demand-file, bad input."""

from importlib import resources

import pytest

from scfin.cli import main

SAMPLE = str(resources.files("scfin") / "data" / "demand_sample.csv")


def run(args, capsys):
    code = main(args)
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def test_lognormal_parameters_after_the_option(capsys):
    code, out, _ = run(["solve", "integrated", "p=10", "c=4", "--demand", "lognormal", "mu=4", "sigma=1/2"], capsys)
    assert code == 0 and "lognormal demand" in out and "sigma = 1/2" in out


def test_demand_file_column(capsys):
    code, out, _ = run(["solve", "integrated", "p=11", "c=4", "--demand-file", f"{SAMPLE}:demand", "--json"], capsys)
    assert code == 0 and "empirical(demand_sample.csv:demand" in out


@pytest.mark.parametrize("args, fragment", [
    (["--demand", "lognormal", "mu=4", "sigma=-1"], "sigma = -1 is not admissible"),
    (["--demand", "gamma", "shape=0", "scale=2"], "shape = 0 is not admissible"),
    (["--demand", "lognormal", "mu=4", "sigma=x"], "not a number"),
    (["--demand", "weibull"], "invalid choice"),
    (["--demand-file", f"{SAMPLE}:nope"], "has no column 'nope'"),
    (["--demand-file", SAMPLE], "choose one with"),
    (["--demand-file", "/nonexistent/d.csv"], "does not exist"),
])
def test_bad_demand_input_one_line_exit_2(args, fragment, capsys):
    code, out, err = run(["solve", "integrated", "p=10", "c=4", *args], capsys)
    assert code == 2
    assert err.count("\n") == 1 and fragment in err and "Traceback" not in err


def test_non_numeric_cell(tmp_path, capsys):
    path = tmp_path / "d.csv"
    path.write_text("demand\n10\n12\nmany\n")
    code, _, err = run(["solve", "integrated", "p=10", "c=4", "--demand-file", str(path)], capsys)
    assert code == 2 and "line 4" in err and "'many' is not a number" in err
