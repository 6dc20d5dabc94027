"""``verify``: the three-way check at random admissible points, its report, and that it catches planted errors."""

import dataclasses
import json
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from scfin.cli import main
from scfin.solver import build_model, solve
from scfin.spec.models import CATALOGUE
from scfin.spec.notation import check_admissible
from scfin.verify import run as R

EXAMPLES = ["examples/trade_credit.py:model", "examples/partial_credit_guarantee.py:model",
            "examples/buyback_revenue_sharing.py:model", "examples/two_part_tariff.py:model",
            "examples/multiplicative_effort.py:model"]
#: engine answers found wrong by this verifier and not yet fixed (reported, not hidden): the model's small run fails
KNOWN_WRONG: dict[str, str] = {}


@pytest.mark.parametrize("points", [1, pytest.param(4, marks=pytest.mark.slow)])
@pytest.mark.parametrize("ref", list(CATALOGUE) + EXAMPLES)
def test_verify_small(ref, points, request):
    """Every model and example through the three-way check at one random point in the default suite, at
    four in the slow one (the 200-point run of benchmarks/verify_all.py is the acceptance run)."""
    if ref in KNOWN_WRONG:
        request.applymarker(pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[ref]))
    report = R.verify(ref, points=points, seed=3, jobs=1)
    assert report.ok, report.table()
    assert report.comparisons >= points * 5


@pytest.mark.parametrize("ref", ["repurchase", "bank-loan", "sales-rebate", "examples/two_part_tariff.py:model",
                                 "examples/partial_credit_guarantee.py:model", "repurchase-combined"])
def test_draws_are_admissible(ref):
    model = build_model(ref)
    rng = np.random.default_rng(0)
    for _ in range(30):
        vals = R.draw_point(model, rng)
        check_admissible(vals, model.bounds)
        assert set(model.parameters) <= set(vals)
        if "b" in vals:
            assert vals["v"] <= vals["b"] < vals["p"]


def test_fixed_values_stay():
    rng = np.random.default_rng(1)
    vals = R.draw_point(build_model("repurchase"), rng, fixed={"p": Fraction(10), "b": Fraction(3)})
    assert vals["p"] == 10 and vals["b"] == 3


def _planted(monkeypatch, change):
    real = solve

    def wrong(model, values, **kw):
        eq = real(model, values, **kw)
        return change(eq)

    monkeypatch.setattr(R, "solve", wrong)


POINT = {"p": Fraction(10), "c": Fraction(4), "v": Fraction(0), "rf": Fraction(0), "A": Fraction(100)}


def test_catches_wrong_profit(monkeypatch):
    """A leader's profit 10 % below the optimum (the audit's partial-guarantee error) is caught."""
    _planted(monkeypatch, lambda eq: dataclasses.replace(
        eq, profits={**eq.profits, "manufacturer": eq.profits["manufacturer"] * sp.Rational(9, 10)}))
    res = R.check_point(build_model("wholesale"), POINT)
    checks = {(d.check, d.quantity) for d in res.disagreements}
    assert ("evaluation", "manufacturer") in checks and ("leader", "manufacturer") in checks


def test_catches_wrong_decision(monkeypatch):
    """An equilibrium moved off the optimum, its profits recomputed consistently, is still caught (optimality)."""
    from scfin.numeric import profits as N

    def moved(eq):
        w = sp.Rational(8)
        q = 100 * (10 - w) / 10  # the retailer's true response at w = 8
        ev = N.expected(build_model("wholesale"), "uniform", {**{k: float(v) for k, v in POINT.items()}, "w": 8.0,
                                                              "q": float(q)})
        profits = {k: sp.Float(ev[k], 15) for k in eq.profits}
        return dataclasses.replace(eq, decisions={"q": q, "w": w}, profits=profits)

    _planted(monkeypatch, moved)
    res = R.check_point(build_model("wholesale"), POINT)
    checks = {(d.check, d.quantity) for d in res.disagreements}
    assert ("leader", "manufacturer") in checks
    assert not any(d.check == "evaluation" for d in res.disagreements)


def test_catches_edge_of_a_box(monkeypatch):
    """Effort at the edge of a search box instead of its optimum (the audit's multiplicative-effort error)."""
    def edge(eq):
        return dataclasses.replace(eq, decisions={**eq.decisions, "e": eq.decisions["e"] / 2})

    _planted(monkeypatch, edge)
    vals = {**POINT, "kappa": Fraction(1)}
    res = R.check_point(build_model("integrated-effort"), vals)
    assert any(d.check == "evaluation" for d in res.disagreements)


def test_report_is_immutable_and_serialisable():
    report = R.verify("wholesale", points=2, seed=0, jobs=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.seed = 3
    data = json.loads(json.dumps(report.as_json()))
    assert data["points"] == 2 and data["disagreements"] == []


def test_cli_exit_codes(capsys):
    assert main(["verify", "wholesale", "--points", "1", "--jobs", "1"]) == 0
    assert "0 disagreements" in capsys.readouterr().out
    assert main(["verify", "wholesale", "p=ten"]) == 2
    assert main(["verify", "wholesale", "zz=1"]) == 2
    assert main(["verify", "wholesale", "--points", "0"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 3


def test_cli_exit_one_on_disagreement(monkeypatch, capsys):
    _planted(monkeypatch, lambda eq: dataclasses.replace(
        eq, profits={**eq.profits, "retailer": eq.profits["retailer"] + 1}))
    assert main(["verify", "wholesale", "--points", "1", "--jobs", "1", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert any(d["quantity"] == "retailer" for d in data["disagreements"])


# -- findings: engine answers this verifier showed to be wrong, now regression tests -----------

TRADE_CREDIT_POINT = {"p": Fraction(287, 20), "c": Fraction(21, 5), "v": Fraction(0), "eta": Fraction(0),
                      "rf": Fraction(17, 400), "A": Fraction(697, 5)}


def test_trade_credit_supremum():
    """The numeric joint leader over (w, rs) stopped at an interior point, M = 421.39; M's supremum is 444.96 as
    w (1 + rs) -> p (R orders A/2 and earns -> 0): ``scfin verify examples/trade_credit.py:model p=287/20 c=21/5
    v=0 eta=0 rf=17/400 A=697/5 --points 1``.  Fixed: coordinate rounds of the one-decision search after SLSQP."""
    res = R.check_point(build_model("examples/trade_credit.py:model"), TRADE_CREDIT_POINT)
    assert not res.disagreements, res.disagreements


BANK_LOAN_CRASH = {"p": Fraction(253, 20), "c": Fraction(229, 20), "v": Fraction(0), "eta": Fraction(248, 5),
                   "rf": Fraction(1, 25), "A": Fraction(451, 4)}


def test_bank_loan_large_capital_point():
    """``scfin solve bank-loan p=253/20 c=229/20 v=0 eta=248/5 rf=1/25 A=451/4`` raised KeyError 'r' in the
    global leader check (the competitive rate missing from the closed form's point)."""
    res = R.check_point(build_model("bank-loan"), BANK_LOAN_CRASH)
    assert not res.disagreements, res.disagreements


REVENUE_SHARING_POINT = {"p": Fraction(81, 10), "c": Fraction(67, 10), "v": Fraction(43, 20), "psi": Fraction(1, 10),
                         "rf": Fraction(0), "A": Fraction(2961, 20)}


def test_revenue_sharing_share_below_salvage():
    """``scfin verify revenue-sharing p=81/10 c=67/10 v=43/20 psi=1/10 ...`` showed a negative retailer profit
    where its revenue share psi p = 0.81 is below the salvage value v = 2.15 (31 of 200 random points): the
    retailer then prefers leftovers and the best offer is no trade.  Such numbers are now inadmissible (the
    literature assumes v < psi p), refused with one clear message, and never drawn by verify."""
    from scfin.solver import InputError

    with pytest.raises(InputError, match="v < psi p"):
        solve("revenue-sharing", REVENUE_SHARING_POINT)
    rng = np.random.default_rng(0)
    model = build_model("revenue-sharing")
    for _ in range(50):
        point = R.draw_point(model, rng)
        assert point["v"] < point["psi"] * point["p"]


BANK_LOAN_SYMBOLIC_RATE = {"p": Fraction(42, 5), "c": Fraction(159, 20), "v": Fraction(9, 4), "eta": Fraction(0),
                           "rf": Fraction(3, 80), "A": Fraction(1517, 10)}


def test_bank_loan_rate_is_a_number():
    """``scfin solve bank-loan p=42/5 c=159/20 v=9/4 eta=0 rf=3/80 A=1517/10`` gave the competitive rate as the
    symbol r (the closed form asked for a loan no break-even rate finances there); now solved numerically."""
    res = R.check_point(build_model("bank-loan"), BANK_LOAN_SYMBOLIC_RATE)
    assert not res.disagreements, res.disagreements


@pytest.mark.parametrize("model_id, point", [
    ("repurchase-sales-incentive", {"p": "159/10", "c": "71/10", "v": "23/20", "b": "28/5", "kappa": "21/20",
                                    "u": "33/20", "T": "1031/20", "lam": "0", "eta": "259/5", "rf": "0",
                                    "A": "743/5"}),
    # --points 30, point 4: the brute force claimed 145.7704 with (q, e) = (31.69, 15.82) at w = 11.7187
    ("repurchase-cost-sharing", {"p": "68/5", "c": "87/20", "v": "1", "b": "23/4", "kappa": "17/20", "phi": "9/10",
                                 "lam": "1/2", "eta": "365/4", "rf": "9/200", "A": "598/5"}),
])
def test_verify_leader_check_uses_the_retailers_best_response_not_an_imprecise_one(model_id, point):
    """verify repurchase-sales-incentive --points 30, point 18: the brute force's leader optimum 261.6797 came
    with a retailer response worth 93.807427 to the retailer where 93.807435 was available (its profit is flat
    in the order, the manufacturer's is not); with the retailer's best response the manufacturer earns no more
    than the engine's 261.6749, and there is no disagreement."""
    from fractions import Fraction

    from scfin.solver import build_model
    from scfin.verify import run as R

    res = R.check_point(build_model(model_id), {k: Fraction(v) for k, v in point.items()})
    assert not res.disagreements, res.disagreements


#: verify examples/trade_credit.py:model --points 30, point 26 (no own capital)
TRADE_CREDIT_INDIFFERENT = {"p": Fraction(181, 10), "c": Fraction(3), "v": Fraction(0), "eta": Fraction(0),
                            "rf": Fraction(3, 100), "A": Fraction(2491, 20)}


def test_verify_trade_credit_retailer_indifferent_within_rounding_is_no_disagreement():
    """``verify examples/trade_credit.py:model --points 30``, points 26 and 29: the brute force claimed
    M = 652.957273 at w (1 + rs) = p - 1.1e-5 against the engine's supremum 652.953375 as w (1 + rs) -> p.  There
    the retailer's profit is of second order in its order's error (flat to 1e-13 over q in [62.2745, 62.277]),
    so its response is the brute force's rounding; at the exact response q = A p / (p + w (1 + rs)) M earns
    less than the supremum.  The near-ties are now probed and the least favourable one taken, with a note."""
    res = R.check_point(build_model("examples/trade_credit.py:model"), TRADE_CREDIT_INDIFFERENT)
    assert not res.disagreements, res.disagreements
    assert any("indifferent within rounding" in n for n in res.notes)


def test_brute_retailer_reaches_along_the_effort_ridge():
    """``verify repurchase-combined --points 30``, point 18: the brute force's (q, e) pattern search stalled on
    the diagonal ridge of the retailer's profit (additive effort and the order are complements) at
    R = 4.2842796 where the engine's response gives 4.2843235, so its leader value (M 29.8895) was not at the
    retailer's best response and beat the engine's closed form (29.8170).  Newton steps on the fitted
    quadratic now reach along the ridge."""
    point = {"p": Fraction(309, 20), "c": Fraction(39, 4), "v": Fraction(23, 20), "b": Fraction(37, 4),
             "kappa": Fraction(3, 2), "phi": Fraction(9, 10), "u": Fraction(0), "T": Fraction(203, 5),
             "lam": Fraction(0), "eta": Fraction(2083, 20), "rf": Fraction(7, 400), "A": Fraction(359, 4)}
    from scfin.verify import brute as B

    model = build_model("repurchase-combined")
    at = {k: np.array([float(v)]) for k, v in point.items()}
    at["w"] = np.array([14.3846139])
    resp = B.retailer(model, "uniform", at)
    assert float(resp.value[0]) == pytest.approx(4.28432349, abs=2e-8)


def test_verify_reports_a_failing_check_instead_of_ending_the_run(monkeypatch):
    """The 200-point run of conditional repurchase ended at one point (a complex rate made the check raise):
    a check that raises is now a disagreement at its point, and the run goes on."""
    def boom(*args, **kwargs):
        raise TypeError("Cannot convert complex to float")

    monkeypatch.setattr(R, "check_point", boom)
    report = R.verify("wholesale", points=2, seed=0, jobs=1)
    assert len(report.points) == 2 and not report.ok
    assert all(d.check == "check" and "complex" in d.engine for d in report.disagreements)


def test_effort_search_range_holds_the_response_when_the_manufacturer_shares_the_effort_cost():
    """``verify repurchase-cost-sharing --points 200``, point 71: the effort clause bounded the search for ``e``
    by ``2 (p + u) / kappa + 1`` (8.24), a bound set against the retailer bearing all the effort cost; with
    ``phi = 17/20`` paid by M the retailer's response at ``w = 5.1339`` is ``e = 10.2``, so the brute force's
    retailer stopped at the edge, M's profit there (274.49) beat the engine's optimum (264.36) and the point
    was reported as a disagreement.  The cost-sharing clause widens the range by ``1 / (1 - phi)``."""
    point = {"p": "181/20", "c": "19/20", "v": "69/400", "b": "69/400", "kappa": "5/2", "phi": "17/20",
             "lam": "3/20", "eta": "0", "rf": "7/400", "A": "849/5"}
    point = {k: Fraction(v) for k, v in point.items()}
    model = build_model("repurchase-cost-sharing")
    at = {k: float(v) for k, v in point.items()}
    assert model.decision_range("e", at)[1] == pytest.approx((2 * at["p"] / at["kappa"] + 1) / (1 - at["phi"]))
    response = solve(model, {**point, "w": Fraction("5.1339")})
    assert float(response.decisions["e"]) < model.decision_range("e", at)[1]
    res = R.check_point(model, point, index=71)
    assert not res.disagreements, res.disagreements
