"""Two ways to evaluate the same realised cash flows.

Clauses write their cash flows once, against the small set of operations of
an *outcome*: ``minimum``, ``positive`` (the positive part) and ``below``
(an indicator).  Each evaluator implements them:

* :class:`RegionOutcome` evaluates them symbolically on one region of demand
  in which every comparison has a known sign.  A comparison whose root falls
  inside the region splits it.  The numeric *shadow point* (numbers for every
  symbol) decides which side of a root the region lies on; the inequality it
  relied on is recorded, so every closed form comes with the regime in which
  it holds.
* :class:`scfin.numeric.montecarlo.SampleOutcome` evaluates them on NumPy
  arrays of demand draws, for Monte Carlo (with the numeric layer); the
  numeric expected profits have their own, :class:`scfin.numeric.profits.BatchOutcome`.

The expected value of a payoff is then a sum over regions of the expectation
of an affine function of demand (see :mod:`scfin.spec.demand`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from scfin.derive.algebra import cancel, factor_rational
from scfin.spec.notation import sym

X = sym("x")


class _Split(Exception):
    def __init__(self, root: sp.Expr, value: float):
        self.root = root
        self.value = value


@dataclass(frozen=True)
class Condition:
    """``expr > 0`` (strict) or ``expr >= 0``: one inequality of a regime."""

    expr: sp.Expr
    strict: bool = False

    def as_relational(self) -> sp.Basic:
        return sp.StrictGreaterThan(self.expr, 0) if self.strict else sp.GreaterThan(self.expr, 0)


def _num(expr, shadow: Mapping[sp.Symbol, float]) -> float:
    if expr in (sp.oo, -sp.oo):
        return float(expr)
    val = expr.xreplace(shadow)
    try:
        return float(val)
    except TypeError:
        return float(val.evalf())


class RegionOutcome:
    """Symbolic evaluation on the demand region ``lo < x < hi``."""

    def __init__(self, lo, hi, shadow: Mapping[sp.Symbol, float], executed: int):
        self.lo, self.hi = lo, hi
        self.shadow = shadow
        self.executed = sp.Integer(executed)
        self.x = X
        lo_n, hi_n = _num(lo, shadow), _num(hi, shadow)
        self._lo_n, self._hi_n = lo_n, hi_n
        if np.isinf(lo_n) and np.isinf(hi_n):
            mid = 0.0
        elif np.isinf(lo_n):
            mid = hi_n - 1.0
        elif np.isinf(hi_n):
            mid = lo_n + 1.0
        else:
            mid = (lo_n + hi_n) / 2
        self._mid = {**shadow, X: mid}
        self.conditions: list[Condition] = []

    # -- the three operations ------------------------------------------------
    def positive(self, a):
        return a if self._sign(a) > 0 else sp.Integer(0)

    def minimum(self, a, b):
        return a if self._sign(b - a) > 0 else b

    def below(self, a, b):
        """1 where ``a < b``, else 0."""
        return sp.Integer(1) if self._sign(b - a) > 0 else sp.Integer(0)

    # -- sign of an affine function of x on this region ---------------------
    def _sign(self, d) -> int:
        d = sp.expand(sp.sympify(d))
        slope = sp.expand(sp.diff(d, X))
        if slope == 0:
            val = _num(d, self.shadow)
            if d.is_number:
                return 1 if val > 0 else -1
            self._record(d if val > 0 else -d)
            return 1 if val > 0 else -1
        if sp.diff(slope, X) != 0:
            raise ValueError(f"cash flow is not affine in demand: {d}")
        root = cancel(-d.subs(X, 0) / slope)
        root_n = _num(root, self.shadow)
        slope_n = _num(slope, self.shadow)
        span = max(1.0, abs(self._hi_n - self._lo_n) if np.isfinite(self._hi_n - self._lo_n) else 1.0)
        eps = 1e-9 * span
        if self._lo_n + eps < root_n < self._hi_n - eps:
            raise _Split(root, root_n)
        if not slope.is_number:
            self._record(slope if slope_n > 0 else -slope, strict=True)
        mid = self._mid[X]
        sign = 1 if slope_n * (mid - root_n) > 0 else -1
        # the region lies on one side of the root: record which
        if root_n <= self._lo_n + eps and np.isfinite(self._lo_n):
            self._record(self.lo - root)
        elif root_n >= self._hi_n - eps and np.isfinite(self._hi_n):
            self._record(root - self.hi)
        return sign

    def _record(self, expr, strict=False):
        expr = factor_rational(expr)
        if expr.is_number:
            return
        self.conditions.append(Condition(expr, strict))


@dataclass(frozen=True)
class Region:
    lo: sp.Expr
    hi: sp.Expr
    executed: int
    value: Mapping[str, sp.Expr]  # party -> affine expression in x


def regions(
    payoff: Callable[[object], Mapping[str, sp.Expr]],
    support: tuple[sp.Expr, sp.Expr],
    shadow: Mapping[sp.Symbol, float],
    executed: int,
    max_regions: int = 64,
) -> tuple[list[Region], list[Condition]]:
    """Split the support until every comparison in ``payoff`` has one sign.

    Returns the regions (with the payoff resolved on each) and the
    inequalities the resolution relied on.
    """
    pending = [support]
    done: list[Region] = []
    conditions: list[Condition] = []
    while pending:
        lo, hi = pending.pop(0)
        out = RegionOutcome(lo, hi, shadow, executed)
        try:
            value = payoff(out)
        except _Split as split:
            pending[:0] = [(lo, split.root), (split.root, hi)]
            if len(done) + len(pending) > max_regions:
                raise RuntimeError("too many demand regions: is the payoff piecewise affine?")
            continue
        done.append(Region(lo, hi, executed, value))
        conditions.extend(out.conditions)
        conditions.append(Condition(factor_rational(hi - lo))) if not (
            hi in (sp.oo,) or lo in (-sp.oo,)
        ) else None
    return done, conditions
