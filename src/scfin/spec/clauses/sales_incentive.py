"""Sales incentive: a target rebate (docs/specification.md section 4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from scfin.spec.clauses.base import Clause


@dataclass(frozen=True)
class SalesIncentive(Clause):
    """Target rebate ``u (s - T)^+`` paid by M to R (Taylor 2002); ``T = 0`` is the linear rebate."""

    parameters: ClassVar = ("u", "T")
    kinks_follower: ClassVar = True  # the rebate's kink at s = T can make R's profit non-concave
    shares_rate_risk: ClassVar = False
    label: ClassVar = "sales incentive"
    description: ClassVar = "M pays R u (s - T)^+ (T = 0: linear rebate)"
    description_latex: ClassVar = r"M pays R $u(s - T)^+$ on its sales $s$ (with $T = 0$ the linear rebate $us$)"

    def kinks(self, values):
        return (values["T"],) if "T" in values else ()

    def operate(self, ledger):
        values = ledger.values
        bonus = values["u"] * ledger.outcome.positive(ledger.sales - values["T"])
        ledger.retailer_cash = ledger.retailer_cash + bonus
        ledger.end["manufacturer"] = ledger.end["manufacturer"] - bonus
