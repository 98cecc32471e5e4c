"""A misspelt place name in free text (one look-alike character wrong): read through the gazetteer's tolerant lookup, and only
where a place name stands — before a level word (区/县/市) or where a clause opens (「X平企业…」「我在X平开了…」),
and not where its edge glues into an ordinary word (「我们和…」 holds no 们和).
The reading is always said as an assumption; a name that is itself a place, or an everyday word, is never
re-read (Gazetteer.lookup_tolerant refuses both)."""

from __future__ import annotations

import re

from .gazetteer import PlaceMention, _inside_a_word, load_gazetteer

_LEVEL_AFTER = frozenset("区县市")
_OPENS = re.compile(r"(?:^|[,，。;；!！?？\s、]|在|是|位于|地处)$")
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")


def misspelt_place(text: str) -> tuple[PlaceMention, str] | None:
    """The first misspelt place name in ``text`` and the assumption line to show, or None."""
    gaz = load_gazetteer()
    for i in range(len(text) - 1):
        opens = _OPENS.search(text, max(0, i - 2), i) is not None
        for size in (3, 2):
            word = text[i : i + size]
            if len(word) < size or not _CJK.match(word):
                continue
            if not opens and text[i + size : i + size + 1] not in _LEVEL_AFTER:
                continue
            if _inside_a_word(text, i, i + size):
                continue  # 「我们和…」: 们和 ends a word at one edge and starts none — not a name
            match = gaz.lookup_tolerant(word)
            if match is not None and match.assumption:
                return PlaceMention(place=match.place, text=word, start=i, end=i + size), match.assumption
    return None
