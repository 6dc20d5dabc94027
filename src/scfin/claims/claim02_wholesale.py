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
from scfin.spec.notation import sym
from scfin.solver import solve
from scfin.claims.base import FAILED, PROVED, ClaimResult, Step, claim
from scfin.claims.proof import follower_response, is_identity, sign_on_region, slacks

STATEMENT = ("Wholesale price (double marginalisation): q*(w) < q0 for every w > c; uniform, v = 0: "
             "w* = (p + c)/2, and the chain reaches exactly 3/4 of the integrated profit.")


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
        Step("Engine, abstract demand: the retailer's response q*(w)", sp.Eq(sym("q"), response), "value"),
        Step("Fractile gap z(c) - z(w) between the integrated and the retailer's order "
             "(F^{-1} is increasing, so q*(w) < q0 iff it is positive); positive on v < c < w < p",
             fractile_gap, "positive", sign is not None and sign.positive),
        Step("Uniform, v = rf = 0: w* - (p + c)/2", w_gap, "identity", is_identity(w_gap)),
        Step("Uniform, v = rf = 0: chain profit / integrated profit - 3/4", share_gap, "identity",
             is_identity(share_gap)),
    )
    ok = all(s.holds for s in steps if s.holds is not None)
    return ClaimResult(
        number=2,
        title="Wholesale price: double marginalisation",
        statement=STATEMENT,
        status=PROVED if ok else FAILED,
        assumptions=("abstract demand F for q*(w) < q0 (any rf >= 0, 0 <= v < c)",
                     "uniform demand, v = 0, rf = 0 for w* and the 3/4 ratio"),
        steps=steps,
        notes=("Each firm marks up on its own margin: the retailer sees the cost w > c, orders less than the "
               "integrated firm, and a quarter of the integrated profit is lost (uniform demand).",),
    )
