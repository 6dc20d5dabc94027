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

import numpy as np
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


# -- the same expectation for a batch of points (vectorised) --------------------

class VAff(Aff):
    """``a + b*x`` with NumPy array coefficients (one entry per point)."""

    __slots__ = ()
    __array_ufunc__ = None  # make ``ndarray * VAff`` defer to VAff.__rmul__

    def __add__(self, o):
        return VAff(self.a + o.a, self.b + o.b) if isinstance(o, Aff) else VAff(self.a + o, self.b)

    __radd__ = __add__

    def __neg__(self):
        return VAff(-self.a, -self.b)

    def __sub__(self, o):
        return self + (-o)

    def __rsub__(self, o):
        return (-self) + o

    def __mul__(self, o):
        if isinstance(o, Aff):
            if not np.any(o.b):
                o = o.a
            elif not np.any(self.b):
                return o * self.a
            else:
                raise ValueError("cash flow is not affine in demand")
        return VAff(self.a * o, self.b * o)

    __rmul__ = __mul__

    def __truediv__(self, o):
        return VAff(self.a / o, self.b / o)


def _vparts(v):
    return (v.a, v.b) if isinstance(v, Aff) else (v, 0.0)


def _where(s, a, b):
    if isinstance(a, Aff) or isinstance(b, Aff):
        (aa, ab), (ba, bb) = _vparts(a), _vparts(b)
        return VAff(np.where(s, aa, ba), np.where(s, ab, bb))
    return np.where(s, a, b)


class _VSplit(Exception):
    def __init__(self, root):
        self.root = root


class BatchOutcome:
    """The outcome operations on intervals ``lo < x < hi``, one per point.

    A comparison whose root lies strictly inside some points' intervals
    splits the batch; points without a root inside get an empty second
    interval, which contributes nothing.
    """

    def __init__(self, lo: np.ndarray, hi: np.ndarray, executed: int):
        self.lo, self.hi = lo, hi
        self.executed = executed
        self.x = VAff(np.zeros_like(lo), np.ones_like(lo))
        flo, fhi = np.isfinite(lo), np.isfinite(hi)
        with np.errstate(invalid="ignore"):
            self.mid = np.where(flo & fhi, 0.5 * (lo + hi), np.where(flo, lo + 1.0, np.where(fhi, hi - 1.0, 0.0)))
            span = np.where(flo & fhi, np.maximum(1.0, hi - lo), 1.0)
        self.eps = 1e-12 * span

    def _sign(self, d):
        a, b = _vparts(d)
        a = np.broadcast_to(a, self.lo.shape)
        b = np.broadcast_to(b, self.lo.shape)
        nz = b != 0.0
        if nz.any():
            with np.errstate(divide="ignore", invalid="ignore"):
                root = np.where(nz, -a / np.where(nz, b, 1.0), np.nan)
            inside = nz & (self.lo + self.eps < root) & (root < self.hi - self.eps)
            if inside.any():
                raise _VSplit(np.where(inside, root, self.hi))
        return a + b * self.mid > 0

    def positive(self, a):
        return _where(self._sign(a), a, 0.0)

    def minimum(self, a, b):
        return _where(self._sign(b - a), a, b)

    def below(self, a, b):
        return np.where(self._sign(b - a), 1.0, 0.0)


def _uniform_v(values):
    A = np.asarray(values["A"], dtype=float)

    def E(alpha, beta, lo, hi):
        lo, hi = np.maximum(lo, 0.0), np.minimum(hi, A)
        ok = hi > lo
        out = (alpha * (hi - lo) + beta * (hi * hi - lo * lo) / 2) / A
        return np.where(ok, out, 0.0)

    return (0.0, A), E


def _normal_v(values):
    mu, sigma = np.asarray(values["mu"], dtype=float), np.asarray(values["sigma"], dtype=float)

    def E(alpha, beta, lo, hi):
        zl, zh = (lo - mu) / sigma, (hi - mu) / sigma
        mass = ndtr(zh) - ndtr(zl)
        pdf = lambda z: np.exp(-z * z / 2) / math.sqrt(2 * math.pi)
        out = alpha * mass + beta * (mu * mass - sigma * (pdf(zh) - pdf(zl)))
        return np.where(hi > lo, out, 0.0)

    return (-math.inf, math.inf), E


def _exponential_v(values):
    th = np.asarray(values["theta"], dtype=float)

    def E(alpha, beta, lo, hi):
        lo = np.maximum(lo, 0.0)
        ok = hi > lo
        fin = np.isfinite(hi)
        hh = np.where(fin, hi, 0.0)
        surv_hi = np.where(fin, np.exp(-hh / th), 0.0)
        tail_hi = np.where(fin, (hh + th) * np.exp(-hh / th), 0.0)
        ll = np.where(np.isfinite(lo), lo, 0.0)
        out = alpha * (np.exp(-ll / th) - surv_hi) + beta * ((ll + th) * np.exp(-ll / th) - tail_hi)
        return np.where(ok, out, 0.0)

    return (0.0, math.inf), E


BATCH_DEMANDS = {"uniform": _uniform_v, "normal": _normal_v, "exponential": _exponential_v}


def expected_batch(model: Model, demand: str, values: Mapping[str, object]) -> dict[str, np.ndarray]:
    """:func:`expected` for many points at once.

    ``values`` maps names to floats or equal-length 1-d arrays; the result
    maps the same keys as :func:`expected` to arrays.  Same cash flows, same
    exact expectations, split point by point.
    """
    if demand not in BATCH_DEMANDS:
        raise ValueError(f"demand {demand!r} has no numbers")
    n = max((np.size(v) for v in values.values()), default=1)
    P = {k: (np.broadcast_to(np.asarray(v, dtype=float), (n,)) if np.ndim(v) else float(v))
         for k, v in values.items()}
    for name, target in model.fixed.items():
        P[name] = P[target]
    if not model.effort:
        P["e"] = 0.0
    (s_lo, s_hi), E = BATCH_DEMANDS[demand](P)
    lam = P.get("lam", 1.0) if model.random_execution else 1.0
    scenarios = ((1, lam), (0, 1.0 - np.asarray(lam))) if model.random_execution else ((1, 1.0),)
    totals: dict[str, np.ndarray] = {}
    for executed, weight in scenarios:
        if not np.any(weight):
            continue
        pending = [(np.full(n, s_lo, dtype=float), np.full(n, s_hi, dtype=float))]
        while pending:
            lo, hi = pending.pop()
            if not np.any(hi > lo):
                continue
            o = BatchOutcome(lo, hi, executed)
            try:
                flows = settle(model.clauses, o, P, model.effort)
            except _VSplit as s:
                pending += [(lo, s.root), (s.root, hi)]
                continue
            for key, val in flows.items():
                a, b = _vparts(val)
                a = np.broadcast_to(a, (n,))
                b = np.broadcast_to(b, (n,))
                totals[key] = totals.get(key, 0.0) + weight * E(a, b, lo, hi)
    zero = np.zeros(n)
    for key in ("retailer", "manufacturer", "bank"):
        totals.setdefault(key, zero)
    totals = {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for k, v in totals.items()}
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


def _shares_rate_risk(model: Model) -> bool:
    """Whether the rate moves money to or from anyone but R and the bank.

    Without a guarantee or an interest subsidy, the repayment is a transfer
    between R and the bank, so ``R + bank`` does not depend on ``r``; at the
    break-even rate the bank earns 0, hence R earns ``R + bank`` there.
    """
    from .clauses import ConditionalRepurchase, InterestCostSharing

    return any(isinstance(c, (ConditionalRepurchase, InterestCostSharing)) for c in model.clauses)


def breakeven_rates(model: Model, demand: str, values: Mapping[str, object], r_max: float = 1e3) -> np.ndarray:
    """:func:`breakeven_rate` for a batch of points; ``nan`` where unfinanceable.

    The bank's expected profit is nondecreasing in ``r`` (its receipt
    ``min(Y, L(1 + r))``, plus any guarantee, rises with the face value), so
    the smallest zero is bracketed by doubling and found by the Illinois
    variant of regula falsi, point by point.
    """
    n = max((np.size(v) for v in values.values()), default=1)
    rf = np.broadcast_to(np.asarray(values["rf"], dtype=float), (n,)).copy()

    def bank(r):
        return expected_batch(model, demand, {**values, "r": r})["bank"]

    f_lo = bank(rf)
    scale = 1e-12 * np.maximum(1.0, np.abs(np.broadcast_to(np.asarray(values.get("q", 1.0), dtype=float), (n,))))
    done = f_lo >= -scale
    out = np.where(done, rf, np.nan)
    lo = rf.copy()
    hi = rf + 1e-3
    f_hi = bank(hi)
    step = 1e-3
    while True:
        need = ~done & (f_hi < 0) & (hi < r_max)
        if not need.any():
            break
        step *= 4
        lo = np.where(need, hi, lo)
        f_lo = np.where(need, f_hi, f_lo)
        hi = np.where(need, rf + step, hi)
        f_hi = np.where(need, bank(hi), f_hi)
    active = ~done & (f_hi >= 0)
    side = np.zeros(n)
    for _ in range(200):
        if not active.any():
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            mid = np.where(f_hi != f_lo, hi - f_hi * (hi - lo) / (f_hi - f_lo), 0.5 * (lo + hi))
        mid = np.where((mid > lo) & (mid < hi), mid, 0.5 * (lo + hi))
        f_mid = bank(mid)
        up = f_mid < 0
        lo, f_lo = np.where(active & up, mid, lo), np.where(active & up, f_mid, f_lo)
        hi, f_hi = np.where(active & ~up, mid, hi), np.where(active & ~up, f_mid, f_hi)
        # Illinois: halve the stale end's value so the bracket shrinks from both sides
        f_lo = np.where(active & ~up & (side == -1), f_lo / 2, f_lo)
        f_hi = np.where(active & up & (side == 1), f_hi / 2, f_hi)
        side = np.where(up, 1, -1)
        active = active & ((hi - lo) > 1e-14 * np.maximum(1.0, hi)) & (np.abs(f_mid) > 1e-13 * np.maximum(1.0, scale * 1e12))
    return np.where(done, out, np.where(f_hi >= 0, hi, np.nan))


def retailer_objective(model: Model, demand: str, values: Mapping[str, object]) -> np.ndarray:
    """R's expected profit for a batch of decisions (``q``, ``e`` arrays).

    Under competitive pricing the rate is each loan's break-even rate; a loan
    that no rate finances is unavailable (:data:`UNAVAILABLE`).
    """
    if model.rate == "competitive":
        if not _shares_rate_risk(model):
            ev = expected_batch(model, demand, {**values, "r": values["rf"]})
            return ev["retailer"] + ev["bank"]
        r = breakeven_rates(model, demand, values)
        ok = np.isfinite(r)
        ev = expected_batch(model, demand, {**values, "r": np.where(ok, r, values["rf"])})
        return np.where(ok, ev["retailer"], UNAVAILABLE)
    return expected_batch(model, demand, values)["retailer"]


def _zoom_1d(fun, lo: float, hi: float, x0: float, width: float, n: int = 16, tol: float = 1e-13):
    """Refine a maximum of ``fun`` (batch in, batch out) near ``x0``.

    First zooms on the sign of a central-difference derivative with a fixed
    step ``h`` (exact for the piecewise-quadratic profits of uniform demand;
    rounding stays far below the step), then, in case the maximum is a kink
    (a sales target, a boundary), zooms on values within ``2h``; the value
    zoom wins only if it gains more than rounding.
    """
    a, b = max(lo, x0 - width), min(hi, x0 + width)
    h = 1e-5 * max(1.0, hi - lo)
    xs_tol = tol * max(1.0, abs(hi))
    for _ in range(40):
        if b - a <= xs_tol:
            break
        xs = np.linspace(a, b, n + 2)[1:-1]
        vals = fun(np.concatenate([np.maximum(xs - h, lo), np.minimum(xs + h, hi)]))
        d = vals[n:] - vals[:n]
        pos = np.nonzero(d > 0)[0]
        neg = np.nonzero(d <= 0)[0]
        if len(neg) == 0:
            a = xs[-1]
        elif len(pos) == 0:
            b = xs[0]
        else:
            j = neg[0]
            a, b = (xs[j - 1] if j > 0 else a), xs[j]
    cands = np.array([a, 0.5 * (a + b), b])
    cv = fun(cands)
    k = int(np.argmax(cv))
    x, v = float(cands[k]), float(cv[k])
    # a smooth maximum drops by O(h^2) to each side, a kink by O(h): only a
    # kink needs the value zoom
    probe = fun(np.array([x - h, x + h, x - h / 2, x + h / 2]).clip(lo, hi))
    drop1, drop2 = v - 0.5 * (probe[0] + probe[1]), v - 0.5 * (probe[2] + probe[3])
    if drop1 > 3.0 * drop2 and drop2 >= 0:
        return x, v
    a2, b2 = max(lo, x - 2 * h), min(hi, x + 2 * h)
    best_x, best_v = x, v
    for _ in range(14):
        xs = np.linspace(a2, b2, n + 1)
        vs = fun(xs)
        j = int(np.argmax(vs))
        if vs[j] > best_v:
            best_x, best_v = float(xs[j]), float(vs[j])
        a2, b2 = xs[max(j - 1, 0)], xs[min(j + 1, n)]
        if b2 - a2 <= xs_tol:
            break
    if best_v > v + 1e-12 * max(1.0, abs(v)):
        return best_x, best_v
    return x, v


def _maximise_batch_1d(fun, lo: float, hi: float, n: int = 80):
    xs = np.linspace(lo, hi, n + 1)
    vals = fun(xs)
    i = int(np.argmax(vals))
    x, v = _zoom_1d(fun, lo, hi, float(xs[i]), (hi - lo) / n)
    return (x, v) if v >= vals[i] else (float(xs[i]), float(vals[i]))


def _newton_2d(fun, x0, lo, hi, h):
    """Polish a 2-d maximum by guarded Newton steps on central differences."""
    x = np.array(x0, dtype=float)
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    fx = float(fun(x[None, :])[0])
    for _ in range(30):
        hq, he = h
        offs = np.array([[hq, 0], [-hq, 0], [0, he], [0, -he], [hq, he], [hq, -he], [-hq, he], [-hq, -he]])
        pts = np.clip(x + offs, lo, hi)
        f = fun(pts)
        dq = (pts[0, 0] - pts[1, 0]) or 1.0
        de = (pts[2, 1] - pts[3, 1]) or 1.0
        g = np.array([(f[0] - f[1]) / dq, (f[2] - f[3]) / de])
        H = np.array([[(f[0] - 2 * fx + f[1]) / (dq / 2) ** 2, (f[4] - f[5] - f[6] + f[7]) / (dq * de)],
                      [0.0, (f[2] - 2 * fx + f[3]) / (de / 2) ** 2]])
        H[1, 0] = H[0, 1]
        try:
            neg_def = np.all(np.linalg.eigvalsh(H) < 0)
        except np.linalg.LinAlgError:
            neg_def = False
        step = -np.linalg.solve(H, g) if neg_def else g * (np.array(h) / (np.abs(g) + 1e-300))
        ts = 0.5 ** np.arange(12)
        cand = np.clip(x + ts[:, None] * step, lo, hi)
        fc = fun(cand)
        k = int(np.argmax(fc))
        if fc[k] <= fx:
            break
        moved = np.max(np.abs(cand[k] - x))
        x, fx = cand[k], float(fc[k])
        if moved < 1e-12 * max(1.0, float(np.max(hi))):
            break
    return x, fx


def retailer_response(model: Model, demand: str, values: Mapping[str, float], q_max: float) -> dict[str, float]:
    """The retailer's globally best order (and effort) at numbers.

    A grid over the whole box (evaluated as one batch) picks the basin; a
    derivative-sign zoom (one decision) or guarded Newton steps (order and
    effort) refine it.  No first-order condition of the engine is used.
    """
    fixed = {d: values[d] for d in model.follower if d in values}
    free = [d for d in model.follower if d not in values]
    base = {**values, **fixed}
    if not free:
        return {}
    if free == ["q"]:
        def f1(qs):
            return retailer_objective(model, demand, {**base, "q": np.asarray(qs, dtype=float)})

        q, _ = _maximise_batch_1d(f1, 0.0, q_max)
        return {"q": q}
    if free == ["e"]:
        e_max = _effort_bound(model, values)

        def fe(es):
            return retailer_objective(model, demand, {**base, "e": np.asarray(es, dtype=float)})

        e, _ = _maximise_batch_1d(fe, 0.0, e_max)
        return {"e": e}
    e_max = _effort_bound(model, values)
    ne, nq = 24, 48
    E_, Q_ = np.meshgrid(np.linspace(0.0, e_max, ne + 1), np.linspace(0.0, 1.0, nq + 1), indexing="ij")
    Q_ = Q_ * (q_max + E_)

    def f2(pts):
        pts = np.atleast_2d(pts)
        return retailer_objective(model, demand, {**base, "q": pts[:, 0], "e": pts[:, 1]})

    grid = np.column_stack([Q_.ravel(), E_.ravel()])
    vals = f2(grid)
    k = int(np.argmax(vals))
    hi = np.array([q_max + e_max, e_max])
    x, _ = _newton_2d(f2, grid[k], np.zeros(2), hi, (1e-4 * max(1.0, q_max), 1e-4 * max(1.0, e_max)))
    return {"q": float(x[0]), "e": float(x[1])}


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
