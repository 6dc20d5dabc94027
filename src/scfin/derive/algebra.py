"""Fast canonical forms for rational functions, shared by the engine, the claims and the display.

``sympy.cancel`` first expands the whole expression tree as SymPy objects;
on the nested sums of products the engine produces (a profit with the
retailer's response substituted, a second-order condition) that expansion
is nearly all of its cost, seconds per call.  ``sympy.factor`` then factors
multivariate polynomials by Wang's algorithm in pure Python, whose random
evaluation points make its time vary by an order of magnitude from run to
run on the same input.

Here a rational function built from symbols and rationals by ``+``, ``*``
and integer powers is converted bottom-up into FLINT's multivariate
polynomials (python-flint): one numerator/denominator pair per distinct
subexpression, sums reduced over the least common denominator.  The result
is put in SymPy's canonical form (integer numerator and denominator with no
common factor, the denominator's leading coefficient positive in the
lexicographic order of SymPy's generator order) and, for
:func:`factor_rational`, factored by FLINT; :func:`diff` differentiates the
pair (``sympy.cancel`` of ``sympy.diff``) and :func:`numerator` returns
``P``.  The expressions returned are the ones ``sympy.cancel``,
``sympy.factor`` and ``sympy.cancel(sympy.diff(...))`` return: tests compare
them on every kind of input the package produces, and
``SCFIN_CHECK_CANCEL=1`` compares every call.  Anything else (radicals,
functions, floats) goes to SymPy, over one denominator first (``together``:
much faster on a sum of big fractions).
"""

from __future__ import annotations

import os
from math import gcd, lcm

import flint
import sympy as sp
from sympy.core.mul import _keep_coeff
from sympy.polys.polyutils import _sort_gens

_CHECK = os.environ.get("SCFIN_CHECK_CANCEL", "") not in ("", "0")


def nodes(expr: sp.Basic):
    """Every distinct subexpression of ``expr`` once.

    The engine's expressions are DAGs: a substituted response or rate occurs
    in many places of a profit, and ``preorder_traversal`` (like ``has`` and
    ``free_symbols``) walks every occurrence; this walks each one once.
    """
    seen = set()
    stack = [expr]
    while stack:
        e = stack.pop()
        if e in seen:
            continue
        seen.add(e)
        yield e
        stack.extend(e.args)


def _polynomial_tree(expr: sp.Expr, polynomial: bool = False) -> bool:
    """Whether ``expr`` is built from symbols and rationals by +, * and integer powers (``polynomial``:
    nonnegative powers only, so that ``expr`` is a polynomial)."""
    for node in nodes(expr):
        if node.is_Symbol or node.is_Rational or node.is_Add or node.is_Mul:
            continue
        if node.is_Pow and node.exp.is_Integer and not (polynomial and node.exp < 0):
            continue
        return False
    return True


def is_rational_tree(expr) -> bool:
    """Whether ``expr`` is a rational function built from symbols and rationals by +, * and
    integer powers (what :func:`cancel` and :func:`factor_rational` convert in FLINT); one
    traversal that stops at the first other node."""
    return isinstance(expr, sp.Expr) and _polynomial_tree(expr)


def is_rational(expr) -> bool:
    """``expr.is_rational_function()``, answered in one early-stopping pass where ``expr`` is a
    :func:`is_rational_tree` (SymPy's test walks the whole tree and its free symbols)."""
    expr = sp.sympify(expr)
    return is_rational_tree(expr) or expr.is_rational_function()


class _Canonical:
    """``expr = P/Q`` with ``P, Q`` coprime in ``Z[gens]`` and ``LC(Q) > 0`` (FLINT polynomials)."""

    def __init__(self, expr: sp.Expr, extra_gens=()):
        self.gens = _sort_gens(list(expr.free_symbols | set(extra_gens)))
        names = tuple(f"x{i}" for i in range(len(self.gens)))
        self.qctx = flint.fmpq_mpoly_ctx.get(names, "lex")
        self.zctx = flint.fmpz_mpoly_ctx.get(names, "lex")
        n, d = self._convert(expr)
        if n.is_zero():
            self._set_lowest(None, None)
            return
        g = n.gcd(d)
        if not g.is_one():
            n, d = n / g, d / g
        scale = 1
        for c in list(n.coeffs()) + list(d.coeffs()):
            scale = lcm(scale, int(c.q))
        num = {m: int(c * scale) for m, c in n.to_dict().items()}
        den = {m: int(c * scale) for m, c in d.to_dict().items()}
        self._set_lowest(self.zctx.from_dict(num), self.zctx.from_dict(den), coprime=True)

    def _set_lowest(self, n, d, coprime: bool = False) -> None:
        """``P/Q = n/d`` (integer polynomials; ``None`` for zero) without common factor or
        content, ``LC(Q) > 0``; ``coprime``: ``n`` and ``d`` have no common polynomial factor."""
        if n is None or n.is_zero():
            self.P, self.Q = self.zctx.from_dict({}), self.zctx.from_dict({(0,) * len(self.gens): 1})
            return
        if not coprime:
            g = n.gcd(d)
            if not g.is_one():
                n, d = n / g, d / g
        content = gcd(int(n.content()), int(d.content()))
        if content != 1:
            n, d = n / content, d / content
        if d.leading_coefficient() < 0:
            n, d = -n, -d
        self.P, self.Q = n, d

    def derivative(self, x: sp.Symbol) -> "_Canonical":
        """``d(P/Q)/dx = (P'Q - PQ')/Q**2`` in lowest terms (``x`` one of ``self.gens``)."""
        i = self.gens.index(x)
        P, Q = self.P, self.Q
        out = object.__new__(_Canonical)
        out.gens, out.qctx, out.zctx = self.gens, self.qctx, self.zctx
        out._set_lowest(P.derivative(i) * Q - P * Q.derivative(i), Q * Q)
        return out

    def _convert(self, expr):
        ctx = self.qctx
        one = ctx.from_dict({(0,) * ctx.nvars(): 1})
        memo: dict[sp.Expr, tuple] = {g: (x, one) for g, x in zip(self.gens, ctx.gens())}

        def conv(e):
            got = memo.get(e)
            if got is not None:
                return got
            if e.is_Rational:
                out = (one * flint.fmpq(int(e.p), int(e.q)), one)
            elif e.is_Add:
                n, d = conv(e.args[0])
                for a in e.args[1:]:
                    n2, d2 = conv(a)
                    if d == d2:
                        n = n + n2
                        continue
                    g = d.gcd(d2)
                    if not g.is_one():
                        d2 = d2 / g
                        n, d = n * d2 + n2 * (d / g), d * d2
                    else:
                        n, d = n * d2 + n2 * d, d * d2
                out = (n, d)
            elif e.is_Mul:
                n, d = one, one
                for a in e.args:
                    n2, d2 = conv(a)
                    n, d = n * n2, d * d2
                out = (n, d)
            else:  # an integer power
                n, d = conv(e.base)
                k = int(e.exp)
                if k < 0:
                    if n.is_zero():
                        raise ZeroDivisionError
                    n, d, k = d, n, -k
                out = (n**k, d**k)
            memo[e] = out
            return out

        return conv(expr)

    def expr(self, poly) -> sp.Expr:
        gens = self.gens
        return sp.Add(*[sp.Integer(int(c)) * sp.Mul(*[g**e for g, e in zip(gens, m) if e])
                        for m, c in poly.to_dict().items()])

    def cancelled(self) -> sp.Expr:
        return self.expr(self.P) / self.expr(self.Q)

    def factored(self) -> sp.Expr:
        try:
            cp, fp = self.P.factor()
            cq, fq = self.Q.factor()
        except OverflowError:  # python-flint 0.9 cannot return some factorisations: SymPy can
            return sp.factor(self.cancelled())
        body = sp.Mul(*[self.expr(f) ** int(e) for f, e in fp], *[self.expr(f) ** -int(e) for f, e in fq])
        return _keep_coeff(sp.Rational(int(cp), int(cq)), body)


def _canonical(expr, extra_gens=()) -> _Canonical | None:
    """The canonical pair of a rational-function tree; None where SymPy must do it."""
    if not expr.free_symbols or not _polynomial_tree(expr):
        return None
    try:
        return _Canonical(expr, extra_gens)
    except ZeroDivisionError:  # a denominator that is identically zero: SymPy says zoo
        return None


def _canonical_argument(e: sp.Expr) -> sp.Expr:
    """A radicand or function argument in SymPy's canonical ``p/q`` where it is a rational function."""
    can = _canonical(e) if isinstance(e, sp.Expr) else None
    return e if can is None else can.cancelled()


def is_zero(expr) -> bool:
    """Whether ``expr`` is identically zero as a rational function of its symbols and of its
    other subexpressions (radicals, functions, floats) taken as independent variables.

    Radicands and function arguments are first put in canonical form, and a
    rational power ``b**(p/k)`` is read as ``(b**(1/k))**p``, so ``sqrt(x)**3``
    and ``sqrt(x)`` share one variable.  A sufficient test, and fast: zero
    there is zero everywhere; False does not prove that ``expr`` is non-zero
    when it has radicals or functions.
    """
    expr = sp.sympify(expr)
    if not isinstance(expr, sp.Expr):
        return False
    if expr.is_Number:
        return expr == 0
    variables: dict[sp.Expr, sp.Dummy] = {}
    #: radical variable -> (k, radicand): the variable's k-th power is the radicand
    roots: dict[sp.Dummy, tuple[int, sp.Expr]] = {}

    def variable(key, root_of=None):
        if key not in variables:
            variables[key] = sp.Dummy(f"g{len(variables)}")
            if root_of is not None:
                roots[variables[key]] = root_of
        return variables[key]

    def swap(e):
        if e.is_Symbol or e.is_Rational:
            return e
        if e.is_Add or e.is_Mul:
            return e.func(*[swap(a) for a in e.args])
        if e.is_Pow and e.exp.is_Integer:
            return swap(e.base) ** e.exp
        if e.is_Pow and e.exp.is_Rational:
            k = sp.Rational(1, e.exp.q)
            base = _canonical_argument(e.base)
            root = base**k
            if not (root.is_Pow and root.exp == k and root.base == base):
                return swap(root) ** int(e.exp.p)  # SymPy took factors out of the radical
            polynomial = bool(base.free_symbols) and _polynomial_tree(base)
            return variable(root, (int(e.exp.q), base) if polynomial else None) ** int(e.exp.p)
        key = e.func(*[_canonical_argument(a) for a in e.args]) if e.args else e
        return variable(key)

    expr = swap(expr)
    if not expr.free_symbols:
        return expr == 0
    extra = set().union(*(b.free_symbols for _, b in roots.values())) if roots else set()
    can = _canonical(expr, extra)
    if can is None:
        return False
    if can.P.is_zero():
        return True
    # use (root of b)^k = b: zero modulo these relations (with a denominator that is not) is zero
    return bool(roots) and _reduce(can, can.P, roots).is_zero() and not _reduce(can, can.Q, roots).is_zero()


def _reduce(can: _Canonical, poly, roots) -> object:
    """``poly`` with every power ``g^e`` (``e >= k``) of a radical variable ``g = b^(1/k)`` rewritten
    as ``g^(e mod k) b^(e div k)`` (radicands that are fractions are left alone)."""
    index = {g: i for i, g in enumerate(can.gens)}
    rules = []
    for g, (k, base) in roots.items():
        n, d = can._convert(base)
        if g in index and d.is_constant():
            rules.append((index[g], k, n / d))
    ctx = can.qctx
    P = ctx.from_dict({m: int(c) for m, c in poly.to_dict().items()})
    for _ in range(64):
        changed = False
        for i, k, b in rules:
            terms = P.to_dict()
            if all(m[i] < k for m in terms):
                continue
            changed = True
            low = {m: c for m, c in terms.items() if m[i] < k}
            P = ctx.from_dict(low)
            for m, c in terms.items():
                if m[i] >= k:
                    q, r = divmod(m[i], k)
                    P = P + ctx.from_dict({m[:i] + (r,) + m[i + 1:]: c}) * b**q
        if not changed:
            break
    return P


def _via_flint(expr, fast, slow, reference, name: str) -> sp.Expr:
    """``fast(canonical pair)`` where the pair exists, else ``slow(expr)``; checked against ``reference``."""
    expr = sp.sympify(expr)
    if not isinstance(expr, sp.Expr) or expr.is_Number:
        return expr
    can = _canonical(expr)
    if can is None:
        return slow(expr)
    out = fast(can)
    if _CHECK and reference(expr) != out:  # pragma: no cover - a bug in the conversion
        raise AssertionError(f"algebra.{name} differs from SymPy on {expr}")
    return out


def cancel(expr) -> sp.Expr:
    """``sympy.cancel(expr)``: the canonical ``p/q`` of a rational function, computed fast (see the module)."""
    return _via_flint(expr, _Canonical.cancelled, lambda e: sp.cancel(sp.together(e)), sp.cancel, "cancel")


def numerator(expr) -> sp.Expr:
    """A numerator of ``expr`` over one denominator: ``P`` of :func:`cancel`'s ``P/Q`` where
    ``expr`` is a rational-function tree (no factor in common with the denominator, so its
    roots are the roots of ``expr``), else ``sympy.numer(sympy.together(expr))``."""
    expr = sp.sympify(expr)
    can = _canonical(expr) if isinstance(expr, sp.Expr) and not expr.is_Number else None
    if can is None:
        return sp.numer(sp.together(expr))
    return can.expr(can.P)


def diff(expr, x: sp.Symbol) -> sp.Expr:
    """``d expr/dx``: for a rational-function tree ``sympy.cancel(sympy.diff(expr, x))``,
    differentiated in FLINT (SymPy's product and quotient rules on the large
    unexpanded trees of an expected profit cost more than the whole
    conversion); anything else ``sympy.diff(expr, x)``."""
    expr = sp.sympify(expr)
    if not expr.has(x):
        return sp.Integer(0)
    can = _canonical(expr)
    if can is None:
        return sp.diff(expr, x)
    out = can.derivative(x).cancelled()
    if _CHECK and sp.cancel(sp.diff(expr, x)) != out:  # pragma: no cover - a bug in the conversion
        raise AssertionError(f"algebra.diff differs from SymPy on {expr}")
    return out


def factor(expr) -> sp.Expr:
    """``sympy.factor(expr)``, computed fast where ``expr`` is a rational-function tree."""
    return _via_flint(expr, _Canonical.factored, sp.factor, sp.factor, "factor")


def factor_rational(expr) -> sp.Expr:
    """``sympy.factor(sympy.cancel(expr))``: factored lowest terms of a rational function, computed fast."""
    return _via_flint(expr, _Canonical.factored, lambda e: sp.factor(cancel(e)),
                      lambda e: sp.factor(sp.cancel(e)), "factor_rational")


def is_square_root(node, of_symbol: bool = True) -> bool:
    """``node`` is ``X**(k/2)`` (odd ``k``) with ``X`` not a number; ``of_symbol=False`` also excludes a bare
    symbol ``X`` (``sqrt(x)`` stays as printed where the display names only compound radicands)."""
    return (isinstance(node, sp.Pow) and node.exp.is_Rational and node.exp.q == 2
            and bool(node.base.free_symbols) and (of_symbol or not node.base.is_Symbol))


class SquareRoots:
    """The distinct square roots of an expression, each radicand factored once.

    The same radicand recurs in a derived expression in several forms (expanded, factored, under an odd
    power); ``sympy.factor`` puts them in one form, and a long radicand costs seconds to factor, so each
    distinct base is factored once.  ``bases``: the factored radicands in order of first appearance
    (pre-order); :meth:`flatten` writes every square root ``X**(k/2)`` as ``names[X]**k``.
    """

    def __init__(self, expr, of_symbol: bool = True):
        self._factored: dict = {}
        self._of_symbol = of_symbol
        self.bases: list = []
        for node in sp.preorder_traversal(expr):
            if is_square_root(node, of_symbol):
                b = self.radicand(node.base)
                if b not in self.bases:
                    self.bases.append(b)

    def radicand(self, base) -> sp.Expr:
        """``base`` factored (memoised)."""
        if base not in self._factored:
            self._factored[base] = sp.factor(base)
        return self._factored[base]

    def flatten(self, expr, names: dict) -> sp.Expr:
        """``expr`` with each square root written as a power of the symbol ``names[factored radicand]``."""
        return expr.replace(lambda x: is_square_root(x, self._of_symbol),
                            lambda x: names[self.radicand(x.base)] ** (2 * x.exp))


def reduce_square_roots(poly, roots) -> sp.Expr:
    """``poly`` (a polynomial in the symbols ``s`` of ``roots``: radicand ``X`` -> ``s``) reduced modulo every
    ``s**2 = X`` by pseudo-remainder: exact, and zero exactly where ``poly`` vanishes with each ``s = sqrt(X)``
    (given one radical, or radicals whose products are not squares)."""
    for b, s in roots.items():
        bn, bd = sp.fraction(sp.together(b))
        poly = sp.prem(expand(poly), expand(bd * s ** 2 - bn), s)
    return poly


def expand(expr) -> sp.Expr:
    """``sympy.expand(expr)``; for a polynomial (symbols and rationals under ``+``, ``*`` and powers with
    exponents >= 0) multiplied out in FLINT and returned as the same canonical sum.

    SymPy distributes products term by term as SymPy objects; the decision procedure's slack
    substitutions and radical eliminations expand polynomials of hundreds of terms many times.  The
    expanded form of a polynomial is unique, so both give the same expression (tested, and compared
    on every call with ``SCFIN_CHECK_CANCEL=1``); anything else goes to SymPy.
    """
    expr = sp.sympify(expr)
    if not isinstance(expr, sp.Expr) or expr.is_Atom:
        return expr
    if not _polynomial_tree(expr, polynomial=True):
        return sp.expand(expr)
    can = _Canonical(expr)
    q = int(can.Q.leading_coefficient())  # a positive integer: the denominator of a polynomial (1 for zero)
    gens = can.gens
    out = sp.Add(*[sp.Rational(int(c), q) * sp.Mul(*[g**e for g, e in zip(gens, m) if e])
                   for m, c in can.P.to_dict().items()])
    if _CHECK and sp.expand(expr) != out:  # pragma: no cover - a bug in the conversion
        raise AssertionError(f"algebra.expand differs from SymPy on {expr}")
    return out


def polynomial_terms(expr) -> tuple[list, dict[tuple[int, ...], sp.Integer]] | None:
    """The expanded polynomial ``expr`` as ``{exponents over its gens: coefficient}`` (FLINT), where
    ``expr`` is built from symbols and rationals by ``+``, ``*`` and powers with exponents >= 0; else None.

    The same monomials and coefficients as ``sympy.Poly(sympy.expand(expr), *gens)`` up to one positive
    factor (the common denominator), so the same signs, without SymPy's expansion (seconds on the slack
    substitutions the claims expand).  Returns ``(gens, terms)``.
    """
    expr = sp.sympify(expr)
    if not isinstance(expr, sp.Expr) or not expr.free_symbols or not _polynomial_tree(expr, polynomial=True):
        return None
    can = _Canonical(expr)
    if not can.Q.is_constant():  # pragma: no cover - a tree of nonnegative powers is a polynomial
        return None
    return can.gens, {m: sp.Integer(int(c)) for m, c in can.P.to_dict().items()}
