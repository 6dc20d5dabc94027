"""Any frozen continuous ``scipy.stats`` distribution as demand (docs/specification.md section 3).

The cdf, quantile function and sampler are SciPy's own.  The partial expectation
``G(z) = E[X; X < z] = int_{-oo}^z x f(x) dx`` comes

- in closed form where the family has one (``norm``, ``expon``, ``lognorm``, ``gamma``,
  ``uniform``, ``truncnorm`` truncated at zero, with ``loc = 0`` where the family needs it):
  the built-in distribution's formula is used;
- otherwise by adaptive quadrature (:func:`scipy.integrate.quad`, QUADPACK) on a table of
  quantile cells, with its error bound checked: ``G`` at the cell ends is the cumulative sum
  of ``quad`` over the cells, each with its reported error below :data:`TOLERANCE` times
  ``E|X|`` (cells refined geometrically towards the tails); inside a cell a 16-point Gauss-Legendre rule is used where it agrees with the
  8-point rule to that tolerance, and ``quad`` (error bound checked again) elsewhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

import numpy as np
import sympy as sp

from scfin.spec.demand.base import NumericDemand

#: relative tolerance (to ``E|X|``) on every quadrature's error bound
TOLERANCE = 1e-10
#: quantile cells of the partial-expectation table
CELLS = 256


def is_frozen_continuous(obj) -> bool:
    """Whether ``obj`` is a frozen ``scipy.stats`` continuous distribution."""
    from scipy.stats import rv_continuous

    return isinstance(getattr(obj, "dist", None), rv_continuous) and hasattr(obj, "cdf")


def _describe(dist) -> str:
    parts = [repr(float(a)) if isinstance(a, (int, float, np.number)) else repr(a) for a in dist.args]
    parts += [f"{k}={float(v)!r}" if isinstance(v, (int, float, np.number)) else f"{k}={v!r}"
              for k, v in sorted(dist.kwds.items())]
    return f"{dist.dist.name}({', '.join(parts)})"


def _closed_form_twin(dist):
    """``(Demand, values)`` of the built-in distribution equal to ``dist``, or ``None``."""
    from scfin.spec.demand import DEMANDS

    name = dist.dist.name
    shapes = dist.dist.shapes.split(", ") if dist.dist.shapes else []
    try:
        args = dict(zip(shapes, (float(a) for a in dist.args)))
        kw = {k: float(v) for k, v in dist.kwds.items()}
    except (TypeError, ValueError):
        return None
    args.update({k: v for k, v in kw.items() if k in shapes})
    extra = [a for a in dist.args[len(shapes):]]
    loc = float(extra[0]) if len(extra) > 0 else kw.get("loc", 0.0)
    scale = float(extra[1]) if len(extra) > 1 else kw.get("scale", 1.0)
    if name == "norm":
        return DEMANDS["normal"], {"mu": loc, "sigma": scale}
    if loc != 0.0:
        return None
    if name == "expon":
        return DEMANDS["exponential"], {"theta": scale}
    if name == "lognorm":
        return DEMANDS["lognormal"], {"mu": math.log(scale), "sigma": args["s"]}
    if name == "gamma":
        return DEMANDS["gamma"], {"shape": args["a"], "scale": scale}
    if name == "uniform":
        return DEMANDS["uniform"], {"A": scale}
    return None


@dataclass(frozen=True)
class ScipyDemand(NumericDemand):
    """A frozen ``scipy.stats`` continuous distribution; every number is inside it (no parameters)."""

    dist: Any = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, dist) -> "ScipyDemand":
        if not is_frozen_continuous(dist):
            raise ValueError(f"{dist!r} is not a frozen scipy.stats continuous distribution")
        mean = float(dist.mean())
        if not math.isfinite(mean):
            raise ValueError(f"{_describe(dist)} has no finite mean: expected profits are undefined")
        name = _describe(dist)
        return cls(name, f"scipy.stats {name}", (), MappingProxyType({}), dist)

    # -- symbolic: numbers only ------------------------------------------------
    def support(self):
        lo, hi = self.dist.support()
        conv = lambda z: sp.oo if z == math.inf else (-sp.oo if z == -math.inf else sp.Float(z))
        return conv(float(lo)), conv(float(hi))

    # -- numeric -----------------------------------------------------------------
    def numeric_support(self, values):
        lo, hi = self.dist.support()
        return float(lo), float(hi)

    @cached_property
    def _twin(self):
        return _closed_form_twin(self.dist)

    @cached_property
    def _table(self) -> "_PartialExpectation":
        return _PartialExpectation(self.dist)

    def partial_moments(self, values, lo, hi):
        if self._twin is not None:
            demand, vals = self._twin
            return demand.partial_moments(vals, lo, hi)
        lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
        hi = np.maximum(hi, lo)
        mass = self.dist.cdf(hi) - self.dist.cdf(lo)
        return mass, self._table(hi) - self._table(lo)

    def cdf(self, values, x):
        return self.dist.cdf(x)

    def ppf(self, values, u):
        return float(self.dist.ppf(u))

    def sample(self, rng, n, values):
        return np.asarray(self.dist.rvs(size=n, random_state=rng), dtype=float)


class _PartialExpectation:
    """``G(z) = E[X; X < z]`` of a frozen distribution, by checked quadrature (module docstring)."""

    def __init__(self, dist):
        from scipy import integrate

        self.dist = dist
        self._quad = integrate.quad
        # E|X| <= |E X| + sd X: the scale of every tolerance
        self.scale = max(abs(float(dist.mean())) + float(dist.std()), 1e-300)
        self.tol = TOLERANCE * self.scale
        lo, hi = (float(z) for z in dist.support())
        # evenly spaced quantiles, refined geometrically towards both tails, so that the
        # outermost cells hold a negligible mass (their in-cell rule then passes its check)
        tails = 2.0 ** -np.arange(1, 41) / CELLS
        u = np.concatenate([tails[::-1], np.linspace(0.0, 1.0, CELLS + 1)[1:-1], 1.0 - tails])
        inner = dist.ppf(u)
        nodes = np.unique(np.concatenate([[lo], inner, [hi]]))
        self.nodes = nodes
        cells = [self._checked_quad(a, b) for a, b in zip(nodes[:-1], nodes[1:])]
        self.cum = np.concatenate([[0.0], np.cumsum(cells)])
        self.total = float(self.cum[-1])
        gx, gw = np.polynomial.legendre.leggauss(16)
        hx, hw = np.polynomial.legendre.leggauss(8)
        self._rules = ((gx, gw), (hx, hw))

    def _integrand(self, x):
        return x * self.dist.pdf(x)

    def _checked_quad(self, a: float, b: float) -> float:
        if a == b:
            return 0.0
        val, err = self._quad(self._integrand, a, b, epsabs=0.1 * self.tol, epsrel=1e-13, limit=200)
        if not err <= self.tol:
            raise ValueError(f"partial expectation of {_describe(self.dist)} on [{a:g}, {b:g}]: quadrature "
                             f"error bound {err:.1e} exceeds {self.tol:.1e}")
        return float(val)

    def _gauss(self, a, b, rule):
        x, w = rule
        half, mid = (b - a) / 2, (b + a) / 2
        pts = mid[..., None] + half[..., None] * x
        return half * np.sum(w * self._integrand(pts), axis=-1)

    def __call__(self, z):
        z = np.asarray(z, dtype=float)
        flat = z.ravel()
        out = np.empty_like(flat)
        nodes = self.nodes
        below, above = flat <= nodes[0], flat >= nodes[-1]
        out[below], out[above] = 0.0, self.total
        mid = ~(below | above)
        if mid.any():
            zm = flat[mid]
            i = np.clip(np.searchsorted(nodes, zm, side="right") - 1, 0, len(nodes) - 2)
            left, right = nodes[i], nodes[i + 1]
            # integrate from the nearer finite end of the cell
            from_right = ~np.isfinite(left) | (np.isfinite(right) & (right - zm < zm - left))
            a = np.where(from_right, zm, left)
            b = np.where(from_right, right, zm)
            a_f, b_f = np.where(np.isfinite(a), a, 0.0), np.where(np.isfinite(b), b, 0.0)
            with np.errstate(invalid="ignore", over="ignore"):
                fine, coarse = self._gauss(a_f, b_f, self._rules[0]), self._gauss(a_f, b_f, self._rules[1])
            piece = fine
            bad = ~(np.abs(fine - coarse) <= self.tol) | ~np.isfinite(a) | ~np.isfinite(b)
            for j in np.nonzero(bad)[0]:
                piece[j] = self._checked_quad(float(a[j]), float(b[j]))
            out[mid] = np.where(from_right, self.cum[i + 1] - piece, self.cum[i] + piece)
        return out.reshape(z.shape)
