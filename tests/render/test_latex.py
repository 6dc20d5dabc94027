"""LaTeX of equilibria and claims: paper notation, checked display forms."""

import pytest
import sympy as sp

from scfin.claims.base import PROVED, ClaimResult, Step
from scfin.spec.demand import F, Finv
from scfin.render.latex import ExpectedSales, definition, latex, notebook_latex, paper_form, equilibrium_document_fragment
from scfin.spec.notation import sym
from scfin.solver import solve


def test_registry_names_and_term_order():
    p, c, rf, lam, kappa = (sym(n) for n in ("p", "c", "rf", "lam", "kappa"))
    assert latex(p - c) == "p - c"
    text = latex(lam * kappa + rf)
    assert r"\lambda" in text and r"\kappa" in text and "r_f" in text


def test_wholesale_fragment_contains_closed_forms():
    eq = solve("wholesale", {"v": 0, "rf": 0})
    frag = equilibrium_document_fragment(eq)
    assert r"w^{*} = \frac{p + c}{2}" in frag
    assert r"\frac{3}{4}" in frag
    assert "\\paragraph{Regime" in frag or eq.regime == ()


def test_general_demand_expected_sales_notation_is_checked():
    eq = solve("integrated", demand="general")
    text = notebook_latex(eq)
    assert text.startswith("$") and text.endswith("$")
    assert r"\mathbb{E}\left[\min(D, q^{*})\right]" in text
    assert "F^{-1}" in text
    profit = eq.profits["retailer"]
    shown = paper_form(profit)
    assert shown.has(ExpectedSales)
    diff = definition(shown) - profit
    diff = diff.replace(lambda a: a.func == F and a.args[0].func == Finv, lambda a: a.args[0].args[0])
    assert sp.simplify(diff) == 0


def test_radicals_are_named_once():
    eq = solve("bank-loan", {"v": 0, "eta": 0, "rf": 0})
    frag = equilibrium_document_fragment(eq)
    if "sqrt" in sp.srepr(eq.metrics.get("default_probability", 0)) or r"\Delta" in frag:
        assert r"\Delta_{1} =" in frag


def test_claim_latex():
    res = ClaimResult(number=99, title="t & t", statement="50% of x_1", status=PROVED,
                      assumptions=("v = 0",), steps=(Step("derivative", sym("p") - sym("c"), "positive", True),))
    text = notebook_latex(res)
    assert r"t \& t" in text and r"50\% of x\_1" in text and "p - c > 0" in text


# ---------------------------------------------------------------------------
# long expressions are displayed in the optimal decisions
# ---------------------------------------------------------------------------

def _back_substitution(eq):
    from scfin.spec.notation import STAR

    back = {STAR[k]: v for k, v in eq.decisions.items() if k in STAR}
    if "interest_rate" in eq.metrics:
        back[STAR["r"]] = eq.metrics["interest_rate"]
    return back


def test_outcomes_in_decisions_are_the_closed_forms():
    """Substituting q*, w*, r* back into the displayed forms gives the closed forms exactly."""
    from scfin.solver import solve

    eq = solve("repurchase", {"v": 0, "eta": 0, "rf": 0, "lam": 1})
    assert eq.closed_form and eq.in_decisions
    back = _back_substitution(eq)
    full = {**eq.profits, **eq.metrics}
    assert set(eq.in_decisions) == set(full)
    for k, form in eq.in_decisions.items():
        if isinstance(form, sp.Eq):  # the rate, defined as a root of the bank's expected profit
            assert k == "interest_rate"
            # exact: the numerator expands to zero (simplify does not try expanding it)
            assert sp.expand(sp.numer(sp.together(form.lhs.xreplace(back)))) == 0
        else:
            assert sp.simplify(form.xreplace(back) - full[k]) == 0, k
    for check in eq.regime:
        if check.in_decisions is not None:
            assert sp.simplify(check.in_decisions.lhs.xreplace(back) - check.condition.lhs) == 0


def test_numeric_equilibria_carry_no_decision_forms():
    from scfin.solver import solve

    eq = solve("repurchase", {"p": 10, "c": 4, "A": 100, "b": 3})
    assert eq.in_decisions == {}


def test_effort_profits_are_shown_in_the_decisions():
    """An effort model's substituted profits run to thousands of operations; the report prints them in q*, e*, w*."""
    from scfin.render.latex import LONG_NODES, _bigger_than, equilibrium_document_fragment
    from scfin.solver import solve

    eq = solve("repurchase-cost-sharing", {"v": 0, "eta": 0, "rf": 0, "lam": 1})
    assert _bigger_than(eq.profits["retailer"], LONG_NODES)
    assert not _bigger_than(eq.in_decisions["retailer"], LONG_NODES)
    back = _back_substitution(eq)
    # the identity itself is proved for `repurchase` above (same code path);
    # here, at exact rational points, to 50 digits (the radicand is too long
    # for a quick symbolic cancel)
    diff = eq.in_decisions["retailer"].xreplace(back) - eq.profits["retailer"]
    for point in ({"p": 10, "c": 4, "A": 100, "b": 3, "kappa": 1, "phi": sp.Rational(1, 3)},
                  {"p": 12, "c": 5, "A": 80, "b": 2, "kappa": 2, "phi": sp.Rational(1, 5)}):
        value = diff.xreplace({sym(k): sp.nsimplify(v) for k, v in point.items()})
        assert abs(sp.N(value, 50)) < 1e-30
    text = equilibrium_document_fragment(eq)
    # the display (one line or broken over several) is written in q*
    shown = text.split(r"\Pi_R = ")[1]
    assert r"\Pi_R = " in text and "q^{*}" in shown.split(r"\end{multline*}")[0].split(r"\]")[0]
    assert "written in the optimal decisions" in text


def test_long_fractions_are_broken_over_lines():
    from scfin.render.latex import long_display

    p, c, A, b = (sym(n) for n in ("p", "c", "A", "b"))
    # irreducible, so the paper form (numerator and denominator factored) keeps them long
    num = sp.expand((p + c + A + b + 1) ** 4) + p
    den = sp.expand((p - c + 2 * A - b) ** 3) + c
    text = long_display("q^{*}", num / den)
    assert text.startswith("\\begin{multline*}") and text.endswith("\\end{multline*}")
    assert "\\Big/" in text and text.count("\\\\") >= 3
    # every term of the numerator is printed once
    body = text.split("\\Big/")[0]
    assert body.count("+") + body.count(" - ") == len(num.args) - 1
    assert long_display("q^{*}", (p - c) / (2 * A)) is None


def test_display_breaks_a_product_with_a_long_bracketed_sum():
    """The models appendix printed "too long to print" for e* of repurchase-cost-sharing (300 characters): its
    denominator kappa (4 b p + ... - 2 A b kappa phi) was one unbreakable piece.  Long brackets are now opened
    (\\bigl( ... \\bigr)) so that their signs are places to break, and a fraction bar is one too."""
    from scfin.render.latex import LINE, display

    body = (r"e^{*} = - \frac{\left(p - b\right) \left(p - c\right) \left(p + A \kappa - b - A \kappa \phi\right)}"
            r"{\kappa \left(4 b p + p^{2} \phi + 4 A \kappa p \phi + b^{2} \phi + A b \kappa + A b \kappa \phi^{2}"
            r" - 2 p^{2} - 2 A \kappa p - 2 b p \phi - 2 A \kappa p \phi^{2} - 2 b^{2} - 2 A b \kappa \phi\right)}")
    shown = display("", body)
    assert shown.startswith("\\begin{multline*}"), shown
    lines = shown.split("\n")[1:-1]
    assert all(len(ln) <= 1.2 * LINE for ln in lines)
    assert r"\bigl(4 b p" in shown and r"\Big/" in shown


def test_first_order_condition_names_its_square_root():
    """The conditional repurchase's first-order condition (639 characters) repeated one square root in two
    forms; named once after its radicand is factored, it is 251 characters, and equal to the original."""
    from scfin.render.latex import name_square_roots

    A, b, p, q, w = sp.symbols("A b p q w", positive=True)
    rad = A * p**2 + 2 * b * p * q + 2 * b * q * w + A * b**2 - 2 * A * b * p - 2 * p * q * w - 2 * b**2 * q
    expr = (A * w * sp.sqrt(rad) + p * q * sp.sqrt(rad) - A * b) / (A * p * sp.sqrt((p - b) * (A * p + 2 * b * q
                                                                                               - 2 * q * w - A * b)))
    named, defs = name_square_roots(expr)
    assert len(defs) == 1
    D, root = defs[0]
    assert sp.simplify(named.subs(D, root) - expr) == 0
    assert named.count(sp.Pow) < expr.count(sp.Pow)
    # no square root: the expression itself, nothing named
    same, none = name_square_roots(A * p - b)
    assert same == A * p - b and none == ()
