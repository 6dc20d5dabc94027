"""The bank loan with limited liability (docs/specification.md section 4, "bank loan")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from scfin.spec.clauses.base import RATE_REGIMES, Financing


@dataclass(frozen=True)
class BankLoan(Financing):
    """Bank loan with limited liability (Kouvelis & Zhao 2012).

    R pays ``w q`` from own capital ``eta`` first and borrows
    ``L = (w q - eta)^+``; it owes ``L(1 + r)`` and repays ``min(Y, L(1 + r))``.
    ``rate`` says who sets ``r``: given (``exogenous``), the bank's zero-profit
    rate for the chosen loan (``competitive``), or the bank as top leader
    (``bank-leader``).
    """

    rate: str = "competitive"
    parameters: ClassVar = ("eta", "r", "rf")
    rate_regimes: ClassVar = RATE_REGIMES
    label: ClassVar = "bank loan"
    description: ClassVar = "R borrows L = (w q - eta)^+, owes L (1 + r), repays min(Y, L (1 + r))"
    description_latex: ClassVar = (r"R borrows $L = (wq - \eta)^+$, owes $L(1 + r)$ and repays $\min(Y, L(1 + r))$ "
                                   r"from its end-of-period cash $Y$")

    @property
    def regime(self) -> str:
        return self.rate

    def options(self):
        return {"rate": RATE_REGIMES}

    def with_option(self, name, value):
        return BankLoan(value) if name == "rate" else self
