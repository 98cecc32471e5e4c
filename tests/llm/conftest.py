from __future__ import annotations

import pytest
from llm_helpers import TODAY

from assistant.config import Settings


def pytest_configure(config):
    config.addinivalue_line("markers", "llm_e2e: the CLI against the OpenAI-compatible stub on loopback")


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(today=TODAY, max_sessions=200)


@pytest.fixture(scope="session")
def pipeline(settings):
    """Real NLU, rules and engine; retrieval off to keep the LLM tests fast."""
    from assistant.dialogue.pipeline import AskPipeline

    return AskPipeline(settings, retrieval=None)


@pytest.fixture(scope="session")
def stub_server():
    from llm_stub import StubLLM

    stub = StubLLM().start()
    yield stub
    stub.stop()


@pytest.fixture
def stub(stub_server):
    stub_server.reset()
    yield stub_server
    stub_server.reset()


@pytest.fixture
def stub_settings(stub, settings) -> Settings:
    return settings.model_copy(
        update={
            "llm_model": "stub-chat",
            "llm_provider": "openai",
            "llm_base_url": stub.base_url,
            "llm_api_key": "test-key",
            "llm_timeout_seconds": 2.0,
            "llm_max_retries": 0,
        }
    )
