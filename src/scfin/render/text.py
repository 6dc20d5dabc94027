"""Plain-text and JSON renderings of an equilibrium."""

from __future__ import annotations

import math
from dataclasses import fields, is_dataclass
from fractions import Fraction
from typing import Any, Mapping

import sympy as sp

from scfin.results import Equilibrium


def number(expr) -> float | None:
    """A float for a numeric expression, else ``None`` (also for a quantity reported as none)."""
    if expr is None:
        return None
    expr = sp.sympify(expr)
    if expr.free_symbols or expr.has(sp.Integral, sp.Function):
        return None
    try:
        val = complex(expr.evalf(17))
    except (TypeError, ValueError):
        return None
    if abs(val.imag) > 1e-12 or not math.isfinite(val.real):
        return None
    return val.real


def exact_text(expr) -> str:
    return sp.sstr(sp.sympify(expr))


def json_value(expr) -> Any:
    """A JSON value: a number where numeric, ``null`` for none, else the expression's text."""
    if expr is None:
        return None
    val = number(expr)
    return val if val is not None else exact_text(expr)


def equilibrium_json(eq: Equilibrium) -> dict:
    def block(mapping):
        return {k: json_value(v) for k, v in mapping.items()}

    exact = {}
    for group in (eq.decisions, eq.profits, eq.metrics):
        for k, v in group.items():
            if v is None:
                continue
            v = sp.sympify(v)
            if not v.has(sp.Float) and number(v) is not None and not (v.is_Integer):
                exact[k] = exact_text(v)
    return {
        "model": eq.model,
        "demand": eq.demand,
        "rate": eq.rate,
        "parameters": block(eq.parameters),
        "decisions": block(eq.decisions),
        "profits": block(eq.profits),
        "metrics": block(eq.metrics),
        "regime": {
            "holds": None if eq.regime_holds is None else bool(eq.regime_holds),
            "conditions": [
                {"condition": exact_text(c.condition), "holds": None if c.holds is None else bool(c.holds),
                 "source": c.source} for c in eq.regime
            ],
        },
        "closed_form": eq.closed_form,
        "numeric": eq.numeric,
        "boundary": list(eq.boundary),
        "kinks": list(eq.kinks),
        "first_order": [{"player": p, "condition": exact_text(c)} for p, c in eq.first_order],
        "exact": exact,
        "notes": list(eq.notes),
    }


def _fmt(expr) -> str:
    if expr is None:
        return "none"
    val = number(expr)
    text = exact_text(expr)
    if val is None:
        return text
    sv = sp.sympify(expr)
    if sv.is_Integer:
        return text
    if sv.is_Rational or (not sv.has(sp.Float)):
        return f"{text}  (= {val:.6g})"
    return f"{val:.10g}"


def equilibrium_text(eq: Equilibrium) -> str:
    lines = [f"{eq.title} [{eq.model}], {eq.demand} demand" + (f", rate {eq.rate}" if eq.rate else "")]
    if eq.parameters:
        lines.append("parameters: " + ", ".join(f"{k} = {exact_text(v)}" for k, v in eq.parameters.items()))
    kind = "closed form" if eq.closed_form else ("numeric solution" if eq.numeric else "no closed form")
    lines.append(f"solution: {kind}")

    def section(title, mapping):
        if not mapping:
            return
        lines.append(f"{title}:")
        width = max(len(k) for k in mapping)
        for k, v in mapping.items():
            lines.append(f"  {k:<{width}}  {_fmt(v)}")

    section("decisions", eq.decisions)
    section("profits", eq.profits)
    section("metrics", eq.metrics)
    if eq.first_order and not eq.closed_form:
        lines.append("first-order conditions:")
        for player, cond in eq.first_order:
            lines.append(f"  {player}: {exact_text(cond)}")
    if eq.regime:
        verdict = {True: "holds", False: "FAILS", None: "symbolic"}[eq.regime_holds]
        lines.append(f"regime ({verdict}):")
        for c in eq.regime:
            mark = {True: "ok", False: "FAILS", None: "  "}[c.holds]
            lines.append(f"  [{mark:>5}] {exact_text(c.condition)}   ({c.source})")
    for note in eq.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def json_number(value) -> Any:
    """Deterministic JSON number: 12 significant digits; exact text where symbolic."""
    if isinstance(value, (bool, type(None), str)):
        return value
    if isinstance(value, Fraction):
        value = sp.Rational(value.numerator, value.denominator)
    val = number(value)
    if val is None:
        return sp.sstr(sp.sympify(value))
    if val == int(val) and abs(val) < 1e15:
        return int(val)
    return float(f"{val:.12g}")


def plain_data(obj):
    """A JSON-able rendering of a frozen result value (zone results)."""
    if is_dataclass(obj):
        return {f.name: plain_data(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, Mapping):
        return {str(k): plain_data(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain_data(v) for v in obj]
    if isinstance(obj, (sp.Basic, Fraction, int, float)) and not isinstance(obj, bool):
        return json_number(obj)
    return obj if isinstance(obj, (str, bool, type(None))) else str(obj)
