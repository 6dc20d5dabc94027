"""Every catalogue model solves under each new built-in distribution, verified three ways
(engine path, the numeric Stackelberg optimiser, Monte Carlo from the same distribution)."""

import pytest

from scfin.solver import build_model, prepare
from scfin.spec.demand import get_demand
from scfin.spec.models import CATALOGUE
from scfin.verify.check import check_closed_form


@pytest.mark.parametrize("demand", ["lognormal", "gamma", "truncnormal"])
@pytest.mark.parametrize("model_id", sorted(CATALOGUE))
def test_catalogue_model_verified(model_id, demand):
    dem = get_demand(demand)
    values = prepare(build_model(model_id), dem, {}, use_defaults=True)
    res = check_closed_form(model_id, values, demand=demand, n=40_000)
    assert res.ok, str(res)
