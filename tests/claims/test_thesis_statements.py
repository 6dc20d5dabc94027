"""The thesis's claims on the public statement API agree with the claim modules wherever prove decides."""

import pytest

from scfin import prove
from scfin.claims.base import REGISTRY
from scfin.claims.thesis import STATEMENTS
from scfin.report.content import run_claim


@pytest.mark.parametrize("item", STATEMENTS, ids=lambda t: f"claim{t.claim}-{t.statement.text()}")
def test_prove_agrees_with_the_claim_module(item):
    # ``expected``: what the claim module's step for this sign establishes (a part may hold several signs,
    # e.g. claim 6 at M's choice: the order rises in b, proved; the retailer's profit rises, refuted)
    part = _part(item)
    if item.expected == "refuted":
        assert part.status == "refuted"
    result = prove(item.statement, budget_s=10)
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
