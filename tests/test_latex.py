"""LaTeX of equilibria and claims: paper notation, checked display forms."""

import sympy as sp

from scfin.claims.base import PROVED, ClaimResult, Step
from scfin.demand import F, Finv
from scfin.latex import ExpectedSales, definition, latex, paper_form, equilibrium_document_fragment
from scfin.notation import sym
from scfin.solve import solve


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
    text = eq._repr_latex_()
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
    text = res._repr_latex_()
    assert r"t \& t" in text and r"50\% of x\_1" in text and "p - c > 0" in text
