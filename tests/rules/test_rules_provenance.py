"""Provenance: quotes verbatim in the corpus clause, figures stated in the quote, clause ids real, coverage complete."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import get_settings
from assistant.rules.loader import RuleLoadError, load_rulebook, parse_rule_text
from assistant.rules.provenance import check_policy, check_rulebook, corpus_clause_texts

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
        (
            '{op: ">=", value: "500万", amount: "7.5万"}',
            '{op: ">=", value: "500万", amount: "8万"}',
            "「8万」 is not stated",
        ),
        ('cap: "30万元"}', 'cap: "40万元"}', "award.cap figure 「40万元」"),
        (
            'value: "5000平方米", wording: 使用面积5000平方米以上}\n      - {fact: online_shops',
            'value: "4000平方米", wording: 使用面积5000平方米以上}\n      - {fact: online_shops',
            "「4000平方米」",
        ),
        ('rate: "6元"', 'rate: "7元"', "「7元」"),
        ("每年最高不超过30万元\n", "每年最高不超过35万元\n", "reference not found verbatim"),
        (
            "clause_id: （八）\n    title",
            "clause_id: （八十）\n    title",
            "clause_id '（八十）' is not a clause of jinyun-2025",
        ),
        (
            "clause_id: （八）\n    title",
            "clause_id: （八十）\n    title",
            "clause （八） is encoded but no rule cites it",
        ),
        (
            "clause_id: （十一）\n    title",
            "clause_id: （十）\n    title",
            "clause （十一） is encoded but no rule cites it",
        ),
        (
            "clause_id: （十一）\n    title",
            "clause_id: （十）\n    title",
            "cites clause （十） whose coverage status is 'non_monetary'",
        ),
        ("clause_id: （八）\n    title", "clause_id: (八)\n    title", "did you mean （八）"),
        ("wording: 粉丝数达到100万}", "wording: 粉丝数超过100万}", "not found verbatim"),
        (
            "  - {clause_id: （十）, status: non_monetary, reason: 倡导性表述（支持外贸主体做大做强），无奖补标准}\n",
            "",
            "coverage gap: clause （十）",
        ),
    ],
)
def test_mutations_are_caught(old, new, expect):
    problems = problems_after(old, new)
    assert any(expect in p for p in problems), problems


def test_whitespace_in_quote_is_ignored():
    assert (
        problems_after(
            "reference: 企业参加各级商务部门组织的电商展会，展位费",
            "reference: 企业参加各级商务部门 组织的电商展会，\n      展位费",
        )
        == []
    )


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
    assert any("（九十）" in p and "not a clause" in p and "policy-qa clauses jinyun-2025" in p for p in problems)
    assert any("coverage gap" in p for p in problems)


def test_a_corpus_policy_without_a_rule_file_fails_the_check(tmp_path):
    """The check covers the corpus, not just the rule files present: a policy missing its file is a failure."""
    from assistant.corpus import load_policies

    rules_dir = Path(get_settings().rules_dir)
    ids = [m.id for m in load_policies()]
    dropped = ids[-1]
    for pid in ids[:-1]:
        (tmp_path / f"{pid}.yaml").write_text((rules_dir / f"{pid}.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    problems = check_rulebook(load_rulebook(tmp_path))
    assert len(problems) == 1 and f"corpus policy {dropped} has no rule file" in problems[0], problems
    assert str(tmp_path / f"{dropped}.yaml") in problems[0]


def test_cli_check_fails_for_a_missing_rule_file(tmp_path, capsys):
    from assistant.cli.main import main

    assert main(["rules", "--check", "--rules-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "has no rule file" in out and "出处校验失败" in out
