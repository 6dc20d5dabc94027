"""Benchmark: `scfin reproduce` cold (empty derivation cache) and warm (cache filled).

Run: python benchmarks/bench_reproduce.py [--no-pdf]
Targets (2-core machine): cold < 60 s, warm < 10 s.  Prints a Markdown table.
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
    if differ:
        sys.exit(1)


if __name__ == "__main__":
    main()
