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
  ``w(1 + r) > r p`` -- on the whole regime only when ``c(1 + r) >= r p``,
  nowhere on it for ``r >= 1`` -- so that part is proved under this restriction.
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
from scfin.spec.notation import STAR, sym
from scfin.solver import solve
from scfin.claims.base import (FAILED, PROVED, PROVED_RESTRICTED, REFUTED, ClaimResult, Counterexample, Step, claim,
                               overall)
from scfin.claims.proof import (at_response, follower_response, is_identity, radical_sign, residual, sign_on_region,
                                slacks)

STATEMENT = ("Under traditional bank financing the retailer's order $q^*$ has a closed form and falls in $r$ and in "
             "$w$; the default probability is positive; the competitive rate exceeds $r_f$ (a credit spread), and "
             "the spread grows with $w$. At an exogenous rate with $\\eta = 0$ the leader's problem is degenerate: "
             "M's expected profit increases in $w$ up to the boundary $w(1 + r) = p$ while the bank's expected "
             "profit falls, and the engine reports a boundary solution.")

ASSUMPTIONS = ("uniform demand", "$v = 0$", "$\\eta = 0$", "$r_f = 0$")
KNOWN = {"v": 0, "rf": 0, "eta": 0}
#: worked numbers (docs/specification.md section 8) for the counterexample
WORKED = {"p": 10, "c": 4, "A": 100}
#: the regime of the exogenous closed form, in words
REGIME = "the regime $c < w$, $w(1 + r) < p$"


class Shown(sp.Symbol):
    """A symbol printed as its name, which is LaTeX: one side of a displayed identity (``\\partial q^*/\\partial b``)."""

    def _latex(self, printer):
        return self.name


PI_R, PI_M, PI_B = sp.Symbol("Pi_R"), sp.Symbol("Pi_M"), sp.Symbol("Pi_B")


def tex_number(x) -> str:
    """An exact number as inline LaTeX, fractions with a slash (``19/6 - 5 \\sqrt{13}/6``)."""
    return sp.latex(sp.sympify(x), fold_short_frac=True).replace(" / ", "/")


def exogenous_region() -> dict[sp.Symbol, sp.Expr]:
    """``c < w`` and ``w (1 + r) < p`` (the regime of the exogenous closed form), ``r > 0``."""
    p, r = sym("p"), sym("r")
    reg = slacks(("c", "w"))
    reg[p] = sp.expand((1 + r) * reg[sym("w")]) + sp.Symbol("s2", positive=True)
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
    soc = [factor(cnd.expr.subs(q, qs)) for cnd in D.stages[0].second_order]
    closed = _part("Exogenous rate $r$, $w$ given: the order in closed form",
                   "At an exogenous rate $r$ the retailer's order $q^*$ has a closed form.", [
        Step("The retailer borrows $L = wq$ at the rate $r$ and, protected by limited liability, repays the "
             "smaller of its revenue $p\\min(D, q)$ and $L(1 + r)$; the engine's retailer orders:",
             sp.Eq(STAR["q"], qs), "value"),
        Step("This order solves the retailer's first-order condition:", foc, "identity", is_identity(foc),
             lhs=Shown("\\left.\\partial \\Pi_R/\\partial q\\right|_{q = q^*}"), rhs=sp.Integer(0)),
        *[Step(f"The second-order condition $-\\partial^2 \\Pi_R/\\partial q^2 > 0$ holds on {REGIME}:", s,
               "positive", sign_on_region(s, reg, pos).positive) for s in soc],
    ])
    dq_dr, dq_dw = factor(sp.diff(qs, r)), factor(sp.diff(qs, w))
    falls = _part("Exogenous rate $r$, $w$ given: the order falls in $r$ and $w$",
                  "At an exogenous rate the order $q^*$ falls in $r$ and in $w$.", [
        Step(f"The derivative $\\partial q^*/\\partial r$ is negative on {REGIME}:", dq_dr, "negative",
             sign_on_region(dq_dr, reg, pos).negative),
        Step("So is $\\partial q^*/\\partial w$:", dq_dw, "negative", sign_on_region(dq_dw, reg, pos).negative),
    ])
    dflt = factor(at_response(D, E["default"]))
    default = _part("Exogenous rate $r$, $w$ given: the default probability",
                    "At an exogenous rate the default probability is positive.", [
        Step("The retailer defaults when demand falls below the threshold $k$ at which its sales just repay "
             f"$L(1 + r)$; at $q^*$ the default probability $\\Pr(D < k)$ is positive on {REGIME}:", dflt,
             "positive", sign_on_region(dflt, reg, pos).positive),
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
        Step("Along the retailer's response M's expected profit is:", sp.Eq(PI_M, m_profit), "value"),
        Step(f"Its derivative $\\partial \\Pi_M/\\partial w$ is positive on the whole of {REGIME}, so M's "
             "problem has no interior optimum:", dm, "positive", sign_on_region(dm, reg, pos).positive),
        Step("The bank's expected profit along the response is:", sp.Eq(PI_B, bank), "value"),
        Step("Its derivative $\\partial \\Pi_B/\\partial w$ is $rp - w(1 + r)$ times the factor below, which is "
             f"positive on {REGIME}: the bank's expected profit falls in $w$ exactly where $w(1 + r) > rp$, "
             "everywhere on the regime when $c(1 + r) \\ge rp$:", db_scaled, "positive",
             sign_on_region(db_scaled, reg, pos).positive),
        Step("The engine solves M's problem at the boundary of the regime in $w$ (a boundary solution, not an "
             "interior stationary point)", sp.Symbol(",".join(eq.boundary) or "none"), "value",
             eq.boundary == ("w",)),
        Step("M's wholesale price is the upper end of the regime:", w_gap, "identity",
             w_gap is not None and is_identity(w_gap), lhs=STAR["w"], rhs=p / (1 + r)),
        Step("There the bank's expected profit is negative for $r < 1/3$:", sp.Eq(PI_B, bank_at), "value"),
    ]
    degenerate = _part(
        "Exogenous rate $r$, $w$ chosen by M",
        "At an exogenous rate M's expected profit increases in $w$ up to $w(1 + r) = p$ while the bank's "
        "expected profit falls, and the engine reports a boundary solution.",
        steps,
        # the bank's profit falls only where w(1 + r) > r p: proved there, and on the whole regime only when
        # c(1 + r) >= r p (never when r >= 1, since w(1 + r) < p <= r p there)
        status=PROVED_RESTRICTED if all(s.holds for s in steps if s.holds is not None) else FAILED,
        assumptions=ASSUMPTIONS + ("for the bank's expected profit, $w(1 + r) > rp$: on the whole regime when "
                                   "$c(1 + r) \\ge rp$, nowhere on it when $r \\ge 1$",),
        notes=("A bank that does not price the SME's risk subsidises the chain: the retailer, protected by "
               "limited liability, keeps ordering as $w$ rises, M raises $w$ to the edge $w(1 + r) = p$, and the "
               "bank bears the default losses, with a negative expected profit for $r < 1/3$. This is why banks "
               "ration credit to SMEs or price it competitively.",
               "Where $w(1 + r) < rp$, possible only for $c(1 + r) < rp$, the bank's expected profit rises in "
               "$w$: the restriction of this part."),
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
    order = _part("Competitive rate, $w$ given: order and default",
                  "At the competitive rate the order $q^*$ falls in $w$ and the default probability is positive.", [
        Step("At the competitive rate the bank breaks even on every loan, the rate drops out of the retailer's "
             "and the bank's joint profit, and the engine's retailer orders:", sp.Eq(STAR["q"], qs), "value"),
        Step("The derivative $\\partial q^*/\\partial w$ is negative:", dq_dw, "negative",
             sign_on_region(dq_dw, reg).negative),
        Step("The default probability at $q^*$ is positive on $c < w < p$:", dflt, "positive", s_dflt.positive),
    ])
    spread = _part("Competitive rate, $w$ given: the credit spread",
                   "The competitive rate exceeds the risk-free rate $r_f = 0$: there is a credit spread.", [
        Step("The bank's break-even rate at the retailer's response is:", sp.Eq(STAR["r"], rate), "value"),
        Step("It exceeds $r_f = 0$ on $c < w < p$:", rate, "positive", s_rate.positive),
    ])
    # where does the spread grow with w?  w = x p with x = 1/(2 + m) in (0, 1/2) or
    # x = (1 + m)/(2 + m) in (1/2, 1), m > 0 (p stays a symbol, so sqrt(p) stays simple,
    # and the radicand carries no numeric square root)
    dr = sp.diff(rate, w)
    m = sp.Symbol("m", positive=True)
    w_low, w_high = p / (2 + m), p * (1 + m) / (2 + m)
    low = radical_sign(dr, {w: w_low})
    high = radical_sign(dr, {w: w_high})
    # dr/dw = p (p - 2w) r / (w (p - w) sqrt(Delta)), Delta = p^2 + 2w^2 - 2pw (checked below): its sign is
    # that of p - 2w, as r > 0; the signs themselves are decided on dr, above
    delta = sp.Symbol("Delta", positive=True)
    radicand = p ** 2 + 2 * w ** 2 - 2 * p * w
    dr_form = p * (p - 2 * w) * STAR["r"] / (w * (p - w) * sp.sqrt(delta))
    dr_gap = residual(dr - dr_form.xreplace({STAR["r"]: rate, delta: radicand}))
    wstar = solve("bank-loan", KNOWN).decisions["w"]
    above = factor(wstar - p / 2)
    points = {}
    for wv in (6, 8):
        eq = solve("bank-loan", {**WORKED, "w": wv})
        points[wv] = eq.metrics["interest_rate"]
    at = ", ".join(f"${k} = {v}$" for k, v in WORKED.items())
    ce = Counterexample(
        parameters={**{k: sp.Integer(v) for k, v in WORKED.items()}, "v": 0, "eta": 0, "rf": 0},
        observed={"r(w=6)": points[6], "r(w=8)": points[8]},
        text=f"At {at} the competitive rate is $r^* = {tex_number(points[6])} \\approx {sp.N(points[6], 4)}$ at "
             f"$w = 6$ but only $r^* = {tex_number(points[8])} \\approx {sp.N(points[8], 4)}$ at $w = 8$: the "
             "spread falls as $w$ rises above $p/2$",
    )
    steps = [
        Step("With $\\Delta = p^2 + 2w^2 - 2pw$, the derivative of the competitive rate in $w$ is:", dr_gap,
             "identity", dr_gap == 0, lhs=Shown("\\partial r^*/\\partial w"), rhs=dr_form),
        Step("As $r^* > 0$ (part (f)), it has the sign of $p - 2w$. It is positive for $w < p/2$, that is "
             "$w = p/(2 + m)$ with $m > 0$, where the spread grows with $w$:", dr_form, "positive", low.positive),
        Step("It is negative for $p/2 < w < p$, that is $w = p(1 + m)/(2 + m)$ with $m > 0$, where the spread "
             "falls:", dr_form, "negative", high.negative),
        Step("M's optimal wholesale price at the competitive rate is:", sp.Eq(STAR["w"], wstar), "value"),
        Step("It lies above $p/2$, where the spread falls; the gap $w^* - p/2$ is positive:", above, "positive",
             sign_on_region(above, reg).positive),
        Step(f"At {at} the rate at $w = 8$ is below the rate at $w = 6$; the difference $r^*(8) - r^*(6)$ is "
             "negative:", sp.radsimp(points[8] - points[6]), "negative", bool(points[8] < points[6])),
    ]
    grows = _part("Competitive rate, $w$ given: the spread in $w$", "The credit spread grows with $w$.", steps,
                  status=REFUTED if all(st.holds for st in steps if st.holds is not None) else FAILED,
                  counterexample=ce,
                  notes=("The spread follows the loan $L = wq^* = Aw(p - w)/p$: the retailer cuts its order as "
                         "$w$ rises, so above $w = p/2$ the loan, and with it the spread, shrinks. The spread "
                         "grows with $w$ only for $w < p/2$ (proved), a range that never contains M's optimum "
                         "$w^* = (p + c)/2$.",))
    return order, spread, grows


@claim(5)
def check() -> ClaimResult:
    parts = exogenous_parts() + competitive_parts()
    return ClaimResult(
        number=5, title="Traditional bank financing", statement=STATEMENT, status=overall(parts),
        assumptions=ASSUMPTIONS, parts=parts,
        notes=("Every part holds except that the spread grows with $w$ (part (g)): at the competitive rate the "
               "spread follows the loan, which peaks at $w = p/2$ and shrinks beyond, where M's optimum lies. At "
               "an exogenous rate the bank's expected profit falls in $w$ only where $w(1 + r) > rp$ "
               "(part (d)).",
               "At an exogenous rate the leader's problem is degenerate, with M at the boundary "
               "$w = p/(1 + r)$: a bank that does not price the SME's risk subsidises the chain, which is why "
               "banks ration credit to SMEs.",
               "At the competitive rate the chain behaves as if unlevered: $q^* = A(p - w)/p$ and "
               "$w^* = (p + c)/2$, the outcome of the wholesale-price contract."),
    )
