"""The one region resolver (assistant.nlu.gazetteer.coverage), pinned in one table.

A place is covered by the policies of its own level and every enclosing one: a district inherits its city's
and its province's, a city its province's. A province does not inherit its cities', nor a city its
districts': those apply only inside them and come back apart. Ask (coverage), search (retrieval.regions)
and calc (rules.regions) must give the same answer for every row.
"""

import pytest

from assistant.corpus import load_policies
from assistant.models import Jurisdiction, PolicyMeta
from assistant.nlu.gazetteer import coverage, place_policies, resolve_region
from assistant.retrieval import regions as search_regions
from assistant.rules.regions import RegionError, policies_for


def meta(pid, province, city=None, district=None):
    return PolicyMeta(
        id=pid,
        title=pid,
        issuer="x",
        jurisdiction=Jurisdiction(province=province, city=city, district=district),
        validity_text="",
        status="final",
        source_file="x",
        text_file="x",
    )


# Synthetic ids, so the table does not follow the corpus: a province policy, two cities, one district under
# each level, a county whose city has no policy, and short names in the metadata (山东, 聊城, 茌平).
POLICIES = [
    meta("prov-sd", "山东省"),
    meta("city-lc", "山东", "聊城"),
    meta("dist-cp", "山东", "聊城", "茌平"),
    meta("city-zb", "山东省", "淄博市"),
    meta("county-jy", "浙江省", "丽水市", "缙云县"),
]

# place as typed → (covering policies, policies of places inside it); None = not a known place
TABLE = [
    ("茌平区", ["city-lc", "dist-cp", "prov-sd"], []),  # a district: its own, its city's, its province's
    ("茌平", ["city-lc", "dist-cp", "prov-sd"], []),
    ("临清市", ["city-lc", "prov-sd"], []),  # a county-level city under 聊城 with no policy of its own
    ("聊城", ["city-lc", "prov-sd"], ["dist-cp"]),  # a city: its own and its province's, not its districts'
    ("张店区", ["city-zb", "prov-sd"], []),
    ("山东", ["prov-sd"], ["city-lc", "city-zb", "dist-cp"]),  # a province: not its cities'
    ("缙云县", ["county-jy"], []),
    ("丽水市", [], ["county-jy"]),  # a city with no policy of its own: nothing covers it
    ("浙江", [], ["county-jy"]),
    ("北京", [], []),  # a known place without policy
    ("上海", [], []),
    ("火星", None, None),
]


@pytest.mark.parametrize(("place", "covering", "inside"), TABLE)
def test_coverage(place, covering, inside):
    cov = coverage(place, POLICIES)
    if covering is None:
        assert cov is None
        return
    assert (cov.policies, cov.district_policies) == (covering, inside)


@pytest.mark.parametrize(("place", "covering", "inside"), TABLE)
def test_search_and_calc_resolve_regions_by_the_same_rule(place, covering, inside):
    for match in (resolve_region(place, POLICIES), search_regions.resolve_region(place, POLICIES)):
        assert match.known == (covering is not None)
        assert match.policy_ids == (covering or []) and match.lower_level_policy_ids == (inside or [])
    if covering:
        assert policies_for(place, POLICIES).policy_ids == covering
    else:
        with pytest.raises(RegionError):
            policies_for(place, POLICIES)


def test_notes_say_what_lies_below_and_what_is_missing():
    assert "区县政策可能另有规定" in resolve_region("聊城", POLICIES).message
    assert "下辖市、区县另有政策（city-lc、city-zb、dist-cp）" in resolve_region("山东", POLICIES).message
    assert "本级暂无收录的政策" in resolve_region("丽水", POLICIES).message
    assert "暂无适用于北京市的政策" in resolve_region("北京", POLICIES).message
    unknown = resolve_region("火星市", POLICIES)
    assert "未收录" in unknown.message and "缙云县" in unknown.message


def test_a_full_address_resolves_to_its_most_specific_place():
    match = resolve_region("山东省聊城市茌平区", POLICIES)
    assert match.name == "聊城市茌平区" and match.policy_ids == ["city-lc", "dist-cp", "prov-sd"]


def test_a_misspelt_place_is_read_and_said():
    match = resolve_region("茬平", POLICIES)
    assert match.known and match.policy_ids == ["city-lc", "dist-cp", "prov-sd"]
    assert match.assumption and "茌平" in match.message


def test_free_text_names_the_place():
    assert place_policies("济南的分公司也想申请", POLICIES) == ["prov-sd"]
    assert place_policies("聊城的直播公司", POLICIES) == ["city-lc", "prov-sd"]
    assert place_policies("没有地名的问题", POLICIES) == []


def test_real_corpus_follows_the_rule():
    """Every corpus policy covers its own place, and a district policy never covers its city."""
    policies = load_policies()
    for p in policies:
        j = p.jurisdiction
        here = j.district or j.city or j.province
        assert p.id in coverage(here, policies).policies
        if j.district:
            assert p.id not in coverage(j.city, policies).policies
            assert p.id in coverage(j.city, policies).district_policies
    # defaults: the region helpers of search and calc read the corpus when no list is passed
    assert search_regions.resolve_region("火星").known is False
