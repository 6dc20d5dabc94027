"""The notation registry: every symbol of docs/specification.md section 2, once.

Each entry carries the SymPy symbol (with the assumptions SymPy may use), its
LaTeX, its meaning, its admissible range, its default and the range random
verification draws it from.  Everything else in scfin takes its symbols from
here, so a formula, a table and a JSON key always agree.

The registry is append-only: a clause that brings a new symbol declares it
(:func:`parameter`, the clause's ``declares``), and building a model that uses
the clause registers it (:func:`register`).  Declaring a name twice with
different meanings is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Mapping

import sympy as sp


@dataclass(frozen=True)
class Bound:
    """One side of an admissible interval: ``value`` or the name of a symbol."""

    ref: str | int | Fraction
    strict: bool


@dataclass(frozen=True)
class SymbolInfo:
    """A symbol of the specification with its meaning and admissible range."""

    name: str
    latex: str
    meaning: str
    kind: str  # "parameter", "decision", "derived" or "distribution"
    lower: Bound | None = None
    upper: Bound | None = None
    assumptions: Mapping[str, bool] = field(default_factory=dict)
    #: value used where none is given (``--defaults``); None: no default
    default: Fraction | None = None
    #: range random verification draws the value from, (low, high); None: from the bounds
    draw: tuple[Fraction, Fraction] | None = None

    @property
    def symbol(self) -> sp.Symbol:
        return _SYMBOL_CACHE[self.name]

    def range_text(self) -> str:
        """The admissible range in code notation, e.g. ``c < w < p``."""
        parts = []
        if self.lower is not None:
            parts.append(f"{self.lower.ref} {'<' if self.lower.strict else '<='} ")
        parts.append(self.name)
        if self.upper is not None:
            parts.append(f" {'<' if self.upper.strict else '<='} {self.upper.ref}")
        return "".join(parts)

    def range_latex(self) -> str:
        def ref(b: Bound) -> str:
            return REGISTRY[b.ref].latex if isinstance(b.ref, str) else str(b.ref)

        le = r"\le"
        out = self.latex
        if self.lower is not None:
            rel = "<" if self.lower.strict else le
            out = f"{ref(self.lower)} {rel} {out}"
        if self.upper is not None:
            rel = "<" if self.upper.strict else le
            out = f"{out} {rel} {ref(self.upper)}"
        return out


def _b(ref, strict=True):
    return Bound(ref, strict)


_POS = {"positive": True, "real": True}
_NONNEG = {"nonnegative": True, "real": True}
_REAL = {"real": True}

_ENTRIES = (
    SymbolInfo("p", "p", "retail price", "parameter", _b(0), None, _POS),
    SymbolInfo("c", "c", "manufacturer's unit production cost", "parameter", _b(0), _b("p"), _POS),
    SymbolInfo("w", "w", "wholesale price", "decision", _b("c"), _b("p"), _POS),
    SymbolInfo("v", "v", "salvage value of a leftover unit", "parameter", _b(0, False), _b("c"), _NONNEG),
    SymbolInfo("b", "b", "repurchase (buyback) price", "parameter", _b("v", False), _b("w"), _NONNEG),
    SymbolInfo("q", "q", "order quantity (retailer decides)", "decision", _b(0, False), None, _NONNEG),
    SymbolInfo("e", "e", "sales effort (retailer decides, effort models)", "decision", _b(0, False), None, _NONNEG),
    SymbolInfo("kappa", r"\kappa", "coefficient of the quadratic effort cost", "parameter", _b(0), None, _POS),
    SymbolInfo("phi", r"\phi", "share of the retailer's effort (or interest) cost paid by the manufacturer", "parameter", _b(0, False), _b(1), _NONNEG),
    SymbolInfo("u", "u", "sales incentive per unit sold above the target", "parameter", _b(0, False), None, _NONNEG),
    SymbolInfo("T", "T", "sales target of the incentive (a target of zero is the linear rebate)", "parameter", _b(0, False), None, _NONNEG),
    SymbolInfo("psi", r"\psi", "retailer's share of sales revenue (revenue sharing)", "parameter", _b(0), _b(1, False), _POS),
    SymbolInfo("lam", r"\lambda", "repurchase probability: chance that a due repurchase is executed", "parameter", _b(0, False), _b(1, False), _NONNEG),
    SymbolInfo("eta", r"\eta", "retailer's own capital", "parameter", _b(0, False), None, _NONNEG),
    SymbolInfo("r", "r", "bank loan rate", "decision", _b("rf", False), None, _NONNEG),
    SymbolInfo("rf", "r_f", "risk-free rate", "parameter", _b(0, False), None, _NONNEG),
    SymbolInfo("A", "A", "upper end of uniform demand on [0, A]", "distribution", _b(0), None, _POS),
    SymbolInfo("mu", r"\mu", "mean of normal demand (truncated normal: of the normal before truncation at "
               "zero; lognormal: of the logarithm of demand)", "distribution", None, None, _REAL),
    SymbolInfo("sigma", r"\sigma", "standard deviation of normal demand (truncated normal: of the normal "
               "before truncation at zero; lognormal: of the logarithm of demand)", "distribution", _b(0), None, _POS),
    SymbolInfo("theta", r"\theta", "mean of exponential demand", "distribution", _b(0), None, _POS),
    SymbolInfo("shape", r"k_{\Gamma}", "shape of gamma demand (its failure rate increases for a shape of at least one)",
               "distribution", _b(0), None, _POS),
    SymbolInfo("scale", r"\theta_{\Gamma}", "scale of gamma demand (the mean is the shape times the scale)", "distribution",
               _b(0), None, _POS),
)

#: Derived quantities: reported, never set by a user.
_DERIVED = (
    SymbolInfo("L", "L", "bank loan", "derived", assumptions=_NONNEG),
    SymbolInfo("k", "k", "default threshold: demand below which the retailer defaults", "derived", assumptions=_REAL),
    SymbolInfo("x", "x", "realised demand (in effort models: base demand, before the effort adds to it)", "derived", assumptions=_REAL),
)

_ENTRIES_BY_NAME: dict[str, SymbolInfo] = {info.name: info for info in _ENTRIES + _DERIVED}
REGISTRY: Mapping[str, SymbolInfo] = MappingProxyType(_ENTRIES_BY_NAME)
_SYMBOL_CACHE = {name: sp.Symbol(name, **dict(info.assumptions)) for name, info in REGISTRY.items()}
_SYMBOL_LATEX = {_SYMBOL_CACHE[n]: info.latex for n, info in REGISTRY.items()}

#: LaTeX for printing: symbol -> LaTeX name.
SYMBOL_LATEX: Mapping[sp.Symbol, str] = MappingProxyType(_SYMBOL_LATEX)


def parameter(name: str, latex: str, meaning: str, lower: Bound | None = None, upper: Bound | None = None,
              assumptions: Mapping[str, bool] | None = None, kind: str = "parameter",
              default: int | str | Fraction | None = None,
              draw: tuple[int | str | Fraction, int | str | Fraction] | None = None) -> SymbolInfo:
    """Declare a new symbol (a clause's ``declares``): name, LaTeX, meaning, admissible range, default, draw range.

    Bounds are :class:`Bound` values (a number or another symbol's name);
    ``assumptions`` default to real (nonnegative where the lower bound is
    ``>= 0``).  ``default`` and ``draw`` are exact numbers (int, ``Fraction``
    or a fraction's text such as ``"1/2"``, parsed as a number, never evaluated).
    """
    if not name.isidentifier():
        raise ValueError(f"parameter name {name!r} is not an identifier")
    if kind not in ("parameter", "decision", "distribution"):
        raise ValueError(f"kind {kind!r}: choose parameter, decision or distribution")
    if assumptions is None:
        nonneg = lower is not None and not isinstance(lower.ref, str) and Fraction(lower.ref) >= 0
        assumptions = {"nonnegative": True, "real": True} if nonneg else {"real": True}
    return SymbolInfo(name, latex, meaning, kind, lower, upper, MappingProxyType(dict(assumptions)),
                      None if default is None else Fraction(default),
                      None if draw is None else (Fraction(draw[0]), Fraction(draw[1])))


def register(info: SymbolInfo) -> None:
    """Add a declared symbol to the registry (idempotent; a conflicting redeclaration raises ``ValueError``)."""
    known = _ENTRIES_BY_NAME.get(info.name)
    if known is not None:
        if known != info and (known.latex, known.kind, known.lower, known.upper, dict(known.assumptions)) != (
                info.latex, info.kind, info.lower, info.upper, dict(info.assumptions)):
            raise ValueError(f"symbol {info.name!r} is already declared as {known.meaning!r} "
                             f"({known.range_text()}): choose another name")
        return
    _ENTRIES_BY_NAME[info.name] = info
    symbol = sp.Symbol(info.name, **dict(info.assumptions))
    _SYMBOL_CACHE[info.name] = symbol
    _SYMBOL_LATEX[symbol] = info.latex


def sym(name: str) -> sp.Symbol:
    """The registry symbol called ``name``."""
    try:
        return _SYMBOL_CACHE[name]
    except KeyError:
        raise KeyError(f"unknown symbol {name!r}") from None


def symbols(*names: str) -> tuple[sp.Symbol, ...]:
    return tuple(sym(n) for n in names)


#: the optimal decisions and interest rate as symbols (printed ``q^*``,
#: ``e^*``, ``w^*``, ``r^*``): long profits and conditions are displayed in
#: them, as a paper writes them
STAR: Mapping[str, sp.Symbol] = MappingProxyType({d: sp.Symbol(f"{d}_star", real=True) for d in ("q", "e", "w", "r")})


class AdmissibilityError(ValueError):
    """A value outside its admissible range (docs/specification.md section 2)."""


def check_admissible(values: Mapping[str, Fraction | float], bounds: Mapping[str, tuple] | None = None) -> None:
    """Raise :class:`AdmissibilityError` naming the first violated bound.

    Bounds that refer to another symbol are checked only when that symbol has
    a value too, so partial parameter sets (closed forms) can be checked.
    """
    for name in sorted(values, key=_order_key):
        info = REGISTRY.get(name)
        if info is None:
            continue
        val = values[name]
        lower, upper = (bounds or {}).get(name, (info.lower, info.upper))
        for bound, is_lower in ((lower, True), (upper, False)):
            if bound is None:
                continue
            if isinstance(bound.ref, str):
                if bound.ref not in values:
                    continue
                ref_val = values[bound.ref]
                ref_txt = f"{bound.ref} = {_fmt(ref_val)}"
            else:
                ref_val = bound.ref
                ref_txt = str(bound.ref)
            if is_lower:
                bad = val <= ref_val if bound.strict else val < ref_val
                rel = ">" if bound.strict else ">="
            else:
                bad = val >= ref_val if bound.strict else val > ref_val
                rel = "<" if bound.strict else "<="
            if bad:
                raise AdmissibilityError(
                    f"{name} = {_fmt(val)} is not admissible: need {name} {rel} {ref_txt} "
                    f"({info.meaning}; admissible: {info.range_text()})"
                )


def _fmt(val) -> str:
    if isinstance(val, Fraction) and val.denominator == 1:
        return str(val.numerator)
    return str(val)


def _order_key(name: str) -> int:
    order = [i.name for i in _ENTRIES]
    return order.index(name) if name in order else len(order)


#: the specification's parameters in its order (declared symbols follow, by :func:`parameter_order`)
PARAMETER_ORDER = tuple(i.name for i in _ENTRIES)


def parameter_order() -> tuple[str, ...]:
    """Every settable name in registry order: the specification's first, then declared ones as registered."""
    return tuple(n for n, i in REGISTRY.items() if i.kind != "derived")
