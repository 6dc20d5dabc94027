"""Claim 5: traditional bank financing of a capital-constrained retailer.

Kouvelis & Zhao (2012) and Dada & Hu (2008).  Uniform demand on [0, A],
``v = eta = rf = 0``; the retailer borrows ``L = w q`` and repays
``min(p min(D, q), L(1 + r))`` (limited liability).

- Exogenous rate: the engine's response is ``q* = p A/(p + w(1 + r))`` (its
  first-order condition vanishes there); ``dq*/dr < 0``, ``dq*/dw < 0`` and the
  default probability ``w(1 + r)/(p + w(1 + r))`` is positive on the regime
  ``c < w``, ``w(1 + r) < p``.  M's profit ``(w - c) q*(w)`` increases in ``w``
  on the whole regime: the leader's problem is degenerate, solved at the
  boundary ``w = p/(1 + r)``; the bank's expected profit falls in ``w`` where
  ``w(1 + r) > r p``.
- Competitive rate: the bank breaks even, the retailer's objective is the
  unlevered one, ``q* = A(p - w)/p`` falls in ``w``; the rate is
  ``r(w) = (p^2 - w(p - w) - p sqrt(p^2 - 2 w (p - w)))/(w (p - w))`` > 0 = rf.
  The spread is an increasing function of the loan ``L = A w (p - w)/p``,
  which peaks at ``w = p/2``: it grows with ``w`` only for ``w < p/2`` and
  falls for ``w > p/2``, where M's optimum ``w* = (p + c)/2`` lies.  That part
  of the claim is refuted (counterexample at the worked numbers).
"""

from __future__ import annotations

import sympy as sp

from scfin.derive.algebra import cancel, factor
from scfin.spec.notation import sym
from scfin.solver import solve
from scfin.claims.base import FAILED, PROVED, REFUTED, ClaimResult, Counterexample, Step, claim
from scfin.claims.proof import at_response, follower_response, is_identity, radical_sign, sign_on_region, slacks

STATEMENT = ("Traditional bank financing: closed-form q*; q* falls in r and in w; the default probability is "
             "positive; the competitive rate exceeds rf (a credit spread) and the spread grows with w. At an "
             "exogenous rate with eta = 0 the leader problem is degenerate: M's profit increases in w up to "
             "w(1 + r) = p while the bank's expected profit falls; the engine reports a boundary solution.")

ASSUMPTIONS = ("uniform demand", "v = 0", "eta = 0", "rf = 0")
KNOWN = {"v": 0, "rf": 0, "eta": 0}
#: worked numbers (docs/specification.md section 8) for the counterexample
WORKED = {"p": 10, "c": 4, "A": 100}


def exogenous_region() -> dict[sp.Symbol, sp.Expr]:
    """``c < w`` and ``w (1 + r) < p`` (the regime of the exogenous closed form), ``r > 0``."""
    p, r = sym("p"), sym("r")
    reg = slacks(("c", "w"))
    reg[p] = sp.expand((1 + r) * reg[sym("w")]) + sp.Symbol("s9", positive=True)
    return reg


def _status(steps) -> str:
    return PROVED if all(s.holds for s in steps if s.holds is not None) else FAILED


def _part(title, statement, steps, notes=(), status=None, counterexample=None, assumptions=ASSUMPTIONS):
    return ClaimResult(number=5, title=title, statement=statement, status=status or _status(steps),
                       assumptions=assumptions, steps=tuple(steps), notes=tuple(notes),
                       counterexample=counterexample)


def exogenous_parts() -> tuple[ClaimResult, ...]:
    p, w, r, q, A, c = (sym(n) for n in ("p", "w", "r", "q", "A", "c"))
    D = follower_response("bank-loan", KNOWN, rate="exogenous")
    E = D.expectations.values
    qs = D.decisions["q"]
    reg = exogenous_region()
    pos = (r,)
    foc = cancel(D.stages[0].first_order[0].subs(q, qs))
    soc = [factor(cnd.expr) for cnd in D.stages[0].second_order]
    closed = _part("Closed-form order (exogenous rate)", "Closed-form q* at an exogenous rate.", [
        Step("Engine: the retailer's order", sp.Eq(q, qs), "value"),
        Step("Its first-order condition at q*", foc, "identity", is_identity(foc)),
        *[Step("Second-order condition (must be > 0) on the regime", s, "positive",
               sign_on_region(s.subs(q, qs), reg, pos).positive) for s in soc],
    ])
    dq_dr, dq_dw = factor(sp.diff(qs, r)), factor(sp.diff(qs, w))
    falls = _part("q* falls in r and w (exogenous rate)", "q* falls in r and in w.", [
        Step("dq*/dr < 0 on c < w, w(1 + r) < p", dq_dr, "negative", sign_on_region(dq_dr, reg, pos).negative),
        Step("dq*/dw < 0 on c < w, w(1 + r) < p", dq_dw, "negative", sign_on_region(dq_dw, reg, pos).negative),
    ])
    dflt = factor(at_response(D, E["default"]))
    default = _part("Default probability positive (exogenous rate)", "The default probability is positive.", [
        Step("Default probability P(D < k) at q*", dflt, "positive", sign_on_region(dflt, reg, pos).positive),
    ])
    m_profit = factor(at_response(D, E["manufacturer"]))
    bank = factor(at_response(D, E["bank"]))
    dm = factor(sp.diff(m_profit, w))
    db = factor(sp.diff(bank, w))
    switch = r * p - w * (1 + r)
    db_scaled = factor(db / switch)
    eq = solve("bank-loan", KNOWN, rate="exogenous")
    w_gap = cancel(eq.decisions["w"] - p / (1 + r)) if "w" in eq.decisions else None
    bank_at = factor(eq.profits["bank"])
    steps = [
        Step("M's expected profit along the retailer's response", m_profit, "value"),
        Step("dM/dw > 0 on the whole regime: no interior optimum", dm, "positive",
             sign_on_region(dm, reg, pos).positive),
        Step("Bank's expected profit along the response", bank, "value"),
        Step("d(bank)/dw divided by (r p - w(1 + r)) is positive: the bank's profit falls in w exactly where "
             "w(1 + r) > r p (always when c(1 + r) >= r p)", db_scaled, "positive",
             sign_on_region(db_scaled, reg, pos).positive),
        Step("Engine's leader solution is a boundary solution", sp.Symbol(",".join(eq.boundary) or "none"),
             "value", eq.boundary == ("w",)),
        Step("at w = p/(1 + r): w* - p/(1 + r)", w_gap, "identity", w_gap is not None and is_identity(w_gap)),
        Step("Bank's expected profit at the boundary (negative for r < 1/3)", bank_at, "value"),
    ]
    degenerate = _part(
        "Degenerate leader problem (exogenous rate)",
        "At an exogenous rate M's profit increases in w up to w(1 + r) = p while the bank's profit falls; "
        "the engine reports a boundary solution.",
        steps,
        status=PROVED if all(s.holds for s in steps if s.holds is not None) else FAILED,
        notes=("A bank that does not price the SME's risk subsidises the chain: the retailer, protected by "
               "limited liability, keeps ordering as w rises, M raises w to the edge w(1 + r) = p and the "
               "bank bears the default losses (its expected profit A p (3r - 1)/(8(1 + r)) is negative for "
               "r < 1/3). This is why banks ration SME credit or price it competitively.",
               "Bank's profit falls in w where w(1 + r) > r p; for very small w (< r p/(1 + r)) it rises, "
               "a region excluded when c >= r p/(1 + r)."),
    )
    return closed, falls, default, degenerate


def competitive_parts() -> tuple[ClaimResult, ...]:
    p, w, q, c, A = (sym(n) for n in ("p", "w", "q", "c", "A"))
    D = follower_response("bank-loan", KNOWN, rate="competitive")
    qs = D.decisions["q"]
    rate = D.interest_rate
    reg = slacks(("c", "w", "p"))
    dq_dw = factor(sp.diff(qs, w))
    dflt = at_response(D, D.expectations.values["default"])
    s_rate = radical_sign(rate, reg)
    s_dflt = radical_sign(dflt, reg)
    order = _part("Order and default (competitive rate)", "q* falls in w; the default probability is positive.", [
        Step("Engine: the retailer's order under competitive pricing", sp.Eq(q, qs), "value"),
        Step("dq*/dw < 0", dq_dw, "negative", sign_on_region(dq_dw, reg).negative),
        Step("Default probability at q* is positive on c < w < p", s_dflt.form, "positive", s_dflt.positive),
    ])
    spread = _part("Credit spread (competitive rate)", "The competitive rate exceeds rf = 0.", [
        Step("Engine: the bank's break-even rate at the retailer's response", rate, "value"),
        Step("r - rf > 0 on c < w < p", s_rate.form, "positive", s_rate.positive),
    ])
    # where does the spread grow with w?  w = x p with x = 1/(2 + m) in (0, 1/2) or
    # x = (1 + m)/(2 + m) in (1/2, 1), m > 0 (p stays a symbol, so sqrt(p) stays simple,
    # and the radicand carries no numeric square root)
    dr = sp.diff(rate, w)
    m = sp.Symbol("m", positive=True)
    low = radical_sign(dr, {w: p / (2 + m)})
    high = radical_sign(dr, {w: p * (1 + m) / (2 + m)})
    wstar = solve("bank-loan", KNOWN).decisions["w"]
    above = factor(wstar - p / 2)
    points = {}
    for wv in (6, 8):
        eq = solve("bank-loan", {**WORKED, "w": wv})
        points[wv] = eq.metrics["interest_rate"]
    ce = Counterexample(
        parameters={**{k: sp.Integer(v) for k, v in WORKED.items()}, "v": 0, "eta": 0, "rf": 0},
        observed={"r(w=6)": points[6], "r(w=8)": points[8]},
        text=f"competitive rate at w = 6 is {sp.N(points[6], 6)}, at w = 8 only {sp.N(points[8], 6)}: "
             "the spread falls as w rises above p/2",
    )
    steps = [
        Step("dr/dw > 0 for w < p/2 (w = p/(2 + m), m > 0)", low.form, "positive", low.positive),
        Step("dr/dw < 0 for p/2 < w < p (w = p(1 + m)/(2 + m), m > 0)", high.form, "negative", high.negative),
        Step("M's optimum w* = (p + c)/2 lies above p/2: w* - p/2", above, "positive",
             sign_on_region(above, reg).positive),
        Step("Counterexample (p = 10, c = 4, A = 100): r(w = 8) < r(w = 6)", sp.radsimp(points[8] - points[6]),
             "negative", bool(points[8] < points[6])),
    ]
    grows = _part("Spread grows with w (competitive rate)", "The credit spread grows with w.", steps,
                  status=REFUTED if all(st.holds for st in steps) else FAILED, counterexample=ce,
                  notes=("The spread follows the loan L = w q*(w) = A w (p - w)/p: the retailer cuts its order "
                         "as w rises, so above w = p/2 the loan, and with it the spread, shrinks. The spread "
                         "grows with w only for w < p/2 (proved), a range that never contains M's optimum "
                         "w* = (p + c)/2.",))
    return order, spread, grows


@claim(5)
def check() -> ClaimResult:
    parts = exogenous_parts() + competitive_parts()
    statuses = [pt.status for pt in parts]
    if FAILED in statuses:
        status = FAILED
    elif REFUTED in statuses:
        status = REFUTED
    else:
        status = PROVED
    refuted = next((pt for pt in parts if pt.status == REFUTED), None)
    return ClaimResult(
        number=5, title="Traditional bank financing", statement=STATEMENT, status=status,
        assumptions=ASSUMPTIONS, parts=parts,
        steps=tuple(s for pt in parts for s in pt.steps),
        counterexample=refuted.counterexample if refuted else None,
        notes=("Every part holds except 'the spread grows with w': under competitive pricing the spread "
               "follows the loan size, which peaks at w = p/2 and falls beyond, where M's optimum lies.",
               "At an exogenous rate the leader problem is degenerate (boundary w = p/(1 + r)): a bank that does "
               "not price the SME's risk subsidises the chain, which is why banks ration SME credit.",
               "Under competitive pricing the chain behaves as if unlevered: q* = A(p - w)/p and "
               "w* = (p + c)/2, the wholesale-contract outcome."),
    )
