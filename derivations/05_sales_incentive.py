"""Chapter 5: repurchase + sales incentive with effort."""

from _appendix import Appendix
from scfin.solver import solve

app = Appendix("05_sales_incentive", "Repurchase and sales incentive")
for u in (0, 1):
    app.say(f"w = 6, b = 10/3, u = {u}, T = 40, kappa = 1, competitive bank: the retailer's global optimum.")
    eq = solve("repurchase-sales-incentive", {"p": 10, "c": 4, "A": 100, "kappa": 1, "w": 6, "b": "10/3", "u": u, "T": 40})
    app.first_order(eq)
    app.equilibrium(eq)
    app.check("the retailer's expected profit is non-negative", bool(eq.profits["retailer"] >= 0))
app.write()
