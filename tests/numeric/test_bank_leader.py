"""The bank as top leader: the fast path (closed-form inner levels in r, solver._bank_leader) and the general
path (every level numeric, numeric.stackelberg) agree.  Named instance: bank-loan with own capital."""

from fractions import Fraction

import pytest

from scfin import solve
from scfin.numeric import profits as N
from scfin.numeric.stackelberg import numeric_stackelberg
from scfin.solver import build_model

POINT = {"p": Fraction(10), "c": Fraction(4), "v": Fraction(0), "A": Fraction(100), "eta": Fraction(50),
         "rf": Fraction(0)}


def test_bank_leader_fast_path_agrees_with_the_general_numeric_path():
    fast = solve("bank-loan", POINT, rate="bank-leader")
    model = build_model("bank-loan", "bank-leader")
    vals = {k: float(v) for k, v in POINT.items()}
    general = numeric_stackelberg(model, "uniform", vals, ("q", "w"))
    inner = model.with_options(rate="exogenous")
    ev = N.expected(inner, "uniform", {**vals, **general.decisions})
    # the bank's objective is what both maximise: its optimum agrees to the general path's grid precision
    assert float(fast.profits["bank"]) == pytest.approx(ev["bank"], rel=2e-3, abs=1e-6)
    assert float(fast.profits["bank"]) >= ev["bank"] - 1e-6  # the fast path is never worse for the bank
    assert float(fast.profits["manufacturer"]) == pytest.approx(ev["manufacturer"], rel=2e-2)


def test_scalar_expected_profit_is_the_batch_one_with_one_row():
    model = build_model("repurchase")
    vals = {"p": 10.0, "c": 4.0, "v": 0.0, "b": 3.0, "lam": 0.7, "eta": 20.0, "rf": 0.01, "A": 100.0, "w": 6.5,
            "q": 45.0, "r": 0.12}
    one = N.expected(model, "uniform", vals)
    batch = N.expected_batch(model, "uniform", {k: [v, v] for k, v in vals.items()})
    assert one == {k: float(v[0]) for k, v in batch.items()}
