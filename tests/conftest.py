import numpy as np
import pytest


@pytest.fixture
def rng():
    """A seeded generator: every random test point is reproducible."""
    return np.random.default_rng(12345)


def pytest_collection_modifyitems(config, items):
    """Start the longest test (the cold report) first, so that the other worker
    runs everything else meanwhile instead of waiting for it at the end."""
    first = [it for it in items if it.name == "test_reproduce_cold_then_warm"]
    items[:] = first + [it for it in items if it not in first]
