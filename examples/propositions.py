"""A researcher's own propositions about a user model, as tests (run with ``pytest examples/propositions.py``
or ``python examples/propositions.py``).

The model is ``buyback_revenue_sharing.py`` next to this file: the retailer keeps the share ``psi`` of
revenue and the manufacturer buys leftovers back at ``b``.  Each proposition is a statement value;
``prove`` decides it on the region built from the parameters' admissible ranges and the equilibrium's
regime, and ``assert prove(...).proved`` is the test.  A false statement comes back refuted, with a
counterexample in exact numbers that the numeric layer has confirmed.
"""

from pathlib import Path

import sympy as sp

from scfin import load_model, sym
from scfin.claims.statements import Compare, Coordinates, Identity, Quantity, Sign, prove
from scfin.claims.statics import statics

MODEL = load_model(f"{Path(__file__).resolve().parent / 'buyback_revenue_sharing.py'}:model")
NEUTRAL = {"v": 0, "rf": 0, "lam": 1}  # no salvage value, no interest, the buyback always executed
p, c, b, psi, A = (sym(x) for x in ("p", "c", "b", "psi", "A"))


def test_order_rises_with_the_buyback_price():
    assert prove(Sign(MODEL, "q", "b", "positive", given=NEUTRAL)).proved


def test_order_falls_with_the_production_cost():
    assert prove(Sign(MODEL, "q", "c", "negative", given=NEUTRAL)).proved


def test_the_order_in_closed_form():
    # the equilibrium order, as the paper writes it
    assert prove(Identity(Quantity.of(MODEL, "q", given=NEUTRAL),
                          A * (p - c) / (p * psi + p - b))).proved


def test_buyback_with_revenue_sharing_orders_more_than_the_wholesale_contract():
    assert prove(Compare(MODEL, "wholesale", "q", ">=", given={**NEUTRAL, "psi": 1})).proved


def test_the_manufacturer_choosing_w_does_not_coordinate():
    result = prove(Coordinates(MODEL, given=NEUTRAL))
    assert result.refuted and result.counterexample.confirmed


def test_a_false_proposition_is_refuted_with_exact_numbers():
    result = prove(Sign(MODEL, "retailer", "b", "positive", given=NEUTRAL))
    assert not result.proved
    if result.counterexample is not None:  # exact rationals, checked by scfin.solve and a finite difference
        assert all(isinstance(v, sp.Rational) for v in result.counterexample.point.values())


def test_the_comparative_statics_table():
    table = statics(MODEL, parameters=("c", "b"), quantities=("q",))
    assert table.sign("q", "c") == "-" and table.sign("q", "b") == "+"


if __name__ == "__main__":
    for name, fn in list(globals().items()):
        if name.startswith("test_") and callable(fn):
            fn()
            print(f"ok  {name}")
    print(prove(Sign(MODEL, "q", "b", "positive", given=NEUTRAL)).describe())
