"""Comparative statics for any model: the sign table of every equilibrium quantity against every parameter.

:func:`statics` solves the model once with the parameters left symbolic, then
decides, for every quantity (each decision, ``interest_rate``,
``default_probability``, each profit) and every symbolic parameter, the sign
of the derivative on the statement's region (:func:`scfin.claims.statements.region_of`:
the registry's bounds, the regime conditions).  Each entry is

- ``+`` / ``-`` / ``0``, ``proved`` (a ``+`` may be weak: ``>= 0``, zero on a
  boundary face, said in the entry's ``note``);
- ``depends``: both signs occur, each shown by an exact counterexample
  confirmed by the numeric layer; ``subregion`` with the exact set where the
  derivative is positive (QEPCAD B's solution formula), or ``refuted`` where
  that set was out of reach;
- ``open``: not decided, with the reason (no closed form, the time budget, an
  expression too large); a finite-difference sign at the worked numbers is
  attached, labelled as not a proof.

**Which parameters are symbolic.**  By default the neutral parameters are
fixed as :func:`scfin.solve` fixes them (``v = rf = eta = 0``, ``lam = 1``)
and the effort-cost scale at its worked value (``kappa = 1``); every other
parameter of the model (prices and costs ``p``, ``c``, the demand scale ``A``,
the contract's terms ``b``, ``psi``, ``u``, ``T``, ``phi``, a user clause's
declared parameters, ``r`` under an exogenous rate) stays symbolic and gets a
column.  ``values`` fixes more (or overrides these), ``symbolic`` keeps a
default-fixed one symbolic (``symbolic=("v",)``), ``fixed`` holds a decision
as a symbol (``fixed=("w",)``: the statics of the retailer's response at a
given wholesale price).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Mapping, Sequence

import sympy as sp

from scfin.claims.statements import (_has_radical, OPEN, PROVED, REFUTED, SUBREGION, Game, Proposition, Witness, _Clock,
                                     _exact, numeric_sign, sign_of, solve_game, worked_numbers)
from scfin.derive.engine import DerivationTimeout

#: fixed unless named in ``symbolic`` or given another value
DEFAULT_FIXED: Mapping[str, int] = {"v": 0, "rf": 0, "eta": 0, "lam": 1, "kappa": 1}
#: seconds per entry
ENTRY_BUDGET = 10.0
SIGNS = ("+", "-", "0", "depends", "open")


@dataclass(frozen=True)
class Entry:
    """One cell of the table."""

    quantity: str
    parameter: str
    sign: str  # + - 0 depends open
    status: str  # proved, subregion, refuted, open
    region: str  # where it holds (proved), where the derivative is positive (depends), or the reason (open)
    counterexamples: tuple[Witness, ...] = ()
    method: str = ""
    note: str = ""
    numeric_hint: str = ""
    derivative: sp.Basic | None = None
    seconds: float = 0.0

    def as_json(self) -> dict:
        return entry_json(self)


@dataclass(frozen=True)
class StaticsTable:
    """A model's comparative-statics table (immutable)."""

    model: str
    title: str
    rate: str | None
    values: Mapping[str, sp.Expr]
    parameters: tuple[str, ...]
    quantities: tuple[str, ...]
    entries: tuple[Entry, ...]
    region: tuple[sp.Basic, ...] = ()
    notes: tuple[str, ...] = ()
    seconds: float = 0.0

    def entry(self, quantity: str, parameter: str) -> Entry:
        for e in self.entries:
            if e.quantity == quantity and e.parameter == parameter:
                return e
        raise KeyError(f"no entry for {quantity} against {parameter}")

    def sign(self, quantity: str, parameter: str) -> str:
        return self.entry(quantity, parameter).sign

    def as_json(self) -> list[dict]:
        """The entries, each with exactly the keys ``quantity``, ``parameter``, ``sign``, ``status``,
        ``region`` and ``counterexample`` (a list of exact points, or null)."""
        return [entry_json(e) for e in self.entries]


def _num_text(v) -> str:
    return sp.sstr(sp.sympify(v))


def entry_json(e: Entry) -> dict:
    cex = None
    if e.counterexamples:
        cex = [{"values": {k: _num_text(v) for k, v in w.values},
                "observed": {k: _num_text(v) for k, v in w.observed},
                "exact": w.exact, "confirmed": w.confirmed, "numeric": w.numeric} for w in e.counterexamples]
    return {"quantity": e.quantity, "parameter": e.parameter, "sign": e.sign, "status": e.status,
            "region": e.region, "counterexample": cex}


def default_values(model, values: Mapping | None = None, symbolic: Sequence[str] = ()) -> dict[str, sp.Expr]:
    """The numbers a table fixes: :data:`DEFAULT_FIXED` (the model's parameters only), then ``values``."""
    params = set(model.parameters)
    out = {k: _exact(v) for k, v in DEFAULT_FIXED.items() if k in params and k not in symbolic}
    out.update({k: _exact(v) for k, v in dict(values or {}).items()})
    return out


def _quantities(solved, fixed) -> tuple[str, ...]:
    eq = solved.equilibrium
    if not solved.closed_form:  # no closed form: the rows a table would have, each entry open
        m = solved.model
        out = [d for d in m.follower + m.leader if d not in fixed and d not in solved.numbers and d not in m.fixed]
        if m.financing is not None:
            out += [m.financing.rate_metric, "default_probability"]
        return tuple(dict.fromkeys(out + list(m.parties) + ["chain"]))
    out = [d for d in eq.decisions if d != "r" and d not in fixed and d not in solved.numbers]
    for m in ("interest_rate", "trade_credit_rate", "default_probability"):
        if m in eq.metrics and eq.metrics[m] is not None and not sp.sympify(eq.metrics[m]).is_Symbol:
            out.append(m)
    out += list(eq.profits)
    return tuple(dict.fromkeys(out))


def statics(model, values: Mapping | None = None, quantities: Sequence[str] | None = None,
            parameters: Sequence[str] | None = None, budget_s: float = ENTRY_BUDGET, symbolic: Sequence[str] = (),
            fixed: Sequence[str] = (), rate: str | None = None, share: str | None = None,
            demand: str = "uniform", progress=None) -> StaticsTable:
    """The sign table of ``model`` (a catalogue id, a :class:`~scfin.spec.models.Model`, ``PATH.py:NAME``).

    ``budget_s`` bounds each sign decision of an entry (seconds of symbolic work and decision; an entry
    tries up to five: positive, negative, the weak signs, the set where it is positive);
    see the module docstring for which parameters are symbolic.
    """
    from scfin.claims.statements import _build

    start = time.monotonic()
    m = _build(Game(model, {}, (), rate, share, demand))
    vals = default_values(m, values, symbolic)
    game = Game(m, vals, tuple(fixed), None, None, demand)
    notes: list[str] = []
    solved = solve_game(game, None)
    from scfin.spec.demand import get_demand

    names = list(m.parameters) + list(get_demand(demand).parameters) + list(fixed)
    if m.rate == "exogenous" and "r" not in names:
        names.append("r")
    params = tuple(n for n in dict.fromkeys(names) if n not in vals)
    if parameters is not None:
        unknown = [p for p in parameters if p not in params]
        if unknown:
            raise ValueError(f"not a symbolic parameter of this table: {', '.join(unknown)} "
                             f"(symbolic: {', '.join(params) or 'none'})")
        params = tuple(parameters)
    if solved.equilibrium is None:
        qs = tuple(quantities or m.follower)
    else:
        qs = _quantities(solved, fixed)
    if quantities is not None:
        unknown = [q for q in quantities if q not in qs]
        if unknown:
            raise ValueError(f"not a quantity of this equilibrium: {', '.join(unknown)} (quantities: {', '.join(qs)})")
        qs = tuple(quantities)
    if not solved.closed_form:
        notes.append(solved.reason or "no closed form")
    entries = []
    for q in qs:
        for p in params:
            if progress is not None:
                progress(q, p)
            entries.append(_entry(solved, q, p, budget_s))
    fixed_text = tuple(f"{k} = {v}" for k, v in sorted(vals.items()))
    if fixed_text:
        notes.insert(0, "fixed: " + ", ".join(fixed_text))
    if solved.equilibrium is not None:
        notes += [n for n in solved.equilibrium.notes]
    region = ()
    if solved.closed_form:
        from scfin.claims.statements import region_of

        syms = set().union(*[sp.sympify(solved.quantities[q]).free_symbols for q in qs if q in solved.quantities])
        b, r, _ = region_of(syms, [solved])
        region = tuple(b + r)
    return StaticsTable(m.id, m.title, m.rate, dict(sorted(vals.items())), params, qs, tuple(entries), region,
                        tuple(notes), round(time.monotonic() - start, 2))


def _value_sign(w: Witness | None) -> int | None:
    if w is None or not w.observed:
        return None
    v = sp.sympify(w.observed[0][1])
    return int(sp.sign(v)) if v.is_number else None


def _entry(solved, q: str, p: str, budget_s: float) -> Entry:
    t0 = time.monotonic()

    def done(sign, status, region, cex=(), method="", note="", hint="", deriv=None):
        return Entry(q, p, sign, status, region, tuple(c for c in cex if c is not None), method, note, hint, deriv,
                     round(time.monotonic() - t0, 2))

    if not solved.closed_form:
        vals = worked_numbers(solved.game)
        hint = numeric_sign(solved.game, q, p, vals) if p in vals else ""
        return done("open", OPEN, f"undecided: {solved.reason or 'no closed form'}", hint=hint)
    results: dict[str, Proposition] = {}
    deriv, region_text = None, ""
    for want in ("positive", "negative"):
        try:
            results[want] = sign_of(solved, q, p, want, (), _Clock(budget_s), False)
        except DerivationTimeout:
            results[want] = None
        r = results[want]
        if r is not None and r.status == OPEN and ("too large" in r.reason or "differentiating" in r.reason):
            break  # the other sign would run into the same wall
        if r is not None and deriv is None and len(r.steps) > 1:
            deriv = r.steps[1].expr
            region_text = _region_text(r.assumptions)
            if deriv == 0:
                return done("0", PROVED, region_text, method="identity", deriv=deriv)
        if r is not None and r.proved:
            return done("+" if want == "positive" else "-", PROVED, region_text, method=r.method, deriv=deriv)
    pos, neg = results.get("positive"), results.get("negative")
    # points where the derivative is positive / negative (exact, checked)
    found: dict[int, Witness] = {}
    for r in (pos, neg):
        v = _value_sign(r.counterexample) if r is not None else None
        if v in (1, -1):
            found.setdefault(v, r.counterexample)
    # a strict sign that fails without the opposite sign occurring: try the weak sign (zero on a face)
    for weak, strict, sign, other in (("nonnegative", pos, "+", -1), ("nonpositive", neg, "-", 1)):
        if other in found or strict is None or strict.proved:
            continue
        try:
            r = sign_of(solved, q, p, weak, (), _Clock(budget_s), False)
        except DerivationTimeout:
            continue
        if r.proved and deriv is not None and _has_radical(deriv):
            # a radical derivative that is >= 0 may be identically 0 (simplification misses it): try <= 0 too
            other_weak = "nonpositive" if weak == "nonnegative" else "nonnegative"
            try:
                r2 = sign_of(solved, q, p, other_weak, (), _Clock(budget_s), False)
            except DerivationTimeout:
                r2 = None
            if r2 is not None and r2.proved:
                return done("0", PROVED, region_text, method=r2.method, deriv=deriv,
                            note=f"d{q}/d{p} is >= 0 and <= 0 on the region: identically 0")
        if r.proved:
            where = f", zero at {strict.counterexample.text()}" if strict.counterexample else ""
            return done(sign, PROVED, region_text, method=r.method, deriv=deriv,
                        note=f"weakly: d{q}/d{p} {'>=' if sign == '+' else '<='} 0{where}")
        v = _value_sign(r.counterexample)
        if v in (1, -1):
            found.setdefault(v, r.counterexample)
    if 1 in found and -1 in found:
        cex = (found[1], found[-1])
        # the exact set where the derivative is positive
        sub = _positive_set(solved, q, p, budget_s)
        if sub is not None:
            return done("depends", SUBREGION, f"d{q}/d{p} > 0 exactly where {sub.region_text}", cex,
                        method=sub.method, deriv=deriv)
        return done("depends", REFUTED, "both signs occur (the exact set where it is positive was not computed "
                    "within the budget)", cex, method=pos.method, deriv=deriv)
    reasons = []
    for want, r in (("positive", pos), ("negative", neg)):
        if r is None and "negative" not in results:
            continue  # not asked: the first attempt said why
        if r is None:
            reasons.append(f"{want}: time budget")
        elif r.refuted:
            reasons.append(f"not {want}" + (f" (at {r.counterexample.text()})" if r.counterexample else ""))
        else:
            reasons.append(f"{want}: {r.reason or r.status}")
    hint = ""
    vals = worked_numbers(solved.game)
    if p in vals:  # a labelled numeric sign, never a proof
        hint = numeric_sign(solved.game, q, p, vals)
    cex = tuple(r.counterexample for r in (pos, neg) if r is not None and r.counterexample is not None)
    return done("open", OPEN, "undecided: " + "; ".join(reasons), cex, method="", hint=hint, deriv=deriv)


def _positive_set(solved, q, p, budget_s):
    """Where the derivative is positive: QEPCAD B's solution formula in every variable, or None."""
    try:
        r = sign_of(solved, q, p, "positive", (), _Clock(budget_s), True)
    except DerivationTimeout:
        return None
    return r if r.status == SUBREGION and r.region_text else None


def _region_text(rels) -> str:
    return ", ".join(sp.sstr(r) for r in rels)


# ---------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------

def statics_text(table: StaticsTable) -> str:
    """The table as text: a grid of signs, then each entry that needs words (weak, depends, open)."""
    head = f"{table.title} ({table.model}" + (f", rate={table.rate}" if table.rate else "") + ")"
    lines = [head, "d(row)/d(column); " + "; ".join(table.notes[:1]) if table.notes else "d(row)/d(column)"]
    width = max([len(q) for q in table.quantities] + [8])
    cells = {(e.quantity, e.parameter): e for e in table.entries}
    marks: list[str] = []
    col = max([len(p) for p in table.parameters] + [8]) + 1
    lines.append(" " * width + "".join(f"{p:>{col}}" for p in table.parameters))
    for q in table.quantities:
        row = f"{q:<{width}}"
        for p in table.parameters:
            e = cells[(q, p)]
            mark = e.sign
            if e.note or e.sign in ("depends", "open"):
                marks.append(_footnote(len(marks) + 1, e))
                mark = {"depends": "dep", "open": "?"}.get(e.sign, e.sign) + f"[{len(marks)}]"
            row += f"{mark:>{col}}"
        lines.append(row)
    if table.region:
        lines.append("region: " + ", ".join(sp.sstr(r) for r in table.region[:12])
                     + (" ..." if len(table.region) > 12 else ""))
    lines += marks
    lines += [f"note: {n}" for n in table.notes[1:]]
    lines.append(f"({table.seconds:g} s)")
    return "\n".join(lines)


def _footnote(n: int, e: Entry) -> str:
    out = f"[{n}] d{e.quantity}/d{e.parameter}: {e.sign}, {e.status}"
    if e.note:
        out += f"; {e.note}"
    if e.sign in ("depends", "open"):
        out += f"; {e.region}"
    for w in e.counterexamples:
        out += f"; at {w.text()}" + (" (numeric layer agrees)" if w.confirmed else
                                     " (numeric layer disagrees!)" if w.confirmed is False else "")
    if e.numeric_hint:
        out += f"; {e.numeric_hint}"
    return out
