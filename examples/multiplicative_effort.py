"""Multiplicative sales effort (Cachon 2003, section 8; Taylor 2002).

No bank.  Demand is ``D = e xi``: base demand ``xi`` scaled by the retailer's
effort ``e >= 0``, which costs it ``kappa e^2 / 2``.  The retailer pays
``w q`` at time 0, sells ``s = min(D, q)`` at ``p`` and salvages
``l = (q - D)^+`` at ``v``.  The retailer decides ``q`` and ``e``; the
manufacturer decides ``w``.
"""

from dataclasses import dataclass
from typing import ClassVar

from scfin import Clause, Model, clauses as C


@dataclass(frozen=True)
class MultiplicativeEffort(Clause):
    parameters: ClassVar = ("kappa",)
    retailer_decisions: ClassVar = ("e",)
    shares_rate_risk: ClassVar = False
    in_benchmark: ClassVar = True  # the integrated firm chooses effort too
    label: ClassVar = "multiplicative effort"

    def transform_demand(self, demand, values):
        return values["e"] * demand

    def operate(self, ledger):
        values = ledger.values
        ledger.cost["retailer"] = ledger.cost["retailer"] + values["kappa"] * values["e"] ** 2 / 2

    def decision_range(self, name, values):  # revenue is at most p e A: effort beyond p A / kappa never pays
        return (0.0, float(values["p"]) * float(values["A"]) / float(values["kappa"]) + 1.0) if name == "e" else None


model = Model("multiplicative-effort", "Multiplicative sales effort", (C.Supply(), MultiplicativeEffort()),
              summary="demand e xi; R chooses stock and effort", reference="Cachon (2003)")
