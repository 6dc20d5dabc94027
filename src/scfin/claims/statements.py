"""Statements about any model, proved or refuted: a public API for a researcher's own tests.

A *statement* is a frozen value naming a model (a catalogue id, a user's
:class:`~scfin.spec.models.Model`, ``PATH.py:NAME``) and what is claimed about
its equilibrium:

- :class:`Sign` -- the sign of ``d quantity / d parameter`` on a region
  (comparative statics);
- :class:`Identity` -- ``lhs == rhs`` identically, each side an expression or a
  :class:`Quantity` (an equilibrium quantity in closed form);
- :class:`Inequality` -- ``lhs < rhs`` (or ``<=``, ``>``, ``>=``) on the whole region, sides as for
  :class:`Identity` (M's equilibrium profit below zero);
- :class:`Compare` -- a quantity of one model (or regime) against another's at
  their equilibria (``q`` with the guarantee ``>=`` ``q`` without);
- :class:`Coordinates` -- the equilibrium decisions equal the integrated optimum;
- :class:`ParetoImprovement` -- every party earns at least its benchmark profit,
  with the exact zone of a parameter where it does.

:func:`prove` returns an immutable :class:`Proposition`: ``status`` (``proved``,
``refuted``, ``subregion`` -- holds exactly on a stated subregion -- or
``open``), the assumptions as SymPy relations, the proof as :class:`ProofStep`
values (text, the key expression, the argument that decides its sign), a
counterexample as exact numbers confirmed by the numeric layer, and the method.
``assert prove(Sign(...)).proved`` is meant for a researcher's test file.

**The region** of a statement is built automatically (:func:`region_of`): every
free symbol of the key expression gets its admissible range from the notation
registry (``0 < c < p``, ``0 <= v < c``, ``v <= b < w``; a model's ``bounds``
override it; a bound that names a decision the manufacturer optimises becomes a
bound on its closed form, ``b < w*``), every regime condition of the
equilibrium is added (the closed form is the equilibrium only there), and the
user's ``assumptions`` (SymPy relations) are added last.  Symbols given numbers
are substituted.  A symbol with no range anywhere makes the statement ``open``.

**The decision**: first the coefficient test on positive slack variables
(:mod:`scfin.claims.proof`, on the parameter bounds: a superset of the region,
so a proof there is a proof), then the complete decision
(:func:`scfin.claims.decide.decide_sign`: real-root isolation, QEPCAD B) on the
parameter bounds, and where that finds a counterexample, on the full region
with the regime conditions (a regime condition with a square root cannot be
given to QEPCAD B; it is checked exactly at every counterexample instead).
A counterexample is checked by exact substitution, then by the numeric layer:
:func:`scfin.solve` at those numbers (the closed form's value is compared) and
a central finite difference of the solved quantity.

**Open** means undecided, never guessed: no closed form (numeric equilibrium
only; a finite-difference sign at the worked numbers is attached, labelled as
not a proof), the time budget ran out (every symbolic call is bounded), an
expression too large for the complete decision, or a counterexample outside
the regime of the closed form.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Mapping, Sequence

import sympy as sp

from scfin.claims.decide import Verdict, check_counterexample, decide_sign, exact_sign
from scfin.derive.algebra import SquareRoots, cancel, factor, is_rational
from scfin.derive.engine import DerivationTimeout, time_budget
from scfin.spec.models import Model
from scfin.spec.notation import REGISTRY, sym

PROVED, REFUTED, SUBREGION, OPEN = "proved", "refuted", "subregion", "open"
STATUSES = (PROVED, REFUTED, SUBREGION, OPEN)

#: wants and their aliases
_WANT = {"positive": "positive", "+": "positive", ">0": "positive", "> 0": "positive", "increasing": "positive",
         "negative": "negative", "-": "negative", "<0": "negative", "< 0": "negative", "decreasing": "negative",
         "nonnegative": "nonnegative", ">=0": "nonnegative", ">= 0": "nonnegative",
         "nonpositive": "nonpositive", "<=0": "nonpositive", "<= 0": "nonpositive",
         "zero": "zero", "0": "zero", "=0": "zero", "constant": "zero"}
_RELATION = {">=": "nonnegative", ">": "positive", "<=": "nonpositive", "<": "negative", "==": "zero", "=": "zero"}
_WANT_TEXT = {"positive": "> 0", "negative": "< 0", "nonnegative": ">= 0", "nonpositive": "<= 0", "zero": "= 0"}

#: seconds for one statement unless told otherwise
DEFAULT_BUDGET = 30.0
#: seconds for the numeric layer's confirmation of a counterexample (apart from the decision's budget)
CONFIRM_BUDGET = 60.0
#: operations above which an expression is not given to the complete decision
MAX_OPS = 4000
#: the quantities of an equilibrium a statement may name, besides decisions and profits
METRICS = ("interest_rate", "default_probability", "loan", "expected_sales", "efficiency", "trade_credit_rate")


def _frozen(mapping) -> Mapping:
    return MappingProxyType(dict(mapping or {}))


def _exact(value):
    """A given value: an exact number (int, Fraction, text such as ``'10/3'``) or a SymPy expression."""
    if isinstance(value, sp.Basic):
        return value if value.free_symbols else sp.nsimplify(value, rational=True)
    if isinstance(value, str):
        from scfin.spec.parsing import parse_number

        value = parse_number(value)
    if isinstance(value, float):
        value = Fraction(value).limit_denominator(10 ** 12)
    f = Fraction(value)
    return sp.Rational(f.numerator, f.denominator)


def _want(text: str) -> str:
    try:
        return _WANT[str(text).strip().lower()]
    except KeyError:
        raise ValueError(f"unknown sign {text!r}: choose positive, negative, nonnegative, nonpositive or zero") from None


def _rels(items) -> tuple:
    out = []
    for r in items or ():
        if isinstance(r, str):
            raise ValueError(f"assumption {r!r}: give a SymPy relation such as sym('v') < sym('b') (text is never parsed)")
        if r is sp.true or r is True:
            continue
        if r is sp.false or r is False:
            raise ValueError("an assumption is false")
        if not isinstance(r, sp.core.relational.Relational):
            raise ValueError(f"assumption {r!r} is not a relation")
        out.append(r)
    return tuple(out)


# ---------------------------------------------------------------------------
# statements
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Game:
    """The equilibrium a statement speaks about: model, numbers, and decisions held symbolic.

    ``given``: name -> exact number, or a SymPy expression (``w = (1 - rho) p +
    rho c``: the term is substituted after deriving, its symbols need ranges in
    ``assumptions``).  ``fixed``: decisions kept as symbols and not optimised
    (``fixed=("w",)``: the retailer's response at a given wholesale price).
    ``rate``/``share``: the model's options.
    """

    model: Any
    given: Mapping = field(default_factory=dict)
    fixed: tuple[str, ...] = ()
    rate: str | None = None
    share: str | None = None
    demand: str = "uniform"

    def __post_init__(self):
        object.__setattr__(self, "given", _frozen({k: _exact(v) for k, v in dict(self.given or {}).items()}))
        object.__setattr__(self, "fixed", tuple(self.fixed))


@dataclass(frozen=True)
class Quantity:
    """An equilibrium quantity (``q``, ``w``, ``retailer``, ``interest_rate``, ...) of a :class:`Game`, in closed form."""

    game: Game
    name: str

    @classmethod
    def of(cls, model, name: str, given=None, fixed=(), rate=None, share=None, demand="uniform") -> "Quantity":
        return cls(Game(model, given or {}, tuple(fixed), rate, share, demand), name)


@dataclass(frozen=True)
class Sign:
    """``d quantity / d parameter`` has the sign ``want`` on the region (comparative statics)."""

    model: Any
    quantity: str
    parameter: str
    want: str = "positive"
    given: Mapping = field(default_factory=dict)
    assumptions: tuple = ()
    fixed: tuple[str, ...] = ()
    rate: str | None = None
    share: str | None = None
    demand: str = "uniform"

    def __post_init__(self):
        object.__setattr__(self, "want", _want(self.want))
        object.__setattr__(self, "given", _frozen({k: _exact(v) for k, v in dict(self.given or {}).items()}))
        object.__setattr__(self, "assumptions", _rels(self.assumptions))
        object.__setattr__(self, "fixed", tuple(self.fixed))

    @property
    def game(self) -> Game:
        return Game(self.model, self.given, self.fixed, self.rate, self.share, self.demand)

    def text(self) -> str:
        return f"d{self.quantity}*/d{self.parameter} {_WANT_TEXT[self.want]} ({_model_id(self.model)})"


@dataclass(frozen=True)
class Identity:
    """``lhs == rhs`` identically on the region; each side an expression or a :class:`Quantity`."""

    lhs: Any
    rhs: Any
    assumptions: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "assumptions", _rels(self.assumptions))

    def text(self) -> str:
        return f"{_side_text(self.lhs)} = {_side_text(self.rhs)}"


@dataclass(frozen=True)
class Inequality:
    """``lhs relation rhs`` on the whole region (``relation``: >=, >, <=, <); sides as for :class:`Identity`."""

    lhs: Any
    relation: str
    rhs: Any
    assumptions: tuple = ()

    def __post_init__(self):
        if self.relation not in _RELATION or _RELATION[self.relation] == "zero":
            raise ValueError(f"relation {self.relation!r}: choose one of >=, >, <=, < (an equality is an Identity)")
        object.__setattr__(self, "assumptions", _rels(self.assumptions))

    def text(self) -> str:
        return f"{_side_text(self.lhs)} {self.relation} {_side_text(self.rhs)}"


@dataclass(frozen=True)
class Compare:
    """``quantity`` of ``model_a`` ``relation`` that of ``model_b`` at their equilibria (``relation``: >=, >, <=, <, ==)."""

    model_a: Any
    model_b: Any
    quantity: str
    relation: str = ">="
    given: Mapping = field(default_factory=dict)
    assumptions: tuple = ()
    quantity_b: str | None = None
    fixed: tuple[str, ...] = ()

    def __post_init__(self):
        if self.relation not in _RELATION:
            raise ValueError(f"relation {self.relation!r}: choose one of {', '.join(_RELATION)}")
        object.__setattr__(self, "given", _frozen({k: _exact(v) for k, v in dict(self.given or {}).items()}))
        object.__setattr__(self, "assumptions", _rels(self.assumptions))
        object.__setattr__(self, "fixed", tuple(self.fixed))

    def games(self) -> tuple[Game, Game]:
        return (_game_of(self.model_a, self.given, self.fixed), _game_of(self.model_b, self.given, self.fixed))

    def text(self) -> str:
        qb = self.quantity_b or self.quantity
        return f"{self.quantity}* ({_model_id(self.model_a)}) {self.relation} {qb}* ({_model_id(self.model_b)})"


@dataclass(frozen=True)
class Coordinates:
    """The equilibrium's retailer decisions (``q``, and ``e`` in effort models) equal the integrated optimum."""

    model: Any
    given: Mapping = field(default_factory=dict)
    assumptions: tuple = ()
    fixed: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "given", _frozen({k: _exact(v) for k, v in dict(self.given or {}).items()}))
        object.__setattr__(self, "assumptions", _rels(self.assumptions))
        object.__setattr__(self, "fixed", tuple(self.fixed))

    def text(self) -> str:
        return f"{_model_id(self.model)} coordinates the chain (its decisions equal the integrated optimum)"


@dataclass(frozen=True)
class ParetoImprovement:
    """Every party of ``model`` earns at least its profit under ``benchmark``; the zone of ``over`` where it does.

    ``over`` is the one parameter (or decision held fixed) left symbolic; the
    zone is exact (real-root isolation: ``CRootOf`` endpoints where irrational).
    """

    model: Any
    benchmark: Any
    over: str
    given: Mapping = field(default_factory=dict)
    assumptions: tuple = ()
    fixed: tuple[str, ...] = ()
    parties: tuple[str, ...] | None = None

    def __post_init__(self):
        object.__setattr__(self, "given", _frozen({k: _exact(v) for k, v in dict(self.given or {}).items()}))
        object.__setattr__(self, "assumptions", _rels(self.assumptions))
        object.__setattr__(self, "fixed", tuple(self.fixed))

    def text(self) -> str:
        return (f"{_model_id(self.model)} is a Pareto improvement over {_model_id(self.benchmark)} "
                f"(zone in {self.over})")


def _game_of(model, given, fixed) -> Game:
    if isinstance(model, Game):
        return model
    return Game(model, given, fixed)


def _model_id(model) -> str:
    if isinstance(model, Game):
        model = model.model
    return model.id if isinstance(model, Model) else str(model)


def _side_text(side) -> str:
    if isinstance(side, Quantity):
        return f"{side.name}* ({_model_id(side.game.model)})"
    return sp.sstr(side)


# ---------------------------------------------------------------------------
# the proposition
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ProofStep:
    """One step: what it shows, the key expression, and the argument that decides it."""

    text: str
    expr: sp.Basic | None = None
    argument: str = ""


@dataclass(frozen=True)
class Witness:
    """A counterexample: exact numbers, what is observed there, and the numeric layer's confirmation."""

    values: tuple[tuple[str, sp.Expr], ...]
    observed: tuple[tuple[str, sp.Expr], ...] = ()
    exact: bool = False  # checked by exact substitution (region and sign)
    confirmed: bool | None = None  # the numeric layer agrees (None: not run)
    numeric: str = ""  # what the numeric layer did and saw

    @property
    def point(self) -> dict:
        return dict(self.values)

    def text(self) -> str:
        out = ", ".join(f"{k} = {v}" for k, v in self.values)
        if self.observed:
            out += "; " + ", ".join(f"{k} = {v}" for k, v in self.observed)
        return out


@dataclass(frozen=True)
class Proposition(Verdict):
    """What :func:`prove` established about a statement (immutable)."""

    statement: Any
    text: str
    status: str
    method: str
    assumptions: tuple[sp.Basic, ...] = ()
    steps: tuple[ProofStep, ...] = ()
    counterexample: Witness | None = None
    #: where the statement holds, exactly (status ``subregion``), as a SymPy boolean or set
    region: sp.Basic | None = None
    region_text: str = ""
    reason: str = ""
    #: a finite-difference sign at numbers, where the decision is open: labelled, never a proof
    numeric_hint: str = ""
    seconds: float = 0.0

    @property
    def open(self) -> bool:
        return self.status == OPEN

    def __bool__(self) -> bool:  # ``assert prove(...)`` reads as ``assert prove(...).proved``
        return self.proved

    def describe(self) -> str:
        lines = [f"{self.text}: {self.status} ({self.method})"]
        if self.assumptions:
            lines.append("  on " + ", ".join(sp.sstr(a) for a in self.assumptions))
        for st in self.steps:
            lines.append(f"  - {st.text}" + (f": {sp.sstr(st.expr)}" if st.expr is not None else "")
                         + (f" [{st.argument}]" if st.argument else ""))
        if self.region_text:
            lines.append(f"  holds exactly where {self.region_text}")
        if self.counterexample is not None:
            lines.append(f"  counterexample: {self.counterexample.text()}")
            if self.counterexample.numeric:
                lines.append(f"  numeric layer: {self.counterexample.numeric}")
        if self.reason:
            lines.append(f"  reason: {self.reason}")
        if self.numeric_hint:
            lines.append(f"  {self.numeric_hint}")
        return "\n".join(lines)


# ---------------------------------------------------------------------------
# equilibria in closed form
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Solved:
    """A game's equilibrium as closed forms, with what the region needs."""

    model: Model
    game: Game
    numbers: Mapping[str, sp.Expr]  # parameters given numbers (and the neutral ones filled)
    quantities: Mapping[str, sp.Expr]
    regime: tuple[sp.Basic, ...]
    closed_form: bool
    reason: str = ""
    equilibrium: Any = None


def _build(game: Game) -> Model:
    from scfin.solver import build_model

    return build_model(game.model, game.rate, game.share)


def solve_game(game: Game, budget_s: float | None = None) -> Solved:
    """The game's equilibrium in closed form (``scfin.solve``, or the engine with ``fixed`` decisions symbolic)."""
    from scfin.solver import InputError, solve

    model = _build(game)
    numbers = {k: v for k, v in game.given.items() if not v.free_symbols}
    exprs = {k: v for k, v in game.given.items() if v.free_symbols}
    decisions = set(model.follower) | set(model.leader) | {"r"} if model.rate == "bank-leader" else \
        set(model.follower) | set(model.leader)
    held = tuple(dict.fromkeys(tuple(game.fixed) + tuple(k for k in exprs if k in decisions)))
    # every parameter not given a number stays symbolic (no neutral values are filled in)
    from scfin.spec.demand import get_demand

    names = tuple(model.parameters) + tuple(get_demand(game.demand).parameters)
    symbolic = tuple(dict.fromkeys(tuple(k for k in exprs if k not in decisions)
                                   + tuple(n for n in names if n not in numbers)))
    vals = {k: Fraction(int(v.p), int(v.q)) for k, v in numbers.items()}
    try:
        if held:
            eq = _solve_held(model, game, vals, held, symbolic, budget_s)
        else:
            eq = solve(model, vals, demand=game.demand, symbolic=symbolic)
    except InputError as exc:
        raise ValueError(str(exc)) from None
    except DerivationTimeout as exc:
        return Solved(model, game, MappingProxyType({}), MappingProxyType({}), (), False,
                      f"no closed form within the time budget ({exc})")
    subs = {sym(k): v for k, v in exprs.items()}
    quantities = {}
    for group in (eq.decisions, eq.profits, eq.metrics):
        for k, v in group.items():
            if v is None:
                continue
            quantities[k] = sp.sympify(v).xreplace(subs) if subs else sp.sympify(v)
    for name in held:
        quantities.setdefault(name, sym(name).xreplace(subs))
    regime = tuple(c.condition.xreplace(subs) if subs else c.condition for c in eq.regime if c.holds is not True)
    closed = bool(eq.closed_form) and not eq.numeric
    reason = "" if closed else ("numeric equilibrium only: " + "; ".join(eq.notes) if eq.notes
                                else "numeric equilibrium only (no closed form)")
    nums = {k: v for k, v in eq.parameters.items()}
    return Solved(model, game, MappingProxyType(nums), MappingProxyType(quantities), regime, closed, reason, eq)


def _solve_held(model: Model, game: Game, vals, held, symbolic, budget_s):
    """The equilibrium with the decisions ``held`` kept as symbols (not optimised): the engine directly."""
    from scfin import solver as S
    from scfin.derive.cached import derive_cached
    from scfin.derive.engine import base_shadow
    from scfin.spec.demand import get_demand

    dem = get_demand(game.demand)
    optimised = tuple(d for d in model.follower + tuple(x for x in model.leader if x not in model.fixed)
                      if d not in vals and d not in held)
    shadow = base_shadow(model, dem, vals)
    known = {k: sp.Rational(v.numerator, v.denominator) for k, v in sorted(vals.items())}
    D = derive_cached(model, dem, optimised, shadow, known, budget=budget_s or S.TIME_BUDGET)
    if not D.closed_form:
        return S._implicit_equilibrium(model, dem, vals, D, [])
    # the same assembly as solve's closed equilibria (decisions, profits, metrics, regime), held decisions symbolic
    return S._closed_equilibrium(model, dem, vals, D, False, [])


# ---------------------------------------------------------------------------
# the region
# ---------------------------------------------------------------------------

def _rel(lhs, op: str, rhs):
    cls = {"<": sp.StrictLessThan, "<=": sp.LessThan, ">": sp.StrictGreaterThan, ">=": sp.GreaterThan}[op]
    return cls(lhs, rhs, evaluate=False)


def _plain_symbol(s: sp.Symbol) -> sp.Symbol:
    return sp.Symbol(s.name)


def _bounds_of(name: str, model: Model | None):
    info = REGISTRY.get(name)
    if model is not None and name in model.bounds:
        return model.bounds[name]
    if info is None:
        return None
    return info.lower, info.upper


def region_of(symbols, solved: Sequence[Solved] = (), assumptions: Sequence = (),
              regime: bool = True) -> tuple[list, list, list[str]]:
    """The region on which a statement in ``symbols`` is claimed: ``(bounds, regime, unbounded)``.

    ``bounds``: the admissible range of every free symbol (registry, model
    ``bounds``), a bound naming an optimised decision written in its closed
    form, a bound naming a given parameter written with its number; then the
    ``assumptions``.  ``regime``: the equilibria's regime conditions.
    ``unbounded``: symbols with no range (the statement is then open).
    Relations are unevaluated and in plain symbols (``c > 0`` stays a relation).
    """
    models = [s.model for s in solved]
    numbers: dict[str, sp.Expr] = {}
    closed: dict[str, sp.Expr] = {}
    for s in solved:
        numbers.update(s.numbers)
        for k, v in s.quantities.items():
            if (k in s.model.leader or k in s.model.follower) and k in REGISTRY and sp.sympify(v) != sym(k):
                closed.setdefault(k, v)
    rels: list = []
    regime_rels: list = []
    assumed = [r for r in assumptions]
    pending = {s for s in symbols}
    for r in assumed:
        pending |= r.free_symbols
    if regime:
        for s in solved:
            for c in s.regime:
                regime_rels.append(c)
                pending |= c.free_symbols
    done: set[str] = set()
    unbounded: list[str] = []
    plain = lambda e: sp.sympify(e).xreplace({x: _plain_symbol(x) for x in sp.sympify(e).free_symbols})  # noqa: E731
    order = {n: i for i, n in enumerate(REGISTRY)}
    while pending:
        s = min(pending, key=lambda x: (order.get(x.name, len(order)), x.name))
        pending.discard(s)
        if s.name in done:
            continue
        done.add(s.name)
        bounds = None
        for m in models or [None]:
            bounds = _bounds_of(s.name, m)
            if bounds is not None:
                break
        if bounds is None or bounds == (None, None):
            if not any(s in r.free_symbols or _plain_symbol(s) in r.free_symbols for r in assumed):
                unbounded.append(s.name)
            continue
        for bound, op in ((bounds[0], ">"), (bounds[1], "<")):
            if bound is None:
                continue
            ref = bound.ref
            if isinstance(ref, str):
                if ref in numbers:
                    rhs = numbers[ref]
                elif ref in closed and sp.sympify(closed[ref]) != sym(ref):
                    rhs = closed[ref]
                else:
                    rhs = sym(ref) if ref in REGISTRY else sp.Symbol(ref)
                    pending.add(rhs)
            else:
                rhs = sp.Rational(Fraction(ref).numerator, Fraction(ref).denominator)
            rel = _rel(plain(s), op if bound.strict else op + "=", plain(rhs))
            rels.append(rel)
    rels += [plain(r) for r in assumed]
    return rels, [plain(r) for r in regime_rels], sorted(unbounded)


def _truth(rel) -> bool | None:
    """A relation without symbols as True/False; None when it has symbols."""
    if rel is sp.true or rel is True:
        return True
    if rel is sp.false or rel is False:
        return False
    if rel.free_symbols:
        return None
    s = exact_sign(sp.sympify(rel.lhs - rel.rhs))
    if s is None:
        return None
    return {sp.StrictGreaterThan: s > 0, sp.GreaterThan: s >= 0, sp.StrictLessThan: s < 0,
            sp.LessThan: s <= 0}.get(type(rel))


def _clean(rels) -> tuple[list, bool]:
    """Relations without the constant ones; ``False`` second when one is false (empty region)."""
    out, seen = [], set()
    for r in rels:
        t = _truth(r)
        if t is True:
            continue
        if t is False:
            return out, False
        key = sp.srepr(r)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out, True


def _polynomial(rel):
    """``lhs op rhs`` as ``n*d op 0`` where ``lhs - rhs = n/d`` has a symbolic denominator (same sign where
    ``d != 0``): no division by zero when a point is tried."""
    if _has_radical(rel):
        return rel
    g = sp.together(rel.lhs - rel.rhs)
    n, d = sp.fraction(sp.cancel(g))
    if not d.free_symbols:
        return rel
    op = {sp.StrictGreaterThan: ">", sp.GreaterThan: ">=", sp.StrictLessThan: "<", sp.LessThan: "<="}.get(type(rel))
    if op is None:
        return rel
    return _rel(sp.expand(n * d), op, sp.Integer(0))


def _safe_decide(expr, rels, want, budget, **kw):
    """:func:`decide_sign` on relations without symbolic denominators; a failure inside it is an open decision."""
    from scfin.claims.decide import Decision

    try:
        return decide_sign(expr, [_polynomial(r) for r in rels], want, budget, **kw)
    except (TypeError, ValueError, ZeroDivisionError) as exc:
        return Decision(status="open", method="none", want=want, reason=f"the decision failed: {type(exc).__name__}: {exc}")


def _has_radical(expr) -> bool:
    return any(a.exp.is_Rational and not a.exp.is_Integer for a in sp.sympify(expr).atoms(sp.Pow))


# ---------------------------------------------------------------------------
# sign decisions
# ---------------------------------------------------------------------------

class _Clock:
    """A statement's time budget, shared by its steps (never nested SIGALRM timers)."""

    def __init__(self, budget_s: float):
        self.budget = float(budget_s)
        self.start = time.monotonic()

    def left(self) -> float:
        return self.budget - (time.monotonic() - self.start)

    def seconds(self) -> float:
        return round(time.monotonic() - self.start, 3)


def _bounded(clock: _Clock, fn, *args):
    """``fn(*args)`` under the statement's remaining budget (raises DerivationTimeout)."""
    left = clock.left()
    if left <= 0.05:
        raise DerivationTimeout("time budget exhausted")
    with time_budget(left):
        return fn(*args)


def _simplified(expr):
    expr = sp.sympify(expr)
    if is_rational(expr):
        return factor(cancel(expr))
    return expr


def _chain_substitution(rels) -> tuple[dict, list] | None:
    """Positive slacks for the bounds (every bound strict: the open region), or None where not a chain.

    Each symbol with one greatest lower bound (a number or a symbol) becomes
    ``lower + s``; a symbol with numeric bounds on both sides ``lo + (hi - lo)
    s/(1 + s)``.  Returns the substitution and the weak bounds (for the faces).
    """
    lower: dict[sp.Symbol, list] = {}
    upper: dict[sp.Symbol, list] = {}
    weak = []
    for r in rels:
        if not isinstance(r, (sp.StrictGreaterThan, sp.GreaterThan, sp.StrictLessThan, sp.LessThan)):
            return None
        big, small = (r.lhs, r.rhs) if isinstance(r, (sp.StrictGreaterThan, sp.GreaterThan)) else (r.rhs, r.lhs)
        if isinstance(r, (sp.GreaterThan, sp.LessThan)):
            weak.append((big, small))
        if isinstance(big, sp.Symbol) and (small.is_Symbol or small.is_number):
            lower.setdefault(big, []).append(small)
            if small.is_Symbol:
                upper.setdefault(small, []).append(big)
            continue
        if isinstance(small, sp.Symbol) and big.is_number:
            upper.setdefault(small, []).append(big)
            continue
        # a bound in a closed form (b < w*): dropped from the superset region of the fast path
    syms = set(lower) | set(upper)
    subst: dict[sp.Symbol, sp.Expr] = {}
    k = itertools.count(1)
    todo = sorted(syms, key=str)
    for _ in range(len(todo) + 1):
        progress = False
        for x in list(todo):
            lows = lower.get(x, [])
            sym_lows = [y for y in lows if y.is_Symbol]
            if any(y not in subst for y in sym_lows):
                continue
            num_lows = [y for y in lows if y.is_number]
            num_ups = [y for y in upper.get(x, []) if y.is_number]
            s = sp.Symbol(f"_s{next(k)}", positive=True)
            if len(sym_lows) > 1:
                return None
            if sym_lows:
                subst[x] = sp.expand(subst[sym_lows[0]] + s)
                if num_ups:
                    return None
            elif num_lows:
                lo = max(num_lows)
                if num_ups:
                    hi = min(num_ups)
                    subst[x] = lo + (hi - lo) * s / (1 + s)
                else:
                    subst[x] = lo + s
            elif num_ups:
                subst[x] = min(num_ups) - s
            else:
                return None
            todo.remove(x)
            progress = True
        if not todo:
            break
        if not progress:
            return None
    if todo:
        return None
    # every symbol's lower bounds must be implied: a numeric lower bound under a symbolic one
    for x, lows in lower.items():
        for y in lows:
            if y.is_number and len([z for z in lows if z.is_Symbol]) == 1:
                gap = sp.expand(subst[x] - y)
                from scfin.claims.proof import _factored_sign

                if _factored_sign(sp.fraction(sp.together(gap))[0]) != 1:
                    return None
    return subst, weak


def _fast_sign(expr, rels) -> tuple[int | None, str]:
    """Strict sign of a rational ``expr`` on the open region of the bounds ``rels`` (coefficient test)."""
    from scfin.claims.proof import _factored_sign

    chain = _chain_substitution(rels)
    if chain is None:
        return None, "the bounds are not a chain"
    subst, _ = chain
    e = sp.sympify(expr).xreplace(subst)
    if e.free_symbols - set(subst.values()) and any(not s.is_positive for s in e.free_symbols):
        return None, "a symbol without a bound"
    if not e.is_rational_function():
        return None, "not a rational function"
    num, den = sp.fraction(cancel(sp.together(e)))
    sn, sd = _factored_sign(num), _factored_sign(den)
    if sn is None or sd is None:
        return None, "mixed coefficient signs"
    return (0 if sn == 0 else sn * sd), "every factor has coefficients of one sign in positive slacks"


def _fast_decide(expr, rels, want) -> tuple[bool, str]:
    """The coefficient test on the open region and on each face of its weak bounds (the closed region)."""
    sign, why = _fast_sign(expr, rels)
    if sign is None or not _want_ok(sign, want):
        return False, why
    chain = _chain_substitution(rels)
    weak = chain[1] if chain else []
    if len(weak) > 4:
        return False, "too many weak bounds for the faces"
    for n in range(1, len(weak) + 1):
        for face in itertools.combinations(weak, n):
            eqs = {}
            ok = True
            for big, small in face:
                if not isinstance(big, sp.Symbol) or big in eqs:
                    ok = False
                    break
                eqs[big] = small
            if not ok:
                return False, "a face not of the form x = bound"
            e = expr
            rr = rels
            for _ in range(len(eqs)):
                e = sp.sympify(e).xreplace(eqs)
                rr = [r.xreplace(eqs) for r in rr]
            rr, nonempty = _clean(rr)
            if not nonempty:
                continue
            try:
                val = cancel(sp.together(e))
            except (ZeroDivisionError, ValueError):
                return False, "undefined on a face"
            if val.has(sp.zoo, sp.nan, sp.oo):
                return False, "undefined on a face"
            fs, _ = _fast_sign(val, rr) if val.free_symbols else (int(sp.sign(val)), "")
            if fs is None or not _want_ok(fs, want):
                return False, "a face of the closed region is not decided"
    return True, "coefficient test on positive slacks (open region and every face of its weak bounds)"


def _want_ok(sign: int, want: str) -> bool:
    return {"positive": sign > 0, "negative": sign < 0, "nonnegative": sign >= 0, "nonpositive": sign <= 0,
            "zero": sign == 0}[want]


@dataclass(frozen=True)
class _Verdict:
    status: str
    method: str
    steps: tuple[ProofStep, ...] = ()
    point: tuple[tuple[str, sp.Expr], ...] = ()
    region: sp.Basic | None = None
    region_text: str = ""
    reason: str = ""


def decide(expr, bounds, regime, want, clock: _Clock, subregion: Sequence[str] | bool = False) -> _Verdict:
    """Whether ``expr`` has the sign ``want`` on bounds + regime: fast path, then complete decisions."""
    from scfin.claims.proof import residual

    expr = sp.sympify(expr)
    # zero: an identity, refuted by a point where expr is not zero
    if want == "zero":
        try:
            r = _bounded(clock, residual, expr)
        except DerivationTimeout:
            return _Verdict(OPEN, "none", reason="time budget exhausted simplifying the expression")
        if r == 0:
            return _Verdict(PROVED, "identity", (ProofStep("the expression simplifies to 0", expr, "identity"),))
        for w in ("nonpositive", "nonnegative"):
            v = decide(r, bounds, regime, w, clock)
            if v.status in (REFUTED, SUBREGION) and v.point:
                return _Verdict(REFUTED, v.method, (ProofStep("the expression is not identically 0", r, v.method),),
                                v.point)
            if v.status == OPEN:
                return _Verdict(OPEN, v.method, reason=v.reason)
        return _Verdict(OPEN, "none", reason="no point where the expression is nonzero was found")
    bounds, ok = _clean(bounds)
    if not ok:
        return _Verdict(PROVED, "empty region", reason="the bounds are contradictory: the region is empty")
    regime, ok = _clean(regime)
    if not ok:
        return _Verdict(PROVED, "empty region", reason="a regime condition fails everywhere: the region is empty")
    try:
        ops = _bounded(clock, sp.count_ops, expr)
    except DerivationTimeout:
        return _Verdict(OPEN, "none", reason="time budget exhausted measuring the expression")
    if ops > MAX_OPS:
        return _Verdict(OPEN, "none", reason=f"the expression has {ops} operations, beyond the complete "
                                            f"decision's reach ({MAX_OPS}): fix more parameters")
    # 1. the coefficient test on the parameter bounds (a superset of the region)
    if not _has_radical(expr):
        try:
            ok, why = _bounded(clock, _fast_decide, expr, bounds, want)
        except DerivationTimeout:
            ok, why = False, "time budget"
        if ok:
            return _Verdict(PROVED, "positive coefficients", (ProofStep(
                f"sign {_WANT_TEXT[want]} on the admissible bounds (regime conditions not needed)", expr, why),))
    # 2. the complete decision on the bounds
    rational_regime = [r for r in regime if not _has_radical(r)]
    radical_regime = [r for r in regime if _has_radical(r)]
    d = _safe_decide(expr, bounds, want, max(0.1, clock.left()))
    if d.proved:
        return _Verdict(PROVED, d.method, (ProofStep(
            f"sign {_WANT_TEXT[want]} on the admissible bounds (regime conditions not needed)", expr,
            d.describe()),))
    if d.status == "open" and not regime:
        return _Verdict(OPEN, d.method, reason=d.reason)
    point = dict(d.counterexample) if d.refuted else None
    full = bounds + regime
    if point is not None and _check(expr, full, point, want):
        verdict = _Verdict(REFUTED, d.method, (ProofStep(f"sign {_WANT_TEXT[want]} fails at a point of the region",
                                                         expr, d.describe()),), tuple(sorted(point.items())))
        return _with_subregion(verdict, expr, bounds + rational_regime, radical_regime, want, clock, subregion)
    if not regime:
        return _Verdict(OPEN, d.method, reason=d.reason or "refuted without a checked counterexample")
    # 3. with the (rational) regime conditions
    d2 = _safe_decide(expr, bounds + rational_regime, want, max(0.1, clock.left()))
    if d2.proved:
        note = "" if not radical_regime else " (regime conditions with square roots not used: a superset)"
        return _Verdict(PROVED, d2.method, (ProofStep(
            f"sign {_WANT_TEXT[want]} on the admissible bounds and the regime{note}", expr, d2.describe()),))
    if d2.refuted and d2.counterexample and _check(expr, full, dict(d2.counterexample), want):
        verdict = _Verdict(REFUTED, d2.method, (ProofStep(f"sign {_WANT_TEXT[want]} fails at a point of the regime",
                                                          expr, d2.describe()),), tuple(sorted(d2.counterexample)))
        return _with_subregion(verdict, expr, bounds + rational_regime, radical_regime, want, clock, subregion)
    if d2.refuted:
        why = ("a counterexample exists where the regime conditions without square roots hold, but none was "
               "checked against the square-root regime conditions") if radical_regime else (
            d2.reason or "refuted, but no rational counterexample was found")
        return _Verdict(OPEN, d2.method, reason=why)
    return _Verdict(OPEN, d2.method, reason=d2.reason)


def _check(expr, rels, point: Mapping[str, sp.Expr], want: str) -> bool:
    """An exact check of a counterexample against every relation; False where the point misses a variable."""
    names = {s.name for s in sp.sympify(expr).free_symbols}.union(*[{s.name for s in r.free_symbols} for r in rels])
    if not names <= set(point):
        return False
    try:
        return check_counterexample(expr, rels, point, want)
    except (TypeError, ValueError, ZeroDivisionError):
        return False


def _with_subregion(verdict: _Verdict, expr, rels, radical_regime, want, clock: _Clock, subregion) -> _Verdict:
    """The exact set where the sign holds (QEPCAD B with the named variables free), where asked and affordable."""
    if not subregion or clock.left() < 1.0:
        return verdict
    names = sorted({s.name for s in sp.sympify(expr).free_symbols}.union(*[{s.name for s in r.free_symbols}
                                                                          for r in rels]))
    free = list(subregion) if not isinstance(subregion, bool) else names
    d = _safe_decide(expr, rels, want, max(0.1, clock.left()), free=tuple(f for f in free if f in names))
    if d.status == SUBREGION and d.subregion_text:
        text = d.subregion_text
        if d.scaled:
            text += f" (with {', '.join(f'{s} = 1' for s in d.scaled)} by homogeneity)"
        if radical_regime:
            text += ", within the regime"
        return _Verdict(SUBREGION, verdict.method, verdict.steps, verdict.point, d.subregion, text, verdict.reason)
    return verdict


# ---------------------------------------------------------------------------
# numeric confirmation
# ---------------------------------------------------------------------------

def _value_at(game: Game, name: str, point: Mapping[str, sp.Expr]):
    """``name`` of the game's equilibrium solved by :func:`scfin.solve` at the exact numbers ``point``."""
    from scfin.solver import solve

    model = _build(game)
    vals = {k: Fraction(int(v.p), int(v.q)) for k, v in point.items() if getattr(v, "is_Rational", False)}
    eq = solve(model, vals, demand=game.demand)
    for group in (eq.decisions, eq.profits, eq.metrics):
        if name in group and group[name] is not None:
            return group[name], eq
    if name in vals:
        return sp.Rational(vals[name].numerator, vals[name].denominator), eq
    raise KeyError(f"{name!r} is not a quantity of this equilibrium")


def _point_values(game: Game, solved: Solved, point: Mapping[str, sp.Expr]) -> dict[str, sp.Expr]:
    """Every number the game needs at a counterexample: given numbers, the point, given expressions evaluated."""
    model = solved.model
    allowed = set(model.parameters) | set(model.follower) | set(model.leader) | {"r", "A", "mu", "sigma", "theta"}
    out = {k: v for k, v in solved.numbers.items()}
    for k, v in point.items():
        if k in allowed:
            out[k] = sp.sympify(v)
    pt = {sp.Symbol(k): sp.sympify(v) for k, v in point.items()}
    for k, v in game.given.items():
        if v.free_symbols:
            val = sp.sympify(v).xreplace({sp.Symbol(s.name): s for s in []}).xreplace(
                {s: pt.get(sp.Symbol(s.name), s) for s in v.free_symbols})
            out[k] = sp.nsimplify(val)
    return {k: v for k, v in out.items() if k in allowed}


def confirm_derivative(game: Game, solved: Solved, quantity: str, parameter: str, point: Mapping[str, sp.Expr],
                       exact_value: sp.Expr, clock: _Clock) -> tuple[bool | None, str]:
    """The numeric layer at a counterexample: ``scfin.solve`` there and a central finite difference in ``parameter``."""
    if clock.left() < 0.5:
        return None, "not run: time budget exhausted"
    vals = _point_values(game, solved, point)
    if parameter not in vals:
        return None, f"not run: {parameter} is not a number of the game at the point"
    try:
        here, eq = _value_at(game, quantity, vals)
        x = vals[parameter]
        h = sp.Rational(1, 10 ** 4) * max(abs(x), sp.Integer(1))
        up, _ = _value_at(game, quantity, {**vals, parameter: x + h})
        down, _ = _value_at(game, quantity, {**vals, parameter: x - h})
    except Exception as exc:  # the numeric layer refused the point: say so, never hide it
        return None, f"scfin.solve at the point failed: {type(exc).__name__}: {exc}"
    fd = (float(up) - float(down)) / (2 * float(h))
    ev = float(sp.N(exact_value, 20))
    sign_ok = (fd > 0) == (ev > 0) if abs(ev) > 1e-9 else abs(fd) < 1e-6 * max(1.0, abs(float(here)))
    mode = "numeric" if eq.numeric else "closed form at the numbers"
    text = (f"scfin.solve at the point ({mode}): {quantity} = {sp.N(here, 8)}; central difference "
            f"d{quantity}/d{parameter} ~ {fd:.6g} (h = {h}) against the exact {sp.N(exact_value, 8)}")
    return bool(sign_ok), text


def numeric_sign(game: Game, quantity: str, parameter: str, values: Mapping[str, sp.Expr]) -> str:
    """A finite-difference sign at numbers, labelled: evidence where a decision is open, never a proof."""
    try:
        x = values[parameter]
        h = sp.Rational(1, 10 ** 4) * max(abs(x), sp.Integer(1))
        up, _ = _value_at(game, quantity, {**values, parameter: x + h})
        try:
            down, _ = _value_at(game, quantity, {**values, parameter: x - h})
            kind, width = "central", 2 * h
        except Exception:  # at the edge of the admissible range (u = 0): one-sided
            down, _ = _value_at(game, quantity, values)
            kind, width = "forward", h
    except Exception as exc:
        return f"numeric sign not available ({type(exc).__name__}: {exc})"
    fd = (float(up) - float(down)) / float(width)
    # below a relative change of 1e-5 over the step the difference is the optimiser's noise: 0
    tol = 1e-5 * max(1.0, (abs(float(up)) + abs(float(down))) / 2) / float(width)
    sgn = "+" if fd > tol else "-" if fd < -tol else "0"
    at = ", ".join(f"{k} = {v}" for k, v in sorted(values.items()))
    return f"numeric sign {sgn} ({kind} difference {fd:.4g}) at {at}: not a proof"


def worked_numbers(game: Game, solved: Solved | None = None) -> dict[str, sp.Expr]:
    """The game's numbers with every symbolic parameter at its worked default (spec section 8, declared defaults)."""
    from scfin.solver import _default
    from scfin.spec.demand import get_demand

    model = _build(game)
    dem = get_demand(game.demand)
    out = {k: v for k, v in game.given.items() if not v.free_symbols}
    for name in tuple(model.parameters) + tuple(dem.parameters):
        if name in out:
            continue
        if name == "r" and model.rate != "exogenous":
            continue
        d = _default(model, name)
        if d is None and name in dem.defaults:
            d = Fraction(dem.defaults[name])
        if d is not None:
            out[name] = sp.Rational(d.numerator, d.denominator)
    for name in game.fixed:
        if name not in out:
            from scfin.spec.models import DECISION_GUESS

            if name in DECISION_GUESS:
                out[name] = sp.nsimplify(DECISION_GUESS[name])
    return out


# ---------------------------------------------------------------------------
# prove
# ---------------------------------------------------------------------------

def prove(statement, budget_s: float = DEFAULT_BUDGET) -> Proposition:
    """Prove or refute ``statement`` (a :class:`Sign`, :class:`Identity`, :class:`Inequality`,
    :class:`Compare`, :class:`Coordinates` or :class:`ParetoImprovement`) within ``budget_s`` seconds."""
    clock = _Clock(budget_s)
    handlers = {Sign: _prove_sign, Identity: _prove_identity, Inequality: _prove_inequality, Compare: _prove_compare,
                Coordinates: _prove_coordinates, ParetoImprovement: _prove_pareto}
    fn = handlers.get(type(statement))
    if fn is None:
        raise TypeError(f"not a statement: {statement!r}")
    try:
        out = fn(statement, clock)
    except DerivationTimeout as exc:
        out = Proposition(statement, statement.text(), OPEN, "none", reason=f"time budget {budget_s:g} s exhausted ({exc})")
    return _stamp(out, clock)


def _stamp(p: Proposition, clock: _Clock) -> Proposition:
    from dataclasses import replace

    return replace(p, seconds=clock.seconds())


def _quantity_expr(solved: Solved, name: str):
    if name in solved.quantities:
        return solved.quantities[name]
    known = ", ".join(solved.quantities)
    raise ValueError(f"{name!r} is not a quantity of {solved.model.id!r}'s equilibrium: choose one of {known}")


def _open_numeric(statement, solved: Solved, text: str, quantity: str | None = None, parameter: str | None = None):
    hint = ""
    if quantity is not None and parameter is not None:
        vals = worked_numbers(solved.game, solved)
        if parameter in vals:
            hint = numeric_sign(solved.game, quantity, parameter, vals)
    return Proposition(statement, text, OPEN, "none", reason=solved.reason or "no closed form", numeric_hint=hint)


def sign_of(solved: Solved, quantity: str, parameter: str, want: str, assumptions, clock: _Clock,
            subregion: bool = True, statement=None) -> Proposition:
    """The sign statement on an already solved game (the work of :func:`prove` for :class:`Sign`, and of statics)."""
    text = statement.text() if statement is not None else f"d{quantity}*/d{parameter} {_WANT_TEXT[want]}"
    if not solved.closed_form:
        return _open_numeric(statement, solved, text, quantity, parameter)
    expr = _quantity_expr(solved, quantity)
    x = sym(parameter) if parameter in REGISTRY else sp.Symbol(parameter)
    given_numbers = {k for k in solved.numbers}
    if parameter in given_numbers:
        raise ValueError(f"{parameter} is given a number: leave it symbolic to differentiate in it")
    try:
        size = _bounded(clock, sp.count_ops, expr)
    except DerivationTimeout:
        size = None
    if size is None or size > MAX_OPS:
        what = "measuring it ran past the time budget" if size is None else f"it has {size} operations"
        return Proposition(statement, text, OPEN, "none", reason=f"the closed form of {quantity} is too large for a "
                           f"decision ({what}; limit {MAX_OPS}): fix more parameters")
    try:
        d = _bounded(clock, lambda: _simplified(sp.diff(expr, x)))
    except DerivationTimeout:
        return Proposition(statement, text, OPEN, "none", reason="time budget exhausted differentiating")
    bounds, regime, loose = region_of(d.free_symbols | {x}, [solved], assumptions)
    if loose:
        return Proposition(statement, text, OPEN, "none", tuple(bounds + regime),
                           reason=f"no admissible range for {', '.join(loose)}: state it in the assumptions")
    d_plain = d.xreplace({s: _plain_symbol(s) for s in d.free_symbols})
    steps = [ProofStep(f"the equilibrium's {quantity}", expr, "closed form (scfin.solve)"),
             ProofStep(f"d{quantity}/d{parameter}", d, "differentiated, simplified")]
    if d == 0:  # identically zero: decided without a search
        ok = want in ("zero", "nonnegative", "nonpositive")
        steps.append(ProofStep(f"d{quantity}/d{parameter} is identically 0", d, "identity"))
        if ok:
            return Proposition(statement, text, PROVED, "identity", tuple(bounds + regime), tuple(steps))
        return Proposition(statement, text, REFUTED, "identity", tuple(bounds + regime), tuple(steps),
                           reason="the derivative is 0 everywhere: no strict sign")
    v = decide(d_plain, bounds, regime, want, clock, subregion=subregion)
    steps += list(v.steps)
    cex = None
    if v.point:
        pt = {k: sp.sympify(val) for k, val in v.point}
        val = sp.nsimplify(d_plain.xreplace({sp.Symbol(k): val for k, val in pt.items()}))
        ok, note = confirm_derivative(solved.game, solved, quantity, parameter, pt, val, _Clock(CONFIRM_BUDGET))
        cex = Witness(v.point, ((f"d{quantity}/d{parameter}", sp.radsimp(val)),), True, ok, note)
    hint = numeric_sign(solved.game, quantity, parameter, worked_numbers(solved.game)) if v.status == OPEN \
        and parameter in worked_numbers(solved.game) else ""
    return Proposition(statement, text, v.status, v.method, tuple(bounds + regime), tuple(steps), cex, v.region,
                       v.region_text, v.reason, hint)


def _prove_sign(st: Sign, clock: _Clock) -> Proposition:
    solved = solve_game(st.game, clock.left())
    return sign_of(solved, st.quantity, st.parameter, st.want, st.assumptions, clock, True, st)


def _side(side, clock: _Clock):
    if isinstance(side, Quantity):
        solved = solve_game(side.game, clock.left())
        if not solved.closed_form:
            return None, solved
        return _quantity_expr(solved, side.name), solved
    return sp.sympify(side), None


def _prove_difference(statement, text, pairs, want, assumptions, clock: _Clock, label: str) -> Proposition:
    """``lhs - rhs`` has the sign ``want`` for every (lhs, rhs) pair (sides expressions or Quantities)."""
    from scfin.claims.proof import residual

    steps, all_bounds, cex, status, method, reason = [], [], None, PROVED, "", ""
    for lhs, rhs in pairs:
        a, sa = _side(lhs, clock)
        b, sb = _side(rhs, clock)
        solved = [s for s in (sa, sb) if s is not None]
        if a is None or b is None:
            bad = sa if a is None else sb
            return Proposition(statement, text, OPEN, "none", reason=bad.reason or "no closed form")
        try:
            diff = _bounded(clock, lambda: _simplified(residual(a - b)))
        except DerivationTimeout:
            return Proposition(statement, text, OPEN, "none", reason="time budget exhausted simplifying")
        bounds, regime, loose = region_of(diff.free_symbols, solved, assumptions)
        all_bounds += [r for r in bounds + regime if r not in all_bounds]
        if loose:
            return Proposition(statement, text, OPEN, "none", tuple(all_bounds),
                               reason=f"no admissible range for {', '.join(loose)}: state it in the assumptions")
        plain = diff.xreplace({s: _plain_symbol(s) for s in diff.free_symbols})
        steps.append(ProofStep(f"{label}: {_side_text(lhs)} - {_side_text(rhs)}", diff, "simplified"))
        v = decide(plain, bounds, regime, want, clock)
        steps += list(v.steps)
        method = v.method if not method else method if method == v.method else f"{method}; {v.method}"
        if v.status != PROVED:
            status, reason = v.status, v.reason
            if v.point:
                pt = {k: sp.sympify(x) for k, x in v.point}
                val = sp.radsimp(plain.xreplace({sp.Symbol(k): x for k, x in pt.items()}))
                ok, note = _confirm_difference(lhs, rhs, sa, sb, pt, val, _Clock(CONFIRM_BUDGET))
                cex = Witness(v.point, (("lhs - rhs", val),), True, ok, note)
            break
    return Proposition(statement, text, status, method or "identity", tuple(all_bounds), tuple(steps), cex,
                       reason=reason)


def _confirm_difference(lhs, rhs, sa, sb, point, exact_value, clock) -> tuple[bool | None, str]:
    if clock.left() < 0.5:
        return None, "not run: time budget exhausted"
    out = []
    try:
        vals = []
        for side, s in ((lhs, sa), (rhs, sb)):
            if isinstance(side, Quantity):
                v, eq = _value_at(side.game, side.name, _point_values(side.game, s, point))
                vals.append(float(v))
                out.append(f"{_side_text(side)} = {sp.N(v, 8)}")
            else:
                vals.append(float(sp.sympify(side).xreplace({sp.Symbol(k): x for k, x in point.items()})
                                  .xreplace({sym(k): x for k, x in point.items() if k in REGISTRY})))
    except Exception as exc:
        return None, f"scfin.solve at the point failed: {type(exc).__name__}: {exc}"
    got = vals[0] - vals[1]
    ev = float(sp.N(exact_value, 20))
    ok = abs(got - ev) <= 1e-7 * max(1.0, abs(ev))
    return ok, "scfin.solve at the point: " + "; ".join(out) + f"; difference {got:.8g} (exact {ev:.8g})"


def _prove_identity(st: Identity, clock: _Clock) -> Proposition:
    return _prove_difference(st, st.text(), [(st.lhs, st.rhs)], "zero", st.assumptions, clock, "lhs - rhs")


def _prove_inequality(st: Inequality, clock: _Clock) -> Proposition:
    return _prove_difference(st, st.text(), [(st.lhs, st.rhs)], _RELATION[st.relation], st.assumptions, clock,
                             "lhs - rhs")


def _prove_compare(st: Compare, clock: _Clock) -> Proposition:
    ga, gb = st.games()
    ga = _restrict(ga)
    gb = _restrict(gb)
    pair = (Quantity(ga, st.quantity), Quantity(gb, st.quantity_b or st.quantity))
    return _prove_difference(st, st.text(), [pair], _RELATION[st.relation], st.assumptions, clock, "difference")


def _restrict(game: Game) -> Game:
    """The game with the given numbers the model takes (one ``given`` serves two models)."""
    from scfin.solver import allowed_names
    from scfin.spec.demand import get_demand

    model = _build(game)
    names = set(allowed_names(model, get_demand(game.demand)))
    return Game(game.model, {k: v for k, v in game.given.items() if k in names},
                tuple(f for f in game.fixed if f in model.follower + model.leader), game.rate, game.share, game.demand)


def _prove_coordinates(st: Coordinates, clock: _Clock) -> Proposition:
    game = _restrict(Game(st.model, st.given, st.fixed))
    model = _build(game)
    bench = model.benchmark()
    if bench is None:
        return Proposition(st, st.text(), PROVED, "definition", reason="the model is the integrated firm itself")
    bgame = _restrict(Game(bench, {k: v for k, v in st.given.items()}, (), None, None, game.demand))
    pairs = [(Quantity(game, d), Quantity(bgame, d)) for d in model.follower]
    return _prove_difference(st, st.text(), pairs, "zero", st.assumptions, clock, "decision against the integrated optimum")


def _prove_pareto(st: ParetoImprovement, clock: _Clock) -> Proposition:
    """Each party's profit minus its benchmark profit is >= 0: the zone of ``over`` where all are (exact)."""
    game = _restrict(Game(st.model, st.given, st.fixed))
    bgame = _restrict(Game(st.benchmark, st.given, ()))
    solved, bsolved = solve_game(game, clock.left()), solve_game(bgame, clock.left())
    text = st.text()
    for s in (solved, bsolved):
        if not s.closed_form:
            return Proposition(st, text, OPEN, "none", reason=s.reason)
    parties = st.parties or tuple(p for p in solved.model.parties if p in bsolved.model.parties)
    x = sym(st.over) if st.over in REGISTRY else sp.Symbol(st.over)
    steps, zone, all_rels, cex = [], None, [], None
    for party in parties:
        gap = _bounded(clock, lambda: _simplified(_quantity_expr(solved, party) - _quantity_expr(bsolved, party)))
        bounds, regime, loose = region_of(gap.free_symbols | {x}, [solved, bsolved], st.assumptions)
        all_rels += [r for r in bounds + regime if r not in all_rels]
        if loose:
            return Proposition(st, text, OPEN, "none", tuple(all_rels),
                               reason=f"no admissible range for {', '.join(loose)}: state it in the assumptions")
        plain = gap.xreplace({s: _plain_symbol(s) for s in gap.free_symbols})
        others = {s.name for s in plain.free_symbols} - {x.name}
        if others:
            return Proposition(st, text, OPEN, "none", tuple(all_rels), tuple(steps),
                               reason=f"the zone is exact in one variable: give numbers for {', '.join(sorted(others))}")
        steps.append(ProofStep(f"{party}'s gain over the benchmark", gap, "simplified"))
        rels, _ = _clean(bounds + [r for r in regime if not _has_radical(r)])
        d = _safe_decide(plain, rels, "nonnegative", max(0.1, clock.left()), free=(x.name,))
        steps.append(ProofStep(f"{party}'s gain >= 0", plain, d.describe()))
        if d.proved:
            part = sp.S.Reals
        elif d.status == SUBREGION and d.subregion is not None:
            part = d.subregion
        elif d.refuted:
            part = sp.S.EmptySet
            if d.counterexample and cex is None:
                cex = Witness(d.counterexample, ((f"{party}'s gain", plain.xreplace(
                    {sp.Symbol(k): v for k, v in d.counterexample})),), True, None, "")
        else:
            return Proposition(st, text, OPEN, d.method, tuple(all_rels), tuple(steps), reason=d.reason)
        part_set = part if isinstance(part, sp.Set) else _as_set(part, sp.Symbol(x.name))
        zone = part_set if zone is None else zone.intersect(part_set)
    adm = _as_set(sp.And(*[r for r in _clean([r for r in all_rels if r.free_symbols <= {sp.Symbol(x.name)}])[0]]),
                  sp.Symbol(x.name))
    zone = adm if zone is None else zone.intersect(adm)
    if zone == adm:
        return Proposition(st, text, PROVED, "real-root isolation", tuple(all_rels), tuple(steps), region=zone,
                           region_text=f"{x.name} in {zone}")
    if zone is sp.S.EmptySet or zone == sp.S.EmptySet:
        return Proposition(st, text, REFUTED, "real-root isolation", tuple(all_rels), tuple(steps), cex,
                           reason="no value of the parameter makes every party at least as well off")
    return Proposition(st, text, SUBREGION, "real-root isolation", tuple(all_rels), tuple(steps), cex, region=zone,
                       region_text=f"{x.name} in {zone}")


def _as_set(cond, x):
    """The real ``x`` where ``cond`` (relations in ``x`` alone, under ``And`` / ``Or``) holds, exactly.

    A relation rational in ``x`` goes to real-root isolation (``reduce_rational_inequalities``); one with
    square roots is solved by SymPy after it is written small (:func:`_relation_set`).  SymPy's own
    ``as_set`` on the regime conditions as derived (nested square roots of unsimplified radicands) took
    over 100 s for the thesis's Pareto zone.
    """
    if isinstance(cond, sp.Set):
        return cond
    if cond is sp.true:
        return sp.S.Reals
    if cond is sp.false:
        return sp.S.EmptySet
    if isinstance(cond, sp.And):
        out = sp.S.Reals
        for a in sorted(cond.args, key=lambda a: not _rational_relation(a, x)):  # the cheap ones narrow first
            out = out.intersect(_as_set(a, x))
        return out
    if isinstance(cond, sp.Or):
        return sp.Union(*[_as_set(a, x) for a in cond.args])
    if isinstance(cond, sp.core.relational.Relational):
        return _relation_set(cond, x)
    try:
        return cond.as_set()
    except (NotImplementedError, AttributeError):
        return sp.S.Reals


def _rational_relation(rel, x) -> bool:
    return (isinstance(rel, sp.core.relational.Relational) and rel.free_symbols <= {x}
            and is_rational(rel.lhs - rel.rhs))


def _relation_set(rel, x):
    """Where one relation in ``x`` holds.  Rational: real-root isolation.  With square roots: each radicand
    factored and the rest cancelled (the roots as symbols), then SymPy's ``as_set``; the points where a
    denominator of the given form vanishes (the relation is undefined there) are taken out again."""
    from sympy.solvers.inequalities import reduce_rational_inequalities

    e = rel.lhs - rel.rhs
    try:
        if _rational_relation(rel, x):
            return reduce_rational_inequalities([[rel.func(e, 0)]], x, relational=False)
        roots = SquareRoots(e)
        names = {b: sp.Dummy(positive=True) for b in roots.bases}
        flat = roots.flatten(e, names)
        dens = [n.base for n in sp.preorder_traversal(e) if isinstance(n, sp.Pow) and n.exp.is_negative]
        if (roots.bases and all(is_rational(b) for b in roots.bases) and is_rational(flat)
                and all(is_rational(d) and d.free_symbols <= {x} for d in dens)):
            small = cancel(flat).xreplace({s: sp.sqrt(b) for b, s in names.items()})
            poles = set()
            for d in dens:
                poles |= set(sp.Poly(sp.numer(cancel(d)), x).real_roots())
            return rel.func(small, 0).as_set() - sp.FiniteSet(*poles)
        return rel.as_set()
    except (NotImplementedError, AttributeError, sp.PolynomialError):
        return sp.solveset(rel, x, sp.S.Reals)
