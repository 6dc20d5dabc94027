"""``general`` demand: the cdf ``F`` left abstract (docs/specification.md section 3).

Results are critical fractiles in ``F``, ``f`` and ``F^{-1}``:

    E[(alpha + beta*X) 1{lo < X < hi}] = alpha*(F(hi) - F(lo)) + beta * int_lo^hi t f(t) dt.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from scfin.spec.demand.base import Demand, F, _t, f


@dataclass(frozen=True)
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
        from scfin.spec.demand import DEMANDS

        return DEMANDS["uniform"]
