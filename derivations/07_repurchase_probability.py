"""Chapter 7: the repurchase probability lam."""

import sympy as sp

from _appendix import Appendix
from scfin.solver import solve

app = Appendix("07_repurchase_probability", "Repurchase probability")
app.say("Repurchase at p = 10, c = 4, A = 100, b = 3, competitive bank, for lam = 0, 1/2, 1 "
        "(solve fills a left-out lam with 1 once numbers are given, so lam is set explicitly).")
base = {"p": 10, "c": 4, "A": 100, "b": 3, "v": 0, "eta": 0, "rf": 0}
orders = []
for lam in (0, "1/2", 1):
    eq = solve("repurchase", {**base, "lam": lam})
    app.equilibrium(eq)
    orders.append(eq.decisions["q"])
app.check("q* rises in lam (0, 1/2, 1)", bool(orders[0] < orders[1] < orders[2]))
app.check("lam = 0 gives traditional financing's order",
          sp.simplify(orders[0] - solve("bank-loan", {"p": 10, "c": 4, "A": 100}).decisions["q"]) == 0)
app.write()
