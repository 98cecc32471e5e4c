"""The national place list (GB/T 2260) behind the gazetteer: every county resolves, shared names and
everyday words are never misread, duplicates never stop start-up, one-character misspellings are
read only when a single look-alike place fits."""

import pytest

from assistant.nlu.gazetteer import DATA_FILE, Gazetteer, load_gazetteer, read_divisions


def test_every_county_of_the_code_table_is_a_place():
    gaz = load_gazetteer()
    tree = read_divisions()
    counties = [d for p in tree.values() for c in p["cities"].values() for d in c["districts"]]
    assert len(counties) > 2000
    assert all(any(pl.name == d for pl in gaz.places.values()) for d in counties)
    assert gaz.lookup("昆山").full_name == "江苏省苏州市昆山市"
    assert gaz.lookup("仙桃市").level == "city" and gaz.lookup("仙桃市").province == "湖北省"  # 省直辖
    assert gaz.lookup("北京朝阳区").full_name == "北京市朝阳区"  # a municipality's district
    assert gaz.lookup("延边").name == "延边朝鲜族自治州"


@pytest.mark.parametrize(
    "text",
    [
        "与本地合作社签了购销协议",
        "我在平安路开店",
        "东方甄选直播",
        "在城区开店",
        "长安汽车经销商",
        "朝阳区的公司",
        "和平发展",
    ],
)
def test_everyday_words_and_shared_names_are_not_places(text):
    assert load_gazetteer().resolve(text) == (None, [])


def test_a_shared_name_resolves_when_its_city_is_named():
    gaz = load_gazetteer()
    assert gaz.resolve("长春朝阳区的公司")[0].place.full_name == "吉林省长春市朝阳区"
    assert gaz.lookup("朝阳区") is None and gaz.lookup("市中区").city == "济南市"  # places.yaml decides


def test_duplicates_never_stop_start_up(tmp_path):
    import yaml

    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    data["山东省"]["cities"]["聊城市"]["districts"].append("茌平区")  # the same place twice: merged
    national = read_divisions()
    national["湖北省"]["cities"]["仙桃市"] = {"districts": []}  # again
    national["省直辖县级行政区划"] = {"cities": {"市辖区": {"districts": ["县"]}}}  # a placeholder row
    gaz = Gazetteer(data, national)
    assert gaz.lookup("茌平").full_name == "山东省聊城市茌平区"
    assert gaz.lookup("市辖区") is None and gaz.lookup("省直辖县级行政区划") is None
    data["山东省"]["cities"]["济宁市"]["districts"].append("茌平区")  # a conflicting second listing
    with pytest.warns(UserWarning, match="listed twice"):
        gaz = Gazetteer(data, national)
    assert gaz.lookup("茌平").city == "聊城市"  # the first entry is used


def test_one_character_misspelling_with_an_assumption():
    gaz = load_gazetteer()
    m = gaz.lookup_tolerant("茬平")
    assert m.place.name == "茌平区" and m.meant == "茌平" and "茬平" in m.assumption and "茌平" in m.assumption
    exact = gaz.lookup_tolerant("茌平")
    assert exact.assumption is None
    for text in ("和平", "平按", "火星", "聊成", "茌", "朝阳区"):  # words, no look-alike, too short, shared
        assert gaz.lookup_tolerant(text) is None, text


def test_search_region_filter_reads_a_misspelling_and_says_so():
    from assistant.corpus import load_policies
    from assistant.retrieval.regions import resolve_region

    match = resolve_region("茬平", load_policies())
    assert match.known and "chiping-2022" in match.policy_ids
    assert match.assumption and "茌平" in match.message
