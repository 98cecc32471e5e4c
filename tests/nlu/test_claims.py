"""Claims and scored binding: what the word tables leave is read as a claim and bound only when sure;
otherwise asked about in the user's words. Includes the readings that used to be confident misreads."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.facts import FACTS, declare_facts
from assistant.nlu import parse
from assistant.nlu.claims import ClaimReader, FactBinder, rule_wordings
from assistant.nlu.mentions import scan_numbers
from assistant.retrieval.embeddings import get_embeddings
from assistant.rules.loader import load_rulebook
from assistant.textnorm import normalize


@pytest.fixture(scope="module")
def binder():
    # as the pipeline builds it: fact terms plus the wordings of the rule conditions that test each fact
    b = FactBinder(get_embeddings(), rule_wordings(load_rulebook()))
    b.warm()
    return b


def test_negation_with_a_verb_between_is_not_read_as_yes():
    assert parse("还没有实现纳统（没纳入第三方大数据统计）").facts["in_statistics"] is False
    assert parse("尚未入统").facts["in_statistics"] is False


def test_a_subset_count_does_not_borrow_the_previous_clauses_figure():
    q = parse("培训了5万粉丝以上的主播230人，其中48人和区内企业签了一年以上直播合同")
    assert q.facts["trained_anchors[min_followers=50000]"] == 230
    assert "active_anchors" not in q.facts
    assert any("48人" in c.text for c in q.clarifications)


def test_the_subset_binds_by_similarity_when_the_model_is_there(binder):
    q = parse("培训了5万粉丝以上的主播230人，其中48人和区内企业签了一年以上直播合同", binder=binder)
    assert q.facts.get("trained_anchors_signed") == 48 and "active_anchors" not in q.facts


def test_named_years_of_an_accumulating_figure_are_added():
    q = parse("2023年本地发件量120万件，2024年170万件")
    assert q.facts["express_volume"] == Decimal(2_900_000)
    assert any("合计" in a for a in q.assumptions)


def test_generic_words_do_not_bind_to_one_policys_fact():
    q = parse("和合作社签了三年的供货合同，一年进货300万元")
    assert "anchor_contract_years" not in q.facts and "coop_purchase" not in q.facts
    assert any("进货300万元" in c.question for c in q.clarifications)
    q = parse("建了15个智能快递柜")
    assert "express_companies_sharing" not in q.facts


@pytest.mark.parametrize(
    "text, fact, value",
    [
        ("线上零售做到了五千万", "online_retail_sales", 50_000_000),
        ("网销3000万", "online_sales", 30_000_000),
        ("关注的人有一千二百万", "followers", 12_000_000),
        ("出口了200万美金", "cross_border_export_usd", 2_000_000),
        ("同比涨了20%", "online_retail_sales_growth_rate", 20),
        ("上升两成", "online_retail_sales_growth_rate", 20),
        ("GMV八百w", "online_retail_sales", 8_000_000),
        ("GMV一个小目标", "online_retail_sales", 100_000_000),
    ],
)
def test_colloquial_wordings_are_read(text, fact, value):
    assert parse(text).facts.get(fact) == Decimal(value)


def test_a_licence_date_is_the_registration_date():
    assert parse("营业执照是2021年拿的").facts["registration_date"].year == 2021


def test_a_claim_has_head_holder_period_and_polarity():
    text = normalize("我们去年进货300万元")
    [claim] = ClaimReader().run(text, scan_numbers(text))
    assert (claim.head, claim.holder, claim.period, claim.polarity) == ("进货", "我们", "去年", "stated")
    text = normalize("200万美元的出口")
    [claim] = ClaimReader().run(text, scan_numbers(text))
    assert claim.head == "出口"


def test_units_gate_binding(binder):
    # a count of parcels is never money, 美元 never 元, people never rooms
    text = normalize("快递柜一共投放了15个")
    claims = ClaimReader().run(text, scan_numbers(text))
    for b in binder.run(claims, text=text):
        assert b.fact is None or FACTS[b.fact].type == "count"
    text = normalize("200万美元的出口")
    [b] = binder.run(ClaimReader().run(text, scan_numbers(text)), text=text)
    assert b.fact is None or FACTS[b.fact].type == "money_usd"


def test_an_unknown_metric_is_asked_not_bound(binder):
    q = parse("去年利润200万", binder=binder)
    assert not any(isinstance(v, Decimal) for v in q.facts.values())
    assert q.clarifications and "利润200万" in q.clarifications[0].question


def test_yes_to_a_clarification_binds_the_value_read(binder):
    first = parse("一年进货300万元", binder=binder)
    asked = first.clarifications[0]
    if len(asked.candidates) != 1:
        first = first.model_copy(update={"clarifications": [asked.model_copy(update={"candidates": ["online_sales"]})]})
    second = parse("是的", previous=first, binder=binder)
    assert second.facts.get(first.clarifications[0].candidates[0]) == Decimal(3_000_000)


def test_declared_facts_join_the_vocabulary():
    declare_facts(
        [
            {
                "name": "test_declared_metric",
                "type": "money_yuan",
                "label": "测试专用声明指标额",
                "phrases": ["测试声明额"],
            }
        ],
        "test",
    )
    assert FACTS["test_declared_metric"].source == "test"
    assert parse("测试声明额300万元").facts["test_declared_metric"] == Decimal(3_000_000)
    # the same definition again is fine; a different one is an error
    declare_facts(
        [
            {
                "name": "test_declared_metric",
                "type": "money_yuan",
                "label": "测试专用声明指标额",
                "phrases": ["测试声明额"],
            }
        ],
        "test",
    )
    with pytest.raises(ValueError):
        declare_facts([{"name": "test_declared_metric", "type": "count", "label": "别的"}], "test")


def test_the_question_offers_what_the_sentence_is_about(binder):
    q = parse("和合作社签了三年的供货合同，一年进货300万元", binder=binder)
    assert q.clarifications and q.clarifications[0].candidates[:1] == ["coop_purchase"]
    assert "coop_purchase" not in q.facts  # offered, not bound
