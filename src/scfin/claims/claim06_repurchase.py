"""Claim 6: the repurchase guarantee (buyback of leftovers at ``b``) with bank financing.

Uniform demand, ``v = eta = rf = 0``, ``lam = 1`` (the repurchase is always
executed).  R's end cash is ``Y = p min(D, q) + b (q - D)^+``; it borrows
``L = w q``.  Decided per rate regime, first at a given wholesale price ``w``
(the retailer's response and the bank's rate move with ``b``), then with M
re-optimising ``w``:

- exogenous rate, given ``w``: ``q* = A(p - b)/(p - 2b + w(1 + r))`` rises in
  ``b``, and so do R's and the bank's expected profits; the default
  probability falls -- all on the whole regime ``b < w``, ``w(1 + r) < p``.
- exogenous rate, M choosing ``w``: the leader problem is degenerate as in
  claim 5 (``w = p/(1 + r)``): ``q* = A/2`` and R's profit 0 for every ``b``.
- competitive rate, given ``w``: ``q* = A(p - w)/(p - b)`` and R's profit rise
  in ``b``, the rate falls; the bank's profit is 0 for every ``b``; the default
  probability is *not* monotone: it rises in ``b`` where ``w - b > p - w``.
- competitive rate, M choosing ``w``: ``q* = A(p - c)/(2p - b)`` rises in
  ``b`` but R's profit ``A(p - b)(p - c)^2/(2(2p - b)^2)`` falls (M captures
  the gain through a higher ``w``).
- ``b = v = 0`` gives back claim 5 (identities in both regimes).
"""

from __future__ import annotations

import sympy as sp

from scfin.derive.algebra import cancel, factor
from scfin.spec.notation import sym
from scfin.solver import solve
from scfin.claims.base import FAILED, PROVED, REFUTED, ClaimResult, Counterexample, Step, claim
from scfin.claims.proof import at_response, follower_response, is_identity, radical_sign, residual, sign_on_region, slacks

STATEMENT = ("Repurchase guarantee: q*, the bank's expected profit and the retailer's profit rise in b; the "
             "default probability and the competitive rate fall in b; b = v gives back claim 5.")
ASSUMPTIONS = ("uniform demand", "v = 0", "eta = 0", "rf = 0", "lam = 1")
KNOWN = {"v": 0, "rf": 0, "eta": 0, "lam": 1}
BANK_KNOWN = {"v": 0, "rf": 0, "eta": 0}
WORKED = {"p": 10, "c": 4, "A": 100}


def _part(title, statement, steps, status=None, notes=(), counterexample=None, assumptions=ASSUMPTIONS):
    if status is None:
        status = PROVED if all(s.holds for s in steps if s.holds is not None) else FAILED
    return ClaimResult(number=6, title=title, statement=statement, status=status, assumptions=assumptions,
                       steps=tuple(steps), notes=tuple(notes), counterexample=counterexample)


def exogenous_region() -> dict[sp.Symbol, sp.Expr]:
    """``0 < b < w``, ``w (1 + r) < p``, ``r > 0``."""
    p, r, w = sym("p"), sym("r"), sym("w")
    reg = slacks(("b", "w"))
    reg[p] = sp.expand((1 + r) * reg[w]) + sp.Symbol("s9", positive=True)
    return reg


def exogenous_given_w() -> ClaimResult:
    b, q, r = sym("b"), sym("q"), sym("r")
    D = follower_response("repurchase", KNOWN, rate="exogenous")
    E = D.expectations.values
    reg = exogenous_region()
    qs = D.decisions["q"]
    steps = [Step("Engine: the retailer's order at a given w", sp.Eq(q, qs), "value")]
    for text, expr, want in (
        ("dq*/db > 0", sp.diff(qs, b), "positive"),
        ("d(retailer's expected profit)/db > 0", sp.diff(at_response(D, E["retailer"]), b), "positive"),
        ("d(bank's expected profit)/db > 0", sp.diff(at_response(D, E["bank"]), b), "positive"),
        ("d(default probability)/db < 0", sp.diff(at_response(D, E["default"]), b), "negative"),
    ):
        expr = factor(expr)
        sign = sign_on_region(expr, reg, positive=(r,))
        steps.append(Step(text + " on 0 < b < w, w(1 + r) < p", expr, want,
                          sign.positive if want == "positive" else sign.negative))
    return _part("Exogenous rate, given w", "q*, R's and the bank's profits rise and the default probability "
                 "falls in b (exogenous rate, w given).", steps)


def exogenous_equilibrium() -> ClaimResult:
    p, r = sym("p"), sym("r")
    eq = solve("repurchase", KNOWN, rate="exogenous")
    w_gap = cancel(eq.decisions["w"] - p / (1 + r))
    dq = factor(sp.diff(eq.decisions["q"], sym("b")))
    dR = factor(sp.diff(eq.profits["retailer"], sym("b")))
    obs = {}
    for bv in (0, 3):
        e = solve("repurchase", {**WORKED, "r": "1/10", "b": bv}, rate="exogenous")
        obs[f"q(b={bv})"], obs[f"R(b={bv})"] = e.decisions["q"], e.profits["retailer"]
    steps = [
        Step("M's choice is the boundary w = p/(1 + r) for every b: w* - p/(1 + r)", w_gap, "identity",
             eq.boundary == ("w",) and is_identity(w_gap)),
        Step("q* at M's choice does not depend on b: dq*/db", dq, "identity", is_identity(dq)),
        Step("R's profit at M's choice does not depend on b: dR/db", dR, "identity", is_identity(dR)),
    ]
    ok = all(s.holds for s in steps)
    return _part("Exogenous rate, M choosing w",
                 "q* and R's profit rise in b when M also sets w (exogenous rate).", steps,
                 status=REFUTED if ok else FAILED,
                 counterexample=Counterexample(
                     parameters={**{k: sp.Integer(v) for k, v in WORKED.items()}, "r": sp.Rational(1, 10)},
                     observed=obs, text="q* = 50 and R's profit 0 both at b = 0 and b = 3 (M sets w = p/(1 + r))"),
                 notes=("At an unpriced (exogenous) rate M pushes w to the edge w(1 + r) = p whatever b is: the "
                        "guarantee then only moves money between M and the bank.",))


def competitive_given_w() -> tuple[ClaimResult, ...]:
    b, q, w, p = sym("b"), sym("q"), sym("w"), sym("p")
    D = follower_response("repurchase", KNOWN, rate="competitive")
    E = D.expectations.values
    reg = slacks(("b", "w", "p"))
    qs = D.decisions["q"]
    dq = factor(sp.diff(qs, b))
    dR = sp.diff(at_response(D, E["retailer"] + E["bank"]), b)  # the joint profit is R's on the break-even surface
    dr = sp.diff(D.interest_rate, b)
    sR, sr = radical_sign(dR, reg), radical_sign(dr, reg)
    holds = _part("Competitive rate, given w", "q* and R's profit rise and the competitive rate falls in b.", [
        Step("Engine: the retailer's order (bank at break-even)", sp.Eq(q, qs), "value"),
        Step("dq*/db > 0 on 0 < b < w < p", dq, "positive", sign_on_region(dq, reg).positive),
        Step("d(retailer's expected profit)/db > 0", sR.form, "positive", sR.positive),
        Step("d(competitive rate)/db < 0", sr.form, "negative", sr.negative),
    ])
    bank = residual(at_response(D, E["bank"]))
    bank_zero = bank == 0
    dd = sp.diff(at_response(D, E["default"]), b)
    # the sign of d(default)/db is that of (w - b) - (p - w): split the region there
    s1, s2 = sp.Symbol("s1", positive=True), sp.Symbol("s2", positive=True)
    rises = radical_sign(dd, {w: b + s1 + s2, p: b + 2 * s1 + s2})  # w - b = s1 + s2 > p - w = s1
    falls = radical_sign(dd, {w: b + s1, p: b + 2 * s1 + s2})  # w - b = s1 < p - w = s1 + s2
    obs = {}
    for bv in (3, 4):
        e = solve("repurchase", {**WORKED, "w": 8, "b": bv})
        obs[f"default(b={bv})"] = e.metrics["default_probability"]
        obs[f"bank(b={bv})"] = e.profits["bank"]
    steps = [
        Step("Bank's expected profit at the competitive rate is 0 for every b", bank, "identity",
             bank_zero),
        Step("d(default)/db > 0 where w - b > p - w", rises.form, "positive", rises.positive),
        Step("d(default)/db < 0 where w - b < p - w", falls.form, "negative", falls.negative),
        Step("Counterexample p = 10, c = 4, A = 100, w = 8: default(b = 4) - default(b = 3) > 0",
             sp.radsimp(obs["default(b=4)"] - obs["default(b=3)"]), "positive",
             bool(obs["default(b=4)"] > obs["default(b=3)"])),
    ]
    ok = all(s.holds for s in steps)
    fails = _part("Competitive rate, given w: bank's profit and default probability",
                  "The bank's expected profit rises and the default probability falls in b (competitive rate).",
                  steps, status=REFUTED if ok else FAILED,
                  counterexample=Counterexample(
                      parameters={**{k: sp.Integer(v) for k, v in WORKED.items()}, "w": sp.Integer(8)},
                      observed=obs,
                      text=f"default probability {sp.N(obs['default(b=3)'], 5)} at b = 3 rises to "
                           f"{sp.N(obs['default(b=4)'], 5)} at b = 4; the bank earns 0 at both"),
                  notes=("Under fair pricing the bank earns nothing whatever b is: the guarantee's value reaches the "
                         "retailer through a lower rate.",
                         "The guarantee lets the retailer order more (q* = A(p - w)/(p - b)); a larger loan "
                         "raises the default threshold, and where w - b > p - w this outweighs the collateral "
                         "value of the repurchase."))
    return holds, fails


def competitive_equilibrium() -> ClaimResult:
    b = sym("b")
    eq = solve("repurchase", KNOWN)
    reg = slacks(("b", "c", "p"))
    dq = factor(sp.diff(eq.decisions["q"], b))
    # R's profit is the joint one on the break-even surface; it factors to a rational function
    dR = factor(sp.diff(factor(eq.profits["retailer"]), b))
    steps = [
        Step("Engine: M's wholesale price w*(b)", sp.Eq(sym("w"), eq.decisions["w"]), "value"),
        Step("dq*/db > 0 at M's choice (0 < b < c < p)", dq, "positive", sign_on_region(dq, reg).positive),
        Step("d(R's profit)/db < 0 at M's choice", dR, "negative", sign_on_region(dR, reg).negative),
    ]
    ok = all(s.holds for s in steps if s.holds is not None)
    obs = {}
    for bv in (1, 3):
        e = solve("repurchase", {**WORKED, "b": bv})
        obs[f"R(b={bv})"] = e.profits["retailer"]
    return _part("Competitive rate, M choosing w", "R's profit rises in b when M also sets w (competitive rate).",
                 steps, status=REFUTED if ok else FAILED,
                 counterexample=Counterexample(parameters=dict(WORKED), observed=obs,
                                               text="R's profit falls from b = 1 to b = 3 when M re-optimises w"),
                 notes=("M raises w with b and captures more than the guarantee's value: the order grows, the "
                        "retailer's profit shrinks (b < c; same as the buyback contract, claim 3's setting).",))


def back_to_claim5() -> ClaimResult:
    b = sym("b")
    steps = []
    for rate in ("exogenous", "competitive"):
        rep = follower_response("repurchase", KNOWN, rate=rate)
        base = follower_response("bank-loan", BANK_KNOWN, rate=rate)
        gq = cancel(rep.decisions["q"].subs(b, 0) - base.decisions["q"])
        steps.append(Step(f"{rate}: q*(b = 0) - q* of claim 5", gq, "identity", is_identity(gq)))
        for name in ("retailer", "bank", "default"):
            g = at_response(rep, rep.expectations.values[name]).subs(b, 0) - at_response(
                base, base.expectations.values[name])
            g = residual(g)
            steps.append(Step(f"{rate}: {name} at b = 0 minus claim 5's", g, "identity", g == 0))
        if rate == "competitive":
            g = residual(sp.sympify(rep.interest_rate).subs(b, 0) - base.interest_rate)
            steps.append(Step("competitive: rate at b = 0 minus claim 5's", g, "identity", g == 0))
    return _part("b = v gives claim 5", "b = v gives back claim 5.", steps)


@claim(6)
def check() -> ClaimResult:
    parts = (exogenous_given_w(), exogenous_equilibrium()) + competitive_given_w() + (
        competitive_equilibrium(), back_to_claim5())
    statuses = [pt.status for pt in parts]
    status = FAILED if FAILED in statuses else REFUTED if REFUTED in statuses else PROVED
    first = next((pt for pt in parts if pt.status == REFUTED), None)
    return ClaimResult(
        number=6, title="Repurchase guarantee", statement=STATEMENT, status=status, assumptions=ASSUMPTIONS,
        steps=tuple(s for pt in parts for s in pt.steps), parts=parts,
        counterexample=first.counterexample if first else None,
        notes=("Holds in full at an exogenous rate for a given w (proved on the whole regime) and b = v gives "
               "claim 5 back. Fails elsewhere: under competitive pricing the bank's profit is 0 for every b "
               "and the default probability rises in b where w - b > p - w (the larger loan outweighs the "
               "collateral); when M re-optimises w it captures the guarantee's value (R's profit falls in b "
               "at a competitive rate, is 0 at an exogenous one).",),
    )
