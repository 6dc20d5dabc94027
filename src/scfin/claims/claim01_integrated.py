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

STATEMENT = "The integrated newsvendor orders $q_0$ with $F(q_0) = (p - c)/(p - v)$."


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
    q0s = sp.Symbol("q_0", positive=True)
    steps = (
        Step("The engine's integrated optimum for an abstract demand distribution $F$ is the critical fractile "
             "of the margin over the spread between selling and salvaging:", sp.Eq(q0s, q0), "value"),
        Step("Since $F(F^{-1}(z)) = z$, the fractile at $q_0$ is, with the risk-free rate $r_f$:", gap_general,
             "identity", is_identity(gap_general), lhs=Fcdf(q0s), rhs=(p - c * (1 + rf)) / (p - v)),
        Step("At $r_f = 0$ this is the claimed fractile:", gap, "identity", is_identity(gap),
             lhs=Fcdf(q0s), rhs=target),
        Step("For uniform demand, $F(q) = q/A$, the engine's closed form gives at $r_f = 0$:", gap_uniform,
             "identity", is_identity(gap_uniform), lhs=q0s / A, rhs=target),
    )
    ok = all(s.holds for s in steps if s.holds is not None)
    return ClaimResult(
        number=1,
        title="Integrated newsvendor",
        statement=STATEMENT,
        status=PROVED if ok else "failed verification",
        assumptions=("an abstract demand distribution $F$ (and the uniform one)",
                     "$r_f = 0$ (for a general $r_f$, $F(q_0) = (p - c(1 + r_f))/(p - v)$)"),
        steps=steps,
        notes=("The integrated firm orders until the chance of selling the last unit equals its margin "
               "$p - c$ over the spread $p - v$ between selling and salvaging it.",),
    )
