"""``scfin reproduce``: every model and every claim, as an article, figures and JSON.

Writes into ``out``: ``scfin-report.tex`` and the bibliography it cites,
``references.bib`` (and ``scfin-report.pdf`` when a LaTeX compiler is installed), ``scfin-summary.json`` and ``figures/*.pdf|png``.
Everything is a rendering of :func:`scfin.solver.solve` and of the claim
checkers; nothing is retyped.  Outputs are deterministic (no timestamps,
sorted keys, fixed float formatting) and written atomically.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from scfin.report import atomic, prefetch, tex
from scfin.report.content import (EXTRA_CASES, SENSITIVITY, Progress, coordinating_run, make_figures, run_claims,
                                  run_model, run_user,
                                  run_zone, summary_json)
from scfin.report.pdf import compile_pdf

# ---------------------------------------------------------------------------
# the command
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ClaimLine:
    """What the command prints of a claim (its number, title, status and parts' statuses): no expressions."""

    number: int
    title: str
    status: str
    tally: str
    parts: tuple["ClaimLine", ...] = ()

    @classmethod
    def of(cls, c) -> "ClaimLine":
        return cls(c.number, c.title, c.status, c.tally, tuple(cls.of(p) for p in c.parts))


def reproduce(out: str | Path, pdf: bool = True, figures_dir: str | Path | None = None, quiet: bool = False,
              jobs: int | None = None, models: tuple[str, ...] = (), reuse: bool = True) -> dict:
    """Run everything and write the outputs; returns a summary dict (paths, failures, statuses).

    ``models``: references of the user's models (``PATH.py:NAME``, ``module:NAME``, a plugin), each given
    an appendix section: the catalogue's treatment, its verification and its comparative statics.

    ``jobs``: worker processes for the symbolic work (default: the usable
    CPUs; 1 runs everything in this process).  With more than one, every
    model, claim, sweep and the zone are first derived in parallel into the
    disk cache (:mod:`scfin.report.prefetch`); the report is then rendered
    from the cache, exactly as a warm run renders it.

    ``reuse``: a run whose outputs are in the cache under the same package source and user models
    (a warm run) writes them from there, rendering nothing; ``False`` renders from the derivation
    cache again (the tests compare the two).
    """
    from scfin.derive import cache
    from scfin.claims import FAILED, _load
    from scfin.claims.base import REGISTRY
    from scfin.spec.models import CATALOGUE

    out = Path(out)
    fig_dir = out / "figures"
    from scfin.solver import build_model

    models = tuple(models)
    # everything the outputs depend on: the package's source (engine, claims, renderers) and bibliography,
    # the numeric libraries (SymPy is in every key) and the user's models (their clauses' source digests)
    from importlib.metadata import version

    outputs_key = cache.make_key("reproduce-outputs", cache.package_digest(), tex.bib_text(),
                                 [version(d) for d in ("numpy", "scipy", "matplotlib")],
                                 [build_model(ref).key() for ref in models])
    if reuse and cache.enabled() and cache.stored(outputs_key):
        return _replay(cache.cached(outputs_key, dict), out, fig_dir, pdf, figures_dir, quiet)
    cases = [(m, None, {}) for m in CATALOGUE] + list(EXTRA_CASES)
    try:
        _load()
    except Exception:
        pass
    workers = prefetch.default_jobs() if jobs is None else max(1, int(jobs))
    # without the disk cache the workers' results could not reach the renderer
    work = (prefetch.jobs_for(cases, sorted(REGISTRY), SENSITIVITY, fig_dir, models)
            if workers > 1 and cache.enabled() else [])
    # a run whose prefetch completed leaves a marker: the next run with the same
    # code and jobs finds everything in the cache and needs no pool (were an
    # entry gone meanwhile, the sequential pass would derive it)
    marker = cache.make_key("reproduce-prefetched", cache.package_digest(), [label for label, _, _ in work])
    if work and cache.stored(marker):
        work = []
    total = len(work) + len(cases) + len(models) + len(REGISTRY) + len(SENSITIVITY) + 1 + 1 + (1 if pdf else 0) + 1
    progress = Progress(quiet, total)
    if work:
        progress.say(f"deriving {len(work)} models, claims and figures on {workers} processes")
        failures = prefetch.prefetch(work, workers, lambda label, note: progress.step(f"derived {label} ({note})"))
        failed = {label for label, _ in failures}
        written = frozenset(args[1][0] for label, kind, args in work if kind == "figure" and label not in failed)
        if not failures:
            cache.cached(marker, lambda: True)
        progress.say("rendering the report from the derivation cache")
    else:
        written = frozenset()
    runs = []
    for model_id, rate, extra in cases:
        progress.step(f"model {model_id}" + (f" ({rate})" if rate else ""))
        runs.append(run_model(model_id, rate, extra))
    users = []
    for ref in models:
        progress.step(f"user model {ref}")
        users.append(run_user(ref))
    claims = run_claims(progress)
    progress.step("Pareto zone")
    zone, zone_note = run_zone()
    coordinating = coordinating_run(zone)
    if coordinating is not None:  # the combined contract's row at coordinating terms, after its own row
        at = max((i for i, r in enumerate(runs) if r.model == coordinating.model), default=len(runs) - 1)
        runs.insert(at + 1, coordinating)
    figs = make_figures(fig_dir, runs, progress, written, zone=zone)
    text = tex.report(runs, claims, zone, zone_note, figs, users)
    saved = {"text": text, "json": summary_json(runs, claims, zone, zone_note, figs, users),
             "claims": [ClaimLine.of(c) for c in claims],
             "failed": [c.number for c in claims if c.status == FAILED],
             "model_errors": [r.label for r in runs + [u.run for u in users] if r.numbers is None]}
    if cache.enabled() and not saved["failed"] and not saved["model_errors"]:
        stems = {stem for stem, _, _ in figs}
        figures = {f.name: f.read_bytes() for f in sorted(fig_dir.glob("*.p[dn][fg]")) if f.stem in stems}
        cache.cached(outputs_key, lambda: {**saved, "figures": figures})
    return _deliver(saved, out, fig_dir, pdf, figures_dir, progress)


def _replay(saved: dict, out: Path, fig_dir: Path, pdf: bool, figures_dir, quiet: bool) -> dict:
    """A warm run: the outputs of an earlier run with the same source and models, written again."""
    progress = Progress(quiet, 2 if pdf else 1)
    progress.step("outputs from the cache (same package source and models)")
    for name, data in saved["figures"].items():
        atomic.write_bytes(fig_dir / name, data)
    return _deliver(saved, out, fig_dir, pdf, figures_dir, progress)


def _deliver(saved: dict, out: Path, fig_dir: Path, pdf: bool, figures_dir, progress) -> dict:
    """Write the report, the bibliography and the JSON, compile the PDF, copy the figures; the summary dict."""
    atomic.write_text(out / "scfin-report.tex", saved["text"])
    atomic.write_text(out / f"{tex.BIB_NAME}.bib", tex.bib_text())
    atomic.write_text(out / "scfin-summary.json", saved["json"])
    pdf_ok, pdf_note = None, ""
    if pdf:
        progress.step("LaTeX -> PDF")
        pdf_ok, pdf_note = compile_pdf(saved["text"], fig_dir, out / "scfin-report.pdf", bib=tex.bib_text())
        if pdf_note:
            progress.say(pdf_note)
    if figures_dir is not None:
        dest = Path(figures_dir)
        for src in sorted(fig_dir.glob("*.p[dn][fg]")):
            atomic.copy_file(src, dest / src.name)
    return {"claims": saved["claims"], "failed": saved["failed"], "model_errors": saved["model_errors"],
            "pdf_ok": pdf_ok, "pdf_note": pdf_note}


def reproduce_command(out: str = "scfin-out", pdf: bool = True, figures: str | None = None, quiet: bool = False,
                      jobs: int | None = None, models: tuple[str, ...] = (), reuse: bool = True) -> int:
    """``scfin reproduce``: exit 0 only if every claim verified, every model solved and the PDF compiled."""
    t0 = time.monotonic()
    res = reproduce(out, pdf=pdf, figures_dir=figures, quiet=quiet, jobs=jobs, models=models, reuse=reuse)
    claims = res["claims"]
    counts: dict[str, int] = {}
    for c in claims:
        counts[c.status] = counts.get(c.status, 0) + 1
    print(f"scfin reproduce: wrote {Path(out) / 'scfin-report.tex'} in {time.monotonic() - t0:.1f} s")
    print(f"{'claim':>5}  status")
    for c in claims:
        print(f"{c.number:>5}  {c.tally}  ({c.title})")
    print("summary: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) if counts else "summary: no claims registered")
    parts = [p for c in claims for p in (c.parts or (c,))]
    if parts:
        from scfin.claims.base import tally

        print("parts: " + tally(parts))
    bad = bool(res["failed"]) or bool(res["model_errors"]) or res["pdf_ok"] is False
    if res["model_errors"]:
        print("models without a solution: " + ", ".join(res["model_errors"]))
    if res["pdf_ok"] is False:
        print(f"PDF: {res['pdf_note']}")
    return 1 if bad else 0
