"""Closed forms as fast NumPy functions.

``closed_form_function(model_id, fixed, over)`` solves the model once with
the parameters in ``over`` left symbolic, then lambdifies every decision,
profit and metric with common-subexpression elimination.  The function is
built lazily and kept in memory only (never pickled); its argument order is
``over`` as given, and it returns a dict of arrays keyed like the
equilibrium (``q``, ``w``, ``retailer``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from scfin.spec.notation import sym
from scfin.solver import solve


@dataclass(frozen=True)
class ClosedFormFunction:
    """A lambdified equilibrium: ``fn(*arrays) -> {name: array}``."""

    model: str
    arguments: tuple[str, ...]
    outputs: tuple[str, ...]
    regime: tuple[sp.Basic, ...]
    _fn: Callable

    def __call__(self, *args) -> dict[str, np.ndarray]:
        arrays = [np.asarray(a, dtype=float) for a in args]
        shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        values = self._fn(*arrays)
        return {name: np.broadcast_to(np.asarray(v, dtype=float), shape) for name, v in zip(self.outputs, values)}


def closed_form_function(model_id: str, fixed: Mapping[str, Fraction | int | str], over: tuple[str, ...],
                         rate: str | None = None, share: str | None = None) -> ClosedFormFunction:
    """Lambdify ``model_id``'s equilibrium as a function of the parameters ``over``."""
    key = (model_id, tuple(sorted((k, str(Fraction(v))) for k, v in fixed.items())), tuple(over), rate, share)
    return _build(*key)


@lru_cache(maxsize=64)
def _build(model_id, fixed_items, over, rate, share) -> ClosedFormFunction:
    fixed = {k: Fraction(v) for k, v in fixed_items}
    eq = solve(model_id, fixed, rate=rate, share=share)
    if not eq.closed_form:
        raise ValueError(f"{model_id} has no closed form at these values: use scfin.solver for numbers")
    exprs: dict[str, sp.Expr] = {}
    exprs.update(eq.decisions)
    exprs.update(eq.profits)
    exprs.update(eq.metrics)
    args = [sym(n) for n in over]
    stray = set().union(*(sp.sympify(e).free_symbols for e in exprs.values())) - set(args)
    if stray:
        raise ValueError(f"closed forms still depend on {sorted(map(str, stray))}: add them to 'over' or 'fixed'")
    fn = sp.lambdify(args, list(exprs.values()), modules="numpy", cse=True)
    regime = tuple(c.condition for c in eq.regime)
    return ClosedFormFunction(model_id, tuple(over), tuple(exprs), regime, fn)
