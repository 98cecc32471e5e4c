import datetime as dt

import pytest

from assistant.config import Settings


@pytest.fixture(scope="session")
def pipeline():
    """Real NLU, rules and engine; retrieval off (its own tests and the QA eval cover it)."""
    from assistant.dialogue.pipeline import AskPipeline

    return AskPipeline(Settings(today=dt.date(2026, 11, 23), max_sessions=50), retrieval=None)
