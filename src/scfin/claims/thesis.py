"""The sign parts of the thesis's claims, stated on the public statement API.

Each entry names a claim, the part (its regime heading) and the :class:`~scfin.claims.statements.Sign`
that states it; ``expected`` is what the claim module establishes for it (``"proved"`` or
``"refuted"``).  The claim modules prove their parts step by step, in the paper's notation;
:func:`scfin.prove` decides the same statements independently (the coefficient test on slack
variables, then QEPCAD B), and ``tests/claims/test_thesis_statements.py`` checks that the two
agree wherever :func:`~scfin.prove` decides.  A researcher's own claims are written the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from scfin.claims.statements import Sign
from scfin.spec.notation import sym

#: the numbers the thesis fixes in these chapters (docs/specification.md section 7)
_FIXED = {"v": 0, "rf": 0, "eta": 0}
_ALWAYS = {**_FIXED, "lam": 1}
#: claim 11 at M's choice: the repurchase price below the unit cost (the thesis's range, ``0 < b < c < p``)
_B_BELOW_C = (sym("b") < sym("c"),)


@dataclass(frozen=True)
class ThesisStatement:
    claim: int
    part: str
    statement: Sign
    expected: str


STATEMENTS: tuple[ThesisStatement, ...] = (
    ThesisStatement(5, "Exogenous rate $r$, $w$ given: the order falls in $r$ and $w$",
                    Sign("bank-loan", "q", "w", "negative", given=_FIXED, fixed=("w",), rate="exogenous"), "proved"),
    ThesisStatement(6, "Exogenous rate $r$, $w$ given",
                    Sign("repurchase", "q", "b", "positive", given=_ALWAYS, fixed=("w",), rate="exogenous"), "proved"),
    ThesisStatement(6, "Exogenous rate $r$, $w$ given",
                    Sign("repurchase", "retailer", "b", "positive", given=_ALWAYS, fixed=("w",), rate="exogenous"),
                    "proved"),
    ThesisStatement(6, "Exogenous rate $r$, $w$ given",
                    Sign("repurchase", "bank", "b", "positive", given=_ALWAYS, fixed=("w",), rate="exogenous"),
                    "proved"),
    ThesisStatement(6, "Exogenous rate $r$, $w$ given",
                    Sign("repurchase", "default_probability", "b", "negative", given=_ALWAYS, fixed=("w",),
                         rate="exogenous"), "proved"),
    ThesisStatement(6, "Competitive rate, $w$ chosen by M",
                    Sign("repurchase", "q", "b", "positive", given=_ALWAYS), "proved"),
    ThesisStatement(6, "Competitive rate, $w$ chosen by M",
                    Sign("repurchase", "retailer", "b", "positive", given=_ALWAYS), "refuted"),
    ThesisStatement(11, "Competitive rate, $w$ chosen by M",
                    Sign("repurchase", "w", "lam", "positive", given=_FIXED, assumptions=_B_BELOW_C), "proved"),
    ThesisStatement(11, "Competitive rate, $w$ chosen by M",
                    Sign("repurchase", "q", "lam", "positive", given=_FIXED, assumptions=_B_BELOW_C), "proved"),
    ThesisStatement(11, "Competitive rate, $w$ chosen by M",
                    Sign("repurchase", "retailer", "lam", "negative", given=_FIXED, assumptions=_B_BELOW_C), "proved"),
    ThesisStatement(11, "Competitive rate, $w$ chosen by M",
                    Sign("repurchase", "manufacturer", "lam", "positive", given=_FIXED, assumptions=_B_BELOW_C), "proved"),
)
