import pytest

from assistant.nlu.gazetteer import load_gazetteer


@pytest.mark.parametrize(
    "text, name, level, parents",
    [
        ("我在聊城开了一家直播公司", "聊城市", "city", ["山东省"]),
        ("茌平区电商企业", "茌平区", "district", ["山东省", "聊城市"]),
        ("茌平的企业", "茌平区", "district", ["山东省", "聊城市"]),
        ("缙云达人号", "缙云县", "district", ["浙江省", "丽水市"]),
        ("景宁的企业", "景宁畲族自治县", "district", ["浙江省", "丽水市"]),
        ("淄博张店的公司", "张店区", "district", ["山东省", "淄博市"]),
        ("我在上海开了一家网店", "上海市", "province", []),
        ("深圳的企业", "深圳市", "city", ["广东省"]),
        ("临沂的企业", "临沂市", "city", ["山东省"]),
        ("山东省淄博市张店区", "张店区", "district", ["山东省", "淄博市"]),
        ("公司开在济宁", "济宁市", "city", ["山东省"]),
        ("曲阜的企业", "曲阜市", "district", ["山东省", "济宁市"]),
    ],
)
def test_resolve(text, name, level, parents):
    best, _ = load_gazetteer().resolve(text)
    assert best is not None
    assert (best.place.name, best.place.level, best.place.parents) == (name, level, parents)


def test_most_specific_place_wins_whatever_the_order():
    gaz = load_gazetteer()
    for text in ("聊城茌平的企业", "茌平，聊城的企业", "我在茌平区，属于聊城市"):
        best, others = gaz.resolve(text)
        assert best.place.name == "茌平区" and others == []


def test_unrelated_second_place_is_reported():
    best, others = load_gazetteer().resolve("茌平的企业想去济宁发展")
    assert best.place.name == "茌平区" and [o.place.name for o in others] == ["济宁市"]


@pytest.mark.parametrize("text", ["在国外开店", "海外仓", "我们有海外仓和国外客户", "市场主体", "城市北部"])
def test_not_places(text):
    assert load_gazetteer().resolve(text) == (None, [])


def test_negated_place_is_skipped():
    best, _ = load_gazetteer().resolve("不在上海，在济宁")
    assert best.place.name == "济宁市"


def test_lookup_short_and_old_names():
    gaz = load_gazetteer()
    assert gaz.lookup("茌平").name == "茌平区"
    assert gaz.lookup("茌平县").name == "茌平区"
    assert gaz.lookup("聊城").name == "聊城市"
    assert gaz.lookup("缙云").name == "缙云县"
    assert gaz.lookup("火星") is None
    assert {p.name for p in gaz.children(gaz.lookup("聊城市"))} == {
        "东昌府区",
        "茌平区",
        "临清市",
        "阳谷县",
        "莘县",
        "东阿县",
        "冠县",
        "高唐县",
    }


# Which policies cover a place: tests/units/test_regions.py (the one region resolver).


def test_a_national_name_inside_ordinary_words_is_not_a_place():
    # 「建成县域」 is 建成 + 县域, not 成县 (甘肃); the county itself still resolves when it is a word of its own
    g = load_gazetteer()
    best, others = g.resolve("一个物流园建成县域快递物流配送中心")
    assert best is None and others == []
    best, _ = g.resolve("我在成县开了网店")
    assert best is not None and best.place.name == "成县"
