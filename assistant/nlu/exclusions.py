"""Parts a clause leaves out of a figure (lexicon/rule-file ``excludes``): 「实际投资额260万元，其中土地购置费60万元」
under a clause that counts the investment 「不含土地购置费用」 is 200万 — the whole 260万 would be a confident wrong
figure. The part must follow the total in the same sentence behind a part cue (其中/含/包括) and be smaller."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from assistant.facts import FACTS, LEX_FACTS, facts_version
from assistant.money import format_yuan

from .figures import accepts, value_for
from .mentions import Mention
from .vocabulary import in_scope

_CUE = r"(?:其中|其中有|内含|含有|含|包含|包括|里面有|里头有|这里面有)"
_SENTENCE_END = re.compile(r"[。；;!！?？\n]")
_MAX_GAP = 14  # characters between the cue and the part's figure


@dataclass(frozen=True)
class Excluded:
    fact: str
    total: Decimal
    part: Decimal
    value: Decimal
    words: str
    mention: Mention


@lru_cache(maxsize=4)
def _patterns(version: int) -> tuple[tuple[str, re.Pattern], ...]:
    out = []
    for f in LEX_FACTS.values():
        words = sorted({w for group in f.excludes for w in group}, key=len, reverse=True)
        if words:
            alt = "|".join(re.escape(w) for w in words)
            out.append((f.name, re.compile(rf"{_CUE}[^，,。；;]{{0,6}}?(?:{alt})")))
    return tuple(out)


def _show(fact: str, value: Decimal) -> str:
    return format_yuan(value) if FACTS[fact].type == "money_yuan" else f"{value.normalize():f}{FACTS[fact].unit or ''}"


def excluded_parts(text: str, facts: dict, evidence: dict, mentions: list[Mention]) -> list[Excluded]:
    """Each bound figure with a stated excluded part after it: the figure less that part."""
    out = []
    for fact, pattern in _patterns(facts_version()):
        total, ev = facts.get(fact), evidence.get(fact)
        if not isinstance(total, Decimal) or ev is None or not in_scope(fact):
            continue
        stop = m.start() if (m := _SENTENCE_END.search(text, ev.end)) else len(text)
        hit = pattern.search(text, ev.end, stop)
        if hit is None:
            continue
        part = next(
            (
                m
                for m in mentions
                if hit.end() <= m.start <= hit.end() + _MAX_GAP and m.start < stop and accepts(fact, m)
            ),
            None,
        )
        if part is None:
            continue
        value = value_for(fact, part)
        if not 0 < value < total:
            continue
        out.append(Excluded(fact, total, value, total - value, text[hit.start() : part.end], part))
    return out


def assumption(x: Excluded) -> str:
    label = FACTS[x.fact].label
    return (
        f"“{x.words}”不计入{label}（政策口径不含这部分），"
        f"按{_show(x.fact, x.total)}−{_show(x.fact, x.part)}={_show(x.fact, x.value)}计算"
    )
