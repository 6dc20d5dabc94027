"""Claims 8-11: re-check the engine-derived identities, signs and counterexamples."""

from __future__ import annotations

import pytest
import sympy as sp

from scfin.claims import PROVED, PROVED_RESTRICTED, run_claim
from scfin.spec.notation import sym

# each claim derives its closed forms with the engine (20-60 s on a cold cache)
pytestmark = pytest.mark.slow


def _steps(result):
    return {s.text: s for s in result.steps}


def _find(result, start):
    hits = [s for s in result.steps if s.text.startswith(start)]
    assert hits, start
    return hits[0]


@pytest.fixture(scope="module")
def c8():
    return run_claim(8)


@pytest.fixture(scope="module")
def c9():
    return run_claim(9)


def test_claim8_status_and_identities(c8):
    assert c8.status == PROVED
    assert all(s.holds is not False for s in c8.steps)
    for start in ("q*(pair) - q0", "e*(pair) - e0", "b(lam) - v - (b(1) - v)/lam", "Retailer's profit along the pair"):
        step = _find(c8, start)
        assert step.kind == "identity" and sp.simplify(step.expr) == 0


def test_claim8_effort_gap_is_positive(c8):
    p, c, w, kappa = (sym(n) for n in ("p", "c", "w", "kappa"))
    step = _find(c8, "Effort gap")
    assert step.holds and sp.simplify(step.expr - (w - c) / kappa) == 0


def test_claim8_rf_extension(c8):
    rf = sym("rf")
    step = _find(c8, "With rf > 0")
    assert step.expr != 0 and sp.simplify(step.expr.subs(rf, 0)) == 0
    assert _find(c8, "Coordinating pair for any rf").holds


def test_claim8_worked_numbers(c8):
    step = _find(c8, "Worked numbers")
    assert step.holds
    assert [eq.rhs for eq in step.expr] == [60, 6, 132, 4]


def test_claim9_family(c9):
    assert c9.status == PROVED_RESTRICTED
    assert all(s.holds is not False for s in c9.steps)
    for start in ("q*(u, T) - q0", "e*(u, T) - e0", "u - (p - c)(b8(w) - b)", "T - e0 - A(1 - (w - c)/u)",
                  "u - (w - c) - (p - c)", "second condition - first"):
        step = _find(c9, start)
        assert step.kind == "identity" and sp.simplify(step.expr) == 0


def test_claim9_family_at_numbers(c9):
    from scfin.claims.claim09_sales_incentive import coordinating_family

    fam, _ = coordinating_family()
    vals = {sym("p"): 10, sym("c"): 4, sym("v"): 0, sym("A"): 100, sym("kappa"): 1, sym("w"): 6, sym("b"): 1}
    assert fam["u"].xreplace(vals) == sp.Rational(7, 2)
    assert fam["T"].xreplace(vals) == sp.Rational(342, 7)  # e0 + A(1 - (w - c)/u) = 6 + 300/7


def test_claim9_global_optimum_and_failure(c9):
    assert _find(c9, "Numeric global best response at w = 6, b = 1").holds
    assert _find(c9, "kappa = 1/50").holds
    cex = c9.counterexample
    assert cex is not None and cex.observed["u"] < 0 or cex.observed["T - e0"] != 0


def test_claim10():
    r = run_claim(10)
    assert r.status == PROVED_RESTRICTED
    assert all(s.holds is not False for s in r.steps)
    lo_hi = _find(r, "Zone bounds").expr
    p, c, A, kappa = (sym(n) for n in ("p", "c", "A", "kappa"))
    # at the defaults the closed form gives 74/11 and 95/11
    vals = {p: 10, c: 4, A: 100, kappa: 1}
    assert [x.xreplace(vals) for x in lo_hi] == [sp.Rational(74, 11), sp.Rational(95, 11)]
    width = _find(r, "w_hi - w_lo").expr
    assert width.xreplace(vals) == sp.Rational(95 - 74, 11)
    assert _find(r, "lam = 1/2").holds
    assert _find(r, "Effort-consistent benchmark").expr == sp.Tuple(7, sp.Rational(17, 2))


def test_claim11():
    r = run_claim(11)
    assert r.status == PROVED_RESTRICTED
    assert [p.status for p in r.parts] == [PROVED] * 4
    eq = r.parts[1]
    kinds = {s.text.split(":")[0]: s.kind for s in eq.steps}
    assert kinds["dw*/dlam on 0 < b < c < p"] == "positive"
    assert kinds["dq*/dlam at M's choice"] == "positive"
    assert kinds["d(R's profit)/dlam at M's choice"] == "negative"
    assert kinds["d(M's profit)/dlam at M's choice"] == "positive"
    given = r.parts[0]
    assert given.steps[1].kind == "positive" and given.steps[2].holds
    assert all(s.holds for s in r.parts[3].steps)
