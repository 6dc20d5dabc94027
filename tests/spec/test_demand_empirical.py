"""Empirical demand: exact sums over a sample, the sample quantile, the shipped sample file."""

from importlib import resources

import numpy as np
import pytest

from scfin.solver import solve
from scfin.spec.demand import Empirical
from scfin.verify.check import check_closed_form

SAMPLE = str(resources.files("scfin") / "data" / "demand_sample.csv")


def _column():
    return np.loadtxt(SAMPLE, delimiter=",", skiprows=1, usecols=1)


def test_expectations_are_exact_sums():
    x = _column()
    dem = Empirical.from_csv(SAMPLE, "demand")
    for lo, hi in ((-1.0, 30.0), (30.0, 57.0), (57.0, 1e9)):
        sel = x[(x > lo) & (x <= hi)]
        mass, part = dem.partial_moments({}, lo, hi)
        assert float(mass) == len(sel) / len(x)
        assert float(part) == pytest.approx(sel.sum() / len(x), rel=1e-15)


def test_integrated_newsvendor_orders_the_sample_quantile_exactly():
    """q0 is the smallest observation with F_n(q0) >= (p - c)/(p - v) = 7/11 (the
    inverted empirical cdf, numpy's method='inverted_cdf', Hyndman & Fan 1996 def. 1)."""
    dem = Empirical.from_csv(SAMPLE, "demand")
    eq = solve("integrated", {"p": 11, "c": 4}, demand=dem)
    q0 = np.quantile(_column(), 7 / 11, method="inverted_cdf")
    assert float(eq.decisions["q"]) == q0
    x = _column()
    profit = np.mean(11 * np.minimum(x, q0)) - 4 * q0
    assert float(eq.profits["chain"]) == pytest.approx(profit, rel=1e-12)


def test_array_sample_and_montecarlo_verification():
    dem = Empirical.of(_column(), label="weeks")
    res = check_closed_form("wholesale", {"p": 10, "c": 4}, demand=dem, n=40_000, rtol=1e-4)
    assert res.ok, str(res)


@pytest.mark.parametrize("text, fragment", [
    ("demand\n10\nabc\n", "line 3, column 'demand': 'abc' is not a number"),
    ("a,b\n1,2\n", "has columns a, b"),
    ("demand\n5\n", "at least 2 observations"),
    ("demand\n5\n-3\n", "never negative"),
])
def test_bad_files(tmp_path, text, fragment):
    path = tmp_path / "d.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=fragment):
        Empirical.from_csv(str(path))


def test_bootstrap_interval():
    from scfin.verify.bootstrap import bootstrap

    dem = Empirical.from_csv(SAMPLE, "demand")
    out = bootstrap("integrated", {"p": 11, "c": 4}, dem, resamples=20, seed=1)
    lo, hi = out.intervals["q"]
    assert lo <= float(solve("integrated", {"p": 11, "c": 4}, demand=dem).decisions["q"]) <= hi
    assert "chain" in out.intervals
