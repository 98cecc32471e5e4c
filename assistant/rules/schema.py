"""The rule-file schema (rules/<policy_id>.yaml): strict pydantic models, one per YAML mapping.

Every model forbids unknown keys, so a misspelt key is a load error naming the
file, the rule and the key (see loader.py) — never silently ignored. Figures are
written as the policy writes them (「3000万元」「30%」「6元」「2000平方米」) and parsed
here into exact Decimals; the written text is kept for the provenance check.
The format is documented with examples of every award form in rules/README.md.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    Tag,
    field_validator,
    model_validator,
)

from ..facts import ENTITY_KINDS, FACTS, LEVEL_RANK, FactDef, close_names, get_fact, parse_level
from .figures import Figure, FigureError, parse_figure


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- figures as written ---------------------------------------------------------------------------


def _figure_validator(default_unit: str, allowed: tuple[str, ...] | None, what: str):
    def validate(v: Any) -> Figure:
        if isinstance(v, Figure):
            return v
        if isinstance(v, bool) or not isinstance(v, (str, int, Decimal)):
            raise ValueError(f"{what}应写作原文数额字符串，如「10万元」，得到 {v!r}")
        try:
            fig = parse_figure(v, default_unit)
        except FigureError as exc:
            raise ValueError(str(exc)) from None
        if allowed is not None and fig.unit not in allowed:
            raise ValueError(f"{what}的单位应为 {'/'.join(allowed)}，得到 {v!r}")
        return fig

    return PlainValidator(validate)


_ser = PlainSerializer(lambda f: f.text or str(f), return_type=str)
# An amount of money in 元 (「10万元」; 「5万」 in a list like 「5万、7.5万、10万元」 means 元).
Money = Annotated[Figure, _figure_validator("元", ("元",), "金额"), _ser]
# A percentage (「30%」, 「全额」 = 100%).
Percent = Annotated[Figure, _figure_validator("%", ("%",), "比例"), _ser]
# A quantity with any unit (「1万元」 per-unit size, 「1亿元」 step, 「5场」 count limit).
Quantity = Annotated[Figure, _figure_validator("", None, "数量"), _ser]


# --- conditions -----------------------------------------------------------------------------------

Op = Literal[">=", ">", "<=", "<", "==", "!=", "in"]
_ORDERED_OPS = (">=", ">", "<=", "<")


FACTS_DECLARED = ("facts are declared in the fact vocabulary (assistant/facts.py; `policy-qa rules --facts` lists "
                  "them) or, for one policy's own facts, in its rule file's top-level `facts:` list")


def _check_fact_name(name: str) -> FactDef:
    if name not in FACTS:
        hint = close_names(name)
        raise ValueError(f"unknown fact {name!r}" + (f" (did you mean: {', '.join(hint)}?)" if hint else "")
                         + f"; {FACTS_DECLARED}")
    return FACTS[name]


def parse_fact_value(fact: FactDef, op: str, raw: Any) -> tuple[Any, Figure | None]:
    """A condition/tier value → (engine value, written figure or None). Raises ValueError."""
    t = fact.type
    if op == "in":
        if not isinstance(raw, list) or not raw:
            raise ValueError("op 'in' needs a non-empty list value")
        vals = [parse_fact_value(fact, "==", r)[0] for r in raw]
        return vals, None
    if t == "kind":
        raise ValueError("entity kinds are tested with the rule's `applicants`, not a condition")
    if t == "bool":
        if not isinstance(raw, bool):
            raise ValueError(f"fact {fact.name} is bool: value must be true/false, got {raw!r}")
        if op not in ("==", "!="):
            raise ValueError(f"bool fact {fact.name} takes op == or !=")
        return raw, None
    if t == "enum":
        if op not in ("==", "!="):
            raise ValueError(f"enum fact {fact.name} takes op ==, != or in")
        if raw not in fact.values:
            raise ValueError(f"fact {fact.name} takes one of {sorted(fact.values)}, got {raw!r}")
        return raw, None
    if t == "level":
        return parse_level(raw), None
    if t == "date":
        if isinstance(raw, dt.date):
            return raw, None
        try:
            return dt.date.fromisoformat(str(raw)), None
        except ValueError:
            raise ValueError(f"date fact {fact.name}: value must be YYYY-MM-DD, got {raw!r}") from None
    if t == "year":
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError(f"year fact {fact.name}: value must be a year like 2023, got {raw!r}")
        return raw, None
    # numeric: money_yuan, money_usd, count, percent
    default = {"money_yuan": "元", "money_usd": "美元", "percent": "%"}.get(t, fact.unit or "")
    if isinstance(raw, bool):
        raise ValueError(f"fact {fact.name} is numeric, got {raw!r}")
    try:
        fig = parse_figure(raw, default)
    except FigureError as exc:
        raise ValueError(str(exc)) from None
    if fig.unit not in fact.accepted_units:
        raise ValueError(f"fact {fact.name} is in {'/'.join(fact.accepted_units)}; {raw!r} has unit {fig.unit or 'none'}")
    value = fig.value * 12 if (fact.unit == "月" and fig.unit == "年") else fig.value
    return value, fig


class Compare(Strict):
    """``{fact, op, value, wording}`` — one test of a profile fact, with the text's own words.

    op: >= > <= < == != in. Bounds exactly as worded: 以上/达到/不低于/（含） → >=; 超过/超/过/突破 → >.
    ``implied``: why a figure that the quote does not state is still right (exempts it from the
    provenance figure check; say the reason, e.g. 「名次1、2、3对应「分别」」).
    """

    fact: str
    op: Op
    value: Any
    wording: str | None = None
    question: str | None = None  # a sharper question than the fact's default
    implied: str | None = None
    _value: Any = PrivateAttr(default=None)
    _figure: Figure | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _parse(self) -> "Compare":
        fact = _check_fact_name(self.fact)
        self._value, self._figure = parse_fact_value(fact, self.op, self.value)
        if fact.type in ("bool", "enum") and self.op in _ORDERED_OPS:
            raise ValueError(f"fact {fact.name} is {fact.type}: ordered op {self.op} makes no sense")
        return self

    @property
    def parsed(self) -> Any:
        return self.__pydantic_private__["_value"]  # direct: this is on the engine's hot path

    @property
    def figure(self) -> Figure | None:
        return self.__pydantic_private__["_figure"]


class AnyOf(Strict):
    """At least one holds (OR): zibo 电商镇 「电商村大于3个，或者……超过1亿元，或者……」."""

    any_of: list["Condition"] = Field(min_length=2)
    wording: str | None = None


class AllOf(Strict):
    """All hold (AND) — for an AND inside an any_of."""

    all_of: list["Condition"] = Field(min_length=1)
    wording: str | None = None


def _condition_tag(v: Any) -> str:
    if isinstance(v, dict):
        if "any_of" in v:
            return "any_of"
        if "all_of" in v:
            return "all_of"
        return "compare"
    return {AnyOf: "any_of", AllOf: "all_of"}.get(type(v), "compare")


Condition = Annotated[
    Union[Annotated[Compare, Tag("compare")], Annotated[AnyOf, Tag("any_of")], Annotated[AllOf, Tag("all_of")]],
    Discriminator(_condition_tag),
]
AnyOf.model_rebuild()
AllOf.model_rebuild()


# --- award forms ----------------------------------------------------------------------------------


class PerYear(Strict):
    """「2023年、2024年每年分别给予」: the amount is per year, for each listed year."""

    years: list[int] = Field(min_length=1)
    wording: str | None = None


class _AwardBase(Strict):
    # 不超过/最高/不高于: the computed amount is a maximum, not a promise (reported with is_ceiling).
    ceiling: bool = False
    per_year: PerYear | None = None
    one_time: bool = False  # 一次性
    wording: str | None = None  # the words that grant the award, e.g. 「分别给予……一次性奖励」


class Fixed(_AwardBase):
    form: Literal["fixed"]
    amount: Money


class Ceiling(_AwardBase):
    """「给予不超过50万元奖励」: amount is the maximum (is_ceiling is always true)."""

    form: Literal["ceiling"]
    amount: Money
    ceiling: bool = True

    @field_validator("ceiling")
    @classmethod
    def _always(cls, v: bool) -> bool:
        if not v:
            raise ValueError("form ceiling is always a ceiling; use form fixed for a fixed amount")
        return v


class Threshold(Strict):
    """metric op value, as worded; ``value`` is a figure for numeric metrics, a level for level metrics.
    The parsed value and its figure are filled by the owning tiers' validator."""

    op: Op = ">="
    value: Any
    wording: str | None = None
    implied: str | None = None
    _value: Any = PrivateAttr(default=None)
    _figure: Figure | None = PrivateAttr(default=None)

    @property
    def parsed(self) -> Any:
        return self.__pydantic_private__["_value"]  # direct: this is on the engine's hot path

    @property
    def figure(self) -> Figure | None:
        return self.__pydantic_private__["_figure"]


# Words that leave a requirement to the department's judgement (认定/评审 …), not to a fact the applicant knows.
RECOGNITION_WORDS = ("认定", "评审", "审议", "审核", "评定", "评选", "认可", "评估", "考核", "验收", "择优", "遴选",
                     "较好", "良好", "显著", "突出", "实效", "优秀", "成效", "评价", "影响力")
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def requirement_kind(wording: str) -> str:
    """recognition when the words leave it to the department (经认定, 取得较好效果), else fact."""
    return "recognition" if any(w in wording for w in RECOGNITION_WORDS) else "fact"


def rank_in(wording: str) -> int | None:
    """前五名 / 前10名 / 前三位 → 5 / 10 / 3."""
    m = re.search(r"前\s*([0-9]+|[一二两三四五六七八九十]+)\s*(?:名|位)?", wording)
    if not m:
        return None
    n = m.group(1)
    if n.isdigit():
        return int(n)
    if n.startswith("十"):
        return 10 + _CN_NUM.get(n[1:], 0) if len(n) > 1 else 10
    if "十" in n:
        tens, _, units = n.partition("十")
        return _CN_NUM[tens] * 10 + (_CN_NUM[units] if units else 0)
    return _CN_NUM.get(n)


class Requirement(Strict):
    """A condition the clause states besides the tested facts, verbatim in ``wording``.

    kind recognition: only the department can judge it (「经认定」「取得较好效果」) — shown, never tested.
    kind fact: a factual condition the applicant knows (「签订服务协议」); with ``fact`` (a bool fact) it is
    asked and tested like a condition, without one it is shown as a point to confirm, never as 认定.
    kind rank: 「前N名」 — ``max_rank`` N (read from the wording when omitted); with ``fact`` (the applicant's
    rank, a count) it is tested as fact ≤ N, without one the department's ranking decides (shown).
    A plain string is a requirement whose kind is read from its words (认定/评审/较好… → recognition).
    """

    wording: str
    kind: Literal["recognition", "fact", "rank"] = "recognition"
    fact: str | None = None
    max_rank: int | None = None
    _compare: "Compare | None" = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, v: Any) -> Any:
        if isinstance(v, str):
            kind = "rank" if rank_in(v) is not None else requirement_kind(v)
            return {"wording": v, "kind": kind}
        return v

    @model_validator(mode="after")
    def _bind(self) -> "Requirement":
        if self.kind == "rank" and self.max_rank is None:
            self.max_rank = rank_in(self.wording)
            if self.max_rank is None:
                raise ValueError(f"rank requirement 「{self.wording}」 needs max_rank (前N名 not found in its wording)")
        if self.kind == "recognition" and self.fact:
            raise ValueError("a recognition requirement is judged by the department: it takes no fact")
        if self.fact:
            fact = _check_fact_name(self.fact)
            if self.kind == "fact":
                if fact.type != "bool":
                    raise ValueError(f"factual requirement fact {self.fact} must be a bool fact")
                self._compare = Compare(fact=self.fact, op="==", value=True, wording=self.wording)
            else:
                if fact.type != "count":
                    raise ValueError(f"rank requirement fact {self.fact} must be a count fact (the rank)")
                self._compare = Compare(fact=self.fact, op="<=", value=self.max_rank, wording=self.wording,
                                        implied=f"「{self.wording}」")
        return self

    @property
    def compare(self) -> "Compare | None":
        """The condition it is tested as (None: shown, not tested)."""
        return self._compare

    @property
    def shown_text(self) -> str:
        if self.kind == "rank" and self._compare is None:
            return f"{self.wording}（名次由主管部门评定）"
        return self.wording


class Tier(Threshold):
    """One tier: threshold reached → a fixed amount. ``requirements`` govern this tier only (「前五名」 on the top
    tier): a tier whose tested requirement fails is not reached."""

    amount: Money
    requirements: list[Requirement] = Field(default_factory=list)


class Halve(Strict):
    """「经营本地农特产品的，标准减半」: tier thresholds are halved when ``fact`` is true."""

    fact: str
    wording: str

    @field_validator("fact")
    @classmethod
    def _bool_fact(cls, v: str) -> str:
        if _check_fact_name(v).type != "bool":
            raise ValueError(f"halve fact {v} must be a bool fact")
        return v


class Tiers(_AwardBase):
    """Highest tier reached pays (never a sum). Tiers may be written in any order."""

    form: Literal["tiers"]
    metric: str
    tiers: list[Tier] = Field(min_length=1)
    halve_thresholds_when: Halve | None = None
    # 「荣誉升级，补差计奖」: when this (level) fact is known, pay tier(metric) − tier(previous).
    pays_difference_from: str | None = None

    @model_validator(mode="after")
    def _parse(self) -> "Tiers":
        fact = _check_fact_name(self.metric)
        if fact.type in ("bool", "kind", "date"):
            raise ValueError(f"tier metric {fact.name} must be numeric, level or enum")
        for t in self.tiers:
            t._value, t._figure = parse_fact_value(fact, t.op, t.value)
        if self.halve_thresholds_when and fact.type not in ("money_yuan", "money_usd", "count", "percent"):
            raise ValueError("halve_thresholds_when needs a numeric metric")
        if self.pays_difference_from:
            prev = _check_fact_name(self.pays_difference_from)
            if prev.type != fact.type:
                raise ValueError(f"pays_difference_from {prev.name} must have the metric's type {fact.type}")
        return self


def _numeric_fact(name: str, what: str = "fact") -> str:
    f = _check_fact_name(name)
    if f.type not in ("money_yuan", "money_usd", "count", "percent"):
        raise ValueError(f"{what} {name} must be a numeric fact")
    return name


# A fact an award computes with (metric, base, count): it must hold a number. The error names the field.
NumericFact = Annotated[str, AfterValidator(_numeric_fact)]


class PerUnit(_AwardBase):
    """「每实现1万元，最高给予5元，每家企业最高补贴10万元」: floor(metric / unit) × rate, then cap. Whole units only."""

    form: Literal["per_unit"]
    metric: NumericFact
    unit: Quantity
    rate: Money
    cap: Money | None = None



class CountLimit(Strict):
    """How many items (events, anchors) a percent award counts: ``fact`` gives the number, ``max`` the text's limit."""

    fact: NumericFact
    max: Quantity | None = None



class PercentOf(_AwardBase):
    """「按核定费用给予不高于30%的补助，单场活动上限6万元，每年最多补助5场」.

    per item: min(base × rate, cap); × min(count, max) when ``count`` is given; then ``total_cap``.
    """

    form: Literal["percent"]
    base: NumericFact
    rate: Percent
    cap: Money | None = None
    count: CountLimit | None = None
    total_cap: Money | None = None



class RateTier(Threshold):
    """One tier: threshold reached → a rate."""

    rate: Money


class RateTiers(Strict):
    metric: str
    tiers: list[RateTier] = Field(min_length=1)

    @model_validator(mode="after")
    def _parse(self) -> "RateTiers":
        fact = _check_fact_name(self.metric)
        for t in self.tiers:
            t._value, t._figure = parse_fact_value(fact, t.op, t.value)
        return self


class AreaRate(_AwardBase):
    """「每月6元/平米……按实际租用面积计算，单家企业每年补助资金不超过50万元」.

    area × rate × months (``months_fact`` when known, else 12 — a year), then the annual ``cap``.
    The rate is fixed (``rate``) or chosen by the highest reached ``rate_tiers``.
    """

    form: Literal["area_rate"]
    area: str = "rented_area"
    rate: Money | None = None
    rate_tiers: RateTiers | None = None
    months_fact: str = "rent_months"
    cap: Money | None = None

    @model_validator(mode="after")
    def _one_rate(self) -> "AreaRate":
        _numeric_fact(self.area, "area")
        _numeric_fact(self.months_fact, "months_fact")
        if (self.rate is None) == (self.rate_tiers is None):
            raise ValueError("area_rate needs exactly one of rate / rate_tiers")
        return self


class CountAmount(_AwardBase):
    """「每入驻（自建）一个平台给予一次性奖励2万元，单个企业每年累计不超过10万元」: count × amount, then cap."""

    form: Literal["count"]
    count: NumericFact
    amount: Money
    cap: Money | None = None



class PerStep(_AwardBase):
    """「每增长1亿元，给予……奖励10万元，每年最高不超过30万元」: floor(metric / step) × amount, then cap."""

    form: Literal["per_step"]
    metric: NumericFact
    step: Quantity
    amount: Money
    cap: Money | None = None



class Increments(_AwardBase):
    """「首年奖励10万元，后续年度……每增长5000万元……再追加奖励10万元，单个平台累计最高奖励100万元」.

    First award year (``first_year_fact`` true): ``first_amount``. Later years: floor(growth / step) ×
    ``step_amount``. Both limited by ``cumulative_cap`` − ``received_fact`` (already received).
    """

    form: Literal["increments"]
    first_amount: Money
    first_year_fact: str
    metric: str  # the growth since last year
    step: Quantity
    step_amount: Money
    cumulative_cap: Money
    received_fact: str = "awards_received"

    @model_validator(mode="after")
    def _facts(self) -> "Increments":
        if _check_fact_name(self.first_year_fact).type != "bool":
            raise ValueError("first_year_fact must be a bool fact")
        _numeric_fact(self.metric, "metric")
        _numeric_fact(self.received_fact, "received_fact")
        return self


class Discretionary(_AwardBase):
    """「一事一议」「适当补助」「按一定比例」: no amount; ``max`` when the text gives a ceiling (「最高不超过20万元」)."""

    form: Literal["discretionary"]
    max: Money | None = None
    wording: str  # required: the words that leave the amount open


ItemAward = Annotated[Union[Fixed, Ceiling, Tiers, PerUnit, PercentOf, PerStep], Field(discriminator="form")]


class SumOverItems(_AwardBase):
    """「对年销售额达到1000万元、3000万元的主播，分别给予其所属机构每名主播2万元、5万元奖励，每家机构最高20万元」:
    ``each`` is the award for ONE item (an anchor, a project), over that item's own facts; the items' awards are
    summed, then ``cap`` applies per applicant. The items come as ``items`` (a list of fact mappings) in the
    profile; without them, ``count`` items of a fixed ``each`` are counted, else the total is asked for.
    """

    form: Literal["sum_over_items"]
    item: str  # what one item is, in Chinese: 主播 / 项目
    count: NumericFact  # how many items there are
    each: ItemAward
    cap: Money | None = None


Award = Annotated[
    Union[Fixed, Ceiling, Tiers, PerUnit, PercentOf, AreaRate, CountAmount, PerStep, Increments, Discretionary,
          SumOverItems],
    Field(discriminator="form"),
]
AWARD_FORMS = ("fixed", "ceiling", "tiers", "per_unit", "percent", "area_rate", "count", "per_step", "increments",
               "discretionary", "sum_over_items")


# --- rule -----------------------------------------------------------------------------------------

_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$")


class Rule(Strict):
    """One award of one clause. ``reference`` is the verbatim quote (contiguous, from the clause) stating its figures."""

    id: str  # <policy_id>/<slug>
    policy_id: str | None = None  # defaults to the file's; must match it when given
    clause_id: str
    title: str
    applicants: list[str] = Field(min_length=1)  # entity kinds (assistant.facts.ENTITY_KINDS), any of
    recipient: str | None = None  # who is paid when not the applicant itself: 「园区运营主体」
    conditions: list[Condition] = Field(default_factory=list)  # all must hold
    # Conditions stated besides the tested ones: recognition by the department (「经审议认定」「取得较好效果」),
    # factual ones (「签订服务协议」, tested when bound to a fact) and rank limits (「前五名」). See Requirement.
    requirements: list[Requirement] = Field(default_factory=list)
    # `policy-qa rules draft` writes `review: needed`; a person sets `review: done` (or deletes it) after checking.
    review: Literal["needed", "done"] | None = None
    award: Award
    reference: str
    data_years: list[int] = Field(default_factory=list)  # the data year(s) the metric refers to (「2022年度」)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    notes: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _RULE_ID.match(v):
            raise ValueError(f"rule id {v!r} must look like 'policy-id/slug' (lower-case, digits, hyphens)")
        return v

    @field_validator("applicants")
    @classmethod
    def _kinds(cls, v: list[str]) -> list[str]:
        bad = [k for k in v if k not in ENTITY_KINDS]
        if bad:
            raise ValueError(f"unknown entity kind(s) {bad}; known: {sorted(ENTITY_KINDS)}")
        return v

    @model_validator(mode="after")
    def _dates(self) -> "Rule":
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError("valid_from is after valid_to")
        if self.policy_id is None:
            self.policy_id = self.id.split("/", 1)[0]
        return self

    def compares(self) -> list[Compare]:
        """Every Compare in the conditions, nested groups included."""
        out: list[Compare] = []

        def walk(c: Any) -> None:
            if isinstance(c, Compare):
                out.append(c)
            elif isinstance(c, AnyOf):
                for x in c.any_of:
                    walk(x)
            elif isinstance(c, AllOf):
                for x in c.all_of:
                    walk(x)

        for c in self.conditions:
            walk(c)
        for req in self.all_requirements():
            if req.compare is not None:
                out.append(req.compare)
        return out

    def all_requirements(self) -> list[Requirement]:
        """The rule's requirements and those of its tiers (nested item awards included)."""
        out = list(self.requirements)
        a = self.award
        for award in (a, getattr(a, "each", None)):
            if isinstance(award, Tiers):
                for t in award.tiers:
                    out.extend(t.requirements)
        return out

    def facts_used(self) -> set[str]:
        a = self.award
        used = {c.fact for c in self.compares()} | {"entity_kind"}
        for attr in ("metric", "base", "area", "months_fact", "first_year_fact", "received_fact", "pays_difference_from"):
            v = getattr(a, attr, None)
            if isinstance(v, str):
                used.add(v)
        for attr in ("count",):
            v = getattr(a, attr, None)
            if isinstance(v, str):
                used.add(v)
            elif isinstance(v, CountLimit):
                used.add(v.fact)
        if isinstance(a, SumOverItems):
            used.add(a.count)
            each = a.each
            for attr in ("metric", "base"):
                v = getattr(each, attr, None)
                if isinstance(v, str):
                    used.add(v)
        if isinstance(a, AreaRate) and a.rate_tiers:
            used.add(a.rate_tiers.metric)
        if isinstance(a, Tiers) and a.halve_thresholds_when:
            used.add(a.halve_thresholds_when.fact)
        return used


# --- policy-level sections ------------------------------------------------------------------------

RuleSet = Union[Literal["all"], list[str]]


class Stacking(Strict):
    """「就高不重复」: of the listed rules (or all of the policy's), only the best award counts in the total.

    scope within_policy: among this policy's rules. across_policies: the text also forbids stacking with
    other policies' awards for the same matter — reported as a warning (the same matter cannot be matched
    mechanically), unless ``rules`` names other policies' rule ids explicitly.
    """

    id: str
    clause_id: str
    quote: str
    scope: Literal["within_policy", "across_policies"] = "within_policy"
    rules: RuleSet = "all"
    message: str | None = None  # Chinese explanation shown with the total


class Instalment(Strict):
    label: str  # 当年 / 次年
    share: Percent


class PaymentSchedule(Strict):
    """「分两年拨付，当年拨付50%，次年拨付剩余50%」: every award of the policy is paid in these instalments."""

    clause_id: str
    quote: str
    instalments: list[Instalment] = Field(min_length=1)
    rules: RuleSet = "all"

    @model_validator(mode="after")
    def _sum(self) -> "PaymentSchedule":
        total = sum((i.share.value for i in self.instalments), Decimal(0))
        if total != 100:
            raise ValueError(f"instalment shares add up to {total}%, not 100%")
        return self


class Fund(Strict):
    """Money-availability wording — always a WARNING, never a reduction of the computed amount.

    pool: 「全市补贴总额不超过500万元」 (amount required); budget: 「资金实行年度总额控制」;
    proportional_reduction: 「超过……则通过总体比例紧缩的办法，重新计算发放」.
    """

    kind: Literal["pool", "budget", "proportional_reduction"]
    clause_id: str
    quote: str
    amount: Money | None = None
    rules: RuleSet = "all"
    message: str  # Chinese warning shown with each covered award

    @model_validator(mode="after")
    def _pool_amount(self) -> "Fund":
        if self.kind == "pool" and self.amount is None:
            raise ValueError("a pool needs its amount")
        return self


class ContributionCap(Strict):
    """「奖补资金额不得超过企业对地方贡献数的20%」: applied when ``fact`` is known, else a condition to confirm."""

    clause_id: str
    quote: str
    share: Percent
    fact: NumericFact = "local_contribution"
    rules: list[str] = Field(min_length=1)



class PolicyNote(Strict):
    """Anything else the text says about all (or some) awards: 「享受期未满的继续执行」, 「政策期内不重复奖励」."""

    clause_id: str
    quote: str
    message: str
    rules: RuleSet = "all"


class CoverageEntry(Strict):
    """Every clause of the policy, once: encoded (rules exist), non_monetary, or not_formalised (reason required)."""

    clause_id: str
    status: Literal["encoded", "non_monetary", "not_formalised"]
    reason: str | None = None

    @model_validator(mode="after")
    def _reason(self) -> "CoverageEntry":
        if self.status != "encoded" and not (self.reason and self.reason.strip()):
            raise ValueError(f"clause {self.clause_id}: status {self.status} needs a reason")
        return self


class PolicyRules(Strict):
    """One rule file: rules/<policy_id>.yaml."""

    policy_id: str
    # The policy's own facts (a mapping each: name, type, label, …), declared for the fact vocabulary; the fact
    # loader registers them in the fact registry (assistant.facts.declare_facts) before the rules are validated.
    facts: list[dict[str, Any]] = Field(default_factory=list)
    stacking: list[Stacking] = Field(default_factory=list)
    payment: PaymentSchedule | None = None
    funds: list[Fund] = Field(default_factory=list)
    contribution_caps: list[ContributionCap] = Field(default_factory=list)
    notes: list[PolicyNote] = Field(default_factory=list)
    coverage: list[CoverageEntry] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> "PolicyRules":
        ids = [r.id for r in self.rules]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate rule ids: {dup}")
        for r in self.rules:
            if r.policy_id != self.policy_id or not r.id.startswith(self.policy_id + "/"):
                raise ValueError(f"rule {r.id}: policy_id/id prefix must be the file's policy_id {self.policy_id!r}")
        known = set(ids)
        for sec in (*self.funds, *self.contribution_caps, *self.notes, *([self.payment] if self.payment else [])):
            refs = sec.rules
            if refs != "all":
                bad = [x for x in refs if x not in known]
                if bad:
                    raise ValueError(f"{type(sec).__name__} at clause {sec.clause_id}: unknown rule ids {bad}")
        for st in self.stacking:
            if st.rules != "all":
                own_bad = [x for x in st.rules if x.startswith(self.policy_id + "/") and x not in known]
                if own_bad:
                    raise ValueError(f"stacking {st.id}: unknown rule ids {own_bad}")
        cov = [c.clause_id for c in self.coverage]
        dup = sorted({c for c in cov if cov.count(c) > 1})
        if dup:
            raise ValueError(f"coverage lists clause(s) more than once: {dup}")
        # Whether coverage and rules agree is checked against the corpus (provenance.check_policy), where a
        # clause id that does not exist can be named as such instead of as a coverage mismatch.
        return self

    def covers(self, section: Any, rule_id: str) -> bool:
        return section.rules == "all" or rule_id in section.rules


def level_rank(level: str) -> int:
    return LEVEL_RANK[level]


__all__ = [
    "AWARD_FORMS", "AllOf", "AnyOf", "AreaRate", "Award", "Ceiling", "Compare", "Condition", "ContributionCap",
    "CountAmount", "CountLimit", "CoverageEntry", "Discretionary", "Fixed", "Fund", "Halve", "Increments",
    "Instalment", "Money", "PaymentSchedule", "PerStep", "PerUnit", "PerYear", "PercentOf", "Percent",
    "PolicyNote", "PolicyRules", "Quantity", "RateTier", "RateTiers", "Requirement", "Rule", "Stacking",
    "SumOverItems", "Tier", "Tiers",
    "get_fact", "level_rank", "parse_fact_value",
]
