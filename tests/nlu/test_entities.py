import pytest

from assistant.facts import ENTITY_KINDS
from assistant.nlu.entities import find_kinds
from assistant.nlu.mentions import scan_numbers
from assistant.nlu.vocabulary import kind_aliases
from assistant.textnorm import normalize


def kind(text):
    norm = normalize(text)
    return find_kinds(norm, scan_numbers(norm))


def test_every_alias_names_a_real_kind():
    assert set(kind_aliases().values()) <= set(ENTITY_KINDS)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("我在聊城开了一家直播公司", "livestream_company"),
        ("茌平区电商企业在京东卖货", "ecommerce_enterprise"),
        ("我们是一家企业", "enterprise"),
        ("个体工商户能拿吗", "individual_business"),
        ("我是个体户", "individual_business"),
        ("茌平区的小微企业", "micro_enterprise"),
        ("直播电商企业", "livestream_company"),
        ("淄博的MCN机构，独立法人", "mcn"),
        ("mcn机构", "mcn"),
        ("电商园区", "park"),
        ("电商产业园", "ecommerce_park"),
        ("直播基地", "livestream_base"),
        ("跨境电商园区", "cross_border_park"),
        ("我们村", "village"),
        ("行政村", "village"),
        ("乡镇", "town"),
        ("我们县能拿多少", "county"),
        ("培训机构", "training_institution"),
        ("快递公司", "express_company"),
        ("物流配送中心", "logistics_center"),
        ("快递物流信息平台", "logistics_info_platform"),
        ("自建平台", "platform_company"),
        ("外贸企业", "foreign_trade_enterprise"),
        ("生产企业", "production_enterprise"),
        ("工厂", "production_enterprise"),
        ("我是主播", "anchor"),
        ("缙云达人号粉丝1200万", "influencer_account"),
        ("我在上海开了一家网店", "business_entity"),
        ("我开了一家网店，是个体户", "individual_business"),
        ("跨境电商企业", "cross_border_enterprise"),
    ],
)
def test_kinds(text, expected):
    assert kind(text).kind == expected


def test_object_of_a_preposition_is_not_the_applicant():
    r = kind("我是主播，和MCN机构签约了")
    assert r.kind == "anchor"
    assert [m.role for m in r.mentions if m.kind == "mcn"] == ["object"]


def test_counted_kinds_are_not_the_applicant():
    r = kind("配送中心整合了6家快递企业")
    assert r.kind == "logistics_center"
    r = kind("直播基地有40名主播")
    assert r.kind == "livestream_base"


def test_most_specific_subject_wins():
    assert kind("我们企业是一家MCN机构").kind == "mcn"


def test_third_party_platform_is_not_the_applicant():
    assert kind("在京东电商平台开店的企业").kind == "enterprise"


def test_shop_kind_is_an_assumption():
    # a shop is what a business runs: 企业 or 个体工商户 is left open, and the answer says so
    r = kind("我开了一家网店")
    assert r.kind == "business_entity"
    assert "个体工商户" in (r.assumption or "") and "企业" in (r.assumption or "")
    assert kind("淄博新注册了一个店铺").kind == "business_entity"


def test_shop_with_a_kind_word_takes_the_kind():
    assert kind("茌平区服装网店（企业）").kind == "enterprise"
    assert kind("我们厂原来的天猫店铺迁回来了").kind == "production_enterprise"


def test_nothing_named():
    r = kind("能拿多少钱")
    assert r.kind is None and r.mentions == []


def test_in_x_de_y_the_head_is_the_applicant():
    assert kind("聊城某县的县域快递物流配送中心").kind == "logistics_center"
    assert kind("我是MCN机构的主播").kind == "anchor"
    assert kind("我们公司的直播基地有30间直播间").kind == "livestream_base"
    # a broader word for the same thing, or a place the speaker names as themselves, does not move it
    assert kind("我们公司的网店").kind == "enterprise"
    assert kind("我们村的网店有30家").kind == "village"


def test_government_payer_is_never_the_applicant():
    r = kind("县里奖多少")
    assert r.kind is None and [m.role for m in r.mentions] == ["payer"]


def test_later_mentions_of_trained_anchors_are_not_the_applicant():
    text = normalize(
        "聊城一家培训学校，一年培训了25名主播（每人粉丝12万以上），主播都和聊城企业签了一年带货合同，奖励多少？"
    )
    assert find_kinds(text, scan_numbers(text)).kind == "training_institution"
    # without the training verb the 主播 is still who is speaking
    text = normalize("聊城的主播，和聊城企业签了一年带货合同，奖励多少？")
    assert find_kinds(text, scan_numbers(text)).kind == "anchor"
