"""How / when questions are answered with the clauses that say it (real index on disk)."""


def test_procedure_question_quotes_the_application_clause(pipeline):
    r = pipeline.ask("茌平区的电商奖励怎么申请？找哪个部门？")
    assert r.answer.startswith("按茌平区适用的政策，与您的问题相关的条款如下")
    cited = [(c.policy_id, c.clause_id) for c in r.citations]
    assert ("chiping-2022", "四（一）") in cited
    assert "区商务投资促进局受理" in r.answer
    assert not r.awards


def test_validity_question_states_dates_and_status_today(pipeline):
    r = pipeline.ask("聊城的电商政策什么时候到期？")
    assert "【政策效力】" in r.answer
    line = next(l for l in r.answer.splitlines() if "征求意见稿，有效期" in l)
    assert "2023-12-31" in line and "已失效" in line


def test_no_match_quotes_the_nearest_clauses_but_never_the_signature(pipeline):
    r = pipeline.ask("济宁有没有海外仓的扶持政策？")
    assert "【相关条款】" in r.answer
    assert r.citations and all(c.clause_id != "落款" for c in r.citations)


def test_amount_question_with_awards_adds_no_related_section(pipeline):
    r = pipeline.ask("淄博一家电商企业当年实物商品网络零售额5000万元，流量补贴能拿多少？")
    assert "【相关条款】" not in r.answer
    assert [(c.policy_id, c.clause_id) for c in r.citations][0] == ("zibo-2022", "二")
