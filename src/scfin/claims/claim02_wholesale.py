"""Claim 2: double marginalisation under a wholesale-price contract.

Spengler (1950); Lariviere & Porteus (2001).  With abstract demand the
retailer's response is ``q*(w) = F^{-1}(z(w))``, ``z(w) = (p - w(1 + rf))/(p - v)``;
``F^{-1}`` is increasing, so ``q*(w) < q0 = F^{-1}(z(c))`` follows from
``z(c) - z(w) = (1 + rf)(w - c)/(p - v) > 0`` on ``v < c < w < p``.  Uniform,
``v = 0`` (``rf = 0``): ``w* = (p + c)/2`` and the chain earns 3/4 of the
integrated profit, both identities in ``p, c, A``.
"""

from __future__ import annotations

import sympy as sp

from scfin.derive.algebra import cancel
from scfin.spec.demand import Finv
from scfin.spec.notation import STAR, sym
from scfin.solver import solve
from scfin.claims.base import FAILED, PROVED, ClaimResult, Step, claim
from scfin.claims.proof import follower_response, is_identity, sign_on_region, slacks

STATEMENT = ("Under a wholesale-price contract the retailer orders $q^*(w) < q_0$ for every $w > c$. With uniform "
             "demand and $v = 0$, $w^* = (p + c)/2$ and the chain earns exactly $3/4$ of the integrated profit.")


@claim(2)
def check() -> ClaimResult:
    p, c = sym("p"), sym("c")
    response = follower_response("wholesale", {}, demand="general").decisions["q"]
    q0 = solve("integrated", {}, demand="general").decisions["q"]
    fractile_gap = cancel(q0.args[0] - response.args[0]) if (q0.func == Finv and response.func == Finv) else None
    region = slacks(("v", "c", "w", "p"))
    sign = sign_on_region(fractile_gap, region) if fractile_gap is not None else None

    whole = solve("wholesale", {"v": 0, "rf": 0})
    integ = solve("integrated", {"v": 0, "rf": 0})
    w_gap = cancel(whole.decisions["w"] - (p + c) / 2)
    share_gap = cancel(whole.profits["chain"] / integ.profits["chain"] - sp.Rational(3, 4))
    steps = (
        Step("For an abstract demand distribution the engine's retailer orders the critical fractile of its "
             "margin:", sp.Eq(STAR["q"], response), "value"),
        Step("The gap $z(c) - z(w)$ between the integrated and the retailer's fractiles is positive on "
             "$v < c < w < p$; as $F^{-1}$ is increasing, $q^*(w) < q_0$",
             fractile_gap, "positive", sign is not None and sign.positive),
        Step("For uniform demand with $v = r_f = 0$ the manufacturer's optimal wholesale price is:", w_gap,
             "identity", is_identity(w_gap), lhs=STAR["w"], rhs=(p + c) / 2),
        Step("The chain's profit over the integrated profit $\\Pi_I$ is:", share_gap, "identity",
             is_identity(share_gap), lhs=sp.Symbol("Pi_SC") / sp.Symbol("Pi_I"), rhs=sp.Rational(3, 4)),
    )
    ok = all(s.holds for s in steps if s.holds is not None)
    return ClaimResult(
        number=2,
        title="Wholesale price: double marginalisation",
        statement=STATEMENT,
        status=PROVED if ok else FAILED,
        assumptions=("an abstract demand distribution $F$ for $q^*(w) < q_0$ (any $r_f \\ge 0$, $0 \\le v < c$)",
                     "uniform demand, $v = 0$ and $r_f = 0$ for $w^*$ and the ratio $3/4$"),
        steps=steps,
        notes=("Each firm marks up on its own margin: the retailer sees the cost $w > c$, orders less than the "
               "integrated firm, and a quarter of the integrated profit is lost (uniform demand).",),
    )
