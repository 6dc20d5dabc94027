"""Chapter 2: traditional bank financing (bank loan, limited liability)."""

import sympy as sp

from _appendix import Appendix
from scfin.spec.notation import sym
from scfin.solver import solve

app = Appendix("02_traditional_bank_financing", "Traditional bank financing")
app.say("Exogenous rate, v = eta = r_f = 0: the retailer's order given w and r.")
eq = solve("bank-loan", {"v": 0, "eta": 0, "rf": 0, "w": 6}, rate="exogenous")
app.first_order(eq)
q = eq.decisions["q"]
app.show("q^*(w = 6, r)", q)
app.check("q* falls in r", bool(sp.simplify(sp.diff(q, sym("r")).subs({sym("p"): 10, sym("A"): 100, sym("r"): sp.Rational(1, 10)})) < 0))
app.say("Competitive rate at the defaults: the bank breaks even; the spread over r_f is the price of default risk.")
eq = solve("bank-loan", {"p": 10, "c": 4, "A": 100})
app.equilibrium(eq)
app.check("credit spread r > r_f", bool(eq.metrics["interest_rate"] > 0))
app.check("default probability positive", bool(eq.metrics["default_probability"] > 0))
app.write()
