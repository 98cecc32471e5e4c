"""Words a rule file declares belong to its policy (gap 7 of tests/fixtures/policies/MECHANISM_GAPS.md): the
fixture declares 「仓库」 for its own storage-area fact; that reading holds where the fixture policy applies, and a
question about another policy's place keeps the shared lexicon's meaning (rented space)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from assistant import corpus
from assistant.facts import facts_scope
from assistant.nlu import parse
from assistant.rules.loader import load_rule_file

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "policies"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture()
def policies():
    with facts_scope():
        load_rule_file(FIXTURE / "rules" / "liulin-2024.yaml")
        yield [*corpus.load_policies(ROOT / "corpus"), *corpus.load_policies(FIXTURE)]


def test_declared_word_binds_in_the_declaring_policys_place(policies):
    q = parse("柳林县电商企业，自建普通仓库600平，能补多少？", today=TODAY, policies=policies)
    assert q.facts.get("warehouse_area") == Decimal(600)
    assert "rented_area" not in q.facts


def test_declared_word_does_not_override_the_shared_word_elsewhere(policies):
    q = parse("茌平区电商企业租了仓库2000平方米，能补多少？", today=TODAY, policies=policies)
    assert q.facts.get("rented_area") == Decimal(2000)
    assert "warehouse_area" not in q.facts


def test_declared_colloquial_word_is_not_read_for_another_policys_place(policies):
    q = parse("淄博的电商企业开票3000万，能拿多少？", today=TODAY, policies=policies)
    assert "taxable_sales" not in q.facts
    here = parse("柳林的电商企业开票3000万，能拿多少？", today=TODAY, policies=policies)
    assert here.facts.get("taxable_sales") == Decimal(30_000_000)


def test_with_no_place_a_shared_word_keeps_its_shared_meaning(policies):
    q = parse("租了个仓库2000平方米，能补多少？", today=TODAY, policies=policies)
    assert q.facts.get("rented_area") == Decimal(2000)
    # a declared word the shared lexicon lacks is still read
    assert parse("应税销售额3500万元，能奖多少？", today=TODAY, policies=policies).facts.get(
        "taxable_sales"
    ) == Decimal(35_000_000)


def test_a_follow_up_keeps_the_place_of_the_conversation(policies):
    first = parse("柳林县的电商企业，能补多少？", today=TODAY, policies=policies)
    q = parse("仓库有900平方米", today=TODAY, previous=first, policies=policies)
    assert q.facts.get("warehouse_area") == Decimal(900)


def test_a_declared_word_starts_on_a_word_edge():
    # A bureau's alias 「年直播带货销售额」 must not be read out of 「去年直播带货销售额」 (去年 is the word there): the
    # shared phrase after it keeps its meaning. The same alias after a word edge still binds.
    from assistant.facts import declare_facts

    with facts_scope():
        declare_facts(
            [
                {
                    "name": "per_anchor_sales_test",
                    "type": "money_yuan",
                    "label": "单个主播年直播带货销售额",
                    "aliases": ["年直播带货销售额"],
                }
            ],
            "rules",
            policy="edge-test-2024",
        )
        q = parse("去年直播带货销售额达到了3000万元", today=TODAY)
        assert "per_anchor_sales_test" not in q.facts and Decimal(30_000_000) in q.facts.values()
        q = parse("单个主播的年直播带货销售额是1200万元", today=TODAY)
        assert q.facts.get("per_anchor_sales_test") == Decimal(12_000_000)
