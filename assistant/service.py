"""Service functions: the one API that the CLI, REST API, gradio app and widget all call.

Each function takes plain values, validates them, and returns a contract model
(assistant.contract). Heavy components (index, rules) load once per process.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from .contract import AskResponse, SearchResponse


def ask(question: str, session_id: str | None = None, region: str | None = None) -> AskResponse:
    """Answer one question; ``session_id`` continues a conversation, ``region`` presets a place (widget data-region)."""
    from .dialogue.pipeline import get_pipeline

    pipeline = get_pipeline()
    resp = pipeline.ask(question, session_id=session_id, region=region)
    if resp.session_id and resp.session_id not in pipeline.sessions:
        # nothing worth keeping (a greeting, a refused input, a full store): no id to continue from
        resp.session_id = None
    return resp


def end_session(session_id: str) -> bool:
    """Forget a conversation and the facts it holds (「新对话」); False if there was none to forget."""
    from .dialogue.pipeline import get_pipeline

    return bool(session_id) and get_pipeline().sessions.drop(session_id)


def search(query: str, top_k: int = 5, policy: str | None = None, region: str | None = None) -> SearchResponse:
    from .retrieval.service import get_search_service

    return get_search_service().search_response(query, top_k=top_k, policy=policy, region=region)


def calc(region: str, facts: dict[str, Any], date: dt.date | None = None) -> dict[str, Any]:
    from .rules.calc import calculate

    return calculate(region=region, facts=facts, date=date)


def policies() -> list[dict[str, Any]]:
    from .cli.policies_cmd import policy_rows

    return policy_rows()


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
