"""One regression test per reported bug, named after it (the independent audit of issue 10, and later ones).

Each test states the command that showed the bug and the value an
independent computation gives.
"""

import math
from fractions import Fraction

import pytest
import sympy as sp

from scfin import solve
from scfin.cli import main

AUDIT = {"p": 10, "c": 4, "A": 100, "v": 0, "rf": 0, "eta": 150, "r": Fraction(3, 10)}


@pytest.mark.parametrize("model, extra", [("bank-loan", {}), ("conditional-repurchase", {"b": 2})])
def test_bank_loan_leader_optimum_is_global_across_the_own_capital_kink(model, extra):
    """``scfin solve bank-loan rate=exogenous r=0.3 eta=150 ...`` gave w = 5.485, M = 44.68 (a local optimum
    while R borrows); M earns 40 sqrt(10) - 50 = 76.49 at w = 5 + sqrt(10), where R's order exactly spends its
    own capital: there q = A (1 - w/p) and q w = eta, so w^2 - 10 w + 15 = 0."""
    eq = solve(model, {**AUDIT, **extra}, rate="exogenous")
    assert sp.simplify(eq.decisions["w"] - (5 + sp.sqrt(10))) == 0
    assert sp.simplify(eq.profits["manufacturer"] - (40 * sp.sqrt(10) - 50)) == 0
    assert float(eq.profits["manufacturer"]) == pytest.approx(76.4911, abs=1e-4)


def test_numeric_retailer_response_at_the_own_capital_kink_is_exact():
    """``... w=8.16``: the numeric fallback missed R's order by about 1e-3; at w = 8.16 R orders exactly
    eta / w = 150 / 8.16 (the unconstrained self-financed order 100 (1 - w/10) = 18.4 costs more than eta,
    borrowing at r = 0.3 costs more than the margin)."""
    eq = solve("bank-loan", {**AUDIT, "w": Fraction(204, 25)}, rate="exogenous")
    assert float(eq.decisions["q"]) == pytest.approx(150 / 8.16, rel=1e-12)


def test_no_loan_reports_no_interest_rate_not_a_symbol(capsys):
    """``scfin solve bank-loan eta=400 w=6 ...`` (competitive): with no loan taken ``interest_rate`` was the
    string "r"; numeric output never carries a symbol: the rate is null, with a note."""
    import json

    assert main(["solve", "bank-loan", "p=10", "c=4", "A=100", "eta=400", "w=6", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["metrics"]["loan"] == 0
    assert out["metrics"]["interest_rate"] is None
    assert any("no interest rate is in force" in n for n in out["notes"])


def test_repurchase_optimum_at_the_own_capital_kink_is_an_interior_kink_not_a_boundary():
    """``scfin solve repurchase rate=exogenous r=0.3 eta=150 b=2 ...`` reported w -> 5 + sqrt(13) as a boundary
    of the admissible interval; it is an interior kink (R takes part on both sides): say so."""
    eq = solve("repurchase", {**AUDIT, "b": 2}, rate="exogenous")
    assert sp.simplify(eq.decisions["w"] - (5 + sp.sqrt(13))) == 0
    assert eq.boundary == ()
    assert eq.kinks == ("w",)
    assert any(n.startswith("interior kink") for n in eq.notes)


@pytest.mark.parametrize("text", ["1e999", "1e-999", "-1e999"])
def test_huge_number_is_bad_input_not_an_internal_error(text, capsys):
    """``scfin solve wholesale p=1e999 c=4 A=100`` ended in "internal error" with exit 1: one clear line, exit 2."""
    assert main(["solve", "wholesale", f"p={text}", "c=4", "A=100"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "out of range" in err[0]


def test_python_api_rejects_a_non_finite_number():
    from scfin.solver import InputError

    with pytest.raises(InputError, match="not a finite number"):
        solve("wholesale", {"p": math.inf, "c": 4, "A": 100})


def test_two_part_tariff_participation_only_near_a_corner_is_found():
    """``scfin verify examples/two_part_tariff.py:model --points 30`` (point 21: p=317/20 c=261/20 v=23/10
    rf=7/200 R0=0 A=1109/10) raised "no (w, fee) in the search box at which the retailer takes part": the
    retailer earns something only with a fee near 0; the joint grid now retries with each lower end.
    Independent value: w = c, fee = integrated profit with the carried cost c (1 + rf), q = A (p - c(1+rf))/(p - v)."""
    from scfin import load_model

    vals = {"p": Fraction(317, 20), "c": Fraction(261, 20), "v": Fraction(23, 10), "rf": Fraction(7, 200),
            "R0": 0, "A": Fraction(1109, 10)}
    eq = solve(load_model("examples/two_part_tariff.py:model"), vals)
    p, c, v, A, rf = 317 / 20, 261 / 20, 23 / 10, 1109 / 10, 7 / 200
    q0 = A * (p - c * (1 + rf)) / (p - v)
    assert float(eq.decisions["q"]) == pytest.approx(q0, rel=1e-4)
    assert float(eq.profits["manufacturer"]) == pytest.approx((p - c * (1 + rf)) * q0 - (p - v) * q0**2 / (2 * A),
                                                               rel=1e-5)


def test_sales_rebate_leader_finds_the_better_price_across_the_target():
    """scfin verify sales-rebate --points 30, point 7: the retailer jumps below the target at w = 12.1089;
    the manufacturer's supremum is just before that jump (235.55), the engine stopped at a grid price (233.95)."""
    from scfin.solver import build_model
    from scfin.verify import run as R

    point = {"p": Fraction(73, 4), "c": Fraction(163, 20), "v": Fraction(81, 20), "u": Fraction(9, 5),
             "T": Fraction(217, 4), "rf": Fraction(3, 80), "A": Fraction(2493, 20)}
    eq = solve("sales-rebate", point)
    assert float(eq.profits["manufacturer"]) == pytest.approx(235.5519, abs=2e-3)
    res = R.check_point(build_model("sales-rebate"), point)
    assert not res.disagreements, res.disagreements


def test_multiplicative_effort_small_effort_optimum_is_found():
    """scfin verify multiplicative effort --points 30, point 2: the optimal effort (4.30) is about 1 % of the
    declared effort range [0, p A / kappa + 1]; the effort grid's first level above 0 was 4 %, so the
    retailer seemed never to take part and solve raised 'no w at which the retailer takes part'."""
    from scfin import load_model
    from scfin.verify import run as R

    model = load_model("examples/multiplicative_effort.py:model")
    point = {"p": Fraction(81, 10), "c": Fraction(67, 10), "v": Fraction(43, 20), "kappa": Fraction(8, 5),
             "rf": 0, "A": Fraction(743, 10)}
    eq = solve(model, point)
    assert float(eq.decisions["e"]) == pytest.approx(4.3024, rel=1e-3)
    res = R.check_point(model, point)
    assert not res.disagreements, res.disagreements


def test_sales_rebate_retailer_finds_the_better_maximum_beyond_the_target_in_one_grid_cell():
    """scfin verify sales-rebate --points 200, point 1: the retailer's two maxima (q = 11.93 below the target
    T = 25/2, q = 13.10 above it) lie in one cell of the order grid; the search settled on the lower one at the
    manufacturer's price (R earned 13.3468 where 13.3599 was available), and the manufacturer's price sat at
    the wrong jump of the retailer's response."""
    from scfin.numeric import profits as N
    from scfin.solver import build_model
    from scfin.verify import run as R

    point = {"p": Fraction(367, 20), "c": Fraction(72, 5), "v": 0, "u": Fraction(1, 4), "T": Fraction(25, 2),
             "rf": Fraction(11, 400), "A": Fraction(1959, 20)}
    model = build_model("sales-rebate")
    fv = {k: float(v) for k, v in point.items()}
    resp = N.retailer_response(model, "uniform", {**fv, "w": 15.68178701}, N.q_bound("uniform", fv))
    assert resp["q"] == pytest.approx(13.0967, abs=1e-3)
    res = R.check_point(model, point)
    assert not res.disagreements, res.disagreements


def test_retailer_with_effort_finds_the_maximum_below_the_sales_target_within_one_grid_cell():
    """scfin verify repurchase-combined --points 200, point 66: with order and effort the retailer's two maxima
    (q = 33.64 below the target T = 35.1, q = 36.06 above it) lay within one cell of the (q, e) grid, which
    showed one basin; the Newton polish settled above the target (R 26.8983 where 26.9265 was available), so
    the engine's response, and with it M's price (M 39.768, over-stated), was wrong.  Each side of a convex
    kink in the order is now searched on its own, as with one decision."""
    from scfin.numeric import profits as N
    from scfin.solver import build_model
    from scfin.verify import run as R

    point = {"p": "76/5", "c": "121/10", "v": "31/4", "b": "47/5", "kappa": "11/5", "phi": "0", "u": "3/20",
             "T": "351/10", "lam": "0", "eta": "549/5", "rf": "13/400", "A": "3063/20"}
    point = {k: Fraction(v) for k, v in point.items()}
    model = build_model("repurchase-combined")
    fv = {k: float(v) for k, v in point.items()}
    resp = N.retailer_response(model, "uniform", {**fv, "w": 13.171}, N.q_bound("uniform", fv))
    assert resp["q"] == pytest.approx(33.638, abs=1e-2) and resp["q"] < fv["T"]
    eq = solve(model, {**point, "w": Fraction(13171, 1000)})
    assert float(eq.profits["retailer"]) == pytest.approx(26.9265, abs=1e-3)
    res = R.check_point(model, point, index=66)
    assert not res.disagreements, res.disagreements


def test_bank_leader_prints_no_runtime_warnings_from_its_closed_forms(tmp_path, monkeypatch):
    """scfin solve bank-loan rate=bank-leader ... eta=50 printed NumPy RuntimeWarnings (a square root of a
    negative number, outside the regime of the inner closed forms) with the whole lambdified source on stderr."""
    import warnings

    from scfin.derive import cache

    monkeypatch.setenv("SCFIN_CACHE_DIR", str(tmp_path))  # a cold derivation: the closed forms are evaluated
    cache.clear_memory()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        eq = solve("bank-loan", {"p": 10, "c": 4, "A": 100, "v": 1, "rf": 0, "eta": 50}, rate="bank-leader")
    cache.clear_memory()
    assert float(eq.decisions["r"]) == pytest.approx(0.679, abs=1e-3)
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)], [str(w.message) for w in caught]


def test_leader_edge_found_at_the_exact_rate_when_the_lazy_rate_edge_falls_short():
    """scfin verify repurchase-combined --points 30, point 28: the manufacturer's supremum is where the
    retailer's profit falls to 0 (w = 15.9389, M = 25.917); the edge found with the lazily priced loan sat a
    rounding below participation at the exact rate (R = 1.6296e-8 against the threshold 1.63e-8), so the
    leader fell back on the grid price 15.921875 (M = 24.52)."""
    point = {"p": "163/10", "c": "271/20", "v": "137/20", "b": "269/20", "kappa": "19/20", "phi": "7/10",
             "u": "13/5", "T": "499/20", "lam": "13/20", "eta": "1239/10", "rf": "13/400", "A": "671/5"}
    eq = solve("repurchase-combined", {k: Fraction(v) for k, v in point.items()})
    assert float(eq.profits["manufacturer"]) == pytest.approx(25.917, abs=2e-3)
    assert eq.boundary == ("w",)


@pytest.mark.parametrize("point, manufacturer", [
    ({"p": "317/20", "c": "261/20", "v": "23/10", "b": "117/10", "lam": "0", "eta": "652/5", "rf": "11/400",
      "A": "837/10"}, 9.2025081),
    ({"p": "117/10", "c": "221/20", "v": "27/4", "b": "27/4", "lam": "1/10", "eta": "258/5", "rf": "13/400",
      "A": "82"}, 0.3503979),
])
def test_conditional_repurchase_closed_form_singular_at_its_kink_is_solved_numerically(point, manufacturer):
    """``scfin verify conditional-repurchase --points 200``, points 14 and 63: the closed form's optimum sat at
    the kink where the loan vanishes, its competitive rate was 0/0 there (``zoo``) and every profit ``nan``;
    the run ended on the complex rate.  A closed form that is not finite and real at its optimum now falls back
    on the numeric solution (here no loan: M earns 9.2025, the brute force's optimum), and the verifier reports
    such a point instead of ending on it."""
    from fractions import Fraction

    from scfin.solver import build_model
    from scfin.verify import run as R

    vals = {k: Fraction(v) for k, v in point.items()}
    eq = solve("conditional-repurchase", vals)
    assert float(eq.profits["manufacturer"]) == pytest.approx(manufacturer, rel=1e-6)
    assert all(math.isfinite(float(v)) for v in eq.profits.values())
    assert not R.check_point(build_model("conditional-repurchase"), vals).disagreements


def test_time_budget_raises_again_when_its_timeout_is_swallowed():
    """tests/claims/test_statics.py printed PytestUnraisableExceptionWarning: a statics entry's
    DerivationTimeout was raised while hypothesis's garbage-collector callback ran, where Python ignores an
    exception, and the entry's budget was lost.  An expired budget now raises again until its block is
    left, and leaves no alarm behind."""
    import signal
    import time

    from scfin.derive.engine import DerivationTimeout, time_budget

    swallowed = 0

    def work():
        nonlocal swallowed
        end = time.monotonic() + 60
        while True:
            try:
                while time.monotonic() < end:
                    pass
                return "the budget did not raise again"
            except DerivationTimeout:
                if swallowed:
                    raise
                swallowed += 1  # ignored, as inside a gc callback

    with pytest.raises(DerivationTimeout):
        with time_budget(0.05):
            work()
    assert swallowed == 1
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
