"""scfin: supply-chain-finance contracts as SymPy, solved by one Stackelberg engine."""

__version__ = "0.1.0"

__all__ = ["__version__", "solve", "get_model", "CATALOGUE"]


def __getattr__(name):  # lazy: keep `import scfin` cheap for the CLI
    if name == "solve":
        from scfin.solve import solve

        return solve
    if name in ("get_model", "CATALOGUE"):
        from scfin.spec import models

        return getattr(models, name)
    raise AttributeError(name)
