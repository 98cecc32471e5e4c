"""Yes/no facts stated in a question, with negation: 「独立法人」 → True, 「还没纳统」 → False.

A term inside a question about it (「需要纳统吗」「是否要求独立法人」) states nothing
and is skipped; a hypothetical (「如果是新注册的呢」) counts as stated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from pydantic import BaseModel

from assistant.facts import facts_version

from .asking import names_award
from .vocabulary import NEGATION, bool_patterns, current_scope, inner_negations


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# A negation cue (lexicon: negation.before), then at most two bridge words (是/有/实现/纳入 …) and a manner
# word (按时 …), right before the statement: 「还没有实现纳统」「尚未正式纳入限上统计」「不是新注册」.
_NEGATION_BEFORE = re.compile(
    rf"(?:{_alt(NEGATION.before)})(?:{_alt(NEGATION.bridge)}){{0,2}}(?:{_alt(NEGATION.manner)})?(?:{_alt(NEGATION.bridge)})?$"
)
_COMPARISON_BEFORE = re.compile(rf"(?:{_alt(NEGATION.comparisons)})$")
_SCOPED_CUE = re.compile(_alt(NEGATION.scoped)) if NEGATION.scoped else None
_SCOPE_BREAK = re.compile(_alt(NEGATION.scope_breaks)) if NEGATION.scope_breaks else None
_SCOPE_CLAUSE = re.compile(r"[,，。;；!！?？、\n]")


def _scoped_negation(text: str, start: int) -> bool:
    """A negation cue a few characters back, with only a verb, a prepositional phrase or a determiner between
    it and the statement: 「尚未获得任何平台授牌」「没进企业一套表」「没有设立独立法人」."""
    if _SCOPED_CUE is None:
        return False
    lo = max(0, start - NEGATION.scope_chars - 3)
    window_start = max([lo, *(m.end() for m in _SCOPE_CLAUSE.finditer(text, lo, start))])
    cues = list(_SCOPED_CUE.finditer(text, window_start, start))
    if not cues:
        return False
    cue = cues[-1]
    gap = text[cue.end() : start]
    if len(gap) > NEGATION.scope_chars:
        return False
    breaks = [b.group() for b in _SCOPE_BREAK.finditer(gap)] if _SCOPE_BREAK is not None else []
    if breaks:
        # 「没有拿到任何平台的授牌」: after 任何 a soft break (的) stays inside the negated phrase
        polar = any(w in gap for w in NEGATION.scope_polarity)
        if not polar or any(b not in NEGATION.scope_soft_breaks for b in breaks):
            return False
    return not _COMPARISON_BEFORE.search(text[max(0, cue.start() - 2) : cue.end() + 1])


_QUESTION_BEFORE = re.compile(
    r"(?:需要|是否|要求|必须|要不要|需不需要|有没有|是不是|能否|得要|要求是|还要)(?:是|有|先)?$"
    # 「能拿新注册直播企业那20万吗」 names the award, it does not say they are new
    r"|(?:能拿|能领|能享受|可以拿|可以享受|享受|申请|申报|拿到)(?:到)?$"
)
_QUESTION_AFTER = re.compile(r"^(?:了|的|过)?(?:吗|么|嘛|没有?[?？]|与否|才能|才可以|是必须|是必要|有要求|的要求|条件)")


class BoolFact(BaseModel):
    fact: str
    value: bool
    text: str
    start: int
    end: int


def _compiled() -> list[tuple[re.Pattern, str, bool, re.Pattern | None]]:
    return _compiled_for(facts_version(), current_scope())


@lru_cache(maxsize=16)
def _compiled_for(version: int, scope: frozenset[str] | None) -> list[tuple[re.Pattern, str, bool, re.Pattern | None]]:
    return [
        (re.compile(p.pattern), p.fact, p.value, re.compile(p.context) if p.context else None) for p in bool_patterns()
    ]


def find_bools(text: str, blocked: Sequence[tuple[int, int]] = ()) -> list[BoolFact]:
    """Every yes/no fact stated in ``text`` (normalised), in order; later statements win in the caller."""
    out: list[BoolFact] = []
    inner = []
    for negated_form, fact in inner_negations():
        for m in re.finditer(negated_form, text):
            inner.append((m.start(), m.end()))
            out.append(BoolFact(fact=fact, value=False, text=m.group(), start=m.start(), end=m.end()))
    for pattern, fact, value, context in _compiled():
        if context is not None and not context.search(text):
            continue
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in blocked) or any(
                s <= m.start() < e or s < m.end() <= e for s, e in inner
            ):
                continue
            before = text[max(0, m.start() - 6) : m.start()]
            after = text[m.end() : m.end() + 6]
            if _QUESTION_BEFORE.search(before) or _QUESTION_AFTER.match(after) or names_award(text, m.start(), m.end()):
                continue
            negated = bool(_NEGATION_BEFORE.search(before)) or _scoped_negation(text, m.start())
            # 「不低于」「不超过」 are comparisons, not negations of what follows
            if negated and _COMPARISON_BEFORE.search(before):
                negated = False
            out.append(
                BoolFact(
                    fact=fact, value=(not value) if negated else value, text=m.group(), start=m.start(), end=m.end()
                )
            )
    out.sort(key=lambda b: b.start)
    return out
