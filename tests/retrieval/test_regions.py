from assistant.corpus import load_policies
from assistant.models import Jurisdiction, PolicyMeta
from assistant.retrieval.regions import policies_for_region, resolve_region


def _ids(name):
    return sorted(policies_for_region(name))


def test_district_gets_its_own_and_its_city_policies():
    assert _ids("茌平") == ["chiping-2022", "liaocheng-2022"]
    assert _ids("茌平区") == ["chiping-2022", "liaocheng-2022"]
    assert _ids("山东省聊城市茌平区") == ["chiping-2022", "liaocheng-2022"]


def test_city_gets_city_policies_and_a_district_note():
    m = resolve_region("聊城")
    assert m.policy_ids == ["liaocheng-2022"]
    assert m.lower_level_policy_ids == ["chiping-2022"]
    assert "区县政策可能另有规定" in m.message


def test_county_and_its_city():
    assert _ids("缙云县") == ["jinyun-2025"]
    m = resolve_region("丽水")
    assert m.known and m.policy_ids == [] and m.lower_level_policy_ids == ["jinyun-2025"]


def test_province_covers_city_level_policies():
    m = resolve_region("山东")
    assert sorted(m.policy_ids) == ["jining-2022", "liaocheng-2022", "zibo-2022"]
    assert m.lower_level_policy_ids == ["chiping-2022"]


def test_unknown_place():
    m = resolve_region("火星市")
    assert not m.known and m.policy_ids == []
    assert "未收录" in m.message


def test_data_driven_from_jurisdictions():
    extra = PolicyMeta(id="x-1", title="t", issuer="i", jurisdiction=Jurisdiction(province="浙江省", city="丽水市"),
                       validity_text="", status="final", source_file="s", text_file="t")
    policies = load_policies() + [extra]
    assert sorted(policies_for_region("缙云", policies)) == ["jinyun-2025", "x-1"]
    assert policies_for_region("丽水", policies) == ["x-1"]


def test_gazetteer_places_resolve_to_their_city():
    # 张店区 has no policy of its own: it gets Zibo's, like any district gets its city's.
    assert _ids("张店") == ["zibo-2022"]
    assert _ids("淄博市张店区") == ["zibo-2022"]


def test_known_place_without_policy_is_known_but_empty():
    m = resolve_region("北京")
    assert m.known and m.policy_ids == []
    assert "暂无适用于北京市的政策" in m.message
