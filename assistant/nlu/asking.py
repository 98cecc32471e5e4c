"""Words in the part of a question that asks about an award name that award; they state nothing about the
applicant. 「升规纳统那5万能拿吗」「新注册直播企业那20万能拿吗」「能拿自建平台那10万吗」: 纳统, 新注册, 自建平台
describe the award asked about, not the enterprise asking. Ask and award words are lexicon data
(negation.ask_words / negation.award_words).
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.lexicon import load_lexicon
from assistant.textnorm import CLAUSE_PUNCT

_CLAUSE_END = CLAUSE_PUNCT
# between the term and the award word, a verb or a question word makes the term the subject that asks
# (「新注册的公司能拿多少奖励」「新注册的公司有什么奖励」), not a name of the award
_SUBJECT_GAP = re.compile(r"有|能|可|申|拿|享|领|什么|多少|哪|怎么|如何")
_AWARD_AFTER = 8  # the award word follows the term closely: 「升规纳统的奖励」「新注册直播企业那20万」


@lru_cache(maxsize=1)
def _words() -> tuple[re.Pattern, re.Pattern]:
    neg = load_lexicon().negation
    ask = re.compile("|".join(re.escape(w) for w in sorted(neg.ask_words, key=len, reverse=True)) or r"(?!)")
    award = re.compile("|".join(neg.award_words) or r"(?!)")
    return ask, award


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    s = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    e = m.start() if (m := _CLAUSE_END.search(text, end)) else len(text)
    return s, e


def names_award(text: str, start: int, end: int) -> bool:
    """True when text[start:end] sits in the asking part and names the award asked about."""
    ask, award = _words()
    cs, ce = _clause(text, start, end)
    clause = text[cs:ce]
    if not ask.search(clause):
        return False
    if ask.search(text, cs, start):
        return True  # 「能拿自建平台那10万吗」: what follows the ask word is what is asked for
    after = award.search(text, end, min(ce, end + _AWARD_AFTER + 4))
    if after is None or after.start() - end > _AWARD_AFTER:
        return False
    return not _SUBJECT_GAP.search(text, end, after.start())


def asks_award(clause: str) -> bool:
    """A clause that asks about an award (an ask word in it): 「能拿市里的电商流量补贴吗」."""
    return _words()[0].search(clause) is not None
