"""Uniform demand on ``[0, A]`` (docs/specification.md section 3): every model has closed forms here.

``F(z) = z/A`` and ``E[X; lo < X < hi] = (hi^2 - lo^2)/(2A)`` on ``0 <= lo <= hi <= A``, so

    E[(alpha + beta*X) 1{lo < X < hi}] = (alpha*(hi - lo) + beta*(hi^2 - lo^2)/2) / A.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from scfin.spec.demand.base import Demand, param
from scfin.spec.notation import sym


@dataclass(frozen=True)
class Uniform(Demand):
    def support(self):
        return sp.Integer(0), sym("A")

    def expect_affine(self, alpha, beta, lo, hi):
        A = sym("A")
        return (alpha * (hi - lo) + beta * (hi**2 - lo**2) / 2) / A

    def numeric_support(self, values):
        return 0.0, param(values, "A")

    def partial_moments(self, values, lo, hi):
        A = param(values, "A")
        lo, hi = np.maximum(lo, 0.0), np.minimum(hi, A)
        ok = hi > lo
        return np.where(ok, (hi - lo) / A, 0.0), np.where(ok, (hi * hi - lo * lo) / (2 * A), 0.0)

    def affine_expectation(self, values, alpha, beta, lo, hi):
        # the formula of the module docstring, clipped to the support
        A = param(values, "A")
        lo, hi = np.maximum(lo, 0.0), np.minimum(hi, A)
        ok = hi > lo
        out = (alpha * (hi - lo) + beta * (hi * hi - lo * lo) / 2) / A
        return np.where(ok, out, 0.0)

    def ppf(self, values, u):
        return float(u) * float(values["A"])

    def q_bound(self, values):
        return float(values["A"])

    def sample(self, rng, n, values):
        return rng.uniform(0.0, float(values["A"]), n)
