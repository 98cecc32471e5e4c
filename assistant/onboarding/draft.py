"""`policy-qa rules draft`: a first rules/<id>.yaml read from the clause text, for a person to review.

Every sentence that pays money becomes a rule quoting that sentence verbatim (``reference``), its form read
from the wording — 分别给予 → tiers; 每实现X给予Y元 → per_unit; 每增长X → per_step; 每(引进)一个 → count;
按…X% → percent; 最高/不超过 → ceiling or cap; 一事一议/适当 → discretionary — with thresholds, amounts and
caps, city-wide pools (funds) and 就高不重复 (stacking). Figures are bound to facts through the fact vocabulary's
labels and aliases (the longest one written just before the figure); when none fits, a new fact is declared
under ``facts:``. Each drafted rule carries ``review: needed``; every clause gets a coverage entry. The draft is
checked like any rule file and a rule that does not pass is left out (its clause ``not_formalised`` with the
reason), so a draft passes ``rules --check`` by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from ..facts import ENTITY_KINDS, FACTS, LEVELS, FactDef
from ..models import Clause
from ..rules.figures import FigureSpan, figure_spans

_GRANT = re.compile(r"给予|奖励|补助|补贴|奖补|资助|补差")
_DISCRETIONARY = re.compile(
    r"一事一议|适当(?:给予|上浮|提高|增加)?(?:奖励|补助|补贴|支持|奖补)?|给予一定|按一定比例|视情况?给予|予以支持|给予支持"
)
_CEILING_WORDS = ("最高", "不超过", "不高于", "上限", "最多", "封顶")
_EACH = re.compile(
    r"每(?:实现|增长|增加|新增|引进|入驻|建成|培训|带动|开展|举办|组织|自建|签约|销售|完成)?"
    r"(?:[（(][^）)]{0,6}[）)])?$"
)
_STEP_WORDS = ("增长", "增加", "提高")
_OP_AFTER = [
    (re.compile(r"^[（(]含[）)]以上|^及以上|^以上"), ">="),
    (re.compile(r"^以下|^以内|^[（(]含[）)]以下"), "<="),
]
_OP_BEFORE = [
    (re.compile(r"(?:超过|突破|高于|大于|过)$"), ">"),
    (re.compile(r"(?:达到|不低于|不少于|首次达到|达)$"), ">="),
    (re.compile(r"(?:低于|不满|不足|少于)$"), "<"),
    (re.compile(r"(?:不超过|不高于)$"), "<="),
]
_POOL = re.compile(
    r"(?:全市|全区|全县|市级|区级|县级)[^，。；]{0,12}?(?:补贴|奖励|奖补|资金)?总额[^，。；]{0,6}?不超过\s*([0-9.]+\s*(?:亿|万)?元)"
)
_BUDGET = re.compile(r"年度总额控制|资金总额控制|在预算(?:额度|范围)内")
_STACKING = re.compile(r"就高(?:不重复|原则)|不重复(?:享受|奖励|支持)|择优(?:享受|申报)")
_LEVEL_WORDS = {
    "国家级": "national",
    "国家": "national",
    "省级": "provincial",
    "省": "provincial",
    "市级": "city",
    "市": "city",
    "县级": "county",
    "区级": "county",
}
_LEVEL_LIST = re.compile(
    r"((?:国家级|省级|市级|县级|区级|国家|省|市)(?:[、和及或](?:国家级|省级|市级|县级|区级|省|市))+)"
)
# between two members of a list: 「、」, 「以上、」, 「以上（含500万元）、」, 「及」 …
# 「每月每平方米10元」「每月6元/平米」: a rent subsidy by area and month
_AREA_RATE = re.compile(r"每月每(?:平方米|平米|㎡)\s*[0-9.]+\s*元|每月\s*[0-9.]+\s*元\s*/\s*(?:平方米|平米|㎡)")
_MOST_ITEMS = re.compile(r"(?:每年)?最多(?:补助|支持|奖励|补贴)?\s*([0-9]+)\s*(场|次|个|家|名|人)")
_LIST_GAP = re.compile(r"^(?:及?以上)?(?:[（(]含[^）)]{0,12}[）)])?(?:及?以上)?[、，,和及与或]?$")


@dataclass
class Draft:
    policy_id: str
    rules: list[dict[str, Any]] = field(default_factory=list)
    coverage: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    funds: list[dict[str, Any]] = field(default_factory=list)
    stacking: list[dict[str, Any]] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # sentences that pay money but could not be drafted, why

    def as_yaml_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"policy_id": self.policy_id}
        if self.facts:
            data["facts"] = self.facts
        if self.stacking:
            data["stacking"] = self.stacking
        if self.funds:
            data["funds"] = self.funds
        data["coverage"] = self.coverage
        data["rules"] = self.rules
        return data


# --- facts ----------------------------------------------------------------------------------------


def _unit_ok(fact: FactDef, unit: str) -> bool:
    if fact.type == "money_yuan":
        return unit == "元"
    if fact.type == "percent":
        return unit == "%"
    if fact.type == "count":
        return unit in fact.accepted_units or unit == "" or (fact.unit == "月" and unit == "年")
    return False


class FactBinder:
    """Binds the words before a figure to a fact of the vocabulary, or declares a new one."""

    def __init__(self, policy_id: str, draft: Draft) -> None:
        self.phrases = sorted(
            ((w, f) for f in FACTS.values() for w in (f.label, *f.aliases) if len(w) >= 2),
            key=lambda x: len(x[0]),
            reverse=True,
        )
        self.prefix = re.sub(r"[^a-z0-9]+", "_", policy_id.lower()).strip("_")
        self.draft = draft
        self.declared: dict[str, str] = {}

    def bind(
        self, context: str, unit: str | None, types: tuple[str, ...] = ("money_yuan", "count", "percent")
    ) -> str | None:
        """The fact named latest (then longest) in ``context`` whose type/unit fits."""
        best: tuple[int, int, str] | None = None
        for phrase, fact in self.phrases:
            if fact.type not in types or (unit is not None and fact.type != "level" and not _unit_ok(fact, unit)):
                continue
            pos = context.rfind(phrase)
            if pos < 0:
                continue
            key = (pos + len(phrase), len(phrase), fact.name)
            if best is None or key[:2] > best[:2]:
                best = key
        return best[2] if best else None

    def declare(self, context: str, unit: str) -> str:
        """A new fact for the words before a figure: 「年度直播销售额」 → <policy>_fact_<n> (money_yuan)."""
        label = _phrase(context) or "待命名指标"
        if label in self.declared:
            return self.declared[label]
        name = f"{self.prefix}_fact_{len(self.declared) + 1}"
        if unit == "元":
            entry: dict[str, Any] = {"name": name, "type": "money_yuan", "label": label}
        elif unit == "%":
            entry = {"name": name, "type": "percent", "label": label}
        else:
            entry = {"name": name, "type": "count", "label": label, "unit": unit or "个"}
        entry["meaning"] = f"自动起草：条款中「{label}」所指的量，请核对名称、类型与标签"
        self.draft.facts.append(entry)
        self.declared[label] = name
        return name

    def fact_for(self, context: str, unit: str) -> str:
        return self.bind(context, unit) or self.declare(context, unit)


_LEAD = re.compile(r"^(?:对|对于|凡|在|其|且|并|或|的|当年|年度|上年度|全年|年)+")


def _phrase(context: str) -> str:
    """The noun phrase just before a figure: the last clause piece, without 对/当年/达到 …"""
    piece = re.split(r"[，,；;。：:、（）()]", context)[-1]
    piece = re.sub(r"(?:首次)?(?:达到|超过|突破|不低于|不少于|高于|低于|不满|过|为|在|达)$", "", piece)
    piece = _LEAD.sub("", piece)
    return piece[-14:]


# --- sentences ------------------------------------------------------------------------------------


def _sentences(text: str) -> list[tuple[str, str]]:
    """(sentence, the 。-sentence it is part of): a sentence granting two awards with 「；」 between them is two."""
    out: list[str] = []
    for line in text.splitlines():
        out.extend(s for s in re.split(r"(?<=[。])", line) if s.strip())
    split: list[tuple[str, str]] = []
    for s in out:
        parts = [p for p in re.split(r"(?<=；)", s) if p.strip()]
        if len(parts) > 1 and all(
            _GRANT.search(p) and any(sp.figure.unit in ("元", "%") for sp in figure_spans(p)) for p in parts
        ):
            split.extend((p.strip().rstrip("；"), s.strip()) for p in parts)
        else:
            split.append((s.strip(), s.strip()))
    return split


def _merge_tiers(rules: list[tuple[dict[str, Any], str]]) -> list[dict[str, Any]]:
    """「5000万元以上的，给予20万元；3000万元以上的，给予10万元」: one-threshold awards of one sentence on the same
    fact are the tiers of one award."""
    out: list[dict[str, Any]] = []
    groups: list[list[tuple[dict[str, Any], str]]] = []
    for rule, parent in rules:
        last = groups[-1] if groups else None
        if (
            last
            and last[0][1] == parent
            and _tier_like(rule)
            and _tier_like(last[0][0])
            and rule["conditions"][0]["fact"] == last[0][0]["conditions"][0]["fact"]
        ):
            last.append((rule, parent))
        else:
            groups.append([(rule, parent)])
    for group in groups:
        if len(group) == 1:
            out.append(group[0][0])
            continue
        first, parent = group[0]
        tiers = [
            {
                "op": r["conditions"][0]["op"],
                "value": r["conditions"][0]["value"],
                "amount": r["award"]["amount"],
                "wording": r["conditions"][0]["wording"],
            }
            for r, _ in group
        ]
        award: dict[str, Any] = {"form": "tiers", "metric": first["conditions"][0]["fact"], "tiers": tiers}
        if any(r["award"]["form"] == "ceiling" for r, _ in group):
            award["ceiling"] = True
        if any(r["award"].get("one_time") for r, _ in group):
            award["one_time"] = True
        merged = {**first, "award": award, "reference": parent.rstrip("；")}
        merged.pop("conditions")
        out.append(merged)
    return out


def _tier_like(rule: dict[str, Any]) -> bool:
    conds = rule.get("conditions") or []
    return rule["award"]["form"] in ("fixed", "ceiling") and len(conds) == 1 and conds[0]["op"] in (">=", ">")


def _grant_at(s: str, spans: list[FigureSpan]) -> int | None:
    """Where the award is granted: the first 给予/奖励… with a money figure or a rate after it."""
    for m in _GRANT.finditer(s):
        if any(sp.start >= m.start() and sp.figure.unit in ("元", "%") for sp in spans):
            return m.start()
    return None


def _list_from(spans: list[FigureSpan], i: int, s: str) -> list[FigureSpan]:
    """The list of figures starting at spans[i] (「1亿元、5亿元」), same unit."""
    out = [spans[i]]
    for sp in spans[i + 1 :]:
        if not _LIST_GAP.match(s[out[-1].end : sp.start]) or sp.figure.unit != out[0].figure.unit:
            break
        out.append(sp)
    return out


def _list_ending(spans: list[FigureSpan], j: int, s: str) -> list[FigureSpan]:
    out = [spans[j]]
    for sp in reversed(spans[:j]):
        if not _LIST_GAP.match(s[sp.end : out[0].start]) or sp.figure.unit != out[0].figure.unit:
            break
        out.insert(0, sp)
    return out


def _op_of(s: str, sp: FigureSpan) -> tuple[str, str] | None:
    """(op, wording) when the words around a threshold figure say how it compares; None when they do not."""
    after = s[sp.end : sp.end + 6]
    before = s[max(0, sp.start - 4) : sp.start]
    for pattern, op in _OP_AFTER:
        m = pattern.search(after)
        if m:
            return op, s[sp.start : sp.end + m.end()]
    for pattern, op in _OP_BEFORE:
        m = pattern.search(before)
        if m:
            return op, s[sp.start - len(m.group(0)) : sp.end]
    return None


def _is_cap(s: str, sp: FigureSpan, since: int) -> bool:
    piece = re.split(r"[，,；;]", s[since : sp.start])[-1]
    return any(w in piece for w in _CEILING_WORDS)


_SUBJECT = re.compile(r"对[^，。；]*?的([\u4e00-\u9fff、（）()“”]{2,16}?)(?:[，,。；]|给予|分别|按)")


def subject_of(s: str) -> str:
    """「对……的电商园区，」 → 电商园区: who the sentence pays."""
    m = _SUBJECT.search(s)
    return m.group(1).strip("（）()“”") if m else ""


def _applicants(s: str, upto: int) -> list[str]:
    subject = subject_of(s)
    if subject:
        found = _applicants_in(subject, len(subject))
        if found:
            return found
    return _applicants_in(s, upto) or ["enterprise"]


def _applicants_in(s: str, upto: int) -> list[str]:
    head = s[:upto] if upto else s
    best: tuple[int, int, str] | None = None
    for kind in ENTITY_KINDS.values():
        for word in (kind.label, *kind.aliases):
            if len(word) < 2 or word in ("主体", "单位", "个人"):
                continue
            pos = head.rfind(word)
            if pos >= 0:
                key = (pos + len(word), len(word), kind.name)
                if best is None or key[:2] > best[:2]:
                    best = key
    return [best[2]] if best else []


# --- one sentence → one rule ----------------------------------------------------------------------


def draft_sentence(s: str, binder: FactBinder) -> dict[str, Any] | None:
    """The rule a paying sentence states (without id/clause/title), or None when it pays no money."""
    # years and the 「（含500万元）」 that restates a threshold are not figures of the award
    spans = [
        sp
        for sp in figure_spans(s)
        if (sp.figure.unit not in ("年", "天") or sp.figure.value < 1900)
        and s[max(0, sp.start - 2) : sp.start] not in ("（含", "(含")
    ]
    g = _grant_at(s, spans)
    disc = _DISCRETIONARY.search(s)
    if g is None and disc is None:
        return None
    after = [sp for sp in spans if g is not None and sp.start > g]
    money_after = [sp for sp in after if sp.figure.unit == "元"]
    if "给予" not in s and not disc and money_after and all(_is_cap(s, sp, g or 0) for sp in money_after):
        return None  # 「单家企业每年补助资金不超过50万元」「两项奖励金额全市不超过200万元」: a cap on other awards
    rates = [
        sp
        for sp in spans
        if sp.figure.unit == "%"
        and ((g is not None and sp.start > g) or "按" in s[max(0, sp.start - 20) : sp.start])
        and not re.search(r"(?:不得超过|贡献)[^，。；]{0,12}$", s[max(0, sp.start - 16) : sp.start])
    ]
    whole = re.search(r"给予全额(?:补助|补贴|奖励)", s)
    award: dict[str, Any] | None = None
    conditions: list[dict[str, Any]] = []
    used: set[int] = set()
    one_time = "一次性" in s
    if disc and (not money_after or all(_is_cap(s, sp, g or 0) for sp in money_after)) and not rates:
        award = {"form": "discretionary", "wording": disc.group(0)}
        if money_after:
            award["max"] = money_after[0].figure.text
    elif (area := _AREA_RATE.search(s)) is not None and g is not None:
        rate = next(sp for sp in money_after if sp.start >= area.start())
        area_fact = binder.bind(s[: area.start()], "平方米") or "rented_area"
        award = {"form": "area_rate", "area": area_fact, "rate": rate.figure.text}
        caps = [sp for sp in money_after if sp.start > rate.end and _is_cap(s, sp, rate.end)]
        if caps:
            award["cap"] = caps[0].figure.text
        used.update(id(x) for x in [rate, *caps])
    elif whole is not None:
        base = binder.fact_for(s[: whole.start()].rstrip("，,"), "元")
        award = {"form": "percent", "base": base, "rate": "全额"}
        caps = [sp for sp in money_after if sp.start > whole.end() and _is_cap(s, sp, whole.end())]
        if caps:
            award["cap"] = caps[0].figure.text
        used.update(id(x) for x in caps)
    elif (
        "分别" in s
        and len(money_after) >= 2
        and len(_list_from(money_after, 0, s)) >= 2
        and not rates
        and (tiers := _tiers(s, spans, g or 0, _list_from(money_after, 0, s), binder)) is not None
    ):
        award = tiers
        used.update(id(x) for x in _list_from(money_after, 0, s))
        used.update(award.pop("_used"))
    elif rates:
        rate = rates[0]
        start = s.rfind("按", 0, rate.start)
        base_ctx = s[start + 1 if start >= 0 else max(0, rate.start - 20) : rate.start]
        base = binder.fact_for(base_ctx.rstrip("的"), "元")
        award = {"form": "percent", "base": base, "rate": rate.figure.text}
        caps = [sp for sp in money_after if sp.start > rate.start and _is_cap(s, sp, rate.end)]
        if caps:
            award["cap"] = caps[0].figure.text
        most = _MOST_ITEMS.search(s, rate.end)
        if most:  # 「单场活动上限6万元，每年最多补助5场」: the cap is per item, the count is limited
            count = binder.bind(s[: most.start()], most.group(2), ("count",)) or binder.declare(
                "活动" + most.group(2) + "数", most.group(2)
            )
            award["count"] = {"fact": count, "max": most.group(1) + most.group(2)}
            used.update(sp_id for sp_id in (id(sp) for sp in spans if sp.start == most.start(1)))
        if len(caps) > 1:
            award["total_cap"] = caps[1].figure.text
        used.update(id(x) for x in [rate, *caps])
    else:
        each = None
        per_thing = re.search(r"按每(?:个|家|名|场|件|户|间|位)([^，。；]{1,12}?)给予", s)
        if per_thing and money_after:
            first = money_after[0]
            count = binder.fact_for(per_thing.group(1).strip("“”\"'"), per_thing.group(0)[2])
            award = {"form": "count", "count": count, "amount": first.figure.text}
            caps = [sp for sp in money_after[1:] if _is_cap(s, sp, first.end)]
            if caps:
                award["cap"] = caps[0].figure.text
            used.update(id(x) for x in [first, *caps])
            spans = [sp for sp in spans if id(sp) not in used]
        for sp in spans if award is None else []:
            m = _EACH.search(s[max(0, sp.start - 10) : sp.start])
            if m and g is not None and sp.start < g + 40 and sp.figure.unit not in ("%",):
                each = (sp, m.group(0))
                break
        amounts = [sp for sp in money_after if each is None or sp.start > each[0].end]
        if award is None and not amounts:
            return None
        first = amounts[0] if award is None else money_after[0]
        # 「最高给予5元」「给予不超过20万元」: the award itself is a maximum
        ceiling = any(w in s[max(0, (g or 0) - 3) : first.start] for w in _CEILING_WORDS)
        caps = [sp for sp in amounts[1:] if _is_cap(s, sp, first.end)]
        if award is not None:
            pass
        elif each is not None:
            sp, words = each
            if sp.figure.unit == "元":
                metric_ctx = s[: sp.start]
                conds_ctx = s[: max(0, sp.start - len(words))]
                metric = binder.bind(conds_ctx, "元") or binder.fact_for(metric_ctx, "元")
                if any(w in words for w in _STEP_WORDS):
                    award = {"form": "per_step", "metric": metric, "step": sp.figure.text, "amount": first.figure.text}
                else:
                    award = {"form": "per_unit", "metric": metric, "unit": sp.figure.text, "rate": first.figure.text}
            else:
                thing = re.split(r"给予|奖励|[，,；。]", s[sp.end : sp.end + 16])[0].strip("（）()“”的")
                count = binder.fact_for(thing, sp.figure.unit or "个")
                award = {"form": "count", "count": count, "amount": first.figure.text}
            if caps:
                award["cap"] = caps[0].figure.text
            used.update(id(x) for x in [sp, first, *caps])
            if ceiling:
                award["ceiling"] = True
        else:
            amount_list = _list_from(amounts, 0, s)
            if "分别" in s and len(amount_list) >= 2:
                award = _tiers(s, spans, g or 0, amount_list, binder)
                if award is None:
                    return None
                used.update(id(x) for x in amount_list)
                used.update(award.pop("_used"))
            else:
                award = {"form": "ceiling" if ceiling else "fixed", "amount": first.figure.text}
                used.add(id(first))
    if award is None:
        return None
    if one_time and award["form"] != "discretionary":
        award["one_time"] = True
    # thresholds stated before the grant: conditions
    for sp in spans:
        if id(sp) in used or g is None or sp.start > g or sp.figure.unit == "%":
            continue
        op = _op_of(s, sp)
        if op is None or sp.figure.unit not in (
            "元",
            "家",
            "个",
            "人",
            "名",
            "平方米",
            "场",
            "件",
            "户",
            "间",
            "月",
            "",
        ):
            continue
        fact = binder.fact_for(s[: sp.start], sp.figure.unit)
        conditions.append({"fact": fact, "op": op[0], "value": sp.figure.text, "wording": op[1]})
    rule: dict[str, Any] = {"applicants": _applicants(s, g or len(s))}
    if conditions:
        rule["conditions"] = conditions
    rule["award"] = award
    rule["reference"] = s
    return rule


def _tiers(
    s: str, spans: list[FigureSpan], g: int, amounts: list[FigureSpan], binder: FactBinder
) -> dict[str, Any] | None:
    n = len(amounts)
    before = [sp for sp in spans if sp.start < g and sp.figure.unit != "%"]
    levels = _LEVEL_LIST.search(s[:g])
    if levels:
        words = re.split(r"[、和及或]", levels.group(1))
        if len(words) == n:
            context = s[levels.end() : g] + s[: levels.start()]
            metric = binder.bind(s[levels.end() : g], None, ("level",)) or binder.bind(s[:g], None, ("level",))
            if metric is None:
                return None
            tiers = [
                {"op": "==", "value": LEVELS[_LEVEL_WORDS[w]], "amount": a.figure.text}
                for w, a in zip(words, amounts, strict=True)
            ]
            del context
            return {"form": "tiers", "metric": metric, "tiers": tiers, "_used": set()}
    for j in range(len(before) - 1, -1, -1):
        thresholds = _list_ending(before, j, s)
        if len(thresholds) == n:
            unit = thresholds[0].figure.unit
            ctx = s[: thresholds[0].start]
            metric = binder.fact_for(ctx, unit)
            op = _op_of(s, thresholds[0]) or _op_of(s, thresholds[-1]) or (">=", None)
            tiers = [
                {"op": op[0], "value": t.figure.text, "amount": a.figure.text}
                for t, a in zip(thresholds, amounts, strict=True)
            ]
            return {"form": "tiers", "metric": metric, "tiers": tiers, "_used": {id(t) for t in thresholds}}
    return None


# --- a policy -------------------------------------------------------------------------------------


def draft_policy(policy_id: str, clauses: list[Clause]) -> Draft:
    """The draft of one policy; the facts it declares are registered only while it is drafted."""
    from ..rules.loader import facts_scope

    with facts_scope():
        return _draft_policy(policy_id, clauses)


def _draft_policy(policy_id: str, clauses: list[Clause]) -> Draft:
    draft = Draft(policy_id)
    binder = FactBinder(policy_id, draft)
    texts = {c.clause_id: c.text for c in clauses}
    _register(draft.facts)
    for c in clauses:
        raw: list[tuple[dict[str, Any], str]] = []
        for s, parent in _sentences(c.text) if c.kind == "article" or c.kind == "final" else []:
            pool = _POOL.search(s)
            if pool:
                draft.funds.append(
                    {
                        "kind": "pool",
                        "clause_id": c.clause_id,
                        "quote": pool.group(0),
                        "amount": pool.group(1),
                        "message": pool.group(0) + "（资金总额控制，不减少测算金额）",
                    }
                )
            elif (m := _BUDGET.search(s)) is not None:
                draft.funds.append(
                    {
                        "kind": "budget",
                        "clause_id": c.clause_id,
                        "quote": m.group(0),
                        "message": f"「{m.group(0)}」：实际兑现以年度预算为准",
                    }
                )
            st = _STACKING.search(s)
            if st and not draft.stacking:
                draft.stacking.append(
                    {
                        "id": f"{policy_id}/jiugao",
                        "clause_id": c.clause_id,
                        "quote": st.group(0),
                        "scope": "within_policy",
                    }
                )
            rule = draft_sentence(s, binder)
            if rule is not None:
                raw.append(({"clause_id": c.clause_id, "title": _title(c, s), **rule}, parent))
        drafted: list[dict] = []
        for rule in _merge_tiers(raw):
            _register(draft.facts)
            rid = f"{policy_id}/c{c.order}-{len(drafted) + 1}"
            full = {"id": rid, **rule, "review": "needed"}
            s = rule["reference"]
            problem = _problem(full, texts)
            if problem and "conditions" in full:
                # keep the award: unbound conditions go to requirements for the reviewer
                full["requirements"] = [{"wording": x["wording"], "kind": "fact"} for x in full.pop("conditions")]
                problem = _problem(full, texts)
            if problem:
                draft.left_out.append(f"{c.clause_id}「{s[:30]}…」：{problem}")
                continue
            drafted.append(full)
        draft.rules.extend(drafted)
        if drafted:
            draft.coverage.append({"clause_id": c.clause_id, "status": "encoded"})
        elif any(c.clause_id in x for x in draft.left_out):
            draft.coverage.append(
                {
                    "clause_id": c.clause_id,
                    "status": "not_formalised",
                    "reason": "自动起草未能形式化，请人工编写（见 rules draft 输出）",
                }
            )
        else:
            draft.coverage.append(
                {"clause_id": c.clause_id, "status": "non_monetary", "reason": "自动起草：未见奖补金额，请核对"}
            )
    _drop_unused_facts(draft)
    return draft


def _title(c: Clause, s: str) -> str:
    subject = subject_of(s)
    if c.heading and len(c.heading) <= 16:
        return c.heading.rstrip("。：，")
    if not subject:  # 「对直播电商公共服务平台，一事一议给予支持」: the words up to the first comma
        head = re.sub(r"^[（(]?[一二三四五六七八九十0-9]+[）)]?[、.．]?", "", s)
        subject = re.sub(r"^(?:对于|对)", "", re.split(r"[，,。；]", head)[0])[:14]
    return f"{subject}奖补" if subject else c.clause_id


def _register(facts: list[dict[str, Any]]) -> None:
    from ..rules.loader import declare_facts

    declare_facts(facts, "draft")


def _problem(rule: dict[str, Any], texts: dict[str, str]) -> str | None:
    """Why a drafted rule would not load or not pass the provenance check (None: it passes)."""
    from ..rules.provenance import check_rule
    from ..rules.schema import Rule

    try:
        model = Rule.model_validate(rule)
    except ValidationError as exc:
        return "; ".join(e["msg"] for e in exc.errors())[:200]
    problems = check_rule(model, texts.get(model.clause_id), "draft")
    return "; ".join(p.split(": ", 2)[-1] for p in problems)[:200] or None


def _drop_unused_facts(draft: Draft) -> None:
    text = repr(draft.rules)
    draft.facts = [f for f in draft.facts if f"'{f['name']}'" in text]


def evaluate_drafts(policy_ids: list[str]) -> dict[str, Any]:
    """Drafts of corpus policies against their hand-encoded rules: a hand rule is recalled when a drafted rule
    of the same clause has the same form, thresholds and amounts."""
    from ..rules.loader import facts_scope, load_rulebook

    book = load_rulebook()
    with facts_scope():
        return _evaluate(policy_ids, book)


def _evaluate(policy_ids: list[str], book) -> dict[str, Any]:
    from .. import corpus
    from ..rules.schema import Rule

    rows = []
    tp_hand = tp_draft = n_hand = n_draft = 0
    for pid in policy_ids:
        draft = draft_policy(pid, corpus.clauses_of(pid))
        _register(draft.facts)
        drafted = [Rule.model_validate(r) for r in draft.rules]
        hand = book.rules_of(pid)
        dsig = [signature(r) for r in drafted]
        hsig = [signature(r) for r in hand]
        hit_h = sum(1 for h in hsig if h in dsig)
        hit_d = sum(1 for d in dsig if d in hsig)
        rows.append(
            {
                "policy_id": pid,
                "hand": len(hand),
                "drafted": len(drafted),
                "recalled": hit_h,
                "correct": hit_d,
                "missed": [r.id for r, h in zip(hand, hsig, strict=True) if h not in dsig],
            }
        )
        tp_hand, tp_draft, n_hand, n_draft = (
            tp_hand + hit_h,
            tp_draft + hit_d,
            n_hand + len(hand),
            n_draft + len(drafted),
        )
    return {
        "policies": rows,
        "recall": tp_hand / n_hand if n_hand else 0.0,
        "precision": tp_draft / n_draft if n_draft else 0.0,
        "hand": n_hand,
        "drafted": n_draft,
    }


def signature(rule) -> tuple:
    """(clause, form, thresholds, amounts) — what a drafted rule must get right to count."""
    from ..rules.provenance import award_figures

    a = rule.award
    thresholds: list[Decimal | str] = []  # a level tier's threshold is its level name
    amounts: list[Decimal] = []
    for fig, loc in award_figures(a, "award"):
        if loc.endswith(".value") or loc in ("award.unit", "award.step"):
            thresholds.append(fig.value)
        else:
            amounts.append(fig.value)
    if getattr(a, "tiers", None) and isinstance(a.tiers, list):
        for t in a.tiers:
            if t.figure is None:  # level tiers: the level is the threshold
                thresholds.append(str(t.parsed))
    for c in rule.compares():
        if c.figure is not None and c.figure.unit == "元" and not c.implied:
            thresholds.append(c.figure.value)
    return (rule.clause_id, a.form, tuple(sorted(map(str, thresholds))), tuple(sorted(amounts)))
