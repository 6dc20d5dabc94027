"""Independent verification of the engine's equilibria (layer 4 of the README's "How it works").

``check_closed_form`` solves a model three ways at the same numbers:

(a) the engine (:func:`scfin.solver.solve`): closed forms, exact;
(b) :func:`scfin.numeric.stackelberg.numeric_stackelberg`: backward induction by a
    global numeric optimiser on the unsimplified exact expected profits of
    :func:`scfin.numeric.profits.expected` (no first-order condition anywhere);
(c) Monte Carlo (:func:`scfin.numeric.montecarlo.simulate`) on the realised cash
    flows at the engine's equilibrium.

Decisions and profits of (a) and (b) must agree to a relative error below
``rtol`` (absolute floor ``atol`` near 0); every party's expected profit of
(a) must lie within ``k`` standard errors of (c).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

import numpy as np

from scfin.numeric import profits as N
from scfin.numeric.montecarlo import simulate
from scfin.spec.demand import Demand, get_demand
from scfin.solver import build_model, solve
from scfin.numeric.stackelberg import numeric_stackelberg

#: parameters whose draws are simple fractions (exact closed forms stay cheap)
_DEN = 20


def _frac(x: float, den: int = _DEN) -> Fraction:
    return Fraction(round(x * den), den)


def random_admissible_point(model, rng: np.random.Generator, rate: str | None = None,
                            demand: Demand | str = "uniform") -> dict[str, Fraction]:
    """Parameters drawn inside the admissible region of docs/specification.md section 2.

    ``c < p``, ``0 <= v < c``, ``v <= b < c`` (so ``b < w`` for every
    ``w > c``), ``0 <= phi < 1``, ``0 < psi <= 1``, ``0 < lam <= 1``,
    ``eta >= 0``, ``rf >= 0``, ``r >= rf``, ``kappa > 0``, ``u, T >= 0``.
    Whether the engine's closed form holds there (its regime) is checked by
    the caller, who rejects the draw if not.
    """
    if isinstance(model, str):
        model = build_model(model, rate)
    p = Fraction(int(rng.integers(6, 21)))
    c = _frac(p * rng.uniform(0.2, 0.6))
    v = _frac(c * rng.uniform(0.0, 0.4)) if rng.random() < 0.5 else Fraction(0)
    vals: dict[str, Fraction] = {"p": p, "c": c, "v": v}
    names = set(model.parameters)
    if "b" in names:
        vals["b"] = min(_frac(v + (c - v) * rng.uniform(0.1, 0.9)), c - Fraction(1, _DEN))
        vals["b"] = max(vals["b"], v)
    if "kappa" in names:
        vals["kappa"] = _frac(rng.uniform(0.5, 3.0))
    if "phi" in names:
        vals["phi"] = _frac(rng.uniform(0.0, 0.6))
    if "psi" in names:
        vals["psi"] = _frac(rng.uniform(0.4, 1.0))
    if "u" in names:
        vals["u"] = _frac((p - c) * rng.uniform(0.0, 0.3))
    if "lam" in names:
        vals["lam"] = _frac(rng.uniform(0.2, 1.0)) if rng.random() < 0.7 else Fraction(1)
    if "rf" in names:
        vals["rf"] = _frac(rng.uniform(0.0, 0.05), 100) if rng.random() < 0.5 else Fraction(0)
    if "eta" in names and model.loan is not None:
        vals["eta"] = Fraction(int(rng.integers(0, 40))) if rng.random() < 0.4 else Fraction(0)
    if get_demand(demand).name == "uniform":
        A = Fraction(int(rng.integers(50, 201)))
        vals["A"] = A
        if "T" in names:
            vals["T"] = _frac(A * rng.uniform(0.0, 0.3), 1)
    if model.rate == "exogenous" or "r" in names:
        vals["r"] = vals.get("rf", Fraction(0)) + _frac(rng.uniform(0.02, 0.3), 100)
    return {k: vals[k] for k in vals if k in names or k in ("A",)}


@dataclass(frozen=True)
class Comparison:
    """One quantity by two methods."""

    name: str
    engine: float
    other: float
    error: float  # relative, with an absolute floor
    ok: bool


@dataclass(frozen=True)
class VerificationResult:
    """Engine vs numeric optimiser vs Monte Carlo at one point."""

    model: str
    rate: str | None
    share: str | None
    values: Mapping[str, Fraction]
    closed_form: bool
    regime_holds: bool | None
    boundary: tuple[str, ...]
    numeric_boundary: tuple[str, ...]
    optimiser: tuple[Comparison, ...]
    montecarlo: tuple[Comparison, ...]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.optimiser) and all(c.ok for c in self.montecarlo)

    def failures(self) -> tuple[Comparison, ...]:
        return tuple(c for c in self.optimiser + self.montecarlo if not c.ok)

    def __str__(self) -> str:
        head = f"{self.model} rate={self.rate} share={self.share} at " + ", ".join(
            f"{k}={v}" for k, v in self.values.items())
        lines = [head, f"  closed form: {self.closed_form}, regime holds: {self.regime_holds}, "
                       f"boundary: {self.boundary or '-'} (numeric: {self.numeric_boundary or '-'})"]
        for c in self.optimiser:
            lines.append(f"  optimiser  {c.name:14s} engine {c.engine:.10g}  numeric {c.other:.10g}  "
                         f"rel.err {c.error:.1e}  {'ok' if c.ok else 'FAIL'}")
        for c in self.montecarlo:
            lines.append(f"  montecarlo {c.name:14s} engine {c.engine:.10g}  MC {c.other:.10g}  "
                         f"z {c.error:.2f}  {'ok' if c.ok else 'FAIL'}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _inside_edge(model_id, model, values, eq, demand, rate, share, rtol, atol) -> list[Comparison]:
    """The follower's response just inside the leader's edge: engine vs optimiser."""
    out = []
    fvals = {k: float(v) for k, v in eq.parameters.items()}
    for name in eq.boundary:
        edge = Fraction(str(eq.decisions[name]))
        lower = model.leader_bounds(name)[0]
        floor = max([Fraction(values.get(r, 0)) if isinstance(r, str) else Fraction(r) for r in lower] or [Fraction(0)])
        inside = edge - (edge - floor) / 1000
        eq_in = solve(model_id, {**values, name: inside}, demand=demand, rate=rate, share=share)
        point = {**fvals, name: float(inside)}
        resp = N.retailer_response(model, demand, point, N.q_bound(demand, fvals))
        for d, val in resp.items():
            e_v = float(eq_in.decisions[d])
            err = _rel(e_v, float(val), atol)
            out.append(Comparison(f"{d}@{name}-inside", e_v, float(val), err, err < rtol))
    return out


def _rel(a: float, b: float, atol: float) -> float:
    return abs(a - b) / max(abs(a), atol)


def check_closed_form(model_id: str, values: Mapping[str, Fraction], rate: str | None = None,
                      share: str | None = None, demand: Demand | str = "uniform", rtol: float = 1e-6,
                      atol: float = 1.0, n: int = 100_000, k: float = 4.0, seed: int = 1,
                      montecarlo: bool = True) -> VerificationResult:
    """Engine vs numeric optimiser vs Monte Carlo at ``values``.

    Relative errors use ``max(|engine value|, atol)`` as denominator, so a
    profit near 0 (the bank's under competitive pricing) is compared
    absolutely.  A leader's boundary solution is compared at the boundary
    value and reported in ``boundary``.
    """
    model = build_model(model_id, rate, share)
    eq = solve(model_id, dict(values), demand=demand, rate=rate, share=share)
    fvals = {k2: float(v) for k2, v in eq.parameters.items()}
    if not all(getattr(v, "is_number", True) for v in list(eq.decisions.values()) + list(eq.profits.values())):
        raise ValueError(f"{model_id}: the engine's equilibrium is not numeric at {dict(values)}: {eq.decisions}")
    optimised = tuple(d for d in model.follower + tuple(x for x in model.leader if x not in model.fixed)
                      if d not in values)
    res = numeric_stackelberg(model, demand, fvals, optimised)
    point = {**fvals, **{k2: float(v) for k2, v in eq.decisions.items()}}
    if model.loan is not None:
        point["r"] = float(eq.metrics["interest_rate"])
    inner = model.with_options(rate="exogenous") if model.loan is not None else model
    ev_engine_point = N.expected(inner, demand, point)
    num_point = {**fvals, **res.decisions}
    ev_num = N.expected(inner, demand, num_point)

    opt: list[Comparison] = []
    # At a boundary optimum of the leader (w -> edge of the regime) the
    # retailer is indifferent between orders at the edge itself, so its order
    # and the profits there are defined as limits.  Compared then: the edge
    # price (and that the optimiser also ends on an edge), the follower's
    # response just inside the edge, and the engine's limiting profits against
    # the exact expectation at its own decisions and Monte Carlo.
    on_edge = bool(eq.boundary)
    for name, val in eq.decisions.items():
        if name in values or (on_edge and name not in eq.boundary):
            continue
        e_v, o_v = float(val), float(res.decisions[name])
        err = _rel(e_v, o_v, atol)
        opt.append(Comparison(name, e_v, o_v, err, err < rtol))
    if on_edge:
        opt.append(Comparison("edge (numeric)", 1.0, float(bool(res.boundary)), 0.0 if res.boundary else 1.0,
                              bool(res.boundary)))
        opt.extend(_inside_edge(model_id, model, values, eq, demand, rate, share, rtol, atol))
    if model.loan is not None and not (on_edge and model.rate == "competitive"):
        e_v, o_v = point["r"], float(res.decisions["r"])
        err = _rel(e_v, o_v, 1e-2)
        opt.append(Comparison("interest_rate", e_v, o_v, err, err < rtol))
    for party in tuple(eq.profits):
        e_v = float(eq.profits[party])
        # the engine's profit re-evaluated on the unsimplified expectation at its own decisions
        err_self = _rel(e_v, ev_engine_point[party], atol)
        opt.append(Comparison(f"{party}@engine", e_v, ev_engine_point[party], err_self, err_self < rtol))
        if not on_edge:
            err = _rel(e_v, ev_num[party], atol)
            opt.append(Comparison(party, e_v, ev_num[party], err, err < rtol))

    mc: list[Comparison] = []
    if montecarlo:
        sim = simulate(inner, demand, point, n=n, seed=seed)
        keys = list(eq.profits) + (["default", "loan", "guarantee"] if model.loan is not None else [])
        for key in keys:
            if key not in sim:
                continue
            target = float(eq.profits[key]) if key in eq.profits else float(ev_engine_point.get(key, 0.0))
            est = sim[key]
            z = abs(est.mean - target) / est.stderr if est.stderr > 0 else (0.0 if abs(est.mean - target) < 1e-9 * max(1, abs(target)) else math.inf)
            mc.append(Comparison(key, target, est.mean, z, est.within(target, k)))
    notes = list(eq.notes)
    if eq.boundary:
        notes.append(f"leader's boundary solution in {', '.join(eq.boundary)}: compared at the boundary value")
    return VerificationResult(
        model=model_id, rate=rate, share=share, values=dict(values), closed_form=eq.closed_form,
        regime_holds=eq.regime_holds, boundary=tuple(eq.boundary), numeric_boundary=tuple(res.boundary),
        optimiser=tuple(opt), montecarlo=tuple(mc), notes=tuple(notes),
    )
