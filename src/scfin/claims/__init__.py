"""The claims of docs/specification.md section 7, each proved or refuted by the engine.

``all_claims()`` runs every registered claim in number order.
"""

from __future__ import annotations

import importlib
import pkgutil

from scfin.claims.base import FAILED, PROVED, PROVED_RESTRICTED, REFUTED, ClaimResult, Counterexample, Step, REGISTRY, claim

__all__ = ["all_claims", "run_claim", "ClaimResult", "Step", "Counterexample", "PROVED", "PROVED_RESTRICTED",
           "REFUTED", "FAILED", "claim"]


def _load() -> None:
    for mod in pkgutil.iter_modules(__path__):
        if mod.name.startswith("claim"):
            importlib.import_module(f"{__name__}.{mod.name}")


def run_claim(number: int) -> ClaimResult:
    _load()
    return REGISTRY[number]()


def all_claims(progress=None) -> list[ClaimResult]:
    """Every registered claim, in number order; ``progress(n)`` is called before each."""
    _load()
    out = []
    for n in sorted(REGISTRY):
        if progress is not None:
            progress(n)
        out.append(REGISTRY[n]())
    return out
