"""Gamma demand with shape ``k`` and scale ``theta`` (docs/specification.md section 3),
an increasing-failure-rate family for ``k >= 1``.

Closed forms in the regularised lower incomplete gamma function ``P(a, x)``
(Johnson, Kotz & Balakrishnan, *Continuous Univariate Distributions* 1, ch. 17;
``x f(x) = k theta g_{k+1}(x)`` with ``g_{k+1}`` the gamma(k + 1, theta) density):

    F(z) = P(k, z/theta),
    E[X; X < z] = k theta P(k + 1, z/theta).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp
from scipy.special import gammainc, gammaincinv

from scfin.spec.demand.base import Demand, param
from scfin.spec.notation import sym


@dataclass(frozen=True)
class Gamma(Demand):
    def support(self):
        return sp.Integer(0), sp.oo

    def expect_affine(self, alpha, beta, lo, hi):
        k, theta = sym("shape"), sym("scale")

        def P(a, z):
            if z == sp.oo:
                return sp.Integer(1)
            if z == 0:
                return sp.Integer(0)
            return sp.lowergamma(a, z / theta) / sp.gamma(a)

        return alpha * (P(k, hi) - P(k, lo)) + beta * k * theta * (P(k + 1, hi) - P(k + 1, lo))

    def numeric_support(self, values):
        return 0.0, math.inf

    def partial_moments(self, values, lo, hi):
        k, theta = param(values, "shape"), param(values, "scale")
        lo = np.maximum(lo, 0.0)
        hi = np.maximum(hi, lo)
        xl, xh = lo / theta, hi / theta
        return gammainc(k, xh) - gammainc(k, xl), k * theta * (gammainc(k + 1, xh) - gammainc(k + 1, xl))

    def ppf(self, values, u):
        return float(values["scale"]) * float(gammaincinv(float(values["shape"]), u))

    def sample(self, rng, n, values):
        return rng.gamma(float(values["shape"]), float(values["scale"]), n)

    @property
    def closed_form(self):
        return False
