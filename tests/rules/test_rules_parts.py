"""Awards whose amount is made of parts (issue #9, gaps 2-4): a cap shared by the terms of one clause
(`count_terms`), a percent base that is the sum of several facts (`base: [..]`), a count with a subset paid at
another rate (`count` + `subset`). Figures and words are checked against the clause like every other rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rules_helpers import book_from, evaluate_fixture

from assistant import corpus
from assistant.rules.engine import Engine
from assistant.rules.loader import RuleLoadError, facts_scope, load_rule_file
from assistant.rules.provenance import check_policy

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 23)
CLAUSE = (
    "仓储面积达到500平方米（含）以上的，按实际仓储面积给予一次性补助，其中普通仓储每平方米30元，冷库每平方米80元，"
    "单个企业最高不超过30万元。按展位费、特装搭建费实际支出费用的50%给予补助，单个企业每年最高不超过10万元。"
    "按新增就业人数每人2000元给予补贴；其中吸纳脱贫人口就业的，按每人3000元给予补贴。单个企业每年补贴最高不超过10万元。"
)
FACTS = """
    facts:
      - {name: synth_store_area, type: count, label: 普通仓储面积, meaning: 普通仓储面积, unit: 平方米}
      - {name: synth_cold_area, type: count, label: 冷库面积, meaning: 冷库面积, unit: 平方米}
      - {name: synth_build_cost, type: money_yuan, label: 特装搭建费, meaning: 特装搭建费}
      - {name: synth_hires, type: count, label: 新增就业人数, meaning: 新增就业人数, unit: 人}
      - {name: synth_poor_hires, type: count, label: 脱贫人口就业人数, meaning: 其中脱贫人口, unit: 人}
"""


def _book(award: str, reference: str, extra_facts: str = FACTS):
    return book_from(f"""
    policy_id: synth-2097
    {extra_facts}
    coverage: [{{clause_id: 一, status: encoded}}]
    rules:
      - id: synth-2097/a
        clause_id: 一
        title: t
        applicants: [enterprise]
        award: {award}
        reference: {reference}
    """)


TERMS = (
    '{form: count_terms, minimum: {value: "500平方米", wording: 仓储面积达到500平方米（含）以上}, '
    'terms: [{count: synth_store_area, amount: "30元", wording: 普通仓储每平方米30元}, '
    '{count: synth_cold_area, amount: "80元", wording: 冷库每平方米80元}], cap: "30万元"}'
)
TERMS_REF = "仓储面积达到500平方米（含）以上的，按实际仓储面积给予一次性补助，其中普通仓储每平方米30元，冷库每平方米80元，单个企业最高不超过30万元"
BASE = '{form: percent, base: [booth_fee, synth_build_cost], rate: "50%", cap: "10万元"}'
BASE_REF = "按展位费、特装搭建费实际支出费用的50%给予补助，单个企业每年最高不超过10万元"
SUBSET = (
    '{form: count, count: synth_hires, amount: "2000元", cap: "10万元", '
    'subset: {count: synth_poor_hires, amount: "3000元", wording: 其中吸纳脱贫人口就业的，按每人3000元给予补贴}}'
)
SUBSET_REF = (
    "按新增就业人数每人2000元给予补贴；其中吸纳脱贫人口就业的，按每人3000元给予补贴。单个企业每年补贴最高不超过10万元"
)


def _run(book, **facts):
    return Engine(book, {}).run(["synth-2097"], {"entity_kind": "enterprise", **facts}, TODAY).award("synth-2097/a")


@pytest.mark.parametrize(
    "award, ref",
    [(TERMS, TERMS_REF), (BASE, BASE_REF), (SUBSET, SUBSET_REF)],
    ids=["count_terms", "list_base", "subset"],
)
def test_each_form_passes_provenance_as_written(award, ref):
    with facts_scope():
        book = _book(award, ref)
        assert check_policy(book.policies["synth-2097"], {"一": CLAUSE}, "synthetic.yaml") == []


@pytest.mark.parametrize(
    "award, ref, where",
    [
        (TERMS.replace('"80元"', '"90元"'), TERMS_REF, "terms[1].amount"),
        (TERMS.replace('"500平方米"', '"600平方米"'), TERMS_REF, "minimum.value"),
        (TERMS.replace("冷库每平方米80元}", "冷库每平米80元}"), TERMS_REF, "term wording"),
        (SUBSET.replace('"3000元"', '"3500元"'), SUBSET_REF, "subset.amount"),
        (SUBSET.replace("其中吸纳脱贫人口就业的", "其中脱贫人口"), SUBSET_REF, "subset.wording"),
    ],
    ids=["term_amount", "minimum", "term_wording", "subset_amount", "subset_wording"],
)
def test_a_figure_or_word_not_in_the_clause_is_reported(award, ref, where):
    with facts_scope():
        book = _book(award, ref)
        problems = check_policy(book.policies["synth-2097"], {"一": CLAUSE}, "synthetic.yaml")
    assert any(where in p for p in problems), problems


@pytest.mark.parametrize(
    "award, message",
    [
        ('{form: percent, base: [booth_fee], rate: "50%"}', "at least two"),
        ('{form: percent, base: [booth_fee, booth_fee], rate: "50%"}', "at least two"),
        ('{form: percent, base: [booth_fee, synth_hires], rate: "50%"}', "one type"),
        ('{form: percent, base: booth_fee, base_total: synth_build_cost, rate: "50%"}', "base_total goes with a list"),
        (
            '{form: count, count: synth_hires, amount: "2000元", subset: {count: synth_hires, amount: "3000元"}}',
            "another fact",
        ),
        (
            '{form: count_terms, terms: [{count: synth_store_area, amount: "30元"}, {count: synth_store_area, amount: "80元"}]}',
            "another fact",
        ),
        (
            '{form: count_terms, minimum: {value: "500平方米"}, terms: [{count: synth_store_area, amount: "30元"}, '
            '{count: synth_hires, amount: "80元"}]}',
            "one type and unit",
        ),
        ('{form: count_terms, terms: [{count: synth_store_area, amount: "30元"}]}', "at least 2"),
    ],
    ids=[
        "one_part",
        "same_part",
        "mixed_types",
        "total_without_list",
        "subset_is_count",
        "same_term",
        "minimum_mixed_units",
        "one_term",
    ],
)
def test_malformed_parts_are_load_errors(award, message):
    with facts_scope(), pytest.raises(RuleLoadError) as exc:
        _book(award, "x")
    assert message in str(exc.value)


def test_terms_share_one_cap_and_sum_under_it():
    with facts_scope():
        book = _book(TERMS, TERMS_REF)
        assert _run(book, synth_store_area=8000, synth_cold_area=2000).amount_yuan == 300_000  # 24万 + 16万 → 30万
        a = _run(book, synth_store_area=3000, synth_cold_area=1000)
        assert (a.status, a.amount_yuan) == ("eligible", 170_000)
        one = _run(book, synth_cold_area=3000)  # the other term unstated: none, and said so
        assert (one.status, one.amount_yuan) == ("eligible", 240_000)
        assert any("未说明" in n and "仓储面积" in n for n in one.notes)
        both = _run(book, synth_store_area=300, synth_cold_area=200)  # together 500: the minimum is met
        assert both.amount_yuan == 25_000
        low = _run(book, synth_store_area=300, synth_cold_area=199)
        assert low.status == "ineligible" and "还差1平方米" in (low.gap or "")


def test_a_part_of_the_base_never_stands_in_for_the_whole():
    with facts_scope():
        book = _book(BASE, BASE_REF)
        a = _run(book, booth_fee=25_000)
        assert (a.status, a.amount_yuan) == ("conditional", None)
        assert [m.fact for m in a.missing] == ["synth_build_cost"]
        assert "之和" in a.missing[0].question
        assert _run(book, booth_fee=25_000, synth_build_cost=15_000).amount_yuan == 20_000
        assert _run(book, booth_fee=150_000, synth_build_cost=60_000).amount_yuan == 100_000  # 10.5万 → cap


def test_subset_paid_at_its_own_rate_under_one_cap():
    with facts_scope():
        book = _book(SUBSET, SUBSET_REF)
        assert _run(book, synth_hires=10, synth_poor_hires=4).amount_yuan == 24_000
        assert _run(book, synth_hires=40, synth_poor_hires=30).amount_yuan == 100_000  # 11万 → 10万
        unstated = _run(book, synth_hires=10)
        assert (unstated.status, unstated.amount_yuan) == ("eligible", 20_000)
        assert any("3000元" in n for n in unstated.notes)
        too_many = _run(book, synth_hires=4, synth_poor_hires=10)
        assert too_many.status == "conditional" and [m.fact for m in too_many.missing] == ["synth_poor_hires"]


def test_the_fixture_policy_passes_provenance_and_pays_the_repro_figures():
    """MECHANISM_GAPS.md gaps 2-4, with the facts given: 八 300,000, 四 20,000, 七 24,000."""
    fixture = ROOT / "tests" / "fixtures" / "policies"
    with facts_scope():
        pr = load_rule_file(fixture / "rules" / "liulin-2024.yaml")
        clauses = {c.clause_id: c.text for c in corpus.clauses_of(pr.policy_id, fixture)}
        assert check_policy(pr, clauses, "liulin-2024.yaml") == []
        rf = "tests/fixtures/policies/rules/liulin-2024.yaml"
        e = {"entity_kind": "ecommerce_enterprise"}
        cases = [
            ({**e, "warehouse_area": 8000, "cold_storage_area": 2000}, "八", 300_000),
            ({**e, "booth_fee": 25_000, "special_build_cost": 15_000}, "四", 20_000),
            ({**e, "new_local_hires": 10, "new_poverty_hires": 4, "social_insurance_months": 7}, "七", 24_000),
        ]
        for facts, clause, amount in cases:
            ev = evaluate_fixture(rf, [pr.policy_id], facts, TODAY)
            got = [(a.status, a.amount_yuan) for a in ev.awards if a.clause_id == clause]
            assert got == [("eligible", amount)], (clause, got)
