"""Optional language model, behind a guard that keeps every figure and clause the engine's.

Off by default: ``get_llm_assist()`` returns None unless POLICY_QA_LLM_MODEL is set, and the
product is complete and offline without it. See README_SECTION.md in this folder.
"""
from __future__ import annotations

import threading

from assistant.config import Settings, get_settings

from .assist import LLMAssist, LLMConfigError, build_chat_model
from .extraction import LLM_ASSUMPTION_PREFIX, ExtractionRejected, ProfileExtraction, merge_extraction
from .guard import GuardVerdict, check_rewrite

__all__ = [
    "LLM_ASSUMPTION_PREFIX", "ExtractionRejected", "GuardVerdict", "LLMAssist", "LLMConfigError", "ProfileExtraction",
    "build_chat_model", "check_rewrite", "get_llm_assist", "merge_extraction",
]

_cache: dict[tuple, LLMAssist] = {}
_lock = threading.Lock()


def _key(s: Settings) -> tuple:
    return (s.llm_model, s.llm_provider, s.llm_base_url, s.llm_api_key, s.llm_timeout_seconds, s.llm_max_retries)


def get_llm_assist(settings: Settings | None = None) -> LLMAssist | None:
    """The process-wide assistant for these settings; None when no model is configured.
    Raises LLMConfigError (a ValueError) for a configuration that cannot work."""
    settings = settings or get_settings()
    if not (settings.llm_model or "").strip():
        return None
    key = _key(settings)
    with _lock:
        assist = _cache.get(key)
        if assist is None:
            assist = LLMAssist(settings)
            _cache[key] = assist
        return assist
