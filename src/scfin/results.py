"""The immutable result of solving a model.

Values only: nothing here imports a renderer.  Text, JSON and LaTeX are in
:mod:`scfin.render`, which dispatches on these types (notebooks show them
through the formatters :func:`scfin.show_in_notebooks` registers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import sympy as sp


@dataclass(frozen=True)
class RegimeCheck:
    """One inequality of the regime, and whether it holds at the numbers."""

    condition: sp.Basic  # a SymPy relational in the parameters
    holds: bool | None  # None: symbolic (not decidable without numbers)
    source: str = "regime"  # "regime", "second-order", "participation"
    #: the same condition written in the optimal decisions (``q^*, e^*, w^*``,
    #: :data:`scfin.spec.notation.STAR`) for display; None where not computed
    in_decisions: sp.Basic | None = None


@dataclass(frozen=True)
class Equilibrium:
    """A model's Stackelberg equilibrium: decisions, profits, conditions, regime.

    ``decisions``, ``profits`` and ``metrics`` are SymPy expressions: closed
    forms in the parameters left symbolic, exact numbers where every
    parameter was given (floats where the solution is numeric).  Keys are in
    a fixed order.
    """

    model: str
    title: str
    demand: str
    rate: str | None
    parameters: Mapping[str, sp.Expr]
    decisions: Mapping[str, sp.Expr]
    profits: Mapping[str, sp.Expr]
    metrics: Mapping[str, sp.Expr]
    first_order: tuple[tuple[str, sp.Basic], ...]
    regime: tuple[RegimeCheck, ...]
    closed_form: bool
    numeric: bool
    boundary: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()
    #: profits and metrics written in the optimal decisions (``q^*, e^*,
    #: w^*``, :data:`scfin.spec.notation.STAR`): what a paper prints where the
    #: substituted closed form is too long to read.  Symbolic closed forms only.
    in_decisions: Mapping[str, sp.Expr] = field(default_factory=dict)
    #: leader decisions at an interior kink: the optimum sits where the
    #: retailer's response changes regime, strictly inside the admissible interval
    kinks: tuple[str, ...] = ()

    @property
    def regime_holds(self) -> bool | None:
        vals = [c.holds for c in self.regime]
        if any(v is False for v in vals):
            return False
        if any(v is None for v in vals):
            return None
        return True
