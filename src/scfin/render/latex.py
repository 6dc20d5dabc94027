"""Paper-quality LaTeX of equilibria and claims.

One printer (:class:`ScfinLatexPrinter`) and one dispatching function
(:func:`aslatex`) render every result type; paper notation lives in small
expression classes (:class:`ExpectedSales`, :class:`MeanDemand`) whose
``_latex`` prints what a paper writes (``\\mathbb{E}[\\min(D, q)]``).  Every
display form is checked against the derived form: :func:`paper_form` returns
an expression equal to its input (``simplify(display.definition() - derived)
== 0``, asserted in :func:`paper_form` itself and in the tests).

Term order follows the notation registry (docs/specification.md section 2), positive
terms first: ``(p - c)``, not ``(-c + p)``.
"""

from __future__ import annotations

import re
from functools import singledispatch
from typing import Iterable, Mapping

import sympy as sp
from sympy.printing.latex import LatexPrinter

from scfin.derive.algebra import SquareRoots, cancel, factor, is_rational_tree, is_zero, reduce_square_roots
from scfin.spec.demand import F as Fcdf, Finv, f as fdens
from scfin.spec.notation import REGISTRY, STAR, SYMBOL_LATEX
from scfin.results import Equilibrium
from scfin.claims.base import ClaimResult

# ---------------------------------------------------------------------------
# paper-notation expression classes
# ---------------------------------------------------------------------------

_t = sp.Symbol("t", real=True)


class ExpectedSales(sp.Function):
    """``S(z) = E[min(D, z)] = z (1 - F(z)) + int_0^z t f(t) dt`` (general demand).

    Prints as ``\\mathbb{E}[\\min(D, z)]``; :meth:`definition` gives the
    integral form the engine derives.
    """

    nargs = 1

    def definition(self):
        z = self.args[0]
        return z * (1 - Fcdf(z)) + sp.Integral(_t * fdens(_t), (_t, 0, z))

    def _latex(self, printer):
        return r"\mathbb{E}\left[\min(D, %s)\right]" % printer._print(self.args[0])


class MeanDemand(sp.Symbol):
    """``E[D] = int_0^oo t f(t) dt``."""

    def __new__(cls):
        return super().__new__(cls, "ED", positive=True)

    def definition(self):
        return sp.Integral(_t * fdens(_t), (_t, 0, sp.oo))

    def _latex(self, printer):
        return r"\mathbb{E}[D]"


def _partial(z):
    """``int_0^z t f(t) dt = S(z) - z (1 - F(z))`` in paper notation."""
    if z == 0:
        return sp.Integer(0)
    if z == sp.oo:
        return MeanDemand()
    return ExpectedSales(z) - z * (1 - Fcdf(z))


def definition(expr):
    """Replace paper-notation classes by the forms the engine derives."""
    expr = sp.sympify(expr)
    expr = expr.replace(lambda a: isinstance(a, ExpectedSales), lambda a: a.definition())
    expr = expr.xreplace({MeanDemand(): MeanDemand().definition()})
    return expr


def _merge_integrals(expr):
    # t f(t) integrals with the same integrand and different limits come from
    # region splitting; write each as a difference of partial expectations
    def rewrite(integral):
        fn = integral.function
        (var, lo, hi) = integral.limits[0]
        if fn.xreplace({var: _t}) == _t * fdens(_t):
            return _partial(hi) - _partial(lo)
        return integral

    return expr.replace(lambda a: isinstance(a, sp.Integral) and len(a.limits) == 1 and len(a.limits[0]) == 3,
                        rewrite)


def _f_of_finv(expr):
    """``F(F^{-1}(z)) = z``."""
    return expr.replace(lambda a: a.func == Fcdf and a.args and a.args[0].func == Finv, lambda a: a.args[0].args[0])


def _factor_rational(expr):
    """Numerator and denominator factored separately (``(p - c)`` stays one factor)."""
    expr = sp.sympify(expr)
    if not expr.free_symbols or expr.has(sp.Float, sp.Integral, sp.Function, sp.Derivative):
        return expr
    try:
        num, den = sp.fraction(cancel(expr))
    except sp.PolynomialError:
        return expr
    fn, fd = factor(num), factor(den)
    return fn / fd if fd != 1 else fn


class DisplayCheckError(AssertionError):
    """A display form that does not equal the derived form (a printing bug)."""


def _is_zero(diff) -> bool:
    diff = sp.sympify(diff)
    if diff == 0 or is_zero(diff):
        return True
    if is_rational_tree(diff):  # is_zero decided it exactly
        return False
    # cancel treats radicals and functions as independent generators: zero
    # there is zero everywhere (a sufficient test, and fast); only a non-zero
    # remainder with radicals needs simplify
    try:
        if cancel(diff) == 0:
            return True
    except sp.PolynomialError:
        pass
    if diff.is_rational_function():
        return False
    try:
        return sp.simplify(diff) == 0
    except Exception:  # pragma: no cover - simplify giving up is not a proof
        return False


#: beyond this many nodes (about 600 operations) an expression is printed as
#: derived: factoring numerator and denominator separately then costs seconds
#: and makes long expressions (a radicand of thousands of operations) longer,
#: not clearer
FACTOR_MAX_NODES = 900


def _bigger_than(expr, nodes: int) -> bool:
    """Whether ``expr`` has more than ``nodes`` nodes (stops counting there: cheap on huge trees)."""
    if not isinstance(expr, sp.Basic):
        return False
    for i, _ in enumerate(sp.preorder_traversal(expr)):
        if i >= nodes:
            return True
    return False


def paper_form(expr, check: bool = True):
    """The display form of a derived expression, checked equal to it.

    Integrals of general demand become ``E[min(D, z)]`` and ``E[D]``;
    ``F(F^{-1}(z)) = z``; rational functions are factored (numerator and
    denominator) so that ``(p - c)`` stays one factor.  Raises
    :class:`DisplayCheckError` if the display form differs from ``expr``.
    """
    expr = sp.sympify(expr)
    if isinstance(expr, sp.Basic) and not isinstance(expr, sp.Expr):
        return expr
    out = expr
    if out.has(sp.Integral):
        out = _merge_integrals(out)
    if out.has(Fcdf):
        out = _f_of_finv(out)
    if out.has(ExpectedSales):
        sales = sorted(out.atoms(ExpectedSales), key=sp.default_sort_key)
        parts = sp.collect(sp.expand(out, deep=False, mul=True), sales, evaluate=False)
        out = sp.Add(*[_factor_rational(coeff) * (s if s != 1 else 1) for s, coeff in parts.items()])
    elif out.free_symbols and not out.has(sp.Float) and not _bigger_than(out, FACTOR_MAX_NODES):
        out = _factor_rational(out)
    # F(F^{-1}(z)) = z is the one identity used beyond algebra
    if check and out is not expr and not _is_zero(_f_of_finv(definition(out) - definition(expr))):
        raise DisplayCheckError(f"display form of {expr} does not equal it")
    return out


# ---------------------------------------------------------------------------
# the printer
# ---------------------------------------------------------------------------

_RANK = {REGISTRY[n].symbol: i for i, n in enumerate(REGISTRY)}


def _term_key(term):
    """Order of terms in a sum: positive before negative, then registry order
    of the leading symbol, then higher degree first."""
    neg = term.could_extract_minus_sign()
    syms = sorted((_RANK.get(s, 99), str(s)) for s in term.free_symbols)
    lead = syms[0] if syms else (100, "")
    deg = _total_degree(term) or 0
    return (neg, not term.free_symbols, lead, deg, sp.default_sort_key(term))


def _total_degree(expr) -> int | None:
    """Total degree of a polynomial in its symbols, read off the tree; None if not a polynomial.

    Structural (no expansion: ``sympy.Poly`` of a power of a long sum expands
    it, seconds per term when printing a long radicand); a sum whose leading
    terms cancel on expansion is counted at its written degree.
    """
    if not expr.free_symbols:
        return 0
    if expr.is_Symbol:
        return 1
    if expr.is_Add or expr.is_Mul:
        degs = [_total_degree(a) for a in expr.args]
        if any(d is None for d in degs):
            return None
        return max(degs) if expr.is_Add else sum(degs)
    if expr.is_Pow and expr.exp.is_Integer and expr.exp > 0 and not expr.exp.free_symbols:
        base = _total_degree(expr.base)
        return None if base is None else base * int(expr.exp)
    return None


def _leading_negative(add) -> bool:
    """Whether the term of ``add`` with the first registry symbol is negative."""
    terms = [t for t in add.args if t.free_symbols]
    if not terms:
        return False
    first = min(terms, key=lambda t: (min((_RANK.get(s, 99), str(s)) for s in t.free_symbols), _term_key(t)))
    return first.could_extract_minus_sign()


class ScfinLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the registry's names and paper term order."""

    def __init__(self, settings=None):
        settings = dict(settings or {})
        settings.setdefault("symbol_names", dict(SYMBOL_LATEX))
        settings.setdefault("mul_symbol", None)
        super().__init__(settings)

    def _as_ordered_terms(self, expr, order=None):
        if isinstance(expr, sp.Add):
            return sorted(expr.args, key=_term_key)
        return super()._as_ordered_terms(expr, order=order)

    def _print_Mul(self, expr):
        # -(v - p) f  ->  (p - v) f: flip a sum whose first symbol (registry
        # order) carries a minus sign, when the product has a sign to absorb it
        coeff, factors = expr.as_coeff_mul()
        flips = [i for i, a in enumerate(factors) if isinstance(a, sp.Add) and _leading_negative(a)]
        if coeff.is_negative and flips:
            new = list(factors)
            i = flips[0]
            new[i] = sp.Add(*[-t for t in factors[i].args], evaluate=False)
            coeff = -coeff
            args = ([coeff] if coeff != 1 else []) + new
            return super()._print_Mul(sp.Mul(*args, evaluate=False))
        return super()._print_Mul(expr)

    def _print_Function(self, expr, exp=None):
        names = {Fcdf: "F", fdens: "f", Finv: "F^{-1}"}
        if expr.func in names:
            body = r"%s\!\left(%s\right)" % (names[expr.func], ", ".join(self._print(a) for a in expr.args))
            if exp is not None:
                body = r"\left(%s\right)^{%s}" % (body, exp)
            return body
        return super()._print_Function(expr, exp)

    def _print_Symbol(self, expr, style="plain"):
        name = expr.name
        if expr in self._settings["symbol_names"]:
            return self._settings["symbol_names"][expr]
        if expr in SYMBOL_LATEX:  # a symbol a user's clause declared after this printer was made
            return SYMBOL_LATEX[expr]
        if any(ch in name for ch in " '<>=") or len(name) > 12:
            return r"\text{%s}" % tex_escape(name)
        return super()._print_Symbol(expr, style=style)

    def _print_Float(self, expr):
        return number_latex(expr)


_PRINTER = ScfinLatexPrinter({"symbol_names": {**SYMBOL_LATEX, **{s: f"{d}^{{*}}" for d, s in STAR.items()}}})


def latex(expr, paper: bool = True) -> str:
    """LaTeX of one expression (or relation) in paper notation.

    Checking a display form against the derived one (``simplify(a - b)``)
    is the slow part of rendering a report, so results are cached on disk
    under the expression's ``srepr`` and the package's source digest.
    """
    from scfin.derive import cache

    expr = sp.sympify(expr)
    # the LaTeX of declared symbols is part of the result (a user may change a declaration)
    names = sorted((str(x), SYMBOL_LATEX.get(x, "")) for x in getattr(expr, "free_symbols", ()))
    key = cache.make_key("latex", sp.srepr(expr), paper, cache.package_digest(), names)
    return cache.cached(key, lambda: _latex(expr, paper))


def _latex(expr, paper: bool) -> str:
    if isinstance(expr, sp.Rel):
        lhs = _safe_paper(expr.lhs) if paper else expr.lhs
        rhs = _safe_paper(expr.rhs) if paper else expr.rhs
        op = {"==": "=", ">=": r"\ge", "<=": r"\le", ">": ">", "<": "<", "!=": r"\ne"}[expr.rel_op]
        return f"{_PRINTER.doprint(lhs)} {op} {_PRINTER.doprint(rhs)}"
    if paper and isinstance(expr, sp.Expr):
        try:
            expr = paper_form(expr)
        except DisplayCheckError:  # never print an unchecked form: fall back to the derived one
            pass
    return _PRINTER.doprint(expr)


def _safe_paper(expr):
    try:
        return paper_form(expr)
    except DisplayCheckError:  # never print an unchecked form: fall back to the derived one
        return sp.sympify(expr)


def number_latex(value, digits: int = 6) -> str:
    """A number for a table: exact integers and short fractions as they are,
    everything else with ``digits`` significant digits (deterministic)."""
    v = sp.sympify(value)
    if v.is_Integer:
        return str(int(v))
    if v.is_Rational and abs(v.q) < 1000:
        sign = "-" if v < 0 else ""
        return r"%s\tfrac{%d}{%d}" % (sign, abs(v.p), v.q)
    try:
        x = float(v)
    except (TypeError, ValueError):
        return _PRINTER.doprint(v)
    if x == 0 or abs(x) < 1e-9:
        return "0"
    text = f"{x:.{digits}g}"
    if "e" in text:
        mant, ex = text.split("e")
        return rf"{mant}\times 10^{{{int(ex)}}}"
    return text


_TEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                "<": r"\textless{}", ">": r"\textgreater{}"}


def tex_escape(text: str) -> str:
    """Plain text safe for LaTeX."""
    return "".join(_TEX_SPECIAL.get(ch, ch) for ch in str(text))


# ---------------------------------------------------------------------------
# equilibria
# ---------------------------------------------------------------------------

DECISION_LATEX = {"q": "q^{*}", "e": "e^{*}", "w": "w^{*}", "r": "r^{*}"}
PROFIT_LATEX = {"retailer": r"\Pi_R", "manufacturer": r"\Pi_M", "bank": r"\Pi_B", "chain": r"\Pi_{SC}"}
METRIC_LATEX = {
    "efficiency": r"\Pi_{SC}/\Pi_{I}",
    "expected_sales": r"\mathbb{E}\left[\min(D, q^{*})\right]",
    "loan": "L",
    "interest_rate": "r",
    "default_probability": r"\Pr(\text{default})",
}
PARTY_TEXT = {"retailer": "retailer", "manufacturer": "manufacturer", "bank": "bank", "chain": "chain"}

#: LaTeX of a name in a result mapping (decision, profit or metric)
NAME_LATEX = {**DECISION_LATEX, **PROFIT_LATEX, **METRIC_LATEX}

#: above this many characters a display line is shrunk to the line width
WIDE = 110


_ABBREV = "Delta"


def abbreviate(exprs: Mapping[str, sp.Expr]) -> tuple[dict[str, sp.Expr], tuple[tuple[sp.Symbol, sp.Expr], ...]]:
    """Name each radical of a compound expression ``Delta_1, Delta_2, ...``.

    Closed forms of the bank-loan models repeat one square root (the default
    threshold's) many times; a paper names it once.  The replacement is an
    exact ``xreplace``; the remaining rational function is factored.
    Returns the new expressions and the definitions in order of appearance.
    """
    radicals: list[sp.Expr] = []
    for v in exprs.values():
        v = sp.sympify(v)
        for node in sp.preorder_traversal(v):
            if (isinstance(node, sp.Pow) and node.exp.is_Rational and not node.exp.is_Integer
                    and not node.base.is_Symbol and node.base.free_symbols and node not in radicals):
                radicals.append(node)
    names = {rad: sp.Symbol(f"{_ABBREV}_{i + 1}", positive=True) for i, rad in enumerate(radicals)}
    out = {k: sp.sympify(v).xreplace(names) for k, v in exprs.items()}
    # an implicit decision (F^{-1}(...)) is written q^* wherever it recurs,
    # after the paper forms of the integrals (checked) and F(F^{-1}(z)) = z
    if any(sp.sympify(v).has(Finv) for v in out.values()):
        for k, v in list(out.items()):
            new = _f_of_finv(_merge_integrals(sp.sympify(v))) if sp.sympify(v).has(sp.Integral, Fcdf) else v
            if new is not v and not _is_zero(_f_of_finv(definition(new) - v)):
                raise DisplayCheckError(f"display form of {v} does not equal it")
            out[k] = new
    for d in ("q", "e", "w"):
        val = out.get(d)
        if val is not None and sp.sympify(val).has(Finv):
            out = {k: (v if k == d else sp.sympify(v).xreplace({val: STAR[d]})) for k, v in out.items()}
    return out, tuple((names[r], r) for r in radicals)


def name_square_roots(expr, known=()):
    """``expr`` with each distinct square root named ``Delta_i`` after its radicand is factored.

    The first-order condition of a model with a square root in the retailer's default threshold repeats
    one radical in several forms (expanded, factored, in the denominator); named once, the expression's
    numerator is written as ``Delta (..) + (..)`` with ``Delta^2`` put back as its radicand.  ``known``:
    definitions ``(name, radical)`` already made (reused for the same radicand; new names number on).
    Returns ``(expr, new definitions)``; where nothing is named, or the named form fails its exact check against
    ``expr``, the expression itself and no definitions.
    """
    expr = sp.sympify(expr)
    roots = SquareRoots(expr, of_symbol=False)
    radicand, bases = roots.radicand, roots.bases
    if not bases:
        return expr, ()
    names = {radicand(rad.base): D for D, rad in known if isinstance(rad, sp.Pow) and rad.exp == sp.Rational(1, 2)}
    fresh = [b for b in bases if b not in names]
    names.update({b: sp.Symbol(f"{_ABBREV}_{len(known) + 1 + i}", positive=True) for i, b in enumerate(fresh)})
    names = {b: names[b] for b in bases}
    try:
        f = roots.flatten(expr, names)
        num, den = sp.fraction(sp.together(f))
        num = sp.expand(num)
        for b, D in names.items():
            poly = sp.Poly(num, D)
            num = sp.expand(sp.Add(*[c.as_expr() * b ** (k // 2) * D ** (k % 2) for (k,), c in poly.terms()]))
            parts = sp.collect(num, D, evaluate=False)
            num = sp.Add(*[sp.factor(c) * k for k, c in parts.items()])
        out = sp.factor_terms(num) / sp.factor(den)
        # exact check: out equals f modulo Delta^2 = radicand (each radicand is its own factored form, so f
        # is expr with its square roots written as powers of Delta)
        if sp.cancel(reduce_square_roots(sp.numer(sp.together(out - f)), names)) != 0:
            return expr, ()
    except (sp.PolynomialError, sp.GeneratorsNeeded):
        return expr, ()
    return out, tuple((names[b], sp.Pow(b, sp.Rational(1, 2), evaluate=False)) for b in fresh)


def _abbrev_def_latex(name, rad) -> str:
    try:
        base = paper_form(rad.base)
    except DisplayCheckError:  # unproved display form: print the derived one
        base = rad.base
    return f"{_PRINTER.doprint(name)} = {_PRINTER.doprint(sp.Pow(base, rad.exp, evaluate=False))}"


def _abbrev_defs_latex(defs) -> list[str]:
    """``Delta_i = ...`` lines; cached on disk like :func:`latex` (printing a long radicand is slow)."""
    from scfin.derive import cache

    return [cache.cached(cache.make_key("latex-definition", sp.srepr(name), sp.srepr(rad), cache.package_digest()),
                         lambda name=name, rad=rad: _abbrev_def_latex(name, rad))
            for name, rad in defs]


#: an expression with more nodes than this (about 300 operations) is displayed
#: in the optimal decisions (``q^*, e^*, w^*, r^*``) where the equilibrium
#: carries that form: the substituted closed form of an effort model's profit
#: runs to thousands of operations, pages no referee would read
LONG_NODES = 450


def _long(expr) -> bool:
    return _bigger_than(sp.sympify(expr), LONG_NODES)


def _quantities(eq) -> dict[str, sp.Expr]:
    """Decisions, profits and metrics as displayed: long ones in the optimal decisions."""
    out = {}
    for group in (eq.decisions, eq.profits, eq.metrics):
        out.update({k: v for k, v in group.items() if v is not None})
    short = getattr(eq, "in_decisions", {})
    return {k: (short[k] if k in short and k not in eq.decisions and _long(v) else v) for k, v in out.items()}


def _in_decisions_note(eq) -> str | None:
    """The sentence that says which quantities are written in q*, e*, w*, or None."""
    short = getattr(eq, "in_decisions", {})
    used = [k for group in (eq.profits, eq.metrics) for k, v in group.items() if k in short and _long(v)]
    used += [c for c in eq.regime if getattr(c, "in_decisions", None) is not None and _long(c.condition)]
    if not used:
        return None
    optimal = {**eq.decisions, **({"r": eq.metrics["interest_rate"]} if "interest_rate" in eq.metrics else {})}
    stars = ", ".join(f"{_PRINTER.doprint(STAR[d])}" for d in STAR if d in optimal
                      and not sp.sympify(optimal[d]).is_number)
    what = "decisions and interest rate" if "r" in optimal and not sp.sympify(optimal["r"]).is_number else "decisions"
    return (f"Long expressions are written in the optimal {what} ${stars}$ given above, "
            "as they are derived; substituting the closed forms gives the expressions in the parameters alone.")


def _quantity_latex(key: str, value) -> tuple[str, str]:
    """``(lhs, rhs)`` of one displayed quantity; an equation defines the rate implicitly."""
    lhs = _name_latex(key)
    if isinstance(value, sp.Eq):
        return lhs, _rate_root_prefix() + latex(value)
    return lhs, latex(value)


def _name_latex(key: str) -> str:
    """The displayed name of a quantity: the paper's (``q^*``, ``\\Pi_R``), a declared decision's with a star."""
    if key in NAME_LATEX:
        return NAME_LATEX[key]
    info = REGISTRY.get(key)
    if info is not None:
        return f"{info.latex}^{{*}}" if info.kind == "decision" else info.latex
    return rf"\text{{{tex_escape(key)}}}"


def _rate_root_prefix() -> str:
    """``r^*, the least root r^* >= r_f of`` (the equation of an implicit rate follows)."""
    star = _PRINTER.doprint(STAR["r"])
    return rf"{star}, \text{{ the least root }} {star} \ge r_f \text{{ of }} \quad "


def _items(eq) -> tuple[list[tuple[str, str]], list[str]]:
    exprs, defs = abbreviate(_quantities(eq))
    out = [_quantity_latex(k, v) for k, v in exprs.items()]
    return out, _abbrev_defs_latex(defs)


def equilibrium_latex(eq, inline: bool = False) -> str:
    """The equilibrium's decisions, profits and metrics as LaTeX maths.

    ``inline=True``: one line ``q^* = ..., \\quad w^* = ...`` (Jupyter);
    otherwise an ``aligned`` block, one quantity per row.  Without a closed
    form (and no numbers) the first-order conditions are shown instead.
    """
    items, defs = _items(eq)
    if defs:
        items += [("", r"\text{where } " + d) for d in defs]
    if not items:
        items = [(rf"\text{{{tex_escape(p)}}}", latex(c)) for p, c in eq.first_order]
        if inline:
            return r",\quad ".join(f"{l}: {r}" for l, r in items)
        return "\\begin{aligned}\n" + " \\\\\n".join(f"&\\text{{{l}}}: && {r}" for l, r in items) + "\n\\end{aligned}"
    if inline:
        return r",\quad ".join(f"{l} = {r}" if l else r for l, r in items)
    return "\\begin{aligned}\n" + " \\\\\n".join(f"{l} &= {r}" if l else f"& {r}" for l, r in items) + "\n\\end{aligned}"


#: a display longer than this many characters of LaTeX is broken over lines
#: (at the top-level signs of its numerator and denominator) instead of shrunk
BREAK = 3 * WIDE
#: characters of LaTeX per line of a broken display
LINE = 100
#: a display that cannot be broken into at most this many lines is not printed
#: (a sentence says so): no display is shrunk below the footnote size
MAX_LINES = 8


def _sum_lines(expr, width: int = LINE) -> list[str]:
    """A sum printed term by term (paper order), cut into lines of about ``width`` characters."""
    terms = _PRINTER._as_ordered_terms(expr) if isinstance(expr, sp.Add) else [expr]
    pieces = []
    for i, term in enumerate(terms):
        tex = _PRINTER.doprint(term)
        pieces.append(tex if i == 0 else (" - " + tex[1:].lstrip() if tex.startswith("-") else " + " + tex))
    return _fill_lines(pieces, width)


def _fill_lines(pieces, width: int) -> list[str]:
    """Pieces of a display joined greedily into lines of at most ``width`` characters (a piece never split)."""
    lines, cur = [], ""
    for piece in pieces:
        if cur and len(cur) + len(piece) > width:
            lines.append(cur)
            cur = piece
        else:
            cur += piece
    lines.append(cur)
    return lines


def _factor_lines(expr, width: int = LINE) -> list[str] | None:
    """A product whose one long factor is a sum: the short factors, then the sum over lines."""
    sign = ""
    if not isinstance(expr, sp.Add) and expr.could_extract_minus_sign():
        sign, expr = "-", -expr
    factors = sp.Mul.make_args(expr)
    long = [f for f in factors if isinstance(f, sp.Add) and len(_PRINTER.doprint(f)) > width]
    if not long:
        return [sign + _PRINTER.doprint(expr)]
    if len(long) != 1:
        return None
    rest = sp.Mul(*[f for f in factors if f is not long[0]])
    head = sign + ("" if rest == 1 else _PRINTER.doprint(rest) + " ")
    if len(factors) == 1 and not sign:
        return _sum_lines(long[0], width)
    lines = _sum_lines(long[0], width)
    lines[0] = head + r"\bigl[" + lines[0]
    lines[-1] += r"\bigr]"
    return lines


def long_display(lhs: str, expr, prefix: str = "", suffix: str = "") -> str | None:
    """A long quantity over several lines (``multline*``), or None where it cannot be broken.

    Cached on disk like :func:`latex` (the paper form's check is the slow part).
    """
    from scfin.derive import cache

    expr = sp.sympify(expr)
    key = cache.make_key("long-display", lhs, sp.srepr(expr), prefix, suffix, cache.package_digest())
    return cache.cached(key, lambda: _long_display(lhs, expr, prefix, suffix))


def _long_display(lhs: str, expr, prefix: str = "", suffix: str = "") -> str | None:
    """:func:`long_display`, uncached.

    ``lhs = prefix N / D suffix`` with the numerator ``N`` and the denominator
    ``D`` each broken at their top-level signs.  Printing only: the terms are
    the expression's own (the paper form where it is short enough to check).
    """
    expr = sp.sympify(expr)
    if not isinstance(expr, sp.Expr) or expr.has(sp.Integral, sp.Float):
        return None
    if not _bigger_than(expr, FACTOR_MAX_NODES):
        expr = _safe_paper(expr)
    num, den = sp.fraction(expr)
    top = _factor_lines(num)
    bottom = _factor_lines(den) if den != 1 else []
    if top is None or bottom is None or (len(top) == 1 and len(bottom) <= 1):
        return None
    lines = list(top)
    if bottom:
        if len(top) > 1 and not lines[0].startswith("-") and r"\bigl[" not in lines[0]:
            lines[0], lines[-1] = r"\bigl[" + lines[0], lines[-1] + r"\bigr]"
        if len(bottom) > 1 and r"\bigl[" not in bottom[0]:
            bottom[0], bottom[-1] = r"\bigl[" + bottom[0], bottom[-1] + r"\bigr]"
        lines.append(r"\Big/ " + bottom[0])
        lines += bottom[1:]
    lines[0] = f"{lhs} = {prefix}" + lines[0]
    lines[-1] += suffix
    return "\\begin{multline*}\n" + " \\\\\n".join(lines) + "\n\\end{multline*}"


def _split_top(body: str) -> list[str]:
    """``body`` cut before its top-level ``+``/``-`` signs and fraction bars ``\\Big/``, and after top-level ``,\\ `` (brace and
    ``\\left``/``\\right`` depth 0), in pieces; one piece where there is no such place."""
    pieces, depth, cur, i = [], 0, "", 0
    while i < len(body):
        if body.startswith("\\left", i) and not body[i + 5:i + 6].isalpha():
            depth += 1
        elif body.startswith("\\right", i) and not body[i + 6:i + 7].isalpha():
            depth -= 1
        ch = body[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if depth == 0 and cur.strip() and body[i - 1:i] == " " and (
                (ch in "+-" and body[i + 1:i + 2] == " ") or body.startswith("\\Big/ ", i)):
            pieces.append(cur)
            cur = ""
        cur += ch
        if depth == 0 and body.startswith(",\\ ", i - 2) and ch == " ":
            pieces.append(cur)
            cur = ""
        i += 1
    if cur.strip():
        pieces.append(cur)
    return pieces


def _group(body: str, i: int) -> int:
    """Index just past the brace group opening at ``body[i] == "{"``."""
    depth = 0
    for j in range(i, len(body)):
        depth += {"{": 1, "}": -1}.get(body[j], 0)
        if depth == 0:
            return j + 1
    return len(body)


def _open_fractions(body: str) -> str:
    """Long top-level ``\\frac{N}{D}`` written ``[N] / [D]`` (``\\bigl[ ... \\bigr]``), so that the signs
    of ``N`` and ``D`` become places to break the line."""
    out, i, depth = "", 0, 0
    while i < len(body):
        if depth == 0 and body.startswith("\\frac{", i):
            a = i + 5
            b = _group(body, a)
            if b < len(body) and body[b] == "{":
                c = _group(body, b)
                if c - i > LINE:
                    out += ("\\bigl[" + _open_fractions(body[a + 1:b - 1]) + "\\bigr] \\Big/ \\bigl["
                            + _open_fractions(body[b + 1:c - 1]) + "\\bigr]")
                    i = c
                    continue
        ch = body[i]
        if body.startswith("\\left", i) and not body[i + 5:i + 6].isalpha():
            depth += 1
        elif body.startswith("\\right", i) and not body[i + 6:i + 7].isalpha():
            depth -= 1
        depth += {"{": 1, "}": -1}.get(ch, 0)
        out += ch
        i += 1
    return out


def _matching_right(body: str, i: int) -> int:
    """Index of the ``\\right`` that closes the ``\\left`` at ``body[i]`` (-1 if none)."""
    depth, j = 0, i
    while j < len(body):
        if body.startswith("\\left", j) and not body[j + 5:j + 6].isalpha():
            depth += 1
            j += 5
            continue
        if body.startswith("\\right", j) and not body[j + 6:j + 7].isalpha():
            depth -= 1
            if depth == 0:
                return j
            j += 6
            continue
        j += 1
    return -1


def _open_parens(body: str) -> str:
    """Long top-level ``\\left( ... \\right)`` (or brackets) written ``\\bigl( ... \\bigr)``, so that the signs
    inside become places to break the line (a product with a long bracketed sum, such as a denominator
    ``\\kappa (4 b p + ...)``); ``\\bigl``/``\\bigr`` need not stand on one line of a ``multline``."""
    out, i, depth = "", 0, 0
    while i < len(body):
        if depth == 0 and (body.startswith("\\left(", i) or body.startswith("\\left[", i)):
            j = _matching_right(body, i)
            if j > 0 and body[j + 6:j + 7] in ")]" and j + 7 - i > LINE:
                out += "\\bigl" + body[i + 5] + _open_parens(body[i + 6:j]) + "\\bigr" + body[j + 6]
                i = j + 7
                continue
        if body.startswith("\\left", i) and not body[i + 5:i + 6].isalpha():
            depth += 1
        elif body.startswith("\\right", i) and not body[i + 6:i + 7].isalpha():
            depth -= 1
        depth += {"{": 1, "}": -1}.get(body[i], 0)
        out += body[i]
        i += 1
    return out


def _too_long(body: str) -> str:
    return ("\\par\\noindent\\emph{(The expression runs to %d characters of LaTeX and is too long to print "
            "legibly; the result value holds it.)}" % len(body))


def display(lhs: str, rhs: str, rel: str = "=") -> str:
    """One displayed equation.

    Up to :data:`WIDE` characters on one line; a little longer, shrunk to the
    line width but never below the footnote size (``\\fitwidth``); longer,
    broken at its top-level signs over at most :data:`MAX_LINES` lines
    (``multline*``); beyond that a sentence says it is too long to print.
    """
    body = f"{lhs} {rel} {rhs}" if lhs else rhs
    if len(body) <= WIDE:
        return "\\[\n" + body + "\n\\]"
    if len(body) <= 1.2 * WIDE:
        return "\\begin{center}\n\\fitwidth{$\\displaystyle " + body + "$}\n\\end{center}"
    pieces = []
    for piece in _split_top(_open_fractions(body)):
        # a piece no line can hold: its long brackets opened, its inner signs places to break
        pieces += _split_top(_open_parens(piece)) if len(piece) > LINE else [piece]
    lines = _fill_lines(pieces, LINE)
    if len(lines) > MAX_LINES or any(len(ln) > 1.2 * LINE for ln in lines):
        return _too_long(body)
    return "\\begin{multline*}\n" + " \\\\\n".join(ln.strip() for ln in lines) + "\n\\end{multline*}"


def equilibrium_document_fragment(eq) -> str:
    """A LaTeX fragment for a document: the equilibrium in display maths.

    Needs ``amsmath``, ``graphicx`` and ``\\fitwidth`` (:data:`PREAMBLE`).  Sections:
    decisions, profits, metrics; first-order conditions where there is no
    closed form; regime and second-order conditions; notes.
    """
    lines = [f"% {eq.title} [{eq.model}], {eq.demand} demand" + (f", rate {eq.rate}" if eq.rate else "")]
    if eq.parameters:
        pars = ", ".join(f"{REGISTRY[k].latex if k in REGISTRY else k} = {number_latex(v)}"
                         for k, v in eq.parameters.items())
        lines.append(f"\\noindent Parameters: ${pars}$.")
    kind = "closed form" if eq.closed_form else ("numeric solution" if eq.numeric else "implicit (first-order conditions)")
    lines.append(f"\\noindent Solution: {kind}.")
    exprs, defs = abbreviate(_quantities(eq))
    for title, group in (("Decisions", eq.decisions), ("Expected profits", eq.profits), ("Metrics", eq.metrics)):
        if not group:
            continue
        lines.append(f"\\paragraph{{{title}.}}")
        for k in group:
            if k not in exprs:  # a quantity reported as none (no loan, no rate in force)
                lines.append(display(_name_latex(k), r"\text{none}"))
                continue
            if k == "interest_rate" and exprs[k] == REGISTRY["r"].symbol:  # not "r = r": the rate is given
                lines.append(r"\noindent The interest rate $r$ is given (exogenous).")
                continue
            lhs, rhs = _quantity_latex(k, exprs[k])
            broken = None
            if len(rhs) > BREAK:
                value = exprs[k]
                if isinstance(value, sp.Eq):
                    broken = long_display(lhs, value.lhs, prefix=_rate_root_prefix(), suffix=" = 0")
                else:
                    broken = long_display(lhs, value)
            lines.append(broken or display(lhs, rhs))
    if defs:
        lines.append("\\noindent where")
        for d in _abbrev_defs_latex(defs):
            lines.append(display("", d))
    note = _in_decisions_note(eq)
    if note:
        lines.append(f"\\noindent {note}")
    if eq.first_order and not eq.closed_form:
        lines.append("\\paragraph{First-order conditions.}")
        for player, cond in eq.first_order:
            lines.append(f"\\noindent {tex_escape(player)}:")
            # a condition that cannot hold (a profit linear in the decision) evaluates to False once stored
            if cond in (sp.true, sp.false):
                lines.append(display("", r"\text{no stationary point (the derivative never vanishes)}"))
                continue
            roots = ()
            if isinstance(cond, sp.Eq) and cond.rhs == 0 and len(latex(cond)) > WIDE:
                changed, named, roots = _named_roots(cond.lhs, tuple(defs))
                if changed:
                    defs = tuple(defs) + roots
                    cond = sp.Eq(named, 0, evaluate=False)
            lines.append(display("", latex(cond)))
            if roots:
                lines.append("\\noindent where")
                lines += [display("", d) for d in _abbrev_defs_latex(roots)]
    if eq.regime:
        lines.append("\\paragraph{Regime and second-order conditions.}")
        lines.append(regime_latex(eq.regime, known=defs))
    if eq.boundary:
        # the engine's own note ("boundary solution: ..., w -> p/(r + 1)") is said here in mathematics
        said = ", ".join(f"${_name(d)}$" for d in eq.boundary)
        lines.append("\\paragraph{Boundary solutions.} The manufacturer's profit is maximal at the edge of the "
                     f"admissible interval of {said}: a boundary solution, not a stationary point.")
    for note in eq.notes:
        if eq.boundary and note.startswith("boundary solution"):
            continue
        lines.append(f"\\noindent\\emph{{Note:}} {tex_escape(note)}\n")
    return "\n".join(lines) + "\n"


#: a regime condition whose LaTeX as derived is longer than this is written with its square roots named
#: without trying its display form (shorter ones are named where their display form is still too long)
NAME_ROOTS_DERIVED = 4 * WIDE


def _named_roots(gap, known: tuple) -> tuple[bool, sp.Expr, tuple]:
    """:func:`name_square_roots` of ``gap``, cached on disk like :func:`latex` (the report's pass reads what
    its worker processes named); ``(whether anything was named, the expression, new definitions)``."""
    from scfin.derive import cache

    def compute():
        named, roots = name_square_roots(gap, known=known)
        return named is not gap, named, roots

    key = cache.make_key("name-square-roots", sp.srepr(gap), [(sp.srepr(n), sp.srepr(r)) for n, r in known],
                         cache.package_digest())
    return cache.cached(key, compute)


def regime_latex(regime: Iterable, known=()) -> str:
    """The regime conditions as an itemised list with their source and status.

    A condition too long for a display is written with its square roots named (:func:`name_square_roots`;
    ``known``: the names already defined where the list stands), the new ones defined in the item."""
    mark = {True: "holds", False: "FAILS", None: "symbolic"}
    out = ["\\begin{itemize}"]
    for c in regime:
        cond = c.condition
        if getattr(c, "in_decisions", None) is not None and _long(cond):
            cond = c.in_decisions
        if isinstance(cond, sp.Symbol) and cond not in SYMBOL_LATEX:
            body = tex_escape(cond.name)
        else:
            relation = isinstance(cond, sp.core.relational.Relational)
            # a condition long as derived is named without its display form first (factoring a long
            # condition for a display that the named form replaces was most of a model section's time)
            text = None if relation and len(latex(cond, paper=False)) > NAME_ROOTS_DERIVED else latex(cond)
            roots = ()
            if relation and (text is None or len(text) > 1.2 * WIDE):
                changed, named, roots = _named_roots(cond.lhs - cond.rhs, tuple(known))
                if changed:
                    known = tuple(known) + roots
                    text = latex(type(cond)(named, 0, evaluate=False))
            if text is None:
                text = latex(cond)
            if len(text) <= WIDE:
                body = f"${text}$"
            elif len(text) <= 1.2 * WIDE:
                body = "\\fitwidth{$" + text + "$}"
            else:
                shown = display("", text)
                body = (shown if "too long to print" not in shown else
                        f"a condition of {len(text)} characters of LaTeX, too long to print legibly")
            if roots:
                body += "\n\\noindent where\n" + "\n".join(display("", d) for d in _abbrev_defs_latex(roots))
        out.append(f"\\item {body} \\hfill({tex_escape(c.source)}; {mark[c.holds]})")
    out.append("\\end{itemize}")
    return "\n".join(out)


# ---------------------------------------------------------------------------
# claims
# ---------------------------------------------------------------------------

STEP_REL = {"positive": "> 0", "negative": "< 0", "nonnegative": r"\ge 0", "nonpositive": r"\le 0", "identity": "= 0"}


def prose_latex(text: str) -> str:
    """Prose with inline mathematics: ``$...$`` segments are LaTeX, the rest is escaped text."""
    parts = str(text).split("$")
    if len(parts) % 2 == 0:  # an unmatched dollar: all of it is text
        return tex_escape(text)
    return "".join(tex_escape(p) if i % 2 == 0 else f"${p}$" for i, p in enumerate(parts))


def _sentence(text: str) -> str:
    text = text.rstrip()
    return text if not text or text.endswith((".", "?", "!", ":")) else text + "."


def _slack_note(expr, where) -> str:
    """``where w = c + s_1, ...`` for a step's auxiliary symbols (slack variables), or ``""``."""
    if where:
        defs = ",\\ ".join(f"{latex(k)} = {latex(v)}" for k, v in where.items())
        free = sorted({s for v in where.values() for s in sp.sympify(v).free_symbols
                       if s.name[:1] == "s" and s.name[1:].isdigit()}, key=lambda s: int(s.name[1:]))
        pos = ", ".join(_PRINTER.doprint(s) for s in free)
        return f" Here ${defs}$" + (f" with slack variables ${pos} > 0$." if pos else ".")
    slack = sorted((s for s in getattr(expr, "free_symbols", ()) if s.name[:1] == "s" and s.name[1:].isdigit()),
                   key=lambda s: int(s.name[1:]))
    if not slack:
        return ""
    names = ", ".join(_PRINTER.doprint(s) for s in slack)
    return (f" Here ${names} > 0$ are slack variables: each strict inequality of the region, read from left to "
            "right, is written as the larger side equal to the smaller plus a positive slack.")


def _math_display(body: str) -> str:
    return display("", body)


def step_latex(step) -> str:
    """One proof step: its sentence and the derived expression behind it.

    An identity prints as ``lhs = rhs`` where the step carries both sides,
    and as a sentence otherwise (never as its residual ``0 = 0``); a truth
    value or a bare symbol is not displayed.
    """
    raw = prose_latex(step.text)
    mark = {True: r"\emph{(Checked.)}", False: r"\textbf{(The check failed.)}"}.get(step.holds, "")
    # a sentence that ends in a colon leads into its display; the check mark follows the display
    text = raw if raw.rstrip().endswith(":") else _sentence(raw)
    if mark:
        text += " " + mark
    expr = None if step.expr is None else sp.sympify(step.expr)
    lhs, rhs = getattr(step, "lhs", None), getattr(step, "rhs", None)
    if step.kind == "identity":
        if lhs is not None and rhs is not None:
            return text + "\n" + _math_display(f"{latex(lhs)} = {latex(rhs)}")
        if expr is None or expr == 0:
            return text + " The difference of the two sides simplifies to zero."
    if expr is None or isinstance(expr, sp.logic.boolalg.BooleanAtom) or expr in (sp.true, sp.false):
        return text
    if isinstance(expr, sp.Symbol) and step.kind not in STEP_REL:
        return text
    note = _slack_note(expr, getattr(step, "where", None))
    if isinstance(expr, (sp.Tuple, tuple)) and step.kind in STEP_REL:
        body = r",\quad ".join(f"{latex(x)} {STEP_REL[step.kind]}" for x in expr)
    else:
        body = latex(expr)
        if step.kind in STEP_REL and not isinstance(expr, (sp.Rel, sp.logic.boolalg.Boolean)):
            body = f"{body} {STEP_REL[step.kind]}"
    return text + note + "\n" + _math_display(body)


def claim_latex(result, theorem: bool = False, label: str | None = None, head: bool = True) -> str:
    """A claim as LaTeX: statement, status, assumptions, steps or counterexample.

    ``theorem=True`` (the report): the statement in a ``proposition``
    (``amsthm``), labelled ``label``, and the steps in a ``proof``; parts
    follow as labelled paragraphs with their own status.
    """
    lines = []
    if not head:
        pass
    elif theorem:
        lines.append(f"\\begin{{proposition}}[{prose_latex(result.title)}]"
                     + (f"\\label{{{label}}}" if label else ""))
        lines.append(_sentence(prose_latex(result.statement)))
        lines.append("\\end{proposition}")
    else:
        lines.append(f"\\textbf{{Claim {result.number} ({tex_escape(result.title)}).}} "
                     f"{prose_latex(result.statement)}")
        lines.append("")
    lines.append(("\\noindent" if head else "") + f"\\textbf{{Status:}} {tex_escape(result.tally)}.")
    if result.assumptions:
        lines.append("\\textbf{Assumptions:} " + "; ".join(prose_latex(a) for a in result.assumptions) + ".")
    if result.steps:
        lines.append("\\begin{proof}[Derivation]" if theorem else "")
        lines.append("\\begin{enumerate}")
        for s in result.steps:
            lines.append("\\item " + step_latex(s))
        lines.append("\\end{enumerate}")
        if theorem:
            lines.append("\\end{proof}")
    ce = result.counterexample
    if ce is not None:
        lines.append("\\noindent\\textbf{Counterexample.} " + _sentence(prose_latex(ce.text)))
        if ce.parameters:
            lines.append("At\n" + display("", ",\\ ".join(f"{_name(k)} = {number_latex(v) if sp.sympify(v).is_number else latex(v)}"
                                                            for k, v in ce.parameters.items())))
        if ce.observed:
            lines.append("\\noindent the engine finds\n" + display("", ",\\ ".join(
                f"{_name(k)} = {number_latex(v) if sp.sympify(v).is_number else latex(v)}"
                for k, v in ce.observed.items())))
    for i, part in enumerate(result.parts):
        if theorem:
            tag = chr(ord("a") + i)
            lines.append(f"\\paragraph{{Part ({tag}): {prose_latex(part.title)}.}}"
                         + (f"\\label{{{label}-{tag}}}" if label else "") + " " + _sentence(prose_latex(part.statement)))
            lines.append(claim_latex(part, theorem=True, head=False))
        else:
            lines.append("\\begin{quote}")
            lines.append(claim_latex(part))
            lines.append("\\end{quote}")
    for note in result.notes:
        lines.append(f"\\noindent\\emph{{Note:}} {_sentence(prose_latex(note))}\n")
    return "\n".join(lines) + "\n"


#: short names of observed quantities in a counterexample (``r(w=6)``: the rate at w = 6)
_OBSERVED = {"R": r"\Pi_R", "M": r"\Pi_M", "default": r"\Pr(\text{default})"}


def _name(key: str) -> str:
    if key in REGISTRY:
        return REGISTRY[key].latex
    if key in NAME_LATEX:
        return NAME_LATEX[key]
    at = re.fullmatch(r"(\w+)\((\w+)=([-+0-9./]+)\)", key)
    if at:  # a quantity observed at a parameter's value: r(w=6) is r^* at w = 6
        head, par, value = at.groups()
        head = _OBSERVED.get(head) or NAME_LATEX.get(head) or (REGISTRY[head].latex if head in REGISTRY else None)
        if head:
            return rf"\left.{head}\right|_{{{_name(par)} = {number_latex(sp.Rational(value))}}}"
    return rf"\text{{{tex_escape(key)}}}"


@singledispatch
def aslatex(obj) -> str:
    """LaTeX of a result value (equilibrium, claim) or of an expression.

    Dispatches on the value's type: result types never import this module.
    """
    return latex(obj)


@aslatex.register
def _(obj: Equilibrium) -> str:
    return equilibrium_document_fragment(obj)


@aslatex.register
def _(obj: ClaimResult) -> str:
    return claim_latex(obj)


@singledispatch
def notebook_latex(obj) -> str:
    """The LaTeX a notebook shows for a result value (one inline display for an equilibrium)."""
    return aslatex(obj)


@notebook_latex.register
def _(obj: Equilibrium) -> str:
    return "$\\displaystyle " + equilibrium_latex(obj, inline=True) + "$"


#: packages the fragments need (Latin Modern in T1 where installed: Type 1 fonts; else Computer Modern in OT1)
PREAMBLE = r"""\IfFileExists{lmodern.sty}{\usepackage[T1]{fontenc}\usepackage{lmodern}}{}
\usepackage{amsmath,amssymb,amsthm}
\newsavebox{\fitbox}
% a display wider than the line is shrunk to the line width, never below the
% footnote size (9/11 of the body); a wider one is set as it is
\newcommand{\fitwidth}[1]{\sbox{\fitbox}{#1}\ifdim\wd\fitbox>\linewidth\ifdim0.818\wd\fitbox>\linewidth\usebox{\fitbox}\else\resizebox{\linewidth}{!}{\usebox{\fitbox}}\fi\else\usebox{\fitbox}\fi}
\usepackage{booktabs}
\usepackage{longtable}
\usepackage{graphicx}
\usepackage[hidelinks]{hyperref}
"""
