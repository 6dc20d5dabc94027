"""Supply: the wholesale price (docs/specification.md section 4, "supply")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from scfin.spec.clauses.base import Clause


@dataclass(frozen=True)
class Supply(Clause):
    """R pays ``w q`` at time 0; M receives ``w q`` and pays ``c q`` (Lariviere & Porteus 2001)."""

    parameters: ClassVar = ("w", "c")
    leader_decisions: ClassVar = ("w",)
    in_benchmark: ClassVar = True
    shares_rate_risk: ClassVar = False
    label: ClassVar = "supply"
    description: ClassVar = "R pays w q at time 0; M receives w q and pays c q"
    description_latex: ClassVar = r"R pays $wq$ at time 0; M receives $wq$ and pays $cq$"

    def leader_bounds(self):
        return {"w": (("c",), ("p",))}

    def operate(self, ledger):
        values = ledger.values
        q = values["q"]
        ledger.t0["retailer"] = ledger.t0["retailer"] - values["w"] * q
        ledger.t0["manufacturer"] = ledger.t0["manufacturer"] + (values["w"] - values["c"]) * q
