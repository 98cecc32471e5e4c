"""Format gaps closed: rank limits on the tiers they govern, per-tier requirements, awards summed over items then
capped, factual requirements vs official recognition, a policy's own `facts:` passed through, review marks."""

from __future__ import annotations

import datetime as dt

import pytest
from rules_helpers import book_from

from assistant.facts import FactsError
from assistant.rules.engine import evaluate
from assistant.rules.loader import RuleLoadError, facts_scope
from assistant.rules.provenance import check_policy

TODAY = dt.date(2025, 6, 30)
CLAUSE = (
    "对网络零售额达到1亿元、5亿元的县，分别给予50万元、100万元奖励，其中100万元一档限排名全市前五名。"
    "对年带货额达到1000万元、3000万元的主播，分别给予其签约机构每名主播2万元、5万元奖励，每家机构最高不超过10万元。"
    "签订服务协议且经主管部门认定的，给予3万元奖励。"
)

with facts_scope():  # the declared fact is not used by these rules: forget it afterwards
    BOOK = book_from(
        """
    policy_id: synth-2099
    facts:
      - {name: signed_service_agreement, type: bool, label: 签订服务协议}
    rules:
      - id: synth-2099/rank
        clause_id: 一
        title: 前五名
        applicants: [county]
        award:
          form: tiers
          metric: online_retail_sales
          tiers:
            - {value: "1亿元", amount: "50万元"}
            - {value: "5亿元", amount: "100万元", requirements: [{wording: 限排名全市前五名, kind: rank, fact: county_rank_online_retail}]}
        reference: 对网络零售额达到1亿元、5亿元的县，分别给予50万元、100万元奖励，其中100万元一档限排名全市前五名。
      - id: synth-2099/rank-shown
        clause_id: 一
        title: 前五名（由部门排名）
        applicants: [county]
        award:
          form: tiers
          metric: online_retail_sales
          tiers:
            - {value: "1亿元", amount: "50万元"}
            - {value: "5亿元", amount: "100万元", requirements: [限排名全市前五名]}
        reference: 对网络零售额达到1亿元、5亿元的县，分别给予50万元、100万元奖励，其中100万元一档限排名全市前五名。
      - id: synth-2099/anchors
        clause_id: 一
        title: 每名主播
        applicants: [mcn]
        award:
          form: sum_over_items
          item: 主播
          count: active_anchors
          each:
            form: tiers
            metric: anchor_local_sales
            tiers:
              - {value: "1000万元", amount: "2万元"}
              - {value: "3000万元", amount: "5万元"}
          cap: "10万元"
        reference: 对年带货额达到1000万元、3000万元的主播，分别给予其签约机构每名主播2万元、5万元奖励，每家机构最高不超过10万元。
      - id: synth-2099/agreement
        clause_id: 一
        title: 服务协议
        applicants: [enterprise]
        requirements: [签订服务协议, 经主管部门认定]
        award: {form: fixed, amount: "3万元"}
        reference: 签订服务协议且经主管部门认定的，给予3万元奖励。
        review: needed
    """
    )
R = BOOK.rules


def run(rule_id: str, facts: dict):
    return evaluate(R[rule_id], facts, today=TODAY, book=BOOK)


def test_rank_limit_governs_only_its_tier():
    base = {"entity_kind": "county", "online_retail_sales": "6亿元"}
    assert run("synth-2099/rank", {**base, "county_rank_online_retail": 3}).amount_yuan == 1_000_000
    low = run("synth-2099/rank", {**base, "county_rank_online_retail": 6})
    assert low.status == "eligible" and low.amount_yuan == 500_000  # the 100万 tier is barred, 50万 still paid
    assert any("前五名" in s.text and s.outcome == "fail" for s in low.trace)
    unknown = run("synth-2099/rank", base)
    assert unknown.status == "conditional" and unknown.amount_yuan == 1_000_000
    assert [m.fact for m in unknown.missing] == ["county_rank_online_retail"]
    # below the ranked tier the rank does not matter
    small = run("synth-2099/rank", {"entity_kind": "county", "online_retail_sales": "2亿元"})
    assert small.status == "eligible" and small.amount_yuan == 500_000 and not small.missing


def test_rank_without_a_fact_is_shown_as_the_departments_ranking():
    a = run("synth-2099/rank-shown", {"entity_kind": "county", "online_retail_sales": "6亿元"})
    assert a.amount_yuan == 1_000_000 and a.requirements == ["限排名全市前五名（名次由主管部门评定）"]
    b = run("synth-2099/rank-shown", {"entity_kind": "county", "online_retail_sales": "2亿元"})
    assert b.requirements == []  # the rank governs the top tier only


def test_award_summed_over_items_then_capped():
    facts = {
        "entity_kind": "mcn",
        "items": [
            {"anchor_local_sales": "1200万元"},
            {"anchor_local_sales": "500万元"},
            {"anchor_local_sales": "3500万元"},
        ],
    }
    a = run("synth-2099/anchors", facts)
    assert a.status == "eligible" and a.amount_yuan == 70_000  # 2万 + 0 + 5万
    many = {"entity_kind": "mcn", "items": [{"anchor_local_sales": "3000万元"}] * 3}
    capped = run("synth-2099/anchors", many)
    assert capped.amount_yuan == 100_000 and any(s.kind == "cap" and s.outcome == "applied" for s in capped.trace)
    none = run("synth-2099/anchors", {"entity_kind": "mcn", "items": [{"anchor_local_sales": "10万元"}]})
    assert none.status == "ineligible"
    unknown = run("synth-2099/anchors", {"entity_kind": "mcn", "active_anchors": 4})
    assert unknown.status == "conditional" and unknown.amount_yuan is None and unknown.max_yuan == 100_000
    with pytest.raises(FactsError):
        run("synth-2099/anchors", {"entity_kind": "mcn", "items": "三个主播"})


def test_factual_requirement_is_not_shown_as_recognition():
    a = run("synth-2099/agreement", {"entity_kind": "enterprise"})
    assert a.requirements == ["经主管部门认定"] and a.to_confirm == ["签订服务协议"]
    assert any(s.text == "须符合（请确认）：签订服务协议" for s in a.trace)
    assert not any("认定：签订服务协议" in s.text for s in a.trace)


def test_factual_requirement_bound_to_a_fact_is_asked():
    book = book_from(
        """
        policy_id: synth-2099
        rules:
          - id: synth-2099/signed
            clause_id: 一
            title: 签约主播
            applicants: [anchor]
            requirements: [{wording: 签订服务协议, kind: fact, fact: anchor_signed_with_local_org}]
            award: {form: fixed, amount: "3万元"}
            reference: 签订服务协议且经主管部门认定的，给予3万元奖励。
        """
    )
    rule = book.rules["synth-2099/signed"]
    a = evaluate(rule, {"entity_kind": "anchor"}, today=TODAY, book=book)
    assert a.status == "conditional" and [m.fact for m in a.missing] == ["anchor_signed_with_local_org"]
    assert (
        evaluate(rule, {"entity_kind": "anchor", "anchor_signed_with_local_org": False}, today=TODAY, book=book).status
        == "ineligible"
    )
    assert (
        evaluate(rule, {"entity_kind": "anchor", "anchor_signed_with_local_org": True}, today=TODAY, book=book).status
        == "eligible"
    )


def test_review_needed_marks_the_award():
    a = run("synth-2099/agreement", {"entity_kind": "enterprise"})
    assert a.review_needed and any("尚未经人工核对" in w for w in a.warnings)
    assert not run("synth-2099/rank", {"entity_kind": "county"}).review_needed


def test_policy_facts_pass_through():
    assert BOOK.policies["synth-2099"].facts == [
        {"name": "signed_service_agreement", "type": "bool", "label": "签订服务协议"}
    ]


def test_provenance_of_the_new_forms():
    clauses = {"一": CLAUSE}
    assert check_policy(BOOK.policies["synth-2099"], clauses, "f") == [
        "f: coverage gap: clause 一 of synth-2099 has no coverage entry"
    ]
    wrong = CLAUSE.replace("每名主播2万元", "每名主播3万元")
    assert any(
        "synth-2099/anchors: reference not found verbatim" in p
        for p in check_policy(BOOK.policies["synth-2099"], {"一": wrong}, "f")
    )
    pr = BOOK.policies["synth-2099"].model_copy(deep=True)
    each = pr.rules[2].award.each
    each.tiers[0] = each.tiers[0].model_copy(update={"amount": pr.rules[3].award.amount})  # 3万元, not in the quote
    assert any("award.each.tiers[0].amount figure 「3万元」 is not stated" in p for p in check_policy(pr, clauses, "f"))


@pytest.mark.parametrize(
    "req,msg",
    [
        ("{wording: 经认定, kind: recognition, fact: in_statistics}", "takes no fact"),
        ("{wording: 签订协议, kind: fact, fact: online_retail_sales}", "must be a bool fact"),
        ("{wording: 排名靠前, kind: rank}", "needs max_rank"),
    ],
)
def test_requirement_errors(req, msg):
    with pytest.raises(RuleLoadError, match=msg):
        book_from(f"""
        policy_id: synth-2099
        rules:
          - id: synth-2099/x
            clause_id: 一
            title: x
            applicants: [enterprise]
            requirements: [{req}]
            award: {{form: fixed, amount: "3万元"}}
            reference: x
        """)


def test_declared_facts_can_be_used_and_must_not_clash():
    from assistant.facts import FACTS

    text = """
        policy_id: synth-2099
        facts:
          - {name: synth_service_agreement, type: bool, label: 签订服务协议, meaning: 与主管部门签订服务协议}
        rules:
          - id: synth-2099/a
            clause_id: 一
            title: x
            applicants: [enterprise]
            requirements: [{wording: 签订服务协议, kind: fact, fact: synth_service_agreement}]
            award: {form: fixed, amount: "3万元"}
            reference: 签订服务协议且经主管部门认定的，给予3万元奖励。
        """
    with facts_scope():
        book = book_from(text)
        a = evaluate(book.rules["synth-2099/a"], {"entity_kind": "enterprise"}, today=TODAY, book=book)
        assert a.status == "conditional" and a.missing[0].question == "是否签订服务协议？"
        with pytest.raises(RuleLoadError, match=r"already defined .* differently"):
            book_from(text.replace("type: bool", "type: count"))
    assert "synth_service_agreement" not in FACTS
