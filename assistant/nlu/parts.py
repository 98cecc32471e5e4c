"""A total given as its parts: 「展位费3.6万、特装搭建1.2万」 for a fact the policy defines as 展位费 + 特装搭建费
(``parts`` in the lexicon or a rule file's ``facts:``). Figures stated for two or more of its parts are added;
one part's figure is never read as the whole total.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from pydantic import BaseModel

from assistant.facts import LEX_FACTS, facts_version

from .figures import clause_bounds
from .mentions import Mention
from .vocabulary import in_scope

# between a part's word and its figure: the rest of the noun (费, 费用) and verbs of stating or spending
_GAP = re.compile(r"^(?:费用|费|的|是|为|花了|花费了?|支出了?|付了|交了|用了|共|一共|大概|大约|约|了|\s)*$")
_MAX_GAP = 6


class PartFigure(BaseModel):
    word: str
    mention: Mention


class PartsTotal(BaseModel):
    fact: str
    value: Decimal
    parts: list[PartFigure]
    start: int
    end: int


@lru_cache(maxsize=4)
def _part_patterns(version: int) -> list[tuple[str, list[re.Pattern]]]:
    out = []
    for f in LEX_FACTS.values():
        if len(f.parts) >= 2:
            out.append(
                (
                    f.name,
                    [
                        re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
                        for words in f.parts
                    ],
                )
            )
    return out


def _figure_after(text: str, end: int, mentions: list[Mention]) -> Mention | None:
    _, hi = clause_bounds(text, end)  # the figure follows the word, so only the clause's end bounds it
    for m in mentions:
        if (
            (m.kind == "money" or (m.kind == "number" and m.has_multiplier))
            and m.unit != "USD"
            and end <= m.start <= end + _MAX_GAP
            and m.start < hi
            and _GAP.match(text[end : m.start])
        ):
            return m
    return None


def parts_totals(text: str, mentions: list[Mention]) -> list[PartsTotal]:
    """Each total fact with figures for two or more of its parts in ``text``: their sum."""
    out = []
    for fact, patterns in _part_patterns(facts_version()):
        if not in_scope(fact):
            continue
        found: list[PartFigure] = []
        used: set[int] = set()
        for pattern in patterns:
            for hit in pattern.finditer(text):
                m = _figure_after(text, hit.end(), mentions)
                if m is not None and m.start not in used:
                    found.append(PartFigure(word=text[hit.start() : m.end], mention=m))
                    used.add(m.start)
                    break  # one figure per part
        if len(found) >= 2:
            out.append(
                PartsTotal(
                    fact=fact,
                    value=sum((p.mention.value for p in found), Decimal(0)),
                    parts=found,
                    start=min(p.mention.start for p in found),
                    end=max(p.mention.end for p in found),
                )
            )
    return out
