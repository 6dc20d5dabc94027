"""Partial credit guarantee (Yan, Sun, Zhang & Liu 2016, "A partial credit guarantee contract in a
capital-constrained supply chain", Int. J. Production Economics 173, 122-133).

The bank loan of the catalogue: R pays ``w q``, own capital ``eta`` first, borrows ``L = (w q - eta)^+``,
owes ``L (1 + r)`` and repays ``min(Y, L (1 + r))``, ``Y = p s + v l``.  In default (``Y < L (1 + r)``)
M (which receives ``w q`` and pays ``c q`` at time 0) pays the bank the share ``beta`` of its shortfall,
``beta (L (1 + r) - Y)``, ``0 <= beta <= 1``.  M decides ``w``; rate=competitive|exogenous|bank-leader.
"""

from dataclasses import dataclass
from typing import ClassVar

from scfin import Bound, Clause, Model, clauses as C, parameter

BETA = parameter("beta", r"\beta", "share of the bank's shortfall the manufacturer guarantees",
                 lower=Bound(0, False), upper=Bound(1, False), default="1/2", draw=(0, 1))


@dataclass(frozen=True)
class PartialCreditGuarantee(Clause):
    """In default M pays the bank beta (L(1 + r) - Y)."""
    parameters: ClassVar = ("beta",)
    declares: ClassVar = (BETA,)
    shares_rate_risk: ClassVar = True  # the manufacturer pays the bank in default
    label: ClassVar = "partial credit guarantee"

    def operate(self, ledger):
        ledger.guarantees.append(self)  # the loan calls cover() in default

    def cover(self, ledger, face, cash, default):
        pay = ledger.values["beta"] * default * (face - cash)
        ledger.end["manufacturer"] = ledger.end["manufacturer"] - pay
        ledger.info["guarantee"] = pay
        return pay


model = Model("partial-credit-guarantee", "Partial credit guarantee",
              (C.Supply(), PartialCreditGuarantee(), C.BankLoan()),
              summary="bank loan; in default M pays beta of the bank's shortfall",
              reference="Yan, Sun, Zhang & Liu (2016)")
