"""The deterministic rule engine: a rule + a profile → an Award; policies + a profile → an Evaluation.

Pure functions of (rules, facts, today); Decimal arithmetic only. A rule is never
evaluated on an assumed fact: an unknown fact makes the award ``conditional`` and
is reported (with its question); a stand-in fact (``fallbacks``) is named as an
assumption. Failed conditions make it ``ineligible``, with the gap to the
threshold when there is one.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from ..facts import ENTITY_KINDS, FACTS, LEVEL_RANK, FactDef, describe_value, kind_relation, validate_facts
from .figures import format_figure, format_yuan
from .loader import RuleBook, load_rulebook
from ..models import cite, validity_state
from .results import (
    Assumption,
    Award,
    BreakdownItem,
    Evaluation,
    InstalmentOut,
    Missing,
    Reference,
    TraceStep,
)
from .schema import (
    AllOf,
    AnyOf,
    AreaRate,
    Ceiling,
    Compare,
    CountAmount,
    Discretionary,
    Fixed,
    Increments,
    PercentOf,
    PerStep,
    PerUnit,
    PolicyRules,
    Rule,
    SumOverItems,
    Tiers,
)

_CENT = Decimal("0.01")
OP_ZH = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "为", "!=": "不为", "in": "属于"}


def _money(d: Decimal) -> Decimal:
    """Money to the fen, exact; whole yuan stay whole."""
    d = d.quantize(_CENT, rounding=ROUND_HALF_UP)
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


def _floor(d: Decimal) -> Decimal:
    return d.to_integral_value(rounding=ROUND_FLOOR)


# --- per-evaluation state -------------------------------------------------------------------------


@dataclass
class _Ctx:
    facts: dict[str, Any]
    missing: dict[str, Missing] = field(default_factory=dict)
    assumptions: dict[str, Assumption] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    trace: list[TraceStep] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)  # recognition requirements of the tier reached
    to_confirm: list[str] = field(default_factory=list)  # factual requirements of the tier reached, not tested

    def need(self, name: str, question: str | None = None) -> None:
        f = FACTS[name]
        if name not in self.missing:
            self.missing[name] = Missing.model_construct(fact=name, label=f.label, question=question or f.ask())

    def get(self, name: str) -> tuple[Any, str | None]:
        """(value, fact actually used) — a fallback stands in as a named assumption; (None, None) if unknown."""
        if name in self.facts:
            return self.facts[name], name
        for fb in FACTS[name].fallbacks:
            if fb in self.facts:
                return self.facts[fb], fb
        return None, None

    def value(self, name: str, question: str | None = None) -> Any:
        """The value for ``name``, recording the assumption or the missing fact."""
        v, used = self.get(name)
        if used is None:
            self.need(name, question)
            return None
        if used != name:
            f, u = FACTS[name], FACTS[used]
            self.assumptions.setdefault(
                name,
                Assumption.model_construct(fact=name, used=used, text=f"按{u.label}（{describe_value(u, v)}）代替{f.label}计算，请确认二者一致"),
            )
            self.need(name, f"{f.label}是多少？（目前按{u.label}计算）")
        return v


# --- comparisons ----------------------------------------------------------------------------------


def _rank(fact: FactDef, v: Any) -> Any:
    return LEVEL_RANK[v] if fact.type == "level" else v


def compare(fact: FactDef, op: str, actual: Any, expected: Any) -> bool:
    if op == "in":
        return actual in expected
    a, e = _rank(fact, actual), _rank(fact, expected)
    if op == "==":
        return a == e
    if op == "!=":
        return a != e
    if op == ">=":
        return a >= e
    if op == ">":
        return a > e
    if op == "<=":
        return a <= e
    if op == "<":
        return a < e
    raise ValueError(op)  # pragma: no cover


def _expected_text(fact: FactDef, op: str, expected: Any, wording: str | None) -> str:
    if wording:
        return wording
    if op == "in":
        return f"{fact.label}属于{'、'.join(describe_value(fact, x) for x in expected)}"
    return f"{fact.label}{OP_ZH[op]}{describe_value(fact, expected)}"


def _gap_text(fact: FactDef, op: str, actual: Any, expected: Any) -> str | None:
    if fact.type not in ("money_yuan", "money_usd", "count", "percent") or op not in (">=", ">"):
        return None
    diff = Decimal(expected) - Decimal(actual)
    unit = {"money_yuan": "元", "money_usd": "美元", "percent": "%"}.get(fact.type, fact.unit or "")
    if op == ">=":
        return f"{fact.label}还差{format_figure(diff, unit)}达到{format_figure(Decimal(expected), unit)}门槛"
    return f"{fact.label}须超过{format_figure(Decimal(expected), unit)}门槛（还差{format_figure(diff, unit)}以上）"


def _eval_condition(cond: Any, ctx: _Ctx, record: bool = True) -> str:
    """'pass' | 'fail' | 'unknown' (assumed values count as pass/fail but are recorded as assumptions)."""
    if isinstance(cond, Compare):
        fact = FACTS[cond.fact]
        expected_text = _expected_text(fact, cond.op, cond.parsed, cond.wording)
        v, used = ctx.get(cond.fact)
        if used is None:
            if record:
                ctx.need(cond.fact, cond.question)
                ctx.trace.append(TraceStep.model_construct(kind="condition", text=f"{expected_text}：{fact.label}未知", outcome="unknown", fact=cond.fact))
            return "unknown"
        if record and used != cond.fact:
            ctx.value(cond.fact, cond.question)  # records the assumption
        ok = compare(fact, cond.op, v, cond.parsed)
        if record:
            shown = describe_value(FACTS[used], v)
            outcome = ("assumed" if used != cond.fact else "pass") if ok else "fail"
            ctx.trace.append(
                TraceStep.model_construct(kind="condition", text=f"{expected_text}：当前{shown}，{'满足' if ok else '不满足'}",
                          outcome=outcome, fact=cond.fact, value=shown)
            )
            if not ok:
                via = f"，按{FACTS[used].label}代替" if used != cond.fact else ""
                ctx.failed.append(f"{expected_text}（当前{shown}{via}）")
                gap = _gap_text(fact, cond.op, v, cond.parsed)
                if gap:
                    ctx.gaps.append(gap)
        return "pass" if ok else "fail"
    if isinstance(cond, AnyOf):
        results = [_eval_condition(c, ctx, record=False) for c in cond.any_of]
        if "pass" in results:
            res = "pass"
        elif all(r == "fail" for r in results):
            res = "fail"
        else:
            res = "unknown"
        if record:
            # Record the members so the trace and the questions say what would satisfy the OR.
            for c in cond.any_of:
                if res == "pass" and _eval_condition(c, ctx, record=False) != "pass":
                    continue
                sub = _Ctx(facts=ctx.facts)
                _eval_condition(c, sub, record=True)
                ctx.trace.extend(sub.trace)
                if res == "unknown":
                    ctx.missing.update({k: v for k, v in sub.missing.items() if k not in ctx.missing})
                ctx.assumptions.update({k: v for k, v in sub.assumptions.items() if res != "fail"})
                if res == "pass":
                    break
            label = cond.wording or "以下条件之一"
            ctx.trace.append(TraceStep.model_construct(kind="condition", text=f"任一条件（{label}）：{ {'pass': '满足', 'fail': '均不满足', 'unknown': '待确认'}[res] }",
                                       outcome=res))
            if res == "fail":
                ctx.failed.append("以下条件均不满足：" + "；".join(_describe(c) for c in cond.any_of))
        return res
    if isinstance(cond, AllOf):
        results = [_eval_condition(c, ctx, record=record) for c in cond.all_of]
        if "fail" in results:
            return "fail"
        return "pass" if all(r == "pass" for r in results) else "unknown"
    raise TypeError(type(cond))  # pragma: no cover


def _describe(cond: Any) -> str:
    if isinstance(cond, Compare):
        return _expected_text(FACTS[cond.fact], cond.op, cond.parsed, cond.wording)
    if isinstance(cond, AnyOf):
        return "或".join(_describe(c) for c in cond.any_of)
    if isinstance(cond, AllOf):
        return "且".join(_describe(c) for c in cond.all_of)
    return str(cond)


def _eval_applicants(rule: Rule, ctx: _Ctx) -> str:
    kinds = "、".join(ENTITY_KINDS[k].label for k in rule.applicants)
    profile = ctx.facts.get("entity_kind")
    if profile is None:
        ctx.need("entity_kind", f"申报主体是什么类型？本条适用于：{kinds}")
        ctx.trace.append(TraceStep.model_construct(kind="applicant", text=f"申报主体应为{kinds}：主体类型未知", outcome="unknown", fact="entity_kind"))
        return "unknown"
    rels = [kind_relation(profile, k) for k in rule.applicants]
    label = ENTITY_KINDS[profile].label
    if "pass" in rels:
        ctx.trace.append(TraceStep.model_construct(kind="applicant", text=f"申报主体应为{kinds}：当前为{label}，满足", outcome="pass",
                                   fact="entity_kind", value=label))
        return "pass"
    if "unknown" in rels:
        ctx.need("entity_kind", f"贵单位是否属于{kinds}？")
        ctx.trace.append(TraceStep.model_construct(kind="applicant", text=f"申报主体应为{kinds}：当前为{label}（范围更宽），待确认",
                                   outcome="unknown", fact="entity_kind", value=label))
        return "unknown"
    ctx.failed.append(f"申报主体应为{kinds}（当前为{label}）")
    ctx.trace.append(TraceStep.model_construct(kind="applicant", text=f"申报主体应为{kinds}：当前为{label}，不满足", outcome="fail",
                               fact="entity_kind", value=label))
    return "fail"


# --- award forms ----------------------------------------------------------------------------------


@dataclass
class _Amount:
    amount: Decimal | None = None
    max: Decimal | None = None
    reached: bool = True  # False: the metric is known and no award is reached (tiers/steps) → ineligible
    conditional: bool = False  # the figure depends on an unknown that is not a plain missing fact


def _cap(amount: Decimal, cap: Any, what: str, ctx: _Ctx) -> Decimal:
    if cap is None:
        return amount
    if amount > cap.value:
        ctx.trace.append(TraceStep.model_construct(kind="cap", text=f"{what}上限{format_yuan(cap.value)}：{format_yuan(amount)} → {format_yuan(cap.value)}",
                                   outcome="applied"))
        return cap.value
    ctx.trace.append(TraceStep.model_construct(kind="cap", text=f"{what}上限{format_yuan(cap.value)}：未超过", outcome="not_applied"))
    return amount


def _tier_requirements(award: Tiers, ctx: _Ctx) -> dict[int, str]:
    """id(tier) → 'pass' | 'fail' | 'unknown' for tiers with tested requirements (前五名 with a rank fact …)."""
    out = {}
    for t in award.tiers:
        tested = [r.compare for r in t.requirements if r.compare is not None]
        if tested:
            results = [_eval_condition(c, ctx, record=False) for c in tested]
            out[id(t)] = "fail" if "fail" in results else ("unknown" if "unknown" in results else "pass")
    return out


def _tier_pick(award: Tiers, fact: FactDef, value: Any, halve: bool,
               blocked: frozenset[int] = frozenset()) -> tuple[Any, Any]:
    """(best reached tier or None, next unreached tier with a higher amount or None); ``blocked`` tiers (a tier
    requirement fails) are never reached."""
    best, nxt = None, None
    for t in award.tiers:
        if id(t) in blocked:
            continue
        threshold = t.parsed
        if halve and fact.type in ("money_yuan", "money_usd", "count", "percent"):
            threshold = Decimal(threshold) / 2
        if compare(fact, t.op, value, threshold):
            if best is None or t.amount.value > best[0].amount.value:
                best = (t, threshold)
    for t in award.tiers:
        if id(t) in blocked:
            continue
        threshold = Decimal(t.parsed) / 2 if (halve and fact.type in ("money_yuan", "money_usd", "count", "percent")) else t.parsed
        if compare(fact, t.op, value, threshold):
            continue
        if best is not None and t.amount.value <= best[0].amount.value:
            continue
        if nxt is None or _rank(fact, threshold) < _rank(fact, nxt[1]):
            nxt = (t, threshold)
    return best, nxt


def _tiers(award: Tiers, ctx: _Ctx) -> _Amount:
    fact = FACTS[award.metric]
    top = max(t.amount.value for t in award.tiers)
    value = ctx.value(award.metric)
    if value is None:
        return _Amount(None, top)
    halve_opts: list[bool] = [False]
    halve_known = True
    if award.halve_thresholds_when:
        hv = ctx.facts.get(award.halve_thresholds_when.fact)
        if hv is None:
            halve_known = False
            halve_opts = [False, True]
        else:
            halve_opts = [bool(hv)]
    tier_req = _tier_requirements(award, ctx)
    blocked = frozenset(k for k, v in tier_req.items() if v == "fail")
    results = []
    for halve in halve_opts:
        best, nxt = _tier_pick(award, fact, value, halve, blocked)
        results.append((halve, best, nxt))
    halve, best, nxt = results[0]
    shown = describe_value(fact, value)
    unit = {"money_yuan": "元", "money_usd": "美元", "percent": "%"}.get(fact.type, fact.unit or "")
    if halve:
        ctx.trace.append(TraceStep.model_construct(kind="tier", text=f"{award.halve_thresholds_when.wording}：各档门槛减半", outcome="applied"))
    if best is None:
        res = _Amount(None, top, reached=False)
        if nxt is not None and fact.type in ("money_yuan", "money_usd", "count", "percent"):
            diff = Decimal(nxt[1]) - Decimal(value)
            word = "达到" if nxt[0].op == ">=" else "超过"
            ctx.gaps.append(f"{fact.label}还差{format_figure(diff, unit)}{word}最低档{format_figure(Decimal(nxt[1]), unit)}，可得{format_yuan(nxt[0].amount.value)}")
        ctx.trace.append(TraceStep.model_construct(kind="tier", text=f"{fact.label}{shown}：未达到任何一档", outcome="fail", fact=award.metric, value=shown))
        ctx.failed.append(f"{fact.label}未达到最低档（当前{shown}）")
    else:
        t, threshold = best
        amount = t.amount.value
        ctx.trace.append(TraceStep.model_construct(kind="tier", text=f"{fact.label}{shown}：达到「{t.wording or _expected_text(fact, t.op, threshold, None)}」一档，{format_yuan(amount)}",
                                   outcome="pass", fact=award.metric, value=shown))
        res = _Amount(amount, top)
        for req in t.requirements:
            if req.compare is not None:
                _eval_condition(req.compare, ctx)  # records the trace, and the fact to ask when unknown
            elif req.kind == "fact":
                ctx.to_confirm.append(req.wording)
            else:
                ctx.requirements.append(req.shown_text)
        if tier_req.get(id(t)) == "unknown":
            res.conditional = True
        for other in award.tiers:
            if id(other) in blocked and other.amount.value > amount:
                ctx.trace.append(TraceStep.model_construct(kind="tier", text=f"{other.amount}一档另须{'、'.join(r.wording for r in other.requirements)}：不满足", outcome="fail"))
        if nxt is not None and fact.type in ("money_yuan", "money_usd", "count", "percent"):
            diff = Decimal(nxt[1]) - Decimal(value)
            word = "达到" if nxt[0].op == ">=" else "超过"
            ctx.gaps.append(f"{fact.label}还差{format_figure(diff, unit)}{word}下一档{format_figure(Decimal(nxt[1]), unit)}，可得{format_yuan(nxt[0].amount.value)}")
    if not halve_known:
        _, hbest, _ = results[1]
        h_amount = hbest[0].amount.value if hbest else None
        if h_amount != res.amount:
            ctx.need(award.halve_thresholds_when.fact)
            ctx.notes.append(f"{award.halve_thresholds_when.wording}：若符合，可得{format_yuan(h_amount)}" if h_amount is not None else "")
            if res.amount is None and h_amount is not None:
                res = _Amount(h_amount, top, reached=True, conditional=True)
                ctx.trace.append(TraceStep.model_construct(kind="tier", text=f"按减半标准可达{format_yuan(h_amount)}一档（须经营本地农特产品）", outcome="unknown"))
                ctx.failed.clear()
                ctx.gaps.clear()
            res.conditional = True
    if award.pays_difference_from and res.amount is not None:
        prev = ctx.facts.get(award.pays_difference_from)
        pf = FACTS[award.pays_difference_from]
        if prev is None:
            ctx.notes.append(f"{award.wording or '荣誉升级，补差计奖'}：若此前已按较低级别获奖，只补差额")
        else:
            pbest, _ = _tier_pick(award, fact, prev, False)
            paid = pbest[0].amount.value if pbest else Decimal(0)
            diff = res.amount - paid
            ctx.trace.append(TraceStep.model_construct(kind="formula", text=f"补差计奖：{format_yuan(res.amount)} − 已获{describe_value(pf, prev)}奖励{format_yuan(paid)} = {format_yuan(max(diff, Decimal(0)))}",
                                       outcome="applied", fact=award.pays_difference_from))
            if diff <= 0:
                ctx.failed.append(f"荣誉未升级（此前已获{describe_value(pf, prev)}），不再奖励")
                return _Amount(None, top, reached=False)
            res.amount = diff
    return res


def _per_unit(award: PerUnit, ctx: _Ctx) -> _Amount:
    value = ctx.value(award.metric)
    mx = award.cap.value if award.cap else None
    if value is None:
        return _Amount(None, mx)
    units = _floor(Decimal(value) / award.unit.value)
    raw = units * award.rate.value
    f = FACTS[award.metric]
    ctx.trace.append(TraceStep.model_construct(kind="formula", text=f"{f.label}{describe_value(f, value)} ÷ {award.unit} = {units}个整单位 × {award.rate} = {format_yuan(raw)}",
                               outcome="applied", fact=award.metric))
    amount = _cap(raw, award.cap, "每家", ctx)
    return _Amount(_money(amount), mx)


def _percent(award: PercentOf, ctx: _Ctx) -> _Amount:
    rate = award.rate.value / 100
    mx = _percent_max(award)
    base = ctx.value(award.base)
    n = None
    if award.count is not None:
        cf = FACTS[award.count.fact]
        n = ctx.value(award.count.fact, f"{cf.label}是多少（{cf.unit or '项'}）？目前按1{cf.unit or '项'}计算")
    if base is None:
        return _Amount(None, mx)
    bf = FACTS[award.base]
    per_item = Decimal(base) * rate
    ctx.trace.append(TraceStep.model_construct(kind="formula", text=f"{bf.label}{describe_value(bf, base)} × {award.rate} = {format_yuan(_money(per_item))}",
                               outcome="applied", fact=award.base))
    per_item = _cap(per_item, award.cap, "单项" if award.count else "", ctx)
    amount = per_item
    if award.count is not None and n is None:
        # The stated base is one item (单场核定费用, 一名主播的引才费用): its award is certain; how many
        # items the year holds is asked, so the figure stays conditional.
        cf = FACTS[award.count.fact]
        ctx.trace.append(TraceStep.model_construct(kind="formula", text=f"按1{cf.unit or '项'}计：{format_yuan(_money(per_item))}（{cf.label}未知，待确认）",
                                   outcome="unknown", fact=award.count.fact))
        return _Amount(_money(_cap(per_item, award.total_cap, "每年", ctx)), mx, conditional=True)
    if award.count is not None:
        cf = FACTS[award.count.fact]
        count = Decimal(n)
        if award.count.max is not None and count > award.count.max.value:
            ctx.trace.append(TraceStep.model_construct(kind="cap", text=f"{cf.label}最多{award.count.max}：{describe_value(cf, n)} → {award.count.max}", outcome="applied"))
            count = award.count.max.value
        count = _floor(count)
        amount = per_item * count
        ctx.trace.append(TraceStep.model_construct(kind="formula", text=f"{format_yuan(_money(per_item))} × {count} = {format_yuan(_money(amount))}", outcome="applied"))
    amount = _cap(amount, award.total_cap, "每年", ctx)
    return _Amount(_money(amount), mx)


def _percent_max(award: PercentOf) -> Decimal | None:
    """The most a percent award can pay: per-item cap × count limit, then the total cap."""
    mx: Decimal | None = None
    if award.cap is not None and (award.count is None or award.count.max is not None):
        mx = award.cap.value * (award.count.max.value if award.count is not None else 1)
    if award.total_cap is not None:
        mx = award.total_cap.value if mx is None else min(mx, award.total_cap.value)
    return mx


def _area_rate(award: AreaRate, ctx: _Ctx) -> _Amount:
    mx = award.cap.value if award.cap else None
    rate = award.rate.value if award.rate else None
    if award.rate_tiers is not None:
        rt = award.rate_tiers
        f = FACTS[rt.metric]
        v = ctx.value(rt.metric)
        if v is not None:
            best = None
            for t in rt.tiers:
                if compare(f, t.op, v, t.parsed) and (best is None or t.rate.value > best.rate.value):
                    best = t
            shown = describe_value(f, v)
            if best is None:
                low = min(rt.tiers, key=lambda t: t.parsed)
                word = "达到" if low.op == ">=" else "超过"
                ctx.failed.append(f"{f.label}未达到补助标准（{low.wording or _expected_text(f, low.op, low.parsed, None)}；当前{shown}）")
                ctx.trace.append(TraceStep.model_construct(kind="tier", text=f"{f.label}{shown}：未达到任何补助档", outcome="fail", fact=rt.metric, value=shown))
                unit = {"money_yuan": "元", "money_usd": "美元", "percent": "%"}.get(f.type, f.unit or "")
                ctx.gaps.append(f"{f.label}须{word}{format_figure(Decimal(low.parsed), unit)}（当前{shown}）")
                return _Amount(None, mx, reached=False)
            rate = best.rate.value
            ctx.trace.append(TraceStep.model_construct(kind="tier", text=f"{f.label}{shown}：适用「{best.wording or _expected_text(f, best.op, best.parsed, None)}」，每月每平方米{format_yuan(rate)}",
                                       outcome="pass", fact=rt.metric, value=shown))
    area = ctx.value(award.area)
    if rate is None or area is None:
        return _Amount(None, mx)
    months = ctx.facts.get(award.months_fact)
    if months is None:
        months = Decimal(12)
        ctx.notes.append("未提供租用月数，按全年12个月计算（每年补助额）")
    months = min(Decimal(months), Decimal(12))
    raw = Decimal(area) * rate * months
    af = FACTS[award.area]
    ctx.trace.append(TraceStep.model_construct(kind="formula", text=f"{describe_value(af, area)} × {format_yuan(rate)}/平方米/月 × {months}个月 = {format_yuan(_money(raw))}",
                               outcome="applied", fact=award.area))
    amount = _cap(raw, award.cap, "每年", ctx)
    return _Amount(_money(amount), mx)


def _count(award: CountAmount, ctx: _Ctx) -> _Amount:
    mx = award.cap.value if award.cap else None
    n = ctx.value(award.count)
    if n is None:
        return _Amount(None, mx)
    f = FACTS[award.count]
    count = _floor(Decimal(n))
    raw = count * award.amount.value
    ctx.trace.append(TraceStep.model_construct(kind="formula", text=f"{describe_value(f, n)} × {award.amount} = {format_yuan(raw)}", outcome="applied", fact=award.count))
    if count == 0:
        ctx.failed.append(f"{f.label}为0")
        return _Amount(None, mx, reached=False)
    return _Amount(_money(_cap(raw, award.cap, "累计", ctx)), mx)


def _per_step(award: PerStep, ctx: _Ctx) -> _Amount:
    mx = award.cap.value if award.cap else None
    v = ctx.value(award.metric)
    if v is None:
        return _Amount(None, mx)
    f = FACTS[award.metric]
    steps = _floor(Decimal(v) / award.step.value)
    raw = steps * award.amount.value
    ctx.trace.append(TraceStep.model_construct(kind="formula", text=f"{f.label}{describe_value(f, v)} ÷ {award.step} = {steps}个整台阶 × {award.amount} = {format_yuan(raw)}",
                               outcome="applied", fact=award.metric))
    unit = "元" if f.type == "money_yuan" else (f.unit or "")
    if steps == 0:
        diff = award.step.value - Decimal(v)
        ctx.failed.append(f"{f.label}未达到{award.step}（当前{describe_value(f, v)}）")
        ctx.gaps.append(f"{f.label}还差{format_figure(diff, unit)}达到{award.step}，可得{award.amount}")
        return _Amount(None, mx, reached=False)
    amount = _cap(raw, award.cap, "每年", ctx)
    if award.cap is None or raw < award.cap.value:
        nxt = (steps + 1) * award.step.value - Decimal(v)
        ctx.gaps.append(f"{f.label}再增长{format_figure(nxt, unit)}可多得{award.amount}")
    return _Amount(_money(amount), mx)


def _increments(award: Increments, ctx: _Ctx) -> _Amount:
    cap = award.cumulative_cap.value
    first = ctx.value(award.first_year_fact)
    if first is None:
        return _Amount(None, cap)
    if first:
        raw = award.first_amount.value
        received = Decimal(0)
        ctx.trace.append(TraceStep.model_construct(kind="formula", text=f"首年奖励{award.first_amount}", outcome="applied"))
    else:
        growth = ctx.value(award.metric)
        # Unknown: asked, and only the room under the cumulative cap is unconfirmed.
        received = ctx.value(award.received_fact,
                             f"此前已累计获得的该项奖励是多少（元）？累计最高{award.cumulative_cap}")
        if growth is None:
            return _Amount(None, cap)
        f = FACTS[award.metric]
        steps = _floor(Decimal(growth) / award.step.value)
        raw = steps * award.step_amount.value
        ctx.trace.append(TraceStep.model_construct(kind="formula", text=f"{f.label}{describe_value(f, growth)} ÷ {award.step} = {steps}个整台阶 × {award.step_amount} = {format_yuan(raw)}",
                                   outcome="applied", fact=award.metric))
        if steps == 0:
            diff = award.step.value - Decimal(growth)
            ctx.failed.append(f"{f.label}未达到{award.step}（当前{describe_value(f, growth)}）")
            ctx.gaps.append(f"{f.label}还差{format_yuan(diff)}达到{award.step}，可追加{award.step_amount}")
            return _Amount(None, cap, reached=False)
    if received is None:
        # The stated growth fixes the increment; only the cumulative cap is left to confirm.
        ctx.trace.append(TraceStep.model_construct(kind="cap", text=f"累计上限{award.cumulative_cap}：已获奖励未知，须确认累计不超过上限",
                                   outcome="unknown", fact=award.received_fact))
        return _Amount(_money(min(raw, cap)), cap, conditional=True)
    room = max(cap - Decimal(received), Decimal(0))
    if raw > room:
        ctx.trace.append(TraceStep.model_construct(kind="cap", text=f"累计上限{award.cumulative_cap}（已获{format_yuan(Decimal(received))}）：{format_yuan(raw)} → {format_yuan(room)}",
                                   outcome="applied"))
        raw = room
    if raw == 0:
        ctx.failed.append(f"已达累计上限{award.cumulative_cap}")
        return _Amount(None, cap, reached=False)
    return _Amount(_money(raw), cap)


def _sum_over_items(award: SumOverItems, ctx: _Ctx) -> _Amount:
    """Each item's award (over the item's facts on top of the applicant's), summed, then the cap."""
    cap = award.cap.value if award.cap else None
    items = ctx.facts.get(ITEMS)
    cf = FACTS[award.count]
    if not items:
        each = award.each
        n = ctx.value(award.count)
        if n is None:
            return _Amount(None, cap)
        if isinstance(each, (Fixed, Ceiling)):
            raw = _floor(Decimal(n)) * each.amount.value
            ctx.trace.append(TraceStep.model_construct(kind="formula", text=f"{cf.label}{describe_value(cf, n)} × 每{award.item}{each.amount} = {format_yuan(raw)}",
                                       outcome="applied", fact=award.count))
            return _Amount(_money(_cap(raw, award.cap, "每家", ctx)), cap)
        # each item's figure depends on its own facts: the applicant must list the items
        ctx.trace.append(TraceStep.model_construct(kind="formula", text=f"按每{award.item}分别计算后加总：须逐一列出各{award.item}的情况", outcome="unknown"))
        ctx.notes.append(f"本条按每{award.item}分别计奖后加总" + (f"，每家最高{award.cap}" if award.cap else "") + f"：请逐一提供各{award.item}的数据")
        return _Amount(None, cap, conditional=True)
    total = Decimal(0)
    conditional = False
    reached = 0
    for i, item in enumerate(items, 1):
        sub = _Ctx(facts={**{k: v for k, v in ctx.facts.items() if k != ITEMS}, **item})
        part = _compute_award(award.each, sub)
        for step in sub.trace:
            ctx.trace.append(step.model_copy(update={"text": f"第{i}个{award.item}：{step.text}"}))
        if sub.missing:
            conditional = True
            for m in sub.missing.values():
                ctx.missing.setdefault(m.fact, m.model_copy(update={"question": f"各{award.item}的{m.label}分别是多少？"}))
        if part.amount is not None and part.reached:
            total += part.amount
            reached += 1
        conditional = conditional or part.conditional
    ctx.trace.append(TraceStep.model_construct(kind="formula", text=f"{len(items)}个{award.item}中{reached}个达到条件，合计{format_yuan(total)}", outcome="applied"))
    if reached == 0 and not conditional:
        ctx.failed.append(f"没有{award.item}达到条件")
        return _Amount(None, cap, reached=False)
    return _Amount(_money(_cap(total, award.cap, "每家", ctx)), cap, conditional=conditional)


def _compute(rule: Rule, ctx: _Ctx) -> _Amount:
    return _compute_award(rule.award, ctx)


def _compute_award(a: Any, ctx: _Ctx) -> _Amount:
    if isinstance(a, SumOverItems):
        return _sum_over_items(a, ctx)
    if isinstance(a, (Fixed, Ceiling)):
        ctx.trace.append(TraceStep.model_construct(kind="formula", text=f"{'最高' if isinstance(a, Ceiling) or a.ceiling else ''}{a.amount}", outcome="applied"))
        return _Amount(a.amount.value, a.amount.value)
    if isinstance(a, Tiers):
        return _tiers(a, ctx)
    if isinstance(a, PerUnit):
        return _per_unit(a, ctx)
    if isinstance(a, PercentOf):
        return _percent(a, ctx)
    if isinstance(a, AreaRate):
        return _area_rate(a, ctx)
    if isinstance(a, CountAmount):
        return _count(a, ctx)
    if isinstance(a, PerStep):
        return _per_step(a, ctx)
    if isinstance(a, Increments):
        return _increments(a, ctx)
    if isinstance(a, Discretionary):
        ctx.trace.append(TraceStep.model_construct(kind="formula", text=f"「{a.wording}」：原文未规定金额" + (f"，最高{a.max}" if a.max else ""), outcome="info"))
        return _Amount(None, a.max.value if a.max else None)
    raise TypeError(type(a))  # pragma: no cover


# --- policy context -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyInfo:
    """What the engine needs from the corpus metadata (None when the policy is not in the corpus)."""

    policy_id: str
    title: str = ""
    status: str = "final"
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    validity_text: str = ""

    def validity_on(self, day: dt.date) -> str:
        return validity_state(self.effective_from, self.effective_to, day)


_policy_info_cache: dict[str, PolicyInfo] = {}


def policy_info(policy_id: str) -> PolicyInfo:
    info = _policy_info_cache.get(policy_id)
    if info is not None:
        return info
    try:
        from .. import corpus

        meta = corpus.get_policy(policy_id)
        info = PolicyInfo(policy_id, meta.citation_title, meta.status, meta.effective_from, meta.effective_to, meta.validity_text or "")
    except Exception:  # policy not in the corpus (synthetic test rules): no validity to report
        info = PolicyInfo(policy_id)
    _policy_info_cache[policy_id] = info
    return info


_policy_warning_cache: dict[tuple[PolicyInfo, dt.date], tuple[str, list[str]]] = {}


def _policy_warnings(info: PolicyInfo, today: dt.date) -> tuple[str, list[str]]:
    key = (info, today)
    hit = _policy_warning_cache.get(key)
    if hit is None:
        if len(_policy_warning_cache) > 4096:
            _policy_warning_cache.clear()
        hit = _policy_warning_cache[key] = _policy_warnings_uncached(info, today)
    return hit[0], list(hit[1])


def _policy_warnings_uncached(info: PolicyInfo, today: dt.date) -> tuple[str, list[str]]:
    validity = info.validity_on(today)
    out = []
    name = f"《{info.title}》" if info.title else info.policy_id
    if info.status == "draft":
        out.append(f"{name}为征求意见稿，尚未正式施行，条款和金额以正式文件为准")
    if validity == "expired":
        out.append(f"{name}有效期至{info.effective_to:%Y年%m月%d日}，已失效（今天是{today:%Y年%m月%d日}），以下测算仅供参考，现已不能按此申报")
    elif validity == "not_yet":
        out.append(f"{name}自{info.effective_from:%Y年%m月%d日}起施行，尚未生效")
    elif validity == "unknown" and info.validity_text:
        out.append(f"{name}的施行日期未载明（原文：「{info.validity_text}」）")
    return validity, out


# --- evaluate one rule ----------------------------------------------------------------------------


ITEMS = "items"  # profile key: the applicant's items (anchors, projects), each a mapping of item facts


def validate_profile(facts: dict[str, Any]) -> dict[str, Any]:
    """validate_facts, keeping ``items`` (a list of fact mappings, each validated) for sum_over_items awards."""
    if not isinstance(facts, dict) or ITEMS not in facts:
        return validate_facts(facts)
    rest = {k: v for k, v in facts.items() if k != ITEMS}
    raw_items = facts[ITEMS]
    if not isinstance(raw_items, list) or not all(isinstance(i, dict) for i in raw_items):
        from ..facts import FactsError

        raise FactsError(["items 应为列表，每项是一个事实对象（如每名主播的销售额）"])
    out = validate_facts(rest)
    out[ITEMS] = [validate_facts(i) for i in raw_items]
    return out


def evaluate(rule: Rule, facts: dict[str, Any], today: dt.date | None = None, book: RuleBook | None = None,
             validated: bool = False) -> Award:
    """Evaluate one rule against a profile. ``facts`` is validated (and coerced) unless ``validated``."""
    today = today or _today()
    facts = facts if validated else validate_profile(facts)
    book = book or load_rulebook()
    pr = book.policies.get(rule.policy_id)
    return _evaluate(rule, pr, facts, today)


def _evaluate(rule: Rule, pr: PolicyRules | None, facts: dict[str, Any], today: dt.date) -> Award:
    ctx = _Ctx(facts=facts)
    info = policy_info(rule.policy_id)
    kind = _eval_applicants(rule, ctx)
    # An unrelated applicant kind settles it: the conditions would only add noise (and time).
    outcomes = [kind] + ([_eval_condition(c, ctx) for c in rule.conditions] if kind != "fail" else [])
    shown, to_confirm = [], []
    for req in rule.requirements:
        if req.compare is not None:
            if kind != "fail":
                outcomes.append(_eval_condition(req.compare, ctx))
        elif req.kind == "fact":
            to_confirm.append(req.wording)
            ctx.trace.append(TraceStep.model_construct(kind="requirement", text=f"须符合（请确认）：{req.wording}", outcome="info"))
        else:
            shown.append(req.shown_text)
            ctx.trace.append(TraceStep.model_construct(kind="requirement", text=f"须经主管部门认定：{req.shown_text}", outcome="info"))
    failed = "fail" in outcomes
    amt = _Amount()
    if not failed:
        amt = _compute(rule, ctx)
        if not amt.reached:
            failed = True
    else:
        # Still say what the rule could pay, so an ineligible award shows its stakes.
        amt = _Amount(None, _max_only(rule))
    a = rule.award
    is_ceiling = bool(getattr(a, "ceiling", False))
    warnings: list[str] = []
    amount = amt.amount if not failed else None
    # Contribution ceilings (不得超过企业对地方贡献数的20%): apply when known, else ask.
    if pr is not None:
        for cc in pr.contribution_caps:
            if rule.id not in cc.rules:
                continue
            contrib = facts.get(cc.fact)
            if contrib is None:
                ctx.need(cc.fact, f"企业对地方贡献数是多少（元）？奖补资金不得超过其{cc.share}")
                ctx.trace.append(TraceStep.model_construct(kind="contribution_cap", text=f"{cc.quote}：贡献数未知，待确认", outcome="unknown", fact=cc.fact))
            elif amount is not None:
                limit = _money(Decimal(contrib) * cc.share.value / 100)
                if amount > limit:
                    ctx.trace.append(TraceStep.model_construct(kind="contribution_cap", text=f"不超过对地方贡献数{format_yuan(Decimal(contrib))}的{cc.share}：{format_yuan(amount)} → {format_yuan(limit)}",
                                               outcome="applied", fact=cc.fact))
                    amount = limit
                else:
                    ctx.trace.append(TraceStep.model_construct(kind="contribution_cap", text=f"不超过对地方贡献数的{cc.share}（{format_yuan(limit)}）：未超过", outcome="not_applied", fact=cc.fact))
    if failed:
        status = "ineligible"
    elif ctx.missing or ctx.assumptions or amt.conditional or "unknown" in outcomes:
        status = "conditional"
    else:
        status = "eligible"
    validity = "unknown"
    instalments: list[InstalmentOut] = []
    notes = list(rule.notes) + [n for n in ctx.notes if n]
    if pr is not None:
        for fund in pr.funds:
            if pr.covers(fund, rule.id):
                warnings.append(fund.message)
        for note in pr.notes:
            if pr.covers(note, rule.id):
                notes.append(note.message)
        if pr.payment and pr.covers(pr.payment, rule.id) and status != "ineligible":
            parts = []
            for ins in pr.payment.instalments:
                share = ins.share.value
                part = _money(amount * share / 100) if amount is not None else None
                instalments.append(InstalmentOut.model_construct(label=ins.label, share_percent=share, amount_yuan=part))
                parts.append(f"{ins.label}拨付{format_figure(share, '%')}" + (f"（{format_yuan(part)}）" if part is not None else ""))
            warnings.append("奖励分期拨付：" + "，".join(parts))
    validity, pw = _policy_warnings(info, today)
    warnings.extend(pw)
    if rule.valid_to and today > rule.valid_to:
        warnings.append(f"本条适用至{rule.valid_to:%Y年%m月%d日}，已过期")
    if rule.valid_from and today < rule.valid_from:
        warnings.append(f"本条自{rule.valid_from:%Y年%m月%d日}起适用，尚未开始")
    if rule.review == "needed":
        warnings.append("本条规则为自动起草、尚未经人工核对（review: needed），金额仅供参考")
    if rule.data_years:
        notes.append("按" + "、".join(f"{y}年度" for y in rule.data_years) + "数据计算")
    per_year = getattr(a, "per_year", None)
    if status == "ineligible":
        gap = ctx.gaps[0] if ctx.gaps else None
    else:
        gap = next((g for g in ctx.gaps if "下一档" in g or "再增长" in g), None)
    title = info.title
    return Award.model_construct(
        rule_id=rule.id,
        policy_id=rule.policy_id,
        clause_id=rule.clause_id,
        title=rule.title,
        status=status,
        form=a.form,
        amount_yuan=amount,
        max_yuan=amt.max if amt.max is not None else _max_only(rule),
        is_ceiling=is_ceiling,
        discretionary=isinstance(a, Discretionary),
        per_year=per_year is not None,
        years=list(per_year.years) if per_year else [],
        one_time=bool(getattr(a, "one_time", False)),
        recipient=rule.recipient,
        missing=list(ctx.missing.values()) if status != "ineligible" else [],
        assumptions=list(ctx.assumptions.values()),
        failed=ctx.failed if status == "ineligible" else [],
        gap=gap,
        requirements=shown + ctx.requirements,
        to_confirm=to_confirm + ctx.to_confirm,
        review_needed=rule.review == "needed",
        trace=ctx.trace,
        notes=notes,
        warnings=warnings,
        instalments=instalments,
        policy_validity=validity,
        reference=Reference.model_construct(policy_id=rule.policy_id, clause_id=rule.clause_id, text=rule.reference,
                            policy_title=title, citation=cite(title, rule.clause_id)),
    )


def _max_only(rule: Rule) -> Decimal | None:
    a = rule.award
    if isinstance(a, (Fixed, Ceiling)):
        return a.amount.value
    if isinstance(a, Tiers):
        return max(t.amount.value for t in a.tiers)
    if isinstance(a, PercentOf):
        return _percent_max(a)
    if isinstance(a, (PerUnit, AreaRate, CountAmount, PerStep)):
        return a.cap.value if a.cap else None
    if isinstance(a, Increments):
        return a.cumulative_cap.value
    if isinstance(a, Discretionary):
        return a.max.value if a.max else None
    if isinstance(a, SumOverItems):
        return a.cap.value if a.cap else None
    return None


def _today() -> dt.date:
    from ..config import get_settings

    return get_settings().current_date()


# --- evaluate policies ----------------------------------------------------------------------------


def evaluate_policies(policy_ids: list[str], facts: dict[str, Any], today: dt.date | None = None,
                      book: RuleBook | None = None) -> Evaluation:
    """Every rule of the given policies, and the best total under 就高不重复."""
    today = today or _today()
    facts = validate_profile(facts)
    book = book or load_rulebook()
    awards: list[Award] = []
    warnings: list[str] = []
    for pid in policy_ids:
        pr = book.policies.get(pid)
        if pr is None:
            warnings.append(f"政策 {pid} 尚无奖补规则（rules/{pid}.yaml），无法测算")
            continue
        for rule in pr.rules:
            awards.append(_evaluate(rule, pr, facts, today))
        _, pw = _policy_warnings(policy_info(pid), today)
        warnings.extend(pw)
    best, cond_total, breakdown, stack_warnings = best_total(awards, [book.policies[p] for p in policy_ids if p in book.policies])
    warnings.extend(stack_warnings)
    seen: set[str] = set()
    warnings = [w for w in warnings if not (w in seen or seen.add(w))]
    return Evaluation.model_construct(policies=list(policy_ids), date=today.isoformat(), awards=awards, best_total_yuan=best,
                      conditional_total_yuan=cond_total, total_breakdown=breakdown, warnings=warnings)


def best_total(awards: list[Award], policies: list[PolicyRules]) -> tuple[Decimal | None, Decimal | None, list[BreakdownItem], list[str]]:
    """Best total of eligible awards with figures, at most one per 就高不重复 group (exact search)."""
    groups: list[tuple[set[str], str]] = []
    warnings: list[str] = []
    by_policy = {p.policy_id: p for p in policies}
    for pr in policies:
        for st in pr.stacking:
            if st.scope == "across_policies" and st.rules == "all":
                if len(by_policy) > 1:
                    warnings.append(st.message or f"{st.quote}（{pr.policy_id} {st.clause_id}）")
                continue
            members = {r.id for r in pr.rules} if st.rules == "all" else set(st.rules)
            groups.append((members, st.message or st.quote))

    def pick(pool: list[Award]) -> tuple[Decimal, list[Award]]:
        pool = sorted(pool, key=lambda a: a.amount_yuan, reverse=True)
        best: tuple[Decimal, list[Award]] = (Decimal(0), [])

        def conflicts(a: Award, chosen: list[Award]) -> bool:
            return any(a.rule_id in g and c.rule_id in g for g, _ in groups for c in chosen)

        def search(i: int, chosen: list[Award], total: Decimal) -> None:
            nonlocal best
            if total > best[0]:
                best = (total, list(chosen))
            if i == len(pool):
                return
            if total + sum(a.amount_yuan for a in pool[i:]) <= best[0]:
                return
            a = pool[i]
            if not conflicts(a, chosen):
                chosen.append(a)
                search(i + 1, chosen, total + a.amount_yuan)
                chosen.pop()
            search(i + 1, chosen, total)

        search(0, [], Decimal(0))
        return best

    def countable(a: Award, statuses: tuple[str, ...]) -> bool:
        return a.status in statuses and a.amount_yuan is not None and a.amount_yuan > 0 and a.policy_validity != "expired"

    eligible = [a for a in awards if countable(a, ("eligible",))]
    total, chosen = pick(eligible)
    potential = [a for a in awards if countable(a, ("eligible", "conditional"))]
    ctotal, _ = pick(potential)
    chosen_ids = {a.rule_id for a in chosen}
    breakdown: list[BreakdownItem] = []
    for a in awards:
        if a.status == "ineligible":
            continue
        if a.rule_id in chosen_ids:
            reason = "计入合计" + ("（最高额）" if a.is_ceiling else "") + ("（每年）" if a.per_year else "")
            counted = True
        else:
            counted = False
            if a.policy_validity == "expired" and a.amount_yuan is not None:
                reason = "政策已到期，不计入合计"
            elif a.status == "conditional":
                reason = "待确认条件，未计入合计"
            elif a.amount_yuan is None:
                reason = "金额未定（一事一议/适当补助）或缺少数据，未计入合计" if a.discretionary else "缺少计算所需数据，未计入合计"
            else:
                other = next((c for c in chosen for g, _ in groups if a.rule_id in g and c.rule_id in g), None)
                msg = next((m for g, m in groups if other and a.rule_id in g and other.rule_id in g), "")
                reason = f"与「{other.title}」（{other.clause_id}）就高不重复，只计较高者" + (f"：{msg}" if msg else "") if other else "未计入合计"
        breakdown.append(BreakdownItem.model_construct(rule_id=a.rule_id, policy_id=a.policy_id, clause_id=a.clause_id, title=a.title,
                                       amount_yuan=a.amount_yuan, counted=counted, reason=reason))
    return (total if chosen else None), (ctotal if potential else None), breakdown, warnings
