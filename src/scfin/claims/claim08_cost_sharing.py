"""Claim 8: repurchase + effort cost sharing coordinates stock and effort.

Krishnan, Kapuscinski & Butz (2004); Cachon (2003) section 8.  Effort is
additive, ``D = xi + e``, and costs ``kappa e^2/2``.  Under competitive
pricing the bank breaks even, so the retailer maximises
``E[Y] - w q (1 + rf) - (1 - phi) kappa e^2/2``; the engine derives (uniform
``xi`` on [0, A], rf = 0, lam = 1)

    e*(w, b, phi) = (p - w)/((1 - phi) kappa),   q* - e* = A (p - w)/(p - b),

against the integrated ``e0 = (p - c)/kappa``, ``q0 - e0 = A (p - c)/(p - v)``.
So ``phi = 0`` leaves ``e0 - e* = (w - c)/kappa > 0``, and the claimed pair
makes both gaps vanish identically.  With ``rf > 0`` the pair must carry
``w(1 + rf)``, ``c(1 + rf)``; with ``lam < 1`` the repurchase only pays in
expectation ``lam b + (1 - lam) v``, so the coordinating ``b`` is scaled by
``1/lam``.
"""

from __future__ import annotations

import sympy as sp

from scfin.spec.notation import STAR, sym
from scfin.solver import solve
from scfin.claims.base import FAILED, PROVED, ClaimResult, Step, claim
from scfin.claims.effort_proof import at, integrated_effort, response, retailer_joint, tex, tidy
from scfin.claims.proof import is_identity, sign_on_region, slacks

STATEMENT = ("Under repurchase with effort-cost sharing, repurchase alone ($\\phi = 0$) under-provides effort "
             "whenever $w > c$; with $r_f = 0$ the pair $\\phi = (w - c)/(p - c)$, $b = p - (p - w)(p - v)/(p - c)$ "
             "coordinates both the order $q$ and the effort $e$.")

MODEL = "repurchase-cost-sharing"
#: shadow point inside the coordinating region (docs/specification.md section 8 numbers)
SHADOW = {"w": 6.0, "b": 10 / 3, "phi": 1 / 3, "q": 66.0, "e": 6.0}


def claimed_pair():
    """The pair of the claim's statement (the object under test, not a derived result)."""
    p, c, v, w = (sym(n) for n in ("p", "c", "v", "w"))
    return {"phi": (w - c) / (p - c), "b": p - (p - w) * (p - v) / (p - c)}


def shown(expr, form):
    """``form`` where it equals ``expr`` (a display in the paper's arrangement), else ``expr`` itself."""
    return form if is_identity(sp.sympify(form) - expr) else expr


@claim(8)
def check() -> ClaimResult:
    p, c, v, w, b, phi, lam, rf, kappa, A = (sym(n) for n in ("p", "c", "v", "w", "b", "phi", "lam", "rf", "kappa", "A"))
    region = slacks(("v", "c", "w", "p"))

    # -- integrated benchmark and the retailer's response (rf = 0, lam = 1; eta symbolic)
    q0, e0, profit0 = integrated_effort({"rf": 0})
    R = response(MODEL, {"rf": 0, "lam": 1}, SHADOW)
    q_r, e_r = R.decisions["q"], R.decisions["e"]
    R0 = response(MODEL, {"rf": 0, "lam": 1, "phi": 0}, SHADOW)
    gap_e = tidy(e0 - R0.decisions["e"])
    sign_gap = sign_on_region(gap_e, region)

    pair = claimed_pair()
    dq = tidy(at(q_r, pair) - q0)
    de = tidy(at(e_r, pair) - e0)
    # the pair is the only solution of q* = q0, e* = e0 (solved, not typed)
    sols = sp.solve([sp.numer(sp.together(q_r - q0)), sp.numer(sp.together(e_r - e0))], [b, phi], dict=True)
    unique = len(sols) == 1 and all(is_identity(sols[0][sym(k)] - pair[k]) for k in ("b", "phi"))
    # second-order conditions of the retailer's problem at the pair
    soc = [tidy(at(cond.expr, pair)) for st in R.stages for cond in st.second_order]
    soc_ok = all(sign_on_region(s, region).positive for s in soc)
    # the pair is admissible: v <= b < w and 0 <= phi < 1 on v < c < w < p
    adm = [tidy(pair["b"] - v), tidy(w - pair["b"]), tidy(pair["phi"]), tidy(1 - pair["phi"])]
    adm_ok = all(sign_on_region(a, region).positive for a in adm)

    # the retailer's share of the coordinated profit along the pair
    r_profit = at(retailer_joint(R), {**pair, "q": q0, "e": e0})
    share_gap = tidy(r_profit / profit0 - (p - w) / (p - c))

    # -- rf > 0: the claimed pair misses; the pair with w(1 + rf), c(1 + rf) coordinates
    q0f, e0f, _ = integrated_effort({})
    Rf = response(MODEL, {"lam": 1, "eta": 0}, {**SHADOW, "rf": 0.05})
    de_rf = tidy(at(Rf.decisions["e"], pair) - e0f)
    sol_rf = sp.solve([sp.numer(sp.together(Rf.decisions["q"] - q0f)), sp.numer(sp.together(Rf.decisions["e"] - e0f))],
                      [b, phi], dict=True)
    pair_rf = {k: tidy(sol_rf[0][sym(k)]) for k in ("b", "phi")} if len(sol_rf) == 1 else {}
    back_to_claim = bool(pair_rf) and all(is_identity(pair_rf[k].subs(rf, 0) - pair[k]) for k in pair)

    # -- lam < 1: the coordinating b scales with 1/lam
    Rl = response(MODEL, {"rf": 0, "eta": 0}, {**SHADOW, "lam": 0.8, "v": 1.0})
    sol_l = sp.solve([sp.numer(sp.together(Rl.decisions["q"] - q0)), sp.numer(sp.together(Rl.decisions["e"] - e0))],
                     [b, phi], dict=True)
    pair_l = {k: tidy(sol_l[0][sym(k)]) for k in ("b", "phi")} if len(sol_l) == 1 else {}
    lam_scaling = tidy(pair_l["b"] - v - (pair["b"] - v) / lam) if pair_l else None
    lam_min = sp.solve(sp.numer(sp.together(pair_l["b"] - w)), lam) if pair_l else []
    lam_min = tidy(lam_min[0]) if len(lam_min) == 1 else None

    # -- worked numbers (docs/specification.md section 8)
    base = {"p": 10, "c": 4, "A": 100, "kappa": 1, "w": 6, "b": sp.Rational(10, 3)}
    eq = solve(MODEL, {**{k: str(v) for k, v in base.items()}, "phi": "1/3"})
    eq0 = solve(MODEL, {**{k: str(v) for k, v in base.items()}, "phi": "0"})
    worked = {"q - e": eq.decisions["q"] - eq.decisions["e"], "e": eq.decisions["e"],
              "retailer": eq.profits["retailer"], "e (phi = 0)": eq0.decisions["e"]}
    worked_ok = worked == {"q - e": 60, "e": 6, "retailer": 132, "e (phi = 0)": 4}

    # the pair for any rf is the claimed pair with w(1 + rf) and c(1 + rf) in place of w and c
    W, C = sp.Symbol("W", positive=True), sp.Symbol("C", positive=True)
    inflated = {w: w * (1 + rf), c: c * (1 + rf)}
    pair_WC = {k: pair[k].xreplace({w: W, c: C}) for k in pair}  # printed as the claim writes the pair
    as_inflated = bool(pair_rf) and all(is_identity(pair_rf[k] - pair_WC[k].xreplace({W: inflated[w], C: inflated[c]}))
                                        for k in pair)

    given = ",\\ ".join(f"{tex(sym(k))} = {tex(x)}" for k, x in base.items())
    q0s, e0s, qs, es = sp.Symbol("q_0"), sp.Symbol("e_0"), STAR["q"], STAR["e"]
    pi_R, pi_I = sp.Symbol("Pi_R"), sp.Symbol("Pi_I")
    b_lam, b_one = sp.Symbol("b_lambda"), sp.Symbol("b_1")
    soc_names = (sp.Symbol("d_1"), sp.Symbol("d_2"))
    steps = (
        Step("The integrated firm with effort (engine) keeps the safety stock $q_0 - e_0$ and exerts the effort "
             "$e_0$:", sp.Eq(sp.Tuple(q0s - e0s, e0s), sp.Tuple(tidy(q0 - e0), e0)), "value"),
        Step("The retailer's response (engine; competitive bank, $r_f = 0$, $\\lambda = 1$) to a buyback price $b$ "
             "and a cost share $\\phi$:", sp.Tuple(sp.Eq(qs - es, shown(tidy(q_r - e_r), A * (p - w) / (p - b))),
                                               sp.Eq(es, shown(e_r, (p - w) / ((1 - phi) * kappa)))),
             "value"),
        Step("Under repurchase alone ($\\phi = 0$) the integrated effort exceeds the retailer's, "
             "$e_0 - e^* > 0$ on $v < c < w < p$:", gap_e, "positive", sign_gap.positive),
        Step("At the claimed pair the retailer orders the integrated quantity:", dq, "identity", dq == 0,
             lhs=qs, rhs=q0),
        Step("It also exerts the integrated effort:", de, "identity", de == 0, lhs=es, rhs=e0),
        Step("Solving $q^* = q_0$, $e^* = e_0$ for $(b, \\phi)$ gives exactly the claimed pair, and no other:",
             sp.Eq(sp.Tuple(b, phi), sp.Tuple(*(tidy(sols[0][sym(k)]) for k in ("b", "phi")))) if sols else None,
             "value", unique),
        Step("At the pair the retailer's second-order conditions hold on $v < c < w < p$. They are the leading "
             "principal minors $d_1 = -H_{qq}$ and $d_2 = |H|$ of $-H$, with $H$ the Hessian of its expected profit in "
             "$(q, e)$; the first is positive:", sp.Eq(soc_names[0], soc[0]) if soc else None, "positive",
             bool(soc) and sign_on_region(soc[0], region).positive),
        Step("The second is positive too:", sp.Eq(soc_names[1], soc[1]) if len(soc) > 1 else None, "positive",
             soc_ok and len(soc) == 2),
        Step("The pair is admissible on $v < c < w < p$. The buyback price lies in $v < b < w$, as $b - v$ and $w - b$ "
             "are positive:", sp.Tuple(adm[0], adm[1]), "positive", all(sign_on_region(a, region).positive for a in adm[:2])),
        Step("The cost share lies in $0 < \\phi < 1$, as $\\phi$ and $1 - \\phi$ are positive:", sp.Tuple(adm[2], adm[3]),
             "positive", all(sign_on_region(a, region).positive for a in adm[2:]) and adm_ok),
        Step("Along the pair the retailer earns the share $(p - w)/(p - c)$ of the integrated profit $\\Pi_I$:",
             share_gap, "identity", share_gap == 0, lhs=pi_R / pi_I, rhs=(p - w) / (p - c)),
        Step("With $r_f > 0$ the claimed pair misses the integrated effort:", sp.Eq(es - e0s, de_rf), "value"),
        Step("For any $r_f$ the coordinating pair (solved from $q^* = q_0$, $e^* = e_0$) is the claimed pair with "
             "$w$ and $c$ inflated by $1 + r_f$, so it reduces to the claimed pair at $r_f = 0$:",
             sp.Eq(sp.Tuple(b, phi), sp.Tuple(pair_WC["b"], pair_WC["phi"])), "value", back_to_claim and as_inflated,
             where={W: w * (1 + rf), C: c * (1 + rf)}),
        Step("With a repurchase executed with probability $\\lambda$ the coordinating pair (solved) keeps $\\phi$ "
             "and raises the buyback price to:", sp.Eq(b_lam, pair_l.get("b")), "value"),
        Step("The premium of the buyback over salvage scales with $1/\\lambda$, $b_1$ being the claimed $b$:", lam_scaling, "identity",
             lam_scaling == 0, lhs=b_lam - v, rhs=(b_one - v) / lam),
        Step("So the buyback price is admissible only for a reliable enough repurchase:",
             sp.Equivalent(sp.Lt(b_lam, w), sp.Gt(lam, shown(lam_min, (w - c) * (p - v) / ((p - c) * (w - v)))))
             if lam_min is not None else None, "value"),
        Step(f"Worked numbers (${given}$, $\\phi = 1/3$, then $\\phi = 0$ for the effort $e^*(0)$):",
             sp.Tuple(*(sp.Eq(k, val) for k, val in zip((qs - es, es, pi_R, sp.Function("e^*")(sp.Integer(0))), worked.values()))),
             "value", worked_ok),
    )
    ok = all(s.holds for s in steps if s.holds is not None)
    bound_as_typed = lam_min is not None and is_identity(lam_min - (w - c) * (p - v) / ((p - c) * (w - v)))
    integrated_num = at(profit0, {**base, "v": 0})
    return ClaimResult(
        number=8,
        title="Repurchase and cost sharing coordinate stock and effort",
        statement=STATEMENT,
        status=PROVED if ok else FAILED,
        assumptions=(
            "uniform base demand $\\xi$ on $[0, A]$, additive effort $D = \\xi + e$, effort cost $\\kappa e^2/2$",
            "a competitive bank (break-even rate), so that the retailer maximises "
            "$E[Y] - wq(1 + r_f) - (1 - \\phi)\\kappa e^2/2$; any own capital $\\eta$ with a positive loan "
            "($\\eta$ cancels)",
            "$v < c < w < p$",
            "$r_f = 0$ and $\\lambda = 1$ for the claimed pair; $r_f$ and $\\lambda$ general in the extensions",
        ),
        steps=steps,
        notes=(
            "Under repurchase alone the retailer pays the whole effort cost but earns only the margin $p - w$ on the "
            f"extra sales, so it stops at $e^* = {tex(R0.decisions['e'])}$, short of $e_0 = {tex(e0)}$: the effort "
            "externality.",
            "The cost share $\\phi = (w - c)/(p - c)$ scales the retailer's effort cost down to its share of the "
            "margin; the buyback price $b$ then restores the integrated critical fractile for the safety stock "
            "$q - e$.",
            f"Along the pair the retailer earns the share $(p - w)/(p - c)$ of the integrated profit "
            f"(${tex(worked['retailer'])}$ of ${tex(integrated_num)}$ at $w = {tex(base['w'])}$): the "
            "wholesale price alone splits the coordinated profit.",
            "With $\\lambda < 1$ the buyback is paid only with probability $\\lambda$: "
            "$b_\\lambda = v + (b_1 - v)/\\lambda$, which is admissible ($b_\\lambda < w$) only for "
            + ("$\\lambda > (w - c)(p - v)/((p - c)(w - v))$" if bound_as_typed else "$\\lambda$ above the bound of the "
               "derivation") + "; $\\phi$ is unchanged.",
            "With $r_f > 0$ the claimed pair no longer coordinates (the retailer's effort falls short of $e_0$ in "
            "proportion to $r_f$); the pair with $w(1 + r_f)$ and $c(1 + r_f)$ in place of $w$ and $c$ does.",
        ),
    )
