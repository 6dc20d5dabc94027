"""Complete sign decisions (scfin.claims.decide): known sentences, fast vs complete, counterexamples."""

from __future__ import annotations

import time

import pytest
import sympy as sp

from scfin.claims import decide as D
from scfin.claims.decide import check_counterexample, decide_sign, parse_formula, qepcad_path
from scfin.claims.proof import complete_sign, sign_on_region, slacks

x, y, b, c, p = sp.symbols("x y b c p")
needs_qepcad = pytest.mark.skipif(qepcad_path() is None, reason="qepcad not installed (.ci/install-decision-tools)")


def test_one_variable_by_real_root_isolation():
    assert decide_sign(x**2 - 2*x + 2, [x > -5, x < 5]).proved
    d = decide_sign(x**2 - 2*x + 1, [x > -5, x < 5])
    assert d.status == "refuted" and d.method == "real-root isolation" and dict(d.counterexample) == {"x": 1}
    d = decide_sign(x**2 - 2, [x > 0, x < 5], free=("x",))
    assert d.status == "subregion" and d.subregion == sp.Interval.open(sp.sqrt(2), 5)


def test_homogeneity_reduces_two_variables_to_one():
    d = decide_sign(x**2 - x*y + y**2, [x > 0, y > 0])
    assert d.proved and d.method == "real-root isolation" and d.scaled == ("x",)
    d = decide_sign(x**2 - 3*x*y + y**2, [x > 0, y > 0])
    assert d.refuted and check_counterexample(x**2 - 3*x*y + y**2, [x > 0, y > 0], dict(d.counterexample),
                                              "positive")


def test_region_must_bound_every_symbol():
    d = decide_sign(x - y, [x > 0])
    assert d.status == "open" and "does not bound y" in d.reason
    with pytest.raises(ValueError):
        decide_sign(x, [sp.Symbol("z", positive=True) > 0])


@needs_qepcad
def test_radicals_two_variables_by_qepcad():
    am_gm = x + y - 2*sp.sqrt(x*y)
    assert decide_sign(am_gm, [x > 0, y > 0], "nonnegative").proved
    d = decide_sign(am_gm, [x > 0, y > 0], "positive")
    assert d.refuted and d.method == "QEPCAD B"
    assert check_counterexample(am_gm, [x > 0, y > 0], dict(d.counterexample), "positive")
    assert decide_sign(x + 3*y - 2*sp.sqrt(x*y), [x > 0, y > 0]).proved


@needs_qepcad
def test_subregion_from_qepcad_is_exact():
    d = decide_sign(x*y - 1 + x, [x > 0, y > 0, x < 2, y < 2], free=("x",))
    assert d.status == "subregion"
    assert d.subregion == sp.And(sp.Ge(x - 1, 0), sp.Lt(x - 2, 0))


def test_counterexample_checked_exactly():
    e = x - sp.sqrt(2)
    assert check_counterexample(e, [x > 0, x < 2], {"x": sp.Rational(7, 5)}, "positive")
    assert not check_counterexample(e, [x > 0, x < 2], {"x": sp.Rational(3, 2)}, "positive")
    assert not check_counterexample(e, [x > 0, x < 1], {"x": sp.Rational(3, 2)}, "negative")  # outside


def test_fast_and_complete_paths_agree():
    from scfin.spec.notation import sym
    p, b, c = sym("p"), sym("b"), sym("c")
    cases = [((p - c) * (p - b), slacks(("b", "c", "p"))),
             (-(p - c) / (p + b), slacks(("c", "p"))),
             (sp.Symbol("s1", positive=True) ** 2 + 1, {})]
    for expr, reg in cases:
        fast = sign_on_region(expr, reg)
        assert fast.sign is not None and fast.decision is None
        sub = sp.sympify(expr).xreplace(dict(reg))
        want = "positive" if fast.sign > 0 else "negative"
        complete = decide_sign(sub, D.orthant(sub), want, 20)
        assert complete.proved, complete.describe()
        # and through the fallback directly
        assert complete_sign(sub, "forced").sign == fast.sign


@needs_qepcad
def test_fallback_of_sign_on_region_decides_mixed_coefficients():
    # (s1 - s2)^2 + s1 s2 has mixed coefficients after expansion, but is positive
    s1, s2 = sp.symbols("s1 s2", positive=True)
    out = sign_on_region(s1**2 - s1*s2 + s2**2)
    assert out.positive and out.decision is not None and out.decision.proved
    assert sign_on_region(s1 - s2).sign is None


def test_qepcad_absent_is_open(monkeypatch):
    monkeypatch.setenv("SCFIN_NO_QEPCAD", "1")
    d = decide_sign(x + y - 2*sp.sqrt(x*y), [x > 0, y > 0], "nonnegative")
    assert d.status == "open" and "qepcad not installed" in d.reason


def test_time_budget_respected():
    t = time.monotonic()
    d = decide_sign(x**3 * y - 3 * x * y**2 + sp.sqrt(x + y) - 1, [x > 0, y > 0, x < 1, y < 1], budget_s=0.001)
    assert d.status == "open" and "budget" in d.reason and time.monotonic() - t < 2


def test_time_budget_of_the_subprocess():
    if qepcad_path() is None:
        pytest.skip("qepcad not installed")
    t = time.monotonic()
    answer, why = D._run_qepcad("[ t ]\n(x)\n0\n", 0.5)  # waits for input that never ends the session
    assert time.monotonic() - t < 5
    assert answer is None


def test_parser_rejects_unknown_text():
    names = {"x0": x}
    assert parse_formula("x0^2 - 2 >= 0 \\/ x0 <= 0", names) == sp.Or(sp.Ge(x**2 - 2, 0), sp.Le(x, 0))
    assert parse_formula("TRUE", names) is sp.true
    with pytest.raises(ValueError):
        parse_formula("x0 > _root_1 x0^2 - 2", names)
    with pytest.raises(ValueError):
        parse_formula("__import__('os')", names)


def test_radical_identity_decides_square_roots_exactly():
    """Claim 11 checked identities with the competitive rate's square root at two sample points only; a
    reduction modulo s**2 = X now decides them (True / False), and says None where it cannot."""
    import sympy as sp

    from scfin.claims.proof import radical_identity

    x, y = sp.symbols("x y", positive=True)
    assert radical_identity((sp.sqrt(x + y) - 1) * (sp.sqrt(x + y) + 1) - x - y + 1) is True
    assert radical_identity(1 / (sp.sqrt(x) + 1) - (sp.sqrt(x) - 1) / (x - 1)) is True
    assert radical_identity(sp.sqrt(x + 1) ** 3 - (x + 1) * sp.sqrt(x + 1)) is True
    assert radical_identity(sp.sqrt(x + 1) - x) is False
    assert radical_identity(sp.sqrt(x) + sp.sqrt(y)) is None  # two radicals, nonzero remainder: undecided
    assert radical_identity(sp.sqrt(x ** 2 + 2 * x + 1) - x - 1) is None  # a square radicand: undecided


def test_residual_of_a_radical_identity_is_zero_and_of_a_non_identity_what_simplify_gives():
    """residual() settles radical identities by the fast sufficient zero test before SymPy's simplify
    (claim 6 spent a second in simplify on identities the test decides); a non-identity is still simplify's."""
    import sympy as sp

    from scfin.claims.proof import is_identity, residual

    x, y = sp.symbols("x y", positive=True)
    assert residual(sp.sqrt(x + 1) ** 3 - (x + 1) * sp.sqrt(x + 1)) == 0
    assert is_identity((sp.sqrt(x + y) - 1) * (sp.sqrt(x + y) + 1) - (x + y - 1))
    gap = sp.sqrt(x + 1) - sp.sqrt(y)
    assert residual(gap) == sp.simplify(gap) != 0
    assert not is_identity(gap)


def test_poly_sign_from_flint_is_the_sympy_expansions_verdict():
    """_poly_sign reads coefficient signs from FLINT's expansion where the expression is a polynomial tree;
    its verdict is the SymPy expansion's on every such tree (positive and unsigned symbols, cancellation to
    a constant or to zero, powers of sums)."""
    from hypothesis import given, settings, strategies as st

    from scfin.claims.proof import _poly_sign, _poly_sign_expanded

    a, b = sp.symbols("a b", positive=True)
    z = sp.Symbol("z")
    atoms = st.sampled_from([a, b, z, sp.Integer(1), sp.Integer(-2), sp.Rational(3, 7)])

    def build(children):
        return st.one_of(
            st.tuples(children, children).map(lambda t: t[0] + t[1]),
            st.tuples(children, children).map(lambda t: t[0] * t[1]),
            st.tuples(children, st.integers(0, 3)).map(lambda t: t[0] ** t[1]),
            st.tuples(children, children).map(lambda t: t[0] - t[1]))

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(st.recursive(atoms, build, max_leaves=8))
    def check(expr):
        assert _poly_sign(expr) == _poly_sign_expanded(expr), expr

    check()
    assert _poly_sign((a + b) ** 2 - a ** 2 - 2 * a * b) == _poly_sign_expanded(b ** 2) == 1
    assert _poly_sign((a + 1) * (a - 1) - a ** 2 + 1) == 0
