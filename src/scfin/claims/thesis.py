"""The thesis's claims, stated on the public statement API.

Each entry names a claim, the part (its regime heading; the claim's title where it has no parts) and
the statement (:class:`~scfin.claims.statements.Sign`, :class:`~scfin.claims.statements.Identity`,
:class:`~scfin.claims.statements.Inequality`, :class:`~scfin.claims.statements.Compare`,
:class:`~scfin.claims.statements.Coordinates` or
:class:`~scfin.claims.statements.ParetoImprovement`) that states it; ``expected`` is what the claim
module establishes for it (``"proved"``, ``"refuted"``, or ``"subregion"`` for a Pareto zone that is
a proper interval of ``w``); ``budget`` the seconds :func:`~scfin.prove` is given for it.  The
claim modules prove their parts step by step, in the paper's notation; :func:`scfin.prove` decides the
same statements independently (the coefficient test on slack variables, then QEPCAD B), and
``tests/claims/test_thesis_statements.py`` checks that the two agree wherever :func:`~scfin.prove` decides.
A researcher's own claims are written the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from scfin.claims.claim04_rebates import WORKED
from scfin.claims.statements import (Compare, Coordinates, Identity, Inequality, ParetoImprovement, Quantity,
                                     Sign)
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
    budget: float = 10.0


_p, _c, _v, _w, _A = (sym(n) for n in ("p", "c", "v", "w", "A"))
#: the retailer's share of the integrated profit under claim 3's buyback family
RHO = sp.Symbol("rho", positive=True)
#: claim 4(a): the coordinating linear rebate (no target)
_LINEAR_REBATE = {"T": 0, "v": 0, "rf": 0, "u": _p * (_w - _c) / _c}
#: claim 10 in closed form: no incentive (u = 0) and v = rf = eta = 0, lam = 1
_COMBINED_0 = {"rf": 0, "lam": 1, "eta": 0, "u": 0, "T": 0}
#: claim 8's coordinating pair at a given w, also claim 10's family when the incentive is off
_FAMILY = {"phi": (_w - _c) / (_p - _c), "b": _p - (_p - _w) * (_p - _v) / (_p - _c)}
#: the thesis's numbers for the zone (docs/specification.md section 8)
_ZONE_NUMBERS = {"p": 10, "c": 4, "v": 0, "A": 100, "kappa": 1}
#: claim 4(b), an existence statement shown at its worked numbers: the target rebate (u, T) = (5, 40) at w = 6
_TARGET_REBATE = {**WORKED, "v": 0, "rf": 0}
#: claim 9 at its worked numbers (w = 6, b = 1): the claim's coordinating family, u = (p - c)(b_8 - b)/(c - v)
#: with b_8 claim 8's buyback price, and T = e_0 + A (1 - (w - c)/u) with the integrated effort e_0 = (p - c)/kappa
_C9 = {**_ZONE_NUMBERS, "w": 6, "b": 1}
_U9 = (_p - _c) * (_FAMILY["b"] - sym("b")) / (_c - _v)
_T9 = (_p - _c) / sym("kappa") + _A * (1 - (_w - _c) / _U9)
_SALES_INCENTIVE = {"rf": 0, "lam": 1, "eta": 0, **_C9,
                    **{k: f.subs({sym(n): x for n, x in _C9.items()}) for k, f in (("u", _U9), ("T", _T9))}}

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
    # claim 4(a): the linear rebate u = p (w - c)/c makes the retailer order q_0, and M loses money there
    ThesisStatement(4, "Linear rebate, $T = 0$",
                    Coordinates("sales-rebate", given=_LINEAR_REBATE, fixed=("w",), assumptions=(_c < _w,)), "proved"),
    ThesisStatement(4, "Linear rebate, $T = 0$",
                    Inequality(Quantity.of("sales-rebate", "manufacturer", given=_LINEAR_REBATE, fixed=("w",)), "<", 0,
                               assumptions=(_c < _w,)), "proved"),
    ThesisStatement(4, "Target rebate, $T > 0$", Coordinates("sales-rebate", given=_TARGET_REBATE), "proved"),
    ThesisStatement(4, "Target rebate, $T > 0$",
                    Inequality(Quantity.of("sales-rebate", "manufacturer", given=_TARGET_REBATE), ">", 0), "proved"),
    ThesisStatement(4, "Target rebate, $T > 0$",
                    Inequality(Quantity.of("sales-rebate", "retailer", given=_TARGET_REBATE), ">", 0), "proved"),
    # claim 7 at an exogenous rate: the guarantee leaves the order of claim 5 and raises the bank's profit
    ThesisStatement(7, "Exogenous rate $r$",
                    Identity(Quantity.of("conditional-repurchase", "q", given=_FIXED, fixed=("w",), rate="exogenous"),
                             Quantity.of("bank-loan", "q", given=_FIXED, fixed=("w",), rate="exogenous")), "proved"),
    ThesisStatement(7, "Exogenous rate $r$",
                    Inequality(Quantity.of("conditional-repurchase", "bank", given=_FIXED, fixed=("w",),
                                           rate="exogenous"), ">",
                               Quantity.of("bank-loan", "bank", given=_FIXED, fixed=("w",), rate="exogenous"),
                               assumptions=(sym("b") > 0, sym("b") < _w, sym("lam") > 0)), "proved", budget=60.0),
    ThesisStatement(8, "Repurchase and cost sharing coordinate stock and effort",
                    Coordinates("repurchase-cost-sharing", given={"rf": 0, "lam": 1, "eta": 0, **_FAMILY},
                                fixed=("w",), assumptions=(_c < _w,)), "proved"),
    ThesisStatement(9, "Repurchase and sales incentive with effort",
                    Coordinates("repurchase-sales-incentive", given=_SALES_INCENTIVE), "proved", budget=30.0),
    ThesisStatement(10, "Combined contract: coordination and the Pareto zone",
                    Coordinates("repurchase-combined", given={**_COMBINED_0, **_FAMILY}, fixed=("w",),
                                assumptions=(_c < _w,)), "proved"),
    # the zone: every party at least its profit under traditional financing (bank loan, M choosing w,
    # competitive rate), along the family, w left symbolic: exactly [74/11, 95/11]
    ThesisStatement(10, "Combined contract: coordination and the Pareto zone",
                    ParetoImprovement("repurchase-combined", "bank-loan", "w",
                                      given={**_COMBINED_0, **_ZONE_NUMBERS,
                                             **{k: f.subs({sym(n): x for n, x in _ZONE_NUMBERS.items()})
                                                for k, f in _FAMILY.items()}},
                                      fixed=("w",)), "subregion", budget=120.0),
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
