"""Claim 4: linear vs target sales rebates (Taylor 2002).

Linear rebate (``T = 0``): the retailer's response is
``q = A(p + u - w)/(p + u)`` (engine, uniform, ``v = rf = 0``); the
coordinating ``u`` solves ``q = q0``, giving ``u = p(w - c)/c``, and M's
expected profit ``(w - c) q0 - u S(q0)`` there is negative on the whole region
``c < w < p``.  Target rebate: above the target the first-order condition does
not involve ``T`` (the marginal rebate is ``u P(D > q)``), so the same ``u``
makes ``q0`` the interior optimum while the target cuts M's payment; the
retailer's global optimum must also beat the best ``q <= T`` (where no rebate
is paid and the profit is the wholesale one).  Shown exactly at the worked
numbers of docs/specification.md section 8.
"""

from __future__ import annotations

import sympy as sp

from scfin.derive.algebra import cancel, factor
from scfin.spec.notation import STAR, sym
from scfin.solver import solve
from scfin.claims.base import FAILED, PROVED, PROVED_RESTRICTED, ClaimResult, Step, claim, overall
from scfin.claims.proof import at_response, follower_response, is_identity, sign_on_region, slacks

STATEMENT = ("A linear sales rebate that coordinates the chain leaves M a negative expected profit; a target "
             "rebate with a suitable sales target $T$ coordinates the chain with positive expected profits for "
             "both M and R.")

ASSUMPTIONS = ("uniform demand", "$v = 0$", "$r_f = 0$")

#: docs/specification.md section 8
WORKED = {"p": 10, "c": 4, "A": 100, "w": 6, "u": 5, "T": 40}


def _numbers(values) -> str:
    """``$p = 10$, $c = 4$, ...``: exact numbers in the paper's notation."""
    names = {"p": "p", "c": "c", "A": "A", "w": "w", "u": "u", "T": "T"}
    return ", ".join(f"${names[k]} = {sp.latex(sp.sympify(v))}$" for k, v in values.items())


def _linear() -> ClaimResult:
    p, c, w, u, T, q = (sym(n) for n in ("p", "c", "w", "u", "T", "q"))
    D = follower_response("sales-rebate", {"v": 0, "rf": 0})
    q_resp = D.decisions["q"].subs(T, 0)
    q0 = solve("integrated", {"v": 0, "rf": 0}).decisions["q"]
    roots = sp.solve(sp.numer(sp.together(q_resp - q0)), u)
    u_coord = factor(roots[0]) if len(roots) == 1 else None
    m_profit = factor(at_response(D, D.expectations.values["manufacturer"]).subs(T, 0).subs(u, u_coord))
    sign = sign_on_region(m_profit, slacks(("c", "w", "p")))
    steps = (
        Step("With a linear rebate $u$ on every unit sold ($T = 0$) the engine's retailer orders:",
             sp.Eq(STAR["q"], q_resp), "value"),
        Step("Setting $q^*$ equal to the integrated order $q_0$ and solving for $u$ gives a unique coordinating "
             "rebate:", sp.Eq(u, u_coord), "equation", u_coord is not None),
        Step("At this rebate M's expected profit is negative on the whole region $c < w < p$:", m_profit,
             "negative", sign.negative),
    )
    ok = all(s.holds for s in steps if s.holds is not None)
    return ClaimResult(
        number=4, title="Linear rebate, $T = 0$",
        statement="A linear rebate that makes the retailer order $q_0$ leaves M a negative expected profit, "
                  "for every wholesale price $c < w < p$.",
        status=PROVED if ok else FAILED, assumptions=ASSUMPTIONS, steps=steps,
        notes=("A linear rebate pays on every unit sold, including the units the retailer would sell anyway: "
               "lifting the order to $q_0$ costs M more than its whole margin.",),
    )


def _target() -> ClaimResult:
    p, c, w, u, T, q = (sym(n) for n in ("p", "c", "w", "u", "T", "q"))
    # region structure of an order above a positive target
    D = follower_response("sales-rebate", {"v": 0, "rf": 0}, shadow={"T": 40, "q": 60, "u": 5, "w": 6})
    foc = D.stages[0].first_order[0]
    foc_t = cancel(sp.diff(foc, T))
    eq = solve("sales-rebate", WORKED)
    q0 = solve("integrated", {k: WORKED[k] for k in ("p", "c", "A")}).decisions["q"]
    # best q <= T: no rebate is paid there, so R's profit is the wholesale one at the same w
    below = solve("wholesale", {k: WORKED[k] for k in ("p", "c", "A", "w")})
    q_below = below.decisions["q"]
    capped = min(q_below, sp.Integer(WORKED["T"]))
    at_cap = solve("sales-rebate", {**WORKED, "q": capped})
    m_pi, r_pi, r_cap = eq.profits["manufacturer"], eq.profits["retailer"], at_cap.profits["retailer"]
    steps = (
        Step("For an order above the target the retailer's marginal expected profit "
             "$\\partial \\Pi_R/\\partial q$ does not involve $T$ (the marginal rebate is $u\\Pr(D > q)$): "
             "the first-order condition above the target is the linear rebate's, and the same $u$ makes $q_0$ "
             "a stationary point:",
             foc_t, "identity", is_identity(foc_t), lhs=sp.Derivative(foc, T, evaluate=False), rhs=sp.Integer(0)),
        Step(f"At the worked numbers {_numbers(WORKED)} the retailer orders the integrated quantity "
             f"$q_0 = {sp.latex(q0)}$:", sp.Eq(STAR["q"], eq.decisions["q"]), "equation",
             eq.decisions["q"] == q0),
        Step("There M's expected profit is positive:", m_pi, "positive", bool(m_pi > 0)),
        Step("And so is R's:", r_pi, "positive", bool(r_pi > 0)),
        Step("On orders $q \\le T$ no rebate is ever paid and the retailer earns its wholesale profit; its best "
             "such order is the wholesale response $A(p - w)/p$, capped at $T$:", sp.Eq(q, capped), "value"),
        # (an unevaluated 80 < 110 would evaluate to True when the report's cache round-trips the result)
        Step(f"There the retailer's expected profit is below the ${sp.latex(r_pi)}$ it earns at $q_0$, so $q_0$ is "
             "its global optimum, not only a local one:", sp.Eq(sp.Symbol("Pi_R"), r_cap), "value",
             bool(r_cap < r_pi)),
    )
    ok = all(s.holds for s in steps if s.holds is not None)
    return ClaimResult(
        number=4, title="Target rebate, $T > 0$",
        statement="With a suitable sales target $T$ the rebate coordinates the chain with positive expected "
                  "profits for both M and R.",
        status=PROVED_RESTRICTED if ok else FAILED,
        assumptions=ASSUMPTIONS + (f"shown exactly at the worked numbers {_numbers(WORKED)} (an existence "
                                   "statement, shown by example)",),
        steps=steps,
        notes=("The target removes the rebate on sales the retailer would make anyway; the marginal incentive, "
               "and so the order, is unchanged, and M keeps a positive expected profit.",
               "Open beyond the worked numbers: the general statement (for every $c < w < p$ some target $T$ "
               "with both expected profits positive and $q_0$ the retailer's global optimum) alternates "
               "quantifiers, which the complete decision procedure used for the other claims (universal sign "
               "conditions, decided by QEPCAD B) does not yet pose."),
    )


@claim(4)
def check() -> ClaimResult:
    parts = (_linear(), _target())
    return ClaimResult(
        number=4, title="Rebates", statement=STATEMENT, status=overall(parts),
        assumptions=ASSUMPTIONS, parts=parts,
        notes=("A linear rebate can coordinate the chain for every $c < w < p$, but M then loses money "
               "(part (a)); with a sales target the same marginal incentive coordinates it and both firms "
               "gain, shown exactly at the worked numbers (part (b)).",),
    )
