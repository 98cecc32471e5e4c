"""The engine's findings in Chinese: every sentence about a rule's conditions, figures, gaps and caps.

The rule engine records data only (assistant/rules/results.py: ``Reason``, ``Missing``, ``Assumption``,
``TraceStep``); this module is the one place that words it. One ``Reason`` can be worded in more than one
role — as a trace line (``trace_text``), as a failed condition (``failed_text``), as the gap to a threshold
(``gap_text``), as a note or warning (``texts``) — so each role has its own table keyed by ``Reason.code``.
Words quoted from the rule file (``wording``, YAML notes and messages) are used verbatim.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..facts import ENTITY_KINDS, FACTS, FactDef, describe_value
from ..money import format_figure, format_yuan

if TYPE_CHECKING:  # the result types are only read here, never built
    from .results import Assumption, Award, Missing, Reason, TraceStep

OP_ZH = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "为", "!=": "不为", "in": "属于"}
_CAP_SCOPE = {"per_applicant": "每家", "per_item": "单项", "per_year": "每年", "cumulative": "累计", "": ""}
_ANY_OF = {"pass": "满足", "fail": "均不满足", "unknown": "待确认"}


def _f(name: str | None) -> FactDef:
    return FACTS[name or ""]


def unit_of(fact: FactDef) -> str:
    return {"money_yuan": "元", "money_usd": "美元", "percent": "%"}.get(fact.type, fact.unit or "")


def _shown(r: Reason) -> str:
    """The profile value as written for the fact that supplied it (a stand-in's own label and unit)."""
    return describe_value(_f(r.used or r.fact), r.actual)


def _gap(r: Reason) -> Decimal:
    return r.gap if r.gap is not None else Decimal(0)


def _kinds(r: Reason) -> str:
    return "、".join(ENTITY_KINDS[k].label for k in r.data["kinds"])


def _kind_label(r: Reason) -> str:
    return ENTITY_KINDS[r.actual].label


def expected_text(r: Reason) -> str:
    """What a condition asks for: the rule's own words when it gives them, else 「年网络零售额≥1000万元」."""
    if r.code == "any_of":
        return "或".join(expected_text(m) for m in r.data["members"])
    if r.code == "all_of":
        return "且".join(expected_text(m) for m in r.data["members"])
    if r.wording:
        return r.wording
    fact = _f(r.fact)
    if r.op == "in":
        return f"{fact.label}属于{'、'.join(describe_value(fact, x) for x in r.threshold)}"
    return f"{fact.label}{OP_ZH[r.op or '==']}{describe_value(fact, r.threshold)}"


def _tier_words(r: Reason) -> str:
    """A tier as the rule words it, else as a comparison."""
    if r.wording:
        return r.wording
    fact = _f(r.fact)
    return f"{fact.label}{OP_ZH[r.op or '>=']}{describe_value(fact, r.threshold)}"


# --- trace lines ----------------------------------------------------------------------------------


def _trace_condition(r: Reason, outcome: str) -> str:
    if outcome == "unknown":
        return f"{expected_text(r)}：{_f(r.fact).label}未知"
    ok = outcome in ("pass", "assumed")
    return f"{expected_text(r)}：当前{_shown(r)}，{'满足' if ok else '不满足'}"


def _trace_applicant(r: Reason, outcome: str) -> str:
    kinds = _kinds(r)
    if r.actual is None:
        return f"申报主体应为{kinds}：主体类型未知"
    label = _kind_label(r)
    if outcome == "pass":
        return f"申报主体应为{kinds}：当前为{label}，满足"
    if outcome == "unknown":
        return f"申报主体应为{kinds}：当前为{label}（范围更宽），待确认"
    return f"申报主体应为{kinds}：当前为{label}，不满足"


def _trace_cap(r: Reason, outcome: str) -> str:
    what = _CAP_SCOPE[r.data.get("scope", "")]
    if outcome == "applied":
        return f"{what}上限{format_yuan(r.threshold)}：{format_yuan(r.actual)} → {format_yuan(r.threshold)}"
    return f"{what}上限{format_yuan(r.threshold)}：未超过"


def _trace_contribution(r: Reason, outcome: str) -> str:
    d = r.data
    if outcome == "unknown":
        return f"{d['quote']}：贡献数未知，待确认"
    if outcome == "applied":
        return (
            f"不超过对地方贡献数{format_yuan(r.actual)}的{d['share']}：{format_yuan(d['amount'])} → "
            f"{format_yuan(r.threshold)}"
        )
    return f"不超过对地方贡献数的{d['share']}（{format_yuan(r.threshold)}）：未超过"


def _per_fact(r: Reason) -> str:
    f = _f(r.fact)
    return f"{f.label}{describe_value(f, r.actual)}"


_TRACE: dict[str, Callable[[Reason, str], str]] = {
    "condition": _trace_condition,
    "any_of": lambda r, o: f"任一条件（{r.wording or '以下条件之一'}）：{_ANY_OF[o]}",
    "applicant": _trace_applicant,
    "requirement_fact": lambda r, o: f"须符合（请确认）：{r.wording}",
    "requirement": lambda r, o: f"须经主管部门认定：{requirement_text(r)}",
    "cap": _trace_cap,
    "contribution_cap": _trace_contribution,
    "tier_halved": lambda r, o: f"{r.wording}：各档门槛减半",
    "tier_none": lambda r, o: f"{_f(r.fact).label}{_shown(r)}：未达到任何一档",
    "tier_reached": lambda r, o: (
        f"{_f(r.fact).label}{_shown(r)}：达到「{_tier_words(r)}」一档，{format_yuan(r.data['amount'])}"
    ),
    "tier_blocked": lambda r, o: f"{r.data['amount']}一档另须{'、'.join(r.data['requirements'])}：不满足",
    "tier_halve_possible": lambda r, o: f"按减半标准可达{format_yuan(r.data['amount'])}一档（须符合：{r.wording}）",
    "difference": lambda r, o: (
        f"补差计奖：{format_yuan(r.data['amount'])} − 已获{describe_value(_f(r.fact), r.actual)}"
        f"奖励{format_yuan(r.data['paid'])} = {format_yuan(max(r.data['diff'], Decimal(0)))}"
    ),
    "less_received": lambda r, o: (
        f"{r.wording or '按差额补足'}：{format_yuan(r.data['amount'])} − 已获"
        f"{format_yuan(r.actual)} = {format_yuan(max(r.data['diff'], Decimal(0)))}"
    ),
    "per_unit": lambda r, o: (
        f"{_per_fact(r)} ÷ {r.data['unit']} = {r.data['units']}个整单位 × {r.data['rate']} = "
        f"{format_yuan(r.data['raw'])}"
    ),
    "percent": lambda r, o: f"{_per_fact(r)} × {r.data['rate']} = {format_yuan(r.data['per_item'])}",
    "percent_one_item": lambda r, o: (
        f"按1{_f(r.fact).unit or '项'}计：{format_yuan(r.data['per_item'])}（{_f(r.fact).label}未知，待确认）"
    ),
    "count_limit": lambda r, o: (
        f"{_f(r.fact).label}最多{r.threshold}：{describe_value(_f(r.fact), r.actual)} → {r.threshold}"
    ),
    "multiply": lambda r, o: f"{format_yuan(r.data['per_item'])} × {r.data['count']} = {format_yuan(r.data['amount'])}",
    "rate_tier_none": lambda r, o: f"{_f(r.fact).label}{_shown(r)}：未达到任何补助档",
    "rate_tier_reached": lambda r, o: (
        f"{_f(r.fact).label}{_shown(r)}：适用「{_tier_words(r)}」，每月每平方米{format_yuan(r.data['rate'])}"
    ),
    "area_rate": lambda r, o: (
        f"{describe_value(_f(r.fact), r.actual)} × {format_yuan(r.data['rate'])}/平方米/月 × "
        f"{r.data['months']}个月 = {format_yuan(r.data['raw'])}"
    ),
    "count": lambda r, o: f"{describe_value(_f(r.fact), r.actual)} × {r.data['amount']} = {format_yuan(r.data['raw'])}",
    "count_subset": lambda r, o: _count_subset(r),
    "subset_exceeds": lambda r, o: (
        f"其中{_f(r.fact).label}{describe_value(_f(r.fact), r.actual)}多于"
        f"{_f(r.data['count_fact']).label}{describe_value(_f(r.data['count_fact']), r.threshold)}"
        "，待确认"
    ),
    "terms_minimum": lambda r, o: (
        f"{_terms_label(r)}合计{format_figure(Decimal(r.actual), r.data['unit'])}："
        f"{r.wording or OP_ZH[r.op or '>='] + format_figure(Decimal(r.threshold), r.data['unit'])}"
        f"{'，满足' if o == 'pass' else '，不满足'}"
    ),
    "terms_total": lambda r, o: f"各项合计{format_yuan(r.data['raw'])}",
    "base_sum": lambda r, o: (
        "补助基数 "
        + " + ".join(f"{_f(b).label}{describe_value(_f(b), v)}" for b, v in r.data["parts"])
        + f" = {format_yuan(r.data['total'])}"
    ),
    "base_parts_unknown": lambda r, o: (
        "补助基数为"
        + "、".join(_f(b).label for b in r.data["parts"])
        + "之和："
        + "、".join(_f(b).label for b in r.data["parts"] if b not in r.data["known"])
        + "未知，待确认（不以部分代替合计）"
    ),
    "percent_sum": lambda r, o: f"{format_yuan(r.actual)} × {r.data['rate']} = {format_yuan(r.data['per_item'])}",
    "per_step": lambda r, o: (
        f"{_per_fact(r)} ÷ {r.data['step']} = {r.data['steps']}个整台阶 × {r.data['amount']} = "
        f"{format_yuan(r.data['raw'])}"
    ),
    "first_year": lambda r, o: f"首年奖励{r.data['amount']}",
    "cumulative_unknown": lambda r, o: f"累计上限{r.data['cap']}：已获奖励未知，须确认累计不超过上限",
    "cumulative_cap": lambda r, o: (
        f"累计上限{r.data['cap']}（已获{format_yuan(r.actual)}）：{format_yuan(r.data['raw'])} → "
        f"{format_yuan(r.data['room'])}"
    ),
    "items_count": lambda r, o: f"{_per_fact(r)} × 每{r.data['item']}{r.data['each']} = {format_yuan(r.data['raw'])}",
    "items_needed": lambda r, o: f"按每{r.data['item']}分别计算后加总：须逐一列出各{r.data['item']}的情况",
    "items_total": lambda r, o: (
        f"{r.data['items']}个{r.data['item']}中{r.data['reached']}个达到条件，合计{format_yuan(r.data['total'])}"
    ),
    "fixed": lambda r, o: f"{'最高' if r.data.get('ceiling') else ''}{r.data['amount']}",
    "discretionary": lambda r, o: (
        f"「{r.wording}」：原文未规定金额" + (f"，最高{r.data['max']}" if r.data.get("max") else "")
    ),
    "per_year": lambda r, o: _per_year_text(r),
}


def _count_subset(r: Reason) -> str:
    n, s = Decimal(r.threshold), Decimal(r.actual)
    return (
        f"其中{_f(r.fact).label}{describe_value(_f(r.fact), s)}：({n} − {s}) × {r.data['amount']} + "
        f"{s} × {r.data['subset_amount']} = {format_yuan(r.data['raw'])}"
    )


def _terms_label(r: Reason) -> str:
    return "、".join(_f(x).label for x in r.data["facts"])


def trace_text(step: TraceStep) -> str:
    text = _TRACE[step.reason.code](step.reason, step.outcome)
    return f"第{step.item_no}个{step.item}：{text}" if step.item else text


_VALUE_CODES = ("condition", "tier_none", "tier_reached", "rate_tier_none", "rate_tier_reached", "per_year")


def trace_value(step: TraceStep) -> str | None:
    """The profile value a step tested, as Chinese text (None for formulas and unknown facts)."""
    r = step.reason
    if r.code == "applicant":
        return _kind_label(r) if r.actual is not None else None
    if r.code in _VALUE_CODES and step.outcome != "unknown" and r.actual is not None:
        return _shown(r)
    return None


# --- failed conditions and gaps -------------------------------------------------------------------


def _per_year_text(r: Reason) -> str:
    years = "、".join(f"{y}年" for y in r.threshold)
    return f"本条按{years}的数据逐年计奖，所给数据为{r.actual}年，不在其内"


_FAILED: dict[str, Callable[[Reason], str]] = {
    "condition": lambda r: (
        f"{expected_text(r)}（当前{_shown(r)}"
        + (f"，按{_f(r.used).label}代替" if r.used and r.used != r.fact else "")
        + "）"
    ),
    "any_of": lambda r: "以下条件均不满足：" + "；".join(expected_text(m) for m in r.data["members"]),
    "applicant": lambda r: f"申报主体应为{_kinds(r)}（当前为{_kind_label(r)}）",
    "tier_none": lambda r: f"{_f(r.fact).label}未达到最低档（当前{_shown(r)}）",
    "difference_none": lambda r: f"荣誉未升级（此前已获{describe_value(_f(r.fact), r.actual)}），不再奖励",
    "less_received_none": lambda r: (
        f"已获{_f(r.fact).label}{format_yuan(r.actual)}，不低于本条可得的{format_yuan(r.threshold)}，不再奖励"
    ),
    "rate_tier_none": lambda r: f"{_f(r.fact).label}未达到补助标准（{_tier_words(r)}；当前{_shown(r)}）",
    "count_zero": lambda r: f"{_f(r.fact).label}为0",
    "step_none": lambda r: f"{_f(r.fact).label}未达到{r.data['step']}（当前{describe_value(_f(r.fact), r.actual)}）",
    "cumulative_full": lambda r: f"已达累计上限{r.data['cap']}",
    "items_none": lambda r: f"没有{r.data['item']}达到条件",
    "terms_minimum": lambda r: (
        f"{r.wording or _terms_label(r) + OP_ZH[r.op or '>='] + format_figure(Decimal(r.threshold), r.data['unit'])}"
        f"（当前{_terms_label(r)}合计{format_figure(Decimal(r.actual), r.data['unit'])}）"
    ),
    "terms_zero": lambda r: f"{_terms_label(r)}为0",
    "per_year": _per_year_text,
}


def failed_text(r: Reason) -> str:
    return _FAILED[r.code](r)


def _gap_condition(r: Reason) -> str:
    fact = _f(r.fact)
    unit = unit_of(fact)
    diff, thr = format_figure(_gap(r), unit), format_figure(Decimal(r.threshold), unit)
    if r.op == ">=":
        return f"{fact.label}还差{diff}达到{thr}门槛"
    return f"{fact.label}须超过{thr}门槛（还差{diff}以上）"


def _gap_tier(r: Reason) -> str:
    fact = _f(r.fact)
    unit = unit_of(fact)
    word = "达到" if r.op == ">=" else "超过"
    which = "下一档" if r.data["next"] else "最低档"
    return (
        f"{fact.label}还差{format_figure(_gap(r), unit)}{word}{which}{format_figure(Decimal(r.threshold), unit)}，"
        f"可得{format_yuan(r.data['amount'])}"
    )


def _gap_rate_tier(r: Reason) -> str:
    fact = _f(r.fact)
    word = "达到" if r.op == ">=" else "超过"
    return f"{fact.label}须{word}{format_figure(Decimal(r.threshold), unit_of(fact))}（当前{_shown(r)}）"


def _step_unit(fact: FactDef) -> str:
    return "元" if fact.type == "money_yuan" else (fact.unit or "")


def _gap_step(r: Reason) -> str:
    fact = _f(r.fact)
    if r.data.get("increment"):
        return f"{fact.label}还差{format_yuan(_gap(r))}达到{r.data['step']}，可追加{r.data['amount']}"
    return f"{fact.label}还差{format_figure(_gap(r), _step_unit(fact))}达到{r.data['step']}，可得{r.data['amount']}"


_GAP: dict[str, Callable[[Reason], str]] = {
    "condition": _gap_condition,
    "tier_gap": _gap_tier,
    "rate_tier_none": _gap_rate_tier,
    "step_none": _gap_step,
    "terms_minimum": lambda r: (
        f"{_terms_label(r)}合计还差{format_figure(_gap(r), r.data['unit'])}达到"
        f"{format_figure(Decimal(r.threshold), r.data['unit'])}门槛"
    ),
    "step_more": lambda r: (
        f"{_f(r.fact).label}再增长{format_figure(_gap(r), _step_unit(_f(r.fact)))}可多得{r.data['amount']}"
    ),
}


def gap_text(r: Reason) -> str:
    return _GAP[r.code](r)


# --- requirements, notes, warnings ----------------------------------------------------------------


def requirement_text(r: Reason) -> str:
    """A requirement the department judges, quoted; a rank with no fact to test is ranked by the department."""
    if r.data.get("ranked_by_department"):
        return f"{r.wording}（名次由主管部门评定）"
    return r.wording or ""


def _policy_name(d: dict[str, Any]) -> str:
    return f"《{d['title']}》" if d.get("title") else d["policy_id"]


def _instalments(r: Reason) -> str:
    parts = [
        f"{p['label']}拨付{format_figure(p['share'], '%')}"
        + (f"（{format_yuan(p['amount'])}）" if p.get("amount") is not None else "")
        for p in r.data["parts"]
    ]
    return "奖励分期拨付：" + "，".join(parts)


_NOTE: dict[str, Callable[[Reason], str]] = {
    "halve_if": lambda r: f"{r.wording}：若符合，可得{format_yuan(r.data['amount'])}",
    "difference_if": lambda r: f"{r.wording or '荣誉升级，补差计奖'}：若此前已按较低级别获奖，只补差额",
    "months_default": lambda r: "未提供租用月数，按全年12个月计算（每年补助额）",
    "items_list": lambda r: (
        f"本条按每{r.data['item']}分别计奖后加总"
        + (f"，每家最高{r.data['cap']}" if r.data.get("cap") else "")
        + f"：请逐一提供各{r.data['item']}的数据"
    ),
    "subset_unstated": lambda r: (
        f"未说明其中{_f(r.fact).label}，以上全部按每{_f(r.data['count_fact']).unit or '个'}"
        f"{r.data['amount']}计算；{r.wording or '其中' + _f(r.fact).label + '按' + str(r.data['subset_amount'])}"
        "，如有请说明人数"
    ),
    "terms_unstated": lambda r: (
        "未说明" + "、".join(_f(x).label for x in r.data["facts"]) + "，按没有计算；如有，请补充，合并计算"
    ),
    "data_years": lambda r: "按" + "、".join(f"{y}年度" for y in r.data["years"]) + "数据计算",
    "instalments": _instalments,
    "policy_draft": lambda r: f"{_policy_name(r.data)}为征求意见稿，尚未正式施行，条款和金额以正式文件为准",
    "policy_expired": lambda r: (
        f"{_policy_name(r.data)}有效期至{r.data['effective_to']:%Y年%m月%d日}，已失效"
        f"（今天是{r.data['today']:%Y年%m月%d日}），以下测算仅供参考，现已不能按此申报"
    ),
    "policy_not_yet": lambda r: f"{_policy_name(r.data)}自{r.data['effective_from']:%Y年%m月%d日}起施行，尚未生效",
    "policy_dates_unstated": lambda r: f"{_policy_name(r.data)}的施行日期未载明（原文：「{r.data['validity_text']}」）",
    "rule_expired": lambda r: f"本条适用至{r.data['valid_to']:%Y年%m月%d日}，已过期",
    "rule_not_yet": lambda r: f"本条自{r.data['valid_from']:%Y年%m月%d日}起适用，尚未开始",
    "review_needed": lambda r: "本条规则为自动起草、尚未经人工核对（review: needed），金额仅供参考",
    "no_rules": lambda r: f"政策 {r.data['policy_id']} 尚无奖补规则（rules/{r.data['policy_id']}.yaml），无法测算",
    "stacking_across": lambda r: r.wording or f"{r.data['quote']}（{r.data['policy_id']} {r.data['clause_id']}）",
}


def note_text(item: str | Reason) -> str:
    """A note or warning: the rule file's own words verbatim, or the engine's finding worded."""
    return item if isinstance(item, str) else _NOTE[item.code](item)


def texts(items: Iterable[str | Reason]) -> list[str]:
    return [note_text(i) for i in items]


# --- questions and assumptions --------------------------------------------------------------------


def _question_context(r: Reason) -> str:
    if r.code == "applicant":
        return (
            f"贵单位是否属于{_kinds(r)}？" if r.actual is not None else f"申报主体是什么类型？本条适用于：{_kinds(r)}"
        )
    if r.code == "contribution_cap":
        return f"企业对地方贡献数是多少（元）？奖补资金不得超过其{r.data['share']}"
    if r.code == "count_default_one":
        f = _f(r.fact)
        return f"{f.label}是多少（{f.unit or '项'}）？目前按1{f.unit or '项'}计算"
    if r.code == "base_part":
        return (
            f"{_f(r.fact).label}是多少（元）？补助基数为"
            + "、".join(_f(b).label for b in r.data["parts"])
            + "之和，没有请填0"
        )
    if r.code == "subset_exceeds":
        return f"{_f(r.fact).label}是多少？应不多于{_f(r.data['count_fact']).label}"
    if r.code == "cumulative_received":
        return f"此前已累计获得的该项奖励是多少（元）？累计最高{r.data['cap']}"
    raise KeyError(r.code)  # pragma: no cover


def question(m: Missing) -> str:
    """What to ask the user for a missing fact."""
    f = _f(m.fact)
    if m.per_item:
        return f"各{m.per_item}的{m.label}分别是多少？"
    if m.stands_in:
        return f"{f.label}是多少？（目前按{_f(m.stands_in).label}计算）"
    if m.context is not None:
        return _question_context(m.context)
    return m.ask or f.ask()


def assumption(a: Assumption) -> str:
    f, u = _f(a.fact), _f(a.used)
    return f"按{u.label}（{describe_value(u, a.value)}）代替{f.label}计算，请确认二者一致"


# --- the total ------------------------------------------------------------------------------------


def breakdown_reason(r: Reason) -> str:
    """Why an award is counted in the total, or not."""
    d = r.data
    if r.code == "counted":
        return "计入合计" + ("（最高额）" if d.get("ceiling") else "") + ("（每年）" if d.get("per_year") else "")
    if r.code == "expired":
        return "政策已到期，不计入合计"
    if r.code == "conditional":
        return "待确认条件，未计入合计"
    if r.code == "no_amount":
        return (
            "金额未定（一事一议/适当补助）或缺少数据，未计入合计"
            if d.get("discretionary")
            else "缺少计算所需数据，未计入合计"
        )
    if r.code == "stacked":
        return f"与「{d['title']}」（{d['clause_id']}）就高不重复，只计较高者" + (f"：{r.wording}" if r.wording else "")
    return "未计入合计"


# --- the award's figure ---------------------------------------------------------------------------


def amount_text(a: Award) -> str:
    """「20万元」「最高20万元」「每年3万元」「金额未定（最高20万元）」「待定」."""
    if a.amount_yuan is None:
        if a.discretionary:
            return f"金额未定（最高{format_yuan(a.max_yuan)}）" if a.max_yuan is not None else "金额未定（一事一议）"
        return f"待定（最高{format_yuan(a.max_yuan)}）" if a.max_yuan is not None else "待定"
    text = format_yuan(a.amount_yuan)
    if a.is_ceiling:
        text = f"最高{text}"
    if a.per_year:
        text = f"每年{text}"
    return text


def citation_text(a: Award) -> str:
    """「第（八）条：10万元」-style one-liner."""
    return f"{a.reference.citation or a.clause_id}：{amount_text(a)}"
