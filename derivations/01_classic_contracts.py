"""Chapter 1: classic contracts (integrated newsvendor, wholesale, buyback, revenue sharing, rebates)."""

import sympy as sp

from _appendix import Appendix, zero
from scfin.spec.demand import F
from scfin.spec.notation import sym
from scfin.solver import solve

app = Appendix("01_classic_contracts", "Classic contracts")
p, c, v, A = (sym(n) for n in ("p", "c", "v", "A"))

app.say("Integrated newsvendor, general demand: the first-order condition and its critical fractile.")
eq = solve("integrated", demand="general")
app.first_order(eq)
app.show("q_0", eq.decisions["q"])
app.check("F(q_0) = (p - c(1 + r_f))/(p - v)", zero(F(eq.decisions["q"]).replace(
    lambda a: a.func == F and a.args[0].func.__name__ == "F^{-1}", lambda a: a.args[0].args[0])
    - (p - c * (1 + sym("rf"))) / (p - v)))

app.say("Wholesale-price contract, uniform demand, v = r_f = 0: backward induction.")
eq = solve("wholesale", {"v": 0, "rf": 0})
app.equilibrium(eq)
app.check("chain efficiency is 3/4", zero(eq.metrics["efficiency"] - sp.Rational(3, 4)))

app.say("Buyback contract at w = 6, b = 10/3 (worked numbers).")
eq = solve("buyback", {"p": 10, "c": 4, "A": 100, "w": 6, "b": "10/3"})
app.equilibrium(eq)
integrated = solve("integrated", {"p": 10, "c": 4, "A": 100})
app.check("buyback order equals the integrated order", eq.decisions["q"] == integrated.decisions["q"])

app.say("Revenue sharing psi = 2/3, w = 8/3; sales rebate w = 6, u = 5, T = 40.")
for mid, vals in (("revenue-sharing", {"psi": "2/3", "w": "8/3"}), ("sales-rebate", {"w": 6, "u": 5, "T": 40})):
    eq = solve(mid, {"p": 10, "c": 4, "A": 100, **vals})
    app.equilibrium(eq)
    app.check(f"{mid} coordinates (q = q_0)", eq.decisions["q"] == integrated.decisions["q"])
app.write()
