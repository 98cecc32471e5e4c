"""Engine behaviour on synthetic rules: every award form, caps, stacking, assumptions, and properties."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from rules_helpers import book_from

from assistant.rules.engine import evaluate, evaluate_policies
from assistant.rules.loader import load_rulebook

TODAY = dt.date(2025, 6, 30)

BOOK = book_from(
    """
    policy_id: synth-2099
    stacking:
      - {id: synth-2099/g, clause_id: 一, quote: 就高不重复, rules: [synth-2099/fixed, synth-2099/ceiling]}
    payment:
      clause_id: 一
      quote: 当年拨付50%，次年拨付剩余50%
      instalments: [{label: 当年, share: "50%"}, {label: 次年, share: "50%"}]
      rules: [synth-2099/fixed]
    funds:
      - {kind: pool, clause_id: 一, quote: 全市补贴总额不超过500万元, amount: "500万元", rules: [synth-2099/per-unit], message: 全市补贴总额不超过500万元}
    contribution_caps:
      - {clause_id: 一, quote: 不得超过企业对地方贡献数的20%, share: "20%", rules: [synth-2099/per-unit]}
    rules:
      - id: synth-2099/fixed
        clause_id: 一
        title: 固定
        applicants: [enterprise]
        award: {form: fixed, amount: "50万元"}
        reference: x
      - id: synth-2099/ceiling
        clause_id: 一
        title: 上限
        applicants: [enterprise]
        award: {form: ceiling, amount: "30万元"}
        reference: x
      - id: synth-2099/per-unit
        clause_id: 一
        title: 每万元
        applicants: [enterprise]
        conditions:
          - {fact: physical_online_retail_sales, op: ">=", value: "3000万元"}
        award: {form: per_unit, metric: physical_online_retail_sales, unit: "1万元", rate: "5元", cap: "10万元", ceiling: true}
        reference: x
      - id: synth-2099/mcn
        clause_id: 二
        title: MCN
        applicants: [mcn]
        award: {form: fixed, amount: "20万元"}
        reference: x
      - id: synth-2099/halve
        clause_id: 二
        title: 减半
        applicants: [enterprise, individual_business]
        award:
          form: tiers
          metric: online_sales
          per_year: {years: [2023, 2024]}
          halve_thresholds_when: {fact: sells_local_agricultural_products, wording: 标准减半}
          tiers:
            - {value: "500万元", amount: "3万元"}
            - {value: "1000万元", amount: "6万元"}
            - {value: "5000万元", amount: "10万元"}
            - {value: "1亿元", amount: "15万元"}
        reference: x
      - id: synth-2099/step
        clause_id: 二
        title: 每增长
        applicants: [park]
        award: {form: per_step, metric: online_retail_sales_growth, step: "1亿元", amount: "10万元", cap: "30万元"}
        reference: x
      - id: synth-2099/town
        clause_id: 三
        title: 电商镇
        applicants: [town]
        conditions:
          - any_of:
              - {fact: ecommerce_villages, op: ">", value: "3个"}
              - {fact: online_retail_sales, op: ">", value: "1亿元"}
              - all_of:
                  - {fact: online_retail_sales, op: ">", value: "6000万元"}
                  - {fact: active_shops, op: ">", value: "100个"}
        award: {form: ceiling, amount: "50万元"}
        reference: x
      - id: synth-2099/events
        clause_id: 三
        title: 活动
        applicants: [enterprise]
        award: {form: percent, base: event_cost, rate: "30%", ceiling: true, cap: "6万元", count: {fact: event_count, max: "5场"}}
        reference: x
      - id: synth-2099/talent
        clause_id: 三
        title: 引才
        applicants: [enterprise]
        award: {form: percent, base: anchor_recruitment_cost, rate: "20%", cap: "20万元", count: {fact: anchors_recruited}, total_cap: "60万元"}
        reference: x
      - id: synth-2099/open
        clause_id: 三
        title: 一事一议
        applicants: [enterprise]
        award: {form: discretionary, wording: 一事一议, max: "20万元"}
        reference: x
    """
)
R = BOOK.rules


def ev(rule_id: str, **facts):
    return evaluate(R[rule_id], facts, TODAY, book=BOOK)


def test_fixed_and_payment_schedule():
    a = ev("synth-2099/fixed", entity_kind="enterprise")
    assert (a.status, a.amount_yuan, a.is_ceiling) == ("eligible", Decimal(500000), False)
    assert [(i.label, i.amount_yuan) for i in a.instalments] == [("当年", 250000), ("次年", 250000)]
    assert any("分期拨付" in w for w in a.warnings)


def test_ceiling_flagged():
    a = ev("synth-2099/ceiling", entity_kind="enterprise")
    assert a.amount_yuan == 300000 and a.is_ceiling and a.amount_text == "最高30万元"


def test_per_unit_whole_units_cap_pool_and_contribution():
    a = ev(
        "synth-2099/per-unit",
        entity_kind="enterprise",
        physical_online_retail_sales="5000.9万元",
        local_contribution="1000万元",
    )
    assert a.amount_yuan == 25000 and a.is_ceiling  # 5000 whole units × 5元
    assert "全市补贴总额不超过500万元" in a.warnings
    a = ev(
        "synth-2099/per-unit",
        entity_kind="enterprise",
        physical_online_retail_sales="2.5亿元",
        local_contribution="1000万元",
    )
    assert a.amount_yuan == 100000  # 125,000 capped
    a = ev(
        "synth-2099/per-unit",
        entity_kind="enterprise",
        physical_online_retail_sales="2.5亿元",
        local_contribution="30万元",
    )
    assert a.amount_yuan == 60000  # 20% of 30万
    a = ev("synth-2099/per-unit", entity_kind="enterprise", physical_online_retail_sales="2.5亿元")
    assert a.status == "conditional" and "local_contribution" in {m.fact for m in a.missing}


def test_fallback_is_an_assumption():
    a = ev("synth-2099/per-unit", entity_kind="enterprise", online_retail_sales="5000万元", local_contribution="1亿元")
    assert a.status == "conditional" and a.amount_yuan == 25000
    assert [s.used for s in a.assumptions] == ["online_retail_sales"]
    assert "physical_online_retail_sales" in {m.fact for m in a.missing}


def test_kind_hierarchy():
    assert ev("synth-2099/mcn", entity_kind="mcn").status == "eligible"
    broader = ev("synth-2099/mcn", entity_kind="enterprise")
    assert broader.status == "conditional" and broader.missing[0].fact == "entity_kind"
    assert ev("synth-2099/mcn", entity_kind="village").status == "ineligible"
    assert ev("synth-2099/fixed", entity_kind="mcn").status == "eligible"  # MCN is an enterprise


def test_halving_known_and_unknown():
    a = ev(
        "synth-2099/halve",
        entity_kind="individual_business",
        online_sales="600万元",
        sells_local_agricultural_products=False,
    )
    assert (a.status, a.amount_yuan, a.per_year, a.years) == ("eligible", 30000, True, [2023, 2024])
    a = ev(
        "synth-2099/halve",
        entity_kind="individual_business",
        online_sales="600万元",
        sells_local_agricultural_products=True,
    )
    assert (a.status, a.amount_yuan) == ("eligible", 60000)  # 600万 ≥ 1000万/2
    a = ev("synth-2099/halve", entity_kind="individual_business", online_sales="600万元")
    assert a.status == "conditional" and a.amount_yuan == 30000
    assert "sells_local_agricultural_products" in {m.fact for m in a.missing}
    a = ev("synth-2099/halve", entity_kind="individual_business", online_sales="300万元")
    assert a.status == "conditional" and a.amount_yuan == 30000  # only the halved reading reaches a tier
    a = ev("synth-2099/halve", entity_kind="individual_business", online_sales="200万元")
    assert a.status == "ineligible"


def test_any_of_groups():
    town = "synth-2099/town"
    assert ev(town, entity_kind="town", ecommerce_villages=4).status == "eligible"
    assert (
        ev(town, entity_kind="town", ecommerce_villages=3, online_retail_sales="1亿元", active_shops=100).status
        == "ineligible"
    )
    assert (
        ev(town, entity_kind="town", ecommerce_villages=3, online_retail_sales="7000万元", active_shops=101).status
        == "eligible"
    )
    unknown = ev(town, entity_kind="town", ecommerce_villages=3)
    assert unknown.status == "conditional" and "online_retail_sales" in {m.fact for m in unknown.missing}


def test_percent_per_item_count_and_caps():
    a = ev("synth-2099/events", entity_kind="enterprise", event_cost="30万元", event_count=7)
    assert a.amount_yuan == 300000 and a.is_ceiling  # min(9万, 6万) × min(7, 5)
    a = ev("synth-2099/events", entity_kind="enterprise", event_cost="10万元", event_count=2)
    assert a.amount_yuan == 60000
    a = ev("synth-2099/talent", entity_kind="enterprise", anchor_recruitment_cost="150万元", anchors_recruited=4)
    assert a.amount_yuan == 600000  # 4 × 20万 = 80万 → 60万 per year
    # Count unknown: the stated item pays its own figure (50万 × 20% = 10万), conditional, and the count is asked.
    a = ev("synth-2099/talent", entity_kind="enterprise", anchor_recruitment_cost="50万元")
    assert a.status == "conditional" and a.amount_yuan == 100000 and a.max_yuan == 600000
    assert "anchors_recruited" in {m.fact for m in a.missing}
    a = ev("synth-2099/events", entity_kind="enterprise", event_cost="30万元")
    assert a.status == "conditional" and a.amount_yuan == 60000  # one event: min(9万, 单场6万)


def test_discretionary():
    a = ev("synth-2099/open", entity_kind="enterprise")
    assert a.status == "eligible" and a.amount_yuan is None and a.max_yuan == 200000 and a.discretionary


def test_stacking_best_total_and_breakdown():
    e = evaluate_policies(["synth-2099"], {"entity_kind": "enterprise"}, TODAY, book=BOOK)
    assert e.best_total_yuan == 500000  # fixed 50万 beats ceiling 30万 (same group); others lack data
    excluded = {b.rule_id: b for b in e.total_breakdown if not b.counted}
    assert "就高不重复" in excluded["synth-2099/ceiling"].reason


def test_json_numbers():
    a = ev("synth-2099/fixed", entity_kind="enterprise")
    data = json.loads(json.dumps(a.to_json()))
    assert data["amount_yuan"] == 500000 and isinstance(data["amount_yuan"], int)


def test_unknown_fact_name_rejected():
    import pytest

    from assistant.facts import FactsError

    with pytest.raises(FactsError) as err:
        ev("synth-2099/fixed", entity_kind="enterprise", online_retial_sales=1)
    assert "online_retail_sales" in str(err.value)


# --- properties -----------------------------------------------------------------------------------

money = st.integers(min_value=0, max_value=5 * 10**9)


@settings(max_examples=200, deadline=None)
@given(a=money, b=money)
def test_tier_awards_never_fall_as_metric_grows(a, b):
    lo, hi = sorted((a, b))
    book = load_rulebook()
    rule = book.rules["jinyun-2025/darenhao"]
    x = evaluate(rule, {"entity_kind": "influencer_account", "followers": lo, "negative_news": False}, TODAY, book=book)
    y = evaluate(rule, {"entity_kind": "influencer_account", "followers": hi, "negative_news": False}, TODAY, book=book)
    assert (x.amount_yuan or 0) <= (y.amount_yuan or 0)


@settings(max_examples=200, deadline=None)
@given(x=money, contribution=money)
def test_per_unit_counts_whole_units_and_respects_caps(x, contribution):
    a = ev(
        "synth-2099/per-unit", entity_kind="enterprise", physical_online_retail_sales=x, local_contribution=contribution
    )
    if x < 30_000_000:
        assert a.status == "ineligible" and a.amount_yuan is None
        return
    expected = min(Decimal(x // 10000 * 5), Decimal(100000), Decimal(contribution) * Decimal("0.2"))
    assert a.amount_yuan == expected.quantize(Decimal("0.01")) and a.amount_yuan <= a.max_yuan


@settings(max_examples=200, deadline=None)
@given(g=money)
def test_per_step_whole_steps_capped(g):
    a = ev("synth-2099/step", entity_kind="park", online_retail_sales_growth=g)
    steps = g // 100_000_000
    if steps == 0:
        assert a.status == "ineligible"
    else:
        assert a.amount_yuan == min(steps * 100000, 300000)


@settings(max_examples=150, deadline=None)
@given(sales=money, area=st.integers(0, 200000), growth=st.decimals(0, 100, places=1), fee=money, n=st.integers(0, 50))
def test_no_award_exceeds_its_caps(sales, area, growth, fee, n):
    book = load_rulebook()
    facts = {
        "entity_kind": "ecommerce_enterprise",
        "in_statistics": True,
        "online_retail_sales": sales,
        "rented_area": area,
        "online_retail_sales_growth_rate": growth,
        "online_retail_sales_growth_rate_2yr_avg": growth,
        "booth_fee": fee,
        "third_party_platform_fees": fee,
        "cross_border_export": sales,
        "cross_border_export_usd": sales,
        "cross_border_platforms": n,
        "green_livestream_rooms": n,
        "online_retail_sales_growth": sales,
    }
    e = evaluate_policies(sorted(book.policies), facts, TODAY, book=book)
    for a in e.awards:
        if a.amount_yuan is not None and a.max_yuan is not None:
            assert a.amount_yuan <= a.max_yuan, a.rule_id
        if a.amount_yuan is not None:
            assert isinstance(a.amount_yuan, Decimal) and a.amount_yuan >= 0
