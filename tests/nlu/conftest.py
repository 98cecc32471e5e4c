"""The reader learns the qualified facts the rules count (trained_anchors at a follower threshold) when the
rule book loads, as the product does at start-up: load it once for these tests."""

import pytest

from assistant.rules.loader import load_rulebook


@pytest.fixture(scope="session", autouse=True)
def _rulebook_loaded():
    load_rulebook()
