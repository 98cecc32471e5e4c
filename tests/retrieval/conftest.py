"""One real index per test session: real corpus, real jieba, real Chroma on disk in a tmp dir."""

from __future__ import annotations

import pytest

from assistant.config import PROJECT_ROOT, Settings


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory) -> Settings:
    return Settings(index_dir=tmp_path_factory.mktemp("index"), corpus_dir=PROJECT_ROOT / "corpus")


@pytest.fixture(scope="session")
def service(index_settings):
    from assistant.retrieval.service import HybridSearchService

    return HybridSearchService(index_settings)
