"""A frozen scipy.stats distribution the package does not know, as demand."""

import math

import numpy as np
import pytest
from scipy import integrate, stats

from scfin.solver import solve
from scfin.spec.demand import DEMANDS, ScipyDemand, get_demand
from scfin.verify.check import check_closed_form

WEIBULL = stats.weibull_min(1.8, scale=60.0)


def test_partial_expectation_by_checked_quadrature():
    dem = get_demand(WEIBULL)
    assert isinstance(dem, ScipyDemand) and dem._twin is None
    z = np.array([0.0, 1e-3, 7.5, 33.0, 60.0, 140.0, 400.0, np.inf])
    mass, part = dem.partial_moments({}, np.zeros_like(z), z)
    for zi, m, g in zip(z, mass, part):
        assert m == pytest.approx(WEIBULL.cdf(zi), abs=1e-14)
        ref = integrate.quad(lambda x: x * WEIBULL.pdf(x), 0, zi, epsabs=1e-12, epsrel=1e-13)[0]
        assert g == pytest.approx(ref, rel=1e-10, abs=1e-10)
    # E[X] = scale * Gamma(1 + 1/c) (the Weibull mean)
    assert part[-1] == pytest.approx(60.0 * math.gamma(1 + 1 / 1.8), rel=1e-10)


def test_known_families_use_the_closed_forms():
    dem = get_demand(stats.gamma(2.5, scale=20.0))
    assert dem._twin[0] is DEMANDS["gamma"]
    m1, g1 = dem.partial_moments({}, 10.0, 70.0)
    m2, g2 = DEMANDS["gamma"].partial_moments({"shape": 2.5, "scale": 20.0}, 10.0, 70.0)
    assert (float(m1), float(g1)) == (float(m2), float(g2))


def test_weibull_integrated_newsvendor_fractile():
    eq = solve("integrated", {"p": 10, "c": 4, "v": 1}, demand=WEIBULL)
    assert float(eq.decisions["q"]) == pytest.approx(WEIBULL.ppf(6 / 9), rel=1e-7)
    assert eq.demand.startswith("weibull_min(")


@pytest.mark.parametrize("model, values", [
    ("wholesale", {"p": 10, "c": 4}),
    ("repurchase", {"p": 10, "c": 4, "b": 3}),
])
def test_weibull_solves_and_verifies(model, values):
    res = check_closed_form(model, values, demand=WEIBULL, n=40_000)
    assert res.ok, str(res)
