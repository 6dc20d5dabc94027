"""Claim 7: the conditional repurchase guarantee (M repays the bank on default).

Uniform demand, ``v = eta = rf = 0``; on default M buys the leftover at ``b``
and pays the proceeds to the bank, capped at the shortfall, with probability
``lam`` (Yan et al.; Wang, Ma & Zhou 2016).

- Exogenous rate: the guarantee never reaches the retailer (its wealth in
  default stays 0), so its objective, hence ``q*``, is claim 5's (identity);
  the bank's expected profit rises by ``lam E[G] > 0`` (``G`` the guarantee
  payment), positive on ``0 < b < w``, ``w(1 + r) < p``, ``lam > 0``.
- Competitive rate: no closed form (the break-even rate solves a cubic).
  Proved symbolically for every order ``q`` and rate ``r`` on the regime, with
  ``lam = 1``: (i) the bank's profit with the guarantee exceeds the one
  without by ``E[G] > 0``, and rises in ``r``, so at any given order the
  break-even rate is lower with the guarantee; (ii) R + bank with the
  guarantee minus R + bank without is exactly ``E[G]``, so on the break-even
  surface the retailer's objective is the no-guarantee one plus ``E[G] > 0``.
  That ``q*`` is higher and the rate lower *at the retailer's optimum* is
  checked numerically (independent numeric solver, :mod:`scfin.numeric.profits`)
  at the defaults and on a grid of ``(w, b, lam)``: that part is proved under
  the restriction to those points, and says so in its assumptions.
"""

from __future__ import annotations

import sympy as sp

from scfin.derive.algebra import cancel, factor
from scfin.numeric import profits as N
from scfin.numeric import stackelberg as S
from scfin.spec.models import get_model
from scfin.spec.notation import STAR, sym
from scfin.claims.base import FAILED, PROVED, PROVED_RESTRICTED, ClaimResult, Step, claim, overall
from scfin.claims.effort_proof import key_factor
from scfin.claims.proof import at_response, follower_response, is_identity, sign_on_region, slacks

STATEMENT = ("Under the conditional repurchase guarantee (when the retailer R defaults, the manufacturer M takes "
             "the leftover and pays the bank up to its shortfall), at an exogenous rate $r$ the retailer orders the "
             "$q^*$ of Proposition 5 and the bank's expected profit is strictly higher; under competitive pricing "
             "the rate is lower and $q^*$ higher than without the guarantee.")
ASSUMPTIONS = ("uniform demand on $[0, A]$", "$v = 0$, $\\eta = 0$, $r_f = 0$", "$0 < \\lambda \\le 1$",
               "$0 < b < w$")
KNOWN = {"v": 0, "rf": 0, "eta": 0}
#: numeric check: docs/specification.md section 8 numbers and a grid around them
BASE = {"p": 10.0, "c": 4.0, "A": 100.0, "v": 0.0, "rf": 0.0, "eta": 0.0}
GRID = tuple((w, b, lam) for w in (5.0, 7.0, 9.0) for b in (1.0, 3.0) for lam in (1.0,)) + ((6.0, 3.0, 1.0),
                                                                                             (7.0, 3.0, 0.5))

#: the paper's names of the quantities compared (with the guarantee: superscript G)
PI_B, PI_R, PI_BG, PI_RG = (sp.Symbol(n) for n in ("Pi_B", "Pi_R", "Pi_B^G", "Pi_R^G"))
EG = sp.Symbol("E[G]")


def region(with_order: bool = False) -> dict[sp.Symbol, sp.Expr]:
    """``0 < b < w``, ``w (1 + r) < p``; with ``with_order`` also ``q < A``."""
    p, r, w, q, A = (sym(n) for n in ("p", "r", "w", "q", "A"))
    reg = slacks(("b", "w"))
    reg[p] = sp.expand((1 + r) * reg[w]) + sp.Symbol("s9", positive=True)
    if with_order:
        reg[A] = q + sp.Symbol("s8", positive=True)
    return reg


def _exact(x: float) -> str:
    """A grid value as the paper writes it inline (``1/2``, not ``0.5``)."""
    v = sp.nsimplify(x)
    return str(v.p) if v.q == 1 else f"{v.p}/{v.q}"


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def _part(title, statement, steps, status=None, notes=(), assumptions=ASSUMPTIONS):
    if status is None:
        status = PROVED if all(s.holds for s in steps if s.holds is not None) else FAILED
    return ClaimResult(number=7, title=title, statement=statement, status=status, assumptions=tuple(assumptions),
                       steps=tuple(steps), notes=tuple(notes))


def exogenous() -> ClaimResult:
    r, lam = sym("r"), sym("lam")
    cond = follower_response("conditional-repurchase", KNOWN, rate="exogenous")
    loan = follower_response("bank-loan", KNOWN, rate="exogenous")
    gq = cancel(cond.decisions["q"] - loan.decisions["q"])
    gain = factor(at_response(cond, cond.expectations.values["bank"]) - at_response(loan, loan.expectations.values["bank"]))
    reg = region()
    sign = sign_on_region(gain, reg, positive=(r, lam))
    # the gain is a positive prefactor times one quadratic factor: the factor is displayed (and checked too)
    key, rest = key_factor(gain)
    key_sign = sign_on_region(key, reg, positive=(r, lam))
    Q = sp.Symbol("Q")
    return _part("Exogenous rate $r$", "The retailer orders the $q^*$ of Proposition 5 and the bank's expected "
                 "profit is strictly higher with the guarantee.", [
        Step("With the guarantee the retailer's order at the rate $r$ is the order of Proposition 5 (the two closed "
             "forms cancel):", gq, "identity", is_identity(gq), lhs=STAR["q"], rhs=loan.decisions["q"]),
        Step("At this order the bank's expected profit with the guarantee exceeds the one without: the difference "
             "$\\Pi^G_B - \\Pi_B$ below, and its factor $Q$, are positive on $0 < b < w$, $w(1 + r) < p$, "
             "$\\lambda > 0$:", rest * Q, "positive", sign.positive and key_sign.positive, where={Q: key}),
    ], assumptions=ASSUMPTIONS + ("$r > 0$ and $w(1 + r) < p$",),
        notes=("The guarantee pays the bank only in default, where the retailer's wealth is 0 anyway: the "
               "retailer's decision is unchanged and the bank's loss given default shrinks.",))


def competitive_symbolic() -> ClaimResult:
    r, q = sym("r"), sym("q")
    cond = follower_response("conditional-repurchase", {**KNOWN, "lam": 1}, rate="exogenous")
    loan = follower_response("bank-loan", KNOWN, rate="exogenous")
    Ec, El = cond.expectations.values, loan.expectations.values
    G = factor(Ec["guarantee"])
    reg = region(with_order=True)
    extra = factor(Ec["bank"] - El["bank"])
    joint = cancel(Ec["retailer"] + Ec["bank"] - El["retailer"] - El["bank"] - G)
    slope = factor(sp.diff(Ec["bank"], r))
    loan_slope = sp.diff(El["retailer"] + El["bank"], r)
    steps = [
        Step("At an order $q < A$ and a rate $r$, the expected payment $E[G]$ of M to the bank under the "
             "guarantee is positive:", G, "positive", sign_on_region(G, reg, positive=(r, q)).positive),
        Step("At the same $q$ and $r$ the bank's expected profit with the guarantee exceeds the one without by "
             "exactly $E[G]$:", cancel(extra - G), "identity", is_identity(extra - G), lhs=PI_BG - PI_B, rhs=EG),
        Step("The bank's expected profit with the guarantee rises in $r$; as it is $E[G] > 0$ at the rate where "
             "the bank breaks even without the guarantee, its own break-even rate lies below that rate, at every "
             "order $q$:", slope, "positive", sign_on_region(slope, reg, positive=(r, q)).positive),
        Step("The retailer and the bank together gain exactly $E[G]$ from the guarantee, at every $q$ and $r$:",
             joint, "identity", is_identity(joint), lhs=(PI_RG + PI_BG) - (PI_R + PI_B), rhs=EG),
        Step("Without the guarantee $\\Pi_R + \\Pi_B$ does not depend on $r$: the retailer's competitive objective "
             "is $E[Y] - wq$, and with the guarantee it is $E[Y] - wq + E[G]$:",
             cancel(loan_slope), "identity", is_identity(loan_slope),
             lhs=sp.Derivative(PI_R + PI_B, r), rhs=sp.Integer(0)),
    ]
    return _part("Competitive rate, at a given order $q$",
                 "At every order $q$ the bank's break-even rate is lower with the guarantee, and on the break-even "
                 "surface the retailer's expected profit is higher by $E[G] > 0$.", steps,
                 assumptions=ASSUMPTIONS[:2] + ("$\\lambda = 1$", "$0 < b < w$, $0 < q < A$ and $w(1 + r) < p$"),
                 notes=("With $\\lambda < 1$ the guarantee is executed with probability $\\lambda$, independently of "
                        "demand, so $E[G]$ becomes $\\lambda E[G]$ throughout; this part checks $\\lambda = 1$, the "
                        "exogenous part keeps $\\lambda$ symbolic.",))


def competitive_numeric() -> ClaimResult:
    cond = get_model("conditional-repurchase").with_options(rate="competitive")
    loan = get_model("bank-loan").with_options(rate="competitive")
    steps = []
    ok = True
    dq, dr = sp.Symbol("q^*_G") - STAR["q"], STAR["r"] - sp.Symbol("r^*_G")
    for w, b, lam in GRID:
        vals = {**BASE, "w": w, "b": b, "lam": lam}
        qmax = N.q_bound("uniform", vals)
        with_g = S.follower(cond, "uniform", vals, qmax)
        without = S.follower(loan, "uniform", {k: v for k, v in vals.items() if k not in ("b", "lam")}, qmax)
        holds = with_g["q"] > without["q"] + 1e-6 and with_g["r"] < without["r"] - 1e-9
        ok &= holds
        steps.append(Step(
            f"At $w = {_exact(w)}$, $b = {_exact(b)}$, $\\lambda = {_exact(lam)}$ the retailer orders "
            f"$q^*_G = {with_g['q']:.3f}$ at the rate $r^*_G = {with_g['r']:.4f}$ with the guarantee, and "
            f"$q^* = {without['q']:.3f}$ at $r^* = {without['r']:.4f}$ without it:",
            sp.Tuple(sp.Eq(dq, sp.Float(with_g["q"] - without["q"], 6)),
                     sp.Eq(dr, sp.Float(without["r"] - with_g["r"], 6))), "positive", holds))
    ws = sorted({w for w, _, _ in GRID})
    bs = sorted({b for _, b, _ in GRID})
    lams = sorted({lam for _, _, lam in GRID})
    where = (f"checked numerically at $p = {_exact(BASE['p'])}$, $c = {_exact(BASE['c'])}$, "
             f"$A = {_exact(BASE['A'])}$ and the {_WORDS[len(GRID)] if len(GRID) < len(_WORDS) else len(GRID)} points $(w, b, \\lambda)$ of the derivation "
             f"($w \\in \\{{{', '.join(_exact(x) for x in ws)}\\}}$, $b \\in \\{{{', '.join(_exact(x) for x in bs)}\\}}$, "
             f"$\\lambda \\in \\{{{', '.join(_exact(x) for x in lams)}\\}}$), not on the whole region")
    return _part("Competitive rate, at the retailer's optimum",
                 "At the retailer's optimal order the competitive rate is lower and $q^*$ higher with the guarantee "
                 "than without it.", steps,
                 status=PROVED_RESTRICTED if ok else FAILED,
                 assumptions=ASSUMPTIONS + (where,),
                 notes=("No closed form exists for the competitive rate with the guarantee (the break-even "
                        "condition is a cubic in $r$), so the comparison at the optimum is numeric: the "
                        "independent numeric solver finds the retailer's best response and the break-even rate at "
                        "each point.",
                        "Open for a complete decision: at the optimum the rate is a root of the break-even cubic "
                        "and $q^*$ of the first-order condition, so the comparison is a sentence with two "
                        "implicitly defined variables $(q, r)$ beside $p, c, w, b, \\lambda, A$; the complete "
                        "decision procedure takes explicit expressions (square roots at most) and was not run on it."))


@claim(7)
def check() -> ClaimResult:
    parts = (exogenous(), competitive_symbolic(), competitive_numeric())
    return ClaimResult(
        number=7, title="Conditional repurchase", statement=STATEMENT, status=overall(parts),
        assumptions=ASSUMPTIONS, parts=parts,
        notes=("At an exogenous rate the claim is proved on the whole regime, with $\\lambda$ symbolic. Under "
               "competitive pricing the dominance at every order is proved symbolically ($\\lambda = 1$); the "
               "comparison at the retailer's optimum ($q^*$ higher, rate lower) is checked numerically on a grid, "
               "not proved.",
               "The guarantee is collateral the bank can price: with a competitive bank its value reaches the "
               "retailer as a lower rate and a larger order."),
    )
