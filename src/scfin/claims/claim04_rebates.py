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
from scfin.spec.notation import sym
from scfin.solver import solve
from scfin.claims.base import FAILED, PROVED, PROVED_RESTRICTED, ClaimResult, Step, claim
from scfin.claims.proof import at_response, follower_response, is_identity, sign_on_region, slacks

STATEMENT = ("Rebates: a linear rebate that coordinates leaves M a negative profit; a target rebate with a "
             "suitable target coordinates with both profits positive.")

#: docs/specification.md section 8
WORKED = {"p": 10, "c": 4, "A": 100, "w": 6, "u": 5, "T": 40}


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
        Step("Engine: retailer's response to a linear rebate (T = 0)", sp.Eq(q, q_resp), "value"),
        Step("Coordinating rebate: q(u) = q0 solved for u", sp.Eq(u, u_coord), "equation", u_coord is not None),
        Step("M's expected profit at the coordinating linear rebate: negative on c < w < p", m_profit,
             "negative", sign.negative),
    )
    ok = all(s.holds for s in steps if s.holds is not None)
    return ClaimResult(
        number=4, title="Linear rebate", statement="A linear rebate that coordinates leaves M a negative profit.",
        status=PROVED if ok else FAILED, assumptions=("uniform demand", "v = 0", "rf = 0"), steps=steps,
        notes=("A linear rebate pays on every unit sold, including the ones the retailer would sell anyway: "
               "to lift the order to q0 it costs M more than its whole margin.",),
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
    steps = (
        Step("Above the target the retailer's first-order condition does not depend on T: d(FOC)/dT",
             foc_t, "identity", is_identity(foc_t)),
        Step("Worked numbers p=10, c=4, A=100, w=6, u=5, T=40: R's order equals q0", sp.Eq(eq.decisions["q"], q0, evaluate=False),
             "equation", eq.decisions["q"] == q0),
        Step("M's expected profit", eq.profits["manufacturer"], "positive", bool(eq.profits["manufacturer"] > 0)),
        Step("R's expected profit", eq.profits["retailer"], "positive", bool(eq.profits["retailer"] > 0)),
        Step("Best order q <= T (no rebate paid: wholesale response, capped at T)", sp.Eq(q, capped), "value"),
        Step("R's profit there, which is below its profit at q0: a global, not a local, optimum",
             at_cap.profits["retailer"], "value", bool(at_cap.profits["retailer"] < eq.profits["retailer"])),
    )
    ok = all(s.holds for s in steps if s.holds is not None)
    return ClaimResult(
        number=4, title="Target rebate",
        statement="A target rebate with a suitable target coordinates with both profits positive.",
        status=PROVED_RESTRICTED if ok else FAILED,
        assumptions=("uniform demand", "v = 0", "rf = 0", "shown at the worked numbers (existence by example)"),
        steps=steps,
        notes=("The target removes the rebate on sales the retailer would make anyway; the marginal incentive, "
               "and so the order, is unchanged, and M keeps a positive profit.",
               "Open beyond the worked numbers: the general statement is an existence sentence (for every "
               "c < w < p some T with both profits positive and q0 R's global optimum), a quantifier "
               "alternation that scfin.claims.decide (universal sign conditions only) does not yet pose to "
               "QEPCAD B."),
    )


@claim(4)
def check() -> ClaimResult:
    parts = (_linear(), _target())
    failed = any(pt.status == FAILED for pt in parts)
    status = FAILED if failed else (PROVED if all(pt.status == PROVED for pt in parts) else PROVED_RESTRICTED)
    return ClaimResult(
        number=4, title="Rebates", statement=STATEMENT, status=status,
        assumptions=("uniform demand", "v = 0", "rf = 0"),
        steps=tuple(s for pt in parts for s in pt.steps), parts=parts,
        notes=("Linear rebate: coordination is possible but M loses money (proved for all c < w < p). "
               "Target rebate: coordination with both profits positive shown exactly at the worked numbers "
               "(T = 40: q = 60, M 70, R 110; best q <= T earns R only 80).",),
    )
