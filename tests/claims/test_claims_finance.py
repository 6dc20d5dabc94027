"""Claims 5-7 (bank financing, repurchase, conditional repurchase): proofs and counterexamples."""

from __future__ import annotations

import pytest
import sympy as sp

from scfin.claims import PROVED, PROVED_RESTRICTED, REFUTED, run_claim
from scfin.claims.proof import at_response, follower_response, is_identity, radical_sign, sign_on_region, slacks
from scfin.spec.notation import sym
from scfin.solver import solve


@pytest.fixture(scope="module")
def claim5():
    return run_claim(5)


@pytest.fixture(scope="module")
def claim6():
    return run_claim(6)


@pytest.fixture(scope="module")
def claim7():
    return run_claim(7)


def _part(result, title_start):
    return next(pt for pt in result.parts if pt.title.startswith(title_start))


def test_claim5_exogenous_closed_form_and_signs(claim5):
    from scfin.claims.claim05_bank_financing import exogenous_region
    p, w, r, A, q = (sym(n) for n in ("p", "w", "r", "A", "q"))
    D = follower_response("bank-loan", {"v": 0, "rf": 0, "eta": 0}, rate="exogenous")
    assert sp.cancel(D.decisions["q"] - p * A / (p + w * (1 + r))) == 0
    reg = exogenous_region()
    assert sign_on_region(sp.diff(D.decisions["q"], r), reg, positive=(r,)).negative
    assert sign_on_region(sp.diff(D.decisions["q"], w), reg, positive=(r,)).negative
    dflt = at_response(D, D.expectations.values["default"])
    assert sign_on_region(dflt, reg, positive=(r,)).positive
    for title in ("Exogenous rate $r$, $w$ given: the order in closed form",
                  "Exogenous rate $r$, $w$ given: the order falls", "Exogenous rate $r$, $w$ given: the default"):
        assert _part(claim5, title).status == PROVED
    # the bank's profit falls in w only where w(1 + r) > r p: a restriction, stated in the part's assumptions
    degenerate = _part(claim5, "Exogenous rate $r$, $w$ chosen by M")
    assert degenerate.status == PROVED_RESTRICTED
    assert any("w(1 + r) > rp" in a for a in degenerate.assumptions)


def test_claim5_degenerate_leader_is_a_boundary_solution(claim5):
    p, r = sym("p"), sym("r")
    eq = solve("bank-loan", {"v": 0, "rf": 0, "eta": 0}, rate="exogenous")
    assert eq.boundary == ("w",)
    assert sp.cancel(eq.decisions["w"] - p / (1 + r)) == 0
    part = _part(claim5, "Exogenous rate $r$, $w$ chosen by M")
    dm = next(s for s in part.steps if "\\partial \\Pi_M/\\partial w" in s.text).expr
    from scfin.claims.claim05_bank_financing import exogenous_region
    assert sign_on_region(dm, exogenous_region(), positive=(r,)).positive
    assert any("subsidises the chain" in n for n in part.notes)


def test_claim5_credit_spread_positive_and_refuted_growth(claim5):
    p, w = sym("p"), sym("w")
    D = follower_response("bank-loan", {"v": 0, "rf": 0, "eta": 0}, rate="competitive")
    assert radical_sign(D.interest_rate, slacks(("c", "w", "p"))).positive
    m = sp.Symbol("m", positive=True)
    dr = sp.diff(D.interest_rate, w)
    assert radical_sign(dr, {w: p / (2 + m)}).positive  # w < p/2
    assert radical_sign(dr, {w: p * (1 + m) / (2 + m)}).negative  # p/2 < w < p
    assert claim5.status == REFUTED
    ce = _part(claim5, "Competitive rate, $w$ given: the spread in $w$").counterexample
    assert ce is not None
    assert ce.observed["r(w=8)"] < ce.observed["r(w=6)"]
    # independent of the claim: the numbers from solve
    r6 = solve("bank-loan", {"p": 10, "c": 4, "A": 100, "w": 6}).metrics["interest_rate"]
    r8 = solve("bank-loan", {"p": 10, "c": 4, "A": 100, "w": 8}).metrics["interest_rate"]
    assert float(r8) < float(r6)
    assert sp.simplify(r6 - ce.observed["r(w=6)"]) == 0


def test_claim6_exogenous_given_w_proved(claim6):
    from scfin.claims.claim06_repurchase import exogenous_region
    b, r = sym("b"), sym("r")
    D = follower_response("repurchase", {"v": 0, "rf": 0, "eta": 0, "lam": 1}, rate="exogenous")
    E = D.expectations.values
    reg = exogenous_region()
    assert sign_on_region(sp.diff(D.decisions["q"], b), reg, positive=(r,)).positive
    assert sign_on_region(sp.diff(at_response(D, E["bank"]), b), reg, positive=(r,)).positive
    assert sign_on_region(sp.diff(at_response(D, E["retailer"]), b), reg, positive=(r,)).positive
    assert sign_on_region(sp.diff(at_response(D, E["default"]), b), reg, positive=(r,)).negative
    assert _part(claim6, "Exogenous rate $r$, $w$ given").status == PROVED
    assert _part(claim6, "Both rates").status == PROVED
    assert all(is_identity(s.expr) for s in _part(claim6, "Both rates").steps)


def test_claim6_refutations_and_counterexamples(claim6):
    assert claim6.status == REFUTED
    part = _part(claim6, "Competitive rate, $w$ given: bank")
    assert part.status == REFUTED
    obs = part.counterexample.observed
    assert obs["default(b=4)"] > obs["default(b=3)"]
    assert obs["bank(b=3)"] == 0 and obs["bank(b=4)"] == 0
    d3 = solve("repurchase", {"p": 10, "c": 4, "A": 100, "w": 8, "b": 3}).metrics["default_probability"]
    d4 = solve("repurchase", {"p": 10, "c": 4, "A": 100, "w": 8, "b": 4}).metrics["default_probability"]
    assert float(d4) > float(d3)
    comp = _part(claim6, "Competitive rate, $w$ chosen by M")
    assert comp.status == REFUTED
    dR = next(s for s in comp.steps if s.kind == "negative").expr
    assert sign_on_region(dR, slacks(("b", "c", "p"))).negative
    exo = _part(claim6, "Exogenous rate $r$, $w$ chosen by M")
    assert exo.status == REFUTED
    assert all(is_identity(s.expr) for s in exo.steps if s.kind == "identity")


def test_claim7_exogenous_proof_and_numeric_check(claim7):
    from scfin.claims.claim07_conditional import region
    r, lam = sym("r"), sym("lam")
    known = {"v": 0, "rf": 0, "eta": 0}
    cond = follower_response("conditional-repurchase", known, rate="exogenous")
    loan = follower_response("bank-loan", known, rate="exogenous")
    assert sp.cancel(cond.decisions["q"] - loan.decisions["q"]) == 0
    gain = at_response(cond, cond.expectations.values["bank"]) - at_response(loan, loan.expectations.values["bank"])
    assert sign_on_region(gain, region(), positive=(r, lam)).positive
    assert claim7.status == PROVED_RESTRICTED
    assert _part(claim7, "Exogenous").status == PROVED
    assert _part(claim7, "Competitive rate, at a given order").status == PROVED
    numeric = _part(claim7, "Competitive rate, at the retailer's optimum")
    assert numeric.status == PROVED_RESTRICTED and len(numeric.steps) >= 6
    assert all(s.holds for s in numeric.steps)
