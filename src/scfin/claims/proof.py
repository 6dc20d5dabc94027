"""Proof helpers for the claims: identities, signs on admissible regions, responses.

Signs are established on the *whole* admissible region, not by sampling.  The
method (:func:`sign_on_region`): write the region as positive slack variables
(``w = c + s1``, ``p = w + s2``, ...), so that every free symbol of the
substituted expression is positive; then the sign of a rational function is
certain when its numerator and denominator, expanded as polynomials in those
positive symbols, each have coefficients of one sign (a sum of positive
monomials is positive).  Where an expanded polynomial has mixed signs, each
factor of its factorisation is checked the same way (even powers are
nonnegative).  Square roots (the competitive rate carries one) are handled by
:func:`radical_sign`: ``sign(a + b*sqrt(R))`` follows from ``sign(a)``,
``sign(b)`` and ``sign(a**2 - b**2*R)``.

The verdicts are strict signs on the *open* region (every slack > 0).

Public API (stable; claims 8-11 may import it):

- :func:`is_identity` / :func:`residual` -- ``expr`` cancels (or simplifies) to 0.
- :func:`radical_identity` -- ``expr == 0`` decided exactly for square roots (reduction modulo
  ``s**2 = X``, :func:`reduce_square_roots`).
- :func:`slacks` -- build the positive-slack substitution for a chain of
  inequalities, e.g. ``slacks(("c", "w", "p"))`` for ``c < w < p``.
- :func:`sign_on_region` -- :class:`Sign` of a rational function on a region.
- :func:`radical_sign` -- :class:`Sign` of an expression with one square root.
- :func:`follower_response` -- the retailer's closed-form response with the
  leader's terms (``w``, ``b``, ...) kept symbolic.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Mapping, Sequence

import sympy as sp

from scfin.claims.decide import Decision, decide_sign, orthant
from scfin.derive.algebra import (SquareRoots, cancel, factor, is_rational, is_zero, polynomial_terms,
                                  reduce_square_roots)
from scfin.derive.algebra import expand as _expand
from scfin.spec.demand import get_demand
from scfin.derive.cached import derive_cached
from scfin.derive.engine import Derivation, base_shadow
from scfin.spec.models import get_model
from scfin.spec.notation import sym

POSITIVE, NEGATIVE, ZERO = 1, -1, 0


@dataclass(frozen=True)
class Sign:
    """The sign of an expression on a region, and how it was established.

    ``sign`` is +1, -1, 0, or ``None`` (not established); ``form`` is the
    expression after the slack substitution (numerator/denominator factored);
    ``method`` says which argument decided it.
    """

    sign: int | None
    form: sp.Expr
    method: str
    #: the complete decision (:mod:`scfin.claims.decide`) where the coefficient test did not decide
    decision: "Decision | None" = None

    @property
    def positive(self) -> bool:
        return self.sign == POSITIVE

    @property
    def negative(self) -> bool:
        return self.sign == NEGATIVE


def residual(expr) -> sp.Expr:
    """``expr`` reduced: ``cancel`` for rational functions, else ``simplify``.

    An identity ``lhs = rhs`` holds when ``residual(lhs - rhs) == 0``.
    """
    expr = sp.sympify(expr)
    if is_rational(expr):
        return cancel(expr)
    if is_zero(expr):  # a fast sufficient test (radicals as variables tied to their radicands)
        return sp.Integer(0)
    return sp.simplify(expr)


def is_identity(expr) -> bool:
    """``expr == 0`` identically (see :func:`residual`)."""
    return residual(expr) == 0


def radical_identity(expr) -> bool | None:
    """Whether ``expr`` vanishes identically, decided exactly where its irrational parts are square roots.

    Each square root ``sqrt(X)`` (radicand factored) is written as a symbol ``s`` with ``s**2 = X``; the
    numerator, a polynomial in the ``s``, is reduced modulo ``s**2 - X`` (pseudo-remainder: exact, no
    division by a polynomial that may vanish).  A zero remainder proves the identity.  With one square root
    whose radicand is not a square, a nonzero remainder ``a + b s`` refutes it (``a + b s = 0`` with
    ``b != 0`` would make ``sqrt(X) = -a/b`` rational).  Returns ``True``, ``False``, or ``None`` where
    neither follows (several radicals with a nonzero remainder, nested radicals, other functions).
    """
    expr = sp.sympify(expr)
    if is_rational(expr):
        return cancel(expr) == 0

    roots = SquareRoots(expr)
    if not all(is_rational(b) for b in roots.bases):
        return None  # a nested radical
    bases = roots.bases
    names = {b: sp.Dummy(f"s{i}", positive=True) for i, b in enumerate(bases)}
    flat = roots.flatten(expr, names)
    if not is_rational(flat):
        return None
    try:
        rest = reduce_square_roots(sp.numer(sp.together(flat)), names)
    except (sp.PolynomialError, sp.GeneratorsNeeded):
        return None
    if _expand(rest) == 0:
        return True
    if len(names) == 1:
        b = bases[0]
        bn, bd = sp.fraction(sp.together(b))
        coeff, factors = sp.factor_list(_expand(bn * bd))
        square = all(k % 2 == 0 for _, k in factors) and sp.sqrt(abs(coeff)).is_Rational
        return None if square else False
    return None


def slacks(*chains: Sequence[str | sp.Expr], names: str = "s") -> dict[sp.Symbol, sp.Expr]:
    """Positive-slack substitution for chains of strict inequalities.

    ``slacks(("c", "w", "p"))`` encodes ``c < w < p`` as ``w = c + s1``,
    ``p = c + s1 + s2`` with ``s1, s2 > 0``; the first element of each chain
    stays free (it must itself be positive, or be an expression in positive
    symbols).  Elements are registry names or SymPy expressions; a symbol that
    already appears on the left of an earlier chain is expressed through it.
    Returns an ordered dict ``symbol -> expression in positive symbols``.
    """
    out: dict[sp.Symbol, sp.Expr] = {}
    k = 0
    for chain in chains:
        items = [sym(x) if isinstance(x, str) else sp.sympify(x) for x in chain]
        prev = items[0].xreplace(out) if not (isinstance(items[0], sp.Symbol) and items[0] in out) else out[items[0]]
        for item in items[1:]:
            k += 1
            s = sp.Symbol(f"{names}{k}", positive=True)
            if not isinstance(item, sp.Symbol) or item in out:
                raise ValueError(f"cannot introduce a slack for {item}: give a fresh symbol")
            out[item] = _expand(prev + s)
            prev = out[item]
    return out


def _poly_sign(poly_expr: sp.Expr) -> int | None:
    """Sign of a polynomial in positive symbols from its coefficients' signs."""
    fast = polynomial_terms(poly_expr)
    if fast is not None:  # the same verdict as below, from FLINT's expansion
        gens, terms = fast
        if not terms:
            return ZERO
        used = [g for i, g in enumerate(gens) if any(m[i] for m in terms)]
        if not used:
            (c,) = terms.values()
            return POSITIVE if c > 0 else NEGATIVE
        if not all(g.is_positive for g in used):
            return None
        return _coefficients_sign(terms.values())
    return _poly_sign_expanded(poly_expr)


def _coefficients_sign(coeffs) -> int | None:
    """POSITIVE / NEGATIVE where every coefficient has that sign (a polynomial in positive symbols)."""
    coeffs = list(coeffs)
    if all(c > 0 for c in coeffs):
        return POSITIVE
    if all(c < 0 for c in coeffs):
        return NEGATIVE
    return None


def _poly_sign_expanded(poly_expr: sp.Expr) -> int | None:
    """:func:`_poly_sign` by SymPy's expansion (any expression; the reference of the fast path)."""
    poly_expr = _expand(poly_expr)
    if poly_expr == 0:
        return ZERO
    if poly_expr.is_number:
        return POSITIVE if poly_expr > 0 else NEGATIVE
    syms = sorted(poly_expr.free_symbols, key=str)
    if not all(s.is_positive for s in syms):
        return None
    try:
        coeffs = sp.Poly(poly_expr, *syms).coeffs()
    except sp.PolynomialError:
        return None
    if all(c.is_number for c in coeffs):
        return _coefficients_sign(coeffs)
    return None


def _factored_sign(poly_expr: sp.Expr) -> int | None:
    """Sign of a polynomial through its factors (each by :func:`_poly_sign`)."""
    direct = _poly_sign(poly_expr)
    if direct is not None:
        return direct
    const, factors = sp.factor_list(_expand(poly_expr))
    sign = POSITIVE if const > 0 else NEGATIVE
    for base, power in factors:
        s = _poly_sign(base)
        if s is None:
            if power % 2 == 0:
                # an even power is nonnegative, but zero somewhere: strict sign unknown
                return None
            return None
        if s == ZERO:
            return ZERO
        if power % 2 == 1:
            sign *= s
    return sign


def _positive_symbols(expr: sp.Expr) -> sp.Expr:
    """Re-declare every free symbol as positive (the region is open and positive)."""
    reps = {s: sp.Symbol(s.name, positive=True) for s in expr.free_symbols if not s.is_positive}
    return expr.xreplace(reps)


def sign_on_region(expr, region: Mapping[sp.Symbol, sp.Expr] | None = None,
                   positive: Iterable[sp.Symbol] = ()) -> Sign:
    """Strict sign of a rational function on the open region ``region``.

    ``region`` is a substitution into positive symbols (see :func:`slacks`);
    after it, every remaining free symbol must be positive on the region
    (symbols listed in ``positive`` are declared so explicitly; the registry's
    parameters p, c, A, ... already are).  Returns a :class:`Sign`; ``sign`` is
    ``None`` when the coefficient argument does not decide it.
    """
    expr = sp.sympify(expr)
    if region:
        expr = expr.xreplace(dict(region))
    reps = {s: sp.Symbol(s.name, positive=True) for s in positive}
    expr = _positive_symbols(expr.xreplace(reps))
    if not expr.is_rational_function():
        return Sign(None, expr, "not a rational function")
    num, den = sp.fraction(cancel(expr))
    sn, sd = _factored_sign(num), _factored_sign(den)
    form = factor(num) / factor(den)
    if sn is None or sd is None:
        return complete_sign(form, "mixed coefficient signs in a factor")
    if sn == ZERO:
        return Sign(ZERO, form, "identically zero")
    return Sign(sn * sd, form, "every factor of numerator and denominator has coefficients of one sign "
                              "in positive variables")


#: time budget (s) of each complete decision behind the coefficient test (one per sign asked)
DECIDE_BUDGET = 20.0


def complete_sign(expr: sp.Expr, fast_reason: str, budget_s: float | None = None) -> Sign:
    """The fallback of the coefficient test: decide ``expr > 0``, then ``expr < 0``, completely.

    ``expr`` is in symbols positive on the region (after the slack substitution),
    so the region is the open positive orthant of its free symbols, stated in
    full.  Returns a :class:`Sign` with the :class:`~scfin.claims.decide.Decision`
    that settled it (or the last one tried, with ``sign=None``).
    """
    budget = DECIDE_BUDGET if budget_s is None else budget_s
    region = orthant(expr)
    pos = decide_sign(expr, region, "positive", budget)
    if pos.proved:
        return Sign(POSITIVE, expr, f"{fast_reason}; decided by {pos.method}", pos)
    if pos.status == "open":
        return Sign(None, expr, f"{fast_reason}; {pos.method}: {pos.reason}", pos)
    neg = decide_sign(expr, region, "negative", budget)
    if neg.proved:
        return Sign(NEGATIVE, expr, f"{fast_reason}; decided by {neg.method}", neg)
    why = "changes sign on the region" if neg.refuted else neg.reason
    return Sign(None, expr, f"{fast_reason}; {neg.method}: {why}", neg if neg.refuted else pos)


def _split_radicals(expr: sp.Expr) -> sp.Expr:
    """Factor every radicand; with positive symbols SymPy splits sqrt(x*y) = sqrt(x)*sqrt(y)."""
    rads = [a for a in expr.atoms(sp.Pow) if a.exp.is_Rational and a.exp.q == 2]
    return expr.xreplace({a: factor(cancel(a.base)) ** a.exp for a in rads})


def _single_radical(expr: sp.Expr):
    """Write ``expr = (a + b*sqrt(R)) / d`` with rational a, b, d, R; or None.

    A square root of a single symbol (``sqrt(A)``) is removed by the change of
    variables ``A = t**2`` (``t > 0``), which keeps the sign question the same.
    """
    expr = _split_radicals(sp.sympify(expr))
    simple = {a.base for a in expr.atoms(sp.Pow) if a.exp.is_Rational and a.exp.q == 2 and a.base.is_Symbol}
    if simple:
        expr = _split_radicals(expr.xreplace({x: sp.Symbol(x.name, positive=True) ** 2 for x in simple}))
    rads = [a for a in expr.atoms(sp.Pow) if a.exp.is_Rational and a.exp.q == 2]
    radicands = {a.base for a in rads}
    if len(radicands) != 1:
        return None
    R = radicands.pop()
    s = sp.Symbol("_root", positive=True)
    e = expr.xreplace({a: s ** (2 * a.exp) for a in rads})
    if not e.is_rational_function():
        return None
    num, den = sp.fraction(cancel(e))
    # reduce powers of the root with s**2 = R
    pn = sp.Poly(num, s)
    a = sum((c * R ** (k // 2) for (k,), c in pn.terms() if k % 2 == 0), sp.Integer(0))
    b = sum((c * R ** (k // 2) for (k,), c in pn.terms() if k % 2 == 1), sp.Integer(0))
    pd = sp.Poly(den, s)
    if pd.degree() > 0:
        # rationalise a denominator d0 + d1*s by its conjugate
        d0 = sum((c * R ** (k // 2) for (k,), c in pd.terms() if k % 2 == 0), sp.Integer(0))
        d1 = sum((c * R ** (k // 2) for (k,), c in pd.terms() if k % 2 == 1), sp.Integer(0))
        a, b = a * d0 - b * d1 * R, b * d0 - a * d1
        den = d0 ** 2 - d1 ** 2 * R
    return cancel(a), cancel(b), cancel(den), R


def radical_sign(expr, region: Mapping[sp.Symbol, sp.Expr] | None = None,
                 positive: Iterable[sp.Symbol] = ()) -> Sign:
    """Strict sign of ``(a + b*sqrt(R)) / d`` on a region (a, b, d, R rational).

    ``sign(a + b*sqrt(R))`` is ``sign(a)`` when ``a`` and ``b`` share it; when
    they differ it is ``sign(a) * sign(a**2 - b**2*R)`` (compare squares of the
    two terms).  Each sign is decided by :func:`sign_on_region`.
    """
    expr = sp.sympify(expr)
    if region:
        expr = expr.xreplace(dict(region))
    reps = {s: sp.Symbol(s.name, positive=True) for s in positive}
    expr = _positive_symbols(expr.xreplace(reps))
    if expr.is_rational_function():
        return sign_on_region(expr)
    parts = _single_radical(expr)
    if parts is None:
        return complete_sign(expr, "not of the form (a + b*sqrt(R))/d")
    a, b, d, R = parts
    sa, sb, sd = (sign_on_region(x).sign for x in (a, b, d))
    form = (a + b * sp.sqrt(R)) / d
    if sd in (None, ZERO):
        return complete_sign(form, "sign of the denominator not established")
    if sb == ZERO:
        return Sign(None if sa is None else sa * sd, form, "no radical left")
    if sa == ZERO and sb is not None:
        return Sign(sb * sd, form, "a pure radical term")
    if sa is not None and sa == sb:
        return Sign(sa * sd, form, "both terms have the same sign")
    sq = sign_on_region(a ** 2 - b ** 2 * R).sign
    if sa is not None and sb is not None and sq is not None and sq != ZERO:
        return Sign(sa * sq * sd, form, "a and b*sqrt(R) differ in sign; sign(a**2 - b**2*R) decides")
    return complete_sign(form, "signs of a, b or a**2 - b**2*R not established")


def follower_response(model_id: str, known: Mapping[str, int | Fraction | str], demand: str = "uniform",
                      rate: str | None = None, shadow: Mapping[str, float] | None = None) -> Derivation:
    """The retailer's stage with every leader term kept symbolic.

    :func:`scfin.solver.solve` takes numbers only, so a contract term such as
    ``w`` or ``b`` is either a number or optimised by M.  For comparative
    statics in a term the retailer's response must hold for the *symbol*: this
    runs the engine (:func:`scfin.derive.engine.derive`) optimising only the
    follower's decisions, with ``known`` substituted (numbers only).  The
    returned :class:`Derivation` has ``decisions`` (q, e in the parameters),
    ``interest_rate`` (the competitive rate in closed form, where one exists)
    and ``expectations.values`` (unsimplified expected profits and events).
    ``shadow`` overrides the numeric point that fixes the region structure
    (e.g. ``{"T": 40, "q": 60}`` for an order above a sales target).
    """
    model = get_model(model_id).with_options(rate=rate)
    dem = get_demand(demand)
    vals = {k: Fraction(v) for k, v in known.items()}
    point = base_shadow(model, dem, vals)
    point.update({sym(k): float(x) for k, x in (shadow or {}).items()})
    optimised = tuple(d for d in model.follower if d not in vals)
    known_q = {k: sp.Rational(v.numerator, v.denominator) for k, v in sorted(vals.items())}
    return derive_cached(model, dem, optimised, point, known_q)


def at_response(D: Derivation, expr) -> sp.Expr:
    """``expr`` (an expected value of ``D``) at the retailer's response and rate."""
    point = {sym(k): v for k, v in D.decisions.items()}
    out = sp.sympify(expr).xreplace(point)
    if D.interest_rate is not None and D.interest_rate != sym("r"):
        out = out.xreplace({sym("r"): sp.sympify(D.interest_rate).xreplace(point)})
    return out
