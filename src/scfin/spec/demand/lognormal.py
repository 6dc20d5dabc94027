"""Lognormal demand: ``log D ~ N(mu, sigma^2)`` (docs/specification.md section 3).

Closed forms from the normal cdf ``Phi`` (the lognormal partial moments, e.g. Johnson,
Kotz & Balakrishnan, *Continuous Univariate Distributions* 1, ch. 14, eq. 14.8a):

    F(z) = Phi((ln z - mu)/sigma),
    E[X; X < z] = exp(mu + sigma^2/2) * Phi((ln z - mu - sigma^2)/sigma).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp
from scipy.special import ndtr, ndtri

from scfin.spec.demand.base import Demand, param
from scfin.spec.notation import sym


@dataclass(frozen=True)
class Lognormal(Demand):
    def support(self):
        return sp.Integer(0), sp.oo

    def expect_affine(self, alpha, beta, lo, hi):
        mu, sigma = sym("mu"), sym("sigma")

        def Phi(z, shift):
            if z == sp.oo:
                return sp.Integer(1)
            if z == 0:
                return sp.Integer(0)
            return (1 + sp.erf((sp.log(z) - mu - shift) / (sigma * sp.sqrt(2)))) / 2

        mass = Phi(hi, 0) - Phi(lo, 0)
        partial = sp.exp(mu + sigma**2 / 2) * (Phi(hi, sigma**2) - Phi(lo, sigma**2))
        return alpha * mass + beta * partial

    def numeric_support(self, values):
        return 0.0, math.inf

    def partial_moments(self, values, lo, hi):
        mu, sigma = param(values, "mu"), param(values, "sigma")
        lo = np.maximum(lo, 0.0)
        hi = np.maximum(hi, lo)
        with np.errstate(divide="ignore"):
            ll, lh = np.log(lo), np.log(hi)
        mass = ndtr((lh - mu) / sigma) - ndtr((ll - mu) / sigma)
        s2 = sigma * sigma
        partial = np.exp(mu + s2 / 2) * (ndtr((lh - mu - s2) / sigma) - ndtr((ll - mu - s2) / sigma))
        return mass, partial

    def ppf(self, values, u):
        return math.exp(float(values["mu"]) + float(values["sigma"]) * float(ndtri(u)))

    def sample(self, rng, n, values):
        return rng.lognormal(float(values["mu"]), float(values["sigma"]), n)

    @property
    def closed_form(self):
        return False
