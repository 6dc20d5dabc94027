"""Property tests of ``solve`` on the catalogue over admissible parameters (hypothesis).

At any admissible point the equilibrium's decisions lie in their admissible
ranges, the retailer takes part (expected profit >= 0), and the chain earns
no more than the integrated benchmark.
"""

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scfin.solver import build_model, solve

SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def frac(lo, hi, den=20):
    return st.integers(int(lo * den), int(hi * den)).map(lambda n: Fraction(n, den))


@st.composite
def base(draw):
    p = draw(frac(6, 20, 4))
    c = draw(frac(0.2, 0.7)) * p
    v = draw(st.one_of(st.just(Fraction(0)), frac(0, 0.5).map(lambda t: t * c)))
    A = draw(st.integers(50, 200).map(Fraction))
    return {"p": p, "c": c, "v": v, "A": A}


def _lower(model_id, name, params):
    """The leader decision's lower bound at the parameters (the model's own bounds: revenue sharing allows w < c)."""
    lower, _ = build_model(model_id).leader_bounds(name)
    return max(float(params[r]) if isinstance(r, str) else float(r) for r in lower)


def _check(eq, tol=Fraction(1, 10**6)):
    p = float(eq.parameters["p"])
    A = float(eq.parameters["A"])
    q = float(eq.decisions["q"])
    assert -1e-9 <= q <= A * (1 + 1e-9) + float(eq.decisions.get("e", 0))
    if "w" in eq.decisions and "w" not in eq.parameters:
        assert _lower(eq.model, "w", eq.parameters) - 1e-9 <= float(eq.decisions["w"]) <= p + 1e-9
    assert float(eq.profits["retailer"]) >= -1e-7 * p * A
    eff = eq.metrics.get("efficiency")
    if eff is not None:
        assert float(eff) <= 1 + float(tol)


@SETTINGS
@given(base())
def test_wholesale(vals):
    _check(solve("wholesale", vals))


@SETTINGS
@given(base(), frac(0, 1))
def test_buyback(vals, t):
    _check(solve("buyback", {**vals, "b": vals["v"] + t * (vals["c"] - vals["v"]) * Fraction(9, 10)}))


@SETTINGS
@given(base(), frac(0.3, 1))
def test_revenue_sharing(vals, psi):
    _check(solve("revenue-sharing", {**vals, "psi": psi}))


@SETTINGS
@given(base(), st.sampled_from([0, 20, 60]).map(Fraction))
def test_bank_loan(vals, eta):
    _check(solve("bank-loan", {**vals, "eta": eta}))


@SETTINGS
@given(base(), frac(0, 0.9), frac(0.2, 1))
def test_repurchase(vals, t, lam):
    _check(solve("repurchase", {**vals, "b": vals["v"] + t * (vals["c"] - vals["v"]), "lam": lam}))


@SETTINGS
@given(base(), frac(0.5, 3), frac(0, 0.6))
def test_repurchase_cost_sharing(vals, kappa, phi):
    _check(solve("repurchase-cost-sharing", {**vals, "b": vals["v"], "kappa": kappa, "phi": phi}))
