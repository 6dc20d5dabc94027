"""Numeric backward induction on the exact expected profits of :mod:`scfin.numeric`.

Used where the engine has no closed form (the bank-leader regime, normal and
exponential demand, conditional repurchase under competitive pricing) and by
the verification suite, which re-solves every closed-form equilibrium with
it.  Each level maximises its own expected profit globally (a grid, then a
bounded Brent refinement), so a kink such as a sales target cannot trap the
retailer at a local optimum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from . import numeric as N
from .models import Model


@dataclass(frozen=True)
class NumericResult:
    decisions: Mapping[str, float]
    boundary: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    checks: tuple[tuple[str, bool], ...] = ()


def follower(model: Model, demand: str, vals: Mapping[str, float], q_max: float) -> dict[str, float]:
    """The retailer's best response (and the break-even rate under competitive pricing)."""
    resp = N.retailer_response(model, demand, vals, q_max)
    point = {**vals, **resp}
    if model.rate == "competitive":
        point["r"] = N.breakeven_rate(model, demand, point)
    return {k: point[k] for k in list(resp) + (["r"] if model.loan is not None else [])}


def _participation_scale(vals) -> float:
    return 1e-9 * max(1.0, float(vals["p"]))


def leader(model: Model, demand: str, vals: Mapping[str, float], q_max: float, grid: int = 40):
    """The manufacturer's best wholesale price given the retailer's response.

    Returns ``(decisions, boundary)``.  Prices at which the retailer's best
    expected profit is not positive (it would not take part) are excluded;
    when the best price is the edge of that set, the edge is found by
    bisection and reported as a boundary solution.
    """
    floor = float(vals["c"])
    if "w" in model.bounds:
        ref = model.bounds["w"][0].ref
        floor = float(vals[ref]) if isinstance(ref, str) else float(ref)
    lo = max(floor, float(vals.get("b", -math.inf)) if _has(model, "b") else -math.inf)
    hi = float(vals["p"])
    eps = 1e-9 * (hi - lo)

    def evaluate(w):
        point = {**vals, "w": w}
        resp = follower(model, demand, point, q_max)
        ev = N.expected(model, demand, {**point, **resp})
        ok = ev["retailer"] > _participation_scale(vals) and (
            model.rate != "competitive" or math.isfinite(resp.get("r", 0.0))
        )
        return ev["manufacturer"], ok, resp

    def safe(w):
        try:
            return evaluate(w)
        except ValueError:
            return -math.inf, False, {}

    ws = [lo + (hi - lo) * (i + 0.5) / grid for i in range(grid)]
    evals = [safe(w) for w in ws]
    admissible = [i for i, (_, ok, _) in enumerate(evals) if ok]
    if not admissible:
        raise ValueError("no wholesale price in (c, p) at which the retailer takes part")
    i = max(admissible, key=lambda j: evals[j][0])
    a = ws[i - 1] if i - 1 in admissible else lo + eps if i == 0 else ws[i]
    b = ws[i + 1] if i + 1 in admissible else hi - eps if i == grid - 1 else ws[i]
    boundary = ()
    if i + 1 not in admissible and i + 1 < grid:
        # the best admissible price borders the non-participation set
        w_edge = _bisect_edge(lambda w: safe(w)[1], ws[i], ws[i + 1])
        if safe(w_edge)[0] >= evals[i][0]:
            boundary = ("w",)
            return {"w": w_edge, **safe(w_edge)[2]}, boundary
    from scipy import optimize

    res = optimize.minimize_scalar(lambda w: -safe(w)[0], bounds=(a, b), method="bounded",
                                   options={"xatol": 1e-10 * max(1.0, hi)})
    w = res.x if -res.fun >= evals[i][0] else ws[i]
    w = _polish_leader(lambda x: safe(x)[0], w, a, b, 1e-4 * (hi - lo))
    if min(w - lo, hi - w) < 1e-6 * (hi - lo):
        boundary = ("w",)
    return {"w": w, **safe(w)[2]}, boundary


def _polish_leader(fun, w: float, a: float, b: float, h: float, iters: int = 8) -> float:
    """Newton steps on central differences of the leader's profit.

    Brent's method stops where profit differences drown in rounding
    (relative accuracy about the square root of machine precision); the
    derivative's zero is located far more precisely.  A step is kept only if
    it stays in the bracket and does not lower the profit.
    """
    fw = fun(w)
    h = 10 * h
    for _ in range(iters):
        f1, f2, f3, f4 = fun(w - h), fun(w - h / 2), fun(w + h / 2), fun(w + h)
        # Richardson: central differences with error O(h^4)
        g = (4 * (f3 - f2) / h - (f4 - f1) / (2 * h)) / 3
        H = (4 * (f3 - 2 * fw + f2) / (h / 2) ** 2 - (f4 - 2 * fw + f1) / h**2) / 3
        if not (H < 0 and math.isfinite(g)):
            break
        nw = w - g / H
        if not (a <= nw <= b):
            break
        fn = fun(nw)
        # the follower's response is exact to about 1e-11, so is the leader's profit
        if fn < fw - 1e-10 * max(1.0, abs(fw)):
            break
        done = abs(nw - w) < 1e-12 * max(1.0, abs(w))
        w, fw = nw, fn
        if done:
            break
    return w


def _bisect_edge(ok, good: float, bad: float, iters: int = 60) -> float:
    for _ in range(iters):
        mid = 0.5 * (good + bad)
        if ok(mid):
            good = mid
        else:
            bad = mid
    return good


def _has(model: Model, name: str) -> bool:
    return any(name in c.parameters for c in model.clauses)


def numeric_stackelberg(model: Model, demand: str, vals: Mapping[str, float], optimised) -> NumericResult:
    """Solve every level numerically: bank (bank-leader), manufacturer, retailer."""
    q_max = N.q_bound(demand, vals)
    notes: list[str] = []
    boundary: tuple[str, ...] = ()
    base = dict(vals)
    if model.rate == "bank-leader" and "r" not in vals:
        inner = model.with_options(rate="exogenous")
        decisions, boundary = _bank_leader(inner, demand, base, optimised, q_max)
        notes.append("bank-leader: the bank's rate maximises its expected profit, found numerically")
    else:
        inner = model.with_options(rate="exogenous") if model.rate == "bank-leader" else model
        if "w" in optimised:
            decisions, boundary = leader(inner, demand, base, q_max)
        else:
            decisions = follower(inner, demand, base, q_max)
    if boundary:
        notes.append(
            "boundary solution: the leader's profit rises up to the edge of the set of prices "
            "at which the retailer takes part (no interior optimum)"
        )
    if model.loan is not None and "r" not in decisions:
        decisions["r"] = float(vals["r"])
    ev = N.expected(inner, demand, {**base, **decisions})
    checks = (("retailer's expected profit >= 0", ev["retailer"] >= -1e-9),)
    if model.loan is not None:
        checks += (("bank's expected profit >= 0", ev["bank"] >= -1e-7 * max(1.0, abs(ev["chain"]))),)
    return NumericResult(decisions=decisions, boundary=boundary, notes=tuple(notes), checks=checks)


def _bank_leader(model, demand, vals, optimised, q_max, grid: int = 24):
    rf = float(vals["rf"])
    r_hi = max(float(vals["p"]) / float(vals["c"]) - 1.0, rf + 1e-3)

    def bank(r):
        point = {**vals, "r": r}
        try:
            if "w" in optimised:
                dec, _ = leader(model, demand, point, q_max, grid=24)
            else:
                dec = follower(model, demand, point, q_max)
        except ValueError:
            return -math.inf, {}
        ev = N.expected(model, demand, {**point, **dec})
        return ev["bank"], dec

    rs = [rf + (r_hi - rf) * (i + 0.5) / grid for i in range(grid)]
    vals_r = [bank(r)[0] for r in rs]
    i = max(range(grid), key=vals_r.__getitem__)
    from scipy import optimize

    a = rs[max(i - 1, 0)]
    b = rs[min(i + 1, grid - 1)]
    res = optimize.minimize_scalar(lambda r: -bank(r)[0], bounds=(a, b), method="bounded",
                                   options={"xatol": 1e-8})
    r = res.x if -res.fun >= vals_r[i] else rs[i]
    value, dec = bank(r)
    boundary = ("r",) if i in (0, grid - 1) else ()
    return {**dec, "r": r}, boundary
