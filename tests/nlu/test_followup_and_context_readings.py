"""Readings a follow-up turn, an approximation or the sentence around a figure decide."""

import datetime as dt
from decimal import Decimal

import pytest

from assistant.nlu import parse

TODAY = dt.date(2026, 11, 23)


def turns(*texts):
    q = None
    for t in texts:
        q = parse(t, today=TODAY, previous=q)
    return q


def test_a_year_alone_in_a_follow_up_re_dates_the_figures():
    q = turns(
        "济宁的商贸流通企业，已纳入“企业一套表”法人库，实物商品网络零售额6000万元，能拿多少一次性奖励？",
        "是2023年度的。",
        "那如果是2022年度的呢？",
    )
    assert q.facts["data_year"] == 2022
    assert q.facts["physical_online_retail_sales"] == Decimal(60_000_000)


def test_a_new_figure_in_a_follow_up_replaces_the_old_one():
    q = turns(
        "淄博的生产企业，天猫店原来注册在外地，迁回淄博了",
        "迁回来以后第一年网络零售额大概3200万元。",
        "要是只有2900万呢？",
    )
    assert q.facts["first_year_online_retail_sales"] == Decimal(29_000_000)


@pytest.mark.parametrize(
    "text",
    ["网络零售额将近1个亿", "网络零售额接近1亿", "网络零售额快1亿了", "网络零售额不到1亿", "网络零售额差不多1亿"],
)
def test_close_to_a_figure_from_below_does_not_reach_it(text):
    v = parse(text, today=TODAY).facts["online_retail_sales"]
    assert Decimal(99_000_000) < v < Decimal(100_000_000)


def test_about_a_figure_is_still_that_figure():
    assert parse("网络零售额大约1亿", today=TODAY).facts["online_retail_sales"] == Decimal(100_000_000)


def test_the_parent_companys_founding_year_does_not_make_a_new_shop_old():
    q = parse(
        "我们公司今年在淄博新注册了一家抖音店铺，注册当年就实现纳统，网络零售额42000000元，公司成立于2019年",
        today=TODAY,
    )
    assert q.facts["newly_registered_this_year"] is True


def test_the_shops_own_registration_year_still_decides():
    q = parse("我们的店铺2019年注册，2023年网络零售额3000万", today=TODAY)
    assert q.facts["newly_registered_this_year"] is False


def test_parts_listed_with_fen_bie_add_up_to_the_total():
    q = parse("缙云一家电商企业，参加了两个电商展会，展位费分别是2.8万元和3.5万元", today=TODAY)
    assert q.facts["booth_fee"] == Decimal(63_000)


def test_a_per_unit_cost_names_the_counted_thing_a_word_later():
    q = parse("茌平区我们公司建了30个免费社区智能快递柜终端，每个点终端设备费用8万元", today=TODAY)
    assert q.entity_kind == "smart_locker_operator"
    assert q.facts["smart_locker_equipment_cost"] == Decimal(2_400_000)


def test_someone_working_at_a_company_applies_as_a_person():
    q = parse("我在缙云一家电商公司上班，参加了省商务厅组织的电商专业培训，拿到了省级证书", today=TODAY)
    assert q.entity_kind == "person"
    assert parse("我们在缙云开了一家电商公司", today=TODAY).entity_kind != "person"


def test_a_company_founded_by_the_asker_is_the_applicant():
    q = parse(
        "我们是茌平的一家铝材生产企业，2023年把电商业务剥离出来新成立了一家电商公司，新公司2024年首次纳入茌平区社会消费品零售总额统计",
        today=TODAY,
    )
    assert q.entity_kind == "ecommerce_enterprise"
    assert q.facts["spun_off_from_production"] is True and q.facts["first_in_statistics"] is True


@pytest.mark.parametrize(
    "text, scope",
    [
        ("我们总部在济南，济宁的分公司转成了入库纳统的法人企业", "other_city_in_province"),
        ("我们总部在上海，聊城的分公司转成了法人企业", "outside_province"),
    ],
)
def test_where_the_headquarters_is_relative_to_the_local_place(text, scope):
    assert parse(text, today=TODAY).facts["headquarters_scope"] == scope


def test_no_headquarters_place_no_scope():
    assert "headquarters_scope" not in parse("济宁的分公司转成了法人企业", today=TODAY).facts
