"""Cost sharing: of the retailer's effort cost, or of its loan interest (docs/specification.md section 4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from scfin.spec.clauses.base import Clause

SHARE_VARIANTS = ("effort", "interest")


@dataclass(frozen=True)
class _CostSharing(Clause):
    parameters: ClassVar = ("phi",)

    def options(self):
        return {"share": SHARE_VARIANTS}

    def with_option(self, name, value):
        if name != "share":
            return self
        return EffortCostSharing() if value == "effort" else InterestCostSharing()


@dataclass(frozen=True)
class EffortCostSharing(_CostSharing):
    """M pays the share ``phi`` of R's effort cost (Krishnan et al. 2004)."""

    shares_rate_risk: ClassVar = False
    label: ClassVar = "cost sharing (effort)"
    description: ClassVar = "M pays phi of the effort cost kappa e^2/2, R pays 1 - phi"
    description_latex: ClassVar = r"M pays the share $\phi$ of the effort cost $\kappa e^2/2$ and R the share $1 - \phi$"

    def operate(self, ledger):
        values = ledger.values
        shared = values["phi"] * values["kappa"] * values["e"] ** 2 / 2
        ledger.cost["retailer"] = ledger.cost["retailer"] - shared
        ledger.cost["manufacturer"] = ledger.cost["manufacturer"] + shared

    def widen_range(self, name, bounds, values):
        # R bears (1 - phi) of the effort cost: its effort answers a marginal cost (1 - phi) kappa e, so a bound
        # set against kappa e (the effort clause's) holds once divided by 1 - phi (phi < 1 is admissible)
        if name != "e":
            return bounds
        lo, hi = bounds
        out = np.asarray(hi, dtype=float) / (1.0 - np.asarray(values["phi"], dtype=float))
        return lo, (float(out) if np.ndim(out) == 0 else out)


@dataclass(frozen=True)
class InterestCostSharing(_CostSharing):
    """M pays the bank the share ``phi`` of the interest ``L r``; R owes ``L(1 + (1 - phi) r)``."""

    shares_rate_risk: ClassVar = True  # M pays part of the interest
    label: ClassVar = "cost sharing (interest)"
    description: ClassVar = "M pays the bank phi L r; R owes L (1 + (1 - phi) r)"
    description_latex: ClassVar = r"M pays the bank $\phi L r$; R owes $L(1 + (1 - \phi) r)$"

    def operate(self, ledger):
        ledger.interest_share = ledger.values["phi"]
