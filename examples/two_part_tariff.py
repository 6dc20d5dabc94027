"""Two-part tariff: a wholesale price and a fixed fee (Cachon 2003, "Supply chain coordination with contracts").

No bank.  The retailer pays ``w q`` and a fixed ``fee`` at time 0 (the
manufacturer receives both and pays ``c q``); it sells ``s = min(D, q)`` at
``p`` and salvages ``l = (q - D)^+`` at ``v``.  The manufacturer decides
``w >= c`` and ``fee`` subject to the retailer's expected profit being at least
``R0``: it sells at cost and takes the chain's profit less ``R0`` as the fee.
"""

from dataclasses import dataclass
from typing import ClassVar

from scfin import Bound, Clause, Model, clauses as C, parameter

FEE = parameter("fee", "F", "fixed fee the retailer pays at time 0", lower=Bound(0, False), kind="decision")
R0 = parameter("R0", "R_0", "retailer's reservation profit", lower=Bound(0, False), default=0, draw=(0, 40))


@dataclass(frozen=True)
class FixedFee(Clause):
    """R pays M a fixed fee F at time 0."""
    parameters: ClassVar = ("fee",)
    declares: ClassVar = (FEE, R0)
    leader_decisions: ClassVar = ("fee",)
    shares_rate_risk: ClassVar = False
    label: ClassVar = "fixed fee"

    def operate(self, ledger):
        fee = ledger.values["fee"]
        ledger.t0["retailer"] = ledger.t0["retailer"] - fee
        ledger.t0["manufacturer"] = ledger.t0["manufacturer"] + fee

    def decision_range(self, name, values):  # a fee above the whole revenue at full demand never pays
        return (0.0, values["p"] * values["A"]) if name == "fee" else None


model = Model("two-part-tariff", "Two-part tariff", (C.Supply(), FixedFee()), participation="R0",
              summary="M sets w and a fixed fee; R takes part if it earns R0", reference="Cachon (2003)")
