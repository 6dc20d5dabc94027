"""Helpers shared by the effort claims (8-11) and the Pareto zone.

The retailer's response in an effort model (``D = xi + e``) is derived by the
engine with the contract terms kept symbolic; the region structure (is the
sales target below the effort, between effort and order, or above the
order?) is fixed by a *shadow point*, so a caller that needs a particular
region passes numbers for it in ``shadow``.  Derivations are cached in
memory and on disk under a deterministic key (:mod:`scfin.derive.cache`).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Mapping

import sympy as sp

from scfin.derive.algebra import factor_rational, is_rational
from scfin.spec.demand import get_demand
from scfin.derive.cached import derive_cached
from scfin.derive.engine import Derivation, base_shadow
from scfin.spec.models import get_model
from scfin.spec.notation import sym


def _rational(v) -> sp.Rational:
    f = Fraction(v)
    return sp.Rational(f.numerator, f.denominator)


def response(
    model_id: str,
    known: Mapping[str, int | Fraction | str],
    shadow: Mapping[str, float] | None = None,
    rate: str | None = None,
    share: str | None = None,
    optimised: tuple[str, ...] | None = None,
) -> Derivation:
    """The retailer's stage of ``model_id`` with every term not in ``known`` symbolic.

    ``known``: numbers substituted before deriving (names of docs/specification.md section 2).
    ``shadow``: numbers that pick the region structure (they are *not*
    substituted); the rest of the shadow point is the engine's default.
    ``optimised`` defaults to the follower's decisions not in ``known``.
    Returns the engine's :class:`~scfin.derive.engine.Derivation`: ``decisions`` are
    the retailer's closed-form response, ``expectations.values`` the
    unsimplified expected profits, ``regime`` the region inequalities.
    """
    model = get_model(model_id).with_options(rate=rate, share=share)
    dem = get_demand("uniform")
    vals = {k: Fraction(v) for k, v in known.items()}
    sh = base_shadow(model, dem, vals)
    for name, val in (shadow or {}).items():
        sh[sym(name)] = float(val)
    if optimised is None:
        optimised = tuple(d for d in model.follower if d not in vals)
    known_sp = {k: _rational(v) for k, v in sorted(vals.items())}
    return derive_cached(model, dem, optimised, sh, known_sp)


def integrated_effort(known: Mapping[str, int | Fraction | str]) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """``(q0, e0, profit0)`` of the integrated firm with effort (engine, uniform demand).

    Krishnan, Kapuscinski & Butz (2004): ``e0 = (p - c(1 + rf))/kappa`` and
    ``F(q0 - e0) = (p - c(1 + rf))/(p - v)``; returned as the engine derives
    them, not retyped.
    """
    keep = {k: v for k, v in known.items() if k in ("p", "c", "v", "rf", "kappa", "A")}
    D = response("integrated-effort", keep)
    q0, e0 = D.decisions["q"], D.decisions["e"]
    profit = D.expectations.values["retailer"] + D.expectations.values["manufacturer"]
    profit = factor_rational(profit.xreplace({sym("q"): q0, sym("e"): e0}))
    return q0, e0, profit


def at(expr, point: Mapping[str, sp.Expr]) -> sp.Expr:
    """``expr`` with the named values substituted (names -> SymPy values)."""
    return sp.sympify(expr).xreplace({sym(k): sp.sympify(v) for k, v in point.items()})


def tidy(expr) -> sp.Expr:
    """Bounded canonical form: factor rational functions, leave the rest."""
    expr = sp.sympify(expr)
    return factor_rational(expr) if is_rational(expr) else expr


def retailer_joint(D: Derivation) -> sp.Expr:
    """The retailer's expected profit on the bank's break-even surface.

    Under competitive pricing the bank earns zero, so the retailer earns the
    joint profit ``E[retailer] + E[bank]`` (the rate cancels from it: the
    engine checks this and sets ``joint_follower``).
    """
    E = D.expectations.values
    if D.joint_follower:
        return E["retailer"] + E["bank"]
    return E["retailer"]
