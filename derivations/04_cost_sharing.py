"""Chapter 4: repurchase + effort cost sharing (worked numbers of docs/specification.md section 8)."""

from _appendix import Appendix
from scfin.solver import solve

app = Appendix("04_cost_sharing", "Repurchase and cost sharing")
base = {"p": 10, "c": 4, "A": 100, "kappa": 1, "w": 6, "b": "10/3"}
bench = solve("integrated-effort", {"p": 10, "c": 4, "A": 100, "kappa": 1})
app.say("Integrated benchmark with effort.")
app.equilibrium(bench)
for phi in ("1/3", 0):
    app.say(f"Retailer's response at w = 6, b = 10/3, phi = {phi} (competitive bank).")
    eq = solve("repurchase-cost-sharing", {**base, "phi": phi})
    app.first_order(eq)
    app.equilibrium(eq)
    same = eq.decisions["e"] == bench.decisions["e"]
    app.check(f"effort {'equals' if phi != 0 else 'falls short of'} the integrated effort", same if phi != 0 else eq.decisions["e"] < bench.decisions["e"])
app.write()
