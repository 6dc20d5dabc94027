"""The :class:`Model` value and the catalogue (docs/specification.md section 6): each model is a list of clauses.

A new contract is a :class:`Model` of clauses, here or in a user's own file;
the engine, the verification and the reports do not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from types import MappingProxyType
from typing import Mapping

from scfin.spec import clauses as C
from scfin.spec.notation import REGISTRY, Bound, parameter_order, register

#: Built-in defaults of docs/specification.md section 8.
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


class ModelError(ValueError):
    """A model that cannot be derived; the message lists every fault found."""


def _sorted_mapping(mapping) -> Mapping:
    return MappingProxyType(dict(sorted(dict(mapping or {}).items())))


@dataclass(frozen=True)
class Model:
    """A contract model: clauses, who decides what, and defaults (docs/specification.md section 6).

    ``clauses`` are :class:`scfin.spec.clauses.Clause` values, settled in
    order.  ``leader`` lists the manufacturer's decisions (default: every
    decision a clause gives it, e.g. ``w`` from the supply clause, ``rs`` from
    trade credit); a decision given a number when solving is fixed.
    ``fixed`` holds identities that define the model (``w = c`` for the
    integrated firm).  ``defaults`` are the model's own worked numbers,
    ``bounds`` override the registry's admissible ranges (name -> (lower,
    upper) :class:`Bound` values), ``participation`` is the retailer's
    reservation profit: a number, or the name of a parameter (the leader's
    problem is solved subject to the retailer earning at least that).

    A model is validated when it is built: every fault is collected and
    reported at once (:class:`ModelError`).  Building it registers the
    symbols its clauses declare.
    """

    id: str
    title: str
    clauses: tuple[C.Clause, ...]
    leader: tuple[str, ...] | None = None
    fixed: Mapping[str, str] = field(default_factory=dict)
    defaults: Mapping[str, Fraction] = field(default_factory=dict)
    summary: str = ""
    reference: str = ""
    #: overrides of the registry's admissible ranges, name -> (lower, upper)
    #: (revenue sharing prices below cost: Cachon & Lariviere 2005)
    bounds: Mapping[str, tuple] = field(default_factory=dict)
    participation: Fraction | str = Fraction(0)

    def __post_init__(self):
        faults: list[str] = []
        if not isinstance(self.id, str) or not self.id:
            faults.append("id must be a non-empty string")
        clauses = tuple(self.clauses) if isinstance(self.clauses, (list, tuple)) else ()
        if not clauses:
            faults.append("clauses must be a non-empty list of Clause values")
        bad = [repr(c) for c in clauses if not isinstance(c, C.Clause)]
        if bad:
            faults.append(f"not a Clause: {', '.join(bad)}")
        clauses = tuple(c for c in clauses if isinstance(c, C.Clause))
        for clause in clauses:
            for info in clause.declares:
                try:
                    register(info)
                except ValueError as exc:
                    faults.append(str(exc))
        object.__setattr__(self, "clauses", clauses)
        if self.leader is None:
            object.__setattr__(self, "leader", tuple(dict.fromkeys(d for c in clauses for d in c.leader_decisions)))
        else:
            object.__setattr__(self, "leader", tuple(self.leader))
        object.__setattr__(self, "fixed", _sorted_mapping(self.fixed))
        try:
            object.__setattr__(self, "defaults", _sorted_mapping({k: Fraction(v) for k, v in dict(self.defaults).items()}))
        except (TypeError, ValueError):
            faults.append("defaults must map names to numbers")
        object.__setattr__(self, "bounds", _sorted_mapping(self.bounds))
        if not isinstance(self.participation, str):
            try:
                object.__setattr__(self, "participation", Fraction(self.participation))
            except (TypeError, ValueError):
                faults.append("participation must be a number or a parameter's name")
        faults += self._faults()
        if faults:
            raise ModelError(f"model {self.id!r}: " + "; ".join(faults))

    def _faults(self) -> list[str]:
        out = []
        financing = [c for c in self.clauses if c.financing]
        if len(financing) > 1:
            out.append("more than one financing clause: " + ", ".join(c.label for c in financing))
        known = set(REGISTRY)
        for c in self.clauses:
            unknown = [n for n in c.parameters + c.retailer_decisions + c.leader_decisions if n not in known]
            if unknown:
                out.append(f"clause {c.label or type(c).__name__!r} reads undeclared symbols {', '.join(unknown)} "
                           f"(declare them in the clause's 'declares')")
        offered = {d for c in self.clauses for d in c.leader_decisions}
        for d in self.leader:
            if d not in offered:
                out.append(f"leader decision {d!r} is given to the manufacturer by no clause")
        for name, target in self.fixed.items():
            if name not in known or target not in known:
                out.append(f"fixed identity {name} = {target} names an unknown symbol")
        for name in list(self.defaults) + list(self.bounds):
            if name not in known:
                out.append(f"{name!r} (in defaults or bounds) is not a declared symbol")
        if isinstance(self.participation, str) and self.participation not in known:
            out.append(f"participation {self.participation!r} is not a declared parameter")
        return out

    # -- derived facts -----------------------------------------------------
    @property
    def financing(self) -> C.Financing | None:
        """The financing clause (bank loan, trade credit), if any."""
        return next((c for c in self.clauses if c.financing), None)

    @property
    def loan(self) -> C.Financing | None:
        """The financing clause when a bank lends (the rate regimes apply to it)."""
        fin = self.financing
        return fin if fin is not None and fin.lender == "bank" else None

    @property
    def rate(self) -> str | None:
        return self.loan.regime if self.loan else None

    def benchmark(self) -> "Model | None":
        """The first-best benchmark: one well-funded firm (``w = c``) with the clauses that stay in it.

        ``None`` where the model is that firm already.  The catalogue's
        ``integrated`` and ``integrated-effort`` are this benchmark for the
        catalogue's models.
        """
        if not self.leader and self.fixed.get("w") == "c":
            return None
        kept = tuple(c for c in self.clauses if c.in_benchmark)
        for candidate in CATALOGUE.values():
            if candidate.fixed.get("w") == "c" and tuple(c.key() for c in candidate.clauses) == tuple(c.key() for c in kept):
                return candidate
        return Model(id=f"{self.id}-integrated", title=f"Integrated benchmark of {self.title}", clauses=kept, leader=(),
                     fixed={"w": "c"}, summary=_INTEGRATED_SUMMARY)

    @property
    def shares_rate_risk(self) -> bool:
        """Whether the loan rate moves money to or from anyone but R and the bank (undeclared: assumed so)."""
        return any(c.shares_rate_risk is not False for c in self.clauses)

    @property
    def kinks_follower(self) -> bool:
        """Whether the retailer's expected profit may be non-concave (a clause says so)."""
        return any(c.kinks_follower for c in self.clauses)

    def kinked(self, values) -> bool:
        """Whether at these numbers the retailer's response may switch regimes as the leader moves (any clause)."""
        return any(c.kinked(values) for c in self.clauses)

    def leader_bounds(self, name: str) -> tuple[tuple, tuple]:
        """Lower and upper bounds of leader decision ``name``: the clauses' (model ``bounds`` override the lower)."""
        lower: list = []
        upper: list = []
        for c in self.clauses:
            lo, hi = c.leader_bounds().get(name, ((), ()))
            lower += [x for x in lo if x not in lower]
            upper += [x for x in hi if x not in upper]
        if name in self.bounds:
            lower = [self.bounds[name][0].ref] + [x for x in lower if x not in ("c",)]
        return tuple(lower), tuple(upper)

    def decision_range(self, name: str, values):
        """Numeric search range of a retailer decision other than ``q``.

        Declared by its clause (:meth:`~scfin.spec.clauses.Clause.decision_range`),
        then widened by every clause that changes its cost to the retailer
        (:meth:`~scfin.spec.clauses.Clause.widen_range`).
        """
        for c in self.clauses:
            out = c.decision_range(name, values)
            if out is not None:
                break
        else:
            raise ValueError(f"no clause of model {self.id!r} gives a search range for {name!r}")
        for c in self.clauses:
            out = c.widen_range(name, out, values)
        return out

    def demand_at(self, base, values):
        """Realised demand at base demand ``base``: every clause's :meth:`~scfin.spec.clauses.Clause.transform_demand`."""
        demand = base
        for c in self.clauses:
            demand = c.transform_demand(demand, values)
        return demand

    def kinks(self, values) -> tuple:
        """Orders at which the retailer's profit kinks, from every clause (numbers or arrays, clause order)."""
        return tuple(k for c in self.clauses for k in c.kinks(values))

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
        names = {"p", "c", "v", "rf"}
        for c in self.clauses:
            names.update(c.parameters)
        names -= set(self.follower)
        names -= set(self.fixed)
        names -= set(self.leader)
        names.discard("w")
        if self.rate != "exogenous":
            names.discard("r")
        if not self.random_execution:
            names.discard("lam")
        if isinstance(self.participation, str):
            names.add(self.participation)
        return tuple(n for n in parameter_order() if n in names)

    def admissibility_faults(self, values) -> tuple[str, ...]:
        """Every clause's faults of these numbers (relations beyond each symbol's own range)."""
        return tuple(f for c in self.clauses for f in c.admissible(values))

    def options(self) -> dict[str, tuple[str, ...]]:
        """The options the model's clauses take (``rate``, ``share``), name -> admissible values."""
        out: dict[str, tuple[str, ...]] = {}
        for c in self.clauses:
            out.update(c.options())
        return out

    def key(self) -> str:
        """Deterministic text form of every field (cache keys): user clauses carry their source's digest."""
        parts = [c.key() for c in self.clauses]
        fixed = ",".join(f"{k}={v}" for k, v in self.fixed.items())
        defaults = ",".join(f"{k}={v}" for k, v in self.defaults.items())
        bounds = ",".join(f"{k}={v}" for k, v in self.bounds.items())
        return (f"{self.id}[{';'.join(parts)}|leader={','.join(self.leader)}|fixed={fixed}|defaults={defaults}"
                f"|bounds={bounds}|participation={self.participation}|title={self.title}]")

    def with_options(self, rate: str | None = None, share: str | None = None) -> "Model":
        """The model under another rate regime or cost-sharing variant (options its clauses declare)."""
        model = self
        for name, value in (("rate", rate), ("share", share)):
            if value is not None:
                model = model.with_option(name, value)
        return model

    def with_option(self, name: str, value: str) -> "Model":
        options = self.options()
        if name not in options:
            what = {"rate": "has no bank loan", "share": "has no cost sharing"}.get(name, f"takes no option {name!r}")
            raise ValueError(f"model {self.id!r} {what}: {name!r} does not apply")
        if value not in options[name]:
            label = {"rate": "rate regime", "share": "cost-sharing variant"}.get(name, name)
            raise ValueError(f"unknown {label} {value!r}: choose one of {', '.join(options[name])}")
        clauses = tuple(c.with_option(name, value) if name in c.options() else c for c in self.clauses)
        return replace(self, clauses=clauses)

    def __str__(self) -> str:
        return self.key()


#: what the first-best benchmark is, in the catalogue's ``integrated`` and a derived benchmark alike
_INTEGRATED_SUMMARY = "one well-funded firm that buys at cost: the first-best benchmark"


def _catalogue_model(id, title, clauses, summary, reference="", **kw) -> Model:
    return Model(id=id, title=title, clauses=tuple(clauses), summary=summary, reference=reference, **kw)


_SUPPLY = C.Supply()
_BANK_LOAN = C.BankLoan("competitive")
_EFFORT = C.Effort()

CATALOGUE: Mapping[str, Model] = MappingProxyType(
    {
        m.id: m
        for m in (
            _catalogue_model("integrated", "Integrated newsvendor", [_SUPPLY], _INTEGRATED_SUMMARY,
               "Arrow, Harris & Marschak (1951); Cachon (2003) eq. (1)", leader=(), fixed={"w": "c"}),
            _catalogue_model("integrated-effort", "Integrated newsvendor with sales effort", [_SUPPLY, _EFFORT],
               "one firm choosing stock and additive effort: benchmark of the effort models",
               "Krishnan, Kapuscinski & Butz (2004)", leader=(), fixed={"w": "c"}),
            _catalogue_model("wholesale", "Wholesale-price contract", [_SUPPLY], "M sets the wholesale price and R orders: double marginalisation",
               "Lariviere & Porteus (2001)"),
            _catalogue_model("buyback", "Buyback contract", [_SUPPLY, C.Repurchase()], "M buys leftovers back at a given price",
               "Pasternack (1985)"),
            _catalogue_model("revenue-sharing", "Revenue-sharing contract", [_SUPPLY, C.RevenueSharing()],
               "R keeps a given share of the sales revenue", "Cachon & Lariviere (2005)",
               bounds={"w": (Bound(0, True), Bound("p", True))}),
            _catalogue_model("sales-rebate", "Sales-rebate contract", [_SUPPLY, C.SalesIncentive()],
               "M pays a given rebate per unit sold above a given target", "Taylor (2002)"),
            _catalogue_model("bank-loan", "Traditional bank financing", [_SUPPLY, _BANK_LOAN],
               "capital-constrained R borrows from a bank under limited liability", "Kouvelis & Zhao (2012)"),
            _catalogue_model("repurchase", "Repurchase guarantee", [_SUPPLY, C.Repurchase(), _BANK_LOAN],
               "a bank loan, and M repurchases leftovers", "Yan et al.; Wang, Ma & Zhou (2016)"),
            _catalogue_model("conditional-repurchase", "Conditional repurchase guarantee", [_SUPPLY, C.ConditionalRepurchase(), _BANK_LOAN],
               "a bank loan, and M repurchases in default, paying the bank", "Wang, Ma & Zhou (2016)"),
            _catalogue_model("repurchase-cost-sharing", "Repurchase + cost sharing", [_SUPPLY, _EFFORT, C.Repurchase(), C.EffortCostSharing(), _BANK_LOAN],
               "a bank loan and repurchase, and M shares R's effort cost", "Krishnan, Kapuscinski & Butz (2004)"),
            _catalogue_model("repurchase-sales-incentive", "Repurchase + sales incentive", [_SUPPLY, _EFFORT, C.Repurchase(), C.SalesIncentive(), _BANK_LOAN],
               "a bank loan and repurchase, with a target rebate and effort", "Taylor (2002)"),
            _catalogue_model("repurchase-combined", "Repurchase + cost sharing + sales incentive",
               [_SUPPLY, _EFFORT, C.Repurchase(), C.EffortCostSharing(), C.SalesIncentive(), _BANK_LOAN],
               "the thesis's combined contract", "thesis; Krishnan et al. (2004); Taylor (2002)"),
        )
    }
)


def get_model(model_id: str) -> Model:
    try:
        return CATALOGUE[model_id]
    except KeyError:
        raise KeyError(f"unknown model {model_id!r}: run 'scfin models' for the list") from None
