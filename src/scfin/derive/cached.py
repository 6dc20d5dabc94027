"""The one cached entry to the engine: :func:`derive_cached`.

A derivation is a pure function of the model, the demand, the decisions
optimised, the shadow point that fixes the region structure and the numbers
substituted before deriving, so it is stored on disk under a key made of
exactly these (:func:`scfin.derive.cache.make_key` adds the code's digest).
"""

from __future__ import annotations

from typing import Mapping

import sympy as sp

from scfin.derive import cache
from scfin.derive.engine import Derivation, derive, time_budget
from scfin.spec.demand import Demand
from scfin.spec.models import Model


def derive_cached(model: Model, demand: Demand, optimised: tuple[str, ...], shadow: Mapping[sp.Symbol, float],
                  known: Mapping[str, sp.Expr], budget: float | None = None) -> Derivation:
    """:func:`scfin.derive.engine.derive`, cached; ``budget`` bounds the symbolic work in seconds."""
    point = sorted((str(k), round(v, 9)) for k, v in shadow.items())
    key = cache.make_key("derive", model.key(), demand.name, tuple(optimised), point, sorted(known.items()))
    with time_budget(budget):
        return cache.cached(key, lambda: derive(model, demand, tuple(optimised), shadow, known))
