"""Sensitivity sweeps and figures: renderings of equilibria, never formulas.

Every point of a sweep is an equilibrium from :func:`scfin.solver.solve`
(closed form where its regime holds, numeric otherwise), so a figure shows
exactly what the engine derives.  Sweeps are cached on disk by a
deterministic key (:mod:`scfin.derive.cache`), never by pickling functions.
"""

from __future__ import annotations

import logging
import math
import re
from fractions import Fraction
from typing import Mapping, Sequence

from scfin.derive import cache
from scfin.spec.notation import REGISTRY
from scfin.render.text import number

# matplotlib subsets TrueType fonts through fontTools, which warns about the fonts' own old timestamps
logging.getLogger("fontTools").setLevel(logging.ERROR)

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
    ("order", r"order $q^*$", ("q", "e")),
    ("price", r"wholesale price $w^*$", ("w",)),
    ("rate", r"interest rate $r$", ("interest_rate",)),
    ("default", r"default probability", ("default_probability",)),
    ("profits", r"expected profit", ("retailer", "manufacturer", "bank")),
    ("chain", r"chain profit $\Pi_{SC}$", ("chain",)),
)

SERIES_LABEL = {
    "q": r"$q^*$", "e": r"$e^*$ (effort)", "w": r"$w^*$", "interest_rate": r"$r$",
    "default_probability": r"$\Pr(\mathrm{default})$", "retailer": r"retailer $\Pi_R$",
    "manufacturer": r"manufacturer $\Pi_M$", "bank": r"bank $\Pi_B$", "chain": r"$\Pi_{SC}$",
}


#: a sensitivity panel's legend names its curves by their symbols (defined in the report's notation section):
#: two or three entries with words overflow a panel a third of the text wide
LEGEND_LABEL = {"e": r"$e^*$", "retailer": r"$\Pi_R$", "manufacturer": r"$\Pi_M$", "bank": r"$\Pi_B$"}


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


#: the report's text width in inches (``tex.GEOMETRY`` sets the same): figures are drawn at this width
#: and included at their natural size, so 8-9 pt in the figure is 8-9 pt on the page
TEXT_WIDTH_MM = 155
TEXT_WIDTH_IN = TEXT_WIDTH_MM / 25.4
#: height of one row of panels (inches)
ROW_HEIGHT_IN = 1.75

#: matplotlib settings of every figure: Computer Modern (the text's family) as TrueType, 8-9 pt
RC = {
    "svg.hashsalt": "scfin", "pdf.fonttype": 42, "ps.fonttype": 42,
    "font.family": "serif", "font.serif": ["cmr10"], "mathtext.fontset": "cm",
    "axes.formatter.use_mathtext": True, "axes.unicode_minus": True,
    "font.size": 8, "axes.labelsize": 8, "axes.titlesize": 9, "xtick.labelsize": 7.5, "ytick.labelsize": 7.5,
    "legend.fontsize": 7.5, "axes.grid": True, "grid.alpha": 0.3, "grid.linewidth": 0.5,
    "axes.linewidth": 0.6, "lines.linewidth": 1.1, "lines.markersize": 2.5,
    "xtick.major.width": 0.6, "ytick.major.width": 0.6, "axes.spines.top": False, "axes.spines.right": False,
}


def _matplotlib():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(RC)
    return plt


def _flat(ys: Sequence[float]) -> bool:
    """All NaN, or constant (to 1e-9 of its size): a series that carries nothing a curve could show."""
    vals = [y for y in ys if not math.isnan(y)]
    if not vals:
        return True
    return max(vals) - min(vals) <= 1e-9 * max(1.0, max(abs(y) for y in vals))


def drawn_panels(data: Mapping[str, list]) -> tuple[list[tuple[str, str, tuple[str, ...]]], dict[str, float | None]]:
    """The panels of a sensitivity figure with the series worth drawing, and the series left out.

    A series that is missing (NaN throughout) or constant is not drawn; the
    caption names it with its constant value (``None`` when missing).
    Returns ``(panels, omitted)``: panels as ``(name, ylabel, keys)``.
    """
    panels, omitted = [], {}
    for pname, ylabel, keys in PANELS:
        keep = []
        for k in keys:
            ys = data.get(k, [])
            if _flat(ys):
                vals = [y for y in ys if not math.isnan(y)]
                omitted[k] = vals[0] if vals else None
            else:
                keep.append(k)
        if keep:
            if "e" in keep:
                ylabel = r"order $q^*$, effort $e^*$"
            panels.append((pname, ylabel, tuple(keep)))
    return panels, omitted


def _panel_label(ax, i: int) -> None:
    ax.set_title(f"({chr(ord('a') + i)})", loc="left", fontsize=9, pad=5)


def sensitivity_figure(data: Mapping[str, list], name: str, title: str | None = None, default: float | None = None):
    """One panel per non-constant quantity group: q* (and e*), w*, r, default probability, profits, chain profit.

    ``default``: the parameter's default value, marked by a dotted line and a
    point on every curve.  ``title`` is drawn only when given (the report
    puts it in the caption).  Drawn at the report's text width.
    """
    plt = _matplotlib()
    panels, _ = drawn_panels(data)
    n = max(1, len(panels))
    cols = 3 if n > 4 or n == 3 else min(n, 2)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(TEXT_WIDTH_IN, ROW_HEIGHT_IN * rows + (0.25 if title else 0)),
                             squeeze=False, layout="constrained")
    x = data["x"]
    for i, ax in enumerate(axes.flat):
        if i >= len(panels):
            ax.set_visible(False)
            continue
        _, ylabel, keys = panels[i]
        for k in keys:
            ys = data[k]
            (line,) = ax.plot(x, ys, label=LEGEND_LABEL.get(k, SERIES_LABEL[k]))
            if default is not None and default in x:
                y0 = ys[x.index(default)]
                if not math.isnan(y0):
                    ax.plot([default], [y0], marker="o", markersize=3.5, color=line.get_color(), zorder=3)
        if default is not None:
            ax.axvline(default, color="0.4", linestyle=":", linewidth=0.8)
        if len(keys) > 1:  # one curve is named by the axis label
            lo, hi = ax.get_ylim()
            ax.set_ylim(lo, hi + 0.25 * (hi - lo))
            ax.legend(loc="upper center", ncol=len(keys), frameon=False, handlelength=1.5, columnspacing=1.0,
                      borderaxespad=0.5)
        ax.set_xlabel(label(name))
        ax.set_ylabel(ylabel)
        _panel_label(ax, i)
    if title:
        fig.suptitle(title, fontsize=9)
    return fig


def profit_bars(rows: Sequence[tuple[str, Mapping[str, float]]], title: str | None = None,
                names: Mapping[str, str] | None = None):
    """Grouped bars: each financing mode's retailer, manufacturer (and bank, unless zero throughout) profit."""
    plt = _matplotlib()
    import textwrap

    import numpy as np

    parties = [p for p in ("retailer", "manufacturer", "bank")
               if any(abs(r[1].get(p, 0.0) or 0.0) > 1e-9 for r in rows)]
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 2.5), layout="constrained")
    idx = np.arange(len(rows))
    width = 0.8 / max(1, len(parties))
    for i, party in enumerate(parties):
        vals = [r[1].get(party, 0.0) or 0.0 for r in rows]
        ax.bar(idx + (i - (len(parties) - 1) / 2) * width, vals, width, label=SERIES_LABEL[party])
    ax.set_xticks(idx)
    ax.set_xticklabels([textwrap.fill((names or {}).get(r[0], r[0]), 18) for r in rows], fontsize=7)
    ax.set_ylabel("expected profit (money)")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.grid(axis="x", visible=False)
    ax.legend(frameon=False, ncol=len(parties), loc="upper left")
    if title:
        ax.set_title(title)
    return fig


def zone_figure(w: Sequence[float], series: Mapping[str, Sequence[float]], benchmark: Mapping[str, float],
                lower: float, upper: float, default: float | None = None):
    """Each party's profit along the coordinating family against ``w``, its benchmark dashed, the zone shaded."""
    plt = _matplotlib()
    fig, ax = plt.subplots(figsize=(TEXT_WIDTH_IN, 2.4), layout="constrained")
    ax.axvspan(lower, upper, color="0.85", zorder=0, label="Pareto zone")
    for party, ys in series.items():
        (line,) = ax.plot(w, ys, label=SERIES_LABEL[party])
        if party in benchmark:
            ax.axhline(benchmark[party], color=line.get_color(), linestyle="--", linewidth=0.8)
    if default is not None:
        ax.axvline(default, color="0.4", linestyle=":", linewidth=0.8)
    ax.set_xlabel(label("w"))
    ax.set_ylabel("expected profit (money)")
    ax.legend(frameon=False, ncol=len(series) + 1, loc="upper center", bbox_to_anchor=(0.5, 1.12))
    return fig


def close(fig) -> None:
    import matplotlib.pyplot as plt

    plt.close(fig)
