"""Statements about any model (scfin.claims.statements): known results as named instances."""

from __future__ import annotations

import pytest
import sympy as sp

from scfin.claims.decide import qepcad_path
from scfin.claims.statements import (Compare, Coordinates, Identity, Inequality, ParetoImprovement, Proposition,
                                     Quantity, Sign, prove, region_of, solve_game, Game)
from scfin.spec.notation import sym

needs_qepcad = pytest.mark.skipif(qepcad_path() is None, reason="qepcad not installed")
p, c, v, A, b = (sym(x) for x in ("p", "c", "v", "A", "b"))
NEUTRAL = {"v": 0, "rf": 0}


def test_wholesale_order_falls_in_cost():
    result = prove(Sign("wholesale", "q", "c", "negative", given=NEUTRAL))
    assert result.proved and result.status == "proved"
    assert isinstance(result, Proposition)
    assert any(st.expr == -A / (2 * p) for st in result.steps)


def test_wholesale_price_rises_in_cost_half_for_half():
    result = prove(Sign("wholesale", "w", "c", "+", given=NEUTRAL))
    assert result.proved
    assert any(st.expr == sp.Rational(1, 2) for st in result.steps)  # w* = (p + c)/2


def test_region_is_built_from_the_registry():
    solved = solve_game(Game("buyback", {"v": 0, "rf": 0, "lam": 1}))
    bounds, regime, loose = region_of({b, c}, [solved])
    text = {sp.sstr(r) for r in bounds}
    assert {"c > 0", "c < p", "b >= 0", "p > 0"} <= text  # 0 < c < p; v <= b with v = 0
    assert any("b <" in t for t in text)  # b < w*: the bound on the optimised decision, in its closed form
    assert regime and not loose


def test_unbounded_symbol_is_open():
    rho = sp.Symbol("rho")
    result = prove(Identity(Quantity.of("wholesale", "q", given=NEUTRAL), rho))
    assert result.status == "open" and "rho" in result.reason


def test_integrated_newsvendor_identity():
    result = prove(Identity(Quantity.of("integrated", "q", given={"rf": 0}), A * (p - c) / (p - v)))
    assert result.proved and result.method == "identity"


@needs_qepcad
def test_false_identity_refuted_with_a_confirmed_counterexample():
    # the integrated order without the salvage value is wrong once v > 0
    result = prove(Identity(Quantity.of("integrated", "q", given={"rf": 0}), A * (p - c) / p))
    assert result.status == "refuted" and not result
    w = result.counterexample
    assert w.exact and w.confirmed is True
    assert w.point["v"] > 0


def test_buyback_coordinates_claim3():
    rho = sp.Symbol("rho")
    given = {"w": (1 - rho) * p + rho * c, "b": (1 - rho) * p + rho * v, "lam": 1, "rf": 0}
    result = prove(Coordinates("buyback", given=given, assumptions=(rho > 0, rho <= 1)))
    assert result.proved
    assert any("rho" in sp.sstr(r) for r in result.assumptions)


def test_wholesale_does_not_coordinate():
    result = prove(Coordinates("wholesale", given=NEUTRAL))
    assert result.refuted and result.counterexample.confirmed is True


@needs_qepcad
def test_repurchase_order_rises_in_b_at_an_exogenous_rate():
    """Claim 6 at a given w: q* = A(p - b)/(p - 2b + w(1 + r)) rises in b on the whole regime."""
    result = prove(Sign("repurchase", "q", "b", "positive", given={"v": 0, "rf": 0, "eta": 0, "lam": 1},
                        rate="exogenous", fixed=("w",)))
    assert result.proved
    assert any("w" in {s.name for s in r.free_symbols} for r in result.assumptions)


@needs_qepcad
def test_refuted_sign_has_an_exact_counterexample_confirmed_numerically():
    """Buyback, M choosing w: the retailer's profit does not rise in b (M captures the guarantee)."""
    result = prove(Sign("buyback", "retailer", "b", "positive", given={"v": 0, "rf": 0, "lam": 1}))
    assert result.status in ("refuted", "subregion")
    w = result.counterexample
    assert w.exact and w.confirmed is True
    point = w.point
    assert all(isinstance(x, sp.Rational) for x in point.values())
    assert sp.sympify(w.observed[0][1]) < 0
    assert "central difference" in w.numeric


@needs_qepcad
def test_guarantee_raises_the_order():
    """q with the repurchase guarantee >= q with traditional financing (competitive rate, M choosing w)."""
    given = {"v": 0, "rf": 0, "eta": 0, "lam": 1}
    assert prove(Compare("repurchase", "bank-loan", "q", ">=", given=given)).proved


def test_pareto_zone_is_exact():
    result = prove(ParetoImprovement("buyback", "wholesale", "b",
                                     given={"p": 10, "c": 4, "A": 100, "v": 0, "rf": 0, "lam": 1}))
    assert result.status in ("subregion", "refuted", "proved")
    assert result.status == "subregion" and result.region == sp.FiniteSet(0)


def test_numeric_equilibrium_is_open_with_a_labelled_hint():
    result = prove(Sign("conditional-repurchase", "q", "b", "positive", given={"v": 0, "rf": 0, "eta": 0, "lam": 1}),
                   budget_s=20)
    assert result.status == "open" and "numeric" in result.reason
    assert "not a proof" in result.numeric_hint


def test_user_model_statement():
    from scfin import load_model

    model = load_model("examples/buyback_revenue_sharing.py:model")
    assert prove(Sign(model, "q", "b", "positive", given={"v": 0, "rf": 0, "lam": 1})).proved


def test_bad_statements():
    with pytest.raises(ValueError):
        Sign("wholesale", "q", "c", "upwards")
    with pytest.raises(ValueError):
        Compare("wholesale", "buyback", "q", "~")
    with pytest.raises(ValueError):
        prove(Sign("wholesale", "nosuch", "c", "+", given=NEUTRAL))


def test_inequality_of_a_level_is_proved_or_refuted_with_a_confirmed_counterexample():
    """Claim 4(a): at the coordinating linear rebate M's expected profit is below zero on c < w < p (proved);
    the retailer's is not (refuted, with an exact counterexample the numeric layer confirms)."""
    p, c, w = sym("p"), sym("c"), sym("w")
    rebate = {"T": 0, "v": 0, "rf": 0, "u": p * (w - c) / c}
    m = prove(Inequality(Quantity.of("sales-rebate", "manufacturer", given=rebate, fixed=("w",)), "<", 0,
                         assumptions=(c < w,)))
    assert m.proved, m.describe()
    r = prove(Inequality(Quantity.of("sales-rebate", "retailer", given=rebate, fixed=("w",)), "<", 0,
                         assumptions=(c < w,)))
    assert r.status == "refuted" and r.counterexample.exact and r.counterexample.confirmed
    with pytest.raises(ValueError):
        Inequality(0, "==", 0)


def test_zone_sets_with_square_roots_and_poles_equal_sympys():
    """The exact zone of a Pareto statement (rational relations by real-root isolation, square roots
    written small before SymPy solves them) is SymPy's own ``as_set``, poles of the given form excluded."""
    import sympy as sp

    from scfin.claims.statements import _as_set

    w = sp.Symbol("w")
    for cond in (sp.And(w > 4, 11 * w - 95 <= 0), sp.Or(w < 1, w > 3), sp.Eq(w ** 2, 4),
                 sp.And(w > 0, w < 5, 1 / (w - 2) > 0), sp.And(sp.sqrt(w) - 1 > 0, w < 9),
                 sp.And(sp.sqrt(w) * (w - 2) / (w ** 2 - 4) > 0, w < 5),
                 sp.sqrt(w + 1) * (w - 2) / (w ** 2 - 4) >= 0,
                 sp.And(w > 4, w < 10, sp.sqrt(1480 * (w - 10) ** 2 / 9) / (w - 10) + 50 * w / (w - 10) <= 50)):
        assert _as_set(cond, w) == cond.as_set(), cond
