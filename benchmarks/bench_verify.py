"""Seconds per point of ``scfin verify`` (issue 10, item 5; target: 200 points of a uniform-demand model
in at most 60 s on 2 cores, warm).

    python benchmarks/bench_verify.py [--points N] [--jobs J]

Runs in an empty temporary derivation cache (a second run in the same cache would find the first run's
equilibria).  Each model is verified once to warm it (its closed forms), then timed on fresh random points
(another seed, so no equilibrium comes from the cache; the closed forms do).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from scfin.verify.run import verify

MODELS = ("wholesale", "bank-loan", "examples/buyback_revenue_sharing.py:model")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("models", nargs="*", default=list(MODELS))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        os.environ["SCFIN_CACHE_DIR"] = cache  # read on every access; the pool's workers inherit it
        rows = _run(args)
    print(f"| model | points | jobs | wall (s) | s per point | disagreements |")
    print("|---|---|---|---|---|---|")
    for ref, n, wall, per, bad in rows:
        print(f"| `{ref}` | {n} | {args.jobs} | {wall:.1f} | {per:.3f} | {bad} |")


def _run(args) -> list:
    rows = []
    for ref in args.models:
        verify(ref, points=2, seed=10_001, jobs=1)  # warm: closed forms derived and cached
        t0 = time.perf_counter()
        report = verify(ref, points=args.points, seed=1, jobs=args.jobs)
        wall = time.perf_counter() - t0
        rows.append((ref, args.points, wall, wall / args.points, len(report.disagreements)))
    return rows


if __name__ == "__main__":
    main()
