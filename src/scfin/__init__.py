"""scfin: supply-chain-finance contracts as SymPy, solved by one Stackelberg engine.

This module is the public façade: it imports lazily, so ``import scfin`` stays
cheap for the command line.
"""

import sys

__version__ = "0.1.0"

#: public name -> (module, attribute): imported on first use
_PUBLIC = {
    "solve": ("scfin.solver", "solve"),
    "Model": ("scfin.spec.models", "Model"),
    "ModelError": ("scfin.spec.models", "ModelError"),
    "CATALOGUE": ("scfin.spec.models", "CATALOGUE"),
    "get_model": ("scfin.spec.models", "get_model"),
    "load_model": ("scfin.spec.loading", "load_model"),
    "Clause": ("scfin.spec.clauses", "Clause"),
    "Financing": ("scfin.spec.clauses", "Financing"),
    "Ledger": ("scfin.spec.clauses", "Ledger"),
    "settle": ("scfin.spec.clauses", "settle"),
    "clauses": ("scfin.spec", "clauses"),
    "parameter": ("scfin.spec.notation", "parameter"),
    "Bound": ("scfin.spec.notation", "Bound"),
    "sym": ("scfin.spec.notation", "sym"),
    "Equilibrium": ("scfin.results", "Equilibrium"),
    "prove": ("scfin.claims.statements", "prove"),
    "statics": ("scfin.claims.statics", "statics"),
}

__all__ = ["__version__", "show_in_notebooks", *_PUBLIC]


def __getattr__(name):  # lazy: keep `import scfin` cheap for the CLI
    if name in _PUBLIC:
        import importlib

        module, attribute = _PUBLIC[name]
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'scfin' has no attribute {name!r}")


def _notebook_latex(obj):
    from scfin.render.latex import notebook_latex

    return notebook_latex(obj)


def _notebook_text(obj, printer, cycle):
    from scfin.render.text import equilibrium_text

    printer.text(equilibrium_text(obj))


def show_in_notebooks() -> bool:
    """Register IPython formatters for result values (LaTeX, and text for equilibria).

    Results never import their renderers; a notebook finds them through these
    formatters, registered by type name so nothing is imported until shown.
    Called on ``import scfin`` when IPython is running; returns whether it was.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return False
    formatters = shell.display_formatter.formatters
    for module, name in (("scfin.results", "Equilibrium"), ("scfin.claims.base", "ClaimResult")):
        formatters["text/latex"].for_type_by_name(module, name, _notebook_latex)
    formatters["text/plain"].for_type_by_name("scfin.results", "Equilibrium", _notebook_text)
    return True


show_in_notebooks()
