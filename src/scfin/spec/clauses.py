"""Contract clauses as realised cash flows (MODELS.md section 4).

A clause adds terms to the parties' realised cash flows, written once against
the operations of an outcome (:mod:`scfin.derive.outcome`), so the same text gives
the symbolic expectation region by region and the Monte Carlo simulation.

Settlement runs in two stages: *operating* clauses (sales, leftovers,
incentives, effort) build the retailer's end-of-period cash ``Y``; then the
*financing* clause (the bank loan) splits ``Y`` between the bank and the
retailer under limited liability.  Guarantee and interest-sharing clauses
change how the financing clause settles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping

PARTIES = ("retailer", "manufacturer", "bank")


@dataclass
class Ledger:
    """Cash flows of one demand outcome while the clauses settle.

    ``t0`` is paid or received at time 0 (carried to the end at ``rf``),
    ``end`` at the end of the period, ``cost`` is effort cost (not financed,
    not carried, outside limited liability).  ``retailer_cash`` is the
    retailer's end cash ``Y`` before debt.  ``info`` holds reported events
    (sales, leftover, default) by name.
    """

    o: Any
    P: Mapping[str, Any]
    demand: Any
    sales: Any
    leftover: Any
    retailer_cash: Any
    t0: dict = field(default_factory=lambda: {p: 0 for p in PARTIES})
    end: dict = field(default_factory=lambda: {p: 0 for p in PARTIES})
    cost: dict = field(default_factory=lambda: {p: 0 for p in PARTIES})
    info: dict = field(default_factory=dict)
    interest_share: Any = 0
    guarantee: "ConditionalRepurchase | None" = None

    def profits(self) -> dict:
        carry = 1 + self.P["rf"]
        out = {
            p: self.t0[p] * carry + self.end[p] - self.cost[p] for p in PARTIES
        }
        out["retailer"] = out["retailer"] + self.retailer_cash
        return out


@dataclass(frozen=True)
class Clause:
    """A contract clause.  Subclasses override :meth:`operate` or :meth:`finance`."""

    #: parameters (registry names) the clause reads
    parameters: ClassVar[tuple[str, ...]] = ()
    #: decisions the clause gives the retailer (besides ``q``)
    retailer_decisions: ClassVar[tuple[str, ...]] = ()
    #: whether the clause is executed at random with probability ``lam``
    random_execution: ClassVar[bool] = False
    label: ClassVar[str] = ""
    description: ClassVar[str] = ""

    def operate(self, led: Ledger) -> None:  # stage 1
        pass

    def finance(self, led: Ledger) -> None:  # stage 2
        pass

    def key(self) -> str:
        """Deterministic text form, used in cache keys and reports."""
        fields = ",".join(f"{k}={v}" for k, v in sorted(vars(self).items()))
        return f"{type(self).__name__}({fields})"


@dataclass(frozen=True)
class Supply(Clause):
    parameters: ClassVar = ("w", "c")
    label: ClassVar = "supply"
    description: ClassVar = "R pays w q at time 0; M receives w q and pays c q"

    def operate(self, led):
        P = led.P
        q = P["q"]
        led.t0["retailer"] = led.t0["retailer"] - P["w"] * q
        led.t0["manufacturer"] = led.t0["manufacturer"] + (P["w"] - P["c"]) * q


@dataclass(frozen=True)
class Effort(Clause):
    """Additive sales effort ``D = xi + e`` costing ``kappa e^2 / 2``, paid by R."""

    parameters: ClassVar = ("kappa",)
    retailer_decisions: ClassVar = ("e",)
    label: ClassVar = "effort"
    description: ClassVar = "demand D = xi + e; effort costs kappa e^2/2 to R"

    def operate(self, led):
        P = led.P
        led.cost["retailer"] = led.cost["retailer"] + P["kappa"] * P["e"] ** 2 / 2


@dataclass(frozen=True)
class EffortCostSharing(Clause):
    """M pays the share ``phi`` of R's effort cost (Krishnan et al. 2004)."""

    parameters: ClassVar = ("phi",)
    label: ClassVar = "cost sharing (effort)"
    description: ClassVar = "M pays phi of the effort cost kappa e^2/2, R pays 1 - phi"

    def operate(self, led):
        P = led.P
        shared = P["phi"] * P["kappa"] * P["e"] ** 2 / 2
        led.cost["retailer"] = led.cost["retailer"] - shared
        led.cost["manufacturer"] = led.cost["manufacturer"] + shared


@dataclass(frozen=True)
class InterestCostSharing(Clause):
    """M pays the bank the share ``phi`` of the interest ``L r``; R owes ``L(1 + (1 - phi) r)``."""

    parameters: ClassVar = ("phi",)
    label: ClassVar = "cost sharing (interest)"
    description: ClassVar = "M pays the bank phi L r; R owes L (1 + (1 - phi) r)"

    def operate(self, led):
        led.interest_share = led.P["phi"]


@dataclass(frozen=True)
class Repurchase(Clause):
    """Unconditional repurchase of every leftover unit at ``b`` (Pasternack 1985).

    Executed with probability ``lam``; otherwise R salvages at ``v``.
    """

    parameters: ClassVar = ("b", "v", "lam")
    random_execution: ClassVar = True
    label: ClassVar = "repurchase"
    description: ClassVar = "M buys every leftover unit at b (salvaging it at v), with probability lam"

    def operate(self, led):
        P = led.P
        premium = led.o.executed * (P["b"] - P["v"]) * led.leftover
        led.retailer_cash = led.retailer_cash + premium
        led.end["manufacturer"] = led.end["manufacturer"] - premium


@dataclass(frozen=True)
class ConditionalRepurchase(Clause):
    """Repurchase only in default, proceeds to the bank, capped at its shortfall.

    In default (``Y < L(1 + r)``) and with probability ``lam``, M takes the
    leftover (salvaging it at ``v`` itself) and pays the bank
    ``G = min(b l, L(1 + r) - (Y - v l))``: the bank then recovers
    ``min(p s + b l, L(1 + r))`` instead of ``Y``; R's wealth in default stays
    0.  (With ``v = 0`` this is the table's wording word for word; for
    ``v > 0`` the leftover is salvaged once, by whoever holds it.)
    """

    parameters: ClassVar = ("b", "v", "lam")
    random_execution: ClassVar = True
    label: ClassVar = "conditional repurchase"
    description: ClassVar = "in default M buys the leftover at b, paying the bank up to its shortfall, with probability lam"

    def operate(self, led):
        led.guarantee = self


@dataclass(frozen=True)
class SalesIncentive(Clause):
    """Target rebate ``u (s - T)^+`` paid by M to R (Taylor 2002)."""

    parameters: ClassVar = ("u", "T")
    label: ClassVar = "sales incentive"
    description: ClassVar = "M pays R u (s - T)^+ (T = 0: linear rebate)"

    def operate(self, led):
        P = led.P
        bonus = P["u"] * led.o.positive(led.sales - P["T"])
        led.retailer_cash = led.retailer_cash + bonus
        led.end["manufacturer"] = led.end["manufacturer"] - bonus


@dataclass(frozen=True)
class RevenueSharing(Clause):
    """R keeps ``psi p s``; M receives ``(1 - psi) p s`` (Cachon & Lariviere 2005)."""

    parameters: ClassVar = ("psi",)
    label: ClassVar = "revenue sharing"
    description: ClassVar = "R keeps psi p s, M receives (1 - psi) p s"

    def operate(self, led):
        P = led.P
        share = (1 - P["psi"]) * P["p"] * led.sales
        led.retailer_cash = led.retailer_cash - share
        led.end["manufacturer"] = led.end["manufacturer"] + share


RATE_REGIMES = ("competitive", "exogenous", "bank-leader")


@dataclass(frozen=True)
class BankLoan(Clause):
    """Bank loan with limited liability (Kouvelis & Zhao 2012).

    R pays ``w q`` from own capital ``eta`` first and borrows
    ``L = (w q - eta)^+``; it owes ``L(1 + r)`` and repays ``min(Y, L(1 + r))``.
    ``rate`` says who sets ``r``: given (``exogenous``), the bank's zero-profit
    rate for the chosen loan (``competitive``), or the bank as top leader
    (``bank-leader``).
    """

    rate: str = "competitive"
    parameters: ClassVar = ("eta", "r", "rf")
    label: ClassVar = "bank loan"
    description: ClassVar = "R borrows L = (w q - eta)^+, owes L (1 + r), repays min(Y, L (1 + r))"

    def finance(self, led):
        o, P = led.o, led.P
        spend = -led.t0["retailer"]
        loan = o.positive(spend - P["eta"])
        led.t0["retailer"] = led.t0["retailer"] + loan
        led.t0["bank"] = led.t0["bank"] - loan
        face = loan * (1 + (1 - led.interest_share) * P["r"])
        Y = led.retailer_cash
        default = o.below(Y, face)
        recovery = o.minimum(Y, face)
        if led.guarantee is not None:
            run = o.executed * default
            leftover_salvage = P["v"] * led.leftover
            pay = o.minimum(P["b"] * led.leftover, face - Y + leftover_salvage)
            recovery = recovery + run * (pay - leftover_salvage)
            led.end["manufacturer"] = led.end["manufacturer"] + run * (leftover_salvage - pay)
            led.info["guarantee"] = run * pay
        led.end["bank"] = led.end["bank"] + recovery
        if led.interest_share != 0:
            sub = led.interest_share * loan * P["r"]
            led.end["bank"] = led.end["bank"] + sub
            led.end["manufacturer"] = led.end["manufacturer"] - sub
        led.retailer_cash = o.positive(Y - face)
        led.info["default"] = default
        led.info["loan"] = loan


def settle(clauses, o, P: Mapping[str, Any], effort: bool) -> dict:
    """Realised cash flows of one outcome: party -> end-of-period profit.

    Also returns the reported events (``sales``, ``leftover``, ``default``,
    ``loan``, ``guarantee``) under their names.
    """
    demand = o.x + P["e"] if effort else o.x
    sales = o.minimum(demand, P["q"])
    leftover = P["q"] - sales
    led = Ledger(
        o=o,
        P=P,
        demand=demand,
        sales=sales,
        leftover=leftover,
        retailer_cash=P["p"] * sales + P["v"] * leftover,
    )
    for clause in clauses:
        clause.operate(led)
    for clause in clauses:
        clause.finance(led)
    out = led.profits()
    out["sales"] = sales
    out["leftover"] = leftover
    for name in ("default", "loan", "guarantee"):
        if name in led.info:
            out[name] = led.info[name]
    return out
