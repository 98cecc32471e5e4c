"""`policy-qa rules show`: clause text with its rules' figures marked, rules by fact label, scenarios, live grid."""

from __future__ import annotations

import datetime as dt
import json

from assistant.cli.main import main
from assistant.facts import FACTS
from assistant.onboarding.review import boundary_grid, clause_views
from assistant.rules.figures import format_yuan
from assistant.rules.loader import load_rulebook

TODAY = dt.date(2025, 6, 30)


def _tier_rule():
    book = load_rulebook()
    return book, next(
        r
        for r in book.rules.values()
        if r.award.form == "tiers" and FACTS[r.award.metric].type == "money_yuan" and not r.conditions
    )


def test_grid_reads_each_tier_at_its_threshold():
    book, rule = _tier_rule()
    grid = boundary_grid(rule, book, TODAY)
    tiers = sorted(rule.award.tiers, key=lambda t: t.parsed)
    assert len(grid) >= len(tiers)
    for t in tiers:
        row = next(g for g in grid if g.what.endswith(f"→ {t.amount}"))
        labels = [c[0] for c in row.cells]
        assert labels == ["略低于", "恰好", "略高于"]
        at = dict((c[0], c[2]) for c in row.cells)["恰好"]
        if t.op == ">=":
            assert format_yuan(t.amount.value) in at, (rule.id, row)


def test_per_unit_cap_grid():
    book = load_rulebook()
    rule = next(r for r in book.rules.values() if r.award.form == "per_unit" and r.award.cap is not None)
    row = next(g for g in boundary_grid(rule, book, TODAY) if "上限" in g.what)
    results = [c[2] for c in row.cells]
    cap = format_yuan(rule.award.cap.value)
    assert cap not in results[0] and cap in results[1] and cap in results[2]


def test_views_mark_the_rules_figures_and_list_scenarios():
    book, rule = _tier_rule()
    (view,) = clause_views(rule.policy_id, book, rule.clause_id, today=TODAY)
    marked = view.marked_text()
    assert all(f"【{t.amount.text}】" in marked or t.amount.text not in view.clause.text for t in rule.award.tiers)
    rv = next(r for r in view.rules if r.rule.id == rule.id)
    assert FACTS[rule.award.metric].label in "\n".join(rv.lines)
    assert rv.scenarios, "the corpus rules have scenario files"


def test_cli_rules_show(capsys):
    _book, rule = _tier_rule()
    assert main(["rules", "show", rule.policy_id, rule.clause_id]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"== {rule.clause_id}") and "【" in out and rule.id in out and "边界" in out and "场景" in out
    assert main(["rules", "show", rule.policy_id, rule.clause_id, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (clause,) = data["clauses"]
    assert clause["figures"] and clause["rules"][0]["grid"][0]["cells"][1]["label"] == "恰好"
    assert main(["rules", "show", rule.policy_id, "不存在的条款"]) == 1
    assert "policy-qa clauses" in capsys.readouterr().err
    assert main(["rules", "show"]) == 2
