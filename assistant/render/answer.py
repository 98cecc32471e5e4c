"""The answer as data (``Answer``) and the one renderer that writes every sentence of it.

The pipeline (assistant.dialogue.pipeline) decides *what* to answer: the reply kind, the awards it shows, the
totals, what to ask, what to warn about. This module decides *how it reads*: the Chinese text (the CLI's and the
contract's ``answer``), the conclusion line the web cards lead with, the follow-up questions, the warnings, and
the JSON contract itself (``to_response``). The CLI, the REST API, the gradio app and the widget all show what
``to_response`` made from one ``Answer``.

Figures come only from the engine's awards and totals; this module formats them (assistant.money.format_yuan),
it never computes money. Every money figure the text states is carried by a field of the response: an award's
amount or maximum, ``best_total_yuan`` (certain) or ``conditional_total_yuan`` (best case), a warning, a
follow-up, an assumption, or a quoted clause.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..contract import AskResponse, AwardOut, Citation, ReplyKind
from ..facts import FACTS, describe_value
from ..money import format_yuan
from ..rules.results import Award

DISCLAIMER = "以上为依据政策原文的测算，实际能否享受及金额以主管部门的解释和审核为准。"
STATUS_LABEL = {"eligible": "符合条件", "conditional": "待确认", "ineligible": "暂不符合"}

# ReplyKind (assistant.contract):
# awards: the question was about money and the rules were evaluated (whatever they found);
# info: 怎么申请 / 有效期 — clauses quoted, awards beside them when some fit;
# off_topic: not about these policies; greeting: nothing asked yet (an empty message);
# no_place: no place to match policies to; no_policy: no policy covers the place named;
# refused: the input itself was refused (too long, binary …), with the input check's message.


class Totals(BaseModel):
    """The two totals of an answer, 就高不重复 applied; None when nothing counts."""

    certain_yuan: Decimal | None = None  # eligible awards with a figure
    best_case_yuan: Decimal | None = None  # eligible and conditional ones, should every condition be confirmed
    stacking_note: bool = False  # some award was left out of a total by 就高不重复


class StandIn(BaseModel):
    """A figure the engine used in place of the one a rule names (网络零售额 for 实物商品网络零售额)."""

    fact: str  # the fact the rule names
    used: str  # the fact that stood in
    value: Any  # the value of ``used`` (what ``fact`` becomes when the user confirms)


class FollowUp(BaseModel):
    """One question to the user. ``question``: worded by the parser or the engine (their question for a fact, or a
    number they read and could not place); the other kinds are worded here."""

    kind: Literal["question", "place", "entity_kind", "stand_in"] = "question"
    text: str = ""
    fact: str | None = None  # the fact a bare answer fills (the session's pending fact)
    stand_in: StandIn | None = None


class Reading(BaseModel):
    """An assumption the pipeline made while reading the question (the parser's own are already sentences)."""

    kind: Literal["registered_here", "upper_bound"]
    fact: str | None = None  # upper_bound: the fact left unstated …
    source: str | None = None  # … that cannot exceed this stated one


class PolicyValidity(BaseModel):
    """One covering policy's status, for 有效期 questions."""

    title: str
    draft: bool
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    text: str | None = None  # the policy's own words on its validity
    label: str  # its validity on ``day`` (已失效 / 有效 …)
    day: dt.date


class StackedOut(BaseModel):
    """An award the 就高不重复 rule left out of the total, with the engine's reason."""

    title: str
    reason: str


class Answer(BaseModel):
    """Everything an answer says, as data. Built by the pipeline, rendered only here."""

    kind: ReplyKind
    question: str = ""  # the checked question text
    session_id: str | None = None
    place: str | None = None  # the place answered for
    covered_places: list[str] = Field(default_factory=list)  # places the corpus covers (no_place, no_policy)
    eligible: list[Award] = Field(default_factory=list)
    conditional: list[Award] = Field(default_factory=list)
    near_misses: list[Award] = Field(default_factory=list)
    totals: Totals = Field(default_factory=Totals)
    expired: bool = False  # every shown award's policy has lapsed
    follow_ups: list[FollowUp] = Field(default_factory=list)
    stand_ins: list[StandIn] = Field(default_factory=list)  # figures standing in for others, to confirm by yes/no
    policy_warnings: list[str] = Field(default_factory=list)  # the engine's, for the covering policies
    stacked_out: list[StackedOut] = Field(default_factory=list)
    district_policies: list[str] = Field(default_factory=list)  # district names with policies of their own
    assumptions: list[str] = Field(default_factory=list)  # the parser's, as it wrote them
    readings: list[Reading] = Field(default_factory=list)  # the pipeline's, worded here
    related: list[Citation] = Field(default_factory=list)  # whole clauses quoted beside the awards
    elsewhere: list[Citation] = Field(default_factory=list)  # other places' clauses on the matter asked
    missing_topics: list[str] = Field(default_factory=list)  # matters asked about that no covering clause names
    validity: list[PolicyValidity] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    refusal: str = ""  # kind refused: the input check's message
    error: str | None = None  # refused/greeting: the input check's code (empty, too_long …)
    profile: dict = Field(default_factory=dict)

    @property
    def shown(self) -> list[Award]:
        return [*self.eligible, *self.conditional, *self.near_misses]


# --- sentences --------------------------------------------------------------------------------


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


def _award_block(n: int, a: Award, confirm: dict[str, str]) -> list[str]:
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
            lines.append("   待确认：" + "；".join(confirm.get(m.fact, m.question) for m in a.missing))
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


def _award_conclusion(ans: Answer) -> str:
    e, c, place = ans.eligible, ans.conditional, ans.place
    best, potential = ans.totals.certain_yuan, ans.totals.best_case_yuan
    if not e and not c:
        if ans.near_misses:
            return f"按{place}适用的政策，根据您提供的情况暂未达到奖补条件，以下是最接近的条款。"
        return f"按{place}适用的政策，根据您提供的情况暂未找到匹配的奖补条款。"
    parts = []
    if e:
        total = f"，合计可得{format_yuan(best)}" if best else ""
        parts.append(f"符合 {len(e)} 项奖补{total}")
    if c:
        parts.append(f"另有 {len(c)} 项需确认条件")
    if not e:
        parts = [f"可能符合 {len(c)} 项奖补，需确认条件"]
    lead = f"按{place}适用的政策（已失效，仅供参考）" if ans.expired else f"按{place}适用的政策"
    text = f"{lead}，您" + "，".join(parts)
    if potential and potential != best:
        text += f"；条件全部确认后最多可得{format_yuan(potential)}"
    if ans.totals.stacking_note:
        text += "（按就高不重复原则计）"
    return text + "。"


def _places(ans: Answer) -> str:
    return "、".join(ans.covered_places)


def conclusion(ans: Answer) -> str:
    """The opening line: what you get, the total, what is missing — or why there is nothing to compute."""
    if ans.kind == "refused":
        return ans.refusal
    if ans.kind == "greeting":
        return "请描述您的情况，例如所在地区、主体类型和年销售额。"
    if ans.kind == "off_topic":
        return "我是电商惠企政策问答助手，只能解答电子商务扶持政策和奖补测算方面的问题。"
    if ans.kind == "no_place":
        return f"请告诉我企业所在的市或区县，以便匹配当地政策。目前政策库覆盖：{_places(ans)}。"
    if ans.kind == "no_policy":
        return (
            f"政策库中暂无适用于{ans.place}的电商扶持政策，无法测算奖补。"
            f"目前收录的地区有：{_places(ans)}。建议向当地商务主管部门咨询。"
        )
    head = _award_conclusion(ans)
    if ans.kind == "info" and not (ans.eligible or ans.conditional):
        return f"按{ans.place}适用的政策，与您的问题相关的条款如下。"
    if ans.missing_topics and not ans.shown:
        return f"{ans.place}适用的政策中没有关于{'、'.join(ans.missing_topics)}的奖补条款。"
    if ans.related and not ans.shown:
        return head.rstrip("。") + "；以下是检索到的相关条款，供参考。"
    return head


def stand_in_question(s: StandIn) -> str:
    """「您的X是否就是Y（N万元）？」: a bare 「是的」 binds X to N."""
    fact, used = FACTS[s.fact], FACTS[s.used]
    return f"您的{fact.label}是否就是{used.label}（{describe_value(used, s.value)}）？"


def follow_up_text(f: FollowUp) -> str:
    if f.kind == "place":
        return "您的企业注册在哪个市或区县？"
    if f.kind == "entity_kind":
        return "您的主体类型是什么（如电商企业、个体工商户、直播公司、电商园区、村或乡镇）？"
    if f.kind == "stand_in" and f.stand_in is not None:
        return stand_in_question(f.stand_in)
    return f.text


def follow_up_texts(ans: Answer) -> list[str]:
    return [follow_up_text(f) for f in ans.follow_ups]


def _reading_text(r: Reading, place: str | None) -> str:
    if r.kind == "registered_here":
        return f"按主体在{place}依法登记注册、经营理解"
    fact, source = FACTS[r.fact or ""], FACTS[r.source or ""]
    return f"未说明{fact.label}；它不会高于您给出的{source.label}，据此可知未达到相应门槛"


def assumption_texts(ans: Answer) -> list[str]:
    """How the question was read: the parser's sentences, then the pipeline's readings."""
    return [*ans.assumptions, *(_reading_text(r, ans.place) for r in ans.readings)]


def warning_texts(ans: Answer) -> list[str]:
    if ans.kind == "no_policy":
        return [f"政策库未收录{ans.place}的政策"]
    out = list(ans.policy_warnings)
    for a in ans.shown:
        out.extend(a.warnings)
    out.extend(f"「{s.title}」{s.reason}" for s in ans.stacked_out)
    if ans.district_policies:
        out.append(
            f"区县另有政策（{'、'.join(ans.district_policies)}），如企业位于这些区县，可告诉我具体区县以匹配更多条款"
        )
    # One line per message: awards repeat the policy's notes, some with their own amounts in brackets.
    unique: dict[str, str] = {}
    for w in out:
        key = re.sub(r"（[^（）]*元）", "", w)
        # Two awards, two amounts: say the rule once, without either award's figures.
        unique[key] = key if key in unique else w
    return list(unique.values())


def _validity_line(v: PolicyValidity) -> str:
    kind = "征求意见稿" if v.draft else "正式文件"
    span = (
        f"{v.effective_from or '未载明'}至{v.effective_to or '未载明'}"
        if v.effective_from or v.effective_to
        else "施行日期未载明"
    )
    quoted = f"（原文：「{v.text}」）" if v.text else ""
    return f"{v.title}：{kind}，有效期{span}{quoted}；截至{v.day}：{v.label}"


def _examples_text(head: str, examples: Sequence[str]) -> str:
    return head + "\n" + "\n".join(f"- {q}" for q in examples)


def render_text(ans: Answer) -> str:
    """The whole answer as the CLI prints it and the contract's ``answer`` carries it."""
    head = conclusion(ans)
    if ans.kind == "refused":
        return head
    if ans.kind == "greeting":
        return _examples_text(head + "可以这样问：", ans.examples)
    if ans.kind == "off_topic":
        return _examples_text(head + "您可以这样问：", ans.examples)
    if ans.kind in ("no_place", "no_policy"):
        return head
    confirm = {s.fact: stand_in_question(s) for s in ans.stand_ins}
    lines = [head, ""]
    if ans.validity:
        lines.append("【政策效力】")
        lines.extend(f"- {_validity_line(v)}" for v in ans.validity)
        lines.append("")
    n = 0
    misses_title = "【差一点】" if all(a.gap for a in ans.near_misses) else "【暂不符合】"
    for group, title in (
        (ans.eligible, "【符合条件】"),
        (ans.conditional, "【可能符合，需确认】"),
        (ans.near_misses, misses_title),
    ):
        if not group:
            continue
        lines.append(title)
        for a in group:
            n += 1
            lines.extend(_award_block(n, a, confirm))
        lines.append("")
    if ans.related:
        lines.append("【相关条款】")
        lines.extend(f"- {c.citation}：「{c.text}」" for c in ans.related)
        lines.append("")
    if ans.elsewhere:
        lines.append(f"【其他地区政策中的相关条款（不适用于{ans.place}，仅供参考）】")
        lines.extend(f"- {c.citation}：「{c.text}」" for c in ans.elsewhere)
        lines.append("")
    assumptions = assumption_texts(ans)
    if assumptions:
        lines.append("【理解说明】" + "；".join(assumptions))
    questions = follow_up_texts(ans)
    if questions:
        lines.append("【请补充】" + " ".join(questions))
    warnings = warning_texts(ans)
    if warnings:
        lines.append("【提示】")
        lines.extend(f"- {w}" for w in warnings)
    lines.append(DISCLAIMER)
    return "\n".join(lines).strip()


# --- the contract -----------------------------------------------------------------------------


def _num(v: Decimal | None) -> int | float | None:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else float(v)


def award_out(a: Award) -> AwardOut:
    data = a.to_json()
    data["amount_text"] = a.amount_text
    return AwardOut(**data)


def award_citations(awards: Sequence[Award]) -> list[Citation]:
    """Each award's clause once (two branches of one clause quote the same text)."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for a in awards:
        key = (a.policy_id, a.clause_id, a.reference.text)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            Citation(
                policy_id=a.policy_id,
                clause_id=a.clause_id,
                text=a.reference.text,
                policy_title=a.reference.policy_title,
                citation=a.reference.citation,
            )
        )
    return out


def to_response(ans: Answer) -> AskResponse:
    """The JSON contract of one answer (CLI --json, REST API, gradio app, widget)."""
    evaluated = ans.kind in ("awards", "info")
    return AskResponse(
        answer=render_text(ans),
        awards=[award_out(a) for a in ans.shown],
        citations=award_citations(ans.shown) + list(ans.related),
        follow_up=follow_up_texts(ans),
        examples=list(ans.examples),
        warnings=warning_texts(ans),
        session_id=ans.session_id,
        best_total_yuan=_num(ans.totals.certain_yuan) if evaluated else None,
        conditional_total_yuan=_num(ans.totals.best_case_yuan) if evaluated else None,
        profile=ans.profile,
        error=ans.error,
        reply_kind=ans.kind,
        conclusion=conclusion(ans),
        assumptions=assumption_texts(ans),
        elsewhere=list(ans.elsewhere),
    )


def terminal_text(resp: AskResponse, numbered: bool = False) -> str:
    """What the terminal prints for one answer: the text, then the follow-up questions to reply to
    (``numbered``: one per line, for the interactive chat)."""
    if not resp.follow_up:
        return resp.answer
    if numbered:
        return resp.answer + "\n" + "\n".join(f"  追问{i}：{q}" for i, q in enumerate(resp.follow_up, 1))
    return resp.answer + "\n\n可以继续补充：" + " / ".join(resp.follow_up)
