"""Chapter 3: the repurchase guarantee (unconditional and conditional)."""

import sympy as sp

from _appendix import Appendix
from scfin.spec.notation import sym
from scfin.solver import solve

app = Appendix("03_repurchase_guarantee", "Repurchase guarantee")
app.say("Repurchase, competitive bank, v = eta = r_f = 0, lam = 1: closed forms in p, c, b, A.")
eq = solve("repurchase", {"v": 0, "eta": 0, "rf": 0, "lam": 1})
app.first_order(eq)
app.equilibrium(eq)
q = eq.decisions["q"]
app.check("q* rises in b", bool(sp.diff(q, sym("b")).subs({sym("p"): 10, sym("c"): 4, sym("A"): 100, sym("b"): 3}) > 0))
app.check("b = v = 0 gives traditional financing's order",
          sp.simplify(q.subs(sym("b"), 0) - solve("bank-loan", {"v": 0, "eta": 0, "rf": 0}).decisions["q"]) == 0)
app.say("Conditional repurchase at the defaults (b = 3): solved by the engine.")
app.equilibrium(solve("conditional-repurchase", {"p": 10, "c": 4, "A": 100, "b": 3}))
app.write()
