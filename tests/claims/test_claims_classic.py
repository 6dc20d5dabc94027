"""Claims 1-4 (docs/specification.md section 7): the proofs are re-checked, not only the verdicts."""

from __future__ import annotations

import sympy as sp

from scfin.claims import PROVED, PROVED_RESTRICTED, run_claim
from scfin.claims.proof import (follower_response, is_identity, radical_sign, sign_on_region, slacks)
from scfin.spec.notation import sym
from scfin.solver import solve


def _steps(result, kind):
    return [s for s in result.steps if s.kind == kind]


# -- proof helpers -----------------------------------------------------------

def test_slacks_encode_a_chain_of_inequalities():
    reg = slacks(("c", "w", "p"))
    c, w, p = sym("c"), sym("w"), sym("p")
    s1, s2 = sp.symbols("s1 s2", positive=True)
    assert reg == {w: c + s1, p: c + s1 + s2}


def test_sign_helper_decides_and_refuses():
    c, w, p = sym("c"), sym("w"), sym("p")
    reg = slacks(("c", "w", "p"))
    assert sign_on_region((w - c) / (p - w), reg).positive
    assert sign_on_region(-(p - c) ** 2 * (w - c), reg).negative
    # p - 2w changes sign on c < w < p: not decided
    assert sign_on_region(p - 2 * w, reg).sign is None


def test_radical_sign_compares_squares():
    p, w = sym("p"), sym("w")
    reg = slacks(("w", "p"))
    # p - sqrt(p**2 - w**2) > 0 and w - sqrt(w**2 + 1) < 0
    assert radical_sign(p - sp.sqrt(p ** 2 - w ** 2), reg).positive
    assert radical_sign(w - sp.sqrt(w ** 2 + 1), reg).negative


# -- claims ------------------------------------------------------------------

def test_claim1_fractile_identities():
    r = run_claim(1)
    assert r.status == PROVED
    identities = _steps(r, "identity")
    assert len(identities) == 3
    assert all(is_identity(s.expr) for s in identities)


def test_claim2_double_marginalisation_proof():
    r = run_claim(2)
    assert r.status == PROVED
    # the fractile gap is derived by the engine and positive on v < c < w < p
    gap = next(s for s in r.steps if s.kind == "positive").expr
    assert gap.has(sym("w")) and gap.has(sym("c"))
    assert sign_on_region(gap, slacks(("v", "c", "w", "p"))).positive
    assert all(is_identity(s.expr) for s in _steps(r, "identity"))
    # independent of the claim module: the engine's ratio 3/4
    eq = solve("wholesale", {"v": 0, "rf": 0})
    assert sp.simplify(eq.metrics["efficiency"] - sp.Rational(3, 4)) == 0


def test_claim3_buyback_family_identities():
    r = run_claim(3)
    assert r.status == PROVED
    assert all(is_identity(s.expr) for s in _steps(r, "identity"))
    assert all(s.holds for s in _steps(r, "positive"))
    # re-derive the identity directly: q(w_rho, b_rho) = q0
    from scfin.claims.claim03_buyback import family
    D = follower_response("buyback", {"rf": 0})
    q = D.decisions["q"].subs(sym("lam"), 1).subs(family())
    q0 = solve("integrated", {}).decisions["q"].subs(sym("rf"), 0)
    assert sp.cancel(q - q0) == 0


def test_claim4_linear_rebate_loses_money_and_target_rebate_works():
    r = run_claim(4)
    assert r.status == PROVED_RESTRICTED
    linear, target = r.parts
    assert linear.status == PROVED
    m_profit = next(s for s in linear.steps if s.kind == "negative").expr
    assert sign_on_region(m_profit, slacks(("c", "w", "p"))).negative
    assert target.status == PROVED_RESTRICTED
    assert all(s.holds for s in target.steps if s.holds is not None)
    # worked numbers: q = 60, M 70, R 110, and the best q <= T earns R only 80
    eq = solve("sales-rebate", {"p": 10, "c": 4, "A": 100, "w": 6, "u": 5, "T": 40})
    assert eq.decisions["q"] == 60 and eq.profits["manufacturer"] == 70 and eq.profits["retailer"] == 110
    capped = solve("sales-rebate", {"p": 10, "c": 4, "A": 100, "w": 6, "u": 5, "T": 40, "q": 40})
    assert capped.profits["retailer"] == 80
