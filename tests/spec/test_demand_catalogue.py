"""Every catalogue model solves under each new built-in distribution, verified three ways
(engine path, the numeric Stackelberg optimiser, Monte Carlo from the same distribution).

The default suite checks each model under one of the three families, taken in turn (so each family
is checked on a third of the catalogue); the other two pairs of each model are marked ``slow``
(``bash scripts/test.sh -m slow`` runs them)."""

import pytest

from scfin.solver import build_model, prepare
from scfin.spec.demand import get_demand
from scfin.spec.models import CATALOGUE
from scfin.verify.check import check_closed_form


FAMILIES = ("lognormal", "gamma", "truncnormal")
CASES = [pytest.param(m, d, id=f"{m}-{d}", marks=[] if j == i % len(FAMILIES) else [pytest.mark.slow])
         for i, m in enumerate(sorted(CATALOGUE)) for j, d in enumerate(FAMILIES)]


@pytest.mark.parametrize("model_id,demand", CASES)
def test_catalogue_model_verified(model_id, demand):
    dem = get_demand(demand)
    values = prepare(build_model(model_id), dem, {}, use_defaults=True)
    res = check_closed_form(model_id, values, demand=demand, n=40_000)
    assert res.ok, str(res)
