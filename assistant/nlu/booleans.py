"""Yes/no facts stated in a question, with negation: 「独立法人」 → True, 「还没纳统」 → False.

A term inside a question about it (「需要纳统吗」「是否要求独立法人」) states nothing
and is skipped; a hypothetical (「如果是新注册的呢」) counts as stated.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel

from .vocabulary import BOOL_PATTERNS

_NEGATION_BEFORE = re.compile(
    r"(?:不是|并非|不属于|非|没有|没|未|尚未|还没有|还没|还未|无|不)(?:是|有|在|曾|被|能|会|都|也)?(?:按时|正常|按月)?$"
)
_QUESTION_BEFORE = re.compile(r"(?:需要|是否|要求|必须|要不要|需不需要|有没有|是不是|能否|得要|要求是|还要)(?:是|有|先)?$"
                             # 「能拿新注册直播企业那20万吗」 names the award, it does not say they are new
                             r"|(?:能拿|能领|能享受|可以拿|可以享受|享受|申请|申报|拿到)(?:到)?$")
_QUESTION_AFTER = re.compile(r"^(?:了|的|过)?(?:吗|么|嘛|没有?[?？]|与否|才能|才可以|是必须|是必要|有要求|的要求|条件)")
# Negated forms the generic rule cannot see (the negation sits inside the phrase).
_INNER_NEGATIONS: tuple[tuple[str, str], ...] = (
    (r"社保(?:没|未|没有|不)(?:按时|正常)?(?:缴纳?|交)", "social_insurance_paid"),
    (r"没(?:有)?(?:按时)?(?:缴纳?|交)(?:过)?社保", "social_insurance_paid"),
    # 「去年已经拿了首年奖励」: this year is not the first award year
    # 「已拿过10万首年奖励」 likewise, an amount between
    (r"(?:去年|上一?年|之前|以前|已经|已|早已)[^,，。]{0,6}(?:拿|领|获得|申领|享受)(?:到)?(?:了|过)[^,，。]{0,8}?首年",
     "own_platform_first_award_year"),
    # 「首年奖励已经拿过了」「首年奖之前领过」: the same, object first
    (r"首年(?:的)?(?:奖励|奖金|奖)?(?:(?:已经|已|早就|之前|以前|去年|上一?年)[^,，。]{0,3}(?:拿|领|获得|申领|享受)"
     r"|(?:拿|领|申领|享受)过)", "own_platform_first_award_year"),
)


class BoolFact(BaseModel):
    fact: str
    value: bool
    text: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[re.Pattern, str, bool, re.Pattern | None]]:
    return [(re.compile(p.pattern), p.fact, p.value, re.compile(p.context) if p.context else None) for p in BOOL_PATTERNS]


def find_bools(text: str, blocked: list[tuple[int, int]] = ()) -> list[BoolFact]:
    """Every yes/no fact stated in ``text`` (normalised), in order; later statements win in the caller."""
    out: list[BoolFact] = []
    inner = []
    for pattern, fact in _INNER_NEGATIONS:
        for m in re.finditer(pattern, text):
            inner.append((m.start(), m.end()))
            out.append(BoolFact(fact=fact, value=False, text=m.group(), start=m.start(), end=m.end()))
    for pattern, fact, value, context in _compiled():
        if context is not None and not context.search(text):
            continue
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in blocked) or any(s <= m.start() < e or s < m.end() <= e for s, e in inner):
                continue
            before = text[max(0, m.start() - 6):m.start()]
            after = text[m.end():m.end() + 6]
            if _QUESTION_BEFORE.search(before) or _QUESTION_AFTER.match(after):
                continue
            negated = bool(_NEGATION_BEFORE.search(before))
            # 「不低于」「不超过」 are comparisons, not negations of what follows
            if negated and re.search(r"不(?:低于|超过|少于|高于)$", before):
                negated = False
            out.append(BoolFact(fact=fact, value=(not value) if negated else value, text=m.group(), start=m.start(), end=m.end()))
    out.sort(key=lambda b: b.start)
    return out
