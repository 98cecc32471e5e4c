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
    line = next(ln for ln in r.answer.splitlines() if "征求意见稿，有效期" in ln)
    assert "2023-12-31" in line and "已失效" in line


def test_related_clauses_never_quote_the_signature(pipeline):
    r = pipeline.ask("淄博的政策什么时候到期？")  # retrieval ranks the 落款 (date of issue) high here
    assert "【相关条款】" in r.answer
    assert r.citations and all(c.clause_id != "落款" for c in r.citations)
    assert any(c.clause_id == "附则2" for c in r.citations)  # the clause that states the validity


def test_amount_question_with_awards_adds_no_related_section(pipeline):
    r = pipeline.ask("淄博一家电商企业当年实物商品网络零售额5000万元，流量补贴能拿多少？")
    assert "【相关条款】" not in r.answer
    assert next((c.policy_id, c.clause_id) for c in r.citations) == ("zibo-2022", "二")


def test_a_matter_no_covering_policy_speaks_of_is_said_plainly(pipeline):
    r = pipeline.ask("淄博有绿色直播间奖励吗")
    assert r.answer.startswith("淄博市适用的政策中没有关于绿色直播间的奖补条款")
    assert not r.awards  # no award that only shares the word 直播
    assert "缙云" in r.answer and "不适用于淄博市" in r.answer  # where the matter is provided for, marked as such


def test_a_matter_the_policy_covers_keeps_its_awards(pipeline):
    r = pipeline.ask("茌平区海外仓有什么补贴？")
    assert {a.clause_id for a in r.awards if a.policy_id == "chiping-2022"} >= {"三（三）1"}
    assert "没有关于" not in r.answer
