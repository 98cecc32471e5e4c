"""The pipeline with the two LLM hooks where the lead will wire them (until then, for the tests).

Mirrors ``AskPipeline.ask``: parse → region preset → **extract_profile** → evaluation →
**rephrase**. Uses the pipeline's own components (sessions, ``_answer``) so the figures are the
engine's; only the two hook calls are added.
"""
from __future__ import annotations

import re
from decimal import Decimal

from assistant.contract import AskResponse
from assistant.dialogue.pipeline import AskPipeline
from assistant.llm import LLMAssist
from assistant.nlu import parse
from assistant.rules.figures import format_yuan
from assistant.textnorm import InputError, check_query


def assisted_ask(pipeline: AskPipeline, llm: LLMAssist | None, question: str, session_id: str | None = None,
                 region: str | None = None) -> tuple[AskResponse, str | None]:
    """(response, the rephrase rejection reason or None)."""
    session = pipeline.sessions.get_or_create(session_id)
    try:
        text = check_query(question, pipeline.settings.max_question_chars, "问题")
    except InputError:
        return pipeline.ask(question, session_id=session.id, region=region), None
    parsed = parse(text, today=pipeline.settings.current_date(), previous=session.state, pending=session.pending or None)
    if region and parsed.place is None:
        parsed = pipeline._with_region(parsed, region)
    if llm is not None:
        parsed = llm.extract_profile(text, parsed)  # hook 1: right after parse (and the region preset)
    response = pipeline._answer(parsed, session)
    reason = None
    if llm is not None:
        response, reason = llm.rephrase(response, question=text)  # hook 2: on the finished AskResponse
    session.state = parsed
    session.turns += 1
    pipeline.sessions.touch(session)
    return response, reason


_MONEY = re.compile(r"(\d+(?:\.\d+)?)万元")


def with_changed_figure(answer: str) -> str:
    """The answer with its first 「N万元」 replaced by a figure no engine result contains."""
    m = _MONEY.search(answer)
    assert m, "no 万元 figure to change"
    changed = format_yuan(Decimal(m.group(1)) * 10_000 + Decimal(1234))
    return answer[:m.start()] + changed + answer[m.end():]
