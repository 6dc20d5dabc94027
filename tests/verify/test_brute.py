"""The brute-force evaluator and solver (scfin.verify.brute) against textbook values.

Worked numbers of docs/specification.md section 8 (uniform demand on [0, 100],
p = 10, c = 4, v = rf = eta = 0); the brute force uses neither the engine nor
the numeric fallback, so agreement here is agreement of two methods.
"""

import numpy as np
import pytest

from scfin.numeric import profits as N
from scfin.spec.loading import load_model
from scfin.spec.models import CATALOGUE
from scfin.verify import brute as B

BASE = {"p": 10.0, "c": 4.0, "v": 0.0, "rf": 0.0, "A": 100.0}


def _solve(model_id, **extra):
    return B.solve(load_model(model_id), "uniform", {**BASE, **extra})


def close(a, b, tol=1e-6):
    return abs(a - b) <= tol * max(1.0, abs(b))


def test_newsvendor():
    s = _solve("integrated")
    assert close(s.decisions["q"], 60) and close(s.profits["chain"], 180)


def test_wholesale_three_quarters():
    s = _solve("wholesale")
    assert close(s.decisions["w"], 7, 1e-4) and close(s.decisions["q"], 30, 1e-4)
    assert close(s.profits["manufacturer"], 90) and close(s.profits["retailer"], 45, 1e-5)
    assert close(s.profits["chain"] / 180, 0.75, 1e-5)


@pytest.mark.parametrize("model_id, extra, q, retailer, manufacturer", [
    ("buyback", {"w": 6, "b": 10 / 3, "lam": 1}, 60, 120, 60),
    ("revenue-sharing", {"w": 8 / 3, "psi": 2 / 3}, 60, 120, 60),
    ("sales-rebate", {"w": 6, "u": 5, "T": 0}, 60, 270, -90),
    ("sales-rebate", {"w": 6, "u": 5, "T": 40}, 60, 110, 70),  # global optimum across the kink at T
])
def test_worked_numbers(model_id, extra, q, retailer, manufacturer):
    s = _solve(model_id, **extra)
    assert close(s.decisions["q"], q)
    assert close(s.profits["retailer"], retailer) and close(s.profits["manufacturer"], manufacturer)


def test_effort_worked_numbers():
    s = _solve("integrated-effort", kappa=1)
    assert close(s.decisions["q"] - s.decisions["e"], 60, 1e-6) and close(s.decisions["e"], 6, 1e-6)
    assert close(s.profits["chain"], 198)
    s = _solve("repurchase-cost-sharing", kappa=1, w=6, b=10 / 3, phi=1 / 3, lam=1, eta=0)
    assert close(s.decisions["e"], 6, 1e-6) and close(s.profits["retailer"], 132)
    s = _solve("repurchase-cost-sharing", kappa=1, w=6, b=10 / 3, phi=0, lam=1, eta=0)
    assert close(s.decisions["e"], 4, 1e-6)


def test_breakeven_rate_is_the_banks_zero():
    m = load_model("bank-loan")
    vals = {**BASE, "eta": 0.0, "w": 7.0, "q": np.array([30.0, 50.0, 1e-3])}
    r = B.breakeven(m, "uniform", vals)
    ev = B.expected(m.with_options(rate="exogenous"), "uniform", {**vals, "r": r})
    assert np.all(np.abs(ev["bank"]) < 1e-9 * 7 * vals["q"].max())
    assert np.all(r > 0)


def _random_decisions(model, rng):
    vals = dict(BASE, eta=float(rng.uniform(0, 80)), b=2.5, lam=0.7, kappa=1.5, phi=0.3, u=1.0, T=30.0,
                psi=0.8, r=0.12, rs=0.1, beta=0.5, fee=10.0, R0=0.0)
    vals.update(w=float(rng.uniform(4.5, 9.5)), q=float(rng.uniform(1, 120)), e=float(rng.uniform(0, 8)))
    return vals


EXAMPLES = ["examples/trade_credit.py:model", "examples/partial_credit_guarantee.py:model",
            "examples/buyback_revenue_sharing.py:model", "examples/two_part_tariff.py:model",
            "examples/multiplicative_effort.py:model"]


@pytest.mark.parametrize("ref", list(CATALOGUE) + EXAMPLES)
def test_quadrature_equals_exact_affine_expectation(ref):
    """Two evaluators of different construction: quadrature of realised flows vs exact affine pieces."""
    model = load_model(ref)
    inner = model.with_options(rate="exogenous") if model.loan is not None else model
    rng = np.random.default_rng(7)
    for _ in range(5):
        vals = _random_decisions(model, rng)
        mine = B.expected_at(inner, "uniform", vals)
        exact = N.expected(inner, "uniform", vals)
        for key in ("retailer", "manufacturer", "bank", "chain"):
            assert abs(mine[key] - exact[key]) <= 1e-9 * 1000, (key, mine[key], exact[key])


@pytest.mark.parametrize("demand, extra", [("normal", {"mu": 50.0, "sigma": 15.0}), ("exponential", {"theta": 50.0})])
def test_quadrature_other_demands(demand, extra):
    model = load_model("repurchase").with_options(rate="exogenous")
    vals = {**BASE, **extra, "eta": 20.0, "b": 2.0, "lam": 0.6, "r": 0.1, "w": 6.5, "q": 55.0}
    mine = B.expected_at(model, demand, vals)
    exact = N.expected(model, demand, vals)
    for key in ("retailer", "manufacturer", "bank"):
        assert abs(mine[key] - exact[key]) <= 1e-7 * 1000


def test_kink_orders_are_candidates():
    """The retailer's optimum at a kink order (q = T) is found exactly, not near it."""
    model = load_model("sales-rebate")
    # u large and T at 40: R's best order jumps past T; at w close to p it sits exactly at q = T
    resp = B.retailer(model, "uniform", {**BASE, "w": np.array([6.0]), "u": np.array([5.0]), "T": np.array([40.0])})
    assert close(resp.decisions["q"][0], 60.0)
