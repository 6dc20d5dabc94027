"""What the report contains: the cases, the runs of every model and claim, the zone, the sweeps and figures, the JSON summary.

Each function computes (through the disk cache) one piece the report renders;
:mod:`scfin.report.prefetch` runs them in worker processes and
:mod:`scfin.report.reproduce` renders them.  Only figure files are written here.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping


from scfin.render.text import json_number, plain_data
from scfin.report import atomic, figures, tex

F = Fraction

#: docs/specification.md section 8 defaults, plus the worked contract terms of each model
BASE = {"p": F(10), "c": F(4), "v": F(0), "A": F(100), "eta": F(0), "rf": F(0), "lam": F(1), "kappa": F(1)}
CONTRACT_TERMS: Mapping[str, Mapping[str, Fraction]] = {
    "buyback": {"w": F(6), "b": F(10, 3)},
    "revenue-sharing": {"psi": F(2, 3), "w": F(8, 3)},
    "sales-rebate": {"w": F(6), "u": F(5), "T": F(40)},
    "repurchase": {"b": F(3)},
    "conditional-repurchase": {"b": F(3)},
    "repurchase-cost-sharing": {"w": F(6), "b": F(10, 3), "phi": F(1, 3)},
    "repurchase-sales-incentive": {"w": F(6), "b": F(10, 3), "u": F(1), "T": F(40)},
    "repurchase-combined": {"w": F(6), "b": F(10, 3), "phi": F(1, 3), "u": F(1), "T": F(40)},
}
#: extra rows: the exogenous-rate chapter (r = 0.1)
EXTRA_CASES = (("bank-loan", "exogenous", {"r": F(1, 10)}),)

#: parameters kept at numbers in the closed forms (the rest stay symbolic)
CLOSED_FORM_NUMBERS = {"v": F(0), "eta": F(0), "rf": F(0), "lam": F(1)}
#: seconds of symbolic work per closed form in the report (SCFIN_TIME_BUDGET bounds solve itself)
CLOSED_FORM_BUDGET = 40.0

#: sensitivity figures: (file stem, model, varied name, low, high, points, rate)
SENSITIVITY = (
    ("sens-repurchase-b", "repurchase", "b", F(0), F(5), 26, None),
    ("sens-repurchase-lam", "repurchase", "lam", F(0), F(1), 21, None),
    ("sens-cost-sharing-phi", "repurchase-cost-sharing", "phi", F(0), F(3, 5), 13, None),
    ("sens-sales-incentive-u", "repurchase-sales-incentive", "u", F(0), F(2), 9, None),
    ("sens-bank-loan-r", "bank-loan", "r", F(0), F(3, 10), 16, "exogenous"),
    ("sens-bank-loan-eta", "bank-loan", "eta", F(0), F(180), 13, None),
)
FINANCING_MODES = ("bank-loan", "repurchase", "conditional-repurchase", "repurchase-cost-sharing",
                   "repurchase-sales-incentive", "repurchase-combined")


class Progress:
    def __init__(self, quiet: bool, total: int):
        self.quiet, self.total, self.n, self.t0 = quiet, total, 0, time.monotonic()

    def step(self, text: str) -> None:
        self.n += 1
        if not self.quiet:
            print(f"[{self.n:>2}/{self.total}] {time.monotonic() - self.t0:6.1f}s  {text}", file=sys.stderr, flush=True)

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class ModelRun:
    """One model of the report: closed form (or why not) and numbers at the defaults."""

    model: str
    rate: str | None
    closed: Any  # Equilibrium or None
    closed_note: str
    numbers: Any  # Equilibrium or None
    numbers_note: str
    values: Mapping[str, Fraction] = field(default_factory=dict)
    #: a second row of a model at other terms (``"coordinating"``); it has no appendix section of its own
    variant: str = ""

    @property
    def label(self) -> str:
        tags = [t for t in ((self.rate if self.rate and self.rate != "competitive" else ""), self.variant) if t]
        return self.model + "".join(f" ({t})" for t in tags)


def _allowed(model_id: str, rate=None) -> tuple[str, ...]:
    from scfin.spec.demand import get_demand
    from scfin.solver import allowed_names, build_model

    return allowed_names(build_model(model_id, rate), get_demand("uniform"))


def _closed_form(model_id: str, rate: str | None, extra: Mapping[str, Fraction]):
    """The closed form, symbolic in every parameter not pinned by CLOSED_FORM_NUMBERS."""
    from scfin.derive import cache
    from scfin import solver as S

    allowed = _allowed(model_id, rate)
    vals = {k: v for k, v in {**CLOSED_FORM_NUMBERS, **extra}.items() if k in allowed and k not in ("w",)}
    if rate == "exogenous":
        vals.pop("r", None)
    # the model's key: a user's model (PATH.py:NAME) is keyed by its clauses' source, not by its path
    key = cache.make_key("report-closed-form", model_id, S.build_model(model_id, rate).key(), rate,
                         sorted(vals.items()), CLOSED_FORM_BUDGET)

    def compute():
        old = S.TIME_BUDGET
        S.TIME_BUDGET = min(old, CLOSED_FORM_BUDGET)
        try:
            return ("ok", S.solve(model_id, vals, rate=rate))
        except Exception as exc:  # a timeout is a result here: remembered, so warm runs skip it
            return ("none", f"no closed form within {CLOSED_FORM_BUDGET:g} s of symbolic work ({exc})")
        finally:
            S.TIME_BUDGET = old

    status, value = cache.cached(key, compute)
    return (value, "") if status == "ok" else (None, value)


def run_model(model_id: str, rate: str | None = None, extra: Mapping[str, Fraction] | None = None,
              variant: str = "") -> ModelRun:
    from scfin.solver import solve

    extra = dict(extra or {})
    allowed = _allowed(model_id, rate)
    # a variant row is numbers only: its closed form is the model's own section's
    closed, closed_note = (None, "") if variant else _closed_form(model_id, rate, extra)
    vals = {k: v for k, v in {**BASE, **CONTRACT_TERMS.get(model_id, {}), **extra}.items() if k in allowed}
    try:
        numbers, note = solve(model_id, vals, rate=rate, defaults=True), ""
    except Exception as exc:
        numbers, note = None, f"{type(exc).__name__}: {exc}"
    return ModelRun(model_id, rate, closed, closed_note, numbers, note, vals, variant)


def coordinating_run(zone) -> ModelRun | None:
    """The combined contract at the middle of its Pareto zone, with the coordinating terms there.

    Claim 10: with ``b(w)``, ``phi(w)`` of the coordinating family the combined contract attains the
    integrated optimum for every ``w``; the results table shows it at the zone's midpoint price.
    """
    if zone is None or zone.empty or zone.lower is None or zone.upper is None:
        return None
    import sympy as sp

    from scfin.spec.notation import sym

    w = (sp.nsimplify(zone.lower) + sp.nsimplify(zone.upper)) / 2
    terms = {k: sp.nsimplify(sp.sympify(v).xreplace({sym("w"): w})) for k, v in zone.family.terms.items()}
    extra = {"w": Fraction(str(w)), **{k: Fraction(str(v)) for k, v in terms.items()},
             **{k: Fraction(str(v)) for k, v in zone.parameters.items() if k not in terms and k != "w"}}
    return run_model(zone.model, None, extra, variant="coordinating")


#: random admissible points at which ``scfin verify`` checks a user's model in the report
USER_VERIFY_POINTS = 20
#: seconds of symbolic work and decision for each entry of a user model's comparative-statics table
USER_STATICS_BUDGET = 10.0


@dataclass(frozen=True)
class UserRun:
    """A user's model in the report: its run (as a catalogue model's), its sign table and its verification."""

    ref: str
    run: ModelRun
    statics: Any  # StaticsTable or None
    statics_note: str
    verification: Mapping[str, Any] | None  # VerificationReport.as_json() or None
    verification_note: str


def user_analysis(ref: str) -> tuple:
    """The comparative statics and the verification of a user's model, through the disk cache.

    Keyed by the model's key (its clauses' source digest included) and the
    package's source: an edited model file is analysed again.
    """
    from scfin.claims.statics import statics
    from scfin.derive import cache
    from scfin.solver import build_model
    from scfin.verify.run import verify

    model = build_model(ref)
    key = cache.make_key("report-user-model", model.key(), cache.package_digest(), USER_VERIFY_POINTS,
                         USER_STATICS_BUDGET)

    def compute():
        try:
            table, table_note = statics(model, budget_s=USER_STATICS_BUDGET), ""
        except Exception as exc:
            table, table_note = None, f"{type(exc).__name__}: {exc}"
        try:
            report, report_note = verify(model, points=USER_VERIFY_POINTS, seed=0, jobs=1).as_json(), ""
        except Exception as exc:
            report, report_note = None, f"{type(exc).__name__}: {exc}"
        if report is not None:
            report["seconds"] = None  # the report is deterministic: no wall time in it
        return table, table_note, report, report_note

    return cache.cached(key, compute)


def run_user(ref: str) -> UserRun:
    run = run_model(ref)
    table, table_note, report, report_note = user_analysis(ref)
    return UserRun(ref, run, table, table_note, report, report_note)


def run_claim(n: int):
    """Claim ``n``'s result; its proof is cached on disk under the package's source digest."""
    from scfin.derive import cache
    from scfin.claims import _load
    from scfin.claims.base import REGISTRY

    _load()
    return cache.cached(cache.make_key("claim", n, cache.package_digest()), REGISTRY[n])


def run_claims(progress: Progress) -> list:
    """Every registered claim; one that raises is reported as failed verification."""
    from scfin.claims import FAILED, ClaimResult, _load
    from scfin.claims.base import REGISTRY

    try:
        _load()
    except Exception as exc:  # a claim module that does not import
        progress.say(f"claims: a claim module failed to import: {exc}")
    out = []
    for n in sorted(REGISTRY):
        progress.step(f"claim {n}")
        try:
            res = run_claim(n)
        except Exception as exc:
            res = ClaimResult(number=n, title=getattr(REGISTRY[n], "__name__", f"claim {n}"),
                              statement="(the checker raised)", status=FAILED,
                              notes=(f"the checker raised {type(exc).__name__}: {exc}",))
        out.append(res)
    return out


def run_zone():
    try:
        from scfin.claims.zone import pareto_zone
    except Exception as exc:
        return None, f"the Pareto zone is not available ({type(exc).__name__}: {exc})"
    from scfin.derive import cache

    try:
        key = cache.make_key("pareto-zone", "repurchase-combined", cache.package_digest())
        return cache.cached(key, lambda: pareto_zone("repurchase-combined")), ""
    except Exception as exc:
        return None, f"the Pareto zone failed: {type(exc).__name__}: {exc}"


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------

def _eq_json(eq) -> dict | None:
    if eq is None:
        return None
    return {
        "parameters": {k: json_number(v) for k, v in eq.parameters.items()},
        "decisions": {k: json_number(v) for k, v in eq.decisions.items()},
        "profits": {k: json_number(v) for k, v in eq.profits.items()},
        "metrics": {k: json_number(v) for k, v in eq.metrics.items()},
        "closed_form": eq.closed_form,
        "numeric": eq.numeric,
        "regime_holds": eq.regime_holds,
        "boundary": list(eq.boundary),
        "notes": list(eq.notes),
    }


def _claim_json(c) -> dict:
    ce = c.counterexample
    return {
        "title": c.title, "statement": c.statement, "status": c.status, "tally": c.tally, "assumptions": list(c.assumptions),
        "counterexample": None if ce is None else {
            "text": ce.text,
            "parameters": {k: json_number(v) for k, v in ce.parameters.items()},
            "observed": {k: json_number(v) for k, v in ce.observed.items()}},
        "parts": [_claim_json(p) for p in c.parts],
    }


def figures_json(figs) -> dict:
    """The data behind each figure of the report, by file stem."""
    out = {}
    for entry in SENSITIVITY:
        data = sweep_data(entry)
        panels, omitted = figures.drawn_panels(data)
        default = sweep_default(entry)
        out[entry[0]] = {"model": entry[1], "rate": entry[6], "varied": entry[2],
                         "default": None if default is None else json_number(default),
                         "series": {k: [_jnum(y) for y in v] for k, v in data.items()},
                         "drawn": [k for _, _, keys in panels for k in keys], "constant": sorted(omitted)}
    return out


def _jnum(y):
    """A JSON number, ``None`` for NaN (a quantity not defined at that point)."""
    return None if isinstance(y, float) and y != y else json_number(y)


def _json_series(data):
    if data is None:
        return None
    return {k: ([_jnum(y) for y in v] if isinstance(v, list) else
                {a: _jnum(b) for a, b in v.items()} if isinstance(v, dict) else _jnum(v))
            for k, v in data.items()}


def _user_json(u: UserRun) -> dict:
    from scfin.claims.statics import entry_json

    return {"ref": u.ref, "closed_form": u.run.closed is not None, "closed_form_note": u.run.closed_note,
            "at_defaults": _eq_json(u.run.numbers), "error": u.run.numbers_note or None,
            "statics": None if u.statics is None else [entry_json(e) for e in u.statics.entries],
            "statics_note": u.statics_note or None,
            "verification": u.verification, "verification_note": u.verification_note or None}


def summary_json(runs, claims, zone, zone_note, figs=(), users=()) -> str:
    data = {
        "defaults": {k: json_number(v) for k, v in BASE.items()},
        "models": {
            r.label: {"rate": r.rate, "closed_form": r.closed is not None, "closed_form_note": r.closed_note,
                      "at_defaults": _eq_json(r.numbers), "error": r.numbers_note or None}
            for r in runs
        },
        "claims": {str(c.number): _claim_json(c) for c in claims},
        "figures": figures_json(figs),
        "zone": plain_data(zone) if zone is not None else None,
        "zone_figure": _json_series(zone_series(zone)),
        "zone_note": zone_note or None,
    }
    if users:  # only with ``--model``: the catalogue's report is unchanged without it
        data["user_models"] = {u.run.label: _user_json(u) for u in users}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=True) + "\n"


# ---------------------------------------------------------------------------
# figures
# ---------------------------------------------------------------------------

def sweep_default(entry) -> Fraction | None:
    """The default value of the parameter a SENSITIVITY entry varies (marked in its figure)."""
    _, model, name, lo, hi, points, rate = entry
    value = {**BASE, **CONTRACT_TERMS.get(model, {}), "r": F(1, 10)}.get(name)
    return value if value is not None and lo <= value <= hi else None


def sweep_data(entry) -> dict[str, list[float]]:
    """The data of one SENSITIVITY entry (cached on disk by :func:`figures.sweep`); the default is a grid point."""
    _, model, name, lo, hi, points, rate = entry
    allowed = _allowed(model, rate)
    base = {k: v for k, v in {**BASE, **CONTRACT_TERMS.get(model, {}), "r": F(1, 10)}.items()
            if k in allowed and k != name}
    if rate != "exogenous":
        base.pop("r", None)
    xs = set(figures.grid(lo, hi, points))
    default = sweep_default(entry)
    if default is not None:
        xs.add(default)
    return figures.sweep(model, base, name, tuple(sorted(xs)), rate=rate)


def _figure_cached(key_parts, draw) -> tuple[bytes, bytes]:
    """A figure's PDF and PNG bytes, cached on disk (drawing is most of a warm run)."""
    import matplotlib

    from scfin.derive import cache

    def render():
        fig = draw()
        try:
            return atomic.figure_bytes(fig)
        finally:
            figures.close(fig)

    return cache.cached(cache.make_key("figure", *key_parts, matplotlib.__version__, cache.package_digest()), render)


def sensitivity_figure(fig_dir: Path, entry) -> None:
    """Write one SENSITIVITY entry's figure (PDF and PNG) into ``fig_dir``."""
    stem, model, name = entry[:3]
    default = sweep_default(entry)
    data = _figure_cached(
        ("sensitivity", entry),
        lambda: figures.sensitivity_figure(sweep_data(entry), name, None,
                                           default=None if default is None else float(default)))
    atomic.write_figure(Path(fig_dir) / stem, data)


#: stem of the figure of every party's profit under each financing mode
PROFITS_FIGURE = "profits-by-mode"
#: stem of the Pareto zone's figure
ZONE_FIGURE = "pareto-zone"


def _mode_rows(runs) -> list:
    rows = []
    for r in runs:
        if r.model in FINANCING_MODES and r.rate in (None, "competitive") and r.numbers is not None and not r.variant:
            rows.append((r.model, {k: json_number(v) for k, v in r.numbers.profits.items()}))
    return rows


def profits_figure_data(runs=None) -> tuple[bytes, bytes]:
    """PDF and PNG of the profits of all parties under each financing mode (competitive
    bank, defaults), cached.

    ``runs``: this run's :class:`ModelRun` values; without them (a worker
    process filling the figure cache) the financing modes are run here, from
    the derivation cache where their jobs have filled it.
    """
    from scfin.spec.models import CATALOGUE

    if runs is None:
        runs = [run_model(m) for m in FINANCING_MODES]
    rows = _mode_rows(runs)
    names = {m: CATALOGUE[m].title for m in FINANCING_MODES}
    return _figure_cached(("profits-by-mode", rows, sorted(names.items())),
                          lambda: figures.profit_bars(rows, None, names))


#: points of the Pareto zone's figure along w
ZONE_POINTS = 121


def zone_series(zone) -> dict[str, list[float]] | None:
    """The zone figure's data: each party's profit along the coordinating family at ``ZONE_POINTS`` values
    of ``w`` in ``(c, p)`` where the family is admissible (NaN elsewhere), and the benchmark profits."""
    import sympy as sp

    from scfin.spec.notation import sym

    if zone is None or zone.empty:
        return None
    w = sym("w")
    c, p = float(zone.parameters["c"]), float(zone.parameters["p"])
    xs = [c + (p - c) * i / (ZONE_POINTS - 1) for i in range(ZONE_POINTS)]
    cons = [sp.lambdify([w], g) for g in zone.family.constraints.values()]
    parties = [k for k in ("retailer", "manufacturer", "bank")
               if not (sp.sympify(zone.family.profits[k]).is_zero and sp.sympify(zone.benchmark[k]).is_zero)]
    fns = {k: sp.lambdify([w], zone.family.profits[k]) for k in parties}
    out: dict[str, list[float]] = {"w": [round(x, 12) for x in xs]}
    for k in parties:
        out[k] = []
    for x in xs:
        ok = 0 < x - c and 0 < p - x and all(float(g(x)) >= 0 for g in cons)
        for k in parties:
            out[k].append(round(float(fns[k](x)), 12) if ok else float("nan"))
    out["benchmark"] = {k: float(zone.benchmark[k]) for k in parties}
    out["lower"], out["upper"] = float(zone.lower), float(zone.upper)
    return out


def zone_figure_data(zone) -> tuple[bytes, bytes] | None:
    data = zone_series(zone)
    if data is None:
        return None
    series = {k: v for k, v in data.items() if k in ("retailer", "manufacturer", "bank")}
    return _figure_cached(("pareto-zone", json.dumps(data, sort_keys=True)),
                          lambda: figures.zone_figure(data["w"], series, data["benchmark"], data["lower"],
                                                      data["upper"]))


def _sens_caption(entry, omitted: Mapping[str, float | None]) -> str:
    from scfin.render.latex import number_latex
    from scfin.spec.models import CATALOGUE

    stem, model, name, lo, hi, points, rate = entry
    sym_ = f"${tex.symbol_latex(name)}$"
    text = (f"{tex.tex_escape(CATALOGUE[model].title)} (Section~\\ref{{{tex.model_label(model, rate)}}})"
            f"{', exogenous rate' if rate else ''}: the equilibrium against {sym_} from "
            f"${number_latex(lo)}$ to ${number_latex(hi)}$, the other parameters at their defaults.")
    default = sweep_default(entry)
    if default is not None:
        text += (f" The dotted line and the dots mark the default ${tex.symbol_latex(name)} = "
                 f"{number_latex(default)}$.")
    const = [f"{tex.series_text(k)} (${tex.series_symbol(k)} = {number_latex(v, 4)}$)"
             for k, v in omitted.items() if v is not None and tex.series_symbol(k)]
    missing = [tex.series_text(k) for k, v in omitted.items() if v is None]
    if const:
        text += " Constant over the range and not drawn: " + tex.join_words(const) + "."
    if missing:
        text += " Not in this model: " + tex.join_words(missing) + "."
    return text


def make_figures(fig_dir: Path, runs, progress: Progress, written: frozenset[str] = frozenset(),
                 zone=None) -> list[tuple[str, str, str]]:
    """Write every figure (except the sensitivity figures in ``written``, already
    written by this run's worker processes); returns (stem, caption, label) triples for the report."""
    out = []
    for entry in SENSITIVITY:
        stem = entry[0]
        progress.step(f"figure {stem}")
        if stem not in written:
            sensitivity_figure(fig_dir, entry)
        _, omitted = figures.drawn_panels(sweep_data(entry))
        out.append((stem, _sens_caption(entry, omitted), f"fig:{stem}"))
    progress.step("figure profits by financing mode")
    # always from this pass's numbers: a worker drew it from its own reading of
    # the cache (normally the same rows, and then this is a cache hit)
    atomic.write_figure(fig_dir / PROFITS_FIGURE, profits_figure_data(runs))
    rows = _mode_rows(runs)
    bank_zero = all(abs(r[1].get("bank", 0.0) or 0.0) <= 1e-9 for r in rows)
    out.append((PROFITS_FIGURE, "Expected profits of the retailer and the manufacturer"
                + ("" if bank_zero else " and the bank")
                + " under each financing mode, at the defaults, with a competitive bank"
                + (" (the bank breaks even in every mode: its expected profit is zero and not drawn)." if bank_zero
                   else "."), f"fig:{PROFITS_FIGURE}"))
    zdata = zone_figure_data(zone)
    if zdata is not None:
        atomic.write_figure(fig_dir / ZONE_FIGURE, zdata)
        out.append((ZONE_FIGURE, tex.zone_caption(zone), f"fig:{ZONE_FIGURE}"))
    return out
