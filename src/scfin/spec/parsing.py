"""Parse what a user types: numbers as numbers, never as code.

No ``eval``, ``sympify`` or ``parse_expr`` touches user text: a value is an
integer, a decimal (optionally with an exponent) or a fraction ``a/b`` of
two such numbers, read by a regular expression into a :class:`Fraction`.
"""

from __future__ import annotations

import re
from fractions import Fraction

_DECIMAL = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_NUMBER = re.compile(rf"^\s*({_DECIMAL})\s*(?:/\s*({_DECIMAL})\s*)?$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ParseError(ValueError):
    pass


#: magnitudes a number may have: every parameter is also evaluated in floating point (shadow points,
#: the numeric optimisers), where 1e999 overflows and 1e-999 is 0
MAX_MAGNITUDE = Fraction(10) ** 12
MIN_MAGNITUDE = Fraction(1, 10**12)


def parse_number(text: str, name: str = "value") -> Fraction:
    """``'10'``, ``'0.1'``, ``'1e-3'``, ``'10/3'`` -> exact :class:`Fraction`."""
    m = _NUMBER.match(text)
    if not m:
        raise ParseError(f"{name}={text!r} is not a number (use an integer, a decimal or a fraction like 10/3)")
    num = Fraction(m.group(1))
    if m.group(2) is not None:
        den = Fraction(m.group(2))
        if den == 0:
            raise ParseError(f"{name}={text!r} divides by zero")
        num /= den
    if num != 0 and not MIN_MAGNITUDE <= abs(num) <= MAX_MAGNITUDE:
        raise ParseError(f"{name}={text.strip()!r} is out of range: give a number whose size is between "
                         f"1e-12 and 1e12 (or 0)")
    return num


def parse_assignments(items: list[str], options: tuple[str, ...] = ()) -> tuple[dict[str, Fraction], dict[str, str]]:
    """``['p=10', 'rate=competitive']`` -> (numbers, options).

    Names in ``options`` keep their text; every other value must be a number.
    """
    values: dict[str, Fraction] = {}
    opts: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise ParseError(f"expected NAME=VALUE, got {item!r}")
        name, _, text = item.partition("=")
        name = name.strip()
        if not _NAME.match(name):
            raise ParseError(f"{name!r} is not a parameter name")
        if name in values or name in opts:
            raise ParseError(f"{name} is given twice")
        if name in options:
            opts[name] = text.strip()
        else:
            values[name] = parse_number(text, name)
    return values, opts
