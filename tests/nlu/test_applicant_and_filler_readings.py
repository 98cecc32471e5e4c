"""Readings from MECHANISM_GAPS gaps 8, 10 and 11 (and the applicant of 「直播培训机构」):
- a facility the business only has (「快递公司，有分拨中心」) describes the applicant, it does not replace it;
- 「本县户口的员工」: 本县 qualifies the staff, it is not the applicant; 「员工25个」 after a hiring verb is a count;
- filler between the topic noun and its figure (「跨境电商那块走了12万美金」) does not hide what is measured."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from assistant import corpus
from assistant.facts import facts_scope
from assistant.nlu import parse as parse_anywhere
from assistant.rules.loader import load_rule_file

FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "policies"
TODAY = dt.date(2026, 11, 23)


# As the pipeline reads: with the loaded policies, so a policy's declared words are read where it applies.
POLICIES = [*corpus.load_policies(), *corpus.load_policies(FIXTURE)]


def parse(text, **kw):
    return parse_anywhere(text, policies=POLICIES, **kw)


@pytest.fixture()
def fixture_facts():
    with facts_scope():
        load_rule_file(FIXTURE / "rules" / "liulin-2024.yaml")
        yield


@pytest.mark.parametrize(
    "text, kind",
    [
        ("柳林县快递公司，有分拨中心，还租了冷库800平方米，能补多少？", "express_company"),
        ("我们是快递企业，自己有一个分拣中心，去年业务量200万件", "express_company"),
        ("柳林县一家直播培训机构，今年培训了主播150人，能补多少？", "training_institution"),
        ("我们是做电商的直播培训机构，能拿多少？", "training_institution"),
    ],
)
def test_the_applicant_is_kept(text, kind):
    assert parse(text, today=TODAY).entity_kind == kind


def test_a_facility_set_up_is_still_the_applicant():
    # the rules that pay a facility name it as the applicant (its operator set it up)
    assert parse("我们新设了一个一级分拨中心，能拿多少？", today=TODAY).entity_kind == "sorting_center"


def test_local_household_staff_are_not_the_applicant_and_are_counted(fixture_facts):
    q = parse("我们柳林的电商公司今年新招了本县户口的员工25个，都签了一年以上合同，能补多少？", today=TODAY)
    assert q.entity_kind == "ecommerce_enterprise"
    assert q.facts.get("new_local_hires") == Decimal(25)


def test_staff_counted_with_ge_are_still_no_metric_without_a_hiring_verb():
    q = parse("我们公司员工50个，网络零售额3000万", today=TODAY)
    assert Decimal(50) not in q.facts.values()
    assert q.facts.get("online_retail_sales") == Decimal(30_000_000)


@pytest.mark.parametrize(
    "text, value",
    [
        ("柳林县的企业，跨境电商那块走了12万美金，能拿多少？", 120_000),
        ("柳林的外贸公司，走9610跨境电商的货一年有15万美金，能奖多少？", 150_000),
    ],
)
def test_filler_after_the_topic_noun(text, value):
    q = parse(text, today=TODAY)
    assert q.facts.get("cross_border_export_usd") == Decimal(value)
    assert any("理解为当年跨境出口额（美元）" in a for a in q.assumptions)


def test_a_yuan_figure_of_cross_border_trade_is_not_read_as_usd_exports():
    q = parse("跨境电商卖了300万元", today=TODAY)
    assert "cross_border_export_usd" not in q.facts
