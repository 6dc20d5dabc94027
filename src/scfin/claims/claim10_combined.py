"""Claim 10: the combined contract coordinates, and a Pareto zone of w exists.

Repurchase ``b`` + effort cost sharing ``phi`` + sales incentive ``u (s - T)^+``
(Krishnan, Kapuscinski & Butz 2004; Taylor 2002; Yan et al.).  For a given
``w`` and incentive ``(u, T)`` the engine's retailer response is solved for
the coordinating ``b(w), phi(w)`` (:func:`scfin.claims.zone.coordinating_family`);
along the family the chain earns the integrated profit and ``w`` splits it.
The Pareto zone is where each party earns at least its profit under
traditional financing (``bank-loan``, M choosing ``w``, competitive rate).
With ``u = 0``, ``v = rf = eta = 0``, ``lam = 1`` everything is closed form:

    R(w) = (p - w)/(p - c) * Pi0,  M(w) = (w - c)/(p - c) * Pi0,
    Pi0 = (p - c)^2 (A kappa + p)/(2 kappa p),
    benchmark R_b = A (p - c)^2/(8 p), M_b = A (p - c)^2/(4 p), bank 0,

so the zone is ``[c + (p - c) M_b/Pi0, p - (p - c) R_b/Pi0]``, non-empty
because ``Pi0 > R_b + M_b``.
"""

from __future__ import annotations

import sympy as sp

from scfin.derive.algebra import factor, numerator
from scfin.spec.notation import STAR, sym
from scfin.solver import solve
from scfin.claims.zone import coordinating_family, pareto_zone
from scfin.claims.base import FAILED, PROVED_RESTRICTED, ClaimResult, Step, claim
from scfin.claims.claim08_cost_sharing import claimed_pair
from scfin.claims.effort_proof import at, response, tex, tidy, written
from scfin.claims.proof import is_identity, sign_on_region, slacks

STATEMENT = ("The combined contract (repurchase, effort-cost sharing and a sales incentive) coordinates the chain; "
             "among the coordinating contracts there is a non-empty zone of wholesale prices $w$ in which the "
             "retailer R, the manufacturer M and the bank each earn at least their profit under traditional "
             "financing (Proposition 5 with M choosing $w$, in the same rate regime). The bounds of the zone are "
             "reported.")

MODEL = "repurchase-combined"
KNOWN_II = {"rf": 0, "lam": 1, "eta": 0}
SHADOW_II = {"w": 7.0, "b": 4.5, "phi": 0.4, "u": 2.0, "T": 30.0, "q": 66.0, "e": 6.0}
KNOWN_0 = {"rf": 0, "lam": 1, "eta": 0, "v": 0, "u": 0, "T": 0}
SHADOW_0 = {"w": 7.0, "b": 4.5, "phi": 0.4, "q": 66.0, "e": 6.0}


def closed_form_zone():
    """``(w_lo, w_hi, family, benchmark)`` for u = 0, v = rf = eta = 0, lam = 1 (engine, symbolic p, c, A, kappa)."""
    w = sym("w")
    fam = coordinating_family(MODEL, KNOWN_0, SHADOW_0)
    bench = solve("bank-loan", {"v": 0, "eta": 0, "rf": 0})
    # the benchmark's radicals (from the competitive rate) cancel: bounded simplification of each profit
    benchmark = {k: factor(sp.radsimp(sp.simplify(bench.profits[k]))) for k in ("retailer", "manufacturer", "bank")}
    lo = sp.solve(sp.numer(sp.together(fam.profits["manufacturer"] - benchmark["manufacturer"])), w)
    hi = sp.solve(sp.numer(sp.together(fam.profits["retailer"] - benchmark["retailer"])), w)
    if len(lo) != 1 or len(hi) != 1:
        return None, None, fam, benchmark
    return tidy(lo[0]), tidy(hi[0]), fam, benchmark


@claim(10)
def check() -> ClaimResult:
    p, c, v, w, A, kappa, u, T = (sym(n) for n in ("p", "c", "v", "w", "A", "kappa", "u", "T"))
    region = slacks(("v", "c", "w", "p"))

    # -- coordination with the incentive (piece II: e0 < T < q0), all terms symbolic
    fam = coordinating_family(MODEL, KNOWN_II, SHADOW_II)
    D = response(MODEL, KNOWN_II, SHADOW_II)
    point = dict(fam.terms)
    dq = tidy(at(D.decisions["q"], point) - fam.q0)
    de = tidy(at(D.decisions["e"], point) - fam.e0)
    chain_gap = tidy(sum(fam.profits.values()) - fam.chain)
    # u = 0 gives back claim 8's pair
    pair = claimed_pair()
    back8 = all(is_identity(at(fam.terms[k], {"u": 0}) - pair[k]) for k in ("b", "phi"))
    # the incentive lowers the buyback and the cost share one for one with what it pays at the margins
    db_du = tidy(sp.diff(fam.terms["b"], u))
    # w moves profit from R to M along the family: dR/dw < 0 < dM/dw
    dR = tidy(sp.diff(fam.profits["retailer"], w))
    dM = tidy(sp.diff(fam.profits["manufacturer"], w))
    dR_sign = sign_on_region(-dR, {**region}, positive=(u, T))
    dM_sign = sign_on_region(dM, {**region}, positive=(u, T))

    # -- closed-form zone, u = 0, v = rf = eta = 0, lam = 1
    w_lo, w_hi, fam0, bench = closed_form_zone()
    width = tidy(w_hi - w_lo) if w_lo is not None else None
    width_sign = sign_on_region(width, slacks(("c", "p"))) if width is not None else None
    chain0_gap = tidy(sum(fam0.profits.values()) - fam0.chain)
    surplus = tidy(fam0.chain - bench["retailer"] - bench["manufacturer"] - bench["bank"])

    # -- numbers (docs/specification.md section 8) through the zone API
    z = pareto_zone(MODEL, {})
    z_inc = pareto_zone(MODEL, {"u": 2, "T": 30})
    z_lam = pareto_zone(MODEL, {"lam": sp.Rational(1, 2)})
    defaults = {"p": 10, "c": 4, "A": 100, "kappa": 1}
    num_ok = (not z.empty and z.lower == at(w_lo, defaults) and z.upper == at(w_hi, defaults)
              and all(z.checks.values()))
    inc_ok = not z_inc.empty and all(z_inc.checks.values())

    # -- effort-consistent benchmark: traditional financing with the same effort technology
    #    (repurchase-cost-sharing at b = v, phi = 0: no repurchase premium, no sharing)
    eff = solve("repurchase-cost-sharing", {**defaults, "b": 0, "phi": 0})
    R_num = at(fam0.profits["retailer"], defaults)
    M_num = at(fam0.profits["manufacturer"], defaults)
    eff_lo = sp.solve(M_num - eff.profits["manufacturer"], w)[0]
    eff_hi = sp.solve(R_num - eff.profits["retailer"], w)[0]

    # -- lam = 1/2: where the coordinating buyback reaches w, and where M first matches its benchmark
    lam_reach = sp.solve(numerator(z_lam.family.constraints["b < w"]), w)
    lam_match = sp.solve(numerator(z_lam.family.profits["manufacturer"] - z_lam.benchmark["manufacturer"]), w)
    lam_reach = lam_reach[0] if len(lam_reach) == 1 else None
    lam_match = lam_match[0] if len(lam_match) == 1 else None
    lam_ok = z_lam.empty and lam_reach is not None and lam_match is not None and lam_reach < lam_match

    qs, es = STAR["q"], STAR["e"]
    b8s, phi8s, pi0 = sp.Symbol("b_8"), sp.Symbol("phi_8"), sp.Symbol("Pi_I")
    pi_R, pi_M, pi_B = (sp.Symbol(f"Pi_{k}") for k in "RMB")
    tf_R, tf_M = (sp.Symbol(f"Pi_{k}^TF") for k in "RM")
    w_L, w_H = sp.Symbol("w_L"), sp.Symbol("w_H")
    pair_where = {b8s: pair["b"], phi8s: pair["phi"]}
    b_form = b8s - u * (c - v) / (p - c)
    phi_form = phi8s - u * (p - c + kappa * (A - T)) / (A * kappa * (p - c))
    chain0 = fam0.chain
    ends = ("lower", "upper")
    defaults_text = ", ".join(f"${tex(sym(k))} = {tex(x)}$" for k, x in {**defaults, "v": 0}.items())
    steps = (
        Step("With a sales incentive $(u, T)$ whose target lies between the integrated effort and order "
             "($e_0 < T < q_0$), solving $q^* = q_0$, $e^* = e_0$ (engine) gives for every $w$ one coordinating "
             "buyback price: Proposition 8's $b_8$, lowered in proportion to $u$.",
             sp.Eq(sym("b"), written(fam.terms["b"], b_form, pair_where)), "value", where={b8s: pair["b"]}),
        Step("It also gives one coordinating cost share: Proposition 8's $\\phi_8$, lowered in proportion to $u$.",
             sp.Eq(sym("phi"), written(fam.terms["phi"], phi_form, pair_where)), "value",
             where={phi8s: pair["phi"]}),
        Step("Along this family the retailer orders the integrated quantity:", dq, "identity", dq == 0,
             lhs=qs, rhs=fam.q0),
        Step("It also exerts the integrated effort:", de, "identity", de == 0, lhs=es, rhs=fam.e0),
        Step("So the chain earns the integrated profit:", chain_gap, "identity", chain_gap == 0,
             lhs=pi_R + pi_M + pi_B, rhs=fam.chain),
        Step("At $u = 0$ the family is Proposition 8's pair $(b_8, \\phi_8)$.", None, "value", back8),
        Step("Each unit of incentive replaces $(c - v)/(p - c)$ of buyback premium, as $\\partial b/\\partial u$ is "
             "constant:",
             written(db_du, sp.Mul(-1, c - v, 1 / (p - c), evaluate=False)), "value"),
        Step("Along the family the wholesale price only moves profit from the retailer to the manufacturer: "
             "$\\partial \\Pi_R/\\partial w < 0$ on $v < c < w < p$, for any $u, T > 0$:", dR, "negative",
             dR_sign.positive),
        Step("Conversely $\\partial \\Pi_M/\\partial w > 0$:", dM, "positive", dM_sign.positive),
        Step("Without an incentive ($u = 0$) and with $v = r_f = \\eta = 0$ the family is:",
             sp.Eq(sp.Tuple(sym("b"), sym("phi")), sp.Tuple(fam0.terms["b"], fam0.terms["phi"])), "value"),
        Step("The retailer and the manufacturer split the integrated profit $\\Pi_I$ in proportion to their "
             "margins $p - w$ and $w - c$.",
             sp.Tuple(sp.Eq(pi_R, written(fam0.profits["retailer"], (p - w) / (p - c) * pi0, {pi0: chain0})),
                      sp.Eq(pi_M, written(fam0.profits["manufacturer"], (w - c) / (p - c) * pi0, {pi0: chain0}))),
             "value", where={pi0: chain0}),
        Step("With the bank's profit the three add up to the integrated profit:", chain0_gap, "identity",
             chain0_gap == 0, lhs=pi_R + pi_M + pi_B, rhs=pi0),
        Step("The benchmark is traditional financing (bank loan, competitive rate, M choosing $w$; engine), where "
             f"the bank breaks even, $\\Pi^{{TF}}_B = {tex(bench['bank'])}$, and the retailer and the manufacturer earn:",
             sp.Tuple(sp.Eq(tf_R, bench["retailer"]), sp.Eq(tf_M, bench["manufacturer"])), "value"),
        Step("Coordination creates a surplus over it, $\\Pi_I - (\\Pi^{TF}_R + \\Pi^{TF}_M + \\Pi^{TF}_B) > 0$:",
             surplus, "positive", sign_on_region(surplus, slacks(("c", "p"))).positive),
        Step("The zone's lower bound $w_L$, where the manufacturer earns its benchmark ($\\Pi_M = \\Pi^{TF}_M$):",
             sp.Eq(w_L, written(w_lo, c + A * kappa * (p - c) / sp.Mul(2, p + A * kappa, evaluate=False))) if w_lo is not None else None,
             "value"),
        Step("Its upper bound $w_H$, where the retailer earns its benchmark ($\\Pi_R = \\Pi^{TF}_R$):",
             sp.Eq(w_H, written(w_hi, p - A * kappa * (p - c) / sp.Mul(4, p + A * kappa, evaluate=False))) if w_hi is not None else None,
             "value"),
        Step("The zone is non-empty, $w_H - w_L > 0$ on $0 < c < p$:", width, "positive",
             width_sign is not None and width_sign.positive),
        Step(f"At the defaults ({defaults_text}) the zone's own derivation gives "
             "these bounds; at both ends the numeric checks of the retailer's global best response and "
             "of the profits pass:", sp.Eq(sp.Tuple(w_L, w_H), sp.Tuple(z.lower, z.upper)), "value", num_ok),
        *(Step(f"There the profits at ${name}$ are:",
               sp.Eq(sp.Tuple(pi_R, pi_M, pi_B), sp.Tuple(*(z.ends[e][k] for k in ("retailer", "manufacturer", "bank")))),
               "value") for e, name in zip(ends, ("w_L", "w_H")) if not z.empty),
        Step(f"With a target rebate $u = {tex(z_inc.family.terms.get('u', 0))}$, "
             f"$T = {tex(z_inc.family.terms.get('T', 0))}$ the zone is:",
             sp.Eq(sp.Tuple(w_L, w_H), sp.Tuple(z_inc.lower, z_inc.upper)), "value", inc_ok),
        Step(f"With $\\lambda = {tex(z_lam.parameters['lam'])}$ the zone is empty: the coordinating buyback price "
             f"reaches $w$ at $w = {tex(lam_reach)}$, below the $w = {tex(lam_match)}$ at which the manufacturer "
             "matches its benchmark.", None, "value", lam_ok),
        Step("Against a benchmark with the same effort technology (repurchase with cost sharing at $b = v$, "
             "$\\phi = 0$, M choosing $w$) the zone is narrower:", sp.Eq(sp.Tuple(w_L, w_H), sp.Tuple(eff_lo, eff_hi)),
             "value", bool(eff_lo < eff_hi)),
    )
    ok = all(s.holds for s in steps if s.holds is not None)
    return ClaimResult(
        number=10,
        title="Combined contract: coordination and the Pareto zone",
        statement=STATEMENT,
        status=PROVED_RESTRICTED if ok else FAILED,
        assumptions=(
            "uniform base demand $\\xi$ on $[0, A]$, additive effort $D = \\xi + e$, effort cost $\\kappa e^2/2$",
            "a competitive bank; the benchmark is traditional financing (bank loan, competitive rate, M choosing "
            "$w$)",
            "$v < c < w < p$, $r_f = 0$, $\\eta = 0$",
            "$\\lambda = 1$: the zone needs a reliable repurchase (with $\\lambda = 1/2$ it is empty; see the notes)",
            "the zone's bounds in closed form for $u = 0$ and $v = 0$; with an incentive $(u, T)$, "
            "$e_0 < T < q_0$, at the defaults",
        ),
        steps=steps,
        notes=(
            "Coordination: for any $w$ the buyback price fixes the safety-stock margin and the cost share the effort "
            "margin; the incentive $(u, T)$ is a third instrument that substitutes for both, so for given $w$ the "
            "coordinating contracts form a family in $(u, T)$.",
            f"Zone at the defaults: ${tex(z.lower)} \\le w \\le {tex(z.upper)}$ (about "
            f"${float(z.lower):.2f}$ to ${float(z.upper):.2f}$). At $w_L$ the manufacturer earns its benchmark "
            f"${tex(z.ends['lower']['manufacturer'])}$ and the retailer ${tex(z.ends['lower']['retailer'])}$; at "
            f"$w_H$ the retailer earns its benchmark ${tex(z.ends['upper']['retailer'])}$ and the manufacturer "
            f"${tex(z.ends['upper']['manufacturer'])}$. The bank earns 0 in both regimes (competitive pricing): it "
            "is indifferent, not better off." if not z.empty else "The zone is empty at the defaults.",
            "The mutual benefit comes from two sources: financing at a fair rate in both regimes, and the "
            "coordination gain $\\Pi_I - (\\Pi^{TF}_R + \\Pi^{TF}_M)$, which includes the effort the benchmark "
            f"lacks. Against a benchmark with the same effort technology the zone is narrower: "
            f"${tex(eff_lo)} \\le w \\le {tex(eff_hi)}$.",
            "The repurchase must be reliable: with $\\lambda < 1$ the coordinating buyback price is inflated by "
            "$1/\\lambda$ and runs into $b < w$. At $\\lambda = "
            f"{tex(z_lam.parameters['lam'])}$ it reaches $w$ at $w = {tex(lam_reach)}$, below the "
            f"$w = {tex(lam_match)}$ the manufacturer needs to match its benchmark: the zone is empty.",
        ),
    )
