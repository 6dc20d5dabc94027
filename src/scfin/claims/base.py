"""Claims as data: a statement, its assumptions, and the proof or counterexample.

A claim's proof is a sequence of :class:`Step` values, each a sentence and the
SymPy expression the engine derived for it (an identity that simplifies to
zero, a derivative whose sign is established, ...), so a report can print the
proof and a test can re-check it.  Refutations carry a :class:`Counterexample`
with the numbers and the values that break the claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import sympy as sp

PROVED = "proved"
PROVED_RESTRICTED = "proved under a restriction"
REFUTED = "refuted"
FAILED = "failed verification"
STATUSES = (PROVED, PROVED_RESTRICTED, REFUTED, FAILED)


@dataclass(frozen=True)
class Step:
    """One step of a proof: what it shows, and the derived expression behind it.

    ``kind`` says how the expression proves the text: ``"identity"`` (the
    expression simplifies to 0), ``"positive"`` / ``"negative"`` /
    ``"nonnegative"`` / ``"nonpositive"`` (its sign under the claim's
    assumptions), ``"equation"`` (an equality shown as ``lhs = rhs``) or
    ``"value"`` (a derived quantity, shown for the reader).

    Texts may hold inline mathematics between ``$`` signs (LaTeX, rendered
    as such); the rest is prose.
    """

    text: str
    expr: sp.Basic | None = None
    kind: str = "value"
    holds: bool | None = None  # whether the check passed (None: informative only)
    #: an identity's two sides (``expr`` is their difference, shown as ``lhs = rhs``); None: only the residual
    lhs: sp.Basic | None = None
    rhs: sp.Basic | None = None
    #: auxiliary symbols in ``expr`` and what they stand for (slack variables: ``w = c + s1``, ...)
    where: Mapping[sp.Basic, sp.Basic] | None = None


@dataclass(frozen=True)
class Counterexample:
    """Numbers at which the claim fails, and what is observed there."""

    parameters: Mapping[str, sp.Expr]
    observed: Mapping[str, sp.Expr]
    text: str


@dataclass(frozen=True)
class ClaimResult:
    """The outcome of checking one claim of docs/specification.md section 7."""

    number: int
    title: str
    statement: str
    status: str
    assumptions: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()
    counterexample: Counterexample | None = None
    notes: tuple[str, ...] = ()
    #: sub-results where a claim has several parts (e.g. claim 5's five statements)
    parts: tuple["ClaimResult", ...] = ()

    @property
    def ok(self) -> bool:
        return self.status != FAILED

    @property
    def tally(self) -> str:
        """The status as the summary, the text and the JSON give it: per part where there are parts.

        ``"5 of 7 parts proved, 2 refuted"``; a claim without parts has its status.
        """
        return tally(self.parts) if self.parts else self.status


def overall(parts) -> str:
    """A claim's status from its parts': failed if one failed, else refuted if one is, else restricted if one is."""
    statuses = {p.status for p in parts}
    for status in (FAILED, REFUTED, PROVED_RESTRICTED):
        if status in statuses:
            return status
    return PROVED


def tally(parts) -> str:
    """``"5 of 7 parts proved, 2 refuted"``: how many parts have each status, proved first."""
    counts = {s: sum(p.status == s for p in parts) for s in STATUSES}
    n = len(parts)
    words = [f"{k} {s}" for s, k in counts.items() if k and s != PROVED]
    if counts[PROVED] == n:
        return f"all {n} parts proved" if n > 1 else PROVED
    head = f"{counts[PROVED]} of {n} parts proved"
    return ", ".join([head] + words)


#: claim number -> function returning its ClaimResult (filled by the claim modules)
REGISTRY: dict[int, Callable[[], ClaimResult]] = {}


def claim(number: int):
    """Register ``fn`` as the checker of claim ``number``."""

    def deco(fn):
        REGISTRY[number] = fn
        return fn

    return deco
