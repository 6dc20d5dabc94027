"""``scfin plot MODEL --vary NAME=LOW:HIGH [NAME=VALUE ...]``: a sensitivity figure.

Writes ``OUT.pdf`` and ``OUT.png`` atomically (never a half-written file).
Parameters not given come from the built-in defaults (docs/specification.md section 8).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Mapping

from scfin.spec.parsing import ParseError, parse_number
from scfin.report import atomic, figures


def parse_vary(text: str) -> tuple[str, Fraction, Fraction]:
    """``'b=0:5'`` -> ``('b', 0, 5)``; raises :class:`scfin.solver.InputError`."""
    from scfin.solver import InputError

    name, sep, rng = text.partition("=")
    name = name.strip()
    low, colon, high = rng.partition(":")
    if not sep or not colon or not name:
        raise InputError(f"--vary expects NAME=LOW:HIGH (for example b=0:5), got {text!r}")
    try:
        lo, hi = parse_number(low, name), parse_number(high, name)
    except ParseError as exc:
        raise InputError(str(exc)) from None
    if not lo < hi:
        raise InputError(f"--vary {name}: LOW must be below HIGH, got {low.strip()}:{high.strip()}")
    return name, lo, hi


def plot_command(model, values: Mapping[str, Fraction], opts: Mapping[str, str], vary: str,
                 out: str | None = None, points: int = 41, demand: str = "uniform") -> int:
    """Solve ``model`` (a model value or reference) across the range of ``vary``; plot its decisions, rate, default probability and profits."""
    from scfin.solver import InputError, allowed_names, build_model, prepare
    from scfin.spec.demand import get_demand

    name, lo, hi = parse_vary(vary)
    if name in values:
        raise InputError(f"{name} is both varied and given a value: give it once")
    if not 2 <= points <= 401:
        raise InputError(f"--points must be between 2 and 401, got {points}")
    mdl = build_model(model, opts.get("rate"), opts.get("share"))
    model = mdl.id
    try:
        dem = get_demand(demand)
    except KeyError as exc:
        raise InputError(exc.args[0]) from None
    if name not in allowed_names(mdl, dem):
        raise InputError(f"cannot vary {name!r} in model {model!r}: expected one of {', '.join(allowed_names(mdl, dem))}")
    # fill defaults once (validating the fixed values), then vary one name
    base = prepare(mdl, dem, {**values, name: lo}, True)
    base.pop(name)
    for end in (lo, hi):
        prepare(mdl, dem, {**base, name: end}, False)  # both ends admissible
    xs = figures.grid(lo, hi, points)
    data = figures.sweep(mdl, base, name, xs, demand=demand)
    if all(math.isnan(v) for v in data["q"]):
        raise InputError(f"no equilibrium found for {model} with {name} in [{lo}, {hi}]")
    fig = figures.sensitivity_figure(data, name, f"{mdl.title} [{model}]: sensitivity to {figures.symbol(name)}")
    stem = out or f"{model}-{name}"
    if stem.endswith((".pdf", ".png")):
        stem = stem[:-4]
    pdf, png = atomic.savefig(fig, stem)
    figures.close(fig)
    print(f"wrote {pdf} and {png}")
    return 0
