"""The model catalogue (MODELS.md section 6): each model is a list of clauses.

A new contract is a new entry here, a few lines of clauses; the engine, the
verification and the reports do not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from types import MappingProxyType
from typing import Mapping

from scfin.spec import clauses as C
from scfin.spec.notation import Bound

#: Built-in defaults of MODELS.md section 8.
DEFAULTS: Mapping[str, Fraction] = MappingProxyType(
    {
        "p": Fraction(10),
        "c": Fraction(4),
        "v": Fraction(0),
        "b": Fraction(3),
        "lam": Fraction(1),
        "kappa": Fraction(1),
        "phi": Fraction(0),
        "u": Fraction(0),
        "T": Fraction(0),
        "psi": Fraction(1),
        "eta": Fraction(0),
        "rf": Fraction(0),
        "r": Fraction(1, 10),
    }
)

#: Shadow guesses for decisions (only used to order breakpoints at first).
DECISION_GUESS: Mapping[str, float] = MappingProxyType({"w": 7.0, "q": 40.0, "e": 3.0, "r": 0.1})


@dataclass(frozen=True)
class Model:
    """A contract model: clauses, who decides what, and defaults.

    ``fixed`` holds identities that define the model (``w = c`` for the
    integrated firm).  ``leader`` lists the manufacturer's decisions.
    """

    id: str
    title: str
    clauses: tuple[C.Clause, ...]
    leader: tuple[str, ...] = ("w",)
    fixed: Mapping[str, str] = field(default_factory=dict)
    defaults: Mapping[str, Fraction] = field(default_factory=dict)
    summary: str = ""
    reference: str = ""
    #: overrides of the registry's admissible ranges, name -> (lower, upper)
    #: (revenue sharing prices below cost: Cachon & Lariviere 2005)
    bounds: Mapping[str, tuple] = field(default_factory=dict)

    # -- derived facts -----------------------------------------------------
    @property
    def effort(self) -> bool:
        return any(isinstance(c, C.Effort) for c in self.clauses)

    @property
    def loan(self) -> C.BankLoan | None:
        return next((c for c in self.clauses if isinstance(c, C.BankLoan)), None)

    @property
    def rate(self) -> str | None:
        return self.loan.rate if self.loan else None

    @property
    def random_execution(self) -> bool:
        return any(c.random_execution for c in self.clauses)

    @property
    def follower(self) -> tuple[str, ...]:
        out = ["q"]
        for c in self.clauses:
            out.extend(c.retailer_decisions)
        return tuple(out)

    @property
    def decisions(self) -> tuple[str, ...]:
        out = list(self.follower) + [d for d in self.leader if d not in self.fixed]
        if self.rate in ("exogenous", "bank-leader", "competitive"):
            out.append("r")
        return tuple(out)

    @property
    def parties(self) -> tuple[str, ...]:
        return ("retailer", "manufacturer", "bank") if self.loan else ("retailer", "manufacturer")

    @property
    def parameters(self) -> tuple[str, ...]:
        """Every parameter the model reads, in registry order."""
        from scfin.spec.notation import PARAMETER_ORDER

        names = {"p", "c", "v", "rf"}
        for c in self.clauses:
            names.update(c.parameters)
        names -= set(self.follower)
        names -= set(self.fixed)
        names.discard("w")
        if self.rate != "exogenous":
            names.discard("r")
        if not self.random_execution:
            names.discard("lam")
        return tuple(n for n in PARAMETER_ORDER if n in names)

    def key(self) -> str:
        """Deterministic text form of the model (cache keys, reports)."""
        parts = [c.key() for c in self.clauses]
        fixed = ",".join(f"{k}={v}" for k, v in sorted(self.fixed.items()))
        return f"{self.id}[{';'.join(parts)}|leader={','.join(self.leader)}|fixed={fixed}]"

    def with_options(self, rate: str | None = None, share: str | None = None) -> "Model":
        """The model under another rate regime or cost-sharing variant."""
        clauses = list(self.clauses)
        if rate is not None:
            if self.loan is None:
                raise ValueError(f"model {self.id!r} has no bank loan: 'rate' does not apply")
            if rate not in C.RATE_REGIMES:
                raise ValueError(f"unknown rate regime {rate!r}: choose one of {', '.join(C.RATE_REGIMES)}")
            clauses = [C.BankLoan(rate) if isinstance(c, C.BankLoan) else c for c in clauses]
        if share is not None:
            has_sharing = any(isinstance(c, (C.EffortCostSharing, C.InterestCostSharing)) for c in clauses)
            if not has_sharing:
                raise ValueError(f"model {self.id!r} has no cost sharing: 'share' does not apply")
            if share not in ("effort", "interest"):
                raise ValueError(f"unknown cost-sharing variant {share!r}: choose effort or interest")
            new = C.EffortCostSharing() if share == "effort" else C.InterestCostSharing()
            clauses = [new if isinstance(c, (C.EffortCostSharing, C.InterestCostSharing)) else c for c in clauses]
        return replace(self, clauses=tuple(clauses))

    def __str__(self) -> str:
        return self.key()


def _m(id, title, clauses, summary, reference="", **kw) -> Model:
    return Model(id=id, title=title, clauses=tuple(clauses), summary=summary, reference=reference, **kw)


_SUPPLY = C.Supply()
_LOAN = C.BankLoan("competitive")
_EFFORT = C.Effort()

CATALOGUE: Mapping[str, Model] = MappingProxyType(
    {
        m.id: m
        for m in (
            _m("integrated", "Integrated newsvendor", [_SUPPLY], "one well-funded firm (w = c): the first-best benchmark",
               "Arrow, Harris & Marschak (1951); Cachon (2003) eq. (1)", leader=(), fixed={"w": "c"}),
            _m("integrated-effort", "Integrated newsvendor with sales effort", [_SUPPLY, _EFFORT],
               "one firm choosing stock and additive effort: benchmark of the effort models",
               "Krishnan, Kapuscinski & Butz (2004)", leader=(), fixed={"w": "c"}),
            _m("wholesale", "Wholesale-price contract", [_SUPPLY], "M sets w, R orders: double marginalisation",
               "Lariviere & Porteus (2001)"),
            _m("buyback", "Buyback contract", [_SUPPLY, C.Repurchase()], "M buys leftovers back at b (b given)",
               "Pasternack (1985)"),
            _m("revenue-sharing", "Revenue-sharing contract", [_SUPPLY, C.RevenueSharing()],
               "R keeps a share psi of revenue (psi given)", "Cachon & Lariviere (2005)",
               bounds={"w": (Bound(0, True), Bound("p", True))}),
            _m("sales-rebate", "Sales-rebate contract", [_SUPPLY, C.SalesIncentive()],
               "M pays u per unit sold above T (u, T given)", "Taylor (2002)"),
            _m("bank-loan", "Traditional bank financing", [_SUPPLY, _LOAN],
               "capital-constrained R borrows from a bank under limited liability", "Kouvelis & Zhao (2012)"),
            _m("repurchase", "Repurchase guarantee", [_SUPPLY, C.Repurchase(), _LOAN],
               "bank loan + M repurchases leftovers at b", "Yan et al.; Wang, Ma & Zhou (2016)"),
            _m("conditional-repurchase", "Conditional repurchase guarantee", [_SUPPLY, C.ConditionalRepurchase(), _LOAN],
               "bank loan + M repurchases in default, paying the bank", "Wang, Ma & Zhou (2016)"),
            _m("repurchase-cost-sharing", "Repurchase + cost sharing", [_SUPPLY, _EFFORT, C.Repurchase(), C.EffortCostSharing(), _LOAN],
               "bank loan + repurchase + M shares R's effort cost", "Krishnan, Kapuscinski & Butz (2004)"),
            _m("repurchase-sales-incentive", "Repurchase + sales incentive", [_SUPPLY, _EFFORT, C.Repurchase(), C.SalesIncentive(), _LOAN],
               "bank loan + repurchase + target rebate, with effort", "Taylor (2002)"),
            _m("repurchase-combined", "Repurchase + cost sharing + sales incentive",
               [_SUPPLY, _EFFORT, C.Repurchase(), C.EffortCostSharing(), C.SalesIncentive(), _LOAN],
               "the thesis's combined contract", "thesis; Krishnan et al. (2004); Taylor (2002)"),
        )
    }
)


def get_model(model_id: str) -> Model:
    try:
        return CATALOGUE[model_id]
    except KeyError:
        raise KeyError(f"unknown model {model_id!r}: run 'scfin models' for the list") from None
