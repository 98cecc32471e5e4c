"""Rule beside clause: each clause's text with the figures its rules state, its rules (facts by their Chinese
labels, so a wrong stand-in fact is obvious), the scenarios that test them, and a boundary grid evaluated live —
just below / at / above each threshold and cap. Shared by `policy-qa rules show` and the web 「规则核对」 tab."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ..facts import ENTITY_KINDS, FACTS, describe_value
from ..models import Clause
from ..rules.engine import evaluate
from ..rules.figures import FigureSpan, figure_spans, format_figure, format_yuan
from ..rules.loader import RuleBook
from ..rules.provenance import rule_figures
from ..rules.schema import (
    AllOf,
    AnyOf,
    Compare,
    CountAmount,
    CountTerms,
    Discretionary,
    PercentOf,
    PerStep,
    PerUnit,
    Rule,
    SumOverItems,
    Tiers,
)

OP_ZH = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠", "in": "∈"}
_NUMERIC = ("money_yuan", "money_usd", "count", "percent")


@dataclass
class GridRow:
    what: str  # 「网络零售额门槛 1亿元」「每家上限 10万元」
    cells: list[tuple[str, str, str]]  # (label 略低于/恰好/略高于, value as text, result 「符合 10万元」)


@dataclass
class RuleView:
    rule: Rule
    lines: list[str]  # the rule in Chinese, facts by label (fact name in brackets)
    figures: list[str]  # figures the rule states (as written)
    scenarios: list[str]
    grid: list[GridRow] = field(default_factory=list)


@dataclass
class ClauseView:
    clause: Clause
    coverage: str  # encoded / non_monetary / not_formalised / missing (+ reason)
    rules: list[RuleView]
    spans: list[FigureSpan]  # figures of the clause text stated by its rules

    def marked_text(self, left: str = "【", right: str = "】") -> str:
        text, out, pos = self.clause.text, [], 0
        for sp in self.spans:
            out.append(text[pos : sp.start] + left + text[sp.start : sp.end] + right)
            pos = sp.end
        return "".join(out) + text[pos:]


def _label(name: str) -> str:
    f = FACTS.get(name)
    return f"{f.label}（{name}）" if f else name


def _cond_text(c: Any) -> str:
    if isinstance(c, Compare):
        f = FACTS[c.fact]
        value = describe_value(f, c.parsed) if c.op != "in" else "、".join(describe_value(f, v) for v in c.parsed)
        return f"{_label(c.fact)} {OP_ZH[c.op]} {value}" + (f"　原文「{c.wording}」" if c.wording else "")
    if isinstance(c, AnyOf):
        return "任一：" + "；或 ".join(_cond_text(x) for x in c.any_of)
    if isinstance(c, AllOf):
        return "同时：" + "；且 ".join(_cond_text(x) for x in c.all_of)
    return str(c)


def describe_rule(rule: Rule) -> list[str]:
    a = rule.award
    kinds = "、".join(ENTITY_KINDS[k].label for k in rule.applicants)
    lines = [
        f"{rule.id}　{rule.title}" + ("　[待核对 review: needed]" if rule.review == "needed" else ""),
        f"  申报主体：{kinds}",
    ]
    for c in rule.conditions:
        lines.append(f"  条件：{_cond_text(c)}")
    for r in rule.requirements:
        kind = {"recognition": "须经认定", "fact": "须符合", "rank": "名次"}[r.kind]
        lines.append(f"  {kind}：「{r.wording}」" + (f" → {_cond_text(r.compare)}" if r.compare is not None else ""))
    lines.extend("  " + line for line in _award_lines(a))
    lines.append(f"  引文：「{rule.reference}」")
    return lines


def _award_lines(a: Any) -> list[str]:
    form = {
        "fixed": "固定金额",
        "ceiling": "最高金额",
        "tiers": "分档",
        "per_unit": "按单位",
        "percent": "按比例",
        "area_rate": "按面积",
        "count": "按个数",
        "count_terms": "分项计数合计",
        "per_step": "按台阶",
        "increments": "首年+追加",
        "discretionary": "金额未定",
        "sum_over_items": "逐项加总",
    }[a.form]
    out = [f"奖励（{form}{'，最高额' if getattr(a, 'ceiling', False) else ''}）："]
    if isinstance(a, Tiers):
        for t in a.tiers:
            f = FACTS[a.metric]
            req = "；另须「" + "」「".join(r.wording for r in t.requirements) + "」" if t.requirements else ""
            out.append(f"  {_label(a.metric)} {OP_ZH[t.op]} {describe_value(f, t.parsed)} → {t.amount}{req}")
    elif isinstance(a, PerUnit):
        out.append(f"  {_label(a.metric)} 每{a.unit} 给 {a.rate}" + (f"，上限 {a.cap}" if a.cap else ""))
    elif isinstance(a, PerStep):
        out.append(f"  {_label(a.metric)} 每{a.step} 给 {a.amount}" + (f"，上限 {a.cap}" if a.cap else ""))
    elif isinstance(a, PercentOf):
        extra = (f"，单项上限 {a.cap}" if a.cap else "") + (
            f"，{_label(a.count.fact)}最多 {a.count.max}" if a.count and a.count.max else ""
        )
        base = f"（{' + '.join(_label(b) for b in a.base)}）" if isinstance(a.base, list) else _label(a.base)
        out.append(f"  {base} × {a.rate}{extra}" + (f"，总上限 {a.total_cap}" if a.total_cap else ""))
    elif isinstance(a, CountAmount):
        sub = f"，其中{_label(a.subset.count)} × {a.subset.amount}" if a.subset else ""
        out.append(f"  {_label(a.count)} × {a.amount}{sub}" + (f"，上限 {a.cap}" if a.cap else ""))
    elif isinstance(a, CountTerms):
        low = f"合计 ≥ {a.minimum.value}，" if a.minimum else ""
        out.append(
            f"  {low}"
            + " + ".join(f"{_label(t.count)} × {t.amount}" for t in a.terms)
            + (f"，合计上限 {a.cap}" if a.cap else "")
        )
    elif isinstance(a, SumOverItems):
        out.append(f"  每个{a.item}：")
        out.extend("  " + line for line in _award_lines(a.each)[1:])
        out.append(f"  各{a.item}加总（{_label(a.count)}）" + (f"，每家上限 {a.cap}" if a.cap else ""))
    elif isinstance(a, Discretionary):
        out.append(f"  「{a.wording}」" + (f"，最高 {a.max}" if a.max else ""))
    elif hasattr(a, "amount"):
        out.append(f"  {a.amount}")
    else:
        out.append(f"  {a.model_dump(exclude_none=True)}")
    return out


# --- boundary grid --------------------------------------------------------------------------------


def _step(fact_type: str) -> Decimal:
    return Decimal("0.1") if fact_type == "percent" else Decimal(1)


def _passing(c: Compare) -> Any:
    """A value that satisfies the condition (the threshold itself for ≥, one step past it for >)."""
    f = FACTS[c.fact]
    v = c.parsed
    if c.op == "in":
        return v[0]
    if f.type in _NUMERIC:
        return {">": v + _step(f.type), "<": v - _step(f.type)}.get(c.op, v)
    if f.type == "bool":
        return v if c.op == "==" else (not v)
    if f.type == "level":
        return v
    return v


def base_profile(rule: Rule) -> dict[str, Any]:
    """A profile meeting every tested condition of the rule (the award's own figures left out)."""
    facts: dict[str, Any] = {"entity_kind": rule.applicants[0]}
    for c in rule.conditions:
        first = c
        while isinstance(first, (AnyOf, AllOf)):
            first = (first.any_of if isinstance(first, AnyOf) else first.all_of)[0]
        if isinstance(first, Compare) and FACTS[first.fact].type not in ("date",):
            facts.setdefault(first.fact, _passing(first))
    for r in rule.requirements:
        if r.compare is not None:
            facts.setdefault(r.compare.fact, _passing(r.compare))
    return facts


def _fmt(fact: str, v: Any) -> Any:
    f = FACTS[fact]
    if f.type == "money_yuan":
        return f"{v}元"
    if f.type == "percent":
        return v
    return v


def _result(rule: Rule, facts: dict[str, Any], book: RuleBook, today: dt.date) -> str:
    try:
        a = evaluate(rule, facts, today=today, book=book)
    except Exception as exc:  # a value the vocabulary refuses: show it rather than fail the page
        return f"无法测算（{exc}）"
    status = {"eligible": "符合", "conditional": "待确认", "ineligible": "不符合"}[a.status]
    return f"{status} {a.amount_text}" if a.status != "ineligible" else status


def _three(fact: str, value: Decimal) -> list[tuple[str, Decimal]]:
    s = _step(FACTS[fact].type)
    return [("略低于", value - s), ("恰好", value), ("略高于", value + s)]


def boundary_grid(rule: Rule, book: RuleBook, today: dt.date) -> list[GridRow]:
    base = base_profile(rule)
    rows: list[GridRow] = []

    def row(what: str, fact: str, values: list[tuple[str, Decimal]], extra: dict[str, Any] | None = None) -> None:
        f = FACTS[fact]
        cells = []
        for label, v in values:
            if v < 0:
                continue
            facts = {**base, **(extra or {}), fact: _fmt(fact, v)}
            cells.append((label, describe_value(f, v), _result(rule, facts, book, today)))
        rows.append(GridRow(what, cells))

    for c in rule.compares():
        f = FACTS[c.fact]
        if f.type in _NUMERIC and c.op in (">=", ">", "<=", "<"):
            row(f"{f.label}门槛 {describe_value(f, c.parsed)}", c.fact, _three(c.fact, Decimal(c.parsed)))
    a = rule.award
    if isinstance(a, Tiers) and FACTS[a.metric].type in _NUMERIC:
        f = FACTS[a.metric]
        for t in a.tiers:
            row(
                f"{f.label}档位 {describe_value(f, t.parsed)} → {t.amount}",
                a.metric,
                _three(a.metric, Decimal(t.parsed)),
            )
    elif isinstance(a, PerUnit) and a.cap is not None:
        units = a.cap.value / a.rate.value
        row(
            f"每家上限 {a.cap}（{FACTS[a.metric].label}）",
            a.metric,
            [(lbl, (units + d) * a.unit.value) for lbl, d in (("略低于", -1), ("恰好", 0), ("略高于", 1))],
        )
    elif isinstance(a, PerStep) and a.cap is not None:
        steps = a.cap.value / a.amount.value
        row(
            f"上限 {a.cap}（{FACTS[a.metric].label}）",
            a.metric,
            [(lbl, (steps + d) * a.step.value) for lbl, d in (("略低于", -1), ("恰好", 0), ("略高于", 1))],
        )
    elif isinstance(a, PercentOf) and a.cap is not None and not isinstance(a.base, list):
        at = a.cap.value * 100 / a.rate.value
        row(
            f"上限 {a.cap}（{FACTS[a.base].label}）", a.base, [("略低于", at - 100), ("恰好", at), ("略高于", at + 100)]
        )
    elif isinstance(a, CountAmount) and a.cap is not None:
        n = a.cap.value / a.amount.value
        row(f"上限 {a.cap}（{FACTS[a.count].label}）", a.count, _three(a.count, n))
    return rows


# --- scenarios ------------------------------------------------------------------------------------


def scenario_names(policy_id: str, scenario_dir: Path | None = None) -> dict[str, list[str]]:
    """rule id → names of the scenarios (tests/rules/<policy_id>.yaml) that expect something of it."""
    from ..config import PROJECT_ROOT

    path = (scenario_dir or PROJECT_ROOT / "tests" / "rules") / f"{policy_id}.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: dict[str, list[str]] = {}
    for sc in data.get("scenarios") or []:
        for rid in sc.get("expect") or {}:
            out.setdefault(rid, []).append(str(sc.get("name", "")))
    return out


def clause_views(
    policy_id: str,
    book: RuleBook,
    clause_id: str | None = None,
    today: dt.date | None = None,
    corpus_dir: Path | None = None,
) -> list[ClauseView]:
    from .. import corpus
    from ..config import get_settings

    today = today or get_settings().current_date()
    clauses = corpus.clauses_of(policy_id, corpus_dir)
    if clause_id is not None:
        clauses = [c for c in clauses if c.clause_id == clause_id]
    pr = book.policies.get(policy_id)
    coverage = {c.clause_id: c for c in (pr.coverage if pr else [])}
    scenarios = scenario_names(policy_id)
    views = []
    for clause in clauses:
        rules = [r for r in (pr.rules if pr else []) if r.clause_id == clause.clause_id]
        stated = [fig for r in rules for fig, _ in rule_figures(r)]
        spans = [
            sp
            for sp in figure_spans(clause.text)
            if any(
                f.value == sp.figure.value and (f.unit == sp.figure.unit or not f.unit or not sp.figure.unit)
                for f in stated
            )
        ]
        entry = coverage.get(clause.clause_id)
        cov = (entry.status + (f"（{entry.reason}）" if entry.reason else "")) if entry else "missing（无覆盖条目）"
        views.append(
            ClauseView(
                clause,
                cov,
                [
                    RuleView(
                        r,
                        describe_rule(r),
                        [str(f) for f, _ in rule_figures(r)],
                        scenarios.get(r.id, []),
                        boundary_grid(r, book, today),
                    )
                    for r in rules
                ],
                spans,
            )
        )
    return views


def format_view(view: ClauseView, left: str = "【", right: str = "】") -> str:
    out = [f"== {view.clause.clause_id}　{view.clause.heading}　[{view.coverage}]", view.marked_text(left, right), ""]
    for rv in view.rules:
        out.extend(rv.lines)
        if rv.scenarios:
            out.append(
                f"  场景（{len(rv.scenarios)}）："
                + "；".join(rv.scenarios[:6])
                + ("…" if len(rv.scenarios) > 6 else "")
            )
        else:
            out.append("  场景：无（请在 tests/rules/<policy_id>.yaml 补充）")
        for g in rv.grid:
            out.append(f"  边界 {g.what}：" + "　".join(f"{lbl} {val} → {res}" for lbl, val, res in g.cells))
        out.append("")
    return "\n".join(out)


__all__ = [
    "ClauseView",
    "GridRow",
    "RuleView",
    "boundary_grid",
    "clause_views",
    "describe_rule",
    "format_figure",
    "format_view",
    "format_yuan",
]
