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

from scfin.spec.notation import sym
from scfin.solver import solve
from scfin.claims.base import FAILED, PROVED, ClaimResult, Step, claim
from scfin.claims.effort_proof import at, integrated_effort, response, retailer_joint, tidy
from scfin.claims.proof import is_identity, sign_on_region, slacks

STATEMENT = ("Repurchase + cost sharing (effort): repurchase alone (phi = 0) under-provides effort when w > c; "
             "with rf = 0 the pair phi = (w - c)/(p - c), b = p - (p - w)(p - v)/(p - c) coordinates both q and e.")

MODEL = "repurchase-cost-sharing"
#: shadow point inside the coordinating region (docs/specification.md section 8 numbers)
SHADOW = {"w": 6.0, "b": 10 / 3, "phi": 1 / 3, "q": 66.0, "e": 6.0}


def claimed_pair():
    """The pair of the claim's statement (the object under test, not a derived result)."""
    p, c, v, w = (sym(n) for n in ("p", "c", "v", "w"))
    return {"phi": (w - c) / (p - c), "b": p - (p - w) * (p - v) / (p - c)}


@claim(8)
def check() -> ClaimResult:
    p, c, v, w, b, phi, lam, rf, kappa = (sym(n) for n in ("p", "c", "v", "w", "b", "phi", "lam", "rf", "kappa"))
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

    steps = (
        Step("Integrated firm with effort (engine): q0, e0", sp.Tuple(q0, e0), "value"),
        Step("Retailer's response (engine; competitive bank, rf = 0, lam = 1): q*, e*", sp.Tuple(q_r, e_r), "value"),
        Step("Effort gap e0 - e*(phi = 0) under repurchase alone; positive on v < c < w < p",
             gap_e, "positive", sign_gap.positive),
        Step("q*(pair) - q0 with the claimed pair", dq, "identity", dq == 0),
        Step("e*(pair) - e0 with the claimed pair", de, "identity", de == 0),
        Step("Solving q* = q0, e* = e0 for (b, phi) gives exactly the claimed pair (unique)",
             sp.Tuple(*(sols[0][sym(k)] for k in ("b", "phi"))) if sols else None, "value", unique),
        Step("Second-order conditions of the retailer at the pair, positive on the region",
             sp.Tuple(*soc), "positive", soc_ok),
        Step("Admissibility of the pair: b - v, w - b, phi, 1 - phi all positive", sp.Tuple(*adm), "positive", adm_ok),
        Step("Retailer's profit along the pair / integrated profit - (p - w)/(p - c)", share_gap, "identity",
             share_gap == 0),
        Step("With rf > 0 the claimed pair misses the integrated effort: e*(pair) - e0", de_rf, "value"),
        Step("Coordinating pair for any rf (solved): (b, phi); it reduces to the claim's pair at rf = 0",
             sp.Tuple(pair_rf.get("b"), pair_rf.get("phi")), "value", back_to_claim),
        Step("Coordinating pair with repurchase probability lam (solved): (b, phi)",
             sp.Tuple(pair_l.get("b"), pair_l.get("phi")), "value"),
        Step("b(lam) - v - (b(1) - v)/lam: the premium over salvage scales with 1/lam",
             lam_scaling, "identity", lam_scaling == 0),
        Step("b(lam) < w (admissible) only for lam above", lam_min, "value"),
        Step("Worked numbers (w = 6, b = 10/3, phi = 1/3, then phi = 0; p = 10, c = 4, A = 100, kappa = 1)",
             sp.Tuple(*(sp.Eq(sp.Symbol(k), v) for k, v in worked.items())), "value", worked_ok),
    )
    ok = all(s.holds for s in steps if s.holds is not None)
    return ClaimResult(
        number=8,
        title="Repurchase + cost sharing coordinates stock and effort",
        statement=STATEMENT,
        status=PROVED if ok else FAILED,
        assumptions=(
            "uniform base demand xi on [0, A], additive effort D = xi + e, effort cost kappa e^2/2",
            "competitive bank (break-even rate), so the retailer's objective is E[Y] - w q (1 + rf) - (1 - phi) kappa e^2/2; "
            "any own capital eta with a positive loan (eta cancels)",
            "rf = 0 and lam = 1 for the claimed pair; rf and lam general in the extensions",
        ),
        steps=steps,
        notes=(
            "Under repurchase alone the retailer pays the whole effort cost but earns only the margin p - w on the "
            "extra sales, so it stops at e = (p - w)/kappa, short of (p - c)/kappa: the effort externality.",
            "Cost sharing phi = (w - c)/(p - c) scales the retailer's effort cost down to its share of the margin; "
            "the buyback b then restores the integrated critical fractile for the safety stock q - e.",
            "Along the pair the retailer earns the share (p - w)/(p - c) of the integrated profit (132 of 198 at w = 6): "
            "w alone splits the coordinated pie.",
            f"With lam < 1 the buyback is paid only with probability lam: b(lam) = v + (b - v)/lam, which is admissible "
            f"(b < w) only for lam > {lam_min}; phi is unchanged.",
            "With rf > 0 the claimed pair no longer coordinates (e*(pair) - e0 = "
            f"{de_rf}); the pair with w(1 + rf) and c(1 + rf) does.",
        ),
    )
