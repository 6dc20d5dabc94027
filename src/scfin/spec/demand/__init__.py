"""Demand models (docs/specification.md section 3): one file per distribution.

Each file holds its distribution's symbolic expectation (for the engine) and its
numeric one (for :mod:`scfin.numeric.profits`) side by side; see
:mod:`scfin.spec.demand.base`.  :func:`get_demand` turns what a user gives (a
built-in name, a :class:`Demand` value, a frozen ``scipy.stats`` distribution)
into a :class:`Demand`.
"""

from __future__ import annotations

from fractions import Fraction
from types import MappingProxyType
from typing import Mapping

from scfin.spec.demand.base import Demand, F, Finv, f
from scfin.spec.demand.empirical import Empirical
from scfin.spec.demand.exponential import Exponential
from scfin.spec.demand.gamma import Gamma
from scfin.spec.demand.general import General
from scfin.spec.demand.lognormal import Lognormal
from scfin.spec.demand.normal import Normal
from scfin.spec.demand.scipy_frozen import ScipyDemand, is_frozen_continuous
from scfin.spec.demand.truncnormal import TruncNormal
from scfin.spec.demand.uniform import Uniform

_P = MappingProxyType

DEMANDS: Mapping[str, Demand] = MappingProxyType(
    {
        "uniform": Uniform("uniform", "uniform on [0, A]: closed forms", ("A",), _P({"A": 100})),
        "general": General("general", "abstract cdf F, density f: critical fractiles", (), _P({})),
        "normal": Normal("normal", "normal(mu, sigma): numeric", ("mu", "sigma"), _P({"mu": 50, "sigma": 15})),
        "exponential": Exponential("exponential", "exponential with mean theta: numeric", ("theta",),
                                   _P({"theta": 50})),
        "lognormal": Lognormal("lognormal", "lognormal: log D ~ normal(mu, sigma): numeric", ("mu", "sigma"),
                               _P({"mu": 4, "sigma": Fraction(1, 2)})),
        "gamma": Gamma("gamma", "gamma(shape, scale): numeric", ("shape", "scale"), _P({"shape": 2, "scale": 25})),
        "truncnormal": TruncNormal("truncnormal", "normal(mu, sigma) truncated at 0: numeric", ("mu", "sigma"),
                                   _P({"mu": 50, "sigma": 30})),
    }
)


#: frozen distributions seen, by id (the object is kept, so its id stays its own)
_FROZEN: dict[int, tuple[object, ScipyDemand]] = {}


def get_demand(demand) -> Demand:
    """A :class:`Demand` from a built-in name, a :class:`Demand` value or a frozen ``scipy.stats`` distribution."""
    if isinstance(demand, Demand):
        return demand
    if isinstance(demand, str):
        try:
            return DEMANDS[demand]
        except KeyError:
            raise KeyError(f"unknown demand {demand!r}: choose one of {', '.join(DEMANDS)}") from None
    if is_frozen_continuous(demand):
        # one Demand (and one quadrature table) per distribution object
        hit = _FROZEN.get(id(demand))
        if hit is None or hit[0] is not demand:
            if len(_FROZEN) >= 32:
                _FROZEN.pop(next(iter(_FROZEN)))
            hit = _FROZEN[id(demand)] = (demand, ScipyDemand.of(demand))
        return hit[1]
    raise KeyError(f"demand must be a name ({', '.join(DEMANDS)}), a Demand or a frozen scipy.stats "
                   f"distribution, got {type(demand).__name__}")


__all__ = [
    "DEMANDS", "Demand", "Empirical", "Exponential", "F", "Finv", "Gamma", "General", "Lognormal", "Normal",
    "ScipyDemand", "TruncNormal", "Uniform", "f", "get_demand",
]
