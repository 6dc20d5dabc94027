"""Brute force: an evaluator and a Stackelberg solver that share nothing with the engine or the fallback.

The check of an answer must not be the computation that produced it
(issue 10, item 5).  The engine derives closed forms region by region
(:mod:`scfin.derive`); its numeric fallback (:mod:`scfin.numeric.stackelberg`)
integrates affine pieces exactly (:func:`scfin.numeric.profits.expected`) and
refines by Newton steps and derivative-sign zooms.  This module uses neither:

* **Expected profits** by composite Gauss-Legendre quadrature of the
  *realised* cash flows, :func:`scfin.spec.clauses.settle` evaluated on NumPy
  arrays of demand nodes (:class:`ArrayOutcome`).  The support of the base
  demand is split at every kink of the realised flows: the outcome records
  the argument of every ``minimum``/``positive``/``below`` the clauses take
  (its *switch functions*), and each switch function's sign changes between
  nodes are located by linear interpolation, switch by switch, with the
  roots already found added as nodes first.  A switch function's own kinks
  are earlier switches' roots, so where the flows are piecewise affine in
  demand (every contract of docs/specification.md sections 4 and 6a,
  additive or multiplicative effort) each root is exact and the quadrature
  is exact to rounding; elsewhere it is a high-order composite rule.
  Random execution (``lam``) is a two-point quadrature (executed or not).
* **The competitive rate** by its definition (docs/specification.md section
  4): the smallest ``r >= rf`` at which the bank's expected profit, computed
  by this quadrature, is zero; a doubling ladder brackets it and the
  Illinois variant of regula falsi refines it.
* **The retailer's response** by a global grid over its whole admissible box
  (``q`` from 0 to the largest demand, every other retailer decision over
  :meth:`~scfin.spec.models.Model.decision_range`), corners and every kink
  order of :meth:`~scfin.spec.models.Model.kinks` (``q = eta/w``, ``q = T``)
  included exactly, then a pattern-search zoom (derivative-free) and a
  guarded parabolic step.
* **The leader's decisions** by a grid over their admissible box
  (:meth:`~scfin.spec.models.Model.leader_bounds`, else
  :meth:`~scfin.spec.models.Model.decision_range`), corners included, each
  candidate answered by the retailer's global response, infeasible where the
  retailer earns less than its reservation profit
  (:attr:`~scfin.spec.models.Model.participation`) or no rate finances the
  loan; then the same zoom, which converges to a supremum on the edge of the
  feasible set as well as to an interior maximum.

Every stage works on batches (one NumPy evaluation for many candidates).
Bank-leader (a third level over ``r``) is not searched here: the caller
checks the lower two levels at the bank's rate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np
from scipy import special

from scfin.spec.clauses import settle
from scfin.spec.models import Model

#: keys of :func:`expected` besides the parties
EVENTS = ("sales", "leftover", "default", "loan", "guarantee")
PARTIES = ("retailer", "manufacturer", "bank")


# ---------------------------------------------------------------------------
# demand: support and density of the base demand
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Base:
    """The base demand's (truncated) support, density, coarse cells and nodes per panel."""

    lo: np.ndarray
    hi: np.ndarray
    cells: int
    order: int
    kind: str
    params: tuple

    def density(self, x):
        if self.kind == "uniform":
            (A,) = self.params
            return np.where((x >= 0) & (x <= A), 1.0 / A, 0.0)
        if self.kind == "normal":
            mu, sigma = self.params
            z = (x - mu) / sigma
            return np.exp(-0.5 * z * z) / (sigma * math.sqrt(2 * math.pi))
        (theta,) = self.params
        return np.where(x >= 0, np.exp(-np.maximum(x, 0) / theta) / theta, 0.0)

    def tail(self):
        """Probability mass outside the truncated support (0 for uniform)."""
        if self.kind == "normal":
            return 2 * special.ndtr(-12.0)
        if self.kind == "exponential":
            return math.exp(-50.0)
        return 0.0


def _col(v):
    """A value as a column (candidates along axis 0) so it broadcasts against nodes."""
    a = np.asarray(v, dtype=float)
    return a.reshape(-1, 1) if a.ndim == 1 else a


def base_demand(demand: str, values: Mapping[str, object]) -> _Base:
    if demand == "uniform":
        A = _col(values["A"])
        return _Base(np.zeros_like(A), A, 8, 4, "uniform", (A,))
    if demand == "normal":
        mu, sigma = _col(values["mu"]), _col(values["sigma"])
        return _Base(mu - 12 * sigma, mu + 12 * sigma, 96, 8, "normal", (mu, sigma))
    if demand == "exponential":
        theta = _col(values["theta"])
        return _Base(np.zeros_like(theta), 50 * theta, 128, 8, "exponential", (theta,))
    raise ValueError(f"demand {demand!r} has no numbers: choose uniform, normal or exponential")


def demand_top(model: Model, demand: str, values: Mapping[str, object]):
    """The largest (truncated) demand at ``values``: the order beyond which nothing more is sold."""
    base = base_demand(demand, values)
    return model.demand_at(base.hi.ravel() if np.ndim(base.hi) else base.hi, values)


# ---------------------------------------------------------------------------
# realised flows on arrays, with every switch recorded
# ---------------------------------------------------------------------------

class ArrayOutcome:
    """Settlement on a (candidates x nodes) array of base demands; records every switch function.

    A *switch function* is the argument whose sign a ``minimum``,
    ``positive`` or ``below`` tests; the realised flows are smooth in demand
    wherever no switch function changes sign.
    """

    def __init__(self, x: np.ndarray, executed: float, record: bool = False):
        self.x = x
        self.executed = executed
        self.switches: list[np.ndarray] | None = [] if record else None

    def _rec(self, d):
        if self.switches is not None:
            self.switches.append(np.broadcast_to(np.asarray(d, dtype=float), self.x.shape))

    def positive(self, a):
        self._rec(a)
        return np.maximum(a, 0.0)

    def minimum(self, a, b):
        self._rec(np.asarray(a) - np.asarray(b))
        return np.minimum(a, b)

    def below(self, a, b):
        self._rec(np.asarray(b) - np.asarray(a))
        return (np.asarray(a) < np.asarray(b)).astype(float)


def _prepared(model: Model, values: Mapping[str, object]) -> dict:
    P = {k: (_col(v) if np.ndim(v) else float(v)) for k, v in values.items()}
    for name, target in model.fixed.items():
        P[name] = P[target]
    P.setdefault("rf", 0.0)
    return P


def _breakpoints(model: Model, P, base: _Base, executed: float, n: int) -> np.ndarray:
    """Sorted quadrature breakpoints per candidate: support ends, coarse cells, every switch root.

    Fixed-point passes: each pass settles the flows on the current nodes and
    places every switch function's roots by linear interpolation between
    adjacent nodes; the next pass adds them as nodes.  A switch whose kinks
    are all nodes is affine between nodes (piecewise-affine flows), so its
    roots are exact once the switches it is built from are; the passes stop
    when no root moves (at most one pass per switch function).
    """
    t = np.linspace(0.0, 1.0, base.cells + 1)
    lo = np.broadcast_to(base.lo, (n, 1))
    hi = np.broadcast_to(base.hi, (n, 1))
    coarse = lo + (hi - lo) * t
    span = np.maximum(1.0, np.abs(hi - lo))
    roots = None
    for _ in range(64):
        pts = coarse if roots is None else np.sort(np.concatenate([coarse, roots], axis=1), axis=1)
        o = ArrayOutcome(pts, executed, record=True)
        settle(model.clauses, o, P)
        found = []
        x0, x1 = pts[:, :-1], pts[:, 1:]
        for f in o.switches:
            f0, f1 = f[:, :-1], f[:, 1:]
            change = ((f0 < 0) & (f1 > 0)) | ((f0 > 0) & (f1 < 0))
            if not change.any():
                continue
            with np.errstate(divide="ignore", invalid="ignore"):
                r = x0 - f0 * (x1 - x0) / (f1 - f0)
            r = np.where(change, np.clip(r, x0, x1), np.inf)
            # at most two roots of one switch per candidate (every switch of the
            # contracts here is monotone in demand; more would be a wiggle)
            found.append(np.sort(r, axis=1)[:, :2])
        if not found:
            return pts
        new = np.concatenate(found, axis=1)
        # a root already among the nodes (to rounding) adds nothing; stop when none is new
        dist = np.min(np.abs(new[:, :, None] - pts[:, None, :]), axis=2)
        fresh = np.isfinite(new) & (dist > 1e-12 * span)
        if not fresh.any():
            return pts
        keep = fresh.any(axis=0)
        add = np.where(fresh[:, keep], new[:, keep], hi)
        roots = add if roots is None else np.concatenate([roots, add], axis=1)
    return pts


_GAUSS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _gauss(order: int):
    if order not in _GAUSS:
        _GAUSS[order] = np.polynomial.legendre.leggauss(order)
    return _GAUSS[order]


def expected(model: Model, demand: str, values: Mapping[str, object]) -> dict[str, np.ndarray]:
    """Every party's expected profit (and events) by quadrature of the realised flows.

    ``values`` maps every parameter and decision to a float or a 1-d array
    (one entry per candidate).  Returns arrays of the common length.
    """
    n = max((np.size(v) for v in values.values()), default=1)
    P = _prepared(model, values)
    base = base_demand(demand, values)
    g, wg = _gauss(base.order)
    if model.random_execution:
        lam = np.broadcast_to(np.asarray(values.get("lam", 1.0), dtype=float), (n,))
        scenarios = ((1.0, lam), (0.0, 1.0 - lam))
    else:
        scenarios = ((1.0, np.ones(n)),)
    out: dict[str, np.ndarray] = {}
    for executed, weight in scenarios:
        if not np.any(weight > 0):
            continue
        bp = _breakpoints(model, P, base, executed, n)
        a, b = bp[:, :-1, None], bp[:, 1:, None]
        half = (b - a) / 2
        x = ((a + b) / 2 + half * g).reshape(n, -1)
        w = (half * wg).reshape(n, -1) * base.density(x)
        flows = settle(model.clauses, ArrayOutcome(x, executed), P)
        for key, val in flows.items():
            arr = np.broadcast_to(np.asarray(val, dtype=float), x.shape)
            out[key] = out.get(key, 0.0) + weight * np.sum(arr * w, axis=1)
    for key in PARTIES:
        out.setdefault(key, np.zeros(n))
        out[key] = np.broadcast_to(np.asarray(out[key], dtype=float), (n,))
    out["chain"] = out["retailer"] + out["manufacturer"] + out["bank"]
    return out


def expected_at(model: Model, demand: str, values: Mapping[str, float]) -> dict[str, float]:
    """:func:`expected` at one point, as floats."""
    ev = expected(model, demand, {k: np.array([float(v)]) for k, v in values.items()})
    return {k: float(np.asarray(v).ravel()[0]) for k, v in ev.items()}


# ---------------------------------------------------------------------------
# the competitive rate: the bank's break-even, by its definition
# ---------------------------------------------------------------------------

def _exogenous(model: Model) -> Model:
    return model.with_options(rate="exogenous") if model.loan is not None else model


def breakeven(model: Model, demand: str, values: Mapping[str, object], r_max: float = 1e3) -> np.ndarray:
    """Smallest ``r >= rf`` with the bank's expected profit ``>= 0`` (``nan``: no rate finances the loan).

    The bank's profit as a function of ``r``: a ladder ``rf + 1e-3 * 2^k``
    brackets the first zero crossing; Illinois steps refine it to
    ``1e-13`` in the bank's profit relative to the loan (or ``1e-14`` in ``r``).
    """
    inner = _exogenous(model)
    n = max((np.size(v) for v in values.values()), default=1)
    V = {k: (np.broadcast_to(np.asarray(v, dtype=float), (n,)) if np.ndim(v) else float(v)) for k, v in values.items()}
    rf = np.broadcast_to(np.asarray(V.get("rf", 0.0), dtype=float), (n,))

    def bank(idx, r):
        sub = {k: (v[idx] if np.ndim(v) else v) for k, v in V.items()}
        sub["r"] = r
        return np.asarray(expected(inner, demand, sub)["bank"], dtype=float)

    everyone = np.arange(n)
    f_rf = bank(everyone, rf.copy())
    loan = np.broadcast_to(np.asarray(expected(inner, demand, {**V, "r": rf})["loan"], dtype=float), (n,))
    tol = 1e-12 * np.maximum(1.0, loan)
    out = np.where(f_rf >= -tol, rf, np.nan)
    todo = np.nonzero(~(f_rf >= -tol))[0]
    if len(todo) == 0:
        return out
    steps = 1e-3 * 4.0 ** np.arange(int(math.ceil(math.log(r_max / 1e-3, 4))) + 1)
    K = len(steps)
    idx = np.repeat(todo, K)
    ladder = (rf[todo, None] + steps[None, :]).ravel()
    F = bank(idx, ladder).reshape(len(todo), K)
    up = F >= 0
    found = up.any(axis=1)
    todo, F, up = todo[found], F[found], up[found]
    j = np.argmax(up, axis=1)
    rows = np.arange(len(todo))
    L = rf[todo, None] + steps[None, :]
    a = np.where(j > 0, L[rows, np.maximum(j - 1, 0)], rf[todo])
    fa = np.where(j > 0, F[rows, np.maximum(j - 1, 0)], f_rf[todo])
    b, fb = L[rows, j], F[rows, j]
    side = np.zeros(len(todo))
    for _ in range(60):
        live = (b - a > 1e-13 * np.maximum(1.0, b)) & (np.abs(fb) > tol[todo])
        if not live.any():
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            c = b - fb * (b - a) / (fb - fa)
        c = np.where(np.isfinite(c) & (c > a) & (c < b), c, 0.5 * (a + b))
        fc = bank(todo, c)
        # keep [a, b] with fa < 0 <= fb; Illinois: halve the stale end's value
        pos = fc >= 0
        b_new = np.where(pos, c, b)
        fb_new = np.where(pos, fc, fb)
        a_new = np.where(pos, a, c)
        fa_new = np.where(pos, fa, fc)
        fa_new = np.where(pos & (side == 1), fa_new / 2, fa_new)
        fb_new = np.where(~pos & (side == -1), fb_new / 2, fb_new)
        side = np.where(pos, 1, -1)
        a, fa = np.where(live, a_new, a), np.where(live, fa_new, fa)
        b, fb = np.where(live, b_new, b), np.where(live, fb_new, fb)
    out[todo] = b
    return out


# ---------------------------------------------------------------------------
# one level's objective
# ---------------------------------------------------------------------------

def outcome(model: Model, demand: str, values: Mapping[str, object], exact_rate: bool = True):
    """Expected profits at decisions (batched), the loan priced as the model's regime says.

    Returns ``(ev, r)``: ``ev`` from :func:`expected` with ``r`` the rate in
    force (``nan`` where no competitive rate finances the loan, profits then
    ``-inf``).  ``exact_rate=False`` (search only): under competitive
    pricing a model whose rate moves money between the retailer and the bank
    alone (:attr:`~scfin.spec.models.Model.shares_rate_risk` false) is
    evaluated at ``rf`` with the retailer credited the bank's profit, which
    is what it earns at the break-even rate; the final answer is always
    re-evaluated at the computed break-even rate.
    """
    n = max((np.size(v) for v in values.values()), default=1)
    inner = _exogenous(model)
    if model.rate == "competitive":
        rf = values.get("rf", 0.0)
        if not exact_rate and not model.shares_rate_risk:
            ev = expected(inner, demand, {**values, "r": rf})
            ev = dict(ev)
            ev["retailer"] = ev["retailer"] + ev["bank"]
            ev["bank"] = np.zeros(n)
            return ev, np.broadcast_to(np.asarray(rf, dtype=float), (n,))
        r = breakeven(model, demand, values)
        ok = np.isfinite(r)
        ev = dict(expected(inner, demand, {**values, "r": np.where(ok, r, np.broadcast_to(rf, (n,)))}))
        for p in PARTIES + ("chain",):
            ev[p] = np.where(ok, ev[p], -np.inf)
        return ev, r
    ev = expected(inner, demand, values)
    r = values.get("r") if model.loan is not None else None
    return ev, (None if r is None else np.broadcast_to(np.asarray(r, dtype=float), (n,)))


def reservation(model: Model, values: Mapping[str, object]) -> float:
    res = model.participation
    return float(values[res]) if isinstance(res, str) else float(res)


# ---------------------------------------------------------------------------
# the retailer's global response
# ---------------------------------------------------------------------------

def _rows(values, idx):
    return {k: (np.asarray(v)[idx] if np.ndim(v) else v) for k, v in values.items()}


def _zoom(fun, u0, f0, h0, levels, k, shrink):
    """Pattern-search zoom on ``[0, 1]^d`` for a batch of problems (maximise).

    ``fun(idx, U)``: values at points ``U`` (m x d) of problems ``idx``
    (``-inf`` where infeasible).  Each level evaluates the ``(2k+1)^d``
    lattice of spacing ``h/k`` around every problem's best point and shrinks
    ``h`` by ``shrink``; the best point ever seen is kept.
    """
    m, d = u0.shape
    offs = np.stack(np.meshgrid(*[np.arange(-k, k + 1) / k] * d, indexing="ij"), axis=-1).reshape(-1, d)
    u, f = u0.copy(), f0.copy()
    h = np.full(m, float(h0))
    for _ in range(levels):
        U = np.clip(u[:, None, :] + h[:, None, None] * offs[None, :, :], 0.0, 1.0)
        idx = np.repeat(np.arange(m), len(offs))
        vals = fun(idx, U.reshape(-1, d)).reshape(m, len(offs))
        j = np.argmax(vals, axis=1)
        best = vals[np.arange(m), j]
        better = best > f
        u = np.where(better[:, None], U[np.arange(m), j], u)
        f = np.where(better, best, f)
        h = h / shrink
    return u, f


@dataclass(frozen=True)
class Response:
    """The retailer's response for a batch of leader candidates."""

    decisions: dict  # name -> array
    value: np.ndarray  # the retailer's expected profit (its objective)


def retailer(model: Model, demand: str, values: Mapping[str, object], grid: int | None = None,
             exact_rate: bool = False) -> Response:
    """The retailer's globally best decisions at every candidate of ``values`` (arrays or floats).

    Decisions given a value in ``values`` stay fixed.  The box: ``q`` in
    ``[0, largest demand]`` (at the other decisions), every other decision
    over its clause's :meth:`~scfin.spec.clauses.Clause.decision_range`.
    """
    n = max((np.size(v) for v in values.values()), default=1)
    V = {k: (np.broadcast_to(np.asarray(v, dtype=float), (n,)).copy() if np.ndim(v) else float(v))
         for k, v in values.items()}
    free = [d for d in model.follower if d not in V]
    if not free:
        ev, _ = outcome(model, demand, V, exact_rate)
        return Response({}, np.asarray(ev["retailer"], dtype=float))
    others = [d for d in free if d != "q"]
    ranges = []
    for d in others:
        lo, hi = model.decision_range(d, V)
        ranges.append((np.broadcast_to(np.asarray(lo, dtype=float), (n,)), np.broadcast_to(np.asarray(hi, dtype=float), (n,))))
    has_q = "q" in free

    def decode(idx, U):
        sub = _rows(V, idx)
        dec = {}
        for i, d in enumerate(others):
            lo, hi = ranges[i]
            dec[d] = lo[idx] + U[:, i] * (hi[idx] - lo[idx])
        if has_q:
            top = np.broadcast_to(np.asarray(demand_top(model, demand, {**sub, **dec}), dtype=float), (len(idx),))
            dec["q"] = U[:, -1] * top
        return sub, dec

    def fun(idx, U):
        sub, dec = decode(idx, U)
        ev, _ = outcome(model, demand, {**sub, **dec}, exact_rate)
        return np.asarray(ev["retailer"], dtype=float)

    dims = len(others) + int(has_q)
    if grid is None:
        heavy = model.rate == "competitive" and model.shares_rate_risk
        grid = (32 if heavy else 64) if dims == 1 else (10 if heavy else 16)
    axis = np.linspace(0.0, 1.0, grid + 1)
    if has_q and dims == 1:
        axis_q = np.linspace(0.0, 1.0, grid + 1)
        lattice = axis_q[:, None]
    else:
        axes = [np.linspace(0.0, 1.0, grid + 1) for _ in others]
        if has_q:
            axes.append(np.linspace(0.0, 1.0, 2 * grid + 1))
        lattice = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, dims)
    idx = np.repeat(np.arange(n), len(lattice))
    U = np.tile(lattice, (n, 1))
    vals = fun(idx, U).reshape(n, len(lattice))
    Ufull = U.reshape(n, len(lattice), dims)
    # the kink orders of the model (q = eta/w, q = T), exactly, at every grid value of the other decisions
    if has_q:
        kink_u, kink_v = _kink_candidates(model, demand, V, others, ranges, axis if others else None, fun, n)
        if kink_u is not None:
            Ufull = np.concatenate([Ufull, kink_u], axis=1)
            vals = np.concatenate([vals, kink_v], axis=1)
    j = np.argmax(vals, axis=1)
    rows = np.arange(n)
    # a second basin: the best grid value away from the best (a kink such as a sales
    # target leaves two local maxima of nearly equal value); both are refined
    if dims == 1 or model.kinks_follower:
        far = np.max(np.abs(Ufull - Ufull[rows, j][:, None, :]), axis=2) > 2.5 / grid
        j2 = np.argmax(np.where(far, vals, -np.inf), axis=1)
        two = np.isfinite(vals[rows, j2])
        src = np.concatenate([rows, rows[two]])
        col = np.concatenate([j, j2[two]])
    else:
        src, col = rows, j
    u0 = Ufull[src, col]
    f0 = vals[src, col]
    fun_all = fun

    def fun(idx, U):
        return fun_all(src[idx], U)
    h0 = 2.0 / grid
    if dims == 1:
        u, f = _zoom(fun, u0, f0, h0, levels=2, k=8, shrink=8.0)
        u, f = _zoom(fun, u, f, h0 / 8.0 ** 2, levels=5, k=2, shrink=4.0)
        u, f = _polish(fun, u, f, h0 / 8.0 ** 3, steps=2)
    else:
        u, f = _zoom(fun, u0, f0, h0, levels=4, k=3, shrink=4.0)
        u, f = _zoom(fun, u, f, h0 / 4.0 ** 4, levels=4, k=1, shrink=4.0)
        # a pattern search on the decisions' lattice stalls on a diagonal ridge (additive effort and the
        # order are complements: the retailer's profit falls slowly along q and e together); Newton steps
        # on the fitted quadratic reach along it, each kept only where it pays more
        u, f = _polish(fun, u, f, h0 / 4.0 ** 5, steps=4, shrink=2.0, reach=32.0)
    best = np.full(n, -np.inf)
    pick = np.zeros(n, dtype=int)
    for i in range(len(src)):
        if f[i] > best[src[i]] or not np.isfinite(best[src[i]]):
            best[src[i]], pick[src[i]] = f[i], i
    _, dec = decode(rows, u[pick])
    return Response(dec, f[pick])


def _kink_candidates(model, demand, V, others, ranges, axis, fun, n):
    """Candidates at the model's kink orders, as unit coordinates with their values."""
    pts = []
    e_axis = axis if others else np.zeros(1)
    for i_row in range(n):
        row = _rows(V, np.array([i_row]))
        for t in (e_axis if others else [None]):
            dec = {}
            for i, d in enumerate(others):
                lo, hi = ranges[i]
                dec[d] = float(lo[i_row] + t * (hi[i_row] - lo[i_row]))
            point = {k: (float(np.ravel(v)[0]) if np.ndim(v) else v) for k, v in {**row, **dec}.items()}
            top = float(np.ravel(demand_top(model, demand, point))[0])
            for kq in model.kinks(point):
                if top > 0 and 0 <= kq <= top:
                    pts.append((i_row, ([t] if others else []) + [kq / top]))
    if not pts:
        return None, None
    per = {}
    for i_row, u in pts:
        per.setdefault(i_row, []).append(u)
    width = max(len(v) for v in per.values())
    dims = len(others) + 1
    U = np.zeros((n, width, dims))
    for i_row in range(n):
        rows = per.get(i_row, [])
        rows = rows + [rows[-1] if rows else [0.0] * dims] * (width - len(rows))
        U[i_row] = np.array(rows)
    idx = np.repeat(np.arange(n), width)
    vals = fun(idx, U.reshape(-1, dims)).reshape(n, width)
    return U, vals


def _polish(fun, u, f, h, steps: int = 2, shrink: float = 8.0, reach: float = 2.0):
    """Guarded Newton steps on a least-squares quadratic through the ``3^d`` stencil of spacing ``h``.

    Exact in one step where the objective is quadratic near ``u`` (the
    profits of uniform demand between kinks); a step is kept only where the
    objective's value there beats the best so far, so a kink costs nothing.
    One batch per step (the stencil is centred on the last candidate, whose
    value it includes), plus one for the last candidate.  A step reaches at most ``reach`` stencil
    spacings per decision.
    """
    m, d = u.shape
    offs = np.stack(np.meshgrid(*[np.array([-1.0, 0.0, 1.0])] * d, indexing="ij"), axis=-1).reshape(-1, d)
    centre = int(np.nonzero(np.all(offs == 0, axis=1))[0][0])
    cand = u.copy()
    for _ in range(steps):
        U = np.clip(cand[:, None, :] + h * offs[None], 0.0, 1.0)
        vals = fun(np.repeat(np.arange(m), len(offs)), U.reshape(-1, d)).reshape(m, len(offs))
        fc = vals[:, centre]
        better = fc > f
        u = np.where(better[:, None], cand, u)
        f = np.where(better, fc, f)
        X = (U - cand[:, None, :]) / h  # actual offsets (clipped at the box)
        cols = [np.ones(X.shape[:2])] + [X[..., i] for i in range(d)]
        pairs = [(i, j) for i in range(d) for j in range(i, d)]
        cols += [X[..., i] * X[..., j] for i, j in pairs]
        M = np.stack(cols, axis=-1)
        ok_rows = np.all(np.isfinite(vals), axis=1)
        y = np.where(np.isfinite(vals), vals, 0.0)
        coef = np.einsum("mij,mj->mi", np.linalg.pinv(M), y)
        g = coef[:, 1:1 + d]
        H = np.zeros((m, d, d))
        for k, (i, j) in enumerate(pairs):
            c = coef[:, 1 + d + k]
            if i == j:
                H[:, i, i] = 2 * c
            else:
                H[:, i, j] = H[:, j, i] = c
        eig = np.linalg.eigvalsh(H)
        neg = ok_rows & np.all(eig < 0, axis=1)
        Hs = np.where(neg[:, None, None], H, -np.eye(d)[None])
        step = -np.linalg.solve(Hs, g[..., None])[..., 0]
        step = np.where(neg[:, None], np.clip(step, -reach, reach), 0.0) * h
        cand = np.clip(cand + step, 0.0, 1.0)
        h = h / shrink
    fc = fun(np.arange(m), cand)
    better = fc > f
    return np.where(better[:, None], cand, u), np.where(better, fc, f)


# ---------------------------------------------------------------------------
# the leader
# ---------------------------------------------------------------------------

def leader_box(model: Model, names, values: Mapping[str, float]) -> list[tuple[float, float]]:
    """Each free leader decision's interval: the declared bounds (strict, so shrunk by 1e-9 of the width),
    else the clause's search range."""
    out = []
    for name in names:
        lower, upper = model.leader_bounds(name)
        lo = max((float(values[r]) if isinstance(r, str) else float(r) for r in lower
                  if not isinstance(r, str) or r in values), default=-math.inf)
        hi = min((float(values[r]) if isinstance(r, str) else float(r) for r in upper
                  if not isinstance(r, str) or r in values), default=math.inf)
        if not (math.isfinite(lo) and math.isfinite(hi)):
            dlo, dhi = model.decision_range(name, values)
            lo = lo if math.isfinite(lo) else float(dlo)
            hi = hi if math.isfinite(hi) else float(dhi)
        if hi <= lo:
            raise ValueError(f"leader decision {name!r} has an empty range ({lo:g}, {hi:g})")
        eps = 1e-9 * (hi - lo)
        out.append((lo + eps, hi - eps))
    return out


@dataclass(frozen=True)
class Solution:
    """The brute-force equilibrium at one point: decisions (with the rate) and every party's profit."""

    decisions: Mapping[str, float]
    profits: Mapping[str, float]
    rate: float | None
    evaluations: int = 0


def solve(model: Model, demand: str, values: Mapping[str, float], grid: int | None = None) -> Solution:
    """Brute-force Stackelberg equilibrium at numbers (bank-leader excluded: give ``r``).

    Decisions given in ``values`` are fixed; the retailer's and the
    manufacturer's free decisions are searched globally.
    """
    V = {k: float(v) for k, v in values.items()}
    free = [d for d in model.leader if d not in V and d not in model.fixed]
    floor = reservation(model, V)
    scale = 1e-9 * max(1.0, float(V.get("p", 1.0)))
    if not free:
        resp = retailer(model, demand, {k: np.array([v]) for k, v in V.items()})
        point = {**V, **{k: float(v[0]) for k, v in resp.decisions.items()}}
        return _final(model, demand, point)
    box = leader_box(model, free, V)
    dims = len(free)

    def decode(U):
        return {d: box[i][0] + U[:, i] * (box[i][1] - box[i][0]) for i, d in enumerate(free)}

    def fun(idx, U):
        dec = decode(U)
        resp = retailer(model, demand, {**V, **dec})
        point = {**V, **dec, **resp.decisions}
        ev, _ = outcome(model, demand, point, exact_rate=False) if not model.shares_rate_risk else \
            outcome(model, demand, point, exact_rate=True)
        ok = np.asarray(resp.value) >= floor - scale
        return np.where(ok & np.isfinite(ev["manufacturer"]), ev["manufacturer"], -np.inf)

    if grid is None:
        heavy = model.rate == "competitive" and model.shares_rate_risk
        grid = (16 if heavy else 32) if dims == 1 else (8 if heavy else 12)
    axes = [np.linspace(0.0, 1.0, grid + 1) for _ in free]
    lattice = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, dims)
    vals = fun(np.zeros(len(lattice), dtype=int), lattice)
    if not np.isfinite(vals).any():
        raise ValueError("no leader decision in the box at which the retailer takes part")
    j = int(np.argmax(vals))
    # zoom from the best grid point and from the best other local maximum (a second basin)
    starts = [j]
    order = np.argsort(-vals)
    for i in order[1:]:
        if np.isfinite(vals[i]) and np.max(np.abs(lattice[i] - lattice[j])) > 2.5 / grid:
            starts.append(int(i))
            break
    u0 = lattice[starts]
    f0 = vals[starts]
    if dims == 1:
        u, f = _zoom(fun, u0, f0, 1.0 / grid, levels=2, k=4, shrink=8.0)
        u, f = _zoom(fun, u, f, 1.0 / grid / 8.0 ** 2, levels=9, k=2, shrink=4.0)
        u, f = _polish(fun, u, f, 1.0 / grid / 8.0 ** 3, steps=2)
    else:
        u, f = _zoom(fun, u0, f0, 1.0 / grid, levels=14, k=2, shrink=2.5)
        u, f = _polish(fun, u, f, 1.0 / grid / 2.5 ** 10)
    b = int(np.argmax(f))
    dec = {d: float(v[0]) for d, v in decode(u[b:b + 1]).items()}
    resp = retailer(model, demand, {**V, **{k: np.array([v]) for k, v in dec.items()}})
    point = {**V, **dec, **{k: float(v[0]) for k, v in resp.decisions.items()}}
    return _final(model, demand, point)


def _final(model: Model, demand: str, point: Mapping[str, float]) -> Solution:
    """Profits at the solution with the loan priced exactly (the break-even rate computed, not assumed)."""
    arr = {k: np.array([v]) for k, v in point.items()}
    ev, r = outcome(model, demand, arr, exact_rate=True)
    decisions = {k: float(point[k]) for k in model.follower + tuple(model.leader) if k in point and k not in model.fixed}
    rate = None if r is None else float(np.ravel(r)[0])
    return Solution(decisions, {k: float(np.ravel(ev[k])[0]) for k in PARTIES + ("chain",)}, rate)
