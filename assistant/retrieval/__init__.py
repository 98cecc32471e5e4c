"""Clause-aware hybrid retrieval: jieba BM25 + e5 vectors in Chroma, fused by weighted RRF.

Entry points (imported lazily so `import assistant.retrieval` stays cheap):
``get_search_service(settings=None)`` → :class:`~.service.HybridSearchService` (``search``/``run``),
:class:`~.service.HybridRetriever` (LangChain), ``policies_for_region`` (regions),
``ensure_index``/``build_index`` (index_builder), ``evaluate`` (evaluate).
"""

from __future__ import annotations

_EXPORTS = {
    "get_search_service": ".service",
    "HybridSearchService": ".service",
    "HybridRetriever": ".lc",
    "SearchOutcome": ".service",
    "policies_for_region": ".regions",
    "resolve_region": ".regions",
    "ensure_index": ".index_builder",
    "build_index": ".index_builder",
    "evaluate": ".evaluate",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        from importlib import import_module

        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(name)
