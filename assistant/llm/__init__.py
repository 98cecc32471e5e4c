"""Optional language model, behind a guard that keeps every figure and clause the engine's.

Off by default: ``get_llm_assist()`` returns None unless POLICY_QA_LLM_MODEL is set, and the
product is complete and offline without it. See README_SECTION.md in this folder.

The submodules (LangChain, the chat-model packages) load only when a name below is first used,
so a product without a model never pays their ~1 s of imports.
"""

from __future__ import annotations

import threading
from importlib import import_module
from typing import TYPE_CHECKING

from assistant.config import Settings, get_settings

if TYPE_CHECKING:  # pragma: no cover
    from .assist import LLMAssist

_EXPORTS = {
    "LLMAssist": ".assist",
    "LLMConfigError": ".assist",
    "build_chat_model": ".assist",
    "LLM_ASSUMPTION_PREFIX": ".extraction",
    "ExtractionRejected": ".extraction",
    "ProfileExtraction": ".extraction",
    "merge_extraction": ".extraction",
    "GuardVerdict": ".guard",
    "check_rewrite": ".guard",
}
__all__ = sorted([*_EXPORTS, "get_llm_assist"])

_cache: dict[tuple, LLMAssist] = {}
_lock = threading.Lock()


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(name)


def _key(s: Settings) -> tuple:
    return (s.llm_model, s.llm_provider, s.llm_base_url, s.llm_api_key, s.llm_timeout_seconds, s.llm_max_retries)


def get_llm_assist(settings: Settings | None = None) -> LLMAssist | None:
    """The process-wide assistant for these settings; None when no model is configured.
    Raises LLMConfigError (a ValueError) for a configuration that cannot work."""
    settings = settings or get_settings()
    if not (settings.llm_model or "").strip():
        return None
    from .assist import LLMAssist

    key = _key(settings)
    with _lock:
        assist = _cache.get(key)
        if assist is None:
            assist = LLMAssist(settings)
            _cache[key] = assist
        return assist
