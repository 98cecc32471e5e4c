"""The answer as data: the pipeline returns a typed ``Answer``; the one renderer (assistant.render.answer) writes
its text, its conclusion and the contract from it, so the CLI, the web cards and the JSON say the same."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.render.answer import Answer, conclusion, render_text, terminal_text, to_response


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("", "greeting"),
        ("今天天气怎么样", "off_topic"),
        ("电商企业网络零售额5000万元，能拿多少？", "no_place"),
        ("上海的电商企业网络零售额5000万元，能拿多少？", "no_policy"),
        ("淄博的电商企业实物商品网络零售额5000万元，流量补贴能拿多少？", "awards"),
        ("淄博的电商政策有效期到什么时候？", "info"),
        ("网" * 5000, "refused"),
    ],
)
def test_each_kind_of_reply_is_typed_and_rendered_once(pipeline, question, kind):
    ans = pipeline.answer(question)
    assert isinstance(ans, Answer) and ans.kind == kind
    resp = to_response(ans)
    assert resp.reply_kind == kind
    assert resp.answer == render_text(ans) and resp.answer.startswith(resp.conclusion)
    assert resp.conclusion == conclusion(ans) and resp.conclusion
    if kind in ("greeting", "off_topic"):
        assert resp.examples and not resp.follow_up
        assert all(q in resp.answer for q in resp.examples)  # the text offers what the buttons offer
    if kind == "refused":
        assert resp.error and not resp.awards


def test_ask_is_the_contract_of_the_typed_answer(pipeline):
    q = "淄博的电商企业实物商品网络零售额5000万元，流量补贴能拿多少？"
    ans = pipeline.answer(q)
    resp = pipeline.ask(q)
    same = to_response(ans).model_dump(exclude={"session_id"})
    assert resp.model_dump(exclude={"session_id"}) == same
    assert [a.amount_yuan for a in ans.eligible] == [Decimal(25000)]
    assert ans.totals.certain_yuan == Decimal(25000) and resp.best_total_yuan == 25000
    assert "合计可得2.5万元" in resp.conclusion


def test_both_totals_are_numbers_in_the_contract(pipeline):
    # one award certain, one to confirm: the certain total and the best case, each a number
    resp = pipeline.ask("淄博一家公司抖音加天猫GMV合计1.96亿元，全部是实物商品，按每万元5块的流量补贴算下来多少？")
    assert resp.best_total_yuan == 98000 and resp.conditional_total_yuan == 298000
    assert resp.conclusion.endswith("条件全部确认后最多可得29.8万元。")


def test_the_assumptions_the_text_states_are_a_field(pipeline):
    resp = pipeline.ask("淄博的电商企业实物商品网络零售额5000万元，流量补贴能拿多少？")
    assert resp.assumptions and all(a in resp.answer for a in resp.assumptions)
    assert any("淄博" in a for a in resp.assumptions)  # the pipeline's own reading: registered where named


def test_the_terminal_prints_the_answer_then_what_to_reply(pipeline):
    resp = pipeline.ask("茌平区电商企业在京东年网络销售额5000万元，能拿多少奖励？")
    assert resp.follow_up
    plain, numbered = terminal_text(resp), terminal_text(resp, numbered=True)
    assert plain.startswith(resp.answer) and plain.endswith(" / ".join(resp.follow_up))
    assert numbered.startswith(resp.answer) and f"追问1：{resp.follow_up[0]}" in numbered


# --- a figure standing in for another is confirmed by yes / no ------------------------------------

STAND_IN_Q = "茌平区电商企业在京东年网络销售额5000万元，能拿多少奖励？"


def _stand_in_first(pipeline):
    first = pipeline.ask(STAND_IN_Q)
    asked = first.follow_up[0]
    assert asked.startswith("您的") and asked.endswith("是否就是年网络销售额（5000万元）？"), first.follow_up
    assert "目前按" not in " ".join(first.follow_up)
    fact = pipeline.sessions.get_or_create(first.session_id).pending[0]
    return first, fact


def test_yes_binds_the_stood_in_figure_for_the_conversation(pipeline):
    first, fact = _stand_in_first(pipeline)
    reply = pipeline.ask("是的", session_id=first.session_id)
    assert reply.session_id == first.session_id
    assert reply.profile["facts"][fact] == 50_000_000  # bound to the value asked about
    assert not any("是否就是年网络销售额" in q for q in reply.follow_up[:1])
    later = pipeline.ask("那纳统了呢？", session_id=first.session_id)
    assert later.profile["facts"][fact] == 50_000_000  # kept in the session


def test_no_asks_for_the_figure_itself_and_a_number_then_answers_it(pipeline):
    first, fact = _stand_in_first(pipeline)
    reply = pipeline.ask("不是", session_id=first.session_id)
    assert fact not in reply.profile["facts"]
    assert reply.follow_up[0].endswith("是多少？（目前按年网络销售额计算）")  # asks for it, not yes/no again
    value = pipeline.ask("4000万", session_id=first.session_id)
    assert value.profile["facts"][fact] == 40_000_000


def test_yes_answers_only_the_first_question(pipeline):
    # a stand-in asked second is not what a bare 「是的」 answers: the first question is
    first = pipeline.ask("淄博的MCN机构，独立法人，当年纳统网络零售额1.1亿元，在库存续满1年，奖励多少？")
    pending = list(pipeline.sessions.get_or_create(first.session_id).pending)
    assert len(first.follow_up) == len(pending)  # every question here asks for one fact, in this order
    second = next(i for i, q in enumerate(first.follow_up) if "是否就是" in q)
    assert second > 0
    reply = pipeline.ask("是的", session_id=first.session_id)
    assert reply.profile["facts"][pending[0]] is True
    assert pending[second] not in reply.profile["facts"]
