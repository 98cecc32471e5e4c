"""The web cards say what the answer text says: both come from one typed answer (assistant.render.answer), the
cards through the contract's fields — the conclusion, both totals, the assumptions, the reply kind."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from assistant.config import Settings
from assistant.dialogue.pipeline import AskPipeline
from assistant.web import render


@pytest.fixture(scope="module")
def pipeline():
    return AskPipeline(Settings(today=dt.date(2026, 11, 23), max_sessions=50), retrieval=None)


def _dump(resp) -> dict:
    return resp.model_dump(mode="json")


def test_the_cards_lead_with_the_conclusion_and_show_both_totals(pipeline):
    resp = pipeline.ask("淄博一家公司抖音加天猫GMV合计1.96亿元，全部是实物商品，按每万元5块的流量补贴算下来多少？")
    data = _dump(resp)
    assert resp.answer.splitlines()[0] == resp.conclusion
    details = render.answer_details_html(data)
    lead = details[details.index("pqa-lead") :]
    assert html.escape(resp.conclusion) in lead
    assert "最高可获得 <strong>9.8万元</strong>" in details  # certain
    assert "若待确认条件全部满足，最高可获得 <strong>29.8万元</strong>" in details  # best case, as the text says
    assert render.chat_markdown(data).startswith(f"**{render.md_escape(resp.conclusion)}**")


def test_the_chat_bubble_states_every_assumption_the_text_states(pipeline):
    resp = pipeline.ask("淄博的电商企业实物商品网络零售额5000万元，流量补贴能拿多少？")
    registered = [a for a in resp.assumptions if a not in resp.profile["assumptions"]]
    assert registered  # the pipeline's own reading (registered where the user named), not only the parser's
    md = render.chat_markdown(_dump(resp))
    assert all(render.md_escape(a) in md for a in resp.assumptions)


def test_greetings_and_off_topic_offer_examples_other_replies_ask(pipeline):
    for question in ("", "今天天气怎么样"):
        data = _dump(pipeline.ask(question))
        assert render.is_off_topic(data) and data["examples"] and "还需确认" not in render.answer_details_html(data)
    no_place = _dump(pipeline.ask("电商企业网络零售额5000万元，能拿多少？"))
    assert not render.is_off_topic(no_place) and no_place["follow_up"]
    assert "还需确认" in render.answer_details_html(no_place)
