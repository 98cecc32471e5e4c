"""`policy-qa rules draft`: drafts read from the clause text pass the check by construction, recall the
hand-encoded rules of the corpus, and mark every rule for review."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from assistant import corpus
from assistant.cli.main import main
from assistant.config import get_settings
from assistant.onboarding.draft import Draft, FactBinder, draft_policy, draft_sentence, evaluate_drafts
from assistant.onboarding.importer import import_policy
from assistant.rules.engine import evaluate
from assistant.rules.loader import RuleBook, facts_scope, load_rulebook, parse_rule_text
from assistant.rules.provenance import check_policy, corpus_clause_texts

from .docs import POLICY_LINES


def _draft_yaml(pid: str, clauses) -> str:
    return yaml.safe_dump(draft_policy(pid, clauses).as_yaml_data(), allow_unicode=True, sort_keys=False)


@pytest.mark.parametrize("pid", [m.id for m in corpus.load_policies()])
def test_every_corpus_draft_passes_the_check(pid: str):
    text = _draft_yaml(pid, corpus.clauses_of(pid))
    with facts_scope():
        pr = parse_rule_text(text, f"rules/{pid}.yaml", expected_policy_id=pid)
        assert check_policy(pr, corpus_clause_texts(pid), f"rules/{pid}.yaml") == []
    assert pr.rules and all(r.review == "needed" for r in pr.rules)
    assert [c.clause_id for c in pr.coverage] == [c.clause_id for c in corpus.clauses_of(pid)]


def test_drafts_recall_the_hand_encoded_rules():
    book = load_rulebook()
    ids = [m.id for m in corpus.load_policies() if book.rules_of(m.id)]
    report = evaluate_drafts(ids)
    assert report["hand"] == sum(len(book.rules_of(i)) for i in ids)
    assert report["recall"] >= 0.80, report
    assert report["precision"] >= 0.75, report


def _one(sentence: str) -> dict:
    rule = draft_sentence(sentence, FactBinder("demo-2099", Draft("demo-2099")))
    assert rule is not None, sentence
    return rule


def test_forms_read_from_the_wording():
    tiers = _one("对年网络零售额首次达到1亿元、5亿元的直播电商企业，分别给予10万元、30万元一次性奖励。")
    assert tiers["award"]["form"] == "tiers" and tiers["award"]["metric"] == "online_retail_sales"
    assert [(t["value"], t["amount"]) for t in tiers["award"]["tiers"]] == [("1亿元", "10万元"), ("5亿元", "30万元")]
    assert tiers["applicants"] == ["livestream_company"] and tiers["award"]["one_time"]
    per_unit = _one(
        "对当年实现实物商品网络零售额3000万元（含）以上的企业，每实现1万元，市财政最高给予5元流量补贴，每家企业最高补贴10万元。"
    )
    assert per_unit["award"] == {
        "form": "per_unit",
        "metric": "physical_online_retail_sales",
        "unit": "1万元",
        "rate": "5元",
        "cap": "10万元",
        "ceiling": True,
    }
    assert per_unit["conditions"] == [
        {"fact": "physical_online_retail_sales", "op": ">=", "value": "3000万元", "wording": "3000万元（含）以上"}
    ]
    percent = _one("对新建直播基地，按设备投入的30%给予补助，最高不超过50万元。")
    assert (
        percent["award"]["form"] == "percent"
        and percent["award"]["rate"] == "30%"
        and percent["award"]["cap"] == "50万元"
    )
    assert _one("对直播电商公共服务平台，一事一议给予支持。")["award"] == {
        "form": "discretionary",
        "wording": "一事一议",
    }
    ceiling = _one("对商务部门新认定的国家级电子商务示范园区，给予不超过50万元奖励。")
    assert ceiling["award"] == {"form": "ceiling", "amount": "50万元"}
    assert draft_sentence("加强组织领导，营造良好氛围。", FactBinder("d", Draft("d"))) is None


def test_a_new_fact_is_declared_when_none_fits():
    draft = Draft("demo-2099")
    rule = draft_sentence("对年度研学接待人次达到1000人次以上的基地，给予5万元奖励。", FactBinder("demo-2099", draft))
    assert rule is not None and draft.facts and rule["conditions"][0]["fact"] == draft.facts[0]["name"]
    assert draft.facts[0]["name"].startswith("demo_2099_fact_")


def test_cli_draft_then_check_then_answer_marks_review(tmp_path: Path, capsys, monkeypatch):
    corpus_dir, rules_dir = tmp_path / "corpus", tmp_path / "rules"
    shutil.copytree(get_settings().corpus_dir, corpus_dir)
    shutil.copytree(get_settings().rules_dir, rules_dir)
    src = tmp_path / "p.txt"
    src.write_text("\n".join(POLICY_LINES), encoding="utf-8")
    import_policy(src, "yiwu-2024", corpus_dir)
    monkeypatch.setenv("POLICY_QA_CORPUS_DIR", str(corpus_dir))
    get_settings.cache_clear()
    scope = facts_scope()
    scope.__enter__()
    try:
        assert main(["rules", "--check", "--rules-dir", str(rules_dir)]) == 1  # no rule file yet
        capsys.readouterr()
        assert main(["rules", "draft", "yiwu-2024", "--rules-dir", str(rules_dir)]) == 0
        out = capsys.readouterr().out
        assert "已写入" in out and "rules show yiwu-2024" in out
        assert main(["rules", "draft", "yiwu-2024", "--rules-dir", str(rules_dir)]) == 1  # no overwrite
        assert "--force" in capsys.readouterr().err
        assert main(["rules", "--check", "--rules-dir", str(rules_dir)]) == 0
        book: RuleBook = load_rulebook(rules_dir)
        forms = {r.clause_id: r.award.form for r in book.rules_of("yiwu-2024")}
        assert forms == {"一（一）": "tiers", "一（二）": "fixed", "二（一）": "percent", "二（二）": "discretionary"}
        tier_rule = next(r for r in book.rules_of("yiwu-2024") if r.award.form == "tiers")
        award = evaluate(tier_rule, {"entity_kind": "livestream_company", "online_retail_sales": "2亿元"}, book=book)
        assert award.amount_yuan == 100_000 and award.review_needed
        assert any("尚未经人工核对" in w for w in award.warnings)
    finally:
        scope.__exit__(None, None, None)
        get_settings.cache_clear()
