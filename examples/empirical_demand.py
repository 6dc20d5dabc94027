"""Empirical demand: the shipped weekly sample as the demand distribution.

    python examples/empirical_demand.py

Solves the integrated newsvendor (it orders the sample quantile at the critical fractile
(p - c)/(p - v)) and the wholesale-price contract under the sample, then a bootstrap
interval for the retailer's order.  The same from the command line:

    scfin solve wholesale p=11 c=4 --demand-file src/scfin/data/demand_sample.csv:demand
"""

from importlib import resources

from scipy import stats

from scfin.solver import solve
from scfin.spec.demand import Empirical
from scfin.verify.bootstrap import bootstrap

path = str(resources.files("scfin") / "data" / "demand_sample.csv")
demand = Empirical.from_csv(path, "demand")            # or Empirical.of(array)

integrated = solve("integrated", {"p": 11, "c": 4}, demand=demand)
print("integrated order (sample quantile at 7/11):", integrated.decisions["q"])

wholesale = solve("wholesale", {"p": 11, "c": 4}, demand=demand)
print("wholesale contract:", {k: float(v) for k, v in wholesale.decisions.items()})

boot = bootstrap("wholesale", {"p": 11, "c": 4}, demand, resamples=50, level=0.9, seed=1)
print("90% bootstrap interval of q*:", boot.intervals["q"])

# any frozen scipy.stats distribution works the same way, e.g. a Weibull
weibull = solve("wholesale", {"p": 11, "c": 4}, demand=stats.weibull_min(1.8, scale=60.0))
print("Weibull demand:", {k: float(v) for k, v in weibull.decisions.items()})
