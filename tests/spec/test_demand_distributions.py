"""Built-in demand distributions: partial expectations, critical fractiles, symbolic = numeric."""

import math

import numpy as np
import pytest
import sympy as sp
from scipy import integrate, stats

from scfin.numeric import profits as N
from scfin.solver import build_model, solve
from scfin.spec.demand import DEMANDS, get_demand
from scfin.spec.notation import REGISTRY, sym

#: each built-in with numbers and the scipy.stats distribution it equals (the library value)
CASES = {
    "uniform": ({"A": 100.0}, stats.uniform(0, 100)),
    "normal": ({"mu": 50.0, "sigma": 15.0}, stats.norm(50, 15)),
    "exponential": ({"theta": 50.0}, stats.expon(scale=50)),
    "lognormal": ({"mu": 4.0, "sigma": 0.5}, stats.lognorm(s=0.5, scale=math.exp(4.0))),
    "gamma": ({"shape": 2.5, "scale": 20.0}, stats.gamma(2.5, scale=20.0)),
    "truncnormal": ({"mu": 40.0, "sigma": 30.0}, stats.truncnorm(-40 / 30, np.inf, loc=40, scale=30)),
}


def test_every_parameter_is_declared_in_the_notation():
    for dem in DEMANDS.values():
        for name in dem.parameters:
            info = REGISTRY[name]
            assert info.kind == "distribution" and info.meaning and info.latex


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("lo, hi", [(0.0, 30.0), (12.5, 61.0), (40.0, math.inf), (-math.inf, 55.0)])
def test_partial_moments_against_quadrature(name, lo, hi):
    """P(lo < X < hi) and E[X; lo < X < hi] against scipy.integrate.quad of the scipy.stats density."""
    values, dist = CASES[name]
    dem = DEMANDS[name]
    a, b = (float(z) for z in dist.support())
    lo_, hi_ = max(lo, a), min(hi, b)
    mass_q = integrate.quad(dist.pdf, lo_, hi_, epsabs=1e-13, epsrel=1e-12)[0] if hi_ > lo_ else 0.0
    part_q = integrate.quad(lambda x: x * dist.pdf(x), lo_, hi_, epsabs=1e-11, epsrel=1e-12)[0] if hi_ > lo_ else 0.0
    mass, part = dem.partial_moments(values, lo, hi)
    assert float(mass) == pytest.approx(mass_q, rel=1e-9, abs=1e-12)
    assert float(part) == pytest.approx(part_q, rel=1e-9, abs=1e-9)
    # the affine expectation, scalar and batch (the same formula)
    e1 = float(dem.affine_expectation(values, 3.0, -0.5, lo, hi))
    assert e1 == pytest.approx(3.0 * mass_q - 0.5 * part_q, rel=1e-9, abs=1e-9)
    batch = {k: np.full(3, v) for k, v in values.items()}
    eb = dem.affine_expectation(batch, np.full(3, 3.0), np.full(3, -0.5), np.full(3, lo), np.full(3, hi))
    assert np.allclose(eb, e1, rtol=1e-14, atol=0)


@pytest.mark.parametrize("name", sorted(CASES))
def test_cdf_quantile_and_sampler_match_scipy(name):
    values, dist = CASES[name]
    dem = DEMANDS[name]
    for u in (0.1, 0.5, 0.9):
        assert dem.ppf(values, u) == pytest.approx(float(dist.ppf(u)), rel=1e-9)
        assert float(dem.cdf(values, float(dist.ppf(u)))) == pytest.approx(u, rel=1e-9)
    x = dem.sample(np.random.default_rng(3), 200_000, values)
    assert stats.ks_2samp(x, dist.rvs(size=50_000, random_state=4)).pvalue > 1e-3


@pytest.mark.parametrize("name", ["lognormal", "gamma", "truncnormal", "normal", "exponential"])
def test_symbolic_expectation_equals_numeric(name):
    values, _ = CASES[name]
    dem = DEMANDS[name]
    subs = {sym(k): sp.Rational(str(v)) for k, v in values.items()}
    for lo, hi in ((sp.Integer(0), sp.Integer(30)), (sp.Rational(25, 2), sp.oo)):
        expr = dem.expect_affine(sp.Integer(3), sp.Rational(-1, 2), lo, hi).xreplace(subs)
        num = float(dem.affine_expectation(values, 3.0, -0.5, float(lo), float(hi)))
        assert float(sp.N(expr, 30)) == pytest.approx(num, rel=1e-10)


@pytest.mark.parametrize("name", sorted(CASES))
def test_integrated_newsvendor_critical_fractile(name):
    """F(q0) = (p - c)/(p - v), and the optimal profit (p - v) E[D; D <= q0] (Porteus 2002,
    *Foundations of Stochastic Inventory Theory*, ch. 1: the newsvendor), both from scipy.stats
    (ppf, and ``expect`` by its own integration)."""
    values, dist = CASES[name]
    p, c, v = 10, 4, 1
    eq = solve("integrated", {"p": p, "c": c, "v": v, **{k: str(x) for k, x in values.items()}}, demand=name)
    q0 = float(dist.ppf((p - c) / (p - v)))
    assert float(eq.decisions["q"]) == pytest.approx(q0, rel=1e-7)
    lo = float(dist.support()[0])
    profit = (p - v) * dist.expect(lambda x: x, lb=lo, ub=q0)
    assert float(eq.profits["chain"]) == pytest.approx(profit, rel=1e-7)


def test_without_numbers_the_critical_fractile_in_F_inverse():
    eq = solve("integrated", {}, demand="lognormal")
    assert eq.demand == "lognormal"
    assert eq.decisions["q"].has(sp.Function("F^{-1}"))


def test_q_bound_covers_the_quantiles():
    for name, (values, dist) in CASES.items():
        assert N.q_bound(name, values) >= float(dist.ppf(0.999))


def test_get_demand_accepts_values_and_names():
    assert get_demand("gamma") is DEMANDS["gamma"]
    assert get_demand(DEMANDS["gamma"]) is DEMANDS["gamma"]
    with pytest.raises(KeyError, match="unknown demand"):
        get_demand("weibull")
    model = build_model("wholesale")
    vals = {"p": 10.0, "c": 4.0, "v": 0.0, "rf": 0.0, "w": 7.0, "q": 40.0, "shape": 2.0, "scale": 25.0}
    assert N.expected(model, "gamma", vals) == N.expected(model, DEMANDS["gamma"], vals)
