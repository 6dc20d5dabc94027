"""Exponential demand with mean ``theta`` (docs/specification.md section 3).

``P(X > z) = exp(-z/theta)`` and ``E[X; X > z] = (z + theta) exp(-z/theta)`` for ``z >= 0``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from scfin.spec.demand.base import Demand, param
from scfin.spec.notation import sym


@dataclass(frozen=True)
class Exponential(Demand):
    def support(self):
        return sp.Integer(0), sp.oo

    def expect_affine(self, alpha, beta, lo, hi):
        theta = sym("theta")

        def surv(z):  # P(X > z)
            return sp.Integer(0) if z == sp.oo else sp.exp(-z / theta)

        def tail_mean(z):  # E[X 1{X > z}]
            return sp.Integer(0) if z == sp.oo else (z + theta) * sp.exp(-z / theta)

        return alpha * (surv(lo) - surv(hi)) + beta * (tail_mean(lo) - tail_mean(hi))

    def numeric_support(self, values):
        return 0.0, math.inf

    def partial_moments(self, values, lo, hi):
        th = param(values, "theta")
        lo = np.maximum(lo, 0.0)
        hi = np.maximum(hi, lo)
        fin = np.isfinite(hi)
        hh = np.where(fin, hi, 0.0)
        surv_hi = np.where(fin, np.exp(-hh / th), 0.0)
        tail_hi = np.where(fin, (hh + th) * np.exp(-hh / th), 0.0)
        ll = np.where(np.isfinite(lo), lo, 0.0)
        return np.exp(-ll / th) - surv_hi, (ll + th) * np.exp(-ll / th) - tail_hi

    def ppf(self, values, u):
        return -float(values["theta"]) * math.log1p(-u)

    def q_bound(self, values):
        return 12 * float(values["theta"])

    def sample(self, rng, n, values):
        return rng.exponential(float(values["theta"]), n)

    @property
    def closed_form(self):
        return False
