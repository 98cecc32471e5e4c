"""LLMAssist: an optional chat model that helps understand loose questions and words answers more
naturally — every figure and clause still comes from the engine (see guard.py, extraction.py).

Built on ``langchain.chat_models.init_chat_model`` so any LangChain chat model works; an
OpenAI-compatible endpoint (Qwen/DeepSeek API, vLLM, Ollama's /v1) needs only
POLICY_QA_LLM_MODEL and POLICY_QA_LLM_BASE_URL. Settings are checked at construction and a bad
configuration fails there with a clear message; at answer time every model failure (time-out,
HTTP error, unparseable output) falls back to the deterministic result.
"""

from __future__ import annotations

import json
import logging
import os
import re
from typing import Any
from urllib.parse import urlparse

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import PydanticOutputParser, StrOutputParser
from langchain_core.runnables import Runnable

from assistant.config import Settings
from assistant.contract import AskResponse
from assistant.nlu.parser import ParsedQuestion
from assistant.render.answer import DISCLAIMER

from .extraction import ExtractionRejected, ProfileExtraction, merge_extraction, needs_help, vocabulary_text
from .guard import check_rewrite
from .prompts import as_json, extract_prompt, rephrase_data, rephrase_prompt

log = logging.getLogger(__name__)

# OpenAI-compatible servers without authentication (vLLM, Ollama) still need a non-empty key
# for the client library.
PLACEHOLDER_API_KEY = "not-needed"


class LLMConfigError(ValueError):
    """The llm_* settings cannot make a chat model; the message says which setting to fix."""


def _validate(settings: Settings) -> None:
    problems = []
    if not (settings.llm_model or "").strip():
        problems.append("POLICY_QA_LLM_MODEL 为空")
    if not (settings.llm_provider or "").strip():
        problems.append("POLICY_QA_LLM_PROVIDER 为空（OpenAI 兼容接口用 openai）")
    if settings.llm_base_url:
        u = urlparse(settings.llm_base_url)
        if u.scheme not in ("http", "https") or not u.netloc:
            problems.append(f"POLICY_QA_LLM_BASE_URL 不是 http(s) 地址：{settings.llm_base_url!r}")
    if not settings.llm_timeout_seconds or settings.llm_timeout_seconds <= 0:
        problems.append(f"POLICY_QA_LLM_TIMEOUT_SECONDS 必须为正数，得到 {settings.llm_timeout_seconds!r}")
    if settings.llm_max_retries < 0:
        problems.append(f"POLICY_QA_LLM_MAX_RETRIES 不能为负，得到 {settings.llm_max_retries!r}")
    if (
        settings.llm_provider == "openai"
        and not settings.llm_base_url
        and not settings.llm_api_key
        and not os.environ.get("OPENAI_API_KEY")
    ):
        problems.append("未设置 POLICY_QA_LLM_BASE_URL 时需要 POLICY_QA_LLM_API_KEY（或 OPENAI_API_KEY）")
    if problems:
        raise LLMConfigError("语言模型配置有误：" + "；".join(problems))


def build_chat_model(settings: Settings) -> BaseChatModel:
    """``init_chat_model`` from the llm_* settings; raises LLMConfigError with the reason."""
    try:
        from langchain.chat_models import init_chat_model
    except ImportError:  # the optional model's packages are an extra: pip install 'policy-qa[llm]'
        raise LLMConfigError("语言模型功能需要额外安装：pip install 'policy-qa[llm]'") from None

    _validate(settings)
    kwargs: dict[str, Any] = {"timeout": settings.llm_timeout_seconds, "max_retries": settings.llm_max_retries}
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    api_key = settings.llm_api_key or (PLACEHOLDER_API_KEY if settings.llm_base_url else None)
    if api_key:
        kwargs["api_key"] = api_key
    try:
        model = init_chat_model(settings.llm_model, model_provider=settings.llm_provider, **kwargs)
    except ImportError as exc:
        raise LLMConfigError(f"语言模型提供方 {settings.llm_provider!r} 需要额外安装集成包：{exc}") from None
    except Exception as exc:  # unsupported provider, rejected argument, bad key format …
        raise LLMConfigError(
            f"无法创建语言模型（provider={settings.llm_provider!r}, model={settings.llm_model!r}）：{exc}"
        ) from None
    if not isinstance(model, BaseChatModel):
        raise LLMConfigError(f"{settings.llm_model!r} 不是聊天模型")
    return model


_FENCE = re.compile(r"^```[a-zA-Z]*\s*|\s*```$")


def _clean(text: str) -> str:
    return _FENCE.sub("", (text or "").strip()).strip()


class LLMAssist:
    """The two uses of a chat model, each with its own check; see the module doc.

    ``chat_model``: inject any LangChain chat model (tests use the fake ones); otherwise one is
    built from ``settings`` with ``init_chat_model``.
    """

    def __init__(self, settings: Settings | None = None, chat_model: BaseChatModel | None = None) -> None:
        from assistant.config import get_settings

        self.settings = settings or get_settings()
        self.model = chat_model if chat_model is not None else build_chat_model(self.settings)
        self._rephraser: Runnable = rephrase_prompt() | self.model | StrOutputParser()
        self._extractor = self._make_extractor()

    def _make_extractor(self) -> Runnable:
        """Structured output where the model supports tool calling; otherwise JSON in the text
        parsed into the same pydantic model (fake and plain-completion models)."""
        if type(self.model).bind_tools is not BaseChatModel.bind_tools:
            try:
                structured = self.model.with_structured_output(ProfileExtraction, method="function_calling")
            except (TypeError, ValueError, NotImplementedError):
                structured = None
            if structured is not None:
                return extract_prompt() | structured
        return extract_prompt(json_only=True) | self.model | PydanticOutputParser(pydantic_object=ProfileExtraction)

    # --- (a) understanding ----------------------------------------------------------------------
    def extract_profile(self, question: str, parsed: ParsedQuestion) -> ParsedQuestion:
        """Fill region / entity kind / figures the parser left unresolved, when the model's reading is
        grounded in the question; otherwise return ``parsed`` unchanged (the reason is logged)."""
        if not needs_help(parsed):
            return parsed
        try:
            result = self._extractor.invoke(
                {
                    "question": json.dumps(question, ensure_ascii=False),
                    "vocabulary": vocabulary_text(),
                }
            )
        except Exception as exc:  # time-out, HTTP error, unparseable output: keep the parser's reading
            log.warning("llm extraction failed, keeping the parser's reading: %s", _short(exc))
            return parsed
        if isinstance(result, dict):
            try:
                result = ProfileExtraction.model_validate(result)
            except Exception as exc:
                log.warning("llm extraction rejected: malformed output: %s", _short(exc))
                return parsed
        if not isinstance(result, ProfileExtraction):
            log.warning("llm extraction rejected: no structured output")
            return parsed
        try:
            merged = merge_extraction(result, parsed)
        except ExtractionRejected as exc:
            log.warning("llm extraction rejected: %s", exc)
            return parsed
        return merged

    # --- (b) wording ----------------------------------------------------------------------------
    def rephrase(self, response: AskResponse, question: str | None = None) -> tuple[AskResponse, str | None]:
        """(response with the model's wording as ``answer``, None) when the guard passes; otherwise
        (the original response, the reason)."""
        if response.error or not response.awards:
            return response, "not rephrased: no award in the answer"
        data = as_json(rephrase_data(response, question))
        try:
            text = _clean(self._rephraser.invoke({"data": data}))
        except Exception as exc:
            reason = f"model call failed: {_short(exc)}"
            log.warning("llm rephrase: %s", reason)
            return response, reason
        verdict = check_rewrite(text, response)
        if not verdict.ok:
            log.warning("llm rephrase rejected: %s", verdict.reason)
            return response, verdict.reason
        if DISCLAIMER not in text:
            text = f"{text}\n{DISCLAIMER}"  # the engine's own sentence: the department decides
        return response.model_copy(update={"answer": text}), None


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:200]}"
