"""Normal demand truncated at zero (docs/specification.md section 3): ``N(mu, sigma^2)``
conditioned on ``X >= 0``, so demand is never negative.  ``mu`` and ``sigma`` are the
parameters of the parent normal (its mean is ``mu + sigma phi(a)/Phi(-a)``, ``a = -mu/sigma``).

With ``Z = P_N(X > 0) = Phi(mu/sigma)`` and ``0 <= lo <= hi``, every expectation is the
parent normal's (:func:`scfin.spec.demand.normal.normal_moments`) divided by ``Z``
(Johnson, Kotz & Balakrishnan, *Continuous Univariate Distributions* 1, ch. 13.10).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp
from scipy.special import ndtr, ndtri

from scfin.spec.demand.base import Demand, param
from scfin.spec.demand.normal import normal_moments, normal_moments_symbolic
from scfin.spec.notation import sym


@dataclass(frozen=True)
class TruncNormal(Demand):
    def support(self):
        return sp.Integer(0), sp.oo

    def expect_affine(self, alpha, beta, lo, hi):
        mu, sigma = sym("mu"), sym("sigma")
        Z = (1 + sp.erf(mu / (sigma * sp.sqrt(2)))) / 2
        mass, partial = normal_moments_symbolic(mu, sigma, lo, hi)
        return (alpha * mass + beta * partial) / Z

    def numeric_support(self, values):
        return 0.0, math.inf

    def partial_moments(self, values, lo, hi):
        mu, sigma = param(values, "mu"), param(values, "sigma")
        lo = np.maximum(lo, 0.0)
        hi = np.maximum(hi, lo)
        Z = ndtr(mu / sigma)
        mass, partial = normal_moments(mu, sigma, lo, hi)
        return mass / Z, partial / Z

    def ppf(self, values, u):
        mu, sigma = float(values["mu"]), float(values["sigma"])
        below = float(ndtr(-mu / sigma))  # parent mass cut off
        return mu + sigma * float(ndtri(below + u * (1.0 - below)))

    def sample(self, rng, n, values):
        # inverse-cdf sampling of the truncated normal
        u = rng.random(n)
        mu, sigma = float(values["mu"]), float(values["sigma"])
        below = float(ndtr(-mu / sigma))
        return np.maximum(mu + sigma * ndtri(below + u * (1.0 - below)), 0.0)

    @property
    def closed_form(self):
        return False
