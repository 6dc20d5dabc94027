"""Additive sales effort (docs/specification.md sections 3 and 4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from scfin.spec.clauses.base import Clause


@dataclass(frozen=True)
class Effort(Clause):
    """Additive sales effort ``D = xi + e`` costing ``kappa e^2 / 2``, paid by R (Krishnan et al. 2004)."""

    parameters: ClassVar = ("kappa",)
    retailer_decisions: ClassVar = ("e",)
    in_benchmark: ClassVar = True
    shares_rate_risk: ClassVar = False
    label: ClassVar = "effort"
    description: ClassVar = "demand D = xi + e; effort costs kappa e^2/2 to R"
    description_latex: ClassVar = r"demand $D = \xi + e$ with base demand $\xi$; the effort $e$ costs R $\kappa e^2/2$"

    def transform_demand(self, demand, values):
        return demand + values["e"]

    def operate(self, ledger):
        values = ledger.values
        ledger.cost["retailer"] = ledger.cost["retailer"] + values["kappa"] * values["e"] ** 2 / 2

    def decision_range(self, name, values):
        if name != "e":
            return None
        # effort never pays beyond the level at which its marginal cost kappa e (R bearing all of it; a clause
        # that shares the cost widens this through widen_range) exceeds the whole margin
        margin = np.asarray(values["p"], dtype=float) + np.asarray(values.get("u", 0.0), dtype=float)
        out = 2.0 * margin / np.asarray(values["kappa"], dtype=float) + 1.0
        return 0.0, (float(out) if np.ndim(out) == 0 else out)
