"""Issue 10's acceptance run: ``scfin verify`` at N points on every catalogue model and every example.

    python benchmarks/verify_all.py [--points N] [--jobs J] [--out DIR] [REF ...]

One JSON report per model in ``DIR`` (``verify-<name>.json``) and a markdown table on stdout, one row
as each model finishes (seconds, seconds per point, disagreements).  The run is long (about an hour
and a half for 200 points on 2 cores); it is not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import time

from scfin.spec.models import CATALOGUE
from scfin.verify.run import verify

EXAMPLES = ("buyback_revenue_sharing", "two_part_tariff", "trade_credit", "multiplicative_effort",
            "partial_credit_guarantee")


def refs() -> list[str]:
    return list(CATALOGUE) + [f"examples/{name}.py:model" for name in EXAMPLES]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="verify-all")
    ap.add_argument("models", nargs="*")
    args = ap.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print("| model | points | wall (s) | s per point | comparisons | disagreements |")
    print("|---|---|---|---|---|---|", flush=True)
    for ref in args.models or refs():
        t0 = time.perf_counter()
        report = verify(ref, points=args.points, seed=args.seed, jobs=args.jobs)
        wall = time.perf_counter() - t0
        name = ref.split("/")[-1].split(".py")[0]
        (out / f"verify-{name}.json").write_text(json.dumps(report.as_json(), indent=1) + "\n")
        print(f"| `{ref}` | {len(report.points)} | {wall:.0f} | {wall / len(report.points):.2f} | "
              f"{report.comparisons} | {len(report.disagreements)} |", flush=True)


if __name__ == "__main__":
    main()
