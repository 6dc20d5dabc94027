"""Complete decisions of polynomial sign conditions, behind the fast coefficient test.

:func:`decide_sign` answers "does ``expr`` have the sign ``want`` at every point
of ``region``?" with a :class:`Decision`: ``proved``, ``refuted`` (with an exact
rational counterexample, checked by exact substitution into ``expr``),
``subregion`` (the sentence is false, and the exact set of the ``free``
variables where it holds is given) or ``open`` (with the reason).  Pipeline:

1. **Encoding.**  Every square root ``sqrt(R)`` becomes a new variable ``s``
   with ``s >= 0`` and ``s**2 = R``; ``expr = num/den`` becomes the sign of
   ``num*den`` (the same strict sign wherever ``expr`` is defined).
2. **Positive coefficients** (the fast path of :mod:`scfin.claims.proof`):
   each factor of ``num`` and ``den`` in variables positive on the region whose
   coefficients have one sign is decided and divided out.
3. **Homogeneity.**  Where every polynomial of the system is quasi-homogeneous
   (``f(t**w1 x1, ...) = t**d f(x)``; prices scale together, ``A`` scales the
   quantities), a variable positive on the region is set to 1 (repeatedly,
   ``A`` and ``p`` first): the sign is the same at every point of a scaling orbit.
4. **Real-root isolation** (one variable left, exact): the real roots of every
   polynomial are isolated together (SymPy ``intervals``, exact rationals);
   the signs on each root and each interval between roots decide the sentence,
   and give the exact subregion (endpoints ``CRootOf``).
5. **QEPCAD B** (cylindrical algebraic decomposition, two or more variables),
   as a subprocess with a timeout; its answer is parsed here, token by token
   (never evaluated).  Without ``qepcad`` on the path the decision is ``open``.

A refutation by QEPCAD B is followed by a search for a rational counterexample
on a deterministic grid; every counterexample is checked by substituting it
exactly into the original ``expr`` (radicals included).  Every step runs under
the time budget ``budget_s`` (SIGALRM for the SymPy work, the subprocess
timeout for QEPCAD B).

The region must be stated completely: every free symbol of ``expr`` needs a
constraint (QEPCAD B finds spurious witnesses otherwise, e.g. with ``b`` above ``p``).
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping, Sequence

import sympy as sp

from scfin.derive.algebra import _Canonical, _canonical
from scfin.derive.algebra import expand as _expand
from scfin.derive.algebra import factor as _factor
from scfin.derive.engine import DerivationTimeout, time_budget

PROVED, REFUTED, SUBREGION, OPEN = "proved", "refuted", "subregion", "open"
WANTS = ("positive", "negative", "nonnegative", "nonpositive")
#: QEPCAD B's garbage-collected space, in cells (+N): 2e7 cells = 160 MB
QEPCAD_CELLS = 20_000_000


class Verdict:
    """What a status means: the flags a decision and a proposition share (``status`` is theirs)."""

    status: str

    @property
    def proved(self) -> bool:
        return self.status == PROVED

    @property
    def refuted(self) -> bool:
        return self.status in (REFUTED, SUBREGION)

    @property
    def decided(self) -> bool:
        return self.status != OPEN


@dataclass(frozen=True)
class Decision(Verdict):
    """The answer of :func:`decide_sign` (immutable).

    ``status`` is ``proved`` / ``refuted`` / ``subregion`` / ``open``;
    ``method`` names the argument that decided it; ``counterexample`` is a
    tuple of ``(name, exact value)`` pairs at which ``expr`` lacks the sign
    (checked exactly); ``subregion`` the exact set (SymPy boolean or set in the
    ``free`` variables) where the sign holds, ``subregion_text`` QEPCAD B's
    formula as printed; ``scaled`` the variables set to 1 by homogeneity;
    ``reason`` why a decision is open (or a remark); ``seconds`` wall time.
    """

    status: str
    method: str
    want: str
    reason: str = ""
    counterexample: tuple[tuple[str, sp.Expr], ...] = ()
    subregion: sp.Basic | None = None
    subregion_text: str = ""
    scaled: tuple[str, ...] = ()
    seconds: float = 0.0


    def describe(self, timing: bool = False) -> str:
        """One sentence for a proof step or note (``timing``: with the wall time, not deterministic)."""
        out = f"{self.status} by {self.method}"
        if self.scaled:
            out += f" (homogeneity: {', '.join(self.scaled)} = 1)"
        if self.counterexample:
            out += "; counterexample " + ", ".join(f"{k} = {v}" for k, v in self.counterexample)
        if self.subregion_text:
            out += f"; holds exactly where {self.subregion_text}"
        if self.reason:
            out += f"; {self.reason}"
        return out + (f" [{self.seconds:.2f} s]" if timing else "")


def qepcad_path() -> str | None:
    """The ``qepcad`` executable, or None (``SCFIN_NO_QEPCAD=1`` hides it)."""
    if os.environ.get("SCFIN_NO_QEPCAD"):
        return None
    return shutil.which("qepcad")


# ---------------------------------------------------------------------------
# the system: polynomial constraints and a polynomial whose sign is asked
# ---------------------------------------------------------------------------

_OPS = {sp.StrictGreaterThan: ">", sp.GreaterThan: ">=", sp.StrictLessThan: "<", sp.LessThan: "<=",
        sp.Equality: "=", sp.Unequality: "/="}
_FLIP = {"<": ">", "<=": ">="}


def _constraint(rel) -> tuple[sp.Expr, str]:
    """``lhs op rhs`` as ``(g, op)`` meaning ``g op 0``, op in ``>, >=, =, /=``; ``g`` a polynomial."""
    op = _OPS.get(type(rel))
    if op is None:
        raise ValueError(f"not a relation: {rel}")
    g = rel.lhs - rel.rhs
    if op in _FLIP:
        g, op = -g, _FLIP[op]
    num, den = sp.fraction(sp.cancel(sp.together(g)))
    if den.free_symbols:
        if op in ("=", "/="):
            g = num
        else:
            g = _expand(num * den)  # same strict / weak sign where den != 0
    else:
        g = _expand(num * sp.sign(den))
    return g, op


def _region_relations(region, expr) -> tuple[sp.Expr, list]:
    """``(expr, relations)``; a slack substitution (dict) means: substitute, then every symbol > 0."""
    if isinstance(region, Mapping):
        expr = sp.sympify(expr).xreplace(dict(region))
        return expr, orthant(expr)
    rels = list(region)
    for r in rels:
        if r in (sp.true, sp.false) or isinstance(r, bool):
            raise ValueError("a bound of the region evaluated to a truth value (a symbol declared positive?): "
                             "build it with evaluate=False or with plain symbols, e.g. orthant()")
    return sp.sympify(expr), rels


def orthant(expr) -> list:
    """``x > 0`` for every free symbol of ``expr`` (unevaluated, so positive symbols keep their bound)."""
    return [sp.StrictGreaterThan(sp.Symbol(s.name), 0) for s in sorted(sp.sympify(expr).free_symbols, key=str)]


def _plain(expr: sp.Expr) -> tuple[sp.Expr, dict]:
    """Symbols without assumptions (QEPCAD and the grid see only names); returns the map back."""
    back = {}
    reps = {}
    for s in expr.free_symbols:
        t = sp.Symbol(s.name)
        if t != s:
            reps[s] = t
        back[t] = s
    return expr.xreplace(reps), back


@dataclass
class _System:
    variables: list[sp.Symbol]  # original variables then radical variables
    radicals: list[sp.Symbol]
    constraints: list[tuple[sp.Expr, str]]  # g op 0
    target: sp.Expr  # polynomial whose sign is asked (times ``sign`` below)
    sign: int = 1
    scaled: list[str] = field(default_factory=list)
    empty: bool = False  # a constraint became a false constant: the region is empty
    factors: tuple | None = None  # (constant, [(factor, power)]) of the target, where known


def _encode_radicals(expr: sp.Expr) -> tuple[sp.Expr, list[sp.Symbol], list[tuple[sp.Expr, str]]]:
    """Replace each ``R**(k/2)`` (innermost first) by ``s**k`` with ``s >= 0``, ``s**2 = R``."""
    rads: list[sp.Symbol] = []
    cons: list[tuple[sp.Expr, str]] = []
    known: dict[sp.Expr, sp.Symbol] = {}
    while True:
        pows = [a for a in expr.atoms(sp.Pow) if a.exp.is_Rational and a.exp.q == 2]
        inner = [a for a in pows if not any(b.exp.is_Rational and b.exp.q == 2 for b in a.base.atoms(sp.Pow))]
        if not inner:
            break
        a = sorted(inner, key=sp.default_sort_key)[0]
        base = sp.cancel(sp.together(a.base))
        if base.is_number:
            expr = expr.xreplace({a: sp.sqrt(base) ** (2 * a.exp)}) if base.is_Rational else expr
            if base.is_Rational:
                continue
        s = known.get(base)
        if s is None:
            s = sp.Symbol(f"s{len(rads) + 1}")
            known[base] = s
            rads.append(s)
            n, d = sp.fraction(base)
            cons.append((s, ">="))
            cons.append((_expand(s ** 2 * d - n), "="))
        expr = expr.xreplace({a: s ** int(2 * a.exp)})
    return expr, rads, cons


def _build(expr: sp.Expr, relations: Sequence, want: str) -> _System | str:
    """The polynomial system, or the reason it cannot be built."""
    expr, _ = _plain(sp.sympify(expr))
    rel_plain = []
    for r in relations:
        r, _ = _plain(r)
        rel_plain.append(r)
    variables = sorted(expr.free_symbols.union(*[r.free_symbols for r in rel_plain]), key=str)
    bounded = set().union(*[r.free_symbols for r in rel_plain]) if rel_plain else set()
    loose = [v for v in variables if v not in bounded]
    if loose:
        return f"the region does not bound {', '.join(map(str, loose))} (state every parameter's range)"
    enc, rads, rcons = _encode_radicals(expr)
    allvars = variables + rads
    if enc.atoms(sp.Function, sp.Float) or not enc.is_rational_function():
        return "not an algebraic expression (only rational functions and square roots)"
    cons = [_constraint(r) for r in rel_plain] + rcons
    target, factors = _reduced_target(enc, allvars, rads, rcons)
    system = _System(variables=allvars, radicals=rads, constraints=cons, target=target)
    system.factors = factors
    return system


def _reduced_target(enc, allvars, rads, rcons):
    """``num*den`` of ``enc`` with every ``s**2`` reduced by its equation, and its factors (FLINT).

    ``s**2 = n/d``: the target times an even power of ``d`` (the same sign) is
    written with each ``s`` of degree <= 1.
    """
    can = _canonical(enc, extra_gens=allvars) if enc.free_symbols else None
    if can is None:
        num, den = sp.fraction(sp.cancel(sp.together(enc)))
        t = _expand(num * den)
        return t, None
    T = can.P * can.Q
    gens = can.gens
    for s in rads:
        i = gens.index(s)
        eq = next(g for g, op in rcons if op == "=" and s in g.free_symbols)
        ce = _Canonical(eq, extra_gens=allvars)
        E = ce.P  # d s**2 - n, up to a positive constant
        parts: dict[int, dict] = {}
        for m, c in E.to_dict().items():
            parts.setdefault(m[i], {})[m[:i] + (0,) + m[i + 1:]] = c
        zero = {}
        d = ce.zctx.from_dict(parts.get(2, zero))
        n = -ce.zctx.from_dict(parts.get(0, zero))
        split: dict[int, dict] = {}
        for m, c in T.to_dict().items():
            split.setdefault(m[i], {})[m[:i] + (0,) + m[i + 1:]] = c
        top = max(split)
        mpow = top // 2
        if mpow == 0:
            continue
        mpow += mpow % 2
        sgen = ce.zctx.gens()[i]
        out = ce.zctx.from_dict({})
        for k, terms in split.items():
            out += ce.zctx.from_dict(terms) * d ** (mpow - k // 2) * n ** (k // 2) * sgen ** (k % 2)
        T = out
    if T.is_zero():
        return sp.Integer(0), (sp.Integer(0), [])
    try:
        c, fl = T.factor()
        factors = (sp.Integer(int(c)), [(_expand(can.expr(f)), int(e)) for f, e in fl])
    except OverflowError:
        factors = None
    return can.expr(T), factors


def _factor_list(f: sp.Expr):
    """``(constant, [(factor, power), ...])`` by FLINT (:func:`scfin.derive.algebra.factor`)."""
    const, out = sp.Integer(1), []
    for a in sp.Mul.make_args(_factor(f)):
        if a.is_number:
            const *= a
        elif a.is_Pow and a.exp.is_Integer and a.exp > 0:
            out.append((_expand(a.base), int(a.exp)))
        else:
            out.append((_expand(a), 1))
    return const, out


def _positive_vars(system: _System) -> set[sp.Symbol]:
    """Variables with a constraint ``x > 0`` (or ``x - k > 0``, ``k >= 0``)."""
    out = set()
    for g, op in system.constraints:
        if op == ">" and g.is_Add is False and g.is_Symbol:
            out.add(g)
        elif op == ">" and g.is_Add and len(g.free_symbols) == 1:
            x = next(iter(g.free_symbols))
            if sp.Poly(g, x).degree() == 1 and g.coeff(x) > 0 and g.subs(x, 0) >= 0:
                out.add(x)
    return out


def _coefficient_sign(f: sp.Expr, positive: set) -> int | None:
    f = _expand(f)
    if f.is_number:
        return int(sp.sign(f))
    if not f.free_symbols <= positive:
        return None
    coeffs = sp.Poly(f, *sorted(f.free_symbols, key=str)).coeffs()
    if all(c > 0 for c in coeffs):
        return 1
    if all(c < 0 for c in coeffs):
        return -1
    return None


def _fast_factors(system: _System) -> bool:
    """Divide out the factors of the target whose sign the coefficients give; True if nothing is left."""
    pos = _positive_vars(system)
    const, factors = system.factors if system.factors is not None else _factor_list(system.target)
    sign = int(sp.sign(const)) if const != 0 else 0
    rest = sp.Integer(1)
    if const == 0:
        system.target, system.sign = sp.Integer(0), 0
        return True
    for f, k in factors:
        s = _coefficient_sign(f, pos)
        if s is not None:
            if k % 2:
                sign *= s
        else:
            rest *= f ** (1 if k % 2 else 2)
    system.sign = sign
    system.target = _expand(rest)
    return not rest.free_symbols


# ---------------------------------------------------------------------------
# homogeneity
# ---------------------------------------------------------------------------

def _weights(polys: Iterable[sp.Expr], variables: list[sp.Symbol]) -> list[sp.Matrix]:
    """Basis of the weight vectors under which every polynomial is quasi-homogeneous."""
    rows = []
    for f in polys:
        f = _expand(f)
        if f == 0 or f.is_number:
            continue
        monos = sp.Poly(f, *variables).monoms()
        m0 = monos[0]
        rows += [[a - b for a, b in zip(m, m0)] for m in monos[1:]]
    if not rows:
        return [sp.eye(len(variables))[:, i] for i in range(len(variables))]
    return sp.Matrix(rows).nullspace()


def _scale_out(system: _System, prefer: Sequence[str]) -> None:
    """Set variables to 1 while the system is quasi-homogeneous in a positive one."""
    while True:
        variables = system.variables
        if not variables:
            return
        basis = _weights([system.target] + [g for g, _ in system.constraints], variables)
        pos = _positive_vars(system)
        order = sorted((v for v in variables if v in pos and v not in system.radicals),
                       key=lambda v: (prefer.index(v.name) if v.name in prefer else len(prefer), v.name))
        pick = next((v for v in order if any(b[variables.index(v)] != 0 for b in basis)), None)
        if pick is None:
            return
        _substitute(system, {pick: sp.Integer(1)})
        system.scaled.append(pick.name)


def _substitute(system: _System, point: Mapping[sp.Symbol, sp.Expr]) -> None:
    """Substitute ``point``; radicals whose radicand became a rational square get their value."""
    system.target = _expand(system.target.xreplace(point))
    system.constraints = [(_expand(g.xreplace(point)), op) for g, op in system.constraints]
    system.variables = [v for v in system.variables if v not in point]
    system.radicals = [v for v in system.radicals if v not in point]
    for s in list(system.radicals):
        eq = next((g for g, op in system.constraints if op == "=" and g.free_symbols == {s}), None)
        if eq is None:
            continue
        p = sp.Poly(eq, s)
        if p.degree() == 2 and p.coeff_monomial(s) == 0:
            val = -p.coeff_monomial(1) / p.coeff_monomial(s ** 2)
            if val.is_Rational and val >= 0 and sp.sqrt(val).is_Rational:
                _substitute(system, {s: sp.sqrt(val)})
                return
    kept = []
    for g, op in system.constraints:
        if g.free_symbols:
            kept.append((g, op))
        elif not _holds(g, op):
            system.empty = True
    system.constraints = kept


def _holds(value, op: str) -> bool:
    return {">": value > 0, ">=": value >= 0, "=": value == 0, "/=": value != 0}[op]


def _want_holds(sign: int, want: str) -> bool:
    return {"positive": sign > 0, "negative": sign < 0, "nonnegative": sign >= 0, "nonpositive": sign <= 0}[want]


# ---------------------------------------------------------------------------
# one variable: exact real-root isolation
# ---------------------------------------------------------------------------

def _cells_1d(x: sp.Symbol, polys: list[sp.Expr]):
    """Cells of the line for the roots of ``polys``: (kind, sample or root, interval) in order.

    A root cell carries its isolating interval (rational endpoints, no root of
    another polynomial inside) and the indices of the polynomials vanishing there.
    """
    nonconst = [sp.Poly(f, x) for f in polys if sp.Poly(f, x).degree() > 0]
    roots = []
    if nonconst:
        sqf = [p.sqf_part() for p in nonconst]
        found = sp.polys.polytools.intervals([p.as_expr() for p in sqf])  # disjoint, sorted, exact
        roots = sorted(found, key=lambda t: t[0][0])
    cells = []
    prev_hi = None
    for (lo, hi), _ in roots:
        lo, hi = sp.Rational(lo), sp.Rational(hi)
        left = lo - 1 if prev_hi is None else (prev_hi + lo) / 2
        cells.append(("sector", left, None))
        cells.append(("root", None, (lo, hi)))
        prev_hi = hi
    cells.append(("sector", sp.Integer(0) if prev_hi is None else prev_hi + 1, None))
    return cells


def _sign_at_root(f: sp.Poly, lo, hi, x) -> int:
    """Sign of ``f`` at the unique root in ``[lo, hi]`` of the cell (exact)."""
    if lo == hi:
        return int(sp.sign(f.eval(lo)))
    # f vanishes at that root iff it has a root in [lo, hi] (no other root of the family is there)
    if f.count_roots(lo, hi) > 0:
        return 0
    return int(sp.sign(f.eval((lo + hi) / 2)))


def _root_value(polys, lo, hi, x):
    """The exact root in ``[lo, hi]`` (Rational or CRootOf)."""
    if lo == hi:
        return lo
    for f in polys:
        p = sp.Poly(f, x)
        if p.degree() > 0 and p.count_roots(lo, hi) > 0:
            for fac, _ in sp.factor_list(p.as_expr(), x)[1]:
                fp = sp.Poly(fac, x)
                if fp.count_roots(lo, hi) > 0:
                    for r in sp.Poly(fac, x).real_roots():
                        if lo <= r <= hi:
                            return r
    raise AssertionError("no root in the isolating interval")


def _decide_1d(system: _System, want: str, free: Sequence[str]):
    x = system.variables[0]
    polys = [system.target] + [g for g, _ in system.constraints]
    cells = _cells_1d(x, polys)
    good, bad = [], []
    for kind, sample, iv in cells:
        if kind == "sector":
            signs = [int(sp.sign(sp.Poly(f, x).eval(sample))) for f in polys]
            where = sample
        else:
            signs = [_sign_at_root(sp.Poly(f, x), iv[0], iv[1], x) for f in polys]
            where = iv
        inside = all(_holds(s, op) for s, (_, op) in zip(signs[1:], system.constraints))
        if not inside:
            continue
        (good if _want_holds(system.sign * signs[0], want) else bad).append((kind, where))
    if not bad:
        return PROVED, None, None
    kind, where = next(((k, w) for k, w in bad if k == "sector"), bad[0])
    value = where if kind == "sector" else _root_value(polys, where[0], where[1], x)
    if x.name not in free:
        return REFUTED, {x: value}, None
    # the exact set where the sign holds: the good cells, roots as exact numbers
    roots = [None if k == "sector" else _root_value(polys, iv[0], iv[1], x) for k, _, iv in cells]
    good_ids = {(k, str(w)) for k, w in good}
    pieces = []
    for i, (k, sample, iv) in enumerate(cells):
        if (k, str(sample if k == "sector" else iv)) not in good_ids:
            continue
        if k == "root":
            pieces.append(sp.FiniteSet(roots[i]))
        else:
            left = roots[i - 1] if i > 0 else -sp.oo
            right = roots[i + 1] if i + 1 < len(cells) else sp.oo
            pieces.append(sp.Interval.open(left, right))
    return SUBREGION, {x: value}, sp.Union(*pieces) if pieces else sp.S.EmptySet


# ---------------------------------------------------------------------------
# QEPCAD B
# ---------------------------------------------------------------------------

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


def _qepcad_poly(f: sp.Expr, names: Mapping[sp.Symbol, str]) -> str:
    """Integer-coefficient polynomial in QEPCAD's syntax (space is multiplication)."""
    f = _expand(f)
    if f == 0:
        return "0"
    gens = sorted(f.free_symbols, key=str)
    if not gens:
        return str(sp.Integer(f)) if f.is_Integer else _fail(f)
    terms = []
    for monom, coeff in sp.Poly(f, *gens).terms():
        if not coeff.is_Integer:
            raise ValueError("QEPCAD needs integer coefficients")
        factors = [f"{names[g]}^{e}" if e > 1 else names[g] for g, e in zip(gens, monom) if e]
        c = abs(int(coeff))
        body = " ".join(([str(c)] if c != 1 or not factors else []) + factors)
        terms.append(("- " if coeff < 0 else "+ ") + body)
    out = " ".join(terms)
    return out[2:] if out.startswith("+ ") else "-" + out[1:]


def _fail(f):
    raise ValueError(f"not an integer: {f}")


def _integral(f: sp.Expr) -> sp.Expr:
    """``f`` times a positive integer, so that its coefficients are integers (same sign)."""
    f = _expand(f)
    if not f.free_symbols:
        return sp.sign(f)
    coeffs = sp.Poly(f, *sorted(f.free_symbols, key=str)).coeffs()
    return _expand(f * sp.ilcm(1, 1, *[sp.Rational(c).q for c in coeffs]))


_REL = {">": ">", ">=": ">=", "=": "=", "/=": "/="}
_WANT_OP = {"positive": ">", "negative": "<", "nonnegative": ">=", "nonpositive": "<="}


def _qepcad_input(system: _System, want: str, free: Sequence[str]) -> tuple[str, dict, list]:
    # free variables first, then the others, radicals last (projected first)
    order = [v for v in system.variables if v.name in free] + \
            [v for v in system.variables if v.name not in free and v not in system.radicals] + \
            [v for v in system.variables if v.name not in free and v in system.radicals]
    names = {v: f"x{i}" for i, v in enumerate(order)}
    def atom(g, op):
        return f"{_qepcad_poly(_integral(g), names)} {_REL[op]} 0"

    freeset = {v for v in order if v.name in free}
    # constraints on the free variables alone are conjoined outside the implication, so that the
    # answer is the part of the region where the sign holds (not also the points outside it)
    outer = [atom(g, op) for g, op in system.constraints if freeset and g.free_symbols <= freeset]
    hyp = " /\\ ".join(atom(g, op) for g, op in system.constraints
                        if g.free_symbols and not (freeset and g.free_symbols <= freeset)) or "0 = 0"
    goal = f"{_qepcad_poly(_integral(system.sign * system.target), names)} {_WANT_OP[want]} 0"
    elim = _eliminate_radical(system, want, names)
    if elim is not None:
        hyp, goal, order = elim[0] or hyp, elim[1], [v for v in order if v != system.radicals[0]]
    body = f"[ {hyp} ] ==> {goal}"
    if outer:
        body = " /\\ ".join(outer + [f"[ {body} ]"])
    nfree = len(freeset)
    quant = "".join(f"(A {names[v]})" for v in order[nfree:])
    text = (f"[ scfin ]\n({','.join(names[v] for v in order)})\n{nfree}\n"
            f"{quant}[ {body} ].\nfinish\n")
    return text, {n: v for v, n in names.items()}, order


def _eliminate_radical(system: _System, want: str, names):
    """With one radical ``s`` (``s >= 0``, ``d s**2 = n``) and a target ``a + b s``: the sentence
    without ``s`` (one variable fewer for the decomposition), or None.

    ``a + b s > 0`` iff ``a > 0, b >= 0`` or ``a > 0, b < 0, a**2 - b**2 s**2 > 0`` or
    ``a <= 0, b > 0, b**2 s**2 - a**2 > 0``; ``s**2`` is ``n/d``, so those squares are
    compared times ``d**2``; the region keeps the points where ``n d >= 0``.
    """
    if len(system.radicals) != 1 or system.radicals[0] not in system.variables:
        return None
    s = system.radicals[0]
    eqs = [g for g, op in system.constraints if op == "=" and s in g.free_symbols]
    others = [(g, op) for g, op in system.constraints if s not in g.free_symbols]
    if len(eqs) != 1 or any(s in g.free_symbols for g, op in system.constraints if op != "=" and g != s):
        return None
    pe, pt = sp.Poly(eqs[0], s), sp.Poly(system.sign * system.target, s)
    if pe.degree() != 2 or pe.coeff_monomial(s) != 0 or pt.degree() > 1:
        return None
    d, n = pe.coeff_monomial(s ** 2), -pe.coeff_monomial(1)
    a, b = pt.coeff_monomial(1), pt.coeff_monomial(s)
    P = lambda f: _qepcad_poly(_integral(f), names)  # noqa: E731

    def positive(a, b, strict=True):
        """``a + b s > 0`` (``>= 0`` when not strict) as a formula without ``s``."""
        # the product in polynomial arithmetic: expanding the expression a**2 d**2 - b**2 n d is slow
        gens = sorted(set().union(*(f.free_symbols for f in (a, b, n, d))), key=str) or [s]
        pa, pb, pn, pd = (sp.Poly(f, *gens) for f in (a, b, n, d))
        q = (pa ** 2 * pd ** 2 - pb ** 2 * pn * pd).as_expr()
        pa, pb, ge = P(a), P(b), (">" if strict else ">=")
        return (f"[ [ {pa} {ge} 0 /\\ {pb} >= 0 ] \\/ [ {pa} {ge} 0 /\\ {pb} < 0 /\\ {P(q)} {ge} 0 ] "
                f"\\/ [ {pa} < 0 /\\ {pb} > 0 /\\ {P(-q)} {ge} 0 ] ]")

    goal = {"positive": lambda: positive(a, b), "negative": lambda: positive(-a, -b),
            "nonnegative": lambda: positive(a, b, False), "nonpositive": lambda: positive(-a, -b, False)}[want]()
    hyp = " /\\ ".join([f"{P(g)} {_REL[op]} 0" for g, op in others if g.free_symbols]
                        + [f"{P(_expand(n * d))} >= 0"])
    return hyp, goal


def _run_qepcad(text: str, timeout: float) -> tuple[str | None, str]:
    """QEPCAD B's quantifier-free answer (text), or None and the reason."""
    exe = qepcad_path()
    if exe is None:
        return None, "qepcad not installed (run .ci/install-decision-tools)"
    if timeout <= 0.05:
        return None, "time budget exhausted before QEPCAD B"
    env = dict(os.environ)
    env.setdefault("qe", "/usr/lib/qepcad")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            proc = subprocess.run([exe, f"+N{QEPCAD_CELLS}"], input=text, capture_output=True, text=True,
                                  timeout=timeout, cwd=tmp, env=env)
        except subprocess.TimeoutExpired:
            return None, f"QEPCAD B ran past the time budget ({timeout:.0f} s)"
    out = proc.stdout
    m = re.search(r"An equivalent quantifier-free formula:\s*\n(.*?)\n\s*\n", out, re.S)
    if not m:
        tail = " ".join((out + proc.stderr).strip().splitlines()[-3:])[:200]
        return None, f"QEPCAD B gave no formula ({tail})"
    return " ".join(m.group(1).split()), ""


class _ParseError(ValueError):
    pass


_TOKEN = re.compile(r"\s*(?:(\d+)|([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|/=|/\\|\\/|==>|<==>|[-+^<>=\[\]()~]))")


def parse_formula(text: str, names: Mapping[str, sp.Symbol]) -> sp.Basic:
    """QEPCAD B's quantifier-free formula as a SymPy boolean (own parser; unknown tokens are errors)."""
    toks = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise _ParseError(f"unexpected text at {text[pos:pos + 20]!r}")
        pos = m.end()
        num, name, op = m.groups()
        toks.append(("num", int(num)) if num else ("name", name) if name else ("op", op))
    toks.append(("end", None))
    i = 0

    def peek():
        return toks[i]

    def take(kind=None, val=None):
        nonlocal i
        t = toks[i]
        if (kind and t[0] != kind) or (val and t[1] != val):
            raise _ParseError(f"expected {val or kind}, got {t[1]!r}")
        i += 1
        return t

    def formula():
        left = conj()
        while peek() == ("op", "\\/"):
            take()
            left = sp.Or(left, conj())
        return left

    def conj():
        left = unary()
        while peek() == ("op", "/\\"):
            take()
            left = sp.And(left, unary())
        return left

    def unary():
        t = peek()
        if t == ("op", "~"):
            take()
            return sp.Not(unary())
        if t == ("op", "["):
            take()
            f = formula()
            take("op", "]")
            return f
        if t == ("name", "TRUE"):
            take()
            return sp.true
        if t == ("name", "FALSE"):
            take()
            return sp.false
        lhs = poly()
        op = take("op")[1]
        rhs = poly()
        rel = {"<": sp.Lt, ">": sp.Gt, "<=": sp.Le, ">=": sp.Ge, "=": sp.Eq, "/=": sp.Ne}.get(op)
        if rel is None:
            raise _ParseError(f"unexpected relation {op!r}")
        return rel(lhs, rhs)

    def poly():
        sign = 1
        if peek() == ("op", "-"):
            take()
            sign = -1
        elif peek() == ("op", "+"):
            take()
        total = sign * term()
        while peek() in (("op", "+"), ("op", "-")):
            s = take()[1]
            total += term() if s == "+" else -term()
        return total

    def term():
        out = factor_()
        while peek()[0] in ("num", "name") and peek()[1] not in ("TRUE", "FALSE") or peek() == ("op", "("):
            out *= factor_()
        return out

    def factor_():
        t = peek()
        if t[0] == "num":
            take()
            base = sp.Integer(t[1])
        elif t[0] == "name":
            take()
            if t[1] not in names:
                raise _ParseError(f"unknown name {t[1]!r} (extended formulas are not parsed)")
            base = names[t[1]]
        elif t == ("op", "("):
            take()
            base = poly()
            take("op", ")")
        else:
            raise _ParseError(f"unexpected {t[1]!r}")
        if peek() == ("op", "^"):
            take()
            base = base ** take("num")[1]
        return base

    out = formula()
    take("end")
    return out


def _to_text(f: sp.Basic) -> str:
    return str(f).replace("**", "^")


# ---------------------------------------------------------------------------
# counterexamples: exact checks, deterministic grid
# ---------------------------------------------------------------------------

def exact_sign(value: sp.Expr) -> int | None:
    """Sign of an algebraic number built from rationals and square roots, exactly."""
    value = sp.nsimplify(value) if value.is_Float else value
    if value.is_Rational:
        return int(sp.sign(value))
    try:
        if sp.minimal_polynomial(value, sp.Symbol("_z")) == sp.Symbol("_z"):
            return 0
    except (NotImplementedError, ValueError):
        return None
    # nonzero: 60 digits give the sign (evalf tracks its error; a value below 1e-40 is not trusted)
    v = value.evalf(60)
    if abs(v) < sp.Float("1e-40"):
        return None
    return 1 if v > 0 else -1


def check_counterexample(expr, relations: Sequence, point: Mapping[str, sp.Expr], want: str) -> bool:
    """``point`` (names -> exact numbers) lies in the region and ``expr`` lacks the sign there."""
    expr, _ = _plain(sp.sympify(expr))
    pt = {sp.Symbol(k): sp.sympify(v) for k, v in point.items()}
    for r in relations:
        r, _ = _plain(r)
        g, op = _constraint(r)
        s = exact_sign(sp.sympify(g).xreplace(pt))
        if s is None or not _holds(s, op):
            return False
    val = expr.xreplace(pt)
    if val.free_symbols:
        return False
    s = exact_sign(sp.sympify(val))
    return s is not None and not _want_holds(s, want)


def _grid(n: int) -> list[sp.Rational]:
    vals = {sp.Rational(k, m) for m in (2, 3, 4, 5, 8, 10, 16) for k in range(1, 2 * m)}
    vals |= {sp.Integer(k) for k in (2, 3, 5, 10)}
    out = sorted(vals)
    if n >= 3:
        out = [v for v in out if v.q in (1, 2, 3, 4, 8) ]
    return out


def _search(expr, relations, want, fixed: Mapping[str, sp.Expr], variables: list[str], deadline: float):
    """A rational point of the region (``fixed`` given) where ``expr`` lacks the sign, or None."""
    grid = _grid(len(variables))
    e, _ = _plain(sp.sympify(expr))
    rels = [_plain(r)[0] for r in relations]
    fixed_s = {sp.Symbol(k): v for k, v in fixed.items()}
    e = e.xreplace(fixed_s)
    rels = [r.xreplace(fixed_s) for r in rels]
    fn = sp.lambdify([sp.Symbol(v) for v in variables], e, "mpmath") if variables else None
    for pt in itertools.product(grid, repeat=len(variables)):
        if time.monotonic() > deadline:
            return None
        sub = dict(zip((sp.Symbol(v) for v in variables), pt))
        if not all(bool(r.xreplace(sub)) for r in rels if r is not sp.true):
            continue
        try:
            approx = complex(fn(*pt)) if fn else complex(e)
        except (ZeroDivisionError, ValueError, TypeError):
            continue
        if abs(approx.imag) > 1e-12 * (1 + abs(approx.real)):
            continue
        if _want_holds(1 if approx.real > 1e-9 else -1 if approx.real < -1e-9 else 0, want) and \
                abs(approx.real) > 1e-9:
            continue
        full = {**fixed, **{v: x for v, x in zip(variables, pt)}}
        if check_counterexample(expr, relations, full, want):
            return full
    return None


# ---------------------------------------------------------------------------
# the decision
# ---------------------------------------------------------------------------

def decide_sign(expr, region, want: str = "positive", budget_s: float = 20.0, free: Sequence[str] = (),
                scale: Sequence[str] = ("A", "p")) -> Decision:
    """Decide whether ``expr`` has the sign ``want`` at every point of ``region``.

    ``region``: a sequence of SymPy relations bounding *every* free symbol
    (``0 < b``, ``b < w``, ...), or a slack substitution as in
    :func:`scfin.claims.proof.slacks` (then every symbol after it is > 0).
    ``want``: ``positive``, ``negative``, ``nonnegative`` or ``nonpositive``.
    ``free``: variable names for which, when the sentence is false, the exact
    subregion where it holds is asked (the others stay universally quantified).
    ``scale``: variables preferred for the homogeneity reduction.
    """
    if want not in WANTS:
        raise ValueError(f"want must be one of {WANTS}")
    start = time.monotonic()
    deadline = start + budget_s
    expr, relations = _region_relations(region, expr)

    def done(status, method, **kw):
        return Decision(status=status, method=method, want=want, seconds=round(time.monotonic() - start, 3), **kw)

    try:
        with time_budget(budget_s):
            built = _build(expr, relations, want)
            if isinstance(built, str):
                return done(OPEN, "none", reason=built)
            system = built
            if _fast_factors(system):
                ok = _want_holds(system.sign, want)
                if ok:
                    return done(PROVED, "positive coefficients")
            else:
                ok = None
            _scale_out(system, tuple(scale))
            scaled = tuple(system.scaled)
            if system.empty:
                return done(PROVED, "homogeneity", scaled=scaled, reason="the region is empty")
            if ok is None:
                _factor_signs(system, deadline)
            if ok is None and not system.target.free_symbols:
                ok = _want_holds(system.sign * int(sp.sign(system.target)), want)
            if ok is None and len(system.variables) == 1 and not system.radicals:
                status, point, sub = _decide_1d(system, want, free)
                if status == PROVED:
                    return done(PROVED, "real-root isolation", scaled=scaled)
                cex = _lift(point, system, relations, expr, want, scaled)
                return done(status, "real-root isolation", scaled=scaled, counterexample=cex,
                            subregion=sub, subregion_text=_to_text(sub) if sub is not None else "",
                            reason="" if cex else "counterexample is an irrational root (not checked)")
            if ok is None and not system.variables:
                ok = _want_holds(system.sign * int(sp.sign(system.target)), want)
    except DerivationTimeout:
        return done(OPEN, "none", reason=f"time budget {budget_s:g} s exhausted in the SymPy steps")
    if ok is True:
        return done(PROVED, "positive coefficients" if not scaled else "homogeneity", scaled=scaled)
    if ok is False and not system.variables:
        cex = _lift({}, system, relations, expr, want, scaled)
        return done(REFUTED, "evaluation", scaled=scaled, counterexample=cex)
    method = "QEPCAD B"
    text, back, order = _qepcad_input(system, want, ())
    answer, why = _run_qepcad(text, deadline - time.monotonic())
    if answer is None:
        return done(OPEN, method, reason=why, scaled=scaled)
    if answer == "TRUE":
        return done(PROVED, method, scaled=scaled)
    if answer != "FALSE":
        return done(OPEN, method, reason=f"unexpected answer {answer[:80]!r}", scaled=scaled)
    # refuted: a rational counterexample on the grid, then the exact subregion if asked
    names = [v.name for v in system.variables if v not in system.radicals]
    cex = _search(expr, relations, want, {s: sp.Integer(1) for s in scaled}, names,
                  min(deadline, time.monotonic() + max(1.0, (deadline - time.monotonic()) / 2)))
    cex_t = tuple(sorted(cex.items())) if cex else ()
    reason = "" if cex else "no rational counterexample found on the grid"
    fr = [f for f in free if f in names]
    if fr:
        text, back, _ = _qepcad_input(system, want, fr)
        ans, why = _run_qepcad(text, deadline - time.monotonic())
        if ans is not None:
            try:
                names_map = {n: sp.Symbol(v.name) for n, v in back.items()}
                sub = parse_formula(ans, names_map)
                if sub is sp.false:
                    return done(REFUTED, method, scaled=scaled, counterexample=cex_t, subregion=sub,
                                subregion_text="nowhere", reason=reason)
                return done(SUBREGION, method, scaled=scaled, counterexample=cex_t, subregion=sub,
                            subregion_text=_to_text(sub), reason=reason)
            except _ParseError as exc:
                return done(SUBREGION, method, scaled=scaled, counterexample=cex_t, subregion_text=ans,
                            reason=f"{reason}; formula not parsed ({exc})".strip("; "))
        reason = f"{reason}; subregion not found: {why}".strip("; ")
    return done(REFUTED, method, scaled=scaled, counterexample=cex_t, reason=reason)


def _constant_sign(system: _System, deadline: float) -> int | None:
    """+1 / -1 where ``system.target`` has that strict sign on the whole region, else None."""
    for sign, want in ((1, "positive"), (-1, "negative")):
        if len(system.variables) == 1 and not system.radicals:
            if _decide_1d(system, want, ())[0] == PROVED:
                return sign
            continue
        text, _, _ = _qepcad_input(system, want, ())
        answer, _ = _run_qepcad(text, min(deadline - time.monotonic(), 10.0))
        if answer == "TRUE":
            return sign
    return None


def _factor_signs(system: _System, deadline: float) -> None:
    """Divide out the factors whose sign is a bound of the region, or (degree <= 2) is decided alone."""
    const, factors = _factor_list(system.target)
    if len(factors) < 2 and const > 0:
        return
    bounds = {g: op for g, op in system.constraints}
    sign, keep = system.sign * int(sp.sign(const)), sp.Integer(1)
    for f, k in factors:
        s = 1 if bounds.get(f) == ">" else -1 if bounds.get(_expand(-f)) == ">" else None
        if s is None and len(factors) > 1 and sp.Poly(f, *system.variables).total_degree() <= 2:
            s = _constant_sign(replace(system, target=f, sign=1, factors=None), deadline)
        if s is None:
            keep *= f ** (1 if k % 2 else 2)
        elif k % 2:
            sign *= s
    system.target, system.sign = _expand(keep), sign


def _lift(point, system, relations, expr, want, scaled) -> tuple[tuple[str, sp.Expr], ...]:
    """The reduced counterexample with the scaled variables at 1, checked exactly; () if it fails."""
    full = {s: sp.Integer(1) for s in scaled}
    full.update({k.name: v for k, v in (point or {}).items()})
    if check_counterexample(expr, relations, full, want):
        return tuple(sorted(full.items()))
    return ()
