"""HTML and Markdown fragments for the gradio app.

Every value that comes from a user or from the data is escaped here (html.escape
for HTML, backslash/entity escaping for Markdown); these functions are the only
place the app builds markup, so they are the only place to check.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from ..money import format_yuan

STATUS_LABELS = {"eligible": "符合条件", "conditional": "需进一步确认", "ineligible": "暂不符合"}
STATUS_CLASSES = {"eligible": "ok", "conditional": "maybe", "ineligible": "no"}
VALIDITY_CLASSES = {"in_force": "ok", "expired": "no", "not_yet": "maybe", "unknown": "maybe"}

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$])")


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def md_escape(text: Any) -> str:
    """Plain text → Markdown that renders as exactly that text (no links, HTML, emphasis or maths)."""
    s = "" if text is None else str(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", s)


fmt_yuan = partial(format_yuan, missing="金额待定")  # assistant.money's format; no amount → 金额待定


def validity_badges(st: Mapping[str, Any] | None) -> str:
    """现行 / 征求意见稿 / 已失效 YYYY-MM-DD / 施行日期未载明 — from a clause_status dict (web.clause_status)."""
    if not st:
        return ""
    return "".join(f'<span class="pqa-vbadge {esc(cls)}">{esc(label)}</span>' for label, cls in st.get("badges") or [])


def status_note(item: Mapping[str, Any]) -> str:
    """「（该文件已于2024年12月31日失效）」 or ""."""
    st = item.get("clause_status") or {}
    return str(st.get("note") or "")


def status_badge(status: str | None) -> str:
    label = STATUS_LABELS.get(status or "", status or "")
    return f'<span class="pqa-badge {STATUS_CLASSES.get(status or "", "no")}">{esc(label)}</span>'


def _texts(items: Any, *keys: str) -> list[str]:
    """A list of strings or of dicts (first present key) → strings."""
    if not items:
        return []
    if isinstance(items, (str, Mapping)):
        items = [items]
    out = []
    for m in items:
        if isinstance(m, Mapping):
            out.append(str(next((m[k] for k in keys if m.get(k)), "") or m))
        else:
            out.append(str(m))
    return out


_OUTCOME_MARKS = {
    "pass": "✓",
    "fail": "✗",
    "unknown": "？",
    "assumed": "≈",
    "applied": "＝",
    "not_applied": "–",
    "info": "·",
}


def award_title(a: Mapping[str, Any]) -> str:
    return str(a.get("title") or a.get("name") or f"{a.get('policy_id', '')} {a.get('clause_id', '')}")


def award_reference(a: Mapping[str, Any]) -> str:
    ref = a.get("reference")
    if isinstance(ref, Mapping) and ref.get("citation"):
        return str(ref["citation"])
    if isinstance(ref, str) and ref:
        return ref
    return str(a.get("citation") or f"{a.get('policy_id', '')} · {a.get('clause_id', '')}")


def award_amount(a: Mapping[str, Any]) -> str:
    """「20万元」, 「最高20万元」, 「一事一议」 or 「不适用」 — what the award pays as the text says it."""
    amount = a.get("amount_yuan")
    if amount not in (None, ""):
        return ("最高" if a.get("is_ceiling") else "") + fmt_yuan(amount)
    if a.get("discretionary"):
        return "一事一议"
    if a.get("status") == "ineligible":
        return "不适用"
    if a.get("max_yuan") not in (None, ""):
        return "最高" + fmt_yuan(a["max_yuan"])
    return "金额待定"


def _award_parts(a: Mapping[str, Any], with_trace: bool, amount_text: str | None = None) -> tuple[str, str]:
    """(title, amount and badges; everything else: what failed or is missing, notes, the trace)."""
    status = a.get("status")
    extra = ""
    failed = _texts(a.get("failed"), "text", "label")
    if failed:
        extra += '<div class="pqa-failed"><span>不满足：</span>' + "；".join(esc(f) for f in failed) + "</div>"
    if a.get("gap"):
        extra += f'<div class="pqa-gap">差距：{esc(a["gap"])}</div>'
    missing = _texts(a.get("missing"), "question", "label", "fact")
    if missing:
        extra += (
            '<div class="pqa-missing"><span>待确认：</span><ul>'
            + "".join(f"<li>{esc(m)}</li>" for m in missing)
            + "</ul></div>"
        )
    assumptions = _texts(a.get("assumptions"), "text")
    if assumptions:
        extra += (
            '<div class="pqa-missing"><span>按假设测算：</span><ul>'
            + "".join(f"<li>{esc(m)}</li>" for m in assumptions)
            + "</ul></div>"
        )
    requirements = _texts(a.get("requirements"), "text", "label")
    if requirements:
        extra += f'<div class="pqa-gap">另需：{esc("；".join(requirements))}</div>'
    instalments = a.get("instalments") or []
    if instalments:
        parts = [
            f"{i.get('label', '')} {i.get('share_percent', '')}%"
            + (f"（{fmt_yuan(i['amount_yuan'])}）" if i.get("amount_yuan") is not None else "")
            for i in instalments
            if isinstance(i, Mapping)
        ]
        extra += f'<div class="pqa-gap">分期拨付：{esc("；".join(parts))}</div>'
    notes = _texts(a.get("notes"), "text")
    if notes:
        extra += '<div class="pqa-notes">' + "".join(f"<div>{esc(n)}</div>" for n in notes) + "</div>"
    if with_trace:
        steps = a.get("trace") or []
        if isinstance(steps, (str, Mapping)):
            steps = [steps]
        lines = []
        for t in steps:
            if isinstance(t, Mapping):
                mark = _OUTCOME_MARKS.get(str(t.get("outcome")), "·")
                lines.append(
                    f'<li class="o-{esc(t.get("outcome", "info"))}"><span class="pqa-mark">{mark}</span>{esc(t.get("text", ""))}</li>'
                )
            else:
                lines.append(f"<li>{esc(t)}</li>")
        ref = a.get("reference")
        quote = ref.get("text") if isinstance(ref, Mapping) else None
        if lines or quote:
            extra += '<details class="pqa-trace"><summary>计算过程与原文</summary>'
            if lines:
                extra += "<ol>" + "".join(lines) + "</ol>"
            if quote:
                extra += f"<blockquote>{esc(quote)}</blockquote>"
            extra += "</details>"
    head = (
        f'<div class="pqa-award-top"><span class="pqa-award-title">{esc(award_title(a))}</span>'
        f'<span class="pqa-amount">{esc(amount_text or award_amount(a))}</span></div>'
        f'<div class="pqa-award-meta">{status_badge(status)}{validity_badges(a.get("clause_status"))}'
        f"<span>{esc(award_reference(a))}</span></div>"
    )
    return head, extra


def _award_item(a: Mapping[str, Any], with_trace: bool) -> str:
    cls = STATUS_CLASSES.get(a.get("status") or "", "no")
    head, extra = _award_parts(a, with_trace)
    return f'<li class="pqa-award {cls}">{head}{extra}</li>'


def totals_html(result: Mapping[str, Any]) -> str:
    best, cond = result.get("best_total_yuan"), result.get("conditional_total_yuan")
    lines = []
    if best not in (None, ""):
        lines.append(f'<div class="pqa-total">按政策测算，最高可获得 <strong>{esc(fmt_yuan(best))}</strong></div>')
    if cond not in (None, "") and cond != best:
        lines.append(
            f'<div class="pqa-total maybe">若待确认条件全部满足，最高可获得 <strong>{esc(fmt_yuan(cond))}</strong></div>'
        )
    skipped = [b for b in result.get("total_breakdown") or [] if isinstance(b, Mapping) and b.get("counted") is False]
    if skipped and best in (None, "") and cond in (None, ""):
        reasons = sorted({str(b.get("reason") or "") for b in skipped if b.get("reason")})
        lines.append(f'<div class="pqa-total none">未计入合计：{esc("；".join(reasons) or "见各项说明")}</div>')
    return "".join(lines)


def awards_html(
    awards: Iterable[Any], best_total: Any = None, with_trace: bool = False, result: Mapping[str, Any] | None = None
) -> str:
    items = [a.model_dump() if hasattr(a, "model_dump") else dict(a) for a in awards]
    if not items:
        return ""
    totals = totals_html(result if result is not None else {"best_total_yuan": best_total})
    hopeful = [a for a in items if a.get("status") != "ineligible"]
    rest = [a for a in items if a.get("status") == "ineligible"]
    parts = [totals]
    if hopeful:
        parts.append('<ul class="pqa-awards">' + "".join(_award_item(a, with_trace) for a in hopeful) + "</ul>")
    if rest:
        inner = '<ul class="pqa-awards">' + "".join(_award_item(a, with_trace) for a in rest) + "</ul>"
        if hopeful:
            parts.append(
                f'<details class="pqa-rest"><summary>暂不符合的项目（{len(rest)} 项）</summary>{inner}</details>'
            )
        else:
            parts.append(inner)
    return "".join(parts)


def citations_html(
    citations: Iterable[Any], open_first: bool = False, heading: str = "政策依据（点击展开原文）"
) -> str:
    """Each cited clause once (the same clause can back several awards), with its status and, when it is not
    current, the note a copied citation carries."""
    items = [c.model_dump() if hasattr(c, "model_dump") else dict(c) for c in citations]
    seen: set[tuple[str, str]] = set()
    unique = []
    for c in items:
        k = (str(c.get("policy_id")), str(c.get("clause_id")))
        if k not in seen:
            seen.add(k)
            unique.append(c)
    if not unique:
        return ""
    out = [f'<div class="pqa-cites"><h4>{esc(heading)}</h4>']
    for i, c in enumerate(unique):
        label = c.get("citation") or f"《{c.get('policy_title') or c.get('policy_id')}》{c.get('clause_id', '')}"
        opened = " open" if open_first and i == 0 else ""
        note = status_note(c)
        out.append(
            f'<details class="pqa-cite"{opened}><summary>{esc(label)}{validity_badges(c.get("clause_status"))}</summary>'
            f"<blockquote>{esc(c.get('text', ''))}</blockquote>"
            f'<div class="pqa-cite-tools"><button type="button" class="pqa-copy" data-copy="{esc(label + note)}" '
            f'aria-label="复制引用 {esc(label)}">复制引用</button></div></details>'
        )
    out.append("</div>")
    return "".join(out)


def warnings_html(warnings: Iterable[str]) -> str:
    """Each warning one line; 「展开」 shows it whole (they are long, and the figure comes first)."""
    items = [w for w in warnings if w]
    if not items:
        return ""
    lines = "".join(
        f'<li><details class="pqa-warn"><summary><span class="pqa-wline">{esc(w)}</span>'
        f'<span class="pqa-wmore" aria-hidden="true"></span></summary></details></li>'
        for w in items
    )
    return f'<div class="pqa-warnings-box"><h4>注意事项（{len(items)} 条）</h4><ul class="pqa-warnings" aria-label="注意事项">{lines}</ul></div>'


def conclusion_text(resp: Mapping[str, Any]) -> str:
    """The answer's opening line: what you get, the total, what is missing (``conclusion``, written by the one
    answer renderer, assistant.render.answer; a response without it: the text's first paragraph)."""
    if resp.get("conclusion"):
        return str(resp["conclusion"]).strip()
    text = str(resp.get("answer") or resp.get("error") or "").strip()
    return re.split(r"\n\s*\n", text, maxsplit=1)[0].strip()


def is_off_topic(resp: Mapping[str, Any] | None) -> bool:
    """A greeting or an off-topic question: the answer offers example questions (``examples``), no award."""
    if not resp:
        return False
    if resp.get("reply_kind"):
        return resp["reply_kind"] in ("greeting", "off_topic")
    return bool(resp.get("examples")) and not (resp.get("awards") or resp.get("citations"))


def join_questions(items: list[str]) -> str:
    """Questions one after another: a question mark already ends one (no 「？；」), anything else gets 「；」."""
    return "".join(q if q.endswith(("？", "?")) or i == len(items) - 1 else q + "；" for i, q in enumerate(items))


def conclusion_html(resp: Mapping[str, Any]) -> str:
    lead = conclusion_text(resp)
    if not lead:
        return ""
    missing = [] if is_off_topic(resp) else list(resp.get("follow_up") or [])
    extra = f'<div class="pqa-lead-missing">还需确认：{esc(join_questions(missing))}</div>' if missing else ""
    return f'<div class="pqa-lead" role="status">{esc(lead)}{extra}</div>'


ELSEWHERE_HEADING = "其他地区政策中的相关条款（不适用于您所在地区，仅供参考）"


def answer_details_html(resp: Mapping[str, Any] | None) -> str:
    """The right-hand panel for the latest answer: conclusion, awards, warnings (one line each), citations."""
    if not resp:
        return '<div class="pqa-empty">提问后，这里显示可享受的奖补、金额、注意事项和政策原文。</div>'
    parts = [
        conclusion_html(resp),
        awards_html(resp.get("awards", []), result=resp),
        warnings_html(resp.get("warnings", [])),
        citations_html(resp.get("citations", [])),
        citations_html(resp.get("elsewhere") or [], heading=ELSEWHERE_HEADING),
    ]
    body = "".join(p for p in parts if p)
    return f'<div class="pqa-details">{body or "<div class=pqa-empty>本次答复没有可列出的奖补或条款。</div>"}</div>'


def chat_markdown(resp: Mapping[str, Any]) -> str:
    """The assistant's chat bubble, answer first: the conclusion in bold, one line per hopeful award, what is
    still to confirm, how the question was read; warnings and clause texts are in the details panel."""
    if is_off_topic(resp) or not (resp.get("awards") or resp.get("citations")):
        return md_escape(resp.get("answer") or resp.get("error") or "")
    lines = [f"**{md_escape(conclusion_text(resp))}**"]
    hopeful = [
        a for a in resp.get("awards") or [] if (a.get("status") if isinstance(a, Mapping) else None) != "ineligible"
    ]
    if hopeful:
        lines.append("")
        for i, a in enumerate(hopeful, 1):
            label = STATUS_LABELS.get(a.get("status") or "", "")
            lines.append(f"{i}. {md_escape(award_title(a))}：**{md_escape(award_amount(a))}**（{md_escape(label)}）")
    follow = list(resp.get("follow_up") or [])
    if follow:
        lines += ["", "还需确认：" + md_escape(join_questions(follow))]
    # how the question was read: the answer's own list (``assumptions``), else what the parser noted
    read = resp.get("assumptions") if "assumptions" in resp else (resp.get("profile") or {}).get("assumptions")
    assumptions = [str(x) for x in (read or []) if x]
    if assumptions:
        lines += ["", "理解说明：" + md_escape("；".join(assumptions))]
    n_warn = len([w for w in resp.get("warnings") or [] if w])
    if n_warn:
        lines += ["", f"另有 {n_warn} 条注意事项，见「本次答复详情」。"]
    return "\n".join(lines)


def follow_up_markdown(questions: list[str], quick_reply: bool = False) -> str:
    """The heading of the follow-up box: with ``quick_reply`` the first question, which the 是/否 buttons answer;
    the other questions are buttons of their own."""
    if not questions:
        return ""
    if quick_reply:
        more = "　其他待确认事项点下方按钮填入提问框。" if len(questions) > 1 else ""
        return f"**请补充：{md_escape(questions[0])}**　点「是」或「否」直接回答。{more}"
    return "**请补充以下情况，测算会更准确**（点按钮填入提问框，补上答案后发送）："


def mark_terms(text: str, terms: Iterable[str]) -> str:
    """Escape ``text`` and wrap every occurrence of the terms in <mark>."""
    terms = sorted({t for t in terms if t and t.strip()}, key=len, reverse=True)
    if not terms:
        return esc(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(esc(text[pos : m.start()]))
        out.append(f"<mark>{esc(m.group(0))}</mark>")
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


RELEVANCE_LEVELS = ("高", "中", "低")


def relevance(hit: Mapping[str, Any]) -> str:
    """高/中/低 from how the hit was found, not from the fused score (rank fusion gives every query, even
    nonsense, the same top scores): 高 = a query word in the text and both retrievers rank it near the top;
    中 = a query word in the text; 低 = only the embedding model thinks it is near."""
    words = [t for t in hit.get("highlights") or [] if len(str(t)) >= 2]
    bm25, dense = hit.get("bm25_rank"), hit.get("dense_rank")
    if words and bm25 and dense and bm25 <= 5 and dense <= 5:
        return "高"
    if words and bm25:
        return "中"
    return "低"


def hit_key(h: Mapping[str, Any]) -> str:
    return f"{h.get('policy_id')}|{h.get('clause_id')}"


def _hit_item(i: int, h: Mapping[str, Any], selected: str | None) -> str:
    citation = h.get("citation") or f"《{h.get('policy_title') or h.get('policy_id')}》{h.get('clause_id')}"
    heading = f'<span class="pqa-hit-heading">{esc(h.get("heading"))}</span>' if h.get("heading") else ""
    key = hit_key(h)
    level = relevance(h)
    current = ' aria-current="true"' if key == selected else ""
    st = h.get("clause_status") or {}
    cls = "" if not st or st.get("current") else " stale"
    return (
        f'<li class="pqa-hit{cls}" tabindex="0" data-key="{esc(key)}"{current}>'
        f'<div class="pqa-hit-top"><span class="pqa-hit-no">{i}</span>'
        f'<span class="pqa-hit-cite">{esc(citation)}</span>{validity_badges(st)}{heading}</div>'
        f'<div class="pqa-hit-text">{mark_terms(h.get("text", ""), h.get("highlights") or [])}</div>'
        f'<div class="pqa-hit-meta"><span class="pqa-rel r{RELEVANCE_LEVELS.index(level)}">相关度：{level}</span>'
        f'<button type="button" class="pqa-open" data-open="{esc(key)}" aria-label="查看条款全文 {esc(citation)}">查看全文</button>'
        f'<button type="button" class="pqa-copy" data-copy="{esc(citation + status_note(h))}" '
        f'aria-label="复制引用 {esc(citation)}">复制引用</button></div></li>'
    )


def hits_html(hits: Iterable[Any], hidden: Mapping[str, int] | None = None, selected: str | None = None) -> str:
    """Search results. ``hidden``: counts of hits the 「只看现行有效」 filter left out, by badge label
    (已失效/征求意见稿/…). Below the relevance floor (no hit with a query word in it) it says so and offers
    the nearest clauses as such."""
    items = [h.model_dump() if hasattr(h, "model_dump") else dict(h) for h in hits]
    hidden = {k: v for k, v in (hidden or {}).items() if v}
    hidden_note = ""
    if hidden:
        parts = "、".join(f"{k} {v} 条" for k, v in hidden.items())
        hidden_note = (
            f'<div class="pqa-hidden-note">「只看现行有效」已隐藏 {sum(hidden.values())} 条（{esc(parts)}），'
            "取消勾选即可查看。</div>"
        )
    if not items:
        return hidden_note + '<div class="pqa-empty">没有找到相关条款，请换个说法或放宽政策、地区筛选。</div>'
    if all(relevance(h) == "低" for h in items):
        head = (
            '<div class="pqa-nohit" role="status"><strong>未找到直接相关的条款。</strong>'
            "以下是意思最接近的条款，仅供参考；可换个说法再试。</div>"
        )
        items = items[:3]
    else:
        head = f'<div class="pqa-hits-count" role="status">找到 {len(items)} 条相关条款</div>'
    body = "".join(_hit_item(i, h, selected) for i, h in enumerate(items, 1))
    hint = '<div class="pqa-keys">快捷键：<kbd>/</kbd> 检索框　<kbd>↑</kbd><kbd>↓</kbd> 选择条款　<kbd>Enter</kbd> 查看全文　<kbd>c</kbd> 复制引用</div>'
    return f'{head}{hidden_note}<ol class="pqa-hits" aria-label="检索结果">{body}</ol>{hint}'


def clause_block(c: Mapping[str, Any] | None, role: str, terms: Iterable[str] = ()) -> str:
    if not c:
        return ""
    label = {"prev": "上一条", "current": "本条", "next": "下一条"}[role]
    parents = " › ".join(p for p in c.get("parents", []) if p)
    head = f'<div class="pqa-clause-parents">{esc(parents)}</div>' if parents else ""
    return (
        f'<section class="pqa-clause {role}"><div class="pqa-clause-label">{label} · {esc(c.get("clause_id"))}'
        f"{' ' + esc(c.get('heading')) if c.get('heading') else ''}</div>{head}"
        f'<div class="pqa-clause-text">{mark_terms(c.get("text", ""), terms)}</div></section>'
    )


def clause_context_html(found: Mapping[str, Any] | None, terms: Iterable[str] = ()) -> str:
    """A clause with its neighbours, as service.clause() returns it, with the policy's status."""
    if not found:
        return '<div class="pqa-empty">选择一条检索结果，查看条款全文及上下条。</div>'
    terms = list(terms)
    note = status_note(found)
    warn = f'<div class="pqa-stale-note">{esc(note.strip("（）"))}</div>' if note else ""
    return (
        f'<div class="pqa-context"><div class="pqa-context-title">{esc(found.get("policy_title"))}'
        f"{validity_badges(found.get('clause_status'))}</div>{warn}"
        + clause_block(found.get("previous"), "prev")
        + clause_block(found.get("clause"), "current", terms)
        + clause_block(found.get("next"), "next")
        + "</div>"
    )


def policies_html(rows: Iterable[Mapping[str, Any]]) -> str:
    out = [
        '<div class="pqa-table-wrap"><table class="pqa-table"><thead><tr><th>政策</th><th>发文机关 / 文号</th>'
        "<th>适用地区</th><th>发布日期</th><th>有效期</th><th>状态</th></tr></thead><tbody>"
    ]
    for r in rows:
        validity = r.get("validity", "unknown")
        badges = []
        if r.get("status") == "draft":
            badges.append('<span class="pqa-badge maybe">征求意见稿</span>')
        label = {"in_force": "有效", "expired": "已失效", "not_yet": "尚未生效"}.get(validity)
        if label:
            badges.append(f'<span class="pqa-badge {VALIDITY_CLASSES[validity]}">{label}</span>')
        period = f"{r.get('effective_from') or '未载明'} 至 {r.get('effective_to') or '未载明'}"
        out.append(
            f'<tr><td><div class="pqa-pol-title">{esc(r.get("title"))}</div><div class="pqa-pol-id">{esc(r.get("id"))} · {esc(r.get("clauses"))} 条</div></td>'
            f'<td>{esc(r.get("issuer"))}<div class="pqa-pol-id">{esc(r.get("doc_number") or "文号未载明")}</div></td>'
            f"<td>{esc(r.get('jurisdiction_name'))}</td><td>{esc(r.get('date_issued') or '未载明')}</td>"
            f'<td>{esc(period)}<div class="pqa-pol-id">{esc(r.get("validity_label"))}</div></td>'
            f'<td><div class="pqa-badges">{"".join(badges) or esc(r.get("validity_label") or "")}</div></td></tr>'
        )
    out.append("</tbody></table></div>")
    return "".join(out)


def policy_text_html(row: Mapping[str, Any] | None, clauses: Iterable[Any]) -> str:
    if not row:
        return ""
    out = [f'<article class="pqa-policy"><h3>{esc(row.get("title"))}</h3>']
    meta = [row.get("issuer"), row.get("doc_number"), row.get("validity_label")]
    out.append(f'<div class="pqa-pol-id">{esc(" · ".join(str(m) for m in meta if m))}</div>')
    for c in clauses:
        c = c.model_dump() if hasattr(c, "model_dump") else dict(c)
        depth = len(c.get("parents") or [])
        heading = f" {esc(c.get('heading'))}" if c.get("heading") else ""
        out.append(
            f'<section class="pqa-pclause depth-{min(depth, 3)}"><div class="pqa-clause-label">{esc(c.get("clause_id"))}{heading}</div>'
            f'<div class="pqa-clause-text">{esc(c.get("text"))}</div></section>'
        )
    out.append("</article>")
    return "".join(out)


CALC_SHOWN = 5  # cards shown per group before 「其余 N 项」: the first screen holds the totals and the best of each
CALC_GROUPS = (  # (key, heading, css class, shown open)
    ("eligible", "符合", "ok", True),
    ("conditional", "需确认", "maybe", True),
    ("near", "差一点", "near", True),
    ("ineligible", "不符合", "no", False),
)


def award_group(a: Mapping[str, Any]) -> str:
    """符合 / 需确认 / 差一点 (misses on one figure, with the gap stated) / 不符合."""
    status = a.get("status")
    if status == "ineligible":
        return "near" if a.get("gap") and len(a.get("failed") or []) <= 1 else "ineligible"
    return status if status in ("eligible", "conditional") else "ineligible"


def _amount_value(a: Mapping[str, Any]) -> float:
    for key in ("amount_yuan", "max_yuan"):
        if a.get(key) not in (None, ""):
            try:
                return float(a[key])
            except (TypeError, ValueError):
                return 0.0
    return 0.0


def rank_awards(awards: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Awards by group, each ranked by amount (the figure, else the most the clause pays), then by how few
    facts are still missing."""
    groups: dict[str, list[Mapping[str, Any]]] = {g[0]: [] for g in CALC_GROUPS}
    for a in awards:
        groups[award_group(a)].append(a)
    for items in groups.values():
        items.sort(key=lambda a: (-_amount_value(a), len(a.get("missing") or [])))
    return groups


def ladder_html(lad: Mapping[str, Any] | None) -> str:
    if not lad:
        return ""
    rows = []
    for r in lad.get("rungs") or []:
        state = "reached" if r.get("reached") else "short"
        rows.append(
            f'<li class="pqa-rung {state}"><span class="pqa-rung-label">{esc(r.get("threshold_text"))}'
            f"{' → ' + esc(r.get('amount_text')) if r.get('amount_text') else ''}</span>"
            f'<span class="pqa-rung-bar" role="img" aria-label="{esc(r.get("short"))}"><span style="width:{int(r.get("fill") or 0)}%"></span></span>'
            f'<span class="pqa-rung-gap">{esc(r.get("short"))}</span></li>'
        )
    return (
        f'<div class="pqa-ladder"><div class="pqa-ladder-head">{esc(lad.get("label"))}：您的 <strong>{esc(lad.get("value_text"))}</strong></div>'
        f"<ol>{''.join(reversed(rows))}</ol></div>"
    )


def _calc_card(a: Mapping[str, Any], group: str) -> str:
    """A compact card: title, amount, status badges, clause; what is missing and the trace fold away."""
    cls = {"eligible": "ok", "conditional": "maybe", "near": "near", "ineligible": "no"}[group]
    missing = _texts(a.get("missing"), "question", "label", "fact")
    summary_bits = []
    if missing:
        summary_bits.append(f"待确认 {len(missing)} 项")
    summary_bits.append("条件、计算过程与原文")
    reach = None
    if group == "near" and a.get("max_yuan") not in (None, ""):
        reach = "达标最高可得" + fmt_yuan(a["max_yuan"])
    head, rest = _award_parts(a, with_trace=True, amount_text=reach)
    lad = ladder_html(a.get("ladder")) if group == "near" else ""
    folded = (
        f'<details class="pqa-more"><summary>{esc(" · ".join(summary_bits))}</summary>{rest}</details>' if rest else ""
    )
    return f'<li class="pqa-award {cls}">{head}{lad}{folded}</li>'


def calc_summary_html(result: Mapping[str, Any], groups: Mapping[str, list]) -> str:
    best, cond = result.get("best_total_yuan"), result.get("conditional_total_yuan")
    certain = fmt_yuan(best) if best not in (None, "") else "暂无"
    best_case = fmt_yuan(cond) if cond not in (None, "") else certain
    skipped = [b for b in result.get("total_breakdown") or [] if isinstance(b, Mapping) and b.get("counted") is False]
    # the engine's reasons end 「，未计入合计」, which the heading already says
    reasons = sorted({str(b.get("reason") or "").removesuffix("，未计入合计") for b in skipped if b.get("reason")})
    why = f'<div class="pqa-sum-why">未计入合计：{esc("；".join(reasons))}</div>' if reasons else ""
    chips = "".join(
        f'<a class="pqa-chip {css}" href="#pqa-g-{key}">{label} <b>{len(groups[key])}</b></a>'
        for key, label, css, _ in CALC_GROUPS
    )
    return (
        '<div class="pqa-calc-summary">'
        '<div class="pqa-sum-row">'
        f'<div class="pqa-sum certain"><span>确定可得</span><strong>{esc(certain)}</strong>'
        "<small>已符合条件的项目，就高不重复后合计</small></div>"
        f'<div class="pqa-sum best"><span>条件全部满足时最多</span><strong>{esc(best_case)}</strong>'
        "<small>含「需确认」项目，待条件确认</small></div>"
        f"</div>{why}"
        f'<div class="pqa-chips" aria-label="各组项目数">{chips}'
        '<button type="button" class="pqa-print pqa-noprint" data-print="#pqa-calc-out">打印/导出</button></div>'
        "</div>"
    )


def calc_basis_html(
    result: Mapping[str, Any], inputs: Iterable[tuple[str, str]], policies: Iterable[Mapping[str, Any]]
) -> str:
    """What the figures rest on, for the printed summary: the facts entered, each award's assumptions, and
    where to apply (the issuing authority of each policy; the yearly notice rules)."""
    facts = "".join(f"<li>{esc(k)}：{esc(v)}</li>" for k, v in inputs) or "<li>（未填写）</li>"
    assumed = sorted({t for a in result.get("awards") or [] for t in _texts(a.get("assumptions"), "text")})
    assumed_html = (
        ("<h5>测算中的假设</h5><ul>" + "".join(f"<li>{esc(t)}</li>" for t in assumed) + "</ul>") if assumed else ""
    )
    where = "".join(
        f"<li>《{esc(p.get('title'))}》{validity_badges(p.get('clause_status'))}：向 {esc(p.get('issuer') or '发文机关')}"
        "或其商务主管部门申报，以当年申报通知为准</li>"
        for p in policies
    )
    where_html = f"<h5>到哪里申报</h5><ul>{where}</ul>" if where else ""
    return (
        f'<section class="pqa-basis"><h4>测算依据</h4><h5>填写的企业情况（测算日期 {esc(result.get("date") or "")}）</h5>'
        f"<ul>{facts}</ul>{assumed_html}{where_html}"
        '<p class="pqa-basis-note">本测算依据政策原文逐项计算，实际能否享受及金额以主管部门审核为准。</p></section>'
    )


def calc_html(
    result: Mapping[str, Any] | None, inputs: Iterable[tuple[str, str]] = (), policies: Iterable[Mapping[str, Any]] = ()
) -> str:
    """The calculator's result: the two totals and the group counts first, then 符合 / 需确认 / 差一点 (with a
    ladder each) ranked by amount, 不符合 folded; warnings one line each; the basis for the printed summary."""
    if not result:
        return '<div class="pqa-empty">填写企业信息后点击「开始测算」。</div>'
    awards = [a.model_dump() if hasattr(a, "model_dump") else dict(a) for a in result.get("awards") or []]
    if not awards:
        return (
            '<div class="pqa-details">'
            + warnings_html(result.get("warnings") or [])
            + '<div class="pqa-empty">按所填信息，没有找到可测算的奖补项目。可补充主体类型、销售额等信息后再试。</div></div>'
        )
    groups = rank_awards(awards)
    parts = [calc_summary_html(result, groups)]
    for key, label, css, opened in CALC_GROUPS:
        items = groups[key]
        if not items:
            continue
        cards = '<ul class="pqa-awards">' + "".join(_calc_card(a, key) for a in items[:CALC_SHOWN]) + "</ul>"
        if len(items) > CALC_SHOWN:
            more = '<ul class="pqa-awards">' + "".join(_calc_card(a, key) for a in items[CALC_SHOWN:]) + "</ul>"
            cards += f'<details class="pqa-more-items"><summary>其余 {len(items) - CALC_SHOWN} 项（按金额排列）</summary>{more}</details>'

        head = f"{label}（{len(items)} 项）"
        if opened:
            parts.append(f'<section class="pqa-group {css}" id="pqa-g-{key}"><h4>{head}</h4>{cards}</section>')
        else:
            parts.append(
                f'<details class="pqa-group {css}" id="pqa-g-{key}"><summary><h4>{head}</h4></summary>{cards}</details>'
            )
    parts.append(warnings_html(result.get("warnings") or []))
    parts.append(calc_basis_html({**result, "awards": awards}, inputs, policies))
    return '<div class="pqa-details pqa-calc">' + "".join(parts) + "</div>"
