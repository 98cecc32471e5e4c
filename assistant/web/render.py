"""HTML and Markdown fragments for the gradio app.

Every value that comes from a user or from the data is escaped here (html.escape
for HTML, backslash/entity escaping for Markdown); these functions are the only
place the app builds markup, so they are the only place to check.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

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


def fmt_yuan(amount: Any) -> str:
    """20万元 / 5,000元 / 1.5万元 — exact (Decimal), no float rounding surprises."""
    if amount is None or amount == "":
        return "金额待定"
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    if abs(value) >= 10000:
        wan = (value / Decimal(10000)).normalize()
        text = format(wan, "f")
        return f"{text}万元"
    whole = value.normalize()
    text = f"{int(whole):,}" if whole == whole.to_integral_value() else format(whole, "f")
    return f"{text}元"


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


_OUTCOME_MARKS = {"pass": "✓", "fail": "✗", "unknown": "？", "assumed": "≈", "applied": "＝", "not_applied": "–", "info": "·"}


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


def _award_item(a: Mapping[str, Any], with_trace: bool) -> str:
    status = a.get("status")
    cls = STATUS_CLASSES.get(status or "", "no")
    extra = ""
    failed = _texts(a.get("failed"), "text", "label")
    if failed:
        extra += '<div class="pqa-failed"><span>不满足：</span>' + "；".join(esc(f) for f in failed) + "</div>"
    if a.get("gap"):
        extra += f'<div class="pqa-gap">差距：{esc(a["gap"])}</div>'
    missing = _texts(a.get("missing"), "question", "label", "fact")
    if missing:
        extra += '<div class="pqa-missing"><span>待确认：</span><ul>' + "".join(f"<li>{esc(m)}</li>" for m in missing) + "</ul></div>"
    assumptions = _texts(a.get("assumptions"), "text")
    if assumptions:
        extra += '<div class="pqa-missing"><span>按假设测算：</span><ul>' + "".join(f"<li>{esc(m)}</li>" for m in assumptions) + "</ul></div>"
    requirements = _texts(a.get("requirements"), "text", "label")
    if requirements:
        extra += f'<div class="pqa-gap">另需：{esc("；".join(requirements))}</div>'
    instalments = a.get("instalments") or []
    if instalments:
        parts = [f"{i.get('label', '')} {i.get('share_percent', '')}%" + (f"（{fmt_yuan(i['amount_yuan'])}）" if i.get("amount_yuan") is not None else "") for i in instalments if isinstance(i, Mapping)]
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
                lines.append(f'<li class="o-{esc(t.get("outcome", "info"))}"><span class="pqa-mark">{mark}</span>{esc(t.get("text", ""))}</li>')
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
    return (
        f'<li class="pqa-award {cls}">'
        f'<div class="pqa-award-top"><span class="pqa-award-title">{esc(award_title(a))}</span>'
        f'<span class="pqa-amount">{esc(award_amount(a))}</span></div>'
        f'<div class="pqa-award-meta">{status_badge(status)}<span>{esc(award_reference(a))}</span></div>'
        f"{extra}</li>"
    )


def totals_html(result: Mapping[str, Any]) -> str:
    best, cond = result.get("best_total_yuan"), result.get("conditional_total_yuan")
    lines = []
    if best not in (None, ""):
        lines.append(f'<div class="pqa-total">按政策测算，最高可获得 <strong>{esc(fmt_yuan(best))}</strong></div>')
    if cond not in (None, "") and cond != best:
        lines.append(f'<div class="pqa-total maybe">若待确认条件全部满足，最高可获得 <strong>{esc(fmt_yuan(cond))}</strong></div>')
    skipped = [b for b in result.get("total_breakdown") or [] if isinstance(b, Mapping) and b.get("counted") is False]
    if skipped and best in (None, "") and cond in (None, ""):
        reasons = sorted({str(b.get("reason") or "") for b in skipped if b.get("reason")})
        lines.append(f'<div class="pqa-total none">未计入合计：{esc("；".join(reasons) or "见各项说明")}</div>')
    return "".join(lines)


def awards_html(awards: Iterable[Any], best_total: Any = None, with_trace: bool = False, result: Mapping[str, Any] | None = None) -> str:
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
            parts.append(f'<details class="pqa-rest"><summary>暂不符合的项目（{len(rest)} 项）</summary>{inner}</details>')
        else:
            parts.append(inner)
    return "".join(parts)


def citations_html(citations: Iterable[Any], open_first: bool = False) -> str:
    items = [c.model_dump() if hasattr(c, "model_dump") else dict(c) for c in citations]
    if not items:
        return ""
    out = ['<div class="pqa-cites"><h4>政策依据（点击展开原文）</h4>']
    for i, c in enumerate(items):
        label = c.get("citation") or f"《{c.get('policy_title') or c.get('policy_id')}》{c.get('clause_id', '')}"
        opened = " open" if open_first and i == 0 else ""
        out.append(
            f'<details class="pqa-cite"{opened}><summary>{esc(label)}</summary>'
            f'<blockquote>{esc(c.get("text", ""))}</blockquote></details>'
        )
    out.append("</div>")
    return "".join(out)


def warnings_html(warnings: Iterable[str]) -> str:
    items = [w for w in warnings if w]
    if not items:
        return ""
    return '<ul class="pqa-warnings" aria-label="注意事项">' + "".join(f"<li>{esc(w)}</li>" for w in items) + "</ul>"


def answer_details_html(resp: Mapping[str, Any] | None) -> str:
    """The right-hand panel for the latest answer: awards, warnings, citations."""
    if not resp:
        return '<div class="pqa-empty">提问后，这里显示可享受的奖补、金额、注意事项和政策原文。</div>'
    parts = [
        awards_html(resp.get("awards", []), result=resp),
        warnings_html(resp.get("warnings", [])),
        citations_html(resp.get("citations", [])),
    ]
    body = "".join(p for p in parts if p)
    return f'<div class="pqa-details">{body or "<div class=pqa-empty>本次答复没有可列出的奖补或条款。</div>"}</div>'


def chat_markdown(resp: Mapping[str, Any]) -> str:
    """The assistant's chat bubble: the answer text (it already lists the awards), escaped."""
    return md_escape(resp.get("answer") or resp.get("error") or "")


def follow_up_markdown(questions: list[str], quick_reply: bool = False) -> str:
    """The questions the answer would like answered; with ``quick_reply`` the first is the one 是/否 buttons answer."""
    if not questions:
        return ""
    lines = ["**请补充以下情况，测算会更准确：**", ""]
    for i, q in enumerate(questions):
        hint = "　（可直接点下方「是」或「否」）" if quick_reply and i == 0 else ""
        lines.append(f"{i + 1}. {md_escape(q)}{hint}")
    lines += ["", "也可以直接在提问框里说明，例如「已纳统，当年新注册」。"]
    return "\n".join(lines)


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


def hits_html(hits: Iterable[Any]) -> str:
    items = [h.model_dump() if hasattr(h, "model_dump") else dict(h) for h in hits]
    if not items:
        return '<div class="pqa-empty">没有找到相关条款，请换个说法或放宽政策、地区筛选。</div>'
    out = [f'<div class="pqa-hits-count">找到 {len(items)} 条相关条款</div><ol class="pqa-hits">']
    for i, h in enumerate(items, 1):
        citation = h.get("citation") or f"《{h.get('policy_title') or h.get('policy_id')}》{h.get('clause_id')}"
        heading = f'<span class="pqa-hit-heading">{esc(h.get("heading"))}</span>' if h.get("heading") else ""
        out.append(
            f'<li class="pqa-hit"><div class="pqa-hit-top"><span class="pqa-hit-no">{i}</span>'
            f'<span class="pqa-hit-cite">{esc(citation)}</span>{heading}'
            f'<button type="button" class="pqa-copy" data-copy="{esc(citation)}" aria-label="复制引用 {esc(citation)}">复制引用</button></div>'
            f'<div class="pqa-hit-text">{mark_terms(h.get("text", ""), h.get("highlights") or [])}</div>'
            f'<div class="pqa-hit-meta">相关度 {float(h.get("score") or 0):.3f}</div></li>'
        )
    out.append("</ol>")
    return "".join(out)


def clause_block(c: Mapping[str, Any] | None, role: str, terms: Iterable[str] = ()) -> str:
    if not c:
        return ""
    label = {"prev": "上一条", "current": "本条", "next": "下一条"}[role]
    parents = " › ".join(p for p in c.get("parents", []) if p)
    head = f'<div class="pqa-clause-parents">{esc(parents)}</div>' if parents else ""
    return (
        f'<section class="pqa-clause {role}"><div class="pqa-clause-label">{label} · {esc(c.get("clause_id"))}'
        f'{" " + esc(c.get("heading")) if c.get("heading") else ""}</div>{head}'
        f'<div class="pqa-clause-text">{mark_terms(c.get("text", ""), terms)}</div></section>'
    )


def clause_context_html(found: Mapping[str, Any] | None, terms: Iterable[str] = ()) -> str:
    """A clause with its neighbours, as service.clause() returns it."""
    if not found:
        return '<div class="pqa-empty">选择一条检索结果，查看条款全文及上下条。</div>'
    terms = list(terms)
    return (
        f'<div class="pqa-context"><div class="pqa-context-title">{esc(found.get("policy_title"))}</div>'
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
            f'<td>{esc(r.get("jurisdiction_name"))}</td><td>{esc(r.get("date_issued") or "未载明")}</td>'
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


def calc_html(result: Mapping[str, Any] | None) -> str:
    """The calculator's result: total, each award with status, conditions to confirm and its trace."""
    if not result:
        return '<div class="pqa-empty">填写左侧信息后点击「开始测算」。</div>'
    awards = result.get("awards") or []
    parts = [warnings_html(result.get("warnings") or [])]
    if awards:
        parts.append(awards_html(awards, with_trace=True, result=result))
    else:
        parts.append('<div class="pqa-empty">按所填信息，没有找到可测算的奖补项目。可补充主体类型、销售额等信息后再试。</div>')
    return '<div class="pqa-details">' + "".join(parts) + "</div>"
