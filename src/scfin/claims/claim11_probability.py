"""Claim 11: the repurchase probability ``lam``.

Model ``repurchase`` (bank loan + repurchase of leftovers at ``b``, executed
with probability ``lam`` independent of demand).  Uniform demand,
``v = eta = rf = 0``.  The retailer's leftover is worth ``lam b`` in
expectation, so (engine, competitive rate, given ``w``)
``q* = A (p - w)/(p - lam b)``; M re-optimising ``w`` gives
``w* = (p^2 + p c - lam b c)/(2p - lam b)``, ``q* = A (p - c)/(2p - lam b)``,
R ``A (p - lam b)(p - c)^2/(2 (2p - lam b)^2)``, M ``A (p - c)^2/(2 (2p - lam b))``.
Every sign below is established on the whole admissible region, with
``lam = l/(1 + l)`` (``l > 0``) for ``0 < lam < 1`` -- except the competitive
rate's derivative at M's choice, which carries several radicals: its sign is
sampled on a grid, so that part is proved under that restriction (and says so
in its assumptions).  The rate's derivative at a given ``w`` is decided
completely (QEPCAD B) where the time budget allows; where it does not, its
part is restricted the same way.
"""

from __future__ import annotations

import sympy as sp

from scfin.derive.algebra import cancel, factor
from scfin.spec.notation import STAR, sym
from scfin.claims.base import FAILED, PROVED, PROVED_RESTRICTED, ClaimResult, Step, claim, overall
from scfin.claims.claim06_repurchase import exogenous_region
from scfin.claims.decide import decide_sign
from scfin.claims.effort_proof import key_factor, response, tex, written
from scfin.claims.proof import (at_response, follower_response, radical_identity, radical_sign, residual,
                                sign_on_region, slacks)

STATEMENT = ("Under repurchase executed with probability $\\lambda$, the retailer's order $q^*$ rises in $\\lambda$ "
             "and the competitive rate falls in $\\lambda$; the signs of $\\partial w^*/\\partial \\lambda$ and of "
             "each party's expected profit in $\\lambda$ are reported; $\\lambda = 0$ gives Proposition 5 and "
             "$\\lambda = 1$ Proposition 6.")
ASSUMPTIONS = ("uniform demand on $[0, A]$", "$v = 0$, $\\eta = 0$, $r_f = 0$", "$0 < \\lambda < 1$")
KNOWN = {"v": 0, "rf": 0, "eta": 0}
#: shadow with an interior lam (the region structure is the same for every lam in (0, 1])
SHADOW = {"lam": 0.5}

#: derivatives in lam, in the paper's notation
D_Q, D_W, D_R, D_M, D_B, D_RATE = (f"$\\partial {x}/\\partial \\lambda$"
                                   for x in ("q^*", "w^*", "\\Pi_R", "\\Pi_M", "\\Pi_B", "r^*"))
D_CHAIN = "$\\partial (\\Pi_R + \\Pi_M)/\\partial \\lambda$"
Q_FACTOR, K_DEN = sp.Symbol("Q"), sp.Symbol("K")


def _lam_region(*chains):
    """Slack substitution for the chains and ``0 < lam < 1`` as ``lam = l/(1 + l)``."""
    reg = slacks(*chains)
    l = sp.Symbol("l", positive=True)
    reg[sym("lam")] = l / (1 + l)
    return reg


def _part(title, statement, steps, status=None, notes=(), counterexample=None, assumptions=ASSUMPTIONS):
    if status is None:
        status = PROVED if all(s.holds for s in steps if s.holds is not None) else FAILED
    return ClaimResult(number=11, title=title, statement=statement, status=status, assumptions=tuple(assumptions),
                       steps=tuple(steps), notes=tuple(notes), counterexample=counterexample)


_SIGN_WORD = {1: "positive", -1: "negative", 0: "identically zero"}


def _signed(subject, expr, region, where_text, positive=(), display=None, display_where=None) -> Step:
    """A step stating the sign the engine's derivative has on the region (whatever it is).

    ``subject``: what the derivative is, in the paper's notation; ``display``:
    a shorter equal form to show (default: the factored derivative itself);
    ``display_where``: the auxiliary symbols of that form.
    """
    expr = factor(expr) if sp.sympify(expr).is_rational_function() else expr
    s = (sign_on_region if sp.sympify(expr).is_rational_function() else radical_sign)(expr, region, positive=positive)
    kind = {1: "positive", -1: "negative", 0: "identity"}.get(s.sign, "value")
    word = _SIGN_WORD.get(s.sign, "of a sign not established")
    shown = expr if display is None else display
    return Step(f"{subject} is {word} on {where_text}:", shown, kind, True if s.sign is not None else None,
                where=display_where)


#: sample points (rational) for checks of radical expressions, where ``simplify`` is slow or inconclusive
SAMPLES = ({"p": 10, "c": 4, "A": 100, "w": 7, "b": 3, "lam": sp.Rational(3, 10)},
           {"p": 9, "c": 5, "A": 50, "w": 6, "b": 2, "lam": sp.Rational(7, 10)})
SAMPLES_TEXT = "checked to 30 digits at two rational sample points"


def _numeric_zero(expr) -> bool:
    """``expr`` vanishes at every sample point (30 digits): for radical identities only."""
    for pt in SAMPLES:
        val = sp.sympify(expr).xreplace({sym(k): v for k, v in pt.items()}).evalf(30)
        if abs(complex(val)) > 1e-20:
            return False
    return True


EXACT_TEXT = "exact: the difference reduces to zero modulo the square root's defining equation"


def _zero(expr) -> tuple[bool, str]:
    """Whether ``expr`` vanishes identically, and how that was decided: exactly (square roots as symbols,
    :func:`~scfin.claims.proof.radical_identity`) where that decides, else at the sample points."""
    exact = radical_identity(expr)
    if exact is not None:
        return exact, EXACT_TEXT
    return _numeric_zero(expr), SAMPLES_TEXT


#: the grid of the sampled sign checks: p and A fixed, n levels of each other variable
GRID_P, GRID_A, GRID_N = 10, 100, 9


def _grid_sign(subject, expr, lower: str, n: int = GRID_N) -> Step:
    """Sign of ``expr`` sampled on a grid of ``0 < b < lower < p`` (p = 10, A = 100) and ``0 < lam < 1``.

    For the competitive rate, whose derivative carries several radicals that
    :func:`radical_sign` cannot separate: the sign is *sampled*, not proved,
    and the step says so.
    """
    import numpy as np

    names = ("b", lower, "lam")
    fn = sp.lambdify([sym(x) for x in names], sp.sympify(expr).xreplace({sym("p"): GRID_P, sym("A"): GRID_A}), "numpy")
    grid = (np.arange(1, n + 1) / (n + 1))
    vals = []
    for y in grid:
        for x in grid:
            for lv in grid:
                mid = GRID_P * y
                vals.append(complex(fn(x * mid, mid, lv)).real)
    vals = np.array(vals)
    sign = 1 if (vals > 0).all() else -1 if (vals < 0).all() else None
    kind = {1: "positive", -1: "negative"}.get(sign, "value")
    word = {1: "positive", -1: "negative"}.get(sign, "of both signs")
    return Step(f"{subject} is {word} at all {len(vals)} points of a grid of $0 < b < {tex(sym(lower))} < p$, "
                f"$0 < \\lambda < 1$ with $p = {GRID_P}$, $A = {GRID_A}$ (sampled, not proved: the derivative carries "
                "several square roots).", None, kind, sign is not None)


def _grid_assumption(lower: str) -> str:
    return (f"the sign of the rate's derivative sampled on a grid of $0 < b < {tex(sym(lower))} < p$, "
            f"$0 < \\lambda < 1$ at $p = {GRID_P}$, $A = {GRID_A}$, not decided on the whole region")


#: time budget (s) of each complete decision of the rate's sign in lam
RATE_BUDGET = 30.0


#: measured: QEPCAD B did not finish the rate at M's choice in 120 s (b, c, lam and the root's variable after
#: A = p = 1), so that decision is not attempted in every run
OPEN_AT_CHOICE = ("QEPCAD B ran past 120 s on it (measured: four variables $b$, $c$, $\\lambda$ and the square "
                  "root's, after $A = p = 1$), so it is not attempted in the claim run")


def _method_text(d) -> str:
    """How a complete decision settled a sign, for a sentence."""
    scaled = f", with ${' = '.join(tex(sym(n)) for n in d.scaled)} = 1$ by homogeneity" if d.scaled else ""
    return f"decided on the whole region by {d.method}{scaled}"


def _decided_sign(subject, expr, upper: str, skip: str = "") -> tuple[Step, str, bool]:
    """The sign of ``expr`` (the rate's derivative in lam) on ``0 < b < upper < p``, ``0 < lam < 1``,
    decided completely (:func:`scfin.claims.decide.decide_sign`); the grid check where it stays open.

    Returns the step, a sentence on the method (for the notes) and whether the sign was decided.
    """
    A, p, b, u, lam = (sp.Symbol(n) for n in ("A", "p", "b", upper, "lam"))
    plain = sp.sympify(expr).xreplace({s: sp.Symbol(s.name) for s in sp.sympify(expr).free_symbols})
    if skip:
        return (_grid_sign(subject, expr, upper),
                f"The complete decision of the sign of {subject} is open: {skip}; it is sampled on a grid.", False)
    region = [A > 0, p > 0, b > 0, b < u, u < p, lam > 0, lam < 1]
    d = decide_sign(plain, region, "negative", RATE_BUDGET)
    where = f"$0 < b < {tex(sym(upper))} < p$, $0 < \\lambda < 1$"
    if d.proved:
        how = _method_text(d)
        return (Step(f"{subject} is negative on {where} ({how}).", None, "negative", True),
                f"The sign of {subject} is {how}.", True)
    if d.refuted:
        at = ", ".join(f"{tex(sym(k)) if isinstance(k, str) else tex(k)} = {tex(v)}" for k, v in d.counterexample)
        return (Step(f"{subject} is not negative everywhere on {where}" + (f": at ${at}$ it is not." if at else "."),
                     None, "value", False), f"The sign of {subject} was refuted by {d.method}.", False)
    step = _grid_sign(subject, expr, upper)
    return step, f"The complete decision of the sign of {subject} is open ({d.reason}); it is sampled on a grid.", False


def competitive_given_w() -> ClaimResult:
    lam, p, c, w, b = (sym(n) for n in ("lam", "p", "c", "w", "b"))
    D = response("repurchase", KNOWN, SHADOW, optimised=("q",))
    E = D.expectations.values
    reg = _lam_region(("b", "w", "p"))
    where = "$0 < b < w < p$, $0 < \\lambda < 1$"
    q = D.decisions["q"]
    steps = [Step("The retailer's order at a given $w$, the bank at break-even (engine):", sp.Eq(STAR["q"], q), "value")]
    dq = _signed(D_Q, sp.diff(q, lam), reg, where)
    rate_subject = f"{D_RATE}, the competitive rate's derivative,"
    dr, how, decided = _decided_sign(rate_subject, sp.diff(D.interest_rate, lam), "w")
    # the rate cancels from the joint profit (engine: joint_follower) and from M's: evaluate them at r = 0
    # rather than at the radical break-even rate
    resp = {sym("q"): q}
    R = cancel((E["retailer"] + E["bank"]).xreplace(resp).xreplace({sym("r"): 0}))
    dR = _signed(D_R, sp.diff(R, lam), reg, where)
    bank_zero, bank_how = _zero(at_response(D, E["bank"]))
    steps += [dq, dr, dR, Step(f"At the competitive rate the bank's expected profit is $\\Pi_B = 0$ for every "
                               f"$\\lambda$ ({bank_how}).", None, "value", bank_zero)]
    M = cancel(E["manufacturer"].xreplace(resp).xreplace({sym("r"): 0}))
    dM = factor(sp.diff(M, lam))
    key, rest = key_factor(dM)
    m_step = _signed(f"{D_M} at a given $w$", dM, reg, where,
                     display=written(dM, rest * Q_FACTOR, {Q_FACTOR: key}), display_where={Q_FACTOR: key})
    if m_step.holds is None:  # as expected: the sign changes on the region (next steps)
        m_step = Step(f"{D_M} at a given $w$ has the sign of $-Q$, which $0 < b < w < p$, $0 < \\lambda < 1$ does "
                      "not fix.", m_step.expr, m_step.kind, None, where=m_step.where)
    steps.append(m_step)
    # the factor that decides the sign, at the ends of w's range: positive at w = c, negative at w = p
    q_c, q_p = factor(key.xreplace({w: c})), factor(key.xreplace({w: p}))
    Qw = sp.Function("Q")
    steps += [
        Step("So the manufacturer's profit at a given $w$ changes sign in $\\lambda$. As $w$ tends to $c$ the factor $Q$, "
             "a function $Q(w)$, tends to a positive value, so the profit falls in $\\lambda$ for $w$ near $c$:",
             sp.Eq(Qw(c), written(q_c, (p - c) * (p + lam * b))), "value",
             is_identity_(q_c - (p - c) * (p + lam * b))),
        Step("As $w$ tends to $p$ it tends to a negative value, so the profit rises in $\\lambda$ for $w$ near $p$:",
             sp.Eq(Qw(p), written(q_p, sp.Mul(-2, p - c, p - lam * b, evaluate=False))), "value",
             is_identity_(q_p + 2 * (p - c) * (p - lam * b)))]
    ok = dq.kind == "positive" and dr.holds is True
    status = (PROVED if decided else PROVED_RESTRICTED) if ok and all(s.holds is not False for s in steps) else FAILED
    return _part("Competitive rate, $w$ given",
                 "At a given $w$ the retailer's order rises and the competitive rate falls in $\\lambda$.", steps,
                 status=status,
                 assumptions=ASSUMPTIONS + ("$0 < b < w < p$",) + (() if decided else (_grid_assumption("w"),)),
                 notes=(() if decided else (how,)) + (
                        "At a given $w$ a more reliable repurchase raises the collateral value of every leftover: "
                        "the fair rate falls, the retailer orders more and earns more; the bank breaks even. The "
                        "manufacturer loses from it for $w$ near $c$ (the repurchases cost more than the extra "
                        "order brings) and gains for $w$ near $p$.",))


def is_identity_(expr) -> bool:
    return residual(expr) == 0


def _choice() -> tuple:
    """The engine's leader stage at M's choice of ``w`` (competitive rate), and the profits there."""
    w = sym("w")
    D = response("repurchase", KNOWN, SHADOW, optimised=("q", "w"))
    E = D.expectations.values
    ws, qs = D.decisions["w"], D.decisions["q"]
    point = {sym("q"): qs, w: ws}
    R = factor(residual((E["retailer"] + E["bank"]).xreplace(point)))
    M = factor(residual(E["manufacturer"].xreplace(point)))
    return D, ws, qs, R, M


def competitive_equilibrium() -> ClaimResult:
    lam = sym("lam")
    _, ws, qs, R, M = _choice()
    reg = _lam_region(("b", "c", "p"))
    where = "$0 < b < c < p$, $0 < \\lambda < 1$"
    pi_R, pi_M = sp.Symbol("Pi_R"), sp.Symbol("Pi_M")
    derivs = ((D_W, "", ws), (D_Q, " at M's choice", qs), (D_R, " at M's choice", R), (D_M, " at M's choice", M),
              (D_CHAIN, " (the chain's profit) at M's choice", R + M))
    signed = [(label, _signed(label + tail, sp.diff(x, lam), reg, where)) for label, tail, x in derivs]
    steps = [
        Step("The manufacturer's wholesale price and the retailer's order at M's choice (engine):",
             sp.Tuple(sp.Eq(STAR["w"], ws), sp.Eq(STAR["q"], qs)), "value"),
        *(st for _, st in signed[:2]),
        Step("The retailer's expected profit at M's choice (engine):", sp.Eq(pi_R, R), "value"),
        Step("The manufacturer's:", sp.Eq(pi_M, M), "value"),
        *(st for _, st in signed[2:]),
    ]
    ok = signed[1][1].kind == "positive"
    rel = {"positive": "> 0", "negative": "< 0", "identity": "= 0"}
    summary = ", ".join(f"{label[:-1]} {rel[st.kind]}$" for label, st in signed if st.kind in rel)
    return _part("Competitive rate, $w$ chosen by M",
                 "At the manufacturer's choice of $w$ the signs of $\\partial w^*/\\partial \\lambda$, "
                 "$\\partial q^*/\\partial \\lambda$ and of each party's expected profit in $\\lambda$ are decided.",
                 steps, status=PROVED if ok and all(s.holds is not False for s in steps) else FAILED,
                 assumptions=ASSUMPTIONS + ("$0 < b < c < p$",),
                 notes=(f"At M's choice: {summary}; the bank breaks even.",
                        "M raises $w$ with $\\lambda$ and captures more than the guarantee's value: the order and "
                        "M's profit rise, the retailer's profit falls, the bank breaks even. The chain gains (less "
                        "double marginalisation)."))


def competitive_rate_at_choice() -> ClaimResult:
    lam = sym("lam")
    D = _choice()[0]
    rate = sp.sympify(D.interest_rate)
    step, how, decided = _decided_sign(f"{D_RATE} at M's choice", sp.diff(rate, lam), "c",
                                       skip=OPEN_AT_CHOICE)
    status = (PROVED if decided else PROVED_RESTRICTED) if step.holds else FAILED
    return _part("Competitive rate at M's choice of $w$",
                 "At the manufacturer's choice of $w$ the competitive rate falls in $\\lambda$.", [step],
                 status=status,
                 assumptions=ASSUMPTIONS + ("$0 < b < c < p$",) + (() if decided else (_grid_assumption("c"),)),
                 notes=(how,))


def exogenous_given_w() -> ClaimResult:
    lam, r = sym("lam"), sym("r")
    D = follower_response("repurchase", KNOWN, rate="exogenous")
    E = D.expectations.values
    reg = exogenous_region()
    l = sp.Symbol("l", positive=True)
    reg[lam] = l / (1 + l)
    q = factor(D.decisions["q"])
    where = "$0 < b < w$, $w(1 + r) < p$, $r > 0$, $0 < \\lambda < 1$"
    K = sp.fraction(q)[1]
    k_where = {K_DEN: K}

    def short(expr):
        """The derivative with the order's denominator named ``K`` and, if still long, its long factor ``Q``."""
        e = factor(expr)
        num, den = sp.fraction(e)
        const, facs = sp.factor_list(den)
        if not any(sp.expand(f - K) == 0 for f, _ in facs):
            return e, None
        form = num / (const * sp.Mul(*[(K_DEN if sp.expand(f - K) == 0 else f) ** k for f, k in facs]))
        extra = {}
        key, rest = key_factor(num)
        if len(key.args) > 8:  # a polynomial too long to print: named, described in the step
            form = (rest * Q_FACTOR) / (const * sp.Mul(*[(K_DEN if sp.expand(f - K) == 0 else f) ** k for f, k in facs]))
            extra = {Q_FACTOR: key}
        return written(e, form, {**k_where, **extra}), extra.get(Q_FACTOR)

    steps = [Step("The retailer's order at a given $w$ and an exogenous rate $r$ (engine); $K$ denotes its "
                  "denominator.", sp.Eq(STAR["q"], written(q, sp.fraction(q)[0] / K_DEN, k_where)), "value",
                  where=k_where)]
    for subject, expr in ((D_Q, sp.diff(q, lam)),
                          (D_B, sp.diff(at_response(D, E["bank"]), lam)),
                          (D_R, sp.diff(at_response(D, E["retailer"]), lam)),
                          ("The derivative of the default probability in $\\lambda$", sp.diff(at_response(D, E["default"]), lam))):
        shown, Q = short(expr)
        step = _signed(subject, expr, reg, where, positive=(r,), display=shown)
        if Q is not None:  # its long factor, described and checked on its own
            terms = len(sp.Add.make_args(sp.expand(Q)))
            degree = sp.Poly(Q, *sorted(Q.free_symbols, key=str)).total_degree()
            q_sign = sign_on_region(Q, reg, positive=(r,))
            step = Step(step.text[:-1] + f"; so is its factor $Q$, a polynomial of {terms} terms and degree {degree} "
                        "in $p, w, b, r, \\lambda$ (below):", step.expr, step.kind,
                        step.holds and q_sign.sign == (1 if step.kind == "positive" else -1), where=step.where)
            steps += [step, Step("The factor $Q$ of the previous step:", sp.Eq(Q_FACTOR, Q), "value")]
            continue
        steps.append(step)
    ok = steps[1].kind == "positive"
    return _part("Exogenous rate $r$, $w$ given", "At a given $w$ and an exogenous rate the retailer's order rises "
                 "in $\\lambda$; so do the bank's and the retailer's expected profits, and the default probability "
                 "falls.", steps, status=PROVED if ok and all(s.holds is not False for s in steps) else FAILED,
                 assumptions=ASSUMPTIONS + ("$0 < b < w$, $r > 0$ and $w(1 + r) < p$",))


def limits() -> ClaimResult:
    lam = sym("lam")
    steps = []
    names = {"retailer": "the retailer's expected profit", "bank": "the bank's expected profit",
             "default": "the default probability"}
    for rate in ("competitive", "exogenous"):
        rep = follower_response("repurchase", KNOWN, rate=rate) if rate == "exogenous" else \
            response("repurchase", KNOWN, SHADOW, optimised=("q",))
        base = follower_response("bank-loan", KNOWN, rate=rate)
        six = follower_response("repurchase", {**KNOWN, "lam": 1}, rate=rate)
        regime = "Competitive rate" if rate == "competitive" else "Exogenous rate $r$"
        for prop, other, at_lam in ((5, base, 0), (6, six, 1)):
            g = residual(rep.decisions["q"].subs(lam, at_lam) - other.decisions["q"])
            steps.append(Step(f"{regime}, $\\lambda = {at_lam}$: the retailer's order is the order of Proposition "
                              f"{prop}:", g, "identity", g == 0,
                              lhs=sp.Function("q^*")(sp.Integer(at_lam)), rhs=other.decisions["q"]))
            exact, reduced, sampled = [], [], []
            for key in ("retailer", "bank", "default"):
                g = (at_response(rep, rep.expectations.values[key]).subs(lam, at_lam)
                     - at_response(other, other.expectations.values[key]))
                if g.is_rational_function():
                    exact.append((key, residual(g) == 0))
                else:
                    ok, how = _zero(g)
                    (reduced if how == EXACT_TEXT else sampled).append((key, ok))
            for group, how in ((exact, "each difference cancels identically"),
                               (reduced, f"they carry the rate's square root: {EXACT_TEXT}"),
                               (sampled, f"they carry square roots of radicands that differ by square factors of "
                                         f"unknown sign, which the exact reduction does not separate: "
                                         f"{SAMPLES_TEXT}")):
                if group:
                    what = ", ".join(names[k] for k, _ in group[:-1]) + (" and " if len(group) > 1 else "") + \
                        names[group[-1][0]]
                    steps.append(Step(f"So {'are' if len(group) > 1 else 'is'} {what}, at $\\lambda = {at_lam}$ "
                                      f"({how}).", None, "value", all(ok for _, ok in group)))
    # M's choice at lam = 0 is claim 5's w* = (p + c)/2
    eq = response("repurchase", KNOWN, SHADOW, optimised=("q", "w"))
    base = response("bank-loan", KNOWN, None, optimised=("q", "w"))
    g = residual(eq.decisions["w"].subs(lam, 0) - base.decisions["w"])
    steps.append(Step("Competitive rate: at $\\lambda = 0$ the manufacturer's wholesale price is the $w^*$ of "
                      "Proposition 5:", g, "identity", g == 0, lhs=sp.Function("w^*")(sp.Integer(0)),
                      rhs=base.decisions["w"]))
    return _part("$\\lambda = 0$ and $\\lambda = 1$",
                 "At $\\lambda = 0$ the model is Proposition 5's, at $\\lambda = 1$ Proposition 6's.", steps,
                 assumptions=ASSUMPTIONS[:2] + ("$\\lambda \\in \\{0, 1\\}$",))


@claim(11)
def check() -> ClaimResult:
    parts = (competitive_given_w(), competitive_equilibrium(), competitive_rate_at_choice(), exogenous_given_w(),
             limits())
    return ClaimResult(
        number=11,
        title="Repurchase probability",
        statement=STATEMENT,
        status=overall(parts),
        assumptions=ASSUMPTIONS,
        parts=parts,
        notes=(
            "Except where a step says otherwise, signs are established on the whole region: its inequalities are written with positive slack "
            "variables (and $0 < \\lambda < 1$ as $\\lambda = l/(1 + l)$, $l > 0$), and every factor of the "
            "derivative's numerator and denominator then has coefficients of one sign.",
            "The retailer's order and joint profit see the repurchase only through $\\lambda b$, the expected "
            "value of a leftover; the bank does not: its recovery mixes the executed and the unexecuted "
            "repurchase, so the rate is not a function of $\\lambda b$ alone and its derivative in $\\lambda$ "
            "carries square roots. Its sign is decided completely (square roots as variables, QEPCAD B) where "
            "the time budget allows, and sampled on a grid where it does not.",
            "A more reliable guarantee is worth most to the manufacturer: it lets M charge more ($w^*$ rises in "
            "$\\lambda$) while the retailer orders more; the retailer's expected profit falls and the bank stays "
            "at break-even.",
        ),
    )
