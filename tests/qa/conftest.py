import datetime as dt

import pytest

from assistant.config import Settings


@pytest.fixture(scope="session")
def pipeline(tmp_path_factory):
    """The real pipeline on a private index directory, with today fixed to the product's reference date."""
    from assistant.dialogue.pipeline import AskPipeline

    settings = Settings(index_dir=tmp_path_factory.mktemp("qa-index"), today=dt.date(2026, 11, 23))
    return AskPipeline(settings)
