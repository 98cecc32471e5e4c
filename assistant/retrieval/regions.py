"""Which policies apply to a place, from the policies' own jurisdictions (no ids hard-coded).

Rule: a place gets the policies of its own level and of every level above it —
a district gets its own, its city's and its province's; a city gets the city's
and the province's, *not* its districts' (those apply only inside the district,
so the match carries ``lower_level_policy_ids`` for a 「区县政策可能另有规定」 note);
a province gets province- and city-level policies under it (search filtering only).
Short names work: 茌平 = 茌平区, 聊城 = 聊城市, 山东 = 山东省. The full gazetteer for
question understanding lives elsewhere; this is the minimal search filter.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from ..models import Jurisdiction, PolicyMeta
from ..textnorm import normalize

Level = Literal["province", "city", "district"]
_SUFFIXES = ("自治区", "自治州", "地区", "新区", "省", "市", "区", "县", "旗", "州")


class RegionMatch(BaseModel):
    query: str
    known: bool
    level: Level | None = None
    name: str = ""  # full name of the matched place, e.g. 聊城市茌平区
    policy_ids: list[str] = Field(default_factory=list)
    lower_level_policy_ids: list[str] = Field(default_factory=list)  # district policies under a city/province
    message: str | None = None


def short_name(name: str) -> str:
    """茌平区 → 茌平, 山东省 → 山东; names that would get too short are kept whole."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _names(full: str) -> set[str]:
    return {full, short_name(full)}


def _place_of(j: Jurisdiction, level: Level) -> tuple[str, str | None, str | None]:
    if level == "province":
        return (j.province, None, None)
    if level == "city":
        return (j.province, j.city, None)
    return (j.province, j.city, j.district)


def _level_of(j: Jurisdiction) -> Level:
    return "district" if j.district else "city" if j.city else "province"


def _display(place: tuple[str, str | None, str | None]) -> str:
    province, city, district = place
    if district:
        return f"{city or ''}{district}"
    return city or province


def _places(policies: Sequence[PolicyMeta]) -> list[tuple[Level, tuple[str, str | None, str | None]]]:
    """Every province, city and district named by some policy's jurisdiction (ancestors included)."""
    seen: dict[tuple, Level] = {}
    for p in policies:
        j = p.jurisdiction
        seen.setdefault(_place_of(j, "province"), "province")
        if j.city:
            seen.setdefault(_place_of(j, "city"), "city")
        if j.district:
            seen.setdefault(_place_of(j, "district"), "district")
    return [(lvl, place) for place, lvl in seen.items()]


def _leaf_name(place: tuple[str, str | None, str | None]) -> str:
    return place[2] or place[1] or place[0]


_RANK = {"district": 3, "city": 2, "province": 1}


def _find_place(text: str, policies: Sequence[PolicyMeta]):
    places = _places(policies)
    exact = [(lvl, pl) for lvl, pl in places if text in _names(_leaf_name(pl))]
    if exact:
        return max(exact, key=lambda x: _RANK[x[0]])
    # 「山东省聊城市茌平区」「茌平的企业」: the most specific place named inside the text.
    contained = [(lvl, pl) for lvl, pl in places if any(n in text for n in _names(_leaf_name(pl)) if len(n) >= 2)]
    if contained:
        return max(contained, key=lambda x: (_RANK[x[0]], len(_leaf_name(x[1]))))
    return None


def resolve_region(name: str, policies: Sequence[PolicyMeta] | None = None) -> RegionMatch:
    """Resolve a place name to the policies that cover it (see module doc for the rule)."""
    if policies is None:
        from ..corpus import load_policies

        policies = load_policies()
    text = normalize(name or "").replace(" ", "")
    found = _find_place(text, policies) if text else None
    if found is None:
        covered = "、".join(sorted({_display(_place_of(p.jurisdiction, _level_of(p.jurisdiction))) for p in policies}))
        return RegionMatch(
            query=name, known=False, message=f"未收录「{name}」的政策，目前收录的地区：{covered}。"
        )
    level, (province, city, district) = found
    applies: list[str] = []
    lower: list[str] = []
    for p in policies:
        j = p.jurisdiction
        if j.province != province:
            continue
        if level == "district":
            if j.city is None or (j.city == city and j.district in (None, district)):
                applies.append(p.id)
        elif level == "city":
            if j.city is None or (j.city == city and j.district is None):
                applies.append(p.id)
            elif j.city == city:
                lower.append(p.id)
        else:  # province: province- and city-level policies; districts only noted
            (applies if j.district is None else lower).append(p.id)
    match = RegionMatch(
        query=name, known=True, level=level, name=_display((province, city, district)),
        policy_ids=applies, lower_level_policy_ids=lower,
    )
    if lower:
        match.message = f"{match.name}下辖区县另有政策（{'、'.join(lower)}），区县政策可能另有规定。"
    if not applies:
        match.message = (match.message or "") + f"{match.name}本级暂无收录的政策。"
    return match


def policies_for_region(name: str, policies: Sequence[PolicyMeta] | None = None) -> list[str]:
    """Ids of the policies applying to ``name`` (empty for an unknown place)."""
    return resolve_region(name, policies).policy_ids
