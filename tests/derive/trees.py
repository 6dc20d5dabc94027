"""Comparing SymPy expressions node for node in tests."""

from __future__ import annotations


def tree(e):
    """An expression's structure: every node's type and arguments in order (a symbol by its name and the
    assumptions it was made with; ``srepr`` also prints the ones SymPy has derived so far, which depend on
    what was asked of the symbol before)."""
    if e.is_Symbol:
        return ("Symbol", e.name, tuple(sorted(e.assumptions0.items())))
    if not e.args:
        return (type(e).__name__, repr(e))
    return (type(e).__name__, tuple(tree(a) for a in e.args))
