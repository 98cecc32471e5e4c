"""Answers that must not offer a confident wrong award (own wordings, real NLU, rules and engine)."""


def live(resp, policy, clause=None):
    return [
        a
        for a in resp.awards
        if a.status in ("eligible", "conditional")
        and a.policy_id == policy
        and (clause is None or a.clause_id == clause)
    ]


def test_yuan_export_below_a_usd_threshold_is_proven_missed(pipeline):
    # 90万元 is below 100万美元 at any real rate: the per-platform award is not offered
    r = pipeline.ask("缙云一家外贸公司，今年跨境出口90万元，在亚马逊和eBay两个平台开了店，能奖多少？")
    assert not live(r, "jinyun-2025", "（九）")
    assert any("美元" in a for a in r.profile.get("assumptions", [])) or "美元" in r.answer


def test_yuan_export_far_above_stays_unproven(pipeline):
    # a yuan figure only proves a USD threshold missed; above the bound the award stays conditional on the
    # USD figure, never eligible
    r = pipeline.ask("缙云一家外贸公司，今年跨境出口2000万元，在亚马逊和eBay两个平台开了店，能奖多少？")
    assert all(a.status != "eligible" for a in r.awards if a.clause_id == "（九）")


def test_online_sales_bound_a_physical_goods_threshold(pipeline):
    # 网上卖了不到3000万: the physical-goods figure can be no higher, so 3000万（含）以上 is surely missed
    r = pipeline.ask("淄博的电商企业，今年网上销售额不到3000万，都是实物商品，能拿流量补贴吗？")
    assert not live(r, "zibo-2022", "二")


def test_mcn_not_independent_gets_no_self_broadcast_stand_in(pipeline):
    r = pipeline.ask(
        "淄博的一家MCN机构，是外省公司的分支，没有独立法人资格，纳统网络零售额8000万，在库三年了，能拿奖励吗？"
    )
    assert not live(r, "zibo-2022", "五")


def test_negated_plaque_makes_the_base_award_ineligible(pipeline):
    r = pipeline.ask(
        "聊城的直播基地，直播间50间，活跃主播60人，纳统零售额1.5亿，目前还没拿到任何平台的授牌，能奖50万吗？"
    )
    assert not live(r, "liaocheng-2022", "六")


def test_asking_about_the_statistics_award_does_not_state_it(pipeline):
    r = pipeline.ask("茌平的电商公司，2024年网络零售额800万，目前没入库，纳统奖励那3万能领吗？")
    assert not live(r, "chiping-2022", "三（七）1")


def test_a_plan_gets_no_amount(pipeline):
    r = pipeline.ask("淄博的电商企业，争取明年实物商品网络零售额做到6000万，到时候能补多少？")
    assert all(a.amount_yuan is None for a in live(r, "zibo-2022", "二"))


def test_factory_revenue_is_asked_about(pipeline):
    r = pipeline.ask("淄博一家化工厂，2025年营业收入9000万，能拿电商流量补贴吗？")
    assert all(a.amount_yuan is None for a in live(r, "zibo-2022"))
    assert r.follow_up and "营业收入9000万" in r.follow_up[0]
    r2 = pipeline.ask("是的", session_id=r.session_id)  # confirmed: now it is the online figure
    assert any(a.amount_yuan is not None for a in live(r2, "zibo-2022"))


def test_lease_contract_does_not_qualify_the_training_award(pipeline):
    r = pipeline.ask(
        "聊城的主播培训机构，今年培训了22名十万粉主播，和本地公司签了两年的房屋租赁合同，社保交了8个月，能拿奖励吗？"
    )
    assert not live(r, "liaocheng-2022", "九")
    assert r.follow_up


def test_correcting_one_year_re_sums_the_accumulated_volume(pipeline):
    r1 = pipeline.ask("2022年9月在茌平注册的快递公司，2023年本地发件量150万件，2024年80万件，能拿多少？")
    assert [a.amount_yuan for a in live(r1, "chiping-2022", "三（四）3")] == [100000]  # 230万件 ≥ 200万
    r = pipeline.ask("说错了，2024年是380万件", session_id=r1.session_id)
    amounts = [a.amount_yuan for a in live(r, "chiping-2022", "三（四）3")]
    assert amounts == [200000]  # 150万 + 380万 = 530万件 ≥ 500万


def test_a_stated_relocation_leaves_the_local_title_branch_out(pipeline):
    # 外省的示范企业搬进来: the clause's branch for enterprises moving in is theirs (and fails on 运营时间);
    # the branch for local enterprises winning the title is not offered in its place
    r = pipeline.ask(
        "外省一家国家级电商示范企业去年搬到茌平区，到现在才经营了8个月，网上销售额5000万，入驻奖励能拿多少？"
    )
    assert not live(r, "chiping-2022", "三（一）1")
