"""Expected cash flows, region by region between breakpoints.

``expectations(model, demand, shadow)`` returns every party's expected profit
(and the reported events: expected sales, leftover, default probability,
loan, guarantee payments) as SymPy expressions in all parameters and
decisions, together with the regime: the inequalities under which the
region structure, and hence every expression, holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import sympy as sp

from scfin.spec.clauses import settle
from scfin.spec.demand import Demand
from scfin.spec.models import Model
from scfin.spec.notation import REGISTRY, sym
from scfin.derive.outcome import X, Condition, regions

def _names() -> tuple[str, ...]:
    """Every parameter and decision of the registry (declared symbols included)."""
    return tuple(n for n, i in REGISTRY.items() if i.kind in ("parameter", "decision"))


def model_symbols(model: Model, known: Mapping[str, sp.Expr] | None = None) -> dict[str, sp.Expr]:
    """Name -> SymPy value, with the model's identities (``w = c``) applied.

    ``known`` values (numbers a user gave) replace their symbols, which keeps
    the symbolic work small.
    """
    values: dict[str, sp.Expr] = {n: sym(n) for n in _names()}
    for name, val in (known or {}).items():
        if name in values:
            values[name] = val
    for name, target in model.fixed.items():
        values[name] = values[target]
    if not model.random_execution:
        values["lam"] = sp.Integer(1)
    return values


@dataclass(frozen=True)
class Expectations:
    """Expected values (unsimplified sums of region integrals) and their regime."""

    values: Mapping[str, sp.Expr]
    regime: tuple[Condition, ...]
    regions: int


def _dedupe(conds) -> tuple[Condition, ...]:
    seen, out = set(), []
    for c in conds:
        key = sp.srepr(c.expr)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return tuple(out)


def expectations(
    model: Model, demand: Demand, shadow: Mapping[sp.Symbol, float], known: Mapping[str, sp.Expr] | None = None
) -> Expectations:
    values = model_symbols(model, known)
    demand_known = {sym(n): v for n, v in (known or {}).items() if n in demand.parameters}
    support = demand.support()
    lam = values["lam"]
    scenarios = ((1, lam), (0, 1 - lam)) if model.random_execution else ((1, sp.Integer(1)),)
    totals: dict[str, sp.Expr] = {}
    regime: list[Condition] = []
    n_regions = 0

    def payoff(outcome):
        return settle(model.clauses, outcome, values)

    for executed, weight in scenarios:
        support_k = tuple(sp.sympify(s).xreplace(demand_known) for s in support)
        regs, conds = regions(payoff, support_k, shadow, executed)
        n_regions += len(regs)
        regime.extend(conds)
        for reg in regs:
            for key, val in reg.value.items():
                val = sp.expand(sp.sympify(val))
                alpha, beta = val.subs(X, 0), sp.diff(val, X)
                term = weight * demand.expect_affine(alpha, beta, reg.lo, reg.hi)
                if demand_known:
                    term = term.xreplace(demand_known)
                totals[key] = totals.get(key, sp.Integer(0)) + term
    return Expectations(values=totals, regime=_dedupe(regime), regions=n_regions)
