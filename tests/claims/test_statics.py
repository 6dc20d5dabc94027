"""Comparative statics for any model (scfin.claims.statics, scfin statics)."""

from __future__ import annotations

import json

import pytest

from scfin.claims.decide import qepcad_path
from scfin.claims.statics import SIGNS, statics
from scfin.spec.models import CATALOGUE

needs_qepcad = pytest.mark.skipif(qepcad_path() is None, reason="qepcad not installed")
KEYS = {"quantity", "parameter", "sign", "status", "region", "counterexample"}


def test_wholesale_table_is_the_textbook_one():
    table = statics("wholesale")
    assert table.parameters == ("p", "c", "A") and table.values == {"rf": 0, "v": 0}
    assert table.quantities == ("q", "w", "retailer", "manufacturer", "chain")
    assert table.sign("q", "c") == "-" and table.sign("w", "c") == "+" and table.sign("w", "A") == "0"
    assert all(e.status == "proved" for e in table.entries)


def test_json_keys_exactly_as_the_issue_says():
    rows = statics("wholesale").as_json()
    assert rows and all(set(r) == KEYS for r in rows)
    assert all(r["sign"] in SIGNS for r in rows)
    json.dumps(rows)


@needs_qepcad
def test_region_dependent_entry_has_its_region_and_counterexamples():
    """Buyback, M choosing w: q* = A(p - c)/(2p - b) rises in p exactly where b < 2c."""
    table = statics("buyback", parameters=("p",), quantities=("q",))
    e = table.entry("q", "p")
    assert e.sign == "depends" and e.status in ("subregion", "refuted")
    assert len(e.counterexamples) == 2 and all(w.exact and w.confirmed for w in e.counterexamples)
    if e.status == "subregion":
        assert "2*c" in e.region
    row = e.as_json()
    assert set(row) == KEYS and len(row["counterexample"]) == 2


def test_user_model_with_closed_forms():
    table = statics("examples/buyback_revenue_sharing.py:model", parameters=("c", "b"), quantities=("q", "w"))
    assert table.sign("q", "c") == "-" and table.sign("q", "b") == "+"


def test_numeric_user_model_is_open_with_reasons():
    table = statics("examples/multiplicative_effort.py:model", quantities=("q",), parameters=("c",))
    e = table.entry("q", "c")
    assert e.sign == "open" and e.status == "open" and "numeric" in e.region
    assert "not a proof" in e.numeric_hint


def test_latex_table():
    from scfin.render.statics import statics_latex

    tex = statics_latex(statics("wholesale"))
    assert r"\begin{tabular}" in tex and "$q^{*}$" in tex and r"$\Pi_R$" in tex


def test_cli(capsys):
    from scfin.cli import main

    assert main(["statics", "wholesale", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert all(set(r) == KEYS for r in rows)
    assert main(["statics", "wholesale", "nosuch=1"]) == 2
    assert "nosuch" in capsys.readouterr().err
    assert main(["statics", "wholesale", "--symbolic", "1x"]) == 2


FAST = ("integrated", "integrated-effort", "wholesale", "revenue-sharing")


@pytest.mark.parametrize("model_id", FAST)
def test_statics_fast_catalogue_models(model_id):
    table = statics(model_id)
    assert table.entries and all(e.sign in SIGNS for e in table.entries)
    assert sum(e.sign != "open" for e in table.entries) == len(table.entries)


@pytest.mark.parametrize("model_id", [m for m in CATALOGUE if m not in FAST])
def test_statics_every_catalogue_model(model_id):
    """Every other catalogue model gives its table (two entries here, 2 s a sign decision: a whole table of
    the large effort models takes minutes, its entries running out of their budget; see docs/propositions.md)."""
    table = statics(model_id, budget_s=2, quantities=("q", "manufacturer"), parameters=("c",))
    assert table.entries and all(e.sign in SIGNS for e in table.entries)
    assert all(e.region for e in table.entries if e.sign == "open")  # an open entry says why
