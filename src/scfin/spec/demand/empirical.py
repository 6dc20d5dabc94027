"""Empirical demand: a sample as the demand distribution (docs/specification.md section 3).

Demand takes each observed value ``x_1 <= ... <= x_n`` with probability ``1/n``.  Every
expectation is an exact sum over the sample (intervals are half-open, ``lo < x_i <= hi``, so
the cells of any partition count each observation once):

    E[(alpha + beta*X) 1{lo < X <= hi}] = (1/n) * sum_{lo < x_i <= hi} (alpha + beta*x_i),

from prefix sums of the sorted sample.  ``F^{-1}(u)`` is the sample quantile
``x_(ceil(n u))`` (the inverted empirical cdf, Hyndman & Fan 1996 definition 1), which is
where the integrated newsvendor orders (the expected profit is piecewise linear between
observations).
"""

from __future__ import annotations

import csv
import hashlib
import math
import os
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Sequence

import numpy as np
import sympy as sp

from scfin.spec.demand.base import NumericDemand


@dataclass(frozen=True)
class Empirical(NumericDemand):
    """The empirical distribution of a sample (sorted, read-only)."""

    values_sorted: Any = field(default=None, compare=False, repr=False)
    digest: str = ""

    @classmethod
    def of(cls, sample: Sequence[float], label: str = "sample") -> "Empirical":
        x = np.sort(np.asarray(sample, dtype=float).ravel())
        if x.size < 2:
            raise ValueError(f"empirical demand needs at least 2 observations, got {x.size}")
        if not np.all(np.isfinite(x)):
            raise ValueError("empirical demand: every observation must be a finite number")
        if x[0] < 0:
            raise ValueError(f"empirical demand: demand is never negative, got {x[0]:g}")
        x.setflags(write=False)
        digest = hashlib.sha256(x.tobytes()).hexdigest()[:12]
        name = f"empirical({label}, n={x.size}, {digest})"
        return cls(name, f"empirical demand from {label} ({x.size} observations)", (), MappingProxyType({}), x, digest)

    @classmethod
    def from_csv(cls, path: str, column: str | None = None) -> "Empirical":
        """Read one column of a CSV file with a header row (``column`` may be left out if
        there is one column).  Numbers follow :mod:`scfin.spec.parsing`; nothing is evaluated."""
        from scfin.spec.parsing import ParseError, parse_number

        base = os.path.basename(path)
        try:
            with open(path, newline="", encoding="utf-8") as fh:
                rows = list(csv.reader(fh))
        except OSError as exc:
            raise ValueError(f"cannot read demand file {path}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise ValueError(f"demand file {path} is not UTF-8 text") from None
        if not rows:
            raise ValueError(f"demand file {path} is empty")
        header = [h.strip() for h in rows[0]]
        if column is None:
            if len(header) != 1:
                raise ValueError(f"demand file {path} has columns {', '.join(header)}: "
                                 f"choose one with --demand-file {path}:COLUMN")
            column = header[0]
        if column not in header:
            raise ValueError(f"demand file {path} has no column {column!r} (columns: {', '.join(header)})")
        j = header.index(column)
        out = []
        for line, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue  # a blank line
            cell = row[j].strip() if j < len(row) else ""
            try:
                out.append(float(parse_number(cell, column)))
            except ParseError:
                raise ValueError(f"{base} line {line}, column {column!r}: {cell!r} is not a number") from None
        return cls.of(out, label=f"{base}:{column}")

    @property
    def atoms(self) -> np.ndarray:
        return self.values_sorted

    @property
    def n(self) -> int:
        return int(self.values_sorted.size)

    @property
    def _prefix(self) -> np.ndarray:
        return np.concatenate([[0.0], np.cumsum(self.values_sorted)])

    # -- symbolic: numbers only ------------------------------------------------
    def support(self):
        return sp.Float(self.values_sorted[0]), sp.Float(self.values_sorted[-1])

    # -- numeric -----------------------------------------------------------------
    def numeric_support(self, values):
        x = self.values_sorted
        # strictly below the smallest observation, so that (lo, hi] holds it
        return float(x[0]) - max(1.0, float(x[-1] - x[0])), float(x[-1])

    def partial_moments(self, values, lo, hi):
        x, cs, n = self.values_sorted, self._prefix, self.values_sorted.size
        i = np.searchsorted(x, lo, side="right")
        j = np.maximum(np.searchsorted(x, hi, side="right"), i)
        return (j - i) / n, (cs[j] - cs[i]) / n

    def cdf(self, values, x):
        return np.searchsorted(self.values_sorted, x, side="right") / self.n

    def ppf(self, values, u):
        """The sample quantile ``x_(ceil(n u))`` (smallest ``x`` with ``F_n(x) >= u``)."""
        k = max(1, math.ceil(self.n * float(u) - 1e-12))
        return float(self.values_sorted[min(k, self.n) - 1])

    def q_bound(self, values):
        return float(self.values_sorted[-1])

    def sample(self, rng, n, values):
        return rng.choice(self.values_sorted, size=n, replace=True)
