"""Which awards an answer shows: real rules and engine, the retrieval signal given explicitly."""

import datetime as dt

from assistant.dialogue.selection import select_awards
from assistant.rules.engine import evaluate_policies

TODAY = dt.date(2026, 11, 23)


def select(policies, facts, ranked=(), topics=()):
    awards = evaluate_policies(policies, facts, today=TODAY).awards
    stated = [k for k in facts if k != "entity_kind"]
    return select_awards(
        awards, stated_facts=stated, relevant_clauses=set(ranked), topic_words=topics, kind_known="entity_kind" in facts
    )


def live(sel):
    return {(a.rule_id, a.amount_yuan) for a in [*sel.eligible, *sel.conditional]}


def test_a_self_broadcasting_enterprise_is_not_offered_the_mcn_branch():
    sel = select(
        ["zibo-2022"],
        {
            "entity_kind": "enterprise",
            "self_broadcast": True,
            "in_statistics": True,
            "livestream_online_retail_sales": "1999万元",
        },
        ranked=[("zibo-2022", "五")],
        topics=["直播电商"],
    )
    assert not [a for a in [*sel.eligible, *sel.conditional] if a.clause_id == "五"]
    assert "zibo-2022/zibo-zhibo" in {a.rule_id for a in sel.near_misses}


def test_a_broader_kind_with_the_figure_the_mcn_rule_measures_still_sees_it():
    sel = select(
        ["zibo-2022"],
        {"entity_kind": "livestream_company", "in_statistics": True, "online_retail_sales": "6000万元"},
        ranked=[("zibo-2022", "五")],
    )
    assert ("zibo-2022/mcn-jigou", 300000) in live(sel)


def test_a_stand_in_figure_counts_as_the_users_own():
    # 网络零售额 stands in for 网络销售额 (chiping 三（一）3): the rule is touched, not merely ranked.
    sel = select(
        ["chiping-2022", "liaocheng-2022"],
        {"entity_kind": "enterprise", "online_retail_sales": "3000万元", "sells_local_agricultural_products": False},
    )
    assert ("chiping-2022/peiyu-zhuti", 60000) in live(sel)


def test_a_rule_for_an_event_the_user_never_mentioned_is_not_offered():
    sel = select(
        ["chiping-2022"],
        {
            "entity_kind": "enterprise",
            "registered_locally": True,
            "demo_level": "city",
            "demo_award_date": "2022-08-01",
        },
        ranked=[("chiping-2022", "三（一）1")],
    )
    assert not [a for a in [*sel.eligible, *sel.conditional] if a.clause_id == "三（一）1"]
    # the clause the user is about is told as not met, with the reason
    miss = {a.rule_id: a for a in sel.near_misses}
    assert "chiping-2022/shifan-chuangjian" in miss
    assert any("2023年1月1日" in f for f in miss["chiping-2022/shifan-chuangjian"].failed)
    # once the user says they moved in from outside, the relocation branch is back
    sel = select(
        ["chiping-2022"], {"entity_kind": "enterprise", "relocated_demo_enterprise": True, "demo_level": "city"}
    )
    assert ("chiping-2022/shifan-ruzhu", 200000) in live(sel)


def test_a_figure_just_short_settles_the_answer_and_crowds_out_ranked_only_clauses():
    sel = select(
        ["jining-2022"],
        {"entity_kind": "enterprise", "data_year": 2023, "physical_online_retail_sales": "4999万元"},
        ranked=[("jining-2022", "二")],
    )
    assert not [a for a in [*sel.eligible, *sel.conditional] if a.clause_id == "二"]
    near = [a for a in sel.near_misses if a.rule_id == "jining-2022/longtou-2023"]
    assert near and "1万元" in near[0].gap


def test_a_sibling_excluding_the_stated_type_is_not_a_near_miss():
    sel = select(
        ["jinyun-2025"],
        {
            "entity_kind": "platform_company",
            "own_platform_type": "retail",
            "own_platform_first_award_year": False,
            "own_platform_sales_growth": "1.2亿元",
        },
    )
    assert ("jinyun-2025/pingtai-lingshou", 200000) in live(sel)
    assert "jinyun-2025/pingtai-pifa" not in {a.rule_id for a in sel.near_misses}


def test_an_applicant_with_two_roles_keeps_the_awards_of_each():
    from assistant.dialogue.selection import evaluate_for_roles

    facts = {
        "entity_kind": "livestream_base",
        "online_retail_sales": "1.1亿元",
        "in_statistics": True,
        "independent_legal_person": True,
        "newly_registered_this_year": False,
    }
    alone = {(a.clause_id, a.status) for a in evaluate_policies(["liaocheng-2022"], facts, today=TODAY).awards}
    both = evaluate_for_roles(["liaocheng-2022"], facts, ["livestream_company"], today=TODAY)
    by_clause = {}
    for a in both.awards:
        by_clause.setdefault(a.clause_id, []).append(a)
    # 流量补贴 (二) is an enterprise's award: failed for the base alone, kept through the company role
    assert ("二", "ineligible") in alone
    assert any(a.status != "ineligible" and a.amount_yuan == 44000 for a in by_clause["二"])
    # one verdict per rule, never the same rule twice
    assert len({(a.policy_id, a.rule_id) for a in both.awards}) == len(both.awards)
    assert (
        evaluate_for_roles(["liaocheng-2022"], facts, [], today=TODAY).awards
        == evaluate_policies(["liaocheng-2022"], facts, today=TODAY).awards
    )


def test_the_commission_branch_picked_by_its_own_facts_hides_the_self_broadcast_branch():
    # 第五条: 第三方直播机构 + 佣金 pick the 佣金 branch; 自播 was never said, so its tier is not a second award
    sel = select(
        ["zibo-2022"],
        {
            "entity_kind": "production_enterprise",
            "cooperates_with_livestream_agency": True,
            "livestream_commission": "80万元",
            "in_statistics": True,
            "livestream_online_retail_sales": "2500万元",
        },
        ranked=[("zibo-2022", "五")],
    )
    rules = {a.rule_id for a in [*sel.eligible, *sel.conditional]}
    assert "zibo-2022/zhibo-yongjin" in rules and "zibo-2022/zibo-zhibo" not in rules


def test_a_branch_with_a_stated_fact_of_its_own_is_kept_beside_its_sibling():
    # 济宁一: the rural ranking is stated; a growth fact only the other ranking rule reads does not hide it
    sel = select(
        ["jining-2022"],
        {"entity_kind": "county", "county_rank_rural_online_retail": 3, "county_growth_above_averages": True},
    )
    assert "jining-2022/xian-nongcun-wangling" in {a.rule_id for a in [*sel.eligible, *sel.conditional]}
