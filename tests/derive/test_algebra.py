"""scfin.derive.algebra: the fast cancel/factor return exactly SymPy's canonical expressions."""

import numpy as np
import pytest
import sympy as sp

from scfin.derive import algebra
from tests.derive.trees import tree as _tree
from scfin.claims.effort_proof import response
from scfin.spec.notation import sym

a, b, c, x, y = sp.symbols("a b c x y")

SMALL = [
    a / (a + b) + b / (a + b),
    (a - b) ** 2 / (b - a),
    -a / (2 * b) - c / 3,
    sp.Rational(3, 4) * a,
    (2 * a + 2) / (4 * a + 4),
    -6 * x * y + 4 * y,
    (x + 1) / 2,
    -(x + 1) / 2,
    5 * x**2 / (10 * y),
    (x**2 - y**2) / (3 * x - 3 * y) ** 2,
    -x / (-y - 1),
    (a - b) ** 3 * (c - a) / ((b - a) * (a + c) ** 2 * 6),
    (x - y) * (x + y) ** 2 - (x**3 + x**2 * y - x * y**2 - y**3),  # identically zero
    sp.Integer(7),
]


@pytest.mark.parametrize("expr", SMALL, ids=str)
def test_small_cases_match_sympy(expr):
    assert algebra.cancel(expr) == sp.cancel(expr)
    assert algebra.factor_rational(expr) == sp.factor(sp.cancel(expr))
    assert algebra.factor(expr) == sp.factor(expr)


def test_random_rational_functions_match_sympy(rng):
    syms = sp.symbols("p c w A kappa")
    for _ in range(40):
        def poly():
            return sum(int(rng.integers(-3, 4)) * sp.Mul(*[s ** int(rng.integers(0, 3)) for s in syms[:3]])
                       for _ in range(3)) + sp.Rational(int(rng.integers(1, 5)), int(rng.integers(1, 5)))
        expr = poly() / poly() + poly() * poly() / (poly() + syms[3]) - poly() / syms[4]
        assert algebra.cancel(expr) == sp.cancel(expr)
        assert algebra.factor_rational(expr) == sp.factor(sp.cancel(expr))


@pytest.mark.parametrize("expr", SMALL, ids=str)
def test_derivative_is_sympy_cancel_of_sympy_diff(expr):
    for v in (a, b, x, y):
        assert algebra.diff(expr, v) == sp.cancel(sp.diff(expr, v))


def test_derivative_of_random_rational_functions_and_an_engine_profit(rng):
    syms = sp.symbols("p c w")
    for _ in range(4):  # SymPy's reference takes about a second per derivative here
        def poly():
            return sum(int(rng.integers(-3, 4)) * sp.Mul(*[s ** int(rng.integers(0, 3)) for s in syms])
                       for _ in range(3)) + sp.Rational(int(rng.integers(1, 5)), int(rng.integers(1, 5)))
        expr = poly() / poly() + poly() / (poly() + syms[2]) ** 2
        for v in syms:
            assert algebra.diff(expr, v) == sp.cancel(sp.together(sp.diff(expr, v)))
    D = response("repurchase-cost-sharing", {"rf": 0, "lam": 1, "eta": 0, "v": 0})
    profit = D.expectations.values["retailer"]
    for name in ("q", "e", "w"):
        assert algebra.diff(profit, sym(name)) == sp.cancel(sp.diff(profit, sym(name)))
    # not a rational function: SymPy's derivative
    assert algebra.diff(sp.sqrt(x) * y, x) == sp.diff(sp.sqrt(x) * y, x)


def test_engine_profit_of_effort_model_matches_sympy():
    """A large input as the engine makes them: the combined contract's profit at the retailer's response."""
    D = response("repurchase-combined", {"rf": 0, "lam": 1, "eta": 0, "v": 0},
                 {"w": 7.0, "b": 4.5, "phi": 0.4, "u": 2.0, "T": 30.0, "q": 66.0, "e": 6.0})
    point = {sym("q"): D.decisions["q"], sym("e"): D.decisions["e"]}
    expr = D.expectations.values["manufacturer"].xreplace(point)
    expr = expr.xreplace({sym("r"): 0})
    assert algebra.cancel(expr) == sp.cancel(sp.together(expr))
    assert algebra.factor_rational(expr) == sp.factor(sp.cancel(sp.together(expr)))


def test_non_rational_inputs_go_to_sympy():
    e = sp.sqrt(a + b) / (a + b) + 1 / a
    assert algebra.cancel(e) == sp.cancel(sp.together(e))
    assert algebra.factor(sp.sqrt(a) * (a**2 - 1)) == sp.factor(sp.sqrt(a) * (a**2 - 1))
    assert algebra.cancel(sp.Float(0.5) * a + a / 2) == sp.cancel(sp.Float(0.5) * a + a / 2)


def test_identically_zero_denominator_is_left_to_sympy():
    e = 1 / ((a + b) ** 2 - a**2 - 2 * a * b - b**2)
    assert algebra.cancel(e) == sp.cancel(e)


def test_values_agree_numerically(rng):
    expr = (a**2 - b**2) / (a - b) + c / (a + c) - (a * b - 1) / (3 * b)
    f = sp.lambdify((a, b, c), expr)
    g = sp.lambdify((a, b, c), algebra.factor_rational(expr))
    for pt in rng.uniform(1, 5, size=(10, 3)):
        assert g(*pt) == pytest.approx(f(*pt), rel=1e-12)
    assert np.isfinite(g(1.5, 2.5, 3.5))


z = sp.Symbol("z")
xp, yp = sp.symbols("xp yp", positive=True)


@pytest.mark.parametrize("expr, zero", [
    (sp.sqrt(xp) * sp.sqrt(xp) - xp, True),
    (xp ** sp.Rational(3, 2) - xp * sp.sqrt(xp), True),
    (sp.sqrt(xp + yp) / (xp + yp) - 1 / sp.sqrt(xp + yp), True),
    (sp.sqrt((z - 2) * (z + 1) ** 2) - sp.sqrt(z**3 - 3 * z - 2), True),  # radicands equal once expanded
    (sp.exp(z) * (z + 1) - sp.exp(z) * z - sp.exp(z), True),
    ((z + 1) ** 2 - z**2 - 2 * z - 1, True),
    (sp.sqrt(xp) - 1, False),
    (sp.sqrt(z**2 + 2 * z + 1) - (z + 1), False),  # not an identity for z < -1
    (sp.Float(0.5) * z - z / 3, False),
    # a radical's power reduced by (root of b)^k = b
    ((sp.sqrt(z**2 + 3 * z + 5) + 1) ** 2 - z**2 - 3 * z - 2 * sp.sqrt(z**2 + 3 * z + 5) - 6, True),
    (1 / sp.sqrt(z**2 + 5) - sp.sqrt(z**2 + 5) / (z**2 + 5), True),
    (sp.sqrt(z**2 + 5) - z, False),
])
def test_is_zero_is_a_sufficient_test(expr, zero):
    assert algebra.is_zero(expr) is zero
    if zero:  # never claims a zero that SymPy cannot confirm
        assert sp.simplify(expr) == 0


POLYNOMIALS = [
    x * (x + 1) / 2,
    (x + 1) ** 2 / 4,
    (x - y) * (x + y) - x**2 + y**2,  # zero
    (c / 3 + sp.Rational(1, 2)) ** 3 * (x - 1),
    -(a - b) ** 2 * (a + 2 * b - c) * sp.Rational(-5, 6),
    sp.Integer(3),
    x,
]
NOT_POLYNOMIALS = [sp.sqrt(x) * (x + 1), (x + 1) / (y + 1), x ** -2 * (x + 1), sp.Float(0.5) * (x + 1)]


@pytest.mark.parametrize("expr", POLYNOMIALS + NOT_POLYNOMIALS, ids=str)
def test_expand_is_sympys_expand(expr):
    """The same expression node for node, polynomials through FLINT, the rest through SymPy."""
    assert _tree(algebra.expand(expr)) == _tree(sp.expand(expr))


def test_expand_of_random_polynomials_is_sympys(rng):
    syms = sp.symbols("p c w A kappa", positive=True)
    for _ in range(40):
        def poly():
            return sum(sp.Rational(int(rng.integers(-3, 4)), int(rng.integers(1, 4)))
                       * sp.Mul(*[s ** int(rng.integers(0, 3)) for s in syms[:4]]) for _ in range(3))
        expr = poly() * poly() ** 2 - (poly() + syms[4]) * poly()
        assert _tree(algebra.expand(expr)) == _tree(sp.expand(expr))
