"""Monte Carlo on the realised cash flows (the third, independent check).

The clauses of :mod:`scfin.spec.clauses` are settled on NumPy arrays of demand
draws (:class:`SampleOutcome`): no region splitting, no
expectation formula, no first-order condition is involved.  For models with
random execution (repurchase probability ``lam``) an independent
Bernoulli(``lam``) array says in which draws a due repurchase is executed.
Effort models draw the base demand ``xi``; :func:`scfin.spec.clauses.settle`
adds the effort ``e`` (``D = xi + e``, docs/specification.md section 3).

Every mean comes with its standard error ``s / sqrt(n)``, so a test accepts
an expected value within a few standard errors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from scfin.spec.clauses import settle
from scfin.spec.demand import Demand, get_demand
from scfin.spec.models import Model

#: keys reported, in this order (the parties, the chain, then events)
KEYS = ("retailer", "manufacturer", "bank", "chain", "default", "guarantee", "sales", "leftover", "loan")

DEFAULT_SEED = 20240601


class SampleOutcome:
    """Evaluation on arrays of demand draws (Monte Carlo)."""

    def __init__(self, x: np.ndarray, executed: np.ndarray):
        self.x = x
        self.executed = executed.astype(float)

    @staticmethod
    def positive(a):
        return np.maximum(a, 0.0)

    @staticmethod
    def minimum(a, b):
        return np.minimum(a, b)

    @staticmethod
    def below(a, b):
        return (np.asarray(a) < np.asarray(b)).astype(float)


@dataclass(frozen=True)
class Estimate:
    """Sample mean and its standard error."""

    mean: float
    stderr: float

    def within(self, value: float, k: float = 4.0, floor: float = 1e-9) -> bool:
        """Whether ``value`` lies within ``k`` standard errors of the mean.

        ``floor`` covers quantities that are constant across draws (zero
        standard error), e.g. the bank's receipts when it never defaults.
        """
        return abs(self.mean - value) <= k * self.stderr + floor * max(1.0, abs(value))


@dataclass(frozen=True)
class Simulation:
    """Monte Carlo estimates by key (see :data:`KEYS`)."""

    model: str
    demand: str
    n: int
    seed: int
    estimates: Mapping[str, Estimate]

    def __getitem__(self, key: str) -> Estimate:
        return self.estimates[key]

    def __contains__(self, key: str) -> bool:
        return key in self.estimates


def _estimate(values: np.ndarray) -> Estimate:
    values = np.asarray(values, dtype=float)
    n = values.size
    sd = float(values.std(ddof=1)) if n > 1 else 0.0
    return Estimate(float(values.mean()), sd / math.sqrt(n))


def draws(model: Model, demand_name: Demand | str, values: Mapping[str, float], n: int, seed: int):
    """Demand (or base demand ``xi``) draws and repurchase executions, seeded.

    Returns ``(x, executed)``: ``executed`` is Bernoulli(``lam``) for models
    with random execution, else all ones.  Demand and execution are
    independent (docs/specification.md section 4).
    """
    rng = np.random.default_rng(seed)
    x = get_demand(demand_name).sample(rng, n, values)
    if model.random_execution:
        lam = float(values.get("lam", 1.0))
        executed = (rng.random(n) < lam).astype(float)
    else:
        executed = np.ones(n)
    return x, executed


def simulate(
    model: Model,
    demand_name: Demand | str,
    values: Mapping[str, float],
    n: int = 100_000,
    seed: int = DEFAULT_SEED,
) -> Simulation:
    """Sample means and standard errors of every party's realised profit.

    ``values`` holds every parameter and decision (``q``, ``e``, ``w``,
    ``r``) as numbers.  Realised profit per draw is
    :func:`scfin.spec.clauses.settle` on a :class:`SampleOutcome`;
    the chain's profit is the sum of the parties' (transfers cancel draw by
    draw).  Events: ``default`` (indicator, so its mean is the default
    probability), ``guarantee`` (the conditional repurchase payment to the
    bank), ``sales``, ``leftover``, ``loan``.
    """

    P = {k: float(v) for k, v in values.items()}
    for name, target in model.fixed.items():
        P[name] = P[target]
    P.setdefault("rf", 0.0)
    x, executed = draws(model, demand_name, P, n, seed)
    flows = settle(model.clauses, SampleOutcome(x, executed), P)
    out: dict[str, Estimate] = {}
    chain = np.zeros(n)
    for key in KEYS:
        if key == "chain":
            continue
        if key in ("retailer", "manufacturer", "bank"):
            arr = np.broadcast_to(np.asarray(flows.get(key, 0.0), dtype=float), (n,))
            chain = chain + arr
        elif key in flows:
            arr = np.broadcast_to(np.asarray(flows[key], dtype=float), (n,))
        else:
            continue
        if key == "bank" and model.loan is None:
            continue
        out[key] = _estimate(arr)
    out["chain"] = _estimate(chain)
    ordered = {k: out[k] for k in KEYS if k in out}
    return Simulation(model=model.id, demand=get_demand(demand_name).name, n=n, seed=seed, estimates=ordered)
