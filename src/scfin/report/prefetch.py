"""Fill the derivation cache for ``scfin reproduce`` in a pool of worker processes.

``scfin reproduce`` is a sequence of independent symbolic jobs (every model,
every claim, the Pareto zone, every sensitivity sweep, and the checked LaTeX
of each) followed by a cheap rendering.  On a cold cache the jobs dominate,
so they run first in a process pool; each job stores its results in the
on-disk cache (:mod:`scfin.derive.cache`) and returns nothing but its label and
time.  The report is then rendered by the ordinary sequential code, which
now reads every result from the cache exactly as a warm run does: the
outputs of a cold and a warm run are byte-identical by construction, and the
parallel path cannot produce anything the sequential one would not.  The
one exception is a sensitivity figure: drawing it is most of a warm run, so
its job also writes it (atomically, by the function the sequential pass
would call), and the sequential pass skips the figures written.  (The
profits-by-mode job only fills the figure cache: the sequential pass
writes that figure from its own numbers, a cache hit when they are the
worker's.)

A job that raises is reported and left to the sequential pass, which
records the failure in the report as it always does.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Callable

#: a job: (label, kind, arguments); kinds are dispatched by :func:`run_job`
Job = tuple[str, str, tuple]

#: jobs known to take longest on a cold cache, started first so that the two
#: workers finish together (longest-processing-time-first scheduling)
LONG_FIRST = ("model conditional-repurchase", "claim 11", "claim 10", "model repurchase-combined", "claim 8",
              "claim 6", "model repurchase-sales-incentive", "claim 9", "figure sens-sales-incentive-u",
              "figure sens-repurchase-lam", "figure sens-repurchase-b", "Pareto zone", "model repurchase-cost-sharing",
              "claim 7",
              "figure sens-bank-loan-eta", "figure sens-cost-sharing-phi")


def default_jobs() -> int:
    """Worker processes: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def jobs_for(cases, claim_numbers, sweeps, fig_dir, users=()) -> list[Job]:
    """Every job of a reproduce run, longest (known) first, the rest in report order.

    A sensitivity figure's job writes the figure itself (into ``fig_dir``,
    atomically): rendering it is most of a warm run.
    """
    jobs: list[Job] = []
    for model_id, rate, extra in cases:
        label = f"model {model_id}" + (f" ({rate})" if rate else "")
        jobs.append((label, "model", (model_id, rate, tuple(sorted(extra.items())))))
    # a user's model (PATH.py:NAME) is loaded by reference in the worker, from the same working directory
    jobs += [(f"user model {ref}", "user", (ref,)) for ref in users]
    jobs += [(f"claim {n}", "claim", (n,)) for n in claim_numbers]
    jobs.append(("Pareto zone", "zone", ()))
    jobs += [(f"figure {entry[0]}", "figure", (str(fig_dir), entry)) for entry in sweeps]
    rank = {label: i for i, label in enumerate(LONG_FIRST)}
    jobs = sorted(jobs, key=lambda j: rank.get(j[0], len(rank)))
    # last: it reads the financing modes' numbers, which the model jobs have cached by then
    return jobs + [("figure profits by financing mode", "profits", ())]



def run_job(kind: str, args: tuple) -> float:
    """Run one job in this process (results land in the disk cache); returns seconds."""
    from sympy.core import random as sympy_random

    from scfin.render.latex import claim_latex
    from scfin.report import content as R
    from scfin.report import tex

    # SymPy's multivariate factorisation (Wang) draws random evaluation points
    # and its time depends on them: the same seed for every job makes a cold
    # run's time repeatable (results do not depend on it)
    sympy_random.seed(20261129)
    t0 = time.perf_counter()
    if kind == "model":
        model_id, rate, extra = args
        run = R.run_model(model_id, rate, dict(extra))
        tex.model_section(run)  # the checked display forms are cached too
    elif kind == "user":
        (ref,) = args
        tex.user_section(R.run_user(ref))
    elif kind == "claim":
        (n,) = args
        claim_latex(R.run_claim(n))
    elif kind == "zone":
        zone, _ = R.run_zone()
        # the report pass draws the zone's figure and solves the combined contract at coordinating terms:
        # both from the zone, both cached here
        R.zone_figure_data(zone)
        R.coordinating_run(zone)
    elif kind == "figure":
        fig_dir, entry = args
        R.sensitivity_figure(fig_dir, entry)
    elif kind == "profits":
        R.profits_figure_data()  # the report pass writes the file, from its own numbers
    else:  # pragma: no cover - a programming error
        raise ValueError(f"unknown job kind {kind!r}")
    return time.perf_counter() - t0


def _worker_init() -> None:
    # a worker must not leave half-written files or a traceback when the user
    # interrupts: the parent handles Ctrl-C and shuts the pool down
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # the server imports SymPy, scfin and matplotlib's pyplot (about a second) once; every worker
        # forks from it (figures select the Agg backend before drawing, as in the sequential pass)
        ctx.set_forkserver_preload(["scfin.report.content", "matplotlib.pyplot"])
        return ctx
    return multiprocessing.get_context("spawn")


def prefetch(jobs: list[Job], workers: int, done: Callable[[str, str], None]) -> list[tuple[str, str]]:
    """Run ``jobs`` on ``workers`` processes; ``done(label, note)`` after each.

    Returns ``(label, error)`` for the jobs that raised (the sequential pass
    runs them again and reports them).
    """
    failures: list[tuple[str, str]] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_worker_init) as pool:
        pending = {pool.submit(run_job, kind, args): label for label, kind, args in jobs}
        try:
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    label = pending.pop(fut)
                    try:
                        seconds = fut.result()
                        done(label, f"{seconds:.1f} s")
                    except Exception as exc:  # reported again, with context, by the sequential pass
                        failures.append((label, f"{type(exc).__name__}: {exc}"))
                        done(label, "failed; retried in the report pass")
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return failures
