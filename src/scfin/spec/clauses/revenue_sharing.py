"""Revenue sharing (docs/specification.md section 4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from scfin.spec.clauses.base import Clause


@dataclass(frozen=True)
class RevenueSharing(Clause):
    """R keeps ``psi p s``; M receives ``(1 - psi) p s`` (Cachon & Lariviere 2005)."""

    parameters: ClassVar = ("psi",)
    shares_rate_risk: ClassVar = False
    label: ClassVar = "revenue sharing"
    description: ClassVar = "R keeps psi p s, M receives (1 - psi) p s"

    def operate(self, ledger):
        values = ledger.values
        share = (1 - values["psi"]) * values["p"] * ledger.sales
        ledger.retailer_cash = ledger.retailer_cash - share
        ledger.end["manufacturer"] = ledger.end["manufacturer"] + share
