"""Sensitivity sweeps and figures: renderings of equilibria, never formulas.

Every point of a sweep is an equilibrium from :func:`scfin.solver.solve`
(closed form where its regime holds, numeric otherwise), so a figure shows
exactly what the engine derives.  Sweeps are cached on disk by a
deterministic key (:mod:`scfin.derive.cache`), never by pickling functions.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Mapping, Sequence

from scfin.derive import cache
from scfin.spec.notation import REGISTRY
from scfin.render.text import number

#: quantities a sweep records, and how to read them from an equilibrium
SERIES = ("q", "e", "w", "interest_rate", "default_probability", "retailer", "manufacturer", "bank", "chain")

#: axis labels in the paper's symbols and units
LABELS: Mapping[str, str] = {
    "p": r"retail price $p$ (money/unit)",
    "c": r"unit cost $c$ (money/unit)",
    "w": r"wholesale price $w$ (money/unit)",
    "v": r"salvage value $v$ (money/unit)",
    "b": r"repurchase price $b$ (money/unit)",
    "kappa": r"effort cost coefficient $\kappa$",
    "phi": r"cost-sharing share $\phi$",
    "u": r"sales incentive $u$ (money/unit)",
    "T": r"sales target $T$ (units)",
    "psi": r"revenue share $\psi$",
    "lam": r"repurchase probability $\lambda$",
    "eta": r"retailer's own capital $\eta$ (money)",
    "r": r"loan rate $r$ (per period)",
    "rf": r"risk-free rate $r_f$ (per period)",
    "A": r"demand range $A$ (units)",
    "mu": r"mean demand $\mu$ (units)",
    "sigma": r"demand std. dev. $\sigma$ (units)",
    "theta": r"mean demand $\theta$ (units)",
}

PANELS = (
    ("order", r"order $q^*$ (units)", ("q", "e")),
    ("price", r"wholesale price $w^*$ (money/unit)", ("w",)),
    ("rate", r"interest rate $r$ (per period)", ("interest_rate",)),
    ("default", r"default probability", ("default_probability",)),
    ("profits", r"expected profit (money)", ("retailer", "manufacturer", "bank")),
    ("chain", r"chain profit $\Pi_{SC}$ (money)", ("chain",)),
)

SERIES_LABEL = {
    "q": r"$q^*$", "e": r"$e^*$ (effort)", "w": r"$w^*$", "interest_rate": r"$r$",
    "default_probability": r"$\Pr(\mathrm{default})$", "retailer": r"retailer $\Pi_R$",
    "manufacturer": r"manufacturer $\Pi_M$", "bank": r"bank $\Pi_B$", "chain": r"$\Pi_{SC}$",
}


def label(name: str) -> str:
    if name in LABELS:
        return LABELS[name]
    info = REGISTRY.get(name)
    return f"${info.latex}$ ({info.meaning})" if info else name


def symbol(name: str) -> str:
    """The parameter's symbol in mathtext (``$\\lambda$`` for ``lam``), for titles."""
    found = re.search(r"\$[^$]+\$", label(name))
    return found.group(0) if found else name


def grid(low: Fraction, high: Fraction, points: int) -> tuple[Fraction, ...]:
    """``points`` equally spaced exact values from ``low`` to ``high``."""
    if points < 2:
        return (Fraction(low),)
    step = (Fraction(high) - Fraction(low)) / (points - 1)
    return tuple(Fraction(low) + i * step for i in range(points))


def _point(model_id, values, rate, share, demand) -> dict[str, float]:
    from scfin.solver import solve

    eq = solve(model_id, values, demand=demand, rate=rate, share=share)
    out = {}
    for name in SERIES:
        expr = eq.decisions.get(name, eq.profits.get(name, eq.metrics.get(name)))
        val = number(expr) if expr is not None else None
        out[name] = float("nan") if val is None else round(val, 12)
    return out


def _closed_form_functions(model_id, base, name, rate, share, demand):
    """Closed forms in ``name`` alone, lambdified with CSE, and their regime.

    Returns ``None`` when the engine gives no closed form in ``name`` (then
    every point is solved on its own).  Argument order: the one value of
    ``name``.  Functions are rebuilt on every run (never pickled).
    """
    import sympy as sp

    from scfin.spec.notation import sym
    from scfin.solver import solve

    try:
        eq = solve(model_id, dict(base), demand=demand, rate=rate, share=share, symbolic=(name,))
    except Exception:
        return None
    x = sym(name)
    if not eq.closed_form:
        return None
    exprs = {}
    for s in SERIES:
        expr = eq.decisions.get(s, eq.profits.get(s, eq.metrics.get(s)))
        if expr is None:
            continue
        expr = sp.sympify(expr)
        if not expr.free_symbols <= {x} or expr.has(sp.Integral, sp.Function):
            return None
        exprs[s] = expr
    conds = []
    for check in eq.regime:
        rel = check.condition
        if not isinstance(rel, sp.Rel) or not rel.free_symbols <= {x}:
            return None
        conds.append(rel.lhs - rel.rhs)
    keys = tuple(exprs)
    fn = sp.lambdify([x], [exprs[k] for k in keys] + conds, modules="cmath", cse=True)
    return keys, fn, len(conds)


def _evaluate(fast, value: float) -> dict[str, float] | None:
    keys, fn, ncond = fast
    try:
        vals = [complex(v) for v in fn(complex(value))]
    except (ZeroDivisionError, ValueError, OverflowError):
        return None
    out_vals, conds = vals[: len(keys)], vals[len(keys):]
    if any(abs(c.imag) > 1e-9 or c.real < -1e-9 * max(1.0, abs(c.real)) for c in conds):
        return None
    if any(abs(v.imag) > 1e-9 * max(1.0, abs(v.real)) or not math.isfinite(v.real) for v in out_vals):
        return None
    out = {s: float("nan") for s in SERIES}
    out.update({k: round(v.real, 12) for k, v in zip(keys, out_vals)})
    return out


def sweep(model_id: str, base: Mapping[str, Fraction], name: str, values: Sequence[Fraction],
          rate: str | None = None, share: str | None = None, demand: str = "uniform",
          strict: bool = False) -> dict[str, list[float]]:
    """Equilibrium quantities of ``model_id`` as ``name`` runs over ``values``.

    Returns ``{'x': [...], 'q': [...], ...}`` (NaN where a quantity does not
    exist).  With ``strict=False`` a point the engine cannot solve is NaN;
    with ``strict=True`` its error is raised.
    """
    key = cache.make_key("sweep", model_id, sorted((k, str(v)) for k, v in base.items()), name,
                         [str(v) for v in values], rate, share, demand)

    def compute():
        fast = _closed_form_functions(model_id, base, name, rate, share, demand)
        out = {"x": [float(v) for v in values], **{s: [] for s in SERIES}}
        for v in values:
            pt = _evaluate(fast, float(v)) if fast is not None else None
            if pt is None:  # no closed form, or its regime fails here: solve this point
                try:
                    pt = _point(model_id, {**base, name: v}, rate, share, demand)
                except Exception:
                    if strict:
                        raise
                    pt = {s: float("nan") for s in SERIES}
            for s in SERIES:
                out[s].append(pt[s])
        return out

    return cache.cached(key, compute)


def _matplotlib():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.hashsalt": "scfin", "font.size": 9, "axes.grid": True, "grid.alpha": 0.3})
    return plt


def sensitivity_figure(data: Mapping[str, list], name: str, title: str):
    """Six panels: q* (and e*), w*, r, default probability, three profits, chain profit."""
    plt = _matplotlib()
    fig, axes = plt.subplots(2, 3, figsize=(11, 6.2))
    x = data["x"]
    for ax, (_, ylabel, keys) in zip(axes.flat, PANELS):
        drawn = 0
        for k in keys:
            ys = data.get(k, [])
            if ys and any(not math.isnan(y) for y in ys):
                ax.plot(x, ys, marker=".", markersize=3, label=SERIES_LABEL[k])
                drawn += 1
                if k == "e":
                    ylabel = r"order $q^*$ (units), effort $e^*$"
        if not drawn:
            ax.text(0.5, 0.5, "not in this model", ha="center", va="center", transform=ax.transAxes, color="grey")
        elif drawn > 1:  # one curve is named by the axis label
            # one row of entries in headroom above the curves, never over them
            lo, hi = ax.get_ylim()
            ax.set_ylim(lo, hi + 0.22 * (hi - lo))
            ax.legend(fontsize=7, loc="upper center", ncol=drawn, frameon=False,
                      handlelength=1.5, columnspacing=1.0)
        ax.set_xlabel(label(name))
        ax.set_ylabel(ylabel)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def profit_bars(rows: Sequence[tuple[str, Mapping[str, float]]], title: str):
    """Grouped bars: each financing mode's retailer, manufacturer and bank profit."""
    plt = _matplotlib()
    import numpy as np

    parties = ("retailer", "manufacturer", "bank")
    fig, ax = plt.subplots(figsize=(10, 4.2))
    idx = np.arange(len(rows))
    width = 0.26
    for i, party in enumerate(parties):
        vals = [r[1].get(party, 0.0) or 0.0 for r in rows]
        ax.bar(idx + (i - 1) * width, vals, width, label=SERIES_LABEL[party])
    ax.set_xticks(idx)
    ax.set_xticklabels([r[0] for r in rows], rotation=20, ha="right", fontsize=8)
    ax.set_ylabel("expected profit (money)")
    ax.set_xlabel("financing mode (model)")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.legend(fontsize=8)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def close(fig) -> None:
    import matplotlib.pyplot as plt

    plt.close(fig)
