"""Bounded canonical forms for rational functions, shared by the engine and the display.

``sympy.cancel`` on a sum of fractions with large numerators can take tens of
seconds where the same call on the combined fraction (``together`` first)
takes a fraction of a second; the result is the same canonical ``p/q``.  The
manufacturer's second-order condition in an effort model (a sum of squares of
the retailer's response) is such a case: 16 s against 0.4 s.
"""

from __future__ import annotations

import sympy as sp


def cancel(expr) -> sp.Expr:
    """``sympy.cancel`` of the expression brought over one denominator first."""
    return sp.cancel(sp.together(sp.sympify(expr)))


def factor_rational(expr) -> sp.Expr:
    """Factored lowest terms of a rational function."""
    return sp.factor(cancel(expr))
