"""Which policies apply to a place, for the search and calc region filters.

Places come from the one gazetteer (assistant.nlu.gazetteer: province ⊃ city ⊃ district,
short names such as 历城 and 济南, places with no policy such as 北京), and coverage from
the policies' own jurisdictions — no policy id is hard-coded. A district gets its own and
its city's policies; a city gets the city's, *not* its districts' (those apply only inside
the district, so the match carries ``lower_level_policy_ids`` for a 「区县政策可能另有规定」
note). As a search filter a province also takes in its cities' policies.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from ..models import PolicyMeta
from ..nlu.gazetteer import Place, coverage, load_gazetteer
from ..textnorm import normalize

Level = Literal["province", "city", "district"]


class RegionMatch(BaseModel):
    query: str
    known: bool
    level: Level | None = None
    name: str = ""  # full name of the matched place, e.g. 济南市历城区
    policy_ids: list[str] = Field(default_factory=list)
    lower_level_policy_ids: list[str] = Field(default_factory=list)  # district policies under a city/province
    message: str | None = None
    assumption: str | None = None  # a misspelt name read as a place (a look-alike character): say so


def _place(text: str) -> tuple[Place | None, str | None]:
    """Exact name first (历城, 济南市), else the place the text is about (山东省济南市历城区), else a
    one-character misspelling of exactly one place (茬平), with the assumption to show."""
    gaz = load_gazetteer()
    place = gaz.lookup(text)
    if place is None:
        mention, _ = gaz.resolve(text)
        place = mention.place if mention else None
    if place is None:
        tolerant = gaz.lookup_tolerant(text)
        if tolerant is not None:
            return tolerant.place, tolerant.assumption
    return place, None


def _display(place: Place) -> str:
    return f"{place.city}{place.name}" if place.level == "district" and place.city else place.name


def resolve_region(name: str, policies: Sequence[PolicyMeta] | None = None) -> RegionMatch:
    """Resolve a place name to the policies that cover it (see module doc for the rule)."""
    if policies is None:
        from ..corpus import load_policies

        policies = load_policies()
    text = normalize(name or "").replace(" ", "")
    place, assumption = _place(text) if text else (None, None)
    cov = coverage(place, policies) if place is not None else None
    if cov is None:
        covered = "、".join(sorted({p.jurisdiction.district or p.jurisdiction.city or p.jurisdiction.province
                                    for p in policies}))
        return RegionMatch(query=name, known=False, message=f"未收录「{name}」的政策，目前收录的地区：{covered}。")
    applies, lower = list(cov.policies), list(cov.district_policies)
    if place.level == "province":  # search filter: the province's city-level policies apply across it
        by_id = {p.id: p for p in policies}
        applies += [i for i in lower if by_id[i].jurisdiction.district is None]
        lower = [i for i in lower if i not in applies]
    match = RegionMatch(query=name, known=True, level=place.level, name=_display(place),
                        policy_ids=applies, lower_level_policy_ids=lower, assumption=assumption)
    if lower:
        match.message = f"{match.name}下辖区县另有政策（{'、'.join(lower)}），区县政策可能另有规定。"
    if not applies and not lower:
        match.message = f"政策库中暂无适用于{match.name}的政策。"
    elif not applies:
        match.message = (match.message or "") + f"{match.name}本级暂无收录的政策。"
    if assumption:
        match.message = f"{assumption}。" + (match.message or "")
    return match


def policies_for_region(name: str, policies: Sequence[PolicyMeta] | None = None) -> list[str]:
    """Ids of the policies applying to ``name`` (empty for an unknown place)."""
    return resolve_region(name, policies).policy_ids


def place_policies(text: str, policies: Sequence[PolicyMeta]) -> list[str]:
    """Policies covering the place a free-text query is about (「济南的分公司…」 → 济南's), [] if it names none."""
    mention, _others = load_gazetteer().resolve(normalize(text or ""))
    if mention is None:
        return []
    cov = coverage(mention.place, policies)
    return list(cov.policies) if cov else []
