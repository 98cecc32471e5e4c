"""The rule-file schema is strict: unknown keys, facts, units and values are load errors naming file, rule, key."""

from __future__ import annotations

import textwrap

import pytest

from assistant.rules.figures import figures_in, format_yuan, parse_figure
from assistant.rules.loader import RuleLoadError, load_rule_file, parse_rule_text, rule_files

BASE = """
policy_id: synth-2099
rules:
  - id: synth-2099/a
    clause_id: 一
    title: 测试
    applicants: [enterprise]
    conditions:
      - {fact: online_retail_sales, op: ">=", value: "3000万元", wording: 3000万元（含）以上}
    award: {form: fixed, amount: "10万元"}
    reference: x
"""


def load(text: str):
    return parse_rule_text(textwrap.dedent(text), "rules/synth-2099.yaml")


def errors(text: str) -> str:
    with pytest.raises(RuleLoadError) as exc:
        load(text)
    return str(exc.value)


def test_base_loads():
    pr = load(BASE)
    assert pr.rules[0].compares()[0].parsed == 30_000_000


@pytest.mark.parametrize(
    "old,new,expect",
    [
        ('amount: "10万元"', 'amout: "10万元"', "unknown key 'amout'"),
        ("wording: 3000万元（含）以上}", "wording: 3000万元（含）以上, inclusive: true}", "unknown key 'inclusive'"),
        ("fact: online_retail_sales", "fact: online_retail_sale", "did you mean: online_retail_sales"),
        ('value: "3000万元"', 'value: "3000平方米"', "has unit 平方米"),
        ('value: "3000万元"', "value: true", "numeric"),
        ("applicants: [enterprise]", "applicants: [enterprize]", "unknown entity kind"),
        ("form: fixed", "form: lump_sum", "form"),
        ('amount: "10万元"', 'amount: "十万块"', "无法识别的数额"),
        ("id: synth-2099/a", "id: other-2000/a", "policy_id"),
    ],
)
def test_load_errors_name_file_rule_and_key(old, new, expect):
    text = BASE.replace(old, new, 1)
    assert text != BASE
    msg = errors(text)
    assert "rules/synth-2099.yaml" in msg and expect in msg


def test_error_names_the_rule():
    msg = errors(BASE.replace('amount: "10万元"', 'amout: "10万元"'))
    assert "rule synth-2099/a" in msg and "award.fixed.amout" in msg


def test_bool_and_enum_ops():
    msg = errors(
        BASE.replace(
            '{fact: online_retail_sales, op: ">=", value: "3000万元", wording: 3000万元（含）以上}',
            '{fact: in_statistics, op: ">=", value: true}',
        )
    )
    assert "in_statistics" in msg


def test_coverage_rules():
    assert "needs a reason" in errors(
        BASE + "coverage:\n  - {clause_id: 一, status: encoded}\n  - {clause_id: 二, status: non_monetary}\n"
    )
    assert "more than once" in errors(
        BASE + "coverage:\n  - {clause_id: 一, status: encoded}\n  - {clause_id: 一, status: encoded}\n"
    )


def test_coverage_agrees_with_rules_against_the_clauses():
    from assistant.rules.provenance import check_policy

    clauses = {"一": "符合条件的企业给予10万元奖励", "二": "加强组织领导"}
    pr = load(BASE + "coverage:\n  - {clause_id: 一, status: encoded}\n  - {clause_id: 二, status: encoded}\n")
    assert any("clause 二 is encoded but no rule cites it" in p for p in check_policy(pr, clauses, "f"))
    pr = load(
        BASE
        + "coverage:\n  - {clause_id: 一, status: non_monetary, reason: r}\n  - {clause_id: 二, status: non_monetary, reason: r}\n"
    )
    assert any("whose coverage status is 'non_monetary'" in p for p in check_policy(pr, clauses, "f"))
    pr = load(
        BASE + "coverage:\n  - {clause_id: 一, status: encoded}\n  - {clause_id: 三, status: non_monetary, reason: r}\n"
    )
    problems = check_policy(pr, clauses, "f")
    assert any("'三' is not a clause of synth-2099" in p for p in problems)
    assert any("coverage gap: clause 二" in p for p in problems)


def test_unknown_fact_says_where_facts_are_declared():
    msg = errors(BASE.replace("fact: online_retail_sales", "fact: no_such_fact"))
    assert "assistant/facts.py" in msg and "`facts:`" in msg and "policy-qa rules --facts" in msg


def test_sections_reference_known_rules():
    msg = errors(
        BASE
        + "funds:\n  - {kind: pool, clause_id: 一, quote: q, amount: '500万元', rules: [synth-2099/zz], message: m}\n"
    )
    assert "unknown rule ids" in msg
    assert "needs its amount" in errors(BASE + "funds:\n  - {kind: pool, clause_id: 一, quote: q, message: m}\n")


def test_payment_shares_add_up():
    msg = errors(
        BASE
        + "payment: {clause_id: 一, quote: q, instalments: [{label: 当年, share: '50%'}, {label: 次年, share: '40%'}]}\n"
    )
    assert "add up to 90%" in msg


def test_every_rule_file_loads():
    from assistant.config import get_settings

    files = rule_files(get_settings().rules_dir)
    assert files, "no rule files"
    for f in files:
        assert load_rule_file(f).policy_id == f.stem


def test_figures_parse_as_written():
    assert parse_figure("3000万元").value == 30_000_000
    assert parse_figure("0.5万元").value == 5000
    assert parse_figure("1亿元").value == 100_000_000
    assert (parse_figure("100万美元").value, parse_figure("100万美元").unit) == (1_000_000, "美元")
    assert (parse_figure("全额").value, parse_figure("全额").unit) == (100, "%")
    assert (parse_figure("两年").value, parse_figure("两年").unit) == (2, "年")
    assert parse_figure("6元/平米".split("/")[0]).value == 6


def test_figures_in_quote_share_trailing_unit():
    figs = {(f.value, f.unit) for f in figures_in("分别给予一次性奖励2万元、5万、7.5万、10万元")}
    assert {(20000, "元"), (50000, "元"), (75000, "元"), (100000, "元")} <= figs
    figs = {(f.value, f.unit) for f in figures_in("占地面积2000 平方米以上、直播间数量30间以上，每月6元/平米")}
    assert {(2000, "平方米"), (30, "间"), (6, "元")} <= figs


def test_format_yuan_exact():
    from decimal import Decimal

    assert format_yuan(Decimal(200000)) == "20万元"
    assert format_yuan(Decimal(28800)) == "28800元"
    assert format_yuan(Decimal(75000)) == "7.5万元"
    assert format_yuan(Decimal(200000000)) == "2亿元"
    assert format_yuan(Decimal("6172.84")) == "6172.84元"
