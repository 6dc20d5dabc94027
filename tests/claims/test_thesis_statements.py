"""The thesis's claims on the public statement API agree with the claim modules wherever prove decides."""

import pytest

from scfin import prove
from scfin.claims.base import REGISTRY
from scfin.claims.statements import ParetoImprovement
from scfin.claims.thesis import STATEMENTS
from scfin.report.content import run_claim


#: the Pareto zone is proved once, with its bounds checked: test_claim10_pareto_zone_on_the_api_is_the_claim_modules
WITHOUT_ZONE = [t for t in STATEMENTS if not isinstance(t.statement, ParetoImprovement)]


@pytest.mark.parametrize("item", WITHOUT_ZONE, ids=lambda t: f"claim{t.claim}-{t.statement.text()}")
def test_prove_agrees_with_the_claim_module(item):
    # ``expected``: what the claim module's step for this sign establishes (a part may hold several signs,
    # e.g. claim 6 at M's choice: the order rises in b, proved; the retailer's profit rises, refuted)
    part = _part(item)
    if item.expected == "refuted":
        assert part.status == "refuted"
    result = prove(item.statement, budget_s=item.budget)
    # open is allowed (an expression beyond the complete decision's reach, a square-root regime condition),
    # a contradiction never
    assert result.status in ("open", item.expected), result.describe()


def _part(item):
    """The claim part a statement states; the claim itself where it has no parts."""
    claim = run_claim(item.claim)
    if not claim.parts and claim.title == item.part:
        return claim
    return next(p for p in claim.parts if p.title == item.part)


def test_every_thesis_statement_names_a_registered_claim_part():
    for item in STATEMENTS:
        assert item.claim in REGISTRY
        assert _part(item) is not None, (item.claim, item.part)


def test_claim10_pareto_zone_on_the_api_is_the_claim_modules():
    """The Pareto zone stated on the API (every party at least its traditional-financing profit along the
    coordinating family, w symbolic) is exactly the claim module's zone at the same numbers, [74/11, 95/11]."""
    import sympy as sp

    from scfin.claims.zone import pareto_zone

    item = next(t for t in STATEMENTS if isinstance(t.statement, ParetoImprovement))
    assert item.expected == "subregion"
    result = prove(item.statement, budget_s=item.budget)
    assert result.status == "subregion", result.describe()
    assert result.region == sp.Interval(sp.Rational(74, 11), sp.Rational(95, 11))
    z = pareto_zone("repurchase-combined", {})
    assert (z.lower, z.upper) == (result.region.start, result.region.end)
