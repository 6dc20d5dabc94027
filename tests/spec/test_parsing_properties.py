"""Property tests of the number parser (scfin.spec.parsing): round-trips, rejections, nothing evaluated."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from scfin.spec.parsing import MAX_MAGNITUDE, MIN_MAGNITUDE, ParseError, parse_assignments, parse_number

SETTINGS = settings(max_examples=200, deadline=None)


def in_range(x) -> bool:
    """Numbers the parser accepts: 0, or of size between 1e-12 and 1e12 (docs/specification.md section 9)."""
    x = Fraction(x)
    return x == 0 or MIN_MAGNITUDE <= abs(x) <= MAX_MAGNITUDE


FRACTIONS = st.fractions().filter(in_range)


@SETTINGS
@given(FRACTIONS)
def test_fraction_round_trip(f):
    assert parse_number(str(f)) == f


@SETTINGS
@given(st.integers(min_value=-10**12, max_value=10**12), st.integers(min_value=1, max_value=10**12))
def test_spaced_fraction(a, b):
    assert parse_number(f" {a} / {b} ") == Fraction(a, b)


@SETTINGS
@given(st.decimals(allow_nan=False, allow_infinity=False, places=6).filter(in_range))
def test_decimal_round_trip(d):
    assert parse_number(str(d)) == Fraction(Decimal(str(d)))


@SETTINGS
@given(st.floats(allow_nan=False, allow_infinity=False).filter(in_range))
def test_float_repr_round_trip(x):
    # repr is the shortest decimal that reads back as x: the exact number it names rounds to x
    assert float(parse_number(repr(x))) == x


@SETTINGS
@given(st.text().filter(lambda t: any(ch.isalpha() for ch in t)))
def test_letters_are_rejected(text):
    with pytest.raises(ParseError):
        parse_number(text)


@pytest.mark.parametrize("text", ["1+1", "2**3", "__import__('os').system('true')", "(1)", "1/0", "nan", "inf",
                                  "1e", "--1", "1/2/3", "", " ", "0x10", "1_000", "Rational(1, 2)"])
def test_expressions_are_not_evaluated(text):
    with pytest.raises(ParseError):
        parse_number(text)


@SETTINGS
@given(st.text(alphabet="0123456789+-*/()._eE ", max_size=12))
def test_only_numbers_parse(text):
    """Whatever parses is a number of the grammar: its value is what Fraction makes of its two parts."""
    try:
        value = parse_number(text)
    except ParseError:
        return
    assert in_range(value)
    assert isinstance(value, Fraction)
    assert not any(op in text for op in ("*", "(", ")", "_"))
    num, _, den = text.partition("/")
    assert value == Fraction(num.strip()) / (Fraction(den.strip()) if den else 1)


@SETTINGS
@given(st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True), FRACTIONS, min_size=1, max_size=5))
def test_assignments_round_trip(values):
    items = [f"{k}={v}" for k, v in values.items()]
    numbers, options = parse_assignments(items)
    assert numbers == values and options == {}


@SETTINGS
@given(st.fractions().filter(lambda x: not in_range(x)))
def test_out_of_range_numbers_are_refused(x):
    with pytest.raises(ParseError, match="out of range"):
        parse_number(str(x))
