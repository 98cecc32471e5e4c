"""The 「规则核对」 tab's content: clause text with the rules' figures marked, rules with fact labels, boundary grid."""

from __future__ import annotations

import gradio as gr

from assistant.config import get_settings
from assistant.corpus import clauses_of, load_policies
from assistant.rules.loader import load_rulebook
from assistant.web.review_tab import build_review_tab, clause_choices, review_html


def test_review_html_for_a_clause():
    from assistant.facts import FACTS

    book = load_rulebook()
    rule = next(
        r for r in book.rules.values() if r.award.form == "tiers" and FACTS[r.award.metric].type == "money_yuan"
    )
    page = review_html(rule.policy_id, rule.clause_id)
    assert f'data-clause="{rule.clause_id}"' in page and "<mark>" in page
    assert rule.id in page and FACTS[rule.award.metric].label in page
    assert "pqa-review-boundary" in page and "略低于" in page and "恰好" in page and "略高于" in page
    assert [c for _, c in clause_choices(rule.policy_id)] == [c.clause_id for c in clauses_of(rule.policy_id)]


def test_review_html_escapes_and_reports_missing_rules(tmp_path):
    assert "选择一份政策" in review_html(None, None)
    pid = load_policies()[0].id
    page = review_html(pid, None, rules_dir=tmp_path)  # an empty rules directory
    assert "尚无规则文件" in page and "<script" not in page


def test_tab_builds_inside_blocks():
    with gr.Blocks() as demo:
        with gr.Tabs():
            build_review_tab(get_settings())
    labels = [c.get("props", {}).get("label") for c in demo.config["components"]]
    assert "规则核对" in labels and "政策" in labels
