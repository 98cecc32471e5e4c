"""What kind of message this is: off-topic chit-chat, a follow-up, a yes/no reply, an injection attempt,
and what the user wants to know (amount, eligibility, conditions, procedure, validity, list)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from assistant.lexicon import load_lexicon

QuestionType = Literal["amount", "eligibility", "conditions", "procedure", "validity", "list", "unknown"]

# The words are lexicon data (lexicon.yaml ``intent``), one regex each.
_WORDS = load_lexicon().intent
_INJECTION = re.compile(_WORDS.injection, re.IGNORECASE)
_SENTENCE_END = re.compile(r"[。!！?？\n]|\.(?=\s|$)")
_CHITCHAT = re.compile(_WORDS.chit_chat, re.IGNORECASE)
_DOMAIN = re.compile(_WORDS.domain, re.IGNORECASE)
_FOLLOWUP_START = re.compile(_WORDS.followup_start)
_FOLLOWUP_END = re.compile(_WORDS.followup_end)
# 「不好意思说错了，公司在X市」: a correction amends the last question, it does not start a new one
_CORRECTION = re.compile(_WORDS.correction)
_YES = re.compile(_WORDS.yes_reply, re.IGNORECASE)
# 「是2023年度的」「对，2000万」「就是个体户」: a reply that confirms and carries the value itself. Only read as a
# reply when the last answer asked something (the parser checks); 「是否…」「是不是…」 ask rather than answer.
REPLY_START = re.compile(_WORDS.reply_start)
_NO = re.compile(_WORDS.no_reply, re.IGNORECASE)
_QUESTION_TYPES: tuple[tuple[QuestionType, re.Pattern], ...] = tuple(
    (t.type, re.compile(t.pattern)) for t in _WORDS.question_types
)


class IntentResult(BaseModel):
    injection_suspected: bool = False
    blocked: list[tuple[int, int]] = []  # spans whose numbers and facts must be ignored
    is_followup: bool = False
    yes_no: bool | None = None  # a bare 「是的」/「不是」 reply
    chit_chat: bool = False
    domain_signal: bool = False
    question_type: QuestionType = "unknown"


def classify(text: str) -> IntentResult:
    """``text`` is normalised. Injection spans run from the trigger to the end of its sentence."""
    blocked: list[tuple[int, int]] = []
    for m in _INJECTION.finditer(text):
        end = _SENTENCE_END.search(text, m.end())
        span = (m.start(), end.start() if end else len(text))
        if blocked and span[0] <= blocked[-1][1]:
            blocked[-1] = (blocked[-1][0], max(blocked[-1][1], span[1]))  # overlapping triggers: one span
        else:
            blocked.append(span)
    stripped = text.strip()
    yes, no = _YES.match(stripped), _NO.match(stripped)
    yes_no = True if yes else False if no else None
    followup = bool(
        _FOLLOWUP_START.match(stripped)
        or _FOLLOWUP_END.search(stripped)
        or _CORRECTION.match(stripped)
        or yes_no is not None
    )
    qtype: QuestionType = "unknown"
    for name, pattern in _QUESTION_TYPES:
        if pattern.search(text):
            qtype = name
            break
    return IntentResult(
        injection_suspected=bool(blocked),
        blocked=blocked,
        is_followup=followup,
        yes_no=yes_no,
        chit_chat=bool(_CHITCHAT.search(text)),
        domain_signal=bool(_DOMAIN.search(text)),
        question_type=qtype,
    )
