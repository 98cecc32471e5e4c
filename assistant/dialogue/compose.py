"""The answer text an enterprise reads: conclusion, awards with citations, what to
confirm, warnings, and the reminder that the competent department decides.

Every figure in it comes from an ``Award`` the engine computed; this module only
formats them (``format_yuan``), it never computes money.
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..rules.figures import format_yuan
from ..rules.results import Award
from .selection import Selection

DISCLAIMER = "以上为依据政策原文的测算，实际能否享受及金额以主管部门的解释和审核为准。"
STATUS_LABEL = {"eligible": "符合条件", "conditional": "待确认", "ineligible": "暂不符合"}


def _amount_phrase(a: Award) -> str:
    if a.amount_yuan is None:
        if a.max_yuan is not None:
            return f"金额由主管部门确定（最高{format_yuan(a.max_yuan)}）"
        return "金额由主管部门确定（原文未载明具体标准）"
    text = format_yuan(a.amount_yuan)
    if a.is_ceiling:
        text = f"最高{text}（原文为“不超过/最高”，{text}为上限）"
    if a.per_year and a.years:
        text = f"{'、'.join(str(y) for y in a.years)}年每年{text}"
    elif a.per_year:
        text = f"每年{text}"
    return text


def _award_block(n: int, a: Award) -> list[str]:
    amount = "" if a.status == "ineligible" else f"：{_amount_phrase(a)}"
    head = f"{n}. {a.title}（{a.reference.citation or a.clause_id}）{amount}　[{STATUS_LABEL[a.status]}]"
    lines = [head]
    if a.status == "ineligible":
        if a.failed:
            lines.append("   未满足：" + "；".join(a.failed))
        kind_open = next((s.text for s in a.trace if s.kind == "applicant" and s.outcome == "unknown"), None)
        if kind_open:
            lines.append("   另需确认主体类型：" + kind_open)
        if a.gap:
            lines.append("   " + a.gap)
    else:
        if a.missing:
            lines.append("   待确认：" + "；".join(m.question for m in a.missing))
        if a.assumptions:
            lines.append("   假设：" + "；".join(s.text for s in a.assumptions))
        if a.requirements:
            lines.append("   另需主管部门认定：" + "；".join(a.requirements))
        if a.to_confirm:
            lines.append("   另需符合（请确认）：" + "；".join(a.to_confirm))
    if a.review_needed:
        lines.append("   注意：本条规则为自动起草，尚未经人工核对，金额仅供参考")
    lines.append(f"   原文：「{a.reference.text}」")
    return lines


def conclusion(selection: Selection, best_total: Decimal | None, potential_total: Decimal | None,
               place_name: str, stacking_note: bool, expired: bool = False) -> str:
    e, c = selection.eligible, selection.conditional
    if not e and not c:
        if selection.near_misses:
            return f"按{place_name}适用的政策，根据您提供的情况暂未达到奖补条件，以下是最接近的条款。"
        return f"按{place_name}适用的政策，根据您提供的情况暂未找到匹配的奖补条款。"
    parts = []
    if e:
        total = f"，合计可得{format_yuan(best_total)}" if best_total else ""
        parts.append(f"符合 {len(e)} 项奖补{total}")
    if c:
        parts.append(f"另有 {len(c)} 项需确认条件")
    if not e:
        parts = [f"可能符合 {len(c)} 项奖补，需确认条件"]
    lead = f"按{place_name}适用的政策（已失效，仅供参考）" if expired else f"按{place_name}适用的政策"
    text = f"{lead}，您" + "，".join(parts)
    if potential_total and potential_total != best_total:
        text += f"；条件全部确认后最多可得{format_yuan(potential_total)}"
    if stacking_note:
        text += "（按就高不重复原则计）"
    return text + "。"


def compose_answer(
    selection: Selection,
    place_name: str,
    best_total: Decimal | None,
    potential_total: Decimal | None,
    assumptions: Sequence[str],
    follow_ups: Sequence[str],
    warnings: Sequence[str],
    stacking_note: bool = False,
    expired: bool = False,
    related: Sequence[tuple[str, str]] = (),
    validity: Sequence[str] = (),
    procedural: bool = False,
    missing_topics: Sequence[str] = (),
    elsewhere: Sequence[tuple[str, str]] = (),
) -> str:
    """``related``: (citation, clause text) quoted whole; ``validity``: one line per policy;
    ``procedural``: the question asks how/when rather than how much."""
    head = conclusion(selection, best_total, potential_total, place_name, stacking_note, expired)
    if procedural and not (selection.eligible or selection.conditional):
        head = f"按{place_name}适用的政策，与您的问题相关的条款如下。"
    elif missing_topics and not selection.shown:
        head = f"{place_name}适用的政策中没有关于{'、'.join(missing_topics)}的奖补条款。"
    elif related and not selection.shown:
        head = head.rstrip("。") + "；以下是检索到的相关条款，供参考。"
    lines = [head, ""]
    if validity:
        lines.append("【政策效力】")
        lines.extend(f"- {v}" for v in validity)
        lines.append("")
    n = 0
    misses_title = "【差一点】" if all(a.gap for a in selection.near_misses) else "【暂不符合】"
    for group, title in ((selection.eligible, "【符合条件】"), (selection.conditional, "【可能符合，需确认】"),
                         (selection.near_misses, misses_title)):
        if not group:
            continue
        lines.append(title)
        for a in group:
            n += 1
            lines.extend(_award_block(n, a))
        lines.append("")
    if related:
        lines.append("【相关条款】")
        for citation, text in related:
            lines.append(f"- {citation}：{text}")
        lines.append("")
    if elsewhere:
        lines.append(f"【其他地区政策中的相关条款（不适用于{place_name}，仅供参考）】")
        lines.extend(f"- {citation}：{text}" for citation, text in elsewhere)
        lines.append("")
    if assumptions:
        lines.append("【理解说明】" + "；".join(assumptions))
    if follow_ups:
        lines.append("【请补充】" + " ".join(follow_ups))
    if warnings:
        lines.append("【提示】")
        lines.extend(f"- {w}" for w in warnings)
    lines.append(DISCLAIMER)
    return "\n".join(l for l in lines).strip()
