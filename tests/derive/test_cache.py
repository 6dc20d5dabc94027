"""The derivation cache stores canonical expressions node by node and reads them back unchanged."""

from __future__ import annotations

import pickle

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from scfin.derive import cache
from tests.derive.trees import tree as _tree

x, y = sp.symbols("x y", positive=True)
z = sp.Symbol("z")


def _structure(value):
    """A value's full structure: every SymPy node (:func:`_tree`), containers element by element."""
    if isinstance(value, sp.Basic):
        return _tree(value)
    if isinstance(value, dict):
        return {k: _structure(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_structure(v) for v in value]
    return value


def _round_trip(directory, key, value):
    """``value`` through the cache in ``directory``: as computed on a miss, and as read back from disk."""
    with pytest.MonkeyPatch.context() as mp:  # also inside a hypothesis test (no function-scoped fixture)
        mp.setenv("SCFIN_CACHE_DIR", str(directory))
        cache.clear_memory()
        try:
            first = cache.cached(key, lambda: value)  # computed: the canonical (ordinarily round-tripped) copy
            cache.clear_memory()
            again = cache.cached(key, lambda: (_ for _ in ()).throw(AssertionError("not read from disk")))
        finally:
            cache.clear_memory()
    return first, again


def test_cache_entry_read_back_equals_the_computed_value(tmp_path):
    """Sums, products, powers and relations (unevaluated ones too, which SymPy's own pickles evaluate
    on loading) read back from disk node for node as the computed value returned them."""
    value = {
        "sum": sp.Rational(1, 3) * (x + 2 * y) + sp.sqrt(x * y + 1),
        "relations": [sp.Lt(x, y, evaluate=False), sp.Eq(x + 1, y), sp.Ge(2 * z, 1), sp.Ne(x, 2)],
        "piecewise": sp.Piecewise((x ** 2, x < y), (sp.Min(x, y) / 3, True)),
        "unevaluated": sp.Mul(2, x + y, evaluate=False),
    }
    first, again = _round_trip(tmp_path, "test-cache-entry", value)
    assert _structure(again) == _structure(first)
    # the value returned on a miss is SymPy's canonical round trip, as before
    assert _structure(first) == _structure(pickle.loads(pickle.dumps(value)))


_atoms = st.sampled_from([x, y, z, sp.Integer(2), sp.Rational(-3, 4), sp.Integer(0)])


def _combine(children):
    return st.one_of(
        st.tuples(children, children).map(lambda t: t[0] + t[1]),
        st.tuples(children, children).map(lambda t: t[0] * t[1]),
        st.tuples(children, st.sampled_from([2, -1, sp.Rational(1, 2)])).map(lambda t: t[0] ** t[1]),
    )


def _loads_ordinarily(value) -> bool:
    """Whether SymPy's own pickle round trip rebuilds ``value`` (an unevaluated ``x <= nan`` it rejects)."""
    try:
        pickle.loads(pickle.dumps(value))
        return True
    except (TypeError, ValueError):
        return False


_terms = st.recursive(_atoms, _combine, max_leaves=8)
_relations = st.one_of(st.tuples(_terms, _terms).map(lambda t: sp.Le(t[0], t[1], evaluate=False)),
                       st.tuples(_terms, _terms).map(lambda t: sp.Eq(t[0], t[1]))).filter(_loads_ordinarily)
_expressions = st.one_of(_terms, _relations)


@settings(max_examples=60, deadline=None)
@given(_expressions)
def test_cache_round_trip_of_random_expressions(tmp_path_factory, expr):
    """Random sums, products, powers and relations read back from disk as stored."""
    first, again = _round_trip(tmp_path_factory.mktemp("cache"), "random", expr)
    assert _structure(again) == _structure(first)
