"""Exact expected profits for given numbers, without SymPy.

The realised cash flows of :mod:`scfin.spec.clauses` are evaluated on floats: an
:class:`AffineOutcome` carries an :class:`AffineCashFlow` ``a + b*x`` and splits the demand support
wherever a comparison changes sign, exactly as the symbolic engine does, but
at numbers.  The expectation of each affine piece is asked of the
:class:`~scfin.spec.demand.Demand` value (:meth:`~scfin.spec.demand.Demand.affine_expectation`,
written in the distribution's own file next to its symbolic version).  The result is the expected
profit valid for *every* decision, not only in one region structure, so a
numeric optimiser can roam freely.  This is the independent numeric check of
the engine's closed forms, and its fallback where no closed form exists.
"""

from __future__ import annotations

from typing import Callable, Mapping

import numpy as np
from scipy import optimize

from scfin.spec.clauses import settle
from scfin.spec.demand import Demand, get_demand
from scfin.spec.models import Model


class AffineCashFlow:
    """``a + b*x``: an affine function of demand with float coefficients.

    Arithmetic builds ``type(self)``, so :class:`AffineCashFlowBatch` (array coefficients)
    inherits it and only says what "constant" means for arrays.
    """

    __slots__ = ("a", "b")

    def __init__(self, a, b=0.0):
        self.a, self.b = a, b

    @staticmethod
    def _constant(b) -> bool:
        return not np.any(b)

    def _cls(self, o):
        # the array type wins, so scalar and vector affines combine
        return type(o) if isinstance(o, AffineCashFlow) and issubclass(type(o), type(self)) else type(self)

    def __add__(self, o):
        cls = self._cls(o)
        return cls(self.a + o.a, self.b + o.b) if isinstance(o, AffineCashFlow) else cls(self.a + o, self.b)

    __radd__ = __add__

    def __neg__(self):
        return type(self)(-self.a, -self.b)

    def __sub__(self, o):
        return self + (-o)

    def __rsub__(self, o):
        return (-self) + o

    def __mul__(self, o):
        cls = self._cls(o)
        if isinstance(o, AffineCashFlow):
            if self._constant(o.b):
                o = o.a
            elif self._constant(self.b):
                return o * self.a
            else:
                raise ValueError("cash flow is not affine in demand")
        return cls(self.a * o, self.b * o)

    __rmul__ = __mul__

    def __truediv__(self, o):
        return type(self)(self.a / o, self.b / o)


# -- expectations of affine pieces: asked of the Demand value ------------------

def _demand(demand: Demand | str) -> Demand:
    """The :class:`Demand` of a name or a value (see :func:`scfin.spec.demand.get_demand`)."""
    dem = get_demand(demand)
    if dem.name == "general":
        raise ValueError(f"demand {dem.name!r} has no numbers")
    return dem


def expected(model: Model, demand: Demand | str, values: Mapping[str, float]) -> dict[str, float]:
    """Every party's expected profit (and reported events) at numbers: :func:`expected_batch` with one row.

    ``values`` must hold every parameter and decision the model reads.
    """
    out = expected_batch(model, demand, {k: np.array([float(v)]) for k, v in values.items()})
    return {k: float(v[0]) for k, v in out.items()}


# -- expectations of a batch of points (vectorised) ----------------------------

class AffineCashFlowBatch(AffineCashFlow):
    """``a + b*x`` with NumPy array coefficients (one entry per point)."""

    __slots__ = ()
    __array_ufunc__ = None  # make ``ndarray * AffineCashFlowBatch`` defer to AffineCashFlowBatch.__rmul__


def _batch_coefficients(v):
    return (v.a, v.b) if isinstance(v, AffineCashFlow) else (v, 0.0)


def _where(s, a, b):
    if isinstance(a, AffineCashFlow) or isinstance(b, AffineCashFlow):
        (aa, ab), (ba, bb) = _batch_coefficients(a), _batch_coefficients(b)
        return AffineCashFlowBatch(np.where(s, aa, ba), np.where(s, ab, bb))
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
        self.x = AffineCashFlowBatch(np.zeros_like(lo), np.ones_like(lo))
        flo, fhi = np.isfinite(lo), np.isfinite(hi)
        with np.errstate(invalid="ignore"):
            self.mid = np.where(flo & fhi, 0.5 * (lo + hi), np.where(flo, lo + 1.0, np.where(fhi, hi - 1.0, 0.0)))
            span = np.where(flo & fhi, np.maximum(1.0, hi - lo), 1.0)
        self.eps = 1e-12 * span

    def _sign(self, d):
        a, b = _batch_coefficients(d)
        if np.ndim(b) == 0:
            if b == 0.0:
                return np.broadcast_to(a > 0, self.lo.shape) if np.ndim(a) == 0 else a > 0
        nz = b != 0.0
        if np.any(nz):
            with np.errstate(divide="ignore", invalid="ignore"):
                root = -a / b
            inside = nz & (self.lo + self.eps < root) & (root < self.hi - self.eps)
            if inside.any():
                raise _VSplit(np.where(inside, root, self.hi))
        return np.broadcast_to(a + b * self.mid > 0, self.lo.shape)

    def positive(self, a):
        return _where(self._sign(a), a, 0.0)

    def minimum(self, a, b):
        return _where(self._sign(b - a), a, b)

    def below(self, a, b):
        return np.where(self._sign(b - a), 1.0, 0.0)


def expected_batch(model: Model, demand: Demand | str, values: Mapping[str, object]) -> dict[str, np.ndarray]:
    """:func:`expected` for many points at once.

    ``values`` maps names to floats or equal-length 1-d arrays; the result
    maps the same keys as :func:`expected` to arrays.  Same cash flows, same
    exact expectations, split point by point.
    """
    dem = _demand(demand)
    n = max((np.size(v) for v in values.values()), default=1)
    P = {k: (np.broadcast_to(np.asarray(v, dtype=float), (n,)) if np.ndim(v) else float(v))
         for k, v in values.items()}
    for name, target in model.fixed.items():
        P[name] = P[target]
    s_lo, s_hi = dem.numeric_support(P)
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
                flows = settle(model.clauses, o, P)
            except _VSplit as s:
                pending += [(lo, s.root), (s.root, hi)]
                continue
            for key, val in flows.items():
                a, b = _batch_coefficients(val)
                a = np.broadcast_to(a, (n,))
                b = np.broadcast_to(b, (n,))
                totals[key] = totals.get(key, 0.0) + weight * dem.affine_expectation(P, a, b, lo, hi)
    zero = np.zeros(n)
    for key in ("retailer", "manufacturer", "bank"):
        totals.setdefault(key, zero)
    totals = {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for k, v in totals.items()}
    totals["chain"] = totals["retailer"] + totals["manufacturer"] + totals["bank"]
    return totals


# -- a numeric Stackelberg solver on these expectations -------------------------

def breakeven_rate(model: Model, demand: Demand | str, values: Mapping[str, float], r_max: float = 1e3) -> float:
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


def breakeven_rates(model: Model, demand: Demand | str, values: Mapping[str, object], r_max: float = 1e3) -> np.ndarray:
    """:func:`breakeven_rate` for a batch of points; ``nan`` where unfinanceable.

    The bank's expected profit is nondecreasing in ``r`` (its receipt
    ``min(Y, L(1 + r))``, plus any guarantee, rises with the face value), so
    the smallest zero is bracketed on the ladder ``rf + 0.001 * 4^k`` (one
    batch for every step of the ladder) and the bracket is then shrunk, one
    batch per step, by evaluating its midpoint and two points just either
    side of the regula-falsi estimate of the root: where the profit is smooth
    the estimate is close and the bracket shrinks a thousandfold per step,
    and it halves at worst.  Fewer, larger batches than a point-by-point
    root finder: a batch's fixed cost is most of its cost.
    """
    n = max((np.size(v) for v in values.values()), default=1)
    rf = np.broadcast_to(np.asarray(values["rf"], dtype=float), (n,)).copy()

    def bank(rows, R):
        k = R.shape[1]
        pv = _rows_values(values, rows, k)
        pv["r"] = R.ravel()
        return expected_batch(model, demand, pv)["bank"].reshape(len(rows), k)

    everyone = np.arange(n)
    f_rf = bank(everyone, rf[:, None])[:, 0]
    # tolerances relative to the order's size: break-even at rf, and |bank profit| at a root
    size = np.maximum(1.0, np.abs(np.broadcast_to(np.asarray(values.get("q", 1.0), dtype=float), (n,))))
    scale = 1e-12 * size
    out = np.where(f_rf >= -scale, rf, np.nan)
    rows = np.nonzero(~(f_rf >= -scale))[0]
    if len(rows) == 0:
        return out
    steps = 1e-3 * 4.0 ** np.arange(int(np.ceil(np.log(r_max / 1e-3) / np.log(4.0))) + 1)
    ladder = rf[rows, None] + steps
    F = bank(rows, ladder)
    pos = F >= 0
    found = pos.any(axis=1)
    rows, ladder, F, pos = rows[found], ladder[found], F[found], pos[found]
    j = np.argmax(pos, axis=1)
    r_ = np.arange(len(rows))
    lo = np.where(j > 0, ladder[r_, np.maximum(j - 1, 0)], rf[rows])
    f_lo = np.where(j > 0, F[r_, np.maximum(j - 1, 0)], f_rf[rows])
    hi, f_hi = ladder[r_, j], F[r_, j]
    # the iterate with the smallest |bank profit| seen is the answer
    best, best_abs = hi.copy(), np.abs(f_hi)
    tol_f = 1e-13 * size[rows]
    active = np.ones(len(rows), dtype=bool)
    for _ in range(100):
        active &= ((hi - lo) > 1e-14 * np.maximum(1.0, hi)) & (best_abs > tol_f)
        idx = np.nonzero(active)[0]
        if len(idx) == 0:
            break
        a, b, fa, fb = lo[idx], hi[idx], f_lo[idx], f_hi[idx]
        W = b - a
        with np.errstate(divide="ignore", invalid="ignore"):
            est = b - fb * W / (fb - fa)
        est = np.where((est > a) & (est < b), est, a + 0.5 * W)
        delta = 1e-3 * W
        pts = np.sort(np.column_stack([np.clip(est - delta, a, b), np.clip(est + delta, a, b), a + 0.5 * W]), axis=1)
        fp = bank(rows[idx], pts)
        closer = np.abs(fp) < best_abs[idx, None]
        k = np.argmin(np.where(closer, np.abs(fp), np.inf), axis=1)
        ri = np.arange(len(idx))
        gain = closer[ri, k]
        best[idx] = np.where(gain, pts[ri, k], best[idx])
        best_abs[idx] = np.where(gain, np.abs(fp[ri, k]), best_abs[idx])
        # the first evaluated point at which the profit is >= 0 closes the bracket
        up = fp >= 0
        first = np.where(up.any(axis=1), np.argmax(up, axis=1), 3)
        new_hi = np.where(first < 3, pts[ri, np.minimum(first, 2)], b)
        new_fhi = np.where(first < 3, fp[ri, np.minimum(first, 2)], fb)
        new_lo = np.where(first > 0, pts[ri, np.maximum(first - 1, 0)], a)
        new_flo = np.where(first > 0, fp[ri, np.maximum(first - 1, 0)], fa)
        lo[idx], hi[idx], f_lo[idx], f_hi[idx] = new_lo, new_hi, new_flo, new_fhi
    out[rows] = best
    return out


def retailer_objective(model: Model, demand: Demand | str, values: Mapping[str, object]) -> np.ndarray:
    """R's expected profit for a batch of decisions (``q``, ``e`` arrays).

    Under competitive pricing the rate is each loan's break-even rate; a loan
    that no rate finances is unavailable (:data:`UNAVAILABLE`).
    """
    if model.rate == "competitive":
        if not model.shares_rate_risk:
            ev = expected_batch(model, demand, {**values, "r": values["rf"]})
            return ev["retailer"] + ev["bank"]
        r = breakeven_rates(model, demand, values)
        ok = np.isfinite(r)
        ev = expected_batch(model, demand, {**values, "r": np.where(ok, r, values["rf"])})
        return np.where(ok, ev["retailer"], UNAVAILABLE)
    return expected_batch(model, demand, values)["retailer"]


# -- batched maximisers: many independent problems evaluated as one batch ------

def _rows_values(values: Mapping[str, object], rows: np.ndarray, k: int) -> dict:
    """``values`` restricted to ``rows``, each row's entries repeated ``k`` times."""
    out = {}
    for key, v in values.items():
        if np.ndim(v):
            out[key] = np.repeat(np.asarray(v, dtype=float)[rows], k)
        else:
            out[key] = v
    return out


def _zoom_rows(fun, lo, hi, x0, width, n: int = 10, tol: float = 1e-13):
    """:func:`_zoom_1d` for many rows at once; ``fun(rows, X)`` maps an
    ``(len(rows), k)`` array of points to their values.

    The bracket of the derivative's sign change is shrunk by evaluating the
    central difference at evenly spaced points plus two points just either
    side of the secant estimate of its root (exact for the piecewise-linear
    derivative of uniform demand), so a bracket usually shrinks by a factor
    of thousands per batch instead of ``n + 1``.
    """
    m = len(x0)
    a, b = np.maximum(lo, x0 - width), np.minimum(hi, x0 + width)
    h = 1e-5 * np.maximum(1.0, hi - lo)
    xs_tol = tol * np.maximum(1.0, np.abs(hi))
    da, db = np.full(m, np.nan), np.full(m, np.nan)
    for _ in range(60):
        rows = np.nonzero(b - a > xs_tol)[0]
        if len(rows) == 0:
            break
        A_, B_, H_ = a[rows], b[rows], h[rows]
        W = B_ - A_
        with np.errstate(divide="ignore", invalid="ignore"):
            est = A_ + da[rows] * W / (da[rows] - db[rows])
        guided = np.isfinite(est) & (da[rows] > 0) & (db[rows] <= 0)
        nu = n - 2
        t = np.linspace(0.0, 1.0, nu + 2)[1:-1]
        pts = A_[:, None] + W[:, None] * t
        delta = 1e-4 * W + 0.5 * xs_tol[rows]
        e = np.where(guided, est, A_ + 0.5 * W)
        g1 = np.where(guided, np.clip(e - delta, A_ + 0.25 * xs_tol[rows], B_), A_ + W / (2 * (nu + 1)))
        g2 = np.where(guided, np.clip(e + delta, A_, B_ - 0.25 * xs_tol[rows]), B_ - W / (2 * (nu + 1)))
        pts = np.sort(np.column_stack([pts, g1, g2]), axis=1)
        lo_r, hi_r = lo[rows][:, None], hi[rows][:, None]
        vals = fun(rows, np.concatenate([np.maximum(pts - H_[:, None], lo_r), np.minimum(pts + H_[:, None], hi_r)], axis=1))
        d = vals[:, n:] - vals[:, :n]
        neg = d <= 0
        anyneg = neg.any(axis=1)
        j = np.where(anyneg, np.argmax(neg, axis=1), n)
        r_ = np.arange(len(rows))
        # all positive: the maximum lies right of the last point
        new_a = np.where(j > 0, pts[r_, np.maximum(j - 1, 0)], A_)
        new_da = np.where(j > 0, d[r_, np.maximum(j - 1, 0)], da[rows])
        new_b = np.where(j < n, pts[r_, np.minimum(j, n - 1)], B_)
        new_db = np.where(j < n, d[r_, np.minimum(j, n - 1)], db[rows])
        a[rows], b[rows], da[rows], db[rows] = new_a, new_b, new_da, new_db
    cands = np.column_stack([a, 0.5 * (a + b), b])
    all_rows = np.arange(m)
    cv = fun(all_rows, cands)
    k = np.argmax(cv, axis=1)
    x, v = cands[all_rows, k], cv[all_rows, k]
    # a smooth maximum drops by O(h^2) to each side, a kink by O(h): only a
    # kink needs the value zoom
    probe = fun(all_rows, np.clip(np.column_stack([x - h, x + h, x - h / 2, x + h / 2]), lo[:, None], hi[:, None]))
    drop1, drop2 = v - 0.5 * (probe[:, 0] + probe[:, 1]), v - 0.5 * (probe[:, 2] + probe[:, 3])
    kink = ~((drop1 > 3.0 * drop2) & (drop2 >= 0))
    if kink.any():
        kr = np.nonzero(kink)[0]
        xk, vk = _value_zoom_rows(fun, kr, lo[kr], hi[kr], x[kr], v[kr], 2 * h[kr], xs_tol[kr])
        gain = vk > v[kr] + 1e-12 * np.maximum(1.0, np.abs(v[kr]))
        x[kr] = np.where(gain, xk, x[kr])
        v[kr] = np.where(gain, vk, v[kr])
    return x, v


def _value_zoom_rows(fun, rows, lo, hi, x, v, half, xs_tol, n: int = 16, iters: int = 14):
    """Zoom on values (a kink or a jump): grid, keep the best cell's neighbours."""
    a2, b2 = np.maximum(lo, x - half), np.minimum(hi, x + half)
    best_x, best_v = x.copy(), v.copy()
    active = np.ones(len(rows), dtype=bool)
    t = np.linspace(0.0, 1.0, n + 1)
    for _ in range(iters):
        idx = np.nonzero(active)[0]
        if len(idx) == 0:
            break
        xs = a2[idx, None] + (b2 - a2)[idx, None] * t
        vs = fun(rows[idx], xs)
        j = np.argmax(vs, axis=1)
        r_ = np.arange(len(idx))
        vj = vs[r_, j]
        up = vj > best_v[idx]
        best_x[idx] = np.where(up, xs[r_, j], best_x[idx])
        best_v[idx] = np.where(up, vj, best_v[idx])
        a2[idx], b2[idx] = xs[r_, np.maximum(j - 1, 0)], xs[r_, np.minimum(j + 1, n)]
        active[idx] = b2[idx] - a2[idx] > xs_tol[idx]
    return best_x, best_v


def _top_local_maxima(vals: np.ndarray, count: int = 2) -> np.ndarray:
    """Column indices of each row's ``count`` best grid local maxima (repeated if fewer)."""
    pad = np.full((vals.shape[0], 1), -np.inf)
    left = np.concatenate([pad, vals[:, :-1]], axis=1)
    right = np.concatenate([vals[:, 1:], pad], axis=1)
    local = (vals >= left) & (vals >= right)
    score = np.where(local, vals, -np.inf)
    order = np.argsort(-score, axis=1, kind="stable")[:, :count]
    best = order[:, :1]
    rows = np.arange(vals.shape[0])[:, None]
    return np.where(np.isfinite(score[rows, order]), order, best)


def _maximise_rows(fun, lo, hi, n: int = 80, basins: int = 2):
    """Global maximum of each row's 1-d function on ``[lo, hi]``.

    A grid picks the ``basins`` best local maxima of each row (a kink such as
    a sales target separates two basins whose grid values can be ordered
    differently from their maxima); each is zoomed on, and the higher
    refined maximum wins.
    """
    m = len(lo)
    rows = np.arange(m)
    xs = lo[:, None] + (hi - lo)[:, None] * np.linspace(0.0, 1.0, n + 1)
    vals = fun(rows, xs)
    idx = _top_local_maxima(vals, basins)                       # (m, basins)
    distinct = np.any(idx != idx[:, :1], axis=1)
    # rows to refine: every row's best basin, plus the runner-up where there is one
    src = np.concatenate([rows] + [rows[distinct]] * (basins - 1))
    col = np.concatenate([idx[:, 0]] + [idx[distinct, j] for j in range(1, basins)])
    x0, v0 = xs[src, col], vals[src, col]

    def sub(rs, X):
        return fun(src[rs], X)

    width = (hi - lo)[src] / n
    x, v = _zoom_rows(sub, lo[src], hi[src], x0.copy(), width)
    # the zoom follows the derivative's first sign change in the bracket; where the bracket holds a
    # convex kink (a sales target) that change can be a minimum's edge and the zoom ends below the grid
    # point: a zoom on values around the grid point finds the maximum there
    # (worse by more than the rounding of the row's profits: near-flat profits, at the edge of participation,
    # are all rounding)
    scale = np.max(np.where(np.isfinite(vals), np.abs(vals), 0.0), axis=1)[src]
    worse = np.nonzero(v < v0 - 1e-9 * np.maximum(1.0, scale))[0]
    if len(worse):
        xs_tol = 1e-13 * np.maximum(1.0, np.abs(hi[src][worse]))
        xk, vk = _value_zoom_rows(sub, worse, lo[src][worse], hi[src][worse], x0[worse], v0[worse], width[worse],
                                  xs_tol)
        x[worse], v[worse] = xk, vk
    # the zoom's point is the derivative's zero: keep it unless the grid point
    # is better by more than rounding (near the maximum values cannot tell)
    keep = v >= v0 - 1e-12 * np.maximum(1.0, np.abs(v0))
    x, v = np.where(keep, x, x0), np.where(keep, v, v0)
    bx, bv = np.full(m, np.nan), np.full(m, -np.inf)
    for j in range(len(src)):
        r = src[j]
        if v[j] > bv[r]:
            bx[r], bv[r] = x[j], v[j]
    return bx, bv


def _newton_rows(fun, x0, lo, hi, h, iters: int = 40):
    """Polish each row's 2-d maximum by guarded Newton steps on central differences.

    ``fun(rows, X)`` maps ``(len(rows), k, 2)`` points to ``(len(rows), k)``
    values.  Central differences are exact for piecewise-quadratic profits,
    so a full Newton step is taken whenever the Hessian is negative definite
    and the step does not lose more than rounding; otherwise the best of a
    halving line search along the step (or the scaled gradient) is kept.
    """
    m = len(x0)
    x = np.array(x0, dtype=float)
    lo, hi = np.broadcast_to(lo, (m, 2)), np.broadcast_to(hi, (m, 2))
    hq, he = h
    offs = np.array([[0, 0], [hq, 0], [-hq, 0], [0, he], [0, -he], [hq, he], [hq, -he], [-hq, he], [-hq, -he]])
    ts = 0.5 ** np.arange(12)
    active = np.ones(m, dtype=bool)
    scale = 1e-12 * max(1.0, float(np.max(hi)))
    fx = np.full(m, -np.inf)
    for _ in range(iters):
        idx = np.nonzero(active)[0]
        if len(idx) == 0:
            break
        xi = x[idx]
        pts = np.clip(xi[:, None, :] + offs, lo[idx, None, :], hi[idx, None, :])
        f = fun(idx, pts)
        f0 = f[:, 0]
        fx[idx] = f0
        dq = pts[:, 1, 0] - pts[:, 2, 0]
        de = pts[:, 3, 1] - pts[:, 4, 1]
        dq = np.where(dq == 0, 1.0, dq)
        de = np.where(de == 0, 1.0, de)
        g0, g1 = (f[:, 1] - f[:, 2]) / dq, (f[:, 3] - f[:, 4]) / de
        H00 = (f[:, 1] - 2 * f0 + f[:, 2]) / (dq / 2) ** 2
        H11 = (f[:, 3] - 2 * f0 + f[:, 4]) / (de / 2) ** 2
        H01 = (f[:, 5] - f[:, 6] - f[:, 7] + f[:, 8]) / (dq * de)
        det = H00 * H11 - H01 * H01
        neg_def = (H00 < 0) & (H11 < 0) & (det > 0) & np.isfinite(det)
        with np.errstate(divide="ignore", invalid="ignore"):
            s0 = np.where(neg_def, -(H11 * g0 - H01 * g1) / det, g0 * hq / (np.abs(g0) + 1e-300))
            s1 = np.where(neg_def, -(-H01 * g0 + H00 * g1) / det, g1 * he / (np.abs(g1) + 1e-300))
        step = np.column_stack([s0, s1])
        step = np.where(np.isfinite(step), step, 0.0)
        cand = np.clip(xi[:, None, :] + ts[None, :, None] * step[:, None, :], lo[idx, None, :], hi[idx, None, :])
        fc = fun(idx, cand)
        k = np.argmax(fc, axis=1)
        r_ = np.arange(len(idx))
        tol = 1e-12 * np.maximum(1.0, np.abs(f0))
        full_ok = neg_def & (fc[:, 0] >= f0 - tol)
        k = np.where(full_ok, 0, k)
        fk = fc[r_, k]
        moved_ok = full_ok | (fk > f0)
        new = cand[r_, k]
        moved = np.max(np.abs(new - xi), axis=1)
        x[idx] = np.where(moved_ok[:, None], new, xi)
        fx[idx] = np.where(moved_ok, fk, f0)
        active[idx] = moved_ok & (moved >= scale)
    return x, fx


def retailer_responses(model: Model, demand: Demand | str, values: Mapping[str, object], q_max: float) -> dict[str, np.ndarray]:
    """:func:`retailer_response` for a batch of parameter points.

    ``values`` maps names to floats or equal-length 1-d arrays (one entry per
    point, e.g. the leader's candidate prices); every point's problem is
    solved independently, all of them in the same batches.
    """
    free = [d for d in model.follower if d not in values]
    if not free:
        return {}
    m = max((np.size(v) for v in values.values()), default=1)
    base = dict(values)

    def objective(rows, decisions):
        k = next(iter(decisions.values())).shape[1]
        pv = _rows_values(base, rows, k)
        for name, arr in decisions.items():
            pv[name] = arr.ravel()
        return retailer_objective(model, demand, pv).reshape(len(rows), k)

    if len(free) == 1:
        name = free[0]
        top = q_max if name == "q" else model.decision_range(name, values)[1]
        hi = np.broadcast_to(np.asarray(top, dtype=float), (m,)).copy()
        lo = np.zeros(m)
        fun = lambda rows, X: objective(rows, {name: X})  # noqa: E731
        x, fx = _maximise_rows(fun, lo, hi)
        if name == model.follower[0]:
            x, fx = _split_at_convex_kinks(model, base, fun, x, fx, lo, hi)
        if name == model.follower[0]:
            atoms = get_demand(demand).atoms
            if atoms is not None and len(model.follower) == 1:  # demand not moved by a retailer decision
                x = _snap_to_atoms(lambda rows, X: objective(rows, {name: X}), x, fx, atoms)
            x = _at_kinks(model, base, objective, x, fx, lo, hi)
        return {name: x}
    other = free[1]  # the second retailer decision (effort): its range and the demand it moves declared by its clause
    e_max = np.broadcast_to(np.asarray(model.decision_range(other, values)[1], dtype=float), (m,))
    nq = 48
    # effort levels: evenly spaced, and geometrically spaced near 0, where the optimal effort sits when the
    # margins are thin (an effort range set by the largest worthwhile effort is far wider than the optimum)
    levels = np.unique(np.concatenate([np.linspace(0.0, 1.0, 25), np.geomspace(1e-6, 1.0 / 48, 8)]))
    ne = len(levels) - 1
    te, tq = np.meshgrid(levels, np.linspace(0.0, 1.0, nq + 1), indexing="ij")
    te, tq = te.ravel(), tq.ravel()
    E_ = e_max[:, None] * te
    Q_ = tq * model.demand_at(q_max, {**values, other: E_})

    def f2(rows, X):
        return objective(rows, {"q": X[..., 0], other: X[..., 1]})

    rows = np.arange(m)
    vals = f2(rows, np.stack([Q_, E_], axis=-1))
    # the two best local maxima of the grid (4-neighbourhood), refined each
    g = vals.reshape(m, ne + 1, nq + 1)
    padded = np.pad(g, ((0, 0), (1, 1), (1, 1)), constant_values=-np.inf)
    local = ((g >= padded[:, :-2, 1:-1]) & (g >= padded[:, 2:, 1:-1])
             & (g >= padded[:, 1:-1, :-2]) & (g >= padded[:, 1:-1, 2:])).reshape(m, -1)
    score = np.where(local, vals, -np.inf)
    order = np.argsort(-score, axis=1, kind="stable")[:, :2]
    k1 = np.argmax(vals, axis=1)
    second = np.isfinite(score[rows, order[:, 1]]) & (order[:, 1] != k1)
    src = np.concatenate([rows, rows[second]])
    col = np.concatenate([k1, order[second, 1]])
    x0 = np.column_stack([Q_[src, col], E_[src, col]])
    hi = np.column_stack([model.demand_at(q_max, {**values, other: e_max}), e_max])[src]
    h = (1e-4 * max(1.0, q_max), 1e-4 * max(1.0, float(np.max(e_max))))
    x, fx = _newton_rows(lambda rs, X: f2(src[rs], X), x0, np.zeros((len(src), 2)), hi, h)
    best = x[:m].copy()
    bv = fx[:m].copy()
    for j in range(m, len(src)):
        r = src[j]
        if fx[j] > bv[r]:
            best[r], bv[r] = x[j], fx[j]
    # (the first m rows of src are the points themselves, in order)
    best, bv = _split_at_convex_kinks_2d(model, base, f2, best, bv, Q_, E_, vals, hi[:m], h)
    return {"q": best[:, 0], other: best[:, 1]}


def _convex(f):
    """Rows whose profit at ``(kink - h, kink, kink + h)`` (columns of ``f``) kinks convexly: below the chord."""
    return f[:, 1] < 0.5 * (f[:, 0] + f[:, 2]) - 1e-12 * np.maximum(1.0, np.abs(f[:, 1]))


def _split_at_convex_kinks_2d(model, values, fun, x, fx, Q, E, grid_vals, hi_all, h):
    """Each row's (order, effort), searched again on either side of a convex kink in the order.

    The two-decision counterpart of :func:`_split_at_convex_kinks`: at a sales target ``q = T`` the
    retailer's profit can have a maximum on each side of the kink, closer together than one grid cell
    (the grid then shows one basin and the Newton polish settles in the worse one).  Where the kink is
    convex at the current best effort, the best grid point on each side seeds a Newton polish bounded
    to that side; a side's maximum replaces the current one only where it pays strictly more.
    """
    m = len(x)
    for kink in model.kinks(values):
        k = np.broadcast_to(np.asarray(kink, dtype=float), (m,))
        inside = np.nonzero(np.isfinite(k) & (k > 0) & (k < hi_all[:, 0]))[0]
        if len(inside) == 0:
            continue
        kk = k[inside]
        hq = 1e-6 * np.maximum(1.0, hi_all[inside, 0])
        e = x[inside, 1]
        f = fun(inside, np.stack([np.column_stack([kk - hq, kk, kk + hq]), np.column_stack([e, e, e])], axis=-1))
        sel = inside[_convex(f)]
        if len(sel) == 0:
            continue
        for below in (True, False):
            side = (Q[sel] < k[sel, None]) if below else (Q[sel] > k[sel, None])
            score = np.where(side, grid_vals[sel], -np.inf)
            j = np.argmax(score, axis=1)
            ok = np.isfinite(score[np.arange(len(sel)), j])
            if not ok.any():
                continue
            r = sel[ok]
            x0 = np.column_stack([Q[r, j[ok]], E[r, j[ok]]])
            lo = np.column_stack([np.zeros(len(r)) if below else k[r], np.zeros(len(r))])
            hi = np.column_stack([k[r] if below else hi_all[r, 0], hi_all[r, 1]])
            xs, vs = _newton_rows(lambda rs, X, r=r: fun(r[rs], X), x0, lo, hi, h)
            better = vs > fx[r]
            x[r[better]], fx[r[better]] = xs[better], vs[better]
    return x, fx


def _split_at_convex_kinks(model, values, fun, x, fx, lo, hi):
    """Each row's order, searched again on either side of a convex kink of the retailer's profit.

    At a convex kink (a sales target: the rebate starts, the slope jumps up) the profit can have a
    maximum on each side within one grid cell, and a search of the whole range may settle on the
    lower one; between kinks the profit is smooth, so each side is searched on its own.  A concave
    kink (own capital spent, borrowing starts) makes no second maximum and costs one probe.
    """
    m = len(x)
    for kink in model.kinks(values):
        k = np.broadcast_to(np.asarray(kink, dtype=float), (m,))
        inside = np.nonzero(np.isfinite(k) & (k > lo) & (k < hi))[0]
        if len(inside) == 0:
            continue
        kk = k[inside]
        h = 1e-6 * np.maximum(1.0, hi[inside])
        rows = inside[_convex(fun(inside, np.column_stack([kk - h, kk, kk + h])))]
        if len(rows) == 0:
            continue

        def sub(rs, X, rows=rows):
            return fun(rows[rs], X)

        for a, b in ((lo[rows], k[rows]), (k[rows], hi[rows])):
            xs, vs = _maximise_rows(sub, a.copy(), b.copy())
            better = vs > fx[rows]
            x[rows[better]], fx[rows[better]] = xs[better], vs[better]
    return x, fx


def _at_kinks(model, values, objective, x, fx, lo, hi):
    """Each row's order, replaced by a kink of the retailer's profit where the kink is its optimum.

    A kink (the order that spends exactly the retailer's own capital, a
    sales target) is a point to evaluate exactly, not to approach: a local
    search converges to it only to the precision of its last bracket.  A
    kink replaces the search's order where it is a local maximum (no higher
    value a step ``h`` to either side) and earns at least what the search
    found, up to the search's own precision; a kink that is not a local
    maximum is never taken, however close its value.
    """
    m = len(x)
    rows = np.arange(m)
    best, best_f = x.copy(), np.asarray(fx, dtype=float).copy()
    for kink in model.kinks(values):
        k = np.broadcast_to(np.asarray(kink, dtype=float), (m,))
        ok = np.isfinite(k) & (k > lo) & (k < hi)
        if not ok.any():
            continue
        idx = rows[ok]
        kk = k[ok]
        h = 1e-7 * np.maximum(1.0, np.abs(kk))
        f = objective(idx, {model.follower[0]: np.column_stack([kk - h, kk, kk + h])})
        local_max = (f[:, 1] >= f[:, 0]) & (f[:, 1] >= f[:, 2])
        close = f[:, 1] >= best_f[idx] - 1e-9 * np.maximum(1.0, np.abs(best_f[idx]))
        take = local_max & close
        best[idx[take]] = kk[take]
        best_f[idx[take]] = np.maximum(f[take, 1], best_f[idx[take]])
    return best


def _snap_to_atoms(fun, x, v, atoms):
    """The order at the nearest observations of a discrete demand where that pays as much.

    Under empirical demand the expected profit is piecewise linear in the order, with
    kinks at the observations: its maximum lies on a kink, which the numeric zoom finds
    only to its tolerance.  The two observations around each row's optimum are
    evaluated and taken where they do not pay less (up to rounding).
    """
    j = np.clip(np.searchsorted(atoms, x), 1, len(atoms) - 1)
    cands = np.column_stack([atoms[j - 1], atoms[j]])
    cv = fun(np.arange(len(x)), cands)
    k = np.argmax(cv, axis=1)
    best_v = cv[np.arange(len(x)), k]
    ok = best_v >= v - 1e-12 * np.maximum(1.0, np.abs(v))
    return np.where(ok, cands[np.arange(len(x)), k], x)


def retailer_response(model: Model, demand: Demand | str, values: Mapping[str, float], q_max: float) -> dict[str, float]:
    """The retailer's globally best order (and effort) at numbers.

    A grid over the whole box (evaluated as one batch) picks the basin; a
    derivative-sign zoom (one decision) or guarded Newton steps (order and
    effort) refine it.  No first-order condition of the engine is used.
    """
    fixed = {d: values[d] for d in model.follower if d in values}
    out = retailer_responses(model, demand, {**values, **fixed}, q_max)
    return {k: float(v[0]) for k, v in out.items()}


def q_bound(demand: Demand | str, values: Mapping[str, float]) -> float:
    """Upper end of the numeric search for the order (:meth:`Demand.q_bound`)."""
    return _demand(demand).q_bound(values)
