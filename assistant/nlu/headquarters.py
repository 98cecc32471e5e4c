"""Where the parent company is, relative to the place the question is about.

「我们总部在省会，本市的分公司转成了法人企业」: policies that reward a branch turning into a local
legal entity name whose branch counts (one policy: 市外企业; another: 省外企业), so the headquarters'
place is a fact of its own: same city, another city of the same province, or another province.
"""

from __future__ import annotations

import re

from .gazetteer import PlaceMention

_HQ = re.compile(r"(?:总部|总公司|母公司|集团公司|集团)(?:设?在|位于|落在|是)")


def headquarters_scope(text: str, places: list[PlaceMention]) -> tuple[str, PlaceMention] | None:
    """(scope, the place named as headquarters) or None when no headquarters place is stated; the
    local place is the first other place named (the question's place resolution does the same)."""
    for m in _HQ.finditer(text):
        where = next((p for p in places if m.end() <= p.start <= m.end() + 2), None)
        local = next((p.place for p in places if p is not where), None)
        if where is None or local is None:
            continue
        hq = where.place
        if hq.province != local.province:
            return "outside_province", where
        if local.city and hq.city == local.city:
            return "same_city", where
        return "other_city_in_province", where
    return None
