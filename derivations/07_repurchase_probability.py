"""Chapter 7: the repurchase probability lam."""

import sympy as sp

from _appendix import Appendix
from scfin.notation import sym
from scfin.solve import solve

app = Appendix("07_repurchase_probability", "Repurchase probability")
app.say("Repurchase with lam symbolic: p = 10, c = 4, A = 100, b = 3, competitive bank.")
eq = solve("repurchase", {"p": 10, "c": 4, "A": 100, "b": 3, "v": 0, "eta": 0, "rf": 0})
app.equilibrium(eq)
lam = sym("lam")
q = eq.decisions["q"]
app.show("dq^*/d\\lambda", sp.factor(sp.diff(q, lam)))
slope = sp.diff(q, lam).subs(lam, sp.Rational(1, 2))
app.say(f"Sign of dq*/dlam at lam = 1/2: {sp.sign(slope)} (claim 11 states it is positive; see the claim's verdict).")
app.check("lam = 0 gives traditional financing's order",
          sp.simplify(q.subs(lam, 0) - solve("bank-loan", {"p": 10, "c": 4, "A": 100}).decisions["q"]) == 0)
app.write()
