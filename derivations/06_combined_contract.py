"""Chapter 6: the combined contract (repurchase + cost sharing + sales incentive) and mutual benefit."""

from _appendix import Appendix
from scfin.solver import solve

app = Appendix("06_combined_contract", "Combined contract")
bench = solve("bank-loan", {"p": 10, "c": 4, "A": 100})
app.say("Benchmark: traditional financing at the defaults (M chooses w, competitive bank).")
app.equilibrium(bench)
eq = solve("repurchase-combined", {"p": 10, "c": 4, "A": 100, "kappa": 1, "w": 6, "b": "10/3", "phi": "1/3", "u": 0, "T": 0})
app.say("Combined contract at w = 6, b = 10/3, phi = 1/3, u = T = 0.")
app.equilibrium(eq)
app.check("the chain earns more than under traditional financing", bool(eq.profits["chain"] > bench.profits["chain"]))
try:
    from scfin.claims.zone import pareto_zone
except ImportError:
    app.say("The Pareto zone module is not available.")
else:
    app.say(f"Pareto zone: {pareto_zone('repurchase-combined')}")
app.write()
