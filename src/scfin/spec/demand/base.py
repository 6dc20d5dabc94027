"""The demand base class (docs/specification.md section 3).

Every payoff in scfin is piecewise affine in realised demand, so the only
expectation a demand model has to provide is that of an affine function over
an interval,

    E[(alpha + beta*X) 1{lo < X < hi}] = alpha*(F(hi) - F(lo)) + beta*(G(hi) - G(lo)),

with ``F`` the cdf and ``G(z) = E[X; X < z]`` the partial expectation.
Expectations are then taken region by region between breakpoints
(0, k, q, T, A, ...), never with ``sympy.stats`` on ``Min``/``Max``.

A distribution gives this expectation twice, side by side in its own file:
symbolically (:meth:`Demand.expect_affine`, SymPy) for the engine, and on
floats or NumPy arrays (:meth:`Demand.affine_expectation`, one vectorised
formula for one point or a batch) for :mod:`scfin.numeric.profits`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
import sympy as sp

#: integration variable of symbolic partial expectations
_t = sp.Symbol("t", real=True)

#: Abstract cdf, density and inverse cdf of ``general`` demand.
F = sp.Function("F")
f = sp.Function("f")
Finv = sp.Function("F^{-1}")

#: upper quantile used as the numeric optimiser's bound on the order
Q_BOUND_QUANTILE = 1.0 - 1e-9


def param(values: Mapping[str, object], name: str) -> np.ndarray:
    """A distribution parameter as a float array (0-d for one point)."""
    return np.asarray(values[name], dtype=float)


@dataclass(frozen=True)
class Demand:
    """A demand distribution: support, affine expectations (symbolic and numeric), sampler.

    ``parameters`` are names of the notation registry
    (:mod:`scfin.spec.notation`, kind ``"distribution"``), which holds their
    meaning, LaTeX and admissible range; ``defaults`` are numbers used when
    a parameter is not given (and as the shadow point that fixes the order
    of breakpoints for closed forms).
    """

    name: str
    description: str
    parameters: tuple[str, ...]
    defaults: Mapping[str, object]

    # -- symbolic ------------------------------------------------------------
    def support(self) -> tuple[sp.Expr, sp.Expr]:
        raise NotImplementedError

    def expect_affine(self, alpha, beta, lo, hi) -> sp.Expr:
        """``E[(alpha + beta*X) 1{lo < X < hi}]`` as a SymPy expression."""
        raise NotImplementedError

    @property
    def closed_form(self) -> bool:
        """Whether the expectations are elementary enough to solve first-order conditions."""
        return True

    def shadow(self) -> "Demand":
        """The demand whose numbers order the breakpoints (itself, unless abstract)."""
        return self

    # -- numeric -------------------------------------------------------------
    def numeric_support(self, values: Mapping[str, object]) -> tuple[object, object]:
        """``(lo, hi)`` of the support at numbers (floats or arrays)."""
        lo, hi = self.support()
        return float(lo), float(hi)

    def partial_moments(self, values: Mapping[str, object], lo, hi) -> tuple[np.ndarray, np.ndarray]:
        """``(P(lo < X < hi), E[X; lo < X < hi])`` at numbers, vectorised."""
        raise ValueError(f"{self.name} demand has no numbers")

    def affine_expectation(self, values: Mapping[str, object], alpha, beta, lo, hi):
        """``E[(alpha + beta*X) 1{lo < X < hi}]`` at numbers.

        ``alpha``, ``beta``, ``lo``, ``hi`` are floats or equal-length arrays
        (one entry per point); so are the parameters in ``values``.  Empty
        intervals (``hi <= lo``) contribute 0.
        """
        with np.errstate(divide="ignore", invalid="ignore"):
            mass, partial = self.partial_moments(values, lo, hi)
            out = alpha * mass + beta * partial
        return np.where(np.asarray(hi) > np.asarray(lo), out, 0.0)

    def cdf(self, values: Mapping[str, object], x):
        """``F(x)`` at numbers."""
        lo, _ = self.numeric_support(values)
        mass, _ = self.partial_moments(values, lo, np.asarray(x, dtype=float))
        return mass

    def ppf(self, values: Mapping[str, object], u: float) -> float:
        """``F^{-1}(u)`` at numbers (bisection on :meth:`cdf` unless a subclass knows better)."""
        from scipy import optimize

        lo, hi = (float(z) for z in self.numeric_support(values))
        a = lo if np.isfinite(lo) else -1.0
        b = hi if np.isfinite(hi) else 1.0
        while not np.isfinite(lo) and float(self.cdf(values, a)) > u:
            a = 2 * a - 1
        while not np.isfinite(hi) and float(self.cdf(values, b)) < u:
            b = 2 * b + 1
        return float(optimize.brentq(lambda z: float(self.cdf(values, z)) - u, a, b, xtol=1e-13, rtol=1e-14))

    def q_bound(self, values: Mapping[str, object]) -> float:
        """Upper bound of the numeric optimiser's search for the order."""
        return self.ppf(values, Q_BOUND_QUANTILE)

    def sample(self, rng: np.random.Generator, n: int, values: Mapping[str, float]) -> np.ndarray:
        raise NotImplementedError

    #: sorted support points of a discrete (empirical) demand, else ``None``:
    #: the expected profit is piecewise linear in the order between them
    atoms = None


@dataclass(frozen=True)
class NumericDemand(Demand):
    """A distribution with numbers only: no symbolic expectation (a frozen SciPy distribution, a sample)."""

    def expect_affine(self, alpha, beta, lo, hi):
        raise NotImplementedError(f"{self.name} demand is numeric: give every parameter a number")

    @property
    def closed_form(self):
        return False
