"""The clause interface: realised cash flows, and the traits the layers above read.

A clause adds terms to the parties' realised cash flows (docs/specification.md
section 4), written once against the operations of an *outcome*:
``outcome.minimum(a, b)``, ``outcome.positive(a)`` (the positive part),
``outcome.below(a, b)`` (the indicator of ``a < b``), ``outcome.x`` (realised
base demand) and ``outcome.executed`` (1 where a random clause is executed).
The same text then gives the symbolic expectation region by region
(:mod:`scfin.derive.outcome`), the exact numeric expectation
(:mod:`scfin.numeric.profits`) and Monte Carlo (:mod:`scfin.numeric.montecarlo`).

Settlement runs in two stages: *operating* clauses (sales, leftovers,
incentives, effort) build the retailer's end-of-period cash ``Y``; then the
*financing* clause splits ``Y`` between the lender and the retailer under
limited liability.  Guarantees change how financing settles through one
interface (:meth:`Clause.cover`), registered on the ledger.

Whatever the engine, the numeric layer or the verifier must know about a
clause is a trait or a hook declared here with a default; no layer checks a
clause's type.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from typing import Any, ClassVar, Mapping

import numpy as np

from scfin.spec.notation import SymbolInfo

PARTIES = ("retailer", "manufacturer", "bank")


@dataclass
class Ledger:
    """Cash flows of one demand outcome while the clauses settle.

    ``t0`` is paid or received at time 0 (carried to the end at ``rf``),
    ``end`` at the end of the period, ``cost`` is effort cost (not financed,
    not carried, outside limited liability).  ``retailer_cash`` is the
    retailer's end cash ``Y`` before debt.  ``info`` holds reported events
    (default, loan, guarantee) by name.  ``guarantees`` are the clauses whose
    :meth:`Clause.cover` the financing clause calls in default;
    ``interest_share`` is the share of the interest the manufacturer pays.
    """

    outcome: Any
    values: Mapping[str, Any]
    demand: Any
    sales: Any
    leftover: Any
    retailer_cash: Any
    t0: dict = field(default_factory=lambda: {p: 0 for p in PARTIES})
    end: dict = field(default_factory=lambda: {p: 0 for p in PARTIES})
    cost: dict = field(default_factory=lambda: {p: 0 for p in PARTIES})
    info: dict = field(default_factory=dict)
    interest_share: Any = 0
    guarantees: list = field(default_factory=list)

    def profits(self) -> dict:
        carry = 1 + self.values["rf"]
        out = {p: self.t0[p] * carry + self.end[p] - self.cost[p] for p in PARTIES}
        out["retailer"] = out["retailer"] + self.retailer_cash
        return out


@dataclass(frozen=True)
class Clause:
    """A contract clause.  Subclasses override :meth:`operate` or :meth:`finance`, and the traits they need.

    Class-level traits (each with its default):

    * ``parameters``: registry names the clause reads;
    * ``declares``: the new symbols the clause brings (:func:`scfin.spec.notation.parameter`
      values): registered when a model using the clause is built;
    * ``retailer_decisions`` / ``leader_decisions``: decisions the clause gives
      the retailer (besides ``q``) or the manufacturer;
    * ``random_execution``: executed with probability ``lam``;
    * ``kinks_follower``: the retailer's expected profit may be non-concave
      (a sales target): the solver searches the retailer's problem globally;
    * ``financing``: the clause is the financing stage (:class:`Financing`);
    * ``in_benchmark``: the clause stays in the first-best benchmark the
      contract's efficiency is measured against (one well-funded firm with
      ``w = c``): supply, effort and other operations do; transfers between
      the parties (repurchase, incentives, financing) do not;
    * ``shares_rate_risk``: whether the loan rate moves money to or from
      anyone but the retailer and the bank (a guarantee, an interest
      subsidy).  ``None`` (the default, for a clause that does not say) is
      treated as ``True``: the numeric layer then prices every loan at its
      break-even rate, which is right either way, only slower.
    """

    parameters: ClassVar[tuple[str, ...]] = ()
    declares: ClassVar[tuple[SymbolInfo, ...]] = ()
    retailer_decisions: ClassVar[tuple[str, ...]] = ()
    leader_decisions: ClassVar[tuple[str, ...]] = ()
    random_execution: ClassVar[bool] = False
    kinks_follower: ClassVar[bool] = False
    financing: ClassVar[bool] = False
    in_benchmark: ClassVar[bool] = False
    shares_rate_risk: ClassVar[bool | None] = None
    label: ClassVar[str] = ""
    description: ClassVar[str] = ""
    #: the description as LaTeX, for the report (default: the plain ``description``, escaped)
    description_latex: ClassVar[str] = ""

    # -- cash flows --------------------------------------------------------
    def operate(self, ledger: Ledger) -> None:
        """Stage 1: add operating cash flows to the ledger."""

    def finance(self, ledger: Ledger) -> None:
        """Stage 2: settle the financing (only financing clauses)."""

    def cover(self, ledger: Ledger, face, cash, default):
        """A guarantee's payment to the lender in default; returns what it adds to the lender's recovery.

        Called by the financing clause for every clause that registered
        itself in ``ledger.guarantees`` during :meth:`operate`.
        """
        return 0

    def transform_demand(self, demand, values: Mapping[str, Any]):
        """Realised demand from base demand ``demand`` (identity; effort: ``xi + e``)."""
        return demand

    # -- what the solvers and the verifier need ------------------------------
    def leader_bounds(self) -> Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """Bounds the clause puts on leader decisions: name -> (lower names, upper names), strict."""
        return {}

    def decision_range(self, name: str, values: Mapping[str, Any]):
        """A numeric search range ``(lo, hi)`` for a retailer decision the clause declares, or ``None``."""
        return None

    def widen_range(self, name: str, bounds, values: Mapping[str, Any]):
        """The search range ``bounds`` of a retailer decision another clause declared, as this clause leaves it.

        Default: unchanged.  A clause that changes what the decision costs the
        retailer (a share of its effort cost paid by M) widens the range so that
        it still holds every decision the retailer may take.
        """
        return bounds

    def kinks(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """Orders ``q`` at which the retailer's profit kinks (points a global search evaluates exactly).

        ``values`` may hold NumPy arrays (a batch of points); a kink is then an array too.
        """
        return ()

    def kinked(self, values: Mapping[str, Any]) -> bool:
        """Whether, at these numbers, the retailer's response may jump between regimes as the leader moves.

        Default: the ``kinks_follower`` trait.  Where it holds, the solver
        compares its closed form with a global numeric search of the leader's
        whole admissible interval.
        """
        return self.kinks_follower

    def admissible(self, values: Mapping[str, Any]) -> tuple[str, ...]:
        """Faults of these numbers beyond each symbol's own range (relations the clause needs), one sentence each."""
        return ()

    def options(self) -> Mapping[str, tuple[str, ...]]:
        """Model options the clause takes (``rate``, ``share``) with their admissible values."""
        return {}

    def with_option(self, name: str, value: str) -> "Clause":
        """The clause under option ``name = value`` (only for names in :meth:`options`)."""
        return self

    def key(self) -> str:
        """Deterministic text form, used in cache keys and reports.

        A clause defined outside scfin carries the digest of its module's
        source, so editing a user's clause changes every key it is part of.
        """
        text = ",".join(f"{f.name}={getattr(self, f.name)}" for f in sorted(fields(self), key=lambda f: f.name))
        name = type(self).__name__
        module = type(self).__module__
        if module.split(".")[0] != "scfin":
            return f"{module}.{type(self).__qualname__}({text})#{source_digest(module)}"
        return f"{name}({text})"


@lru_cache(maxsize=None)
def source_digest(module: str) -> str:
    """Digest of a module's source text (user clauses and models in cache keys)."""
    mod = sys.modules.get(module)
    try:
        text = inspect.getsource(mod) if mod is not None else module
    except (OSError, TypeError):
        text = module
    return hashlib.sha256(text.encode()).hexdigest()[:16]


RATE_REGIMES = ("competitive", "exogenous", "bank-leader")


@dataclass(frozen=True)
class Financing(Clause):
    """The financing protocol: the retailer pays ``w q`` from own capital ``eta`` first and borrows the rest.

    ``L = (w q - eta)^+`` is lent by :attr:`lender` at the rate named
    :attr:`rate_name`; the retailer owes ``L (1 + rate)`` (less the share of
    the interest a cost-sharing clause moves to the manufacturer) and repays
    ``min(Y, L (1 + rate))`` under limited liability; every guarantee on the
    ledger adds its :meth:`Clause.cover` to the lender's recovery in default.
    """

    financing: ClassVar = True
    shares_rate_risk: ClassVar = False
    #: who lends: "bank" or "manufacturer"
    lender: ClassVar[str] = "bank"
    #: the symbol of the rate in force
    rate_name: ClassVar[str] = "r"
    #: the metric under which the rate in force is reported
    rate_metric: ClassVar[str] = "interest_rate"
    #: rate regimes the clause admits (docs/specification.md section 4)
    rate_regimes: ClassVar[tuple[str, ...]] = ()

    @property
    def regime(self) -> str | None:
        """The rate regime in force (``None`` where the rate is a plain number or decision)."""
        return None

    def kinks(self, values):
        # the order that exactly spends the retailer's own capital: beyond it every unit is financed
        if "w" not in values or "eta" not in values:
            return ()
        eta, w = np.asarray(values["eta"], dtype=float), np.asarray(values["w"], dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return (np.where(w > 0, eta / w, np.nan),)

    def kinked(self, values):
        # with own capital the retailer self-finances small orders and borrows for large ones
        return float(values.get("eta", 0)) > 0

    def finance(self, ledger):
        outcome, values = ledger.outcome, ledger.values
        rate = values[self.rate_name]
        spend = -ledger.t0["retailer"]
        loan = outcome.positive(spend - values["eta"])
        ledger.t0["retailer"] = ledger.t0["retailer"] + loan
        ledger.t0[self.lender] = ledger.t0[self.lender] - loan
        face = loan * (1 + (1 - ledger.interest_share) * rate)
        cash = ledger.retailer_cash
        default = outcome.below(cash, face)
        recovery = outcome.minimum(cash, face)
        for guarantee in ledger.guarantees:
            recovery = recovery + guarantee.cover(ledger, face, cash, default)
        ledger.end[self.lender] = ledger.end[self.lender] + recovery
        if ledger.interest_share != 0:
            subsidy = ledger.interest_share * loan * rate
            ledger.end[self.lender] = ledger.end[self.lender] + subsidy
            ledger.end["manufacturer"] = ledger.end["manufacturer"] - subsidy
        ledger.retailer_cash = outcome.positive(cash - face)
        ledger.info["default"] = default
        ledger.info["loan"] = loan


def settle(clauses, outcome, values: Mapping[str, Any]) -> dict:
    """Realised cash flows of one outcome: party -> end-of-period profit.

    Demand is the base demand transformed by every clause in turn
    (:meth:`Clause.transform_demand`).  Also returns the reported events
    (``sales``, ``leftover``, ``default``, ``loan``, ``guarantee``) under their names.
    """
    demand = outcome.x
    for clause in clauses:
        demand = clause.transform_demand(demand, values)
    sales = outcome.minimum(demand, values["q"])
    leftover = values["q"] - sales
    ledger = Ledger(
        outcome=outcome,
        values=values,
        demand=demand,
        sales=sales,
        leftover=leftover,
        retailer_cash=values["p"] * sales + values["v"] * leftover,
    )
    for clause in clauses:
        clause.operate(ledger)
    for clause in clauses:
        clause.finance(ledger)
    out = ledger.profits()
    out["sales"] = sales
    out["leftover"] = leftover
    for name in ("default", "loan", "guarantee"):
        if name in ledger.info:
            out[name] = ledger.info[name]
    return out


def evolve(clause: Clause, **changes) -> Clause:
    """A copy of ``clause`` with fields changed (clauses are frozen)."""
    return replace(clause, **changes)
