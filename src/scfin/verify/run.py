"""``verify``: the engine's answer against a brute force that shares none of its computation.

At ``points`` random admissible parameter points (drawn from the registry's
declared ranges, :attr:`~scfin.spec.notation.SymbolInfo.draw`, else the
admissible bounds, relational bounds such as ``c < p``, ``v < c``, ``b < w``
resolved at the values already drawn) the engine's equilibrium
(:func:`scfin.solver.solve`, closed form or numeric fallback) is checked three ways:

1. **evaluation**: every party's profit the engine reports against the
   quadrature of the realised cash flows (:func:`scfin.verify.brute.expected`)
   at the engine's own decisions and rate; under competitive pricing the
   engine's rate against the break-even rate found by
   :func:`scfin.verify.brute.breakeven`;
2. **optimality**, each level on its own objective: the retailer's profit
   against its global brute-force best response at the engine's leader
   decisions, and the manufacturer's profit against the brute-force leader
   optimum (:func:`scfin.verify.brute.solve`).  Decisions are not compared:
   a flat optimum, or a supremum where the retailer's order jumps (a sales
   target), may have a distant argmax with the same optimal value;
3. **Monte Carlo** on the realised cash flows at the engine's equilibrium
   (:func:`scfin.numeric.montecarlo.simulate`).

Tolerances (stated, and why): money is compared on the scale
``S = p * (largest demand)`` (the revenue of selling the largest demand).
Evaluations agree to ``1e-7 S`` (quadrature is exact to rounding for the
piecewise-affine flows here; the engine's numbers are exact or 15 digits);
optimal profits to ``1e-6 S``: the brute force resolves each decision to
about ``1e-7`` of its range and a profit is flat (second order) at an
interior optimum and Lipschitz at a kink or an edge, so its own error is
below ``1e-7 S``, while an error such as the audit's (10 % of M's profit, or
an optimum at the edge of a wrong box) is ``1e-2 S`` or more.  The break-even
rate agrees to ``1e-6 (1 + r)``.  Monte Carlo (``n`` draws) must be within
5 standard errors plus ``1e-9 S``: at 5 sigma a correct answer fails one
comparison in 1.7 million, so 200 points of every model stay clear of
false alarms, and any error above a few per cent of a profit is caught.

A leader's boundary solution (the supremum at the edge of the set where the
retailer takes part) is compared as a supremum: the brute force approaches
the edge from inside, and the profits are continuous there.  Under
``rate=bank-leader`` the bank's own choice of ``r`` is not searched (a third
nested level of brute force); the manufacturer's and the retailer's
levels are checked at the bank's rate, and the point says so.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping

import numpy as np

from scfin.numeric.montecarlo import simulate
from scfin.solver import InputError, build_model, solve
from scfin.spec.demand import get_demand
from scfin.spec.models import Model
from scfin.spec.notation import REGISTRY, AdmissibilityError, check_admissible
from scfin.verify import brute as B

#: tolerances, as fractions of the money scale S (module docstring)
EVAL_TOL = 1e-7
OPT_TOL = 1e-6
RATE_TOL = 1e-6
MC_SIGMAS = 5.0
MC_DRAWS = 100_000
#: the retailer's profits that differ by less than ``TIE_TOL * S`` are ties (its rounding is about 1e-16 S)
TIE_TOL = 1e-15

#: draw ranges for the specification's symbols that declare none and whose
#: admissible range is unbounded on one side (docs/specification.md sections 2
#: and 8: around the worked numbers, p = 10, A = 100, kappa = 1)
FALLBACK_DRAW: Mapping[str, tuple[Fraction, Fraction]] = {
    "p": (Fraction(5), Fraction(20)),
    "A": (Fraction(50), Fraction(200)),
    "kappa": (Fraction(1, 2), Fraction(3)),
    "eta": (Fraction(0), Fraction(150)),
    "u": (Fraction(0), Fraction(3)),
    "T": (Fraction(0), Fraction(60)),
    "r": (Fraction(0), Fraction(3, 10)),
    "rf": (Fraction(0), Fraction(1, 20)),
    "mu": (Fraction(30), Fraction(120)),
    "sigma": (Fraction(5), Fraction(30)),
    "theta": (Fraction(20), Fraction(120)),
}

#: chance of drawing a non-strict bound itself (corners: v = 0, eta = 0, rf = 0, lam = 1, ...)
CORNER = 0.2


# ---------------------------------------------------------------------------
# random admissible points
# ---------------------------------------------------------------------------

def _resolve(bound, values, model, seen=()):
    """A bound's number at the values drawn so far (a decision's bound is its own bound's)."""
    if bound is None:
        return None
    ref = bound.ref
    if not isinstance(ref, str):
        return Fraction(ref)
    if ref in values:
        return Fraction(values[ref])
    info = REGISTRY.get(ref)
    if info is None or info.kind != "decision" or ref in seen:
        raise KeyError(ref)
    lower, upper = model.bounds.get(ref, (info.lower, info.upper))
    return _resolve(upper, values, model, seen + (ref,))


def draw_point(model: Model, rng: np.random.Generator, demand: str = "uniform",
               fixed: Mapping[str, Fraction] | None = None, tries: int = 50) -> dict[str, Fraction]:
    """Parameters drawn inside the admissible region; names in ``fixed`` keep their values."""
    dem = get_demand(demand)
    names = [n for n in model.parameters + dem.parameters if n not in (fixed or {})]
    if model.rate == "exogenous" and "r" not in names and "r" not in (fixed or {}):
        names.append("r")
    for _ in range(tries):
        vals: dict[str, Fraction] = {k: Fraction(v) for k, v in (fixed or {}).items()}
        pending = list(names)
        for _round in range(len(pending) + 1):
            if not pending:
                break
            for name in list(pending):
                info = REGISTRY[name]
                lower, upper = model.bounds.get(name, (info.lower, info.upper))
                try:
                    lo, hi = _resolve(lower, vals, model), _resolve(upper, vals, model)
                except KeyError:
                    continue
                dlo, dhi = info.draw or FALLBACK_DRAW.get(name, (None, None))
                a = lo if dlo is None else dlo if lo is None else max(lo, Fraction(dlo))
                b = hi if dhi is None else dhi if hi is None else min(hi, Fraction(dhi))
                if a is None:
                    a = (b - 1) if b is not None else Fraction(0)
                if b is None:
                    b = a + max(Fraction(1), 2 * abs(a))
                vals[name] = _draw_one(rng, Fraction(a), Fraction(b), lower, upper, lo, hi)
                pending.remove(name)
        if pending:
            raise ValueError(f"cannot draw {', '.join(pending)}: circular bounds")
        try:
            check_admissible(vals, model.bounds)
        except AdmissibilityError:
            continue
        if model.admissibility_faults(vals):  # relations a clause needs (revenue sharing: v < psi p)
            continue
        return {k: vals[k] for k in names + list(fixed or {})}
    raise ValueError(f"no admissible point of {model.id!r} in {tries} draws")


def _draw_one(rng, a: Fraction, b: Fraction, lower, upper, lo, hi) -> Fraction:
    # a non-strict bound is drawn itself now and then (a corner of the region)
    for bound, end in ((lower, lo), (upper, hi)):
        if bound is not None and not bound.strict and end is not None and a <= end <= b and rng.random() < CORNER:
            return end
    span = b - a
    margin = span / 20
    x = float(a + margin) + float(span - 2 * margin) * rng.random()
    den = 20 if span >= 1 else 400
    out = Fraction(round(x * den), den)
    return min(max(out, a + margin), b - margin) if span > 0 else a


# ---------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Disagreement:
    """One quantity on which the engine and an independent method disagree at one point."""

    point: int
    values: Mapping[str, Fraction]
    check: str  # "evaluation", "follower", "leader", "montecarlo", "solve"
    quantity: str
    engine: float | str
    independent: float | str
    error: float
    tolerance: float

    def row(self) -> tuple[str, ...]:
        def f(x):
            return x if isinstance(x, str) else f"{x:.10g}"
        vals = " ".join(f"{k}={v}" for k, v in self.values.items())
        return (str(self.point), vals, self.check, self.quantity, f(self.engine), f(self.independent),
                f"{self.error:.3g}", f"{self.tolerance:.3g}")


@dataclass(frozen=True)
class PointResult:
    index: int
    values: Mapping[str, Fraction]
    comparisons: int
    disagreements: tuple[Disagreement, ...]
    notes: tuple[str, ...] = ()
    seconds: float = 0.0


@dataclass(frozen=True)
class VerificationReport:
    """Result of :func:`verify` (immutable)."""

    model: str
    demand: str
    rate: str | None
    points: tuple[PointResult, ...]
    seed: int
    seconds: float
    tolerances: Mapping[str, float] = field(default_factory=dict)

    @property
    def disagreements(self) -> tuple[Disagreement, ...]:
        return tuple(d for p in self.points for d in p.disagreements)

    @property
    def ok(self) -> bool:
        return not self.disagreements

    @property
    def comparisons(self) -> int:
        return sum(p.comparisons for p in self.points)

    def table(self) -> str:
        head = ("point", "values", "check", "quantity", "engine", "independent", "error", "tolerance")
        rows = [d.row() for d in self.disagreements]
        if not rows:
            return ""
        widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
        return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [head] + rows)

    def summary(self) -> str:
        n = len(self.points)
        return (f"{self.model} ({self.demand} demand{', rate=' + self.rate if self.rate else ''}): {n} points, "
                f"{self.comparisons} comparisons, {len(self.disagreements)} disagreements, "
                f"{self.seconds:.1f} s ({self.seconds / max(n, 1):.2f} s per point)")

    def as_json(self) -> dict:
        def num(x):
            return x if isinstance(x, str) else float(x)
        return {
            "model": self.model, "demand": self.demand, "rate": self.rate, "seed": self.seed,
            "points": len(self.points), "comparisons": self.comparisons, "seconds": self.seconds,
            "tolerances": dict(self.tolerances),
            "disagreements": [
                {"point": d.point, "values": {k: str(v) for k, v in d.values.items()}, "check": d.check,
                 "quantity": d.quantity, "engine": num(d.engine), "independent": num(d.independent),
                 "error": d.error, "tolerance": d.tolerance}
                for d in self.disagreements],
            "notes": sorted({n for p in self.points for n in p.notes}),
        }


# ---------------------------------------------------------------------------
# one point
# ---------------------------------------------------------------------------

def _f(x) -> float:
    return float(x)


def _finite(x) -> bool:
    try:
        value = complex(x)
    except (TypeError, ValueError):
        return False
    return math.isfinite(value.real) and value.imag == 0


def check_point(model: Model, values: Mapping[str, Fraction], demand: str = "uniform", index: int = 0,
                montecarlo: bool = True, seed: int = 0) -> PointResult:
    """The three-way check at one point (see the module docstring)."""
    import time

    t0 = time.perf_counter()
    vals = {k: Fraction(v) for k, v in values.items()}
    out: list[Disagreement] = []
    notes: list[str] = []
    count = 0

    def disagree(check, quantity, engine, independent, error, tol):
        out.append(Disagreement(index, vals, check, quantity, engine, independent, error, tol))

    try:
        eq = solve(model, vals, demand=demand)
    except (InputError, ValueError) as exc:
        # the engine found no equilibrium: so must the brute force
        try:
            sol = B.solve(model, demand, _filled(model, vals), grid=None)
        except ValueError:
            sol = None
        scale = OPT_TOL * _f(vals.get("p", 1)) * _f(vals.get("A", 1))
        if sol is None or (abs(sol.profits["manufacturer"]) <= scale and abs(sol.profits["retailer"]) <= scale):
            # no trade either way: the brute force's best is to order nothing (both earn 0)
            return PointResult(index, vals, 1, (), (f"no equilibrium with trade (engine and brute force agree): {exc}",),
                               time.perf_counter() - t0)
        disagree("solve", "equilibrium", str(exc).split("\n")[0], f"manufacturer {sol.profits['manufacturer']:.6g}",
                 math.inf, 0.0)
        return PointResult(index, vals, 1, tuple(out), (), time.perf_counter() - t0)
    except Exception as exc:  # the engine crashed at an admissible point: a finding, reported, not raised
        disagree("solve", "equilibrium", f"{type(exc).__name__}: {exc}", "an admissible point", math.inf, 0.0)
        return PointResult(index, vals, 1, tuple(out), (), time.perf_counter() - t0)

    shown = {**eq.decisions, **eq.profits}
    # no loan taken: no rate is in force and none is reported (checked: the loan is 0); else the rate is a number
    no_rate = model.loan is not None and eq.metrics.get("interest_rate") is None and _f(eq.metrics.get("loan", 1)) == 0
    if model.loan is not None and not no_rate:
        shown["interest_rate"] = eq.metrics.get("interest_rate")
    symbolic = [k for k, v in shown.items() if not getattr(v, "is_number", isinstance(v, (int, float)))]
    # every parameter is a number: so must every answer be, and a finite real one (not nan, zoo or complex:
    # the closed form of a regime evaluated where it is singular)
    unreal = [k for k, v in shown.items() if k not in symbolic and not _finite(v)]
    if symbolic or unreal:
        for k in symbolic:
            disagree("solve", k, str(shown[k]), "a number", math.inf, 0.0)
        for k in unreal:
            disagree("solve", k, str(shown[k]), "a finite real number", math.inf, 0.0)
        return PointResult(index, vals, 1, tuple(out), (), time.perf_counter() - t0)
    P = {k: _f(v) for k, v in eq.parameters.items()}
    S = _f(vals.get("p", 1)) * float(np.ravel(B.demand_top(model, demand, {**P, **{k: _f(v) for k, v in eq.decisions.items()}}))[0])
    S = max(S, 1e-12)
    inner = B._exogenous(model)
    point = {**P, **{k: _f(v) for k, v in eq.decisions.items()}}
    if model.loan is not None:
        # with no loan the rate moves no money: rf stands in for it
        point["r"] = _f(vals.get("rf", 0)) if no_rate else _f(eq.metrics["interest_rate"])
    for name, target in model.fixed.items():
        point.setdefault(name, point.get(target))
    if eq.boundary:
        notes.append(f"boundary solution in {', '.join(eq.boundary)}: compared as a supremum")

    # 1. evaluation at the engine's decisions
    ev = B.expected_at(inner, demand, point)
    for party in eq.profits:
        e_v, i_v = _f(eq.profits[party]), ev[party]
        tol = EVAL_TOL * S + 1e-9 * abs(e_v)
        count += 1
        if not abs(e_v - i_v) <= tol:
            disagree("evaluation", party, e_v, i_v, abs(e_v - i_v), tol)
    if model.rate == "competitive":
        r_mine = float(B.breakeven(model, demand, {k: np.array([v]) for k, v in point.items() if k != "r"})[0])
        tol = RATE_TOL * (1 + abs(point["r"]))
        count += 1
        if not abs(r_mine - point["r"]) <= tol:
            disagree("evaluation", "interest_rate", point["r"], r_mine, abs(r_mine - point["r"]), tol)

    # 2a. the retailer's best response at the engine's leader decisions
    level = model if model.rate != "bank-leader" else inner
    given = {**P, **{k: point[k] for k in model.leader if k in point and k not in model.fixed}}
    if model.rate in ("exogenous", "bank-leader") and model.loan is not None:
        given["r"] = point["r"]
    if model.rate == "bank-leader":
        notes.append("bank-leader: the bank's choice of r is not searched; M and R are checked at the bank's rate")
    free_follower = [d for d in model.follower if d not in vals]
    if free_follower:
        resp = B.retailer(level, demand, {k: np.array([v]) for k, v in given.items()}, exact_rate=False)
        mine = float(resp.value[0])
        e_v = _f(eq.profits["retailer"])
        tol = OPT_TOL * S
        count += 1
        # one-sided: the engine's value at its own response is confirmed by the evaluation check above,
        # so a response the grid cannot match is not an error; one the grid beats is
        if not mine <= e_v + tol:
            disagree("follower", "retailer", e_v, mine, abs(mine - e_v), tol)

    # 2b. the leader's optimum
    free_leader = [d for d in model.leader if d not in vals and d not in model.fixed]
    if free_leader:
        base = dict(P)
        if model.rate in ("exogenous", "bank-leader") and model.loan is not None:
            base["r"] = point["r"]
        try:
            sol = B.solve(level, demand, base)
        except ValueError as exc:
            disagree("leader", "equilibrium", "found", f"brute force: {exc}", math.inf, 0.0)
            sol = None
        if sol is not None:
            # the leader's own objective: at a flat optimum, or at the supremum
            # where the retailer's order jumps, the argmax (and with it the
            # other parties' profits) may lie apart while the optimal value
            # agrees; the other parties' numbers are checked by evaluation and
            # Monte Carlo, the retailer's optimality by the follower check
            e_v, i_v = _f(eq.profits["manufacturer"]), sol.profits["manufacturer"]
            tol = OPT_TOL * S
            count += 1
            # one-sided, as for the retailer: the engine's terms are feasible (the retailer's response is
            # optimal and it takes part, checked here) and its profit there is confirmed by evaluation,
            # so only a strictly better independent optimum is a disagreement; a grid that stays below
            # the engine's optimum (several leader decisions) is noted
            tie = None
            if not i_v <= e_v + tol:
                # the brute force's own retailer response may be imprecise where the retailer's profit is flat
                # and the manufacturer's is not (M's profit moves with q to first order): a finer brute-force
                # response at the same leader decisions, where it pays the retailer more, decides
                i_v, tie = _refined_leader_value(level, demand, base, sol, i_v, S)
                if tie:
                    notes.append(tie)
            if not i_v <= e_v + tol:
                disagree("leader", "manufacturer", e_v, i_v, abs(e_v - i_v), tol)
            elif e_v > i_v + tol and not tie:
                notes.append(f"the engine's manufacturer profit {e_v:.9g} is above the independent search's "
                             f"{i_v:.9g} (a coarser grid)")
            floor = float(vals[model.participation]) if isinstance(model.participation, str) \
                else float(model.participation)
            count += 1
            if not _f(eq.profits["retailer"]) >= floor - tol:
                disagree("leader", "participation", _f(eq.profits["retailer"]), floor,
                         floor - _f(eq.profits["retailer"]), tol)

    # 3. Monte Carlo on the realised cash flows at the engine's equilibrium
    if montecarlo:
        sim = simulate(inner, demand, point, n=MC_DRAWS, seed=seed * 100_003 + index)
        for party in eq.profits:
            if party not in sim:
                continue
            est = sim[party]
            e_v = _f(eq.profits[party])
            tol = MC_SIGMAS * est.stderr + 1e-9 * S
            count += 1
            if not abs(est.mean - e_v) <= tol:
                disagree("montecarlo", party, e_v, est.mean, abs(est.mean - e_v), tol)
    return PointResult(index, vals, count, tuple(out), tuple(notes), time.perf_counter() - t0)


def _refined_leader_value(model, demand, base, sol, value: float, scale: float) -> tuple[float, str | None]:
    """The manufacturer's profit at the brute force's leader decisions, its retailer response made sure.

    Returns ``(value, note)``.  Two steps, both the brute force's own computation:

    1. a finer retailer response (four times the grid), taken where it pays the retailer more than the
       first one (then the first was not the retailer's best response and its manufacturer profit is
       not the game's);
    2. where the retailer is indifferent within rounding (its profit flat to ``TIE_TOL * S`` over a range
       of its decisions: trade credit at a price close to ``p`` with no own capital, where its profit
       is of second order in the order's error), its response is not determined by any numeric method
       and the manufacturer's profit at these leader decisions is taken at the least favourable of the
       near-ties (probed along each of the retailer's decisions).  Where the retailer's profit is
       curved the band is below ``1e-7`` of the range wide and moves the manufacturer's profit far
       below the tolerance; where it is wide the point's note says so.
    """
    leader = {k: v for k, v in sol.decisions.items() if k in model.leader}
    at = {**base, **leader}
    free = [d for d in model.follower if d not in at]
    try:
        first = B.retailer(model, demand, {k: np.array([v]) for k, v in {**at, **{
            k: sol.decisions[k] for k in model.follower if k in sol.decisions}}.items()})
        # four times the brute force's own grid in each of the retailer's decisions
        fine = B.retailer(model, demand, {k: np.array([v]) for k, v in at.items()}, grid=256 if len(free) == 1 else 64)
    except ValueError:
        return value, None
    response = {k: sol.decisions[k] for k in free if k in sol.decisions}
    if float(fine.value[0]) > float(first.value[0]) + 1e-12 * max(1.0, abs(float(first.value[0]))):
        response = {k: float(v[0]) for k, v in fine.decisions.items()}
        value = min(value, float(B._final(model, demand, {**at, **response}).profits["manufacturer"]))
    if not response:
        return value, None
    # the near-ties of the retailer's response, along each of its decisions
    steps = np.concatenate([-(10.0 ** -np.arange(9.0)), 10.0 ** -np.arange(9.0)])
    probes = [dict(response)]
    for d in free:
        if d == "q":
            top = float(np.ravel(B.demand_top(model, demand, {**at, **response}))[0])
            lo, hi = 0.0, top
        else:
            lo, hi = (float(np.ravel(x)[0]) for x in model.decision_range(d, at))
        for s in steps:
            x = response[d] + s * (hi - lo)
            if lo <= x <= hi:
                probes.append({**response, d: x})
    arr = {k: np.full(len(probes), float(v)) for k, v in at.items()}
    for d in free:
        arr[d] = np.array([pr[d] for pr in probes])
    ev, _ = B.outcome(model, demand, arr, exact_rate=False)
    r_best = float(np.max(ev["retailer"]))
    ties = np.nonzero(ev["retailer"] >= r_best - TIE_TOL * scale)[0]
    if len(ties) <= 1:
        return value, None
    worst = int(ties[np.argmin(np.asarray(ev["manufacturer"])[ties])])
    pessimistic = float(B._final(model, demand, {**at, **probes[worst]}).profits["manufacturer"])
    if not pessimistic < value:
        return value, None
    spread = {d: (min(probes[i][d] for i in ties), max(probes[i][d] for i in ties)) for d in free}
    band = ", ".join(f"{d} in [{a:.6g}, {b:.6g}]" for d, (a, b) in spread.items())
    return pessimistic, (f"at the brute force's leader decisions the retailer is indifferent within rounding "
                         f"({band}): the manufacturer's profit there is taken at the least favourable "
                         f"near-tie, {pessimistic:.9g} (the first response gave {value:.9g})")


def _filled(model, vals):
    from scfin.solver import NEUTRAL
    out = {k: float(v) for k, v in vals.items()}
    for k, v in NEUTRAL.items():
        out.setdefault(k, float(v))
    return out


# ---------------------------------------------------------------------------
# many points
# ---------------------------------------------------------------------------

def _worker(args):
    ref, rate, share, demand, vals, index, montecarlo, seed = args
    model = build_model(ref, rate, share)
    return _guarded(model, vals, demand, index, montecarlo, seed)


def _guarded(model, vals, demand, index, montecarlo, seed) -> PointResult:
    """:func:`check_point`, with a failure of the check itself reported at its point, not raised: one point
    must not end a run of hundreds (the 200-point run of conditional repurchase ended at point 14 on a
    complex rate)."""
    try:
        return check_point(model, vals, demand, index, montecarlo, seed)
    except Exception as exc:  # noqa: BLE001 - reported as a disagreement with its type and message
        vals = {k: Fraction(v) for k, v in vals.items()}
        return PointResult(index, vals, 1, (Disagreement(index, vals, "check", "point", f"{type(exc).__name__}: {exc}",
                                                         "a completed check", math.inf, 0.0),), (), 0.0)


def verify(model: Model | str, values: Mapping[str, object] | None = None, points: int = 200, seed: int = 0,
           demand: str = "uniform", rate: str | None = None, share: str | None = None, jobs: int | None = 1,
           montecarlo: bool = True) -> VerificationReport:
    """The three-way check at ``points`` random admissible points (module docstring).

    ``values`` fixes parameters (and decisions) at the numbers given; the
    rest are drawn.  ``jobs`` worker processes share the points (``None``:
    the usable CPUs); a model given by reference (a string) is loaded in each.
    """
    import time

    t0 = time.perf_counter()
    m = build_model(model, rate, share)
    fixed = {k: Fraction(v) for k, v in (values or {}).items()}
    rng = np.random.default_rng(seed)
    draws = [draw_point(m, rng, demand, fixed) for _ in range(points)]
    # every parameter given: the points would all be the same one (Monte Carlo seeds aside): check it once
    draws = list({tuple(sorted(d.items())): d for d in draws}.values())
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    tasks = [(model if isinstance(model, str) else m, rate, share, demand, d, i, montecarlo, seed)
             for i, d in enumerate(draws)]
    if jobs > 1 and points > 1:
        import multiprocessing as mp

        # fork: the workers inherit the loaded model (a user's file) and the caches
        with mp.get_context("fork").Pool(min(jobs, points)) as pool:
            results = pool.map(_worker, tasks, chunksize=1)
    else:
        results = [_guarded(m, d, demand, i, montecarlo, seed) for i, d in enumerate(draws)]
    return VerificationReport(
        model=m.id, demand=demand, rate=m.rate, points=tuple(results), seed=seed,
        seconds=time.perf_counter() - t0,
        tolerances={"evaluation": EVAL_TOL, "optimum": OPT_TOL, "rate": RATE_TOL, "montecarlo_sigmas": MC_SIGMAS},
    )
