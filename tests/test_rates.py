"""Every bank-loan model solves in each rate regime it supports, with the JSON the issue asks for."""

import json

import pytest

from scfin.cli import main

BANK_MODELS = ["bank-loan", "repurchase", "conditional-repurchase", "repurchase-cost-sharing",
               "repurchase-sales-incentive", "repurchase-combined"]


@pytest.mark.slow
@pytest.mark.parametrize("model", BANK_MODELS)
@pytest.mark.parametrize("rate", [["rate=competitive"], ["rate=exogenous", "r=1/10"], ["rate=bank-leader"]],
                         ids=["competitive", "exogenous", "bank-leader"])
def test_every_rate_regime_solves(model, rate, capsys):
    assert main(["solve", model, *rate, "--defaults", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("default_probability", "interest_rate", "loan"):
        assert key in data["metrics"]
    assert "bank" in data["profits"]
    assert data["regime"]["holds"] is not False
    assert data["profits"]["chain"] == pytest.approx(
        data["profits"]["retailer"] + data["profits"]["manufacturer"] + data["profits"]["bank"], rel=1e-9, abs=1e-9)
    if rate[0] == "rate=competitive":
        assert data["profits"]["bank"] == pytest.approx(0, abs=1e-7)
    if rate[0] == "rate=bank-leader":
        assert data["decisions"]["r"] >= 0
