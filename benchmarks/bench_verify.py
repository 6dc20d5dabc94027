"""Seconds per point of ``scfin verify`` (issue 10, item 5; target: 200 points of a uniform-demand model
in at most 60 s on 2 cores, warm).

    python benchmarks/bench_verify.py [--points N] [--jobs J]

Runs in an empty temporary derivation cache (a second run in the same cache would find the first run's
equilibria).  Each model is verified once to warm it (its closed forms), then timed on fresh random points
(another seed, so no equilibrium comes from the cache; the closed forms do).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time

from scfin.verify.run import verify

MODELS = ("wholesale", "bank-loan", "examples/buyback_revenue_sharing.py:model")


@contextlib.contextmanager
def empty_cache():
    """An empty temporary derivation cache for the block (``SCFIN_CACHE_DIR`` is read on every access;
    the pool's workers inherit it)."""
    old = os.environ.get("SCFIN_CACHE_DIR")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["SCFIN_CACHE_DIR"] = cache
        try:
            yield
        finally:
            if old is None:
                del os.environ["SCFIN_CACHE_DIR"]
            else:
                os.environ["SCFIN_CACHE_DIR"] = old


def timed_verify(ref: str, points: int = 200, jobs: int = 2):
    """``(seconds, report)`` of ``verify(ref)`` at ``points`` fresh points, after an untimed warm-up that
    derives and caches the closed forms."""
    verify(ref, points=2, seed=10_001, jobs=1)
    t0 = time.perf_counter()
    report = verify(ref, points=points, seed=1, jobs=jobs)
    return time.perf_counter() - t0, report


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("models", nargs="*", default=list(MODELS))
    args = ap.parse_args()
    rows = []
    with empty_cache():
        for ref in args.models:
            wall, report = timed_verify(ref, args.points, args.jobs)
            rows.append((ref, args.points, wall, wall / args.points, len(report.disagreements)))
    print(f"| model | points | jobs | wall (s) | s per point | disagreements |")
    print("|---|---|---|---|---|---|")
    for ref, n, wall, per, bad in rows:
        print(f"| `{ref}` | {n} | {args.jobs} | {wall:.1f} | {per:.3f} | {bad} |")


if __name__ == "__main__":
    main()
