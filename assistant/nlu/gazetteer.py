"""Places (province ⊃ city ⊃ district/county) named in a question, and the policies that cover them.

Data: nlu/data/places.yaml. Places without any policy are listed on purpose: 「我在上海开网店」
must be recognised as a place so the answer can say no policy in the corpus covers it.
Coverage is computed from ``PolicyMeta.jurisdiction`` — no policy id is hard-coded.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from assistant.models import Jurisdiction, PolicyMeta

PlaceLevel = Literal["province", "city", "district"]
DATA_FILE = Path(__file__).parent / "data" / "places.yaml"

# Suffixes stripped to make the short name users type (茌平区 → 茌平, 景宁畲族自治县 → 景宁).
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "畲族自治县", "自治区", "自治县", "省", "市", "区", "县")
# Short names that would be ordinary words (市中区 → 「市中」, 河东区 → 「河东」).
_NO_SHORT = {"市中区", "市南区", "市北区", "河东区", "上城区", "市中", "城阳区", "钱塘区", "西湖区", "临平区"}
# 「不在上海」「除了北京」: a place named only to exclude it.
_NEGATED_BEFORE = re.compile(r"(?:不在|不是在|不是|除了|而非|并非|不去|离开了?)$")


class Place(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str  # full name: 茌平区
    level: PlaceLevel
    province: str
    city: str | None = None
    district: str | None = None
    municipality: bool = False  # 北京市 etc.: a province-level city

    @property
    def parents(self) -> list[str]:
        """Enclosing places, outermost first: 茌平区 → [山东省, 聊城市]."""
        if self.level == "district":
            return [self.province, self.city or ""]
        if self.level == "city":
            return [self.province]
        return []

    @property
    def full_name(self) -> str:
        """山东省聊城市茌平区."""
        return "".join(p for p in (self.province, self.city, self.district) if p)

    def jurisdiction(self) -> Jurisdiction:
        return Jurisdiction(province=self.province, city=self.city, district=self.district)

    def contains(self, other: "Place") -> bool:
        """True if ``other`` is this place or lies inside it."""
        if self.level == "province":
            return other.province == self.province
        if self.level == "city":
            return other.province == self.province and other.city == self.city
        return other == self


class PlaceMention(BaseModel):
    place: Place
    text: str  # the words as written: 茌平
    start: int
    end: int


class PolicyCoverage(BaseModel):
    place: Place
    policies: list[str] = Field(default_factory=list)  # policies in force *for* this place (own level and above)
    district_policies: list[str] = Field(default_factory=list)  # policies of places below it (apply only there)


def _short_names(name: str) -> list[str]:
    if name in _NO_SHORT:
        return []
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return [name[: -len(suffix)]]
    return []


class Gazetteer:
    def __init__(self, data: dict) -> None:
        self.places: dict[str, Place] = {}
        self.names: dict[str, str] = {}  # any written name → full name
        for province, pdata in data.items():
            if province.startswith("_"):
                continue
            pdata = pdata or {}
            muni = bool(pdata.get("municipality"))
            self._add(Place(name=province, level="province", province=province, municipality=muni), pdata.get("short", []))
            for city, cdata in (pdata.get("cities") or {}).items():
                cdata = cdata or {}
                self._add(Place(name=city, level="city", province=province, city=city), cdata.get("short", []))
                for district in cdata.get("districts") or []:
                    self._add(Place(name=district, level="district", province=province, city=city, district=district), [])
        for alias, full in (data.get("_aliases") or {}).items():
            if full not in self.places:
                raise ValueError(f"places.yaml: alias {alias} names unknown place {full}")
            self.names.setdefault(alias, full)
        words = sorted(self.names, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, words)))

    def _add(self, place: Place, extra: Iterable[str]) -> None:
        if place.name in self.places:
            raise ValueError(f"places.yaml: {place.name} listed twice")
        self.places[place.name] = place
        for word in (place.name, *_short_names(place.name), *extra):
            self.names.setdefault(word, place.name)

    def lookup(self, name: str) -> Place | None:
        """Full or short name → Place (茌平 → 茌平区); None if unknown."""
        full = self.names.get(name.strip())
        return self.places.get(full) if full else None

    def children(self, place: Place) -> list[Place]:
        return [p for p in self.places.values() if p != place and place.contains(p)]

    def find(self, text: str) -> list[PlaceMention]:
        """Every place named in ``text`` (longest name wins at each position; negated mentions skipped)."""
        out = []
        for m in self._pattern.finditer(text):
            if _NEGATED_BEFORE.search(text, max(0, m.start() - 4), m.start()):
                continue
            place = self.places[self.names[m.group()]]
            out.append(PlaceMention(place=place, text=m.group(), start=m.start(), end=m.end()))
        return out

    def resolve(self, text: str) -> tuple[PlaceMention | None, list[PlaceMention]]:
        """The place the question is about, and the other places named.

        Most specific wins (茌平 over 聊城); among equals, one whose parent is also named, then the first.
        """
        mentions = self.find(text)
        if not mentions:
            return None, []
        rank = {"district": 3, "city": 2, "province": 1}

        def score(item: tuple[int, PlaceMention]) -> tuple[int, int, int]:
            i, pm = item
            backed = sum(1 for o in mentions if o is not pm and o.place.contains(pm.place))
            return (rank[pm.place.level], backed, -i)

        best = max(enumerate(mentions), key=score)[1]
        others = [m for m in mentions if m.place != best.place and not m.place.contains(best.place)]
        return best, others


@lru_cache(maxsize=4)
def load_gazetteer(path: Path = DATA_FILE) -> Gazetteer:
    return Gazetteer(yaml.safe_load(path.read_text(encoding="utf-8")))


def _as_place(place: Place | str) -> Place | None:
    if isinstance(place, Place):
        return place
    return load_gazetteer().lookup(str(place))


def _policy_place(meta: PolicyMeta) -> Place | None:
    """The place a policy's jurisdiction names, canonicalised through the gazetteer (聊城 = 聊城市)."""
    gaz = load_gazetteer()
    j = meta.jurisdiction
    for name in (j.district, j.city, j.province):
        if name:
            place = gaz.lookup(name)
            if place is not None:
                return place
    return None


def coverage(place: Place | str, policies: Sequence[PolicyMeta]) -> PolicyCoverage | None:
    """Policies for ``place``: its own and every enclosing level's; policies of places inside it separately."""
    target = _as_place(place)
    if target is None:
        return None
    own, below = [], []
    for meta in policies:
        where = _policy_place(meta)
        if where is None:
            continue
        if where.contains(target):
            own.append(meta.id)
        elif target.contains(where):
            below.append(meta.id)
    return PolicyCoverage(place=target, policies=sorted(own), district_policies=sorted(below))


def covering_policies(place: Place | str, policies: Sequence[PolicyMeta]) -> list[str]:
    """Ids of the policies that apply in ``place`` (茌平区 → chiping-2022, liaocheng-2022); [] if none/unknown."""
    cov = coverage(place, policies)
    return cov.policies if cov else []


def policies_below(place: Place | str, policies: Sequence[PolicyMeta]) -> list[str]:
    """Ids of policies of places inside ``place`` (聊城市 → chiping-2022): they apply only there."""
    cov = coverage(place, policies)
    return cov.district_policies if cov else []
