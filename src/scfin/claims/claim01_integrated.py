"""Claim 1 (docs/specification.md section 7): the integrated newsvendor's critical fractile.

``F(q0) = (p - c)/(p - v)`` (Arrow, Harris & Marschak 1951; Porteus 2002,
ch. 1).  Proof: the engine's integrated optimum for abstract demand is
``q0 = F^{-1}(z)``; ``F(F^{-1}(z)) = z`` and ``z`` equals the fractile at
``rf = 0`` (in general ``z = (p - c*(1 + rf))/(p - v)``).  The uniform closed
form satisfies ``q0/A = z``, i.e. ``F(q0) = q0/A``.
"""

from __future__ import annotations

import sympy as sp

from scfin.derive.algebra import cancel
from scfin.spec.demand import F as Fcdf, Finv
from scfin.spec.notation import sym
from scfin.solver import solve
from scfin.claims.base import PROVED, ClaimResult, Step, claim
from scfin.claims.proof import is_identity

STATEMENT = "Integrated newsvendor: F(q0) = (p - c)/(p - v)."


def _fractile_of(q0: sp.Expr) -> sp.Expr:
    """``F(q0)`` with ``F(F^{-1}(z)) = z`` applied."""
    return Fcdf(q0).replace(lambda a: a.func == Fcdf and a.args[0].func == Finv, lambda a: a.args[0].args[0])


@claim(1)
def check() -> ClaimResult:
    p, c, v, rf, A = (sym(n) for n in ("p", "c", "v", "rf", "A"))
    target = (p - c) / (p - v)
    general = solve("integrated", {}, demand="general")
    q0 = general.decisions["q"]
    fq = _fractile_of(q0)
    gap_general = cancel(fq - (p - c * (1 + rf)) / (p - v))
    gap = cancel(fq.subs(rf, 0) - target)
    uniform = solve("integrated", {})
    gap_uniform = cancel((uniform.decisions["q"] / A).subs(rf, 0) - target)
    steps = (
        Step("Engine, abstract demand: the integrated optimum", sp.Eq(sym("q"), q0), "value"),
        Step("F(q0) minus the fractile with the risk-free rate, (p - c(1 + rf))/(p - v)", gap_general,
             "identity", is_identity(gap_general)),
        Step("At rf = 0: F(q0) - (p - c)/(p - v)", gap, "identity", is_identity(gap)),
        Step("Uniform demand, F(q) = q/A: q0/A - (p - c)/(p - v) at rf = 0", gap_uniform, "identity",
             is_identity(gap_uniform)),
    )
    ok = all(s.holds for s in steps if s.holds is not None)
    return ClaimResult(
        number=1,
        title="Integrated newsvendor",
        statement=STATEMENT,
        status=PROVED if ok else "failed verification",
        assumptions=("abstract demand F (and uniform)", "rf = 0 (general rf: F(q0) = (p - c(1 + rf))/(p - v))"),
        steps=steps,
        notes=("The integrated firm orders until the chance of selling the last unit equals its margin "
               "p - c over the spread p - v between selling and salvaging it.",),
    )
