"""Monte Carlo on realised cash flows vs exact expectations (numeric.expected)."""

import numpy as np
import pytest

from scfin.numeric import profits as N
from scfin.spec.models import CATALOGUE
from scfin.numeric.montecarlo import simulate

POINT = dict(p=10.0, c=4.0, A=100.0, v=1.0, rf=0.02, eta=20.0, lam=0.6, b=3.0, w=7.0, q=40.0,
             r=0.1, e=3.0, kappa=1.0, phi=0.3, u=1.0, T=20.0, psi=0.7)


@pytest.mark.parametrize("model_id", list(CATALOGUE))
def test_every_party_within_four_standard_errors(model_id):
    model = CATALOGUE[model_id]
    if model.loan is not None:
        model = model.with_options(rate="exogenous")
    sim = simulate(model, "uniform", POINT, n=100_000, seed=7)
    exact = N.expected(model, "uniform", POINT)
    for key, est in sim.estimates.items():
        assert est.within(exact[key], 4.0), (model_id, key, est, exact[key])
    if model.loan is not None:
        assert "default" in sim and 0 < sim["default"].mean < 1
        assert "bank" in sim


@pytest.mark.parametrize("lam", [0.25, 0.75])
def test_guarantee_payments_and_random_execution(lam):
    model = CATALOGUE["conditional-repurchase"].with_options(rate="exogenous")
    vals = {**POINT, "lam": lam}
    sim = simulate(model, "uniform", vals, n=200_000, seed=3)
    exact = N.expected(model, "uniform", vals)
    for key in ("retailer", "manufacturer", "bank", "guarantee", "default"):
        assert sim[key].within(exact[key], 4.0), (key, sim[key], exact[key])
    assert exact["guarantee"] > 0


def test_seeded_and_deterministic():
    model = CATALOGUE["repurchase"].with_options(rate="exogenous")
    a = simulate(model, "uniform", POINT, n=100_000, seed=11)
    b = simulate(model, "uniform", POINT, n=100_000, seed=11)
    assert a == b


@pytest.mark.parametrize("demand", ["normal", "exponential"])
def test_other_demands(demand):
    model = CATALOGUE["repurchase-combined"].with_options(rate="exogenous")
    vals = {**POINT, "mu": 50.0, "sigma": 15.0, "theta": 50.0}
    sim = simulate(model, demand, vals, n=100_000, seed=5)
    exact = N.expected(model, demand, vals)
    for key in ("retailer", "manufacturer", "bank", "default"):
        assert sim[key].within(exact[key], 4.0), (key, sim[key], exact[key])


def test_batch_expectation_agrees_with_scalar():
    """The vectorised fast path and the scalar general path agree."""
    rng = np.random.default_rng(1)
    model = CATALOGUE["repurchase-combined"].with_options(rate="exogenous")
    n = 50
    vals = {**POINT, "w": rng.uniform(4, 10, n), "q": rng.uniform(0, 100, n), "r": rng.uniform(0, 0.5, n),
            "e": rng.uniform(0, 8, n)}
    batch = N.expected_batch(model, "uniform", vals)
    for i in range(n):
        one = N.expected(model, "uniform", {k: (v[i] if np.ndim(v) else v) for k, v in vals.items()})
        for key in ("retailer", "manufacturer", "bank", "default"):
            assert batch[key][i] == pytest.approx(one[key], rel=1e-12, abs=1e-9)
