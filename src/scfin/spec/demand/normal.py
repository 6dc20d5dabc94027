"""Normal demand ``N(mu, sigma^2)`` (docs/specification.md section 3), not truncated at zero
(the textbook convention; :mod:`scfin.spec.demand.truncnormal` truncates).

With ``z = (x - mu)/sigma``, ``Phi`` and ``phi`` the standard normal cdf and density,
``E[X; lo < X < hi] = mu*(Phi(z_hi) - Phi(z_lo)) - sigma*(phi(z_hi) - phi(z_lo))``
(e.g. Johnson, Kotz & Balakrishnan, *Continuous Univariate Distributions* 1, ch. 13).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp
from scipy.special import ndtr, ndtri

from scfin.spec.demand.base import Demand, param
from scfin.spec.notation import sym


def normal_moments_symbolic(mu, sigma, lo, hi):
    """``(P(lo < X < hi), E[X; lo < X < hi])`` of ``N(mu, sigma^2)`` in SymPy."""

    def Phi(z):
        if z in (sp.oo, -sp.oo):
            return sp.Integer(1) if z == sp.oo else sp.Integer(0)
        return (1 + sp.erf((z - mu) / (sigma * sp.sqrt(2)))) / 2

    def phi(z):
        if z in (sp.oo, -sp.oo):
            return sp.Integer(0)
        return sp.exp(-((z - mu) / sigma) ** 2 / 2) / sp.sqrt(2 * sp.pi)

    mass = Phi(hi) - Phi(lo)
    return mass, mu * mass - sigma * (phi(hi) - phi(lo))


def normal_moments(mu, sigma, lo, hi):
    """``(P(lo < X < hi), E[X; lo < X < hi])`` of ``N(mu, sigma^2)`` on floats or arrays."""
    zl, zh = (lo - mu) / sigma, (hi - mu) / sigma
    mass = ndtr(zh) - ndtr(zl)
    pdf = lambda z: np.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    return mass, mu * mass - sigma * (pdf(zh) - pdf(zl))


@dataclass(frozen=True)
class Normal(Demand):
    """Normal demand; negative draws are not truncated (the textbook convention)."""

    def support(self):
        return -sp.oo, sp.oo

    def expect_affine(self, alpha, beta, lo, hi):
        mass, partial = normal_moments_symbolic(sym("mu"), sym("sigma"), lo, hi)
        return alpha * mass + beta * partial

    def numeric_support(self, values):
        return -math.inf, math.inf

    def partial_moments(self, values, lo, hi):
        return normal_moments(param(values, "mu"), param(values, "sigma"), np.asarray(lo, float), np.asarray(hi, float))

    def ppf(self, values, u):
        return float(values["mu"]) + float(values["sigma"]) * float(ndtri(u))

    def q_bound(self, values):
        return float(values["mu"]) + 8 * float(values["sigma"])

    def sample(self, rng, n, values):
        return rng.normal(float(values["mu"]), float(values["sigma"]), n)

    @property
    def closed_form(self):
        return False
