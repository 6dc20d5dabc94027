"""Demand models (docs/specification.md section 3).

Every payoff in scfin is piecewise affine in realised demand, so the only
expectation a demand model has to provide is that of an affine function over
an interval: ``E[(alpha + beta*X) * 1{lo < X < hi}]``.  Expectations are then
taken region by region between breakpoints (0, k, q, T, A, ...), never with
``sympy.stats`` on ``Min``/``Max``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import numpy as np
import sympy as sp

from scfin.spec.notation import sym

_t = sp.Symbol("t", real=True)

#: Abstract cdf, density and inverse cdf of ``general`` demand.
F = sp.Function("F")
f = sp.Function("f")
Finv = sp.Function("F^{-1}")


@dataclass(frozen=True)
class Demand:
    """A demand distribution: its support, affine expectations and sampler."""

    name: str
    description: str
    parameters: tuple[str, ...]
    #: numbers used when a parameter is not given (and as the shadow point
    #: that fixes the order of breakpoints for closed forms).
    defaults: Mapping[str, int]

    # -- support ---------------------------------------------------------
    def support(self) -> tuple[sp.Expr, sp.Expr]:
        raise NotImplementedError

    def expect_affine(self, alpha, beta, lo, hi) -> sp.Expr:
        """``E[(alpha + beta*X) 1{lo < X < hi}]`` as a SymPy expression."""
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, n: int, values: Mapping[str, float]) -> np.ndarray:
        raise NotImplementedError

    @property
    def closed_form(self) -> bool:
        """Whether the expectations are elementary enough to solve first-order conditions."""
        return True

    def shadow(self) -> "Demand":
        """The demand whose numbers order the breakpoints (itself, unless abstract)."""
        return self


class Uniform(Demand):
    def support(self):
        return sp.Integer(0), sym("A")

    def expect_affine(self, alpha, beta, lo, hi):
        A = sym("A")
        return (alpha * (hi - lo) + beta * (hi**2 - lo**2) / 2) / A

    def sample(self, rng, n, values):
        return rng.uniform(0.0, float(values["A"]), n)


class General(Demand):
    """Abstract ``F`` with density ``f`` on ``[0, oo)``: results are critical fractiles."""

    def support(self):
        return sp.Integer(0), sp.oo

    def expect_affine(self, alpha, beta, lo, hi):
        def cdf(z):
            if z == sp.oo:
                return sp.Integer(1)
            if z == 0:
                return sp.Integer(0)
            return F(z)

        out = alpha * (cdf(hi) - cdf(lo))
        if beta != 0:
            out += beta * sp.Integral(_t * f(_t), (_t, lo, hi))
        return out

    def sample(self, rng, n, values):
        raise ValueError("general demand has no numbers: choose uniform, normal or exponential")

    @property
    def closed_form(self):
        return False

    def shadow(self):
        return DEMANDS["uniform"]


class Normal(Demand):
    """Normal demand; negative draws are not truncated (the textbook convention)."""

    def support(self):
        return -sp.oo, sp.oo

    def expect_affine(self, alpha, beta, lo, hi):
        mu, sigma = sym("mu"), sym("sigma")

        def Phi(z):
            if z in (sp.oo, -sp.oo):
                return sp.Integer(1) if z == sp.oo else sp.Integer(0)
            return (1 + sp.erf((z - mu) / (sigma * sp.sqrt(2)))) / 2

        def phi(z):
            if z in (sp.oo, -sp.oo):
                return sp.Integer(0)
            return sp.exp(-((z - mu) / sigma) ** 2 / 2) / sp.sqrt(2 * sp.pi)

        mass = Phi(hi) - Phi(lo)
        return alpha * mass + beta * (mu * mass - sigma * (phi(hi) - phi(lo)))

    def sample(self, rng, n, values):
        return rng.normal(float(values["mu"]), float(values["sigma"]), n)

    @property
    def closed_form(self):
        return False


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

    def sample(self, rng, n, values):
        return rng.exponential(float(values["theta"]), n)

    @property
    def closed_form(self):
        return False


DEMANDS: Mapping[str, Demand] = MappingProxyType(
    {
        "uniform": Uniform("uniform", "uniform on [0, A]: closed forms", ("A",), MappingProxyType({"A": 100})),
        "general": General("general", "abstract cdf F, density f: critical fractiles", (), MappingProxyType({})),
        "normal": Normal("normal", "normal(mu, sigma): numeric", ("mu", "sigma"), MappingProxyType({"mu": 50, "sigma": 15})),
        "exponential": Exponential("exponential", "exponential with mean theta: numeric", ("theta",), MappingProxyType({"theta": 50})),
    }
)


def get_demand(name: str) -> Demand:
    try:
        return DEMANDS[name]
    except KeyError:
        raise KeyError(f"unknown demand {name!r}: choose one of {', '.join(DEMANDS)}") from None
