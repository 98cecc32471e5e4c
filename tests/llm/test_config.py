"""Settings are checked when the model is built: a bad configuration fails there, clearly."""

from __future__ import annotations

import pytest

from assistant.llm import LLMAssist, LLMConfigError, get_llm_assist


def test_no_model_configured_means_no_assist(settings):
    assert settings.llm_model is None
    assert get_llm_assist(settings) is None
    assert get_llm_assist(settings.model_copy(update={"llm_model": "  "})) is None


def test_openai_compatible_endpoint_builds_and_is_cached(stub_settings):
    a = get_llm_assist(stub_settings)
    assert isinstance(a, LLMAssist)
    assert get_llm_assist(stub_settings) is a
    assert type(a.model).__name__ == "ChatOpenAI"
    assert a.model.request_timeout == stub_settings.llm_timeout_seconds and a.model.max_retries == 0
    other = get_llm_assist(stub_settings.model_copy(update={"llm_timeout_seconds": 3.0}))
    assert other is not a


def test_base_url_without_key_gets_a_placeholder(stub_settings):
    a = LLMAssist(stub_settings.model_copy(update={"llm_api_key": None}))
    assert a.model.openai_api_key.get_secret_value()


@pytest.mark.parametrize(
    "update, words",
    [
        ({"llm_base_url": "ftp://example"}, "BASE_URL"),
        ({"llm_base_url": "localhost:8000"}, "BASE_URL"),
        ({"llm_timeout_seconds": 0}, "TIMEOUT"),
        ({"llm_max_retries": -1}, "MAX_RETRIES"),
        ({"llm_provider": "no-such-provider"}, "no-such-provider"),
        ({"llm_provider": "anthropic"}, "集成包"),  # langchain-anthropic is not installed
    ],
)
def test_bad_configuration_is_a_clear_error(stub_settings, update, words):
    with pytest.raises(LLMConfigError, match=words):
        LLMAssist(stub_settings.model_copy(update=update))


def test_openai_without_endpoint_or_key_is_an_error(settings, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(LLMConfigError, match="API_KEY"):
        get_llm_assist(settings.model_copy(update={"llm_model": "qwen-plus"}))
