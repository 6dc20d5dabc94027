"""Exact expected profits for given numbers, without SymPy.

The realised cash flows of :mod:`scfin.clauses` are evaluated on floats: an
:class:`AffineOutcome` carries ``a + b*x`` and splits the demand support
wherever a comparison changes sign, exactly as the symbolic engine does, but
at numbers.  The expectation of each affine piece is taken in closed form
(uniform, exponential) or with the normal cdf.  The result is the expected
profit valid for *every* decision, not only in one region structure, so a
numeric optimiser can roam freely.  This is the independent numeric check of
the engine's closed forms, and its fallback where no closed form exists.
"""

from __future__ import annotations

import math
from typing import Callable, Mapping

from scipy import optimize
from scipy.special import ndtr

from .clauses import settle
from .models import Model


class Aff:
    """``a + b*x``: an affine function of demand with float coefficients."""

    __slots__ = ("a", "b")

    def __init__(self, a: float, b: float = 0.0):
        self.a, self.b = a, b

    def __add__(self, o):
        return Aff(self.a + o.a, self.b + o.b) if isinstance(o, Aff) else Aff(self.a + o, self.b)

    __radd__ = __add__

    def __neg__(self):
        return Aff(-self.a, -self.b)

    def __sub__(self, o):
        return self + (-o)

    def __rsub__(self, o):
        return (-self) + o

    def __mul__(self, o):
        if isinstance(o, Aff):
            if o.b == 0:
                o = o.a
            elif self.b == 0:
                return o * self.a
            else:
                raise ValueError("cash flow is not affine in demand")
        return Aff(self.a * o, self.b * o)

    __rmul__ = __mul__

    def __truediv__(self, o):
        return Aff(self.a / o, self.b / o)


class _Split(Exception):
    def __init__(self, root):
        self.root = root


def _parts(v):
    return (v.a, v.b) if isinstance(v, Aff) else (float(v), 0.0)


class AffineOutcome:
    def __init__(self, lo: float, hi: float, executed: int):
        self.lo, self.hi = lo, hi
        self.executed = executed
        self.x = Aff(0.0, 1.0)
        if math.isinf(lo) and math.isinf(hi):
            self.mid = 0.0
        elif math.isinf(lo):
            self.mid = hi - 1.0
        elif math.isinf(hi):
            self.mid = lo + 1.0
        else:
            self.mid = 0.5 * (lo + hi)

    def _sign(self, d) -> int:
        a, b = _parts(d)
        if b != 0.0:
            root = -a / b
            span = 1.0 if not math.isfinite(self.hi - self.lo) else max(1.0, self.hi - self.lo)
            eps = 1e-12 * span
            if self.lo + eps < root < self.hi - eps:
                raise _Split(root)
        return 1 if a + b * self.mid > 0 else -1

    def positive(self, a):
        return a if self._sign(a) > 0 else 0.0

    def minimum(self, a, b):
        return a if self._sign(b - a) > 0 else b

    def below(self, a, b):
        return 1.0 if self._sign(b - a) > 0 else 0.0


# -- expectations of affine pieces --------------------------------------------

def _uniform(values):
    A = float(values["A"])

    def E(alpha, beta, lo, hi):
        lo, hi = max(lo, 0.0), min(hi, A)
        if hi <= lo:
            return 0.0
        return (alpha * (hi - lo) + beta * (hi * hi - lo * lo) / 2) / A

    return (0.0, A), E


def _normal(values):
    mu, sigma = float(values["mu"]), float(values["sigma"])

    def E(alpha, beta, lo, hi):
        zl = (lo - mu) / sigma if math.isfinite(lo) else -math.inf
        zh = (hi - mu) / sigma if math.isfinite(hi) else math.inf
        mass = ndtr(zh) - ndtr(zl)
        pdf = lambda z: 0.0 if math.isinf(z) else math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
        return alpha * mass + beta * (mu * mass - sigma * (pdf(zh) - pdf(zl)))

    return (-math.inf, math.inf), E


def _exponential(values):
    th = float(values["theta"])

    def E(alpha, beta, lo, hi):
        lo = max(lo, 0.0)
        if hi <= lo:
            return 0.0
        surv = lambda z: 0.0 if math.isinf(z) else math.exp(-z / th)
        tail = lambda z: 0.0 if math.isinf(z) else (z + th) * math.exp(-z / th)
        return alpha * (surv(lo) - surv(hi)) + beta * (tail(lo) - tail(hi))

    return (0.0, math.inf), E


NUMERIC_DEMANDS = {"uniform": _uniform, "normal": _normal, "exponential": _exponential}


def expected(model: Model, demand: str, values: Mapping[str, float]) -> dict[str, float]:
    """Every party's expected profit (and reported events) at numbers.

    ``values`` must hold every parameter and decision the model reads.
    """
    if demand not in NUMERIC_DEMANDS:
        raise ValueError(f"demand {demand!r} has no numbers")
    support, E = NUMERIC_DEMANDS[demand](values)
    P = dict(values)
    for name, target in model.fixed.items():
        P[name] = P[target]
    if not model.effort:
        P["e"] = 0.0
    lam = float(P.get("lam", 1.0)) if model.random_execution else 1.0
    scenarios = ((1, lam), (0, 1.0 - lam)) if model.random_execution else ((1, 1.0),)
    totals: dict[str, float] = {}
    for executed, weight in scenarios:
        if weight == 0.0:
            continue
        pending = [support]
        while pending:
            lo, hi = pending.pop()
            o = AffineOutcome(lo, hi, executed)
            try:
                flows = settle(model.clauses, o, P, model.effort)
            except _Split as s:
                pending += [(lo, s.root), (s.root, hi)]
                continue
            for key, val in flows.items():
                a, b = _parts(val)
                totals[key] = totals.get(key, 0.0) + weight * E(a, b, lo, hi)
    for key in ("retailer", "manufacturer", "bank"):
        totals.setdefault(key, 0.0)
    totals["chain"] = totals["retailer"] + totals["manufacturer"] + totals["bank"]
    return totals


# -- a numeric Stackelberg solver on these expectations -------------------------

def breakeven_rate(model: Model, demand: str, values: Mapping[str, float], r_max: float = 1e3) -> float:
    """Smallest ``r >= rf`` at which the bank's expected profit is zero.

    The bank's profit rises in ``r`` until the face value exceeds what the
    retailer can repay; the first crossing of zero is bracketed by doubling
    steps and refined by Brent's method.  Raises :class:`Unfinanceable` when
    no rate lets the bank break even.
    """
    rf = float(values["rf"])

    def bank(r):
        return expected(model, demand, {**values, "r": r})["bank"]

    if bank(rf) >= -1e-12:
        return rf
    prev, step = rf, 1e-3
    while prev < r_max:
        r = prev + step
        if bank(r) >= 0:
            return optimize.brentq(bank, prev, r, xtol=1e-14, rtol=1e-13)
        prev, step = r, step * 2
    raise Unfinanceable("no interest rate lets the bank break even: the loan cannot be financed")


class Unfinanceable(ValueError):
    """No rate makes the bank's expected profit zero for this loan."""


#: objective value standing for an unavailable option (an unfinanceable loan)
UNAVAILABLE = -1e30


def _maximise_1d(fun: Callable[[float], float], lo: float, hi: float, n: int = 60) -> tuple[float, float]:
    """Global maximum of a 1-d function: grid, then bounded refinement."""
    xs = [lo + (hi - lo) * i / n for i in range(n + 1)]
    vals = [fun(x) for x in xs]
    i = max(range(len(xs)), key=vals.__getitem__)
    a, b = xs[max(i - 1, 0)], xs[min(i + 1, n)]
    res = optimize.minimize_scalar(lambda x: -fun(x), bounds=(a, b), method="bounded",
                                   options={"xatol": 1e-12 * max(1.0, abs(hi)), "maxiter": 500})
    best = (res.x, -res.fun) if -res.fun >= vals[i] else (xs[i], vals[i])
    return best


def retailer_response(model: Model, demand: str, values: Mapping[str, float], q_max: float) -> dict[str, float]:
    """The retailer's globally best order (and effort) at numbers."""
    fixed = {d: values[d] for d in model.follower if d in values}
    free = [d for d in model.follower if d not in values]

    def profit(point):
        vals = {**values, **fixed, **point}
        if model.rate == "competitive":
            try:
                vals["r"] = breakeven_rate(model, demand, vals)
            except Unfinanceable:
                return UNAVAILABLE
        return expected(model, demand, vals)["retailer"]

    if not free:
        return {}
    if free == ["q"]:
        q, _ = _maximise_1d(lambda q: profit({"q": q}), 0.0, q_max)
        return {"q": q}
    # two decisions: profile out effort on a grid, then polish jointly
    e_max = _effort_bound(model, values)

    def best_q(e):
        return _maximise_1d(lambda q: profit({"q": q, "e": e}), 0.0, q_max + e, n=40)

    e_grid = [e_max * i / 24 for i in range(25)]
    scores = [(best_q(e)[1], e) for e in e_grid]
    _, e0 = max(scores)
    q0, _ = best_q(e0)
    res = optimize.minimize(lambda z: -profit({"q": z[0], "e": z[1]}), [q0, e0], method="Nelder-Mead",
                            options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": 4000})
    q, e = res.x
    return {"q": float(q), "e": float(e)}


def _effort_bound(model, values):
    # effort never pays beyond the level at which its cost exceeds the whole margin
    margin = float(values["p"]) + float(values.get("u", 0.0))
    return 2.0 * margin / float(values["kappa"]) + 1.0


def q_bound(demand: str, values: Mapping[str, float]) -> float:
    if demand == "uniform":
        return float(values["A"])
    if demand == "normal":
        return float(values["mu"]) + 8 * float(values["sigma"])
    return 12 * float(values["theta"])
