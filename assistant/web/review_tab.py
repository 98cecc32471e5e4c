"""The 「规则核对」 tab: a clause beside its rules, scenarios and live boundary grid (assistant.onboarding.review).

``build_review_tab(settings)`` is called inside the app's ``gr.Tabs()``; everything it shows is escaped text
from the corpus and the rule files, figures the rules state marked with <mark>."""

from __future__ import annotations

import html
import logging
from typing import Any

import gradio as gr

log = logging.getLogger(__name__)
_L, _R = "\x00", "\x01"  # sentinels around highlighted figures, replaced after escaping


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def policy_choices() -> list[tuple[str, str]]:
    from .. import corpus

    return [(f"{m.short_title or m.title}（{m.id}）", m.id) for m in corpus.load_policies()]


def clause_choices(policy_id: str | None) -> list[tuple[str, str]]:
    from .. import corpus
    from ..onboarding.importer import first_words

    if not policy_id:
        return []
    return [(f"{c.clause_id}　{c.heading or first_words(c, 16)}", c.clause_id) for c in corpus.clauses_of(policy_id)]


def review_html(policy_id: str | None, clause_id: str | None, rules_dir: Any = None) -> str:
    """The review page of one policy (or one of its clauses), as HTML."""
    from ..onboarding.review import clause_views
    from ..rules.loader import RuleLoadError, load_rulebook

    if not policy_id:
        return '<p class="pqa-muted">选择一份政策，逐条对照条款原文与规则。</p>'
    try:
        book = load_rulebook(rules_dir)
        views = clause_views(policy_id, book, clause_id or None)
    except RuleLoadError as exc:
        return '<div class="pqa-error">规则文件无法加载：' + "<br>".join(_esc(p) for p in exc.problems) + "</div>"
    except Exception:
        log.exception("review page failed")
        return '<div class="pqa-error">无法生成核对页面。</div>'
    parts = []
    if policy_id not in book.policies:
        parts.append(
            f'<p class="pqa-error">{_esc(policy_id)} 尚无规则文件：运行 policy-qa rules draft {_esc(policy_id)} 起草。</p>'
        )
    for v in views:
        text = _esc(v.marked_text(_L, _R)).replace(_L, "<mark>").replace(_R, "</mark>").replace("\n", "<br>")
        parts.append(
            f'<section class="pqa-review-clause" data-clause="{_esc(v.clause.clause_id)}">'
            f"<h3>{_esc(v.clause.clause_id)}　{_esc(v.clause.heading)} <small>[{_esc(v.coverage)}]</small></h3>"
            f'<div class="pqa-review-grid" style="display:grid;grid-template-columns:1fr 1fr;gap:1em">'
            f'<div class="pqa-review-text">{text}</div><div class="pqa-review-rules">'
        )
        if not v.rules:
            parts.append('<p class="pqa-muted">本条没有规则。</p>')
        for rv in v.rules:
            flag = ' <span class="pqa-badge">待核对</span>' if rv.rule.review == "needed" else ""
            parts.append(
                f'<div class="pqa-review-rule"><pre style="white-space:pre-wrap">{_esc(chr(10).join(rv.lines))}</pre>{flag}'
            )
            scen = "；".join(rv.scenarios) if rv.scenarios else "无场景（请在 tests/rules/ 补充）"
            parts.append(f"<p><b>场景</b>：{_esc(scen)}</p>")
            for g in rv.grid:
                cells = "".join(f"<td>{_esc(lbl)} {_esc(val)}<br><b>{_esc(res)}</b></td>" for lbl, val, res in g.cells)
                parts.append(
                    f'<table class="pqa-review-boundary"><caption>{_esc(g.what)}</caption><tr>{cells}</tr></table>'
                )
            parts.append("</div>")
        parts.append("</div></div></section>")
    return "".join(parts)


def build_review_tab(settings: Any) -> None:
    """Add the 「规则核对」 tab to the enclosing ``gr.Tabs()``."""
    rules_dir = getattr(settings, "rules_dir", None)

    def on_policy(policy_id: str | None):
        return gr.update(choices=clause_choices(policy_id), value=None), review_html(policy_id, None, rules_dir)

    def on_clause(policy_id: str | None, clause_id: str | None) -> str:
        return review_html(policy_id, clause_id, rules_dir)

    with gr.Tab("规则核对", id="review", elem_id="tab-review"):
        gr.Markdown(
            "条款原文（规则引用的数额已标出）与规则并排：规则里的事实以中文名显示，"
            "边界表按门槛和上限的略低于 / 恰好 / 略高于实时测算。"
        )
        with gr.Row():
            pick = gr.Dropdown(policy_choices(), value=None, label="政策", elem_id="pqa-review-policy")
            clause = gr.Dropdown([], value=None, label="条款（不选则显示全部）", elem_id="pqa-review-clause")
        out = gr.HTML(review_html(None, None), elem_id="pqa-review", js_on_load=None)
        pick.input(on_policy, pick, [clause, out], api_visibility="private")
        clause.input(on_clause, [pick, clause], out, api_visibility="private")
