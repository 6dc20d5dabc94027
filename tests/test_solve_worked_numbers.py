"""docs/specification.md section 8: the worked numbers, reproduced exactly by the engine."""

import json

import pytest
import sympy as sp

from scfin.spec import instances
from scfin.cli import main
from scfin.solver import solve


@pytest.mark.parametrize("name", instances.names())
def test_instance_exact(name):
    inst = instances.load(name)
    eq = solve(inst.model, inst.parameters, rate=inst.rate)
    assert eq.closed_form, eq.notes
    assert eq.regime_holds is True
    for group, expected in inst.expected.items():
        got = getattr(eq, group)
        for key, value in expected.items():
            assert sp.simplify(got[key] - sp.Rational(value.numerator, value.denominator)) == 0, (group, key, got[key])


@pytest.mark.parametrize("name", ["wholesale", "buyback-coordinating", "target-rebate-coordinating"])
def test_instance_via_cli_json(name, capsys):
    inst = instances.load(name)
    args = ["solve", inst.model, *[f"{k}={v}" for k, v in inst.parameters.items()], "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"model", "demand", "parameters", "decisions", "profits", "metrics", "regime"}
    for group, expected in inst.expected.items():
        for key, value in expected.items():
            assert out[group][key] == pytest.approx(float(value), rel=1e-12, abs=1e-12)


def test_target_rebate_best_order_below_target_earns_80():
    """The retailer's optimum is global: the best q <= T = 40 earns only 80 < 110."""
    eq = solve("sales-rebate", {"p": 10, "c": 4, "A": 100, "w": 6, "u": 5, "T": 40, "q": 40})
    assert eq.profits["retailer"] == 80


def test_effort_worked_numbers_q_minus_e():
    eq = solve("repurchase-cost-sharing", instances.load("repurchase-cost-sharing-coordinating").parameters)
    assert eq.decisions["q"] - eq.decisions["e"] == 60
    assert eq.decisions["e"] == 6
    assert eq.profits["retailer"] == 132
