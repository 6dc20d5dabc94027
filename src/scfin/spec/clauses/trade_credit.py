"""Supplier trade credit: the manufacturer lends (Kouvelis & Zhao 2012; docs/specification.md section 6a)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from scfin.spec.clauses.base import Financing
from scfin.spec.notation import Bound, parameter

CREDIT_RATE = parameter("rs", "r_s", "trade-credit interest rate charged by the manufacturer", lower=Bound(0, False),
                        kind="decision", default=0, draw=(0, "1/2"))


@dataclass(frozen=True)
class TradeCredit(Financing):
    """R pays ``min(w q, eta)`` at time 0; the rest ``L = (w q - eta)^+`` is credit from M.

    The credit is due at the end with interest ``rs``: R repays
    ``min(Y, L (1 + rs))`` (limited liability).  M decides ``rs`` unless it is given.
    """

    parameters: ClassVar = ("eta", "rs", "rf")
    declares: ClassVar = (CREDIT_RATE,)
    leader_decisions: ClassVar = ("rs",)
    lender: ClassVar = "manufacturer"
    rate_name: ClassVar = "rs"
    rate_metric: ClassVar = "credit_rate"
    label: ClassVar = "trade credit"
    description: ClassVar = "M lends L = (w q - eta)^+ at rate rs; R repays min(Y, L (1 + rs))"
    description_latex: ClassVar = r"M lends $L = (wq - \eta)^+$ at the rate $r_s$; R repays $\min(Y, L(1 + r_s))$"

    def decision_range(self, name, values):
        # a face value above 4 p / c times the loan exceeds the retailer's revenue per unit financed many
        # times over: a higher rate only moves the retailer into default in more states
        return (0.0, 4.0 * values["p"] / values["c"]) if name == "rs" else None
