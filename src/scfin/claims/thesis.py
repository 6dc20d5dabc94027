"""The thesis's claims, stated on the public statement API.

Each entry names a claim, the part (its regime heading; the claim's title where it has no parts) and
the statement (:class:`~scfin.claims.statements.Sign`, :class:`~scfin.claims.statements.Identity`,
:class:`~scfin.claims.statements.Compare` or :class:`~scfin.claims.statements.Coordinates`) that states
it; ``expected`` is what the claim module establishes for it (``"proved"`` or ``"refuted"``).  The
claim modules prove their parts step by step, in the paper's notation; :func:`scfin.prove` decides the
same statements independently (the coefficient test on slack variables, then QEPCAD B), and
``tests/claims/test_thesis_statements.py`` checks that the two agree wherever :func:`~scfin.prove` decides.
A researcher's own claims are written the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from scfin.claims.statements import Compare, Coordinates, Identity, Quantity, Sign
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
    statement: Any
    expected: str


_p, _c, _v, _w, _A = (sym(n) for n in ("p", "c", "v", "w", "A"))
#: the retailer's share of the integrated profit under claim 3's buyback family
RHO = sp.Symbol("rho", positive=True)

STATEMENTS: tuple[ThesisStatement, ...] = (
    ThesisStatement(1, "Integrated newsvendor",
                    Identity(Quantity.of("integrated", "q", given={"rf": 0}), _A * (_p - _c) / (_p - _v)), "proved"),
    ThesisStatement(2, "Wholesale price: double marginalisation",
                    Compare("wholesale", "integrated", "q", "<", given={"rf": 0}, fixed=("w",),
                            assumptions=(_c < _w,)), "proved"),
    ThesisStatement(2, "Wholesale price: double marginalisation",
                    Identity(Quantity.of("wholesale", "w", given={"v": 0, "rf": 0}), (_p + _c) / 2), "proved"),
    ThesisStatement(2, "Wholesale price: double marginalisation",
                    Identity(Quantity.of("wholesale", "efficiency", given={"v": 0, "rf": 0}), sp.Rational(3, 4)),
                    "proved"),
    ThesisStatement(3, "Buyback coordinates",
                    Coordinates("buyback", given={"rf": 0, "lam": 1, "w": (1 - RHO) * _p + RHO * _c,
                                                  "b": (1 - RHO) * _p + RHO * _v},
                                assumptions=(RHO > 0, RHO <= 1)), "proved"),
    ThesisStatement(8, "Repurchase and cost sharing coordinate stock and effort",
                    Coordinates("repurchase-cost-sharing",
                                given={"rf": 0, "lam": 1, "eta": 0, "phi": (_w - _c) / (_p - _c),
                                       "b": _p - (_p - _w) * (_p - _v) / (_p - _c)},
                                fixed=("w",), assumptions=(_c < _w,)), "proved"),
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
