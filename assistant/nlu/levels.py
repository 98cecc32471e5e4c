"""Level and enum facts: 「省级示范企业」 → demo_level=provincial, 「国家标准」 → standard_level=national."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel

from .vocabulary import LEVEL_WORDS

# every level word of the lexicon, longest first (「省级」 before 「省」)
_LEVEL = "(?P<level>" + "|".join(re.escape(w) for w in sorted(LEVEL_WORDS, key=len, reverse=True)) + ")"
_PATTERNS: tuple[tuple[re.Pattern, str], ...] = (
    (
        re.compile(
            _LEVEL
            + r"(?:的)?(?:电子商务|电商|数字商务)?示范(?:园区|企业|基地|镇|村|项目|单位)|"
            + r"(?P<level2>国家级|省级|市级)数字商务企业"
        ),
        "demo_level",
    ),
    (re.compile(_LEVEL + r"(?:的)?(?:电商|电子商务)?(?:相关)?荣誉(?:称号)?"), "honor_level"),
    (re.compile(_LEVEL + r"(?:的)?(?:培训)?(?:结业|合格)?证书"), "training_certificate_level"),
)
_ENUMS: tuple[tuple[re.Pattern, str, str], ...] = (
    (re.compile(r"(?:主持|牵头|参与)?制定(?:了)?(?:直播电商)?(?:的)?国家标准|国家标准"), "standard_level", "national"),
    (re.compile(r"(?:主持|牵头|参与)?制定(?:了)?(?:直播电商)?(?:的)?行业标准|行业标准"), "standard_level", "industry"),
    (re.compile(r"零售型(?:平台)?"), "own_platform_type", "retail"),
    (re.compile(r"批发型(?:平台)?"), "own_platform_type", "wholesale"),
)
_QUESTION_AFTER = re.compile(r"^(?:的|有|能|可以)?[^,，。]{0,6}(?:吗|么|多少|几)")


class LevelFact(BaseModel):
    fact: str
    value: str
    text: str
    start: int
    end: int


def find_levels(text: str, blocked: Sequence[tuple[int, int]] = ()) -> list[LevelFact]:
    out = []
    for pattern, fact in _PATTERNS:
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in blocked):
                continue
            word = m.groupdict().get("level") or m.groupdict().get("level2")
            if word and re.search(r"(?:需要|是否|要求|什么|哪)$", text[max(0, m.start() - 4) : m.start()]) is None:
                out.append(LevelFact(fact=fact, value=LEVEL_WORDS[word], text=m.group(), start=m.start(), end=m.end()))
    for pattern, fact, value in _ENUMS:
        for m in pattern.finditer(text):
            if not any(s <= m.start() < e for s, e in blocked) and not any(
                o.start <= m.start() < o.end and o.fact == fact for o in out
            ):
                out.append(LevelFact(fact=fact, value=value, text=m.group(), start=m.start(), end=m.end()))
    out.sort(key=lambda x: x.start)
    return out
