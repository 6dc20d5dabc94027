"""Pareto zone of the combined contract (scfin.claims.zone) and the `scfin zone` command."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from scfin.cli import main
from scfin.solver import InputError
from scfin.claims.zone import pareto_zone


def test_defaults_nonempty_and_ordered():
    z = pareto_zone()
    assert not z.empty
    # defaults: chain 198 split by w; benchmark bank-loan R 45, M 90 (docs/specification.md section 8)
    assert z.benchmark["retailer"] == 45 and z.benchmark["manufacturer"] == 90 and z.benchmark["bank"] == 0
    assert z.lower == sp.Rational(74, 11) and z.upper == sp.Rational(95, 11)
    assert 4 < z.lower < z.benchmark["w"] < z.upper < 10
    lo, hi = z.ends["lower"], z.ends["upper"]
    assert lo["manufacturer"] == 90 and hi["retailer"] == 45  # each end binds one party's benchmark
    for end in (lo, hi):
        assert end["chain"] == 198
        assert all(end[k] >= z.benchmark[k] for k in ("retailer", "manufacturer", "bank"))
    assert lo["retailer"] > hi["retailer"] and lo["manufacturer"] < hi["manufacturer"]
    assert all(z.checks.values()) and z.checks


def test_family_is_claim8_pair_without_incentive():
    from scfin.spec.notation import sym

    z = pareto_zone()
    w = sym("w")
    b, phi = z.family.terms["b"], z.family.terms["phi"]
    # claim 8's pair at p = 10, c = 4, v = 0: b = p - (p - w)(p - v)/(p - c), phi = (w - c)/(p - c)
    assert sp.simplify(b - (10 - (10 - w) * sp.Rational(10, 6))) == 0
    assert sp.simplify(phi - (w - 4) / 6) == 0


def test_target_rebate_zone_and_global_checks():
    z = pareto_zone("repurchase-combined", {"u": 2, "T": 30})
    assert not z.empty
    assert z.family.target_region == "II"
    assert z.lower == sp.Rational(392, 55) and z.upper == sp.Rational(497, 55)
    assert all(z.checks.values())


def test_empty_zone_with_unreliable_repurchase():
    z = pareto_zone("repurchase-combined", {"lam": sp.Rational(1, 2)})
    assert z.empty and z.lower is None and z.ends == {}
    assert any("admissible" in n for n in z.notes)


@pytest.mark.parametrize("values, rate", [({"w": 7}, "competitive"), ({"b": 3}, "competitive"), ({"zzz": 1}, "competitive"),
                                          ({}, "exogenous"), ({"c": 12}, "competitive")])
def test_bad_input(values, rate):
    with pytest.raises(InputError):
        pareto_zone("repurchase-combined", values, rate=rate)


def test_bad_model():
    with pytest.raises(InputError):
        pareto_zone("wholesale")


def test_cli_json(capsys):
    assert main(["zone", "repurchase-combined", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"model", "parameters", "benchmark", "zone", "ends", "family", "empty"}
    assert out["model"] == "repurchase-combined" and out["empty"] is False
    assert out["zone"]["lower"] == pytest.approx(74 / 11) and out["zone"]["upper"] == pytest.approx(95 / 11)
    assert out["ends"]["lower"]["manufacturer"] == pytest.approx(90)
    assert out["benchmark"]["retailer"] == pytest.approx(45)
    assert set(out["family"]) == {"b", "phi"}


def test_cli_empty_and_error(capsys):
    assert main(["zone", "repurchase-combined", "lam=1/2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["empty"] is True and out["zone"] is None
    assert main(["zone", "repurchase-combined", "w=7"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "w" in err


def test_cli_text(capsys):
    assert main(["zone", "repurchase-combined"]) == 0
    text = capsys.readouterr().out
    assert "zone: 74/11" in text and "benchmark" in text
