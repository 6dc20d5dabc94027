"""Benchmark: `scfin solve` cold and warm, and closed form vs optimiser per scenario.

Run: python benchmarks/bench_solve.py  (prints a Markdown table; numbers go in the README)

1. wall time of `scfin solve MODEL ...` as a fresh process, cold (empty derivation cache) and warm
   (cache filled by the previous run); median of several runs;
2. the lambdified closed-form equilibrium of `wholesale` and `bank-loan` evaluated at 1,000,000
   parameter points, against SciPy solving the same scenarios one by one with the numeric Stackelberg
   solver on the exact expected profit (a sample of scenarios, timed per scenario).
Targets (2-core machine): warm `scfin solve` < 1 s; closed form >= 1000x faster per scenario.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

CASES = [
    ["solve", "wholesale", "p=10", "c=4", "A=100"],
    ["solve", "repurchase", "p=10", "c=4", "A=100", "b=3"],
    ["solve", "repurchase-combined", "p=10", "c=4", "A=100", "b=10/3", "phi=1/3", "u=1", "T=20", "kappa=1", "w=6"],
]


def time_cli(args, env, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "scfin.cli", *args, "--json"], env=env, check=True,
                       capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_cli():
    rows = []
    for args in CASES:
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "SCFIN_CACHE_DIR": cache}
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "scfin.cli", *args], env=env, check=True, capture_output=True)
            cold = time.perf_counter() - t
            warm = time_cli(args, env)
        rows.append((" ".join(args), cold, warm))
    return rows


def bench_vectorised(model_id, fixed, n=1_000_000, sample=20):
    from scfin.verify.lambdified import closed_form_function
    from scfin.spec.models import get_model
    from scfin.numeric.stackelberg import numeric_stackelberg

    f = closed_form_function(model_id, fixed, ("p", "c", "A"))
    rng = np.random.default_rng(1)
    c = rng.uniform(1, 5, n)
    p = c + rng.uniform(1, 10, n)
    A = rng.uniform(20, 200, n)
    f(p[:10], c[:10], A[:10])  # warm up
    t = time.perf_counter()
    out = f(p, c, A)
    vec = (time.perf_counter() - t) / n
    model = get_model(model_id)
    t = time.perf_counter()
    worst = 0.0
    for i in range(sample):
        vals = {**{k: float(v) for k, v in fixed.items()}, "p": p[i], "c": c[i], "A": A[i]}
        res = numeric_stackelberg(model, "uniform", vals, ("q", "w"))
        worst = max(worst, abs(res.decisions["w"] - out["w"][i]) / out["w"][i])
    opt = (time.perf_counter() - t) / sample
    return vec, opt, worst


def main():
    print("| command | cold (s) | warm (s) |\n|---|---|---|")
    for cmd, cold, warm in bench_cli():
        print(f"| `scfin {cmd}` | {cold:.2f} | {warm:.2f} |")
    print()
    print("| model | closed form per scenario (s) | SciPy optimiser per scenario (s) | speed-up | max rel. diff in w* |")
    print("|---|---|---|---|---|")
    for model_id, fixed in (("wholesale", {"v": 0, "rf": 0}), ("bank-loan", {"v": 0, "rf": 0, "eta": 0})):
        vec, opt, worst = bench_vectorised(model_id, fixed)
        print(f"| {model_id} | {vec:.2e} | {opt:.2e} | {opt / vec:,.0f}x | {worst:.1e} |")


if __name__ == "__main__":
    main()
