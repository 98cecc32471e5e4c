"""Helpers for the LLM tests: the real pipeline with a given model plugged in, and a rewrite
that changes one figure."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from assistant.contract import AskResponse
from assistant.dialogue.pipeline import AskPipeline
from assistant.llm import LLMAssist
from assistant.rules.figures import format_yuan

TODAY = dt.date(2026, 11, 23)


def assisted_ask(
    pipeline: AskPipeline,
    llm: LLMAssist | None,
    question: str,
    session_id: str | None = None,
    region: str | None = None,
) -> tuple[AskResponse, str | None]:
    """The real ``AskPipeline.ask`` with ``llm`` plugged in: (response, the rephrase rejection reason or None).

    The pipeline only logs the reason; a spy on ``rephrase`` hands it to the test."""
    reasons: list[str | None] = []
    saved = pipeline.llm
    if llm is not None:
        original = llm.rephrase

        def spy(response: AskResponse, question: str | None = None):
            out = original(response, question=question)
            reasons.append(out[1])
            return out

        llm.rephrase = spy  # type: ignore[method-assign]
    pipeline.llm = llm
    try:
        response = pipeline.ask(question, session_id=session_id, region=region)
    finally:
        pipeline.llm = saved
        if llm is not None:
            del llm.rephrase
    return response, (reasons[0] if reasons else None)


_MONEY = re.compile(r"(\d+(?:\.\d+)?)万元")


def with_changed_figure(answer: str) -> str:
    """The answer with its first 「N万元」 replaced by a figure no engine result contains."""
    m = _MONEY.search(answer)
    assert m, "no 万元 figure to change"
    changed = format_yuan(Decimal(m.group(1)) * 10_000 + Decimal(1234))
    return answer[: m.start()] + changed + answer[m.end() :]
