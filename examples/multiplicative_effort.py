"""Multiplicative sales effort (Cachon 2003, "Supply chain coordination with contracts"; Taylor 2002).

No bank.  Demand is ``D = e xi``, base demand ``xi`` uniform on [0, A] scaled
by the retailer's effort ``e >= 0``, which costs it ``kappa e^2 / 2``.  R pays
``w q`` at time 0 (M receives it, pays ``c q``), sells ``s = min(D, q)`` at
``p``, salvages ``l = (q - D)^+`` at ``v``; R decides ``q``, ``e``, M ``w``.
Closed form: ``w* = (p + 3c)/4``, ``e* = A (p - w)^2 / (2 (p - v) kappa)``,
``q* = e* A (p - w)/(p - v)``; integrated (w = c): ``(A (p-c)^2 / (2 (p-v)))^2 / (2 kappa)``.
"""

from dataclasses import dataclass
from typing import ClassVar

from scfin import Clause, Model, clauses as C


@dataclass(frozen=True)
class MultiplicativeEffort(Clause):
    """R's effort e scales demand, D = e xi, at cost kappa e^2/2."""
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
        return (0.0, values["p"] * values["A"] / values["kappa"] + 1.0) if name == "e" else None


model = Model("multiplicative-effort", "Multiplicative sales effort", (C.Supply(), MultiplicativeEffort()),
              summary="demand e xi; R chooses stock and effort", reference="Cachon (2003)")
