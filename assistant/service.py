"""Service functions: the one API that the CLI, REST API, gradio app and widget all call.

Each function takes plain values, validates them, and returns a contract model
(assistant.contract). Heavy components (index, rules) load once per process. This module
owns what the interfaces share (the process-wide pipeline with its optional language model,
the policy list); it imports nothing from them.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import TYPE_CHECKING, Any

from .contract import AskResponse, SearchResponse

if TYPE_CHECKING:  # pragma: no cover
    from .config import Settings
    from .dialogue.pipeline import AskPipeline

STATUS_LABELS = {"final": "正式", "draft": "征求意见稿"}

_pipeline: AskPipeline | None = None
_pipeline_lock = threading.Lock()


def build_pipeline(settings: Settings | None = None, retrieval: Any = "auto") -> AskPipeline:
    """An ask pipeline with the language model the settings configure (None unless POLICY_QA_LLM_MODEL is set;
    a configuration that cannot work raises LLMConfigError here, at start-up)."""
    from .config import get_settings
    from .dialogue.pipeline import AskPipeline
    from .llm import get_llm_assist

    settings = settings or get_settings()
    return AskPipeline(settings, retrieval=retrieval, llm=get_llm_assist(settings))


def get_pipeline() -> AskPipeline:
    """The process-wide pipeline (its sessions are the conversations of this process)."""
    global _pipeline
    if _pipeline is None:
        with _pipeline_lock:
            if _pipeline is None:
                _pipeline = build_pipeline()
    return _pipeline


def ask(question: str | bytes, session_id: str | None = None, region: str | None = None) -> AskResponse:
    """Answer one question; ``session_id`` continues a conversation, ``region`` presets a place (widget data-region).
    Bytes (a stdin line that is not UTF-8) get the pipeline's clear refusal."""
    pipeline = get_pipeline()
    resp = pipeline.ask(question, session_id=session_id, region=region)
    if resp.session_id and resp.session_id not in pipeline.sessions:
        # nothing worth keeping (a greeting, a refused input, a full store): no id to continue from
        resp.session_id = None
    return resp


def end_session(session_id: str) -> bool:
    """Forget a conversation and the facts it holds (「新对话」); False if there was none to forget."""
    return bool(session_id) and get_pipeline().sessions.drop(session_id)


def search(query: str, top_k: int = 5, policy: str | None = None, region: str | None = None) -> SearchResponse:
    from .retrieval.service import get_search_service

    return get_search_service().search_response(query, top_k=top_k, policy=policy, region=region)


def calc(region: str, facts: dict[str, Any], date: dt.date | None = None) -> dict[str, Any]:
    from .rules.calc import calculate

    return calculate(region=region, facts=facts, date=date)


def policies(day: dt.date | None = None) -> list[dict[str, Any]]:
    """One row per policy (JSON-ready); validity as of ``day`` (default: the configured today)."""
    from .config import get_settings
    from .corpus import load_clauses, load_policies

    day = day or get_settings().current_date()
    counts: dict[str, int] = {}
    for clause in load_clauses():
        counts[clause.policy_id] = counts.get(clause.policy_id, 0) + 1
    rows = []
    for meta in load_policies():
        rows.append(
            {
                "id": meta.id,
                "title": meta.title,
                "short_title": meta.short_title,
                "issuer": meta.issuer,
                "doc_number": meta.doc_number,
                "jurisdiction": meta.jurisdiction.model_dump(),
                "jurisdiction_name": meta.jurisdiction.name,
                "status": meta.status,
                "status_label": STATUS_LABELS[meta.status],
                "date_issued": meta.date_issued.isoformat() if meta.date_issued else None,
                "effective_from": meta.effective_from.isoformat() if meta.effective_from else None,
                "effective_to": meta.effective_to.isoformat() if meta.effective_to else None,
                "validity": meta.validity_on(day),
                "validity_label": meta.validity_label(day),
                "clauses": counts.get(meta.id, 0),
            }
        )
    return rows


def policy_clauses(policy_id: str) -> list[dict[str, Any]]:
    """Every clause of one policy in document order (raises corpus.PolicyNotFound for an unknown id)."""
    from . import corpus

    return [c.model_dump() for c in corpus.clauses_of(policy_id)]


def clause(policy_id: str, clause_id: str) -> dict[str, Any] | None:
    """One clause with its neighbours and a ready-to-copy citation, or None."""
    from . import corpus

    clauses = corpus.clauses_of(policy_id)
    for i, c in enumerate(clauses):
        if c.clause_id == clause_id:
            meta = corpus.get_policy(policy_id)
            return {
                "policy_id": policy_id,
                "policy_title": meta.title,
                "clause": c.model_dump(),
                "citation": meta.cite(clause_id),
                "previous": clauses[i - 1].model_dump() if i > 0 else None,
                "next": clauses[i + 1].model_dump() if i + 1 < len(clauses) else None,
            }
    return None


def known_clauses() -> set[tuple[str, str]]:
    """Every (policy_id, clause_id) of the corpus: feedback may only name these."""
    from . import corpus

    return {(c.policy_id, c.clause_id) for c in corpus.load_clauses()}
