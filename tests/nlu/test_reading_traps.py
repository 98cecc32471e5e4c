"""Readings that must not turn into confident wrong awards: negation scope, the asking part of a question,
dates against the data year, plans, words in another sense, business revenue, 累计 corrections and lists.
Wordings are our own (not the QA sets'), so each mechanism is tested beyond the sentences that revealed it."""

import datetime as dt
from decimal import Decimal

import pytest

from assistant.nlu.booleans import find_bools
from assistant.nlu.parser import parse
from assistant.textnorm import normalize

TODAY = dt.date(2026, 11, 23)


def bools(text):
    return {b.fact: b.value for b in find_bools(normalize(text))}


def facts(text, **kw):
    return parse(text, today=TODAY, **kw).facts


# 1. negation reaches the statement across a verb, a prepositional phrase or a determiner
@pytest.mark.parametrize(
    "text, fact",
    [
        ("我们基地目前还没有拿到任何平台的授牌", "platform_authorized_base"),
        ("公司并没有在当地设立独立法人", "independent_legal_person"),
        ("至今还未进入统计直报系统", "in_statistics"),
        ("这位主播从来没有和任何一家MCN签约", "anchor_signed_with_local_org"),
        ("她一直单干", "anchor_signed_with_local_org"),
    ],
)
def test_negation_scope_reaches_the_statement(text, fact):
    assert bools(text).get(fact) is False


@pytest.mark.parametrize(
    "text, fact",
    [
        ("我们不是分公司而是独立法人", "independent_legal_person"),  # 而是 ends the negation
        ("没有欠税的独立法人企业", "independent_legal_person"),  # 的: the negation is inside a modifier
        ("已经跟本地的MCN机构签约了", "anchor_signed_with_local_org"),
    ],
)
def test_negation_scope_stops_at_a_break(text, fact):
    assert bools(text).get(fact) is True


# 2. words in the asking part name the award; they state nothing about the applicant
@pytest.mark.parametrize(
    "text, fact",
    [
        ("我们公司目前没入库，纳统企业那3万能领吗", "in_statistics"),
        ("公司成立五年了，能享受新成立企业那份补贴吗", "newly_registered_this_year"),
        ("能拿独立法人那档奖励吗", "independent_legal_person"),
    ],
)
def test_asking_part_does_not_state_facts(text, fact):
    got = bools(text)
    assert got.get(fact) is not True


def test_a_subject_before_the_ask_is_still_a_statement():
    assert bools("新注册的直播公司能拿多少奖励") == {"newly_registered_this_year": True}


def test_kind_named_in_the_asking_part_is_not_the_applicant():
    q = parse("临沂一家卖茶叶的企业，能拿自建平台那笔奖励吗", today=TODAY)
    assert q.entity_kind != "platform_company"


def test_amount_in_the_asking_part_is_not_a_figure():
    q = parse("济宁的电商企业，纳统了，60万的那个奖励能拿吗", today=TODAY)
    assert not any(isinstance(v, Decimal) for v in q.facts.values())
    assert not q.clarifications


# 3. a registration year before the data year: not newly registered that year
def test_registration_place_between_year_and_verb():
    f = facts("我们是2020年在高新区登记的电商公司，2024年网络零售额4000万")
    assert f["registration_date"].year == 2020 and f["data_year"] == 2024
    assert f["newly_registered_this_year"] is False


# 4. plans and targets are not achievements
@pytest.mark.parametrize(
    "text",
    [
        "聊城的电商企业，我们打算明年网络零售额冲到8000万，能拿多少？",
        "淄博企业，今年目标是实物商品网络零售额5000万",
        "预计今年网上能卖6000万，能补多少",
    ],
)
def test_plans_are_not_bound(text):
    q = parse(text, today=TODAY)
    assert not any(isinstance(v, Decimal) and v >= 10_000_000 for v in q.facts.values())
    assert any("计划或目标" in a for a in q.assumptions)


# 5. generic words in another sense
def test_a_lease_contract_is_not_a_livestream_contract():
    q = parse("茌平的直播培训机构培训了30名主播，和本地一家公司签了三年的厂房租赁合同", today=TODAY)
    assert q.facts.get("anchor_contract_years") == 0
    assert q.questions and "厂房租赁合同" in q.questions[0]


def test_a_livestream_contract_still_binds():
    q = parse("培训机构今年培训了30名主播，主播都跟本地企业签了两年的直播带货合同", today=TODAY)
    assert q.facts.get("anchor_contract_years") == 2


def test_hiring_a_third_party_to_broadcast_is_not_self_broadcasting():
    q = parse("博山的生产企业，找了外面的达人帮我们直播卖货，纳统直播销售额3000万", today=TODAY)
    assert q.facts.get("self_broadcast") is False
    assert q.facts.get("cooperates_with_livestream_agency") is True
    assert q.entity_kind == "production_enterprise"


def test_a_pronoun_carries_the_recruited_anchors_sales():
    q = parse("茌平公司引进了一名带货主播，她去年直播卖了4000万，猎头费80万", today=TODAY)
    assert q.facts.get("recruited_anchor_livestream_sales") == Decimal("40000000")
    assert "anchor_local_sales" not in q.facts


def test_parcel_share_is_not_a_parcel_count():
    q = parse("淄博的快递物流信息平台，整合了全县七成的快递单量", today=TODAY)
    assert q.facts.get("county_parcel_share") == Decimal("70")
    assert "express_volume" not in q.facts


# 6. business revenue words bind to online sales only when the question says online
def test_revenue_of_a_factory_is_asked_not_bound():
    q = parse("济宁一家机械厂，去年营业额8000万，能拿电商奖励吗", today=TODAY)
    assert "online_retail_sales" not in q.facts
    assert q.clarifications and "营业额8000万" in q.clarifications[0].question


@pytest.mark.parametrize("text", ["济宁一家机械厂，网店去年营业额8000万", "济宁的电商公司，去年营收8000万"])
def test_revenue_binds_when_online(text):
    assert facts(text).get("online_retail_sales") == Decimal("80000000")


def test_confirming_the_revenue_binds_it():
    first = parse("济宁一家机械厂，去年营业额8000万，能拿电商奖励吗", today=TODAY)
    second = parse("是的", today=TODAY, previous=first)
    assert second.facts.get("online_retail_sales") == Decimal("80000000")


# 8. correcting one year of a 累计 figure re-sums with the other years
def test_correcting_one_year_of_an_accumulated_figure():
    first = parse("茌平的快递公司，2023年快递业务量150万件，2024年100万件", today=TODAY)
    assert first.facts["express_volume"] == Decimal("2500000")
    second = parse("不对，2023年是300万件", today=TODAY, previous=first)
    assert second.facts["express_volume"] == Decimal("4000000")
    assert second.facts.get("data_year") == first.facts.get("data_year")


# 9. one item of a list is not the whole
def test_one_item_of_a_list_is_not_bound_as_the_whole():
    q = parse("缙云的电商园区，今年引进了两家企业入驻，网络零售额分别是3000万和4000万", today=TODAY)
    assert "introduced_enterprise_sales" not in q.facts and "online_retail_sales" not in q.facts
    assert any("分别" in x for x in [*q.questions, *(c.question for c in q.clarifications)])


def test_tenths_with_a_half_digit():
    q = parse("淄博的快递物流信息平台，能实时比价，整合了全县八成五的快递单量", today=TODAY)
    assert q.facts.get("county_parcel_share") == Decimal("85")


def test_no_revenue_word_binds_without_online_context():
    from assistant.lexicon import load_lexicon

    for word in load_lexicon().revenue_words.words:
        q = parse(f"济南一家建材厂，{word}6000万", today=TODAY)
        assert not any(isinstance(v, Decimal) for v in q.facts.values()), (word, q.facts)
        assert q.clarifications, word


# 10. a measure beside the one a rule counts is its own figure, not the rule's: 派件 is not 揽收, 一般贸易 is not 跨境电商
def test_delivered_parcels_are_not_the_sent_volume():
    q = parse("县里的快递分拨中心，2024年发件量150万件，派送的倒有600万件", today=TODAY)
    assert q.facts.get("express_volume") == Decimal("1500000")
    assert q.facts.get("express_delivery_volume") == Decimal("6000000")


def test_general_trade_exports_are_not_cross_border():
    q = parse("工厂今年走一般贸易方式出口了200万美元的机械配件", today=TODAY)
    assert "cross_border_export_usd" not in q.facts and "cross_border_export" not in q.facts


# 11. 「没交社保」 states the months of social insurance: none
@pytest.mark.parametrize("text", ["新来的几个人都还没有缴纳社会保险", "这批员工社保一直没交"])
def test_no_social_insurance_is_zero_months(text):
    assert facts(text).get("social_insurance_months") == Decimal(0)


# 12. a part of a count paid per head that nothing explains (「其中2个…」) means the count is not uniform: asked
def test_an_unexplained_part_unbinds_a_per_head_count():
    whole = parse("缙云的直播企业，今年有5个直播间首次评上了省级绿色直播间", today=TODAY)
    assert whole.facts.get("green_livestream_rooms") == Decimal("5")
    q = parse("缙云的直播企业，今年有5个直播间首次评上了省级绿色直播间，其中2个是去年已经评过的", today=TODAY)
    assert "green_livestream_rooms" not in q.facts
    assert any("其中2个" in c.text for c in q.clarifications)


# 13. a statement with words between its parts (纳入…统计) is still the statement — and its negation
def test_statistics_named_with_its_source_between():
    assert bools("店铺目前还没有纳入区统计局的电商网零统计").get("in_statistics") is False
    assert bools("今年已经纳入第三方平台的网络零售统计").get("in_statistics") is True


@pytest.mark.parametrize("text", ["外省一家国家级电商示范企业刚入驻我们区", "我们是外地的市级示范企业今年落户县里"])
def test_a_demo_enterprise_from_elsewhere_moving_in(text):
    assert bools(text).get("relocated_demo_enterprise") is True


# 14. beside a plan, what was actually reached (「只做到」「才做到」) is the achieved figure
def test_the_figure_reached_beside_a_plan_is_bound():
    q = parse("淄博的网店公司，原计划卖4000万，结果只做到2600万", today=TODAY)
    assert q.facts.get("online_retail_sales") == Decimal("26000000")
