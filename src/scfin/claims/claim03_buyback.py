"""Claim 3: the buyback family coordinates and splits the profit (Pasternack 1985).

For a share ``rho`` in (0, 1]: ``w = (1 - rho) p + rho c`` and
``b = (1 - rho) p + rho v``.  The retailer's fractile becomes
``(p - w)/(p - b) = (p - c)/(p - v)``, so ``q = q0``, and its expected profit
is ``rho`` times the integrated one.  Proof: the engine's retailer response
and expected profit with ``w, b`` symbolic (``rf = 0``, ``lam = 1``: the
repurchase is always executed), the family substituted, identities in
``rho, p, c, v, A``; the family is admissible (``v <= b < w < p``).
"""

from __future__ import annotations

import sympy as sp

from scfin.derive.algebra import cancel, factor
from scfin.spec.notation import STAR, sym
from scfin.solver import solve
from scfin.claims.base import FAILED, PROVED, ClaimResult, Step, claim
from scfin.claims.proof import at_response, follower_response, is_identity, sign_on_region, slacks

STATEMENT = ("Buyback contracts coordinate the chain: for every share $\\rho \\in (0, 1]$ the wholesale price "
             "$w_\\rho = (1 - \\rho)p + \\rho c$ and the buyback price $b_\\rho = (1 - \\rho)p + \\rho v$ make the "
             "retailer order the integrated quantity, $q^* = q_0$, and leave R exactly the share $\\rho$ of the "
             "integrated expected profit.")

RHO = sp.Symbol("rho", positive=True)


def family() -> dict[sp.Symbol, sp.Expr]:
    """The coordinating buyback terms as functions of the retailer's share ``rho``."""
    p, c, v = sym("p"), sym("c"), sym("v")
    return {sym("w"): (1 - RHO) * p + RHO * c, sym("b"): (1 - RHO) * p + RHO * v}


@claim(3)
def check() -> ClaimResult:
    p, c, v, w, b, lam, rf = (sym(n) for n in ("p", "c", "v", "w", "b", "lam", "rf"))
    D = follower_response("buyback", {"rf": 0})
    fam = family()
    q = D.decisions["q"].subs(lam, 1)
    retailer = at_response(D, D.expectations.values["retailer"]).subs(lam, 1)
    integ = solve("integrated", {})
    q0, pi0 = integ.decisions["q"].subs(rf, 0), integ.profits["chain"].subs(rf, 0)
    q_gap = cancel(q.subs(fam) - q0)
    r_gap = cancel(retailer.subs(fam) - RHO * pi0)
    # admissibility of the family: b - v >= 0, w - b > 0, p - w >= 0 on v < c < p, 0 < rho <= 1
    rho_region = {RHO: 1 / (1 + sp.Symbol("t", positive=True))}  # rho in (0, 1)
    base = slacks(("v", "c", "p"))
    b_minus_v = factor(fam[b] - v)
    w_minus_b = factor(fam[w] - fam[b])
    p_minus_w = factor(p - fam[w])
    adm = [sign_on_region(e, {**base, **rho_region}, positive=(v,)) for e in (b_minus_v, w_minus_b, p_minus_w)]
    steps = (
        Step("For given terms $w$ and $b$ (with $\\lambda = 1$ and $r_f = 0$) the engine's retailer orders the "
             "critical fractile of its margin $p - w$ over the spread $p - b$ between selling a unit and "
             "returning it:", sp.Eq(STAR["q"], q), "value"),
        Step("With the terms $w_\\rho$ and $b_\\rho$ this fractile is $(p - c)/(p - v)$, that of the integrated "
             "firm, and the retailer orders the integrated quantity $q_0$:", q_gap, "identity",
             is_identity(q_gap), lhs=STAR["q"], rhs=q0),
        Step("The retailer's expected profit at these terms is the share $\\rho$ of the integrated firm's "
             "expected profit:", r_gap, "identity", is_identity(r_gap), lhs=sp.Symbol("Pi_R"), rhs=RHO * pi0),
        Step("The terms are admissible. The buyback price is at least the salvage value: for $0 < \\rho < 1$, "
             "$b_\\rho - v$ is positive on $v < c < p$ (and $b_\\rho = v$ at $\\rho = 1$):", b_minus_v,
             "positive", adm[0].positive),
        Step("The wholesale price exceeds the buyback price, $w_\\rho - b_\\rho$:", w_minus_b, "positive",
             adm[1].positive),
        Step("The retail price exceeds the wholesale price, $p - w_\\rho$:", p_minus_w, "positive",
             adm[2].positive),
    )
    ok = all(s.holds for s in steps if s.holds is not None)
    return ClaimResult(
        number=3,
        title="Buyback coordinates",
        statement=STATEMENT,
        status=PROVED if ok else FAILED,
        assumptions=("uniform demand", "$r_f = 0$", "$\\lambda = 1$ (the repurchase is always executed)",
                     "a symbolic salvage value $0 \\le v < c$"),
        steps=steps,
        notes=("Buying back leftovers at $b_\\rho$ restores the integrated fractile: the retailer faces the same "
               "trade-off between overstocking and understocking as the integrated firm, and $\\rho$ only "
               "splits the expected profit between M and R.",),
    )
