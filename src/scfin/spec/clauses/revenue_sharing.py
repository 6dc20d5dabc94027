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
    description_latex: ClassVar = r"of the revenue $ps$ of its sales $s$, R keeps $\psi p s$ and M receives $(1 - \psi) p s$"

    def admissible(self, values):
        # a sold unit must be worth more to the retailer than a leftover, else it prefers leftovers
        # (and the manufacturer's best offer is no trade): the literature assumes psi p > v
        if all(n in values for n in ("psi", "p", "v")) and not values["v"] < values["psi"] * values["p"]:
            return (f"revenue sharing needs v < psi p (a sold unit worth more to the retailer than a leftover): "
                    f"got v = {values['v']}, psi p = {values['psi'] * values['p']}",)
        return ()

    def operate(self, ledger):
        values = ledger.values
        share = (1 - values["psi"]) * values["p"] * ledger.sales
        ledger.retailer_cash = ledger.retailer_cash - share
        ledger.end["manufacturer"] = ledger.end["manufacturer"] + share
