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
from scfin.spec.notation import STAR, SYMBOL_LATEX, sym


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


def key_factor(expr) -> tuple[sp.Expr, sp.Expr]:
    """``(key, rest)`` with ``expr == key * rest``: ``key`` the longest polynomial factor of the numerator.

    A sign that the report cannot display whole (a fraction of several
    hundred characters) is shown by the factor that decides it; the rest is a
    product of factors whose signs are plain (the caller checks both).
    """
    expr = sp.sympify(expr)
    num = sp.fraction(sp.cancel(sp.together(expr)))[0]
    factors = sp.factor_list(num)[1]
    if not factors:
        return sp.Integer(1), expr
    base, power = max(factors, key=lambda fp: (sp.count_ops(fp[0]), sp.default_sort_key(fp[0])))
    key = base ** power
    return key, sp.factor(sp.cancel(expr / key))


#: LaTeX names for :func:`tex`: the registry's, and ``q^{*}`` for the optimal decisions
_TEX_NAMES = {**SYMBOL_LATEX, **{s: f"{d}^{{*}}" for d, s in STAR.items()}}


def tex(expr) -> str:
    """Inline LaTeX of a short expression or number for a sentence (``$...$`` in a step text or a note).

    The claims layer sits below the renderer, so this is SymPy's printer with
    the registry's names; numbers are exact (``74/11``, never ``6.7272...``).
    """
    expr = sp.sympify(expr)
    if expr.is_Rational and expr.q != 1:
        return f"{'-' if expr < 0 else ''}{abs(expr.p)}/{expr.q}"
    return sp.latex(expr, symbol_names=_TEX_NAMES, order="old")


class Written(sp.Function):
    """An expression displayed as written, e.g. ``(p - c)(b_8 - b)/(c - v)``.

    The report factors every displayed expression afresh, which can turn a
    paper's ``(w - c)/(w - v)`` into the equal ``(c - w)/(v - w)``; wrapped, the
    form is printed as it is built.  Make it with :func:`written`, which
    keeps the form only where it equals the derived value.
    """

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_number:  # a number prints as itself
            return x

    def _latex(self, printer):
        return printer._print(self.args[0])

    def _sympystr(self, printer):
        return printer._print(self.args[0])


def written(value, form, where: Mapping | None = None):
    """``form`` to be displayed as written where it equals ``value`` identically; else ``value`` itself.

    ``where`` gives the auxiliary symbols of ``form`` (``b_8``, ...) in terms of the parameters.
    """
    value, form = sp.sympify(value), sp.sympify(form)
    full = form.xreplace(dict(where)) if where else form
    gap = value - full
    diff = sp.cancel(sp.together(gap)) if gap.is_rational_function() else sp.simplify(gap)
    return Written(form) if diff == 0 else value
