"""Repurchase guarantees: unconditional buyback, and repurchase in default (docs/specification.md section 4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from scfin.spec.clauses.base import Clause


@dataclass(frozen=True)
class _Repurchase(Clause):
    parameters: ClassVar = ("b", "v", "lam")
    random_execution: ClassVar = True

    def leader_bounds(self):
        return {"w": (("b",), ())}  # the repurchase price stays below the wholesale price


@dataclass(frozen=True)
class Repurchase(_Repurchase):
    """Unconditional repurchase of every leftover unit at ``b`` (Pasternack 1985).

    Executed with probability ``lam``; otherwise R salvages at ``v``.
    """

    shares_rate_risk: ClassVar = False
    label: ClassVar = "repurchase"
    description: ClassVar = "M buys every leftover unit at b (salvaging it at v), with probability lam"
    description_latex: ClassVar = r"M buys every leftover unit at $b$ (salvaging it at $v$), with probability $\lambda$"

    def operate(self, ledger):
        values = ledger.values
        premium = ledger.outcome.executed * (values["b"] - values["v"]) * ledger.leftover
        ledger.retailer_cash = ledger.retailer_cash + premium
        ledger.end["manufacturer"] = ledger.end["manufacturer"] - premium


@dataclass(frozen=True)
class ConditionalRepurchase(_Repurchase):
    """Repurchase only in default, proceeds to the bank, capped at its shortfall (Wang, Ma & Zhou 2016).

    In default (``Y < L(1 + r)``) and with probability ``lam``, M takes the
    leftover (salvaging it at ``v`` itself) and pays the bank
    ``G = min(b l, L(1 + r) - (Y - v l))``: the bank then recovers
    ``min(p s + b l, L(1 + r))`` instead of ``Y``; R's wealth in default stays
    0.  (With ``v = 0`` this is the specification's wording word for word;
    for ``v > 0`` the leftover is salvaged once, by whoever holds it.)
    """

    shares_rate_risk: ClassVar = True  # M pays the bank in default
    label: ClassVar = "conditional repurchase"
    description: ClassVar = "in default M buys the leftover at b, paying the bank up to its shortfall, with probability lam"
    description_latex: ClassVar = (r"in default M buys the leftover at $b$, paying the bank up to its shortfall, "
                                   r"with probability $\lambda$")

    def operate(self, ledger):
        ledger.guarantees.append(self)

    def cover(self, ledger, face, cash, default):
        outcome, values = ledger.outcome, ledger.values
        run = outcome.executed * default
        leftover_salvage = values["v"] * ledger.leftover
        pay = outcome.minimum(values["b"] * ledger.leftover, face - cash + leftover_salvage)
        ledger.end["manufacturer"] = ledger.end["manufacturer"] + run * (leftover_salvage - pay)
        ledger.info["guarantee"] = run * pay
        return run * (pay - leftover_salvage)
