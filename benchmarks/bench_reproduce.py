"""Benchmark: `scfin reproduce` cold (empty derivation cache) and warm (cache filled).

Run: python benchmarks/bench_reproduce.py [--no-pdf] [--calibrate]
Targets (issue 11, 2-core machine): cold <= 30 s, warm <= 3 s.  Prints a Markdown table.

``--calibrate`` also times 200 points of ``scfin verify wholesale`` on 2 workers (as
``benchmarks/bench_verify.py`` does) right after the two runs: the shared machines drift in speed by
a factor of two within an hour, and that number says how fast the machine was.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(out: str, cache: str, pdf: bool) -> float:
    args = [sys.executable, "-m", "scfin.cli", "reproduce", "--out", out, "--quiet"] + ([] if pdf else ["--no-pdf"])
    t = time.perf_counter()
    subprocess.run(args, env={**os.environ, "SCFIN_CACHE_DIR": cache}, check=True, capture_output=True)
    return time.perf_counter() - t


def calibration() -> float:
    """Seconds for 200 points of ``scfin verify wholesale`` on 2 workers in an empty derivation cache:
    ``benchmarks/bench_verify.py``'s measurement, run here."""
    from bench_verify import empty_cache, timed_verify  # beside this file (python benchmarks/bench_reproduce.py)

    with empty_cache():
        return timed_verify("wholesale", points=200, jobs=2)[0]


def main() -> None:
    pdf = "--no-pdf" not in sys.argv
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as out:
        cold = run(out + "/a", cache, pdf)
        warm = run(out + "/b", cache, pdf)
        names = sorted(str(p.relative_to(f"{out}/a")) for p in Path(f"{out}/a").rglob("*") if p.is_file())
        differ = [n for n in names if not (Path(out) / "b" / n).is_file()
                  or (Path(out) / "a" / n).read_bytes() != (Path(out) / "b" / n).read_bytes()]
    print("| run | wall time (s) |\n|---|---|")
    print(f"| cold (empty cache{', with PDF' if pdf else ''}) | {cold:.1f} |")
    print(f"| warm{' (with PDF)' if pdf else ''} | {warm:.1f} |")
    print(f"\nevery output file ({len(names)}: .tex, JSON, figures, PDF) byte-identical between the two runs: "
          f"{not differ}" + (f" (differ: {', '.join(differ)})" if differ else ""))
    if "--calibrate" in sys.argv:
        cal = calibration()
        print(f"\ncalibration: `wholesale` verify, 200 points on 2 workers: {cal:.1f} s "
              f"(cold reproduce / calibration: {cold / cal:.2f})")
    if differ:
        sys.exit(1)


if __name__ == "__main__":
    main()
