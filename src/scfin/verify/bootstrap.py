"""Bootstrap intervals for an equilibrium under empirical demand (docs/specification.md section 3).

The sample is resampled with replacement ``resamples`` times (seeded); the model is solved
under each resample's empirical distribution, and the percentile interval (Efron &
Tibshirani 1993, *An Introduction to the Bootstrap*, ch. 13) of every decision and profit is
reported at ``level``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from scfin.solver import solve
from scfin.spec.demand import Empirical


@dataclass(frozen=True)
class BootstrapResult:
    """Percentile intervals by name (decisions, then profits) and the resampled values."""

    level: float
    resamples: int
    intervals: Mapping[str, tuple[float, float]]
    draws: Mapping[str, tuple[float, ...]]


def bootstrap(model_id: str, values: Mapping, demand: Empirical, resamples: int = 200, level: float = 0.9,
              seed: int = 1, rate: str | None = None, share: str | None = None) -> BootstrapResult:
    """Percentile bootstrap of the equilibrium's decisions and profits."""
    if not isinstance(demand, Empirical):
        raise ValueError("the bootstrap needs empirical demand (a sample)")
    if not 0 < level < 1:
        raise ValueError(f"level = {level} is not admissible: need 0 < level < 1")
    rng = np.random.default_rng(seed)
    x = demand.values_sorted
    out: dict[str, list[float]] = {}
    for i in range(resamples):
        dem = Empirical.of(rng.choice(x, size=x.size, replace=True), label=f"bootstrap {i + 1}")
        eq = solve(model_id, dict(values), demand=dem, rate=rate, share=share)
        for key, val in list(eq.decisions.items()) + list(eq.profits.items()):
            out.setdefault(key, []).append(float(val))
    tail = (1 - level) / 2 * 100
    intervals = {k: (float(np.percentile(v, tail)), float(np.percentile(v, 100 - tail))) for k, v in out.items()}
    return BootstrapResult(level, resamples, intervals, {k: tuple(v) for k, v in out.items()})
