"""Provenance: quotes verbatim in the corpus clause, figures stated in the quote, clause ids real, coverage complete."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.rules.loader import RuleLoadError, load_rulebook, parse_rule_text
from assistant.rules.provenance import check_policy, check_rulebook, corpus_clause_texts

from assistant.config import get_settings

JINYUN = Path(get_settings().rules_dir) / "jinyun-2025.yaml"


def test_all_rule_files_pass_the_check():
    assert check_rulebook(load_rulebook()) == []


def problems_after(old: str, new: str) -> list[str]:
    text = JINYUN.read_text(encoding="utf-8")
    assert old in text, old
    try:
        pr = parse_rule_text(text.replace(old, new, 1), JINYUN)
    except RuleLoadError as exc:  # some mistakes are caught at load time already
        return exc.problems
    return check_policy(pr, corpus_clause_texts("jinyun-2025"), str(JINYUN))


def test_unmutated_file_passes():
    assert problems_after("policy_id: jinyun-2025", "policy_id: jinyun-2025") == []


@pytest.mark.parametrize(
    "old,new,expect",
    [
        ('{op: ">=", value: "500万", amount: "7.5万"}', '{op: ">=", value: "500万", amount: "8万"}', "「8万」 is not stated"),
        ('cap: "30万元"}', 'cap: "40万元"}', "award.cap figure 「40万元」"),
        ('value: "5000平方米", wording: 使用面积5000平方米以上}\n      - {fact: online_shops',
         'value: "4000平方米", wording: 使用面积5000平方米以上}\n      - {fact: online_shops', "「4000平方米」"),
        ('rate: "6元"', 'rate: "7元"', "「7元」"),
        ("每年最高不超过30万元\n", "每年最高不超过35万元\n", "reference not found verbatim"),
        ("clause_id: （八）\n    title", "clause_id: （八十）\n    title", "no rule cites: ['（八）']"),
        ("clause_id: （十一）\n    title", "clause_id: （十）\n    title", "no rule cites: ['（十一）']"),
        ("wording: 粉丝数达到100万}", "wording: 粉丝数超过100万}", "not found verbatim"),
        ("  - {clause_id: （十）, status: non_monetary, reason: 倡导性表述（支持外贸主体做大做强），无奖补标准}\n", "", "coverage gap: clause （十）"),
    ],
)
def test_mutations_are_caught(old, new, expect):
    problems = problems_after(old, new)
    assert any(expect in p for p in problems), problems


def test_whitespace_in_quote_is_ignored():
    assert problems_after("reference: 企业参加各级商务部门组织的电商展会，展位费",
                          "reference: 企业参加各级商务部门 组织的电商展会，\n      展位费") == []


def test_unknown_clause_id_is_reported():
    pr = parse_rule_text(
        """
policy_id: jinyun-2025
rules:
  - id: jinyun-2025/x
    clause_id: （九十）
    title: 不存在的条款
    applicants: [enterprise]
    award: {form: fixed, amount: "10万元"}
    reference: 给予一次性10万元奖励
""",
        "rules/jinyun-2025.yaml",
    )
    problems = check_policy(pr, corpus_clause_texts("jinyun-2025"), "rules/jinyun-2025.yaml")
    assert any("（九十）" in p and "not a clause" in p for p in problems)
    assert any("coverage gap" in p for p in problems)
