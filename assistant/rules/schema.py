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
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

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
from .context import ITEMS, NUMERIC, Amount, Ctx, compare, floor, gap_to, money, rank
from .figures import Figure, FigureError, parse_figure
from .results import Reason

Outcome = str  # 'pass' | 'fail' | 'unknown'


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


FACTS_DECLARED = (
    "facts are declared in the fact vocabulary (assistant/facts.py; `policy-qa rules --facts` lists "
    "them) or, for one policy's own facts, in its rule file's top-level `facts:` list"
)


def _check_fact_name(name: str) -> FactDef:
    if name not in FACTS:
        hint = close_names(name)
        raise ValueError(
            f"unknown fact {name!r}" + (f" (did you mean: {', '.join(hint)}?)" if hint else "") + f"; {FACTS_DECLARED}"
        )
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
        raise ValueError(
            f"fact {fact.name} is in {'/'.join(fact.accepted_units)}; {raw!r} has unit {fig.unit or 'none'}"
        )
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
    def _parse(self) -> Compare:
        fact = _check_fact_name(self.fact)
        self._value, self._figure = parse_fact_value(fact, self.op, self.value)
        if fact.type in ("bool", "enum") and self.op in _ORDERED_OPS:
            raise ValueError(f"fact {fact.name} is {fact.type}: ordered op {self.op} makes no sense")
        return self

    @property
    def parsed(self) -> Any:
        private = self.__pydantic_private__
        assert private is not None  # a model with private attributes has their dict from construction on
        return private["_value"]  # direct: this is on the engine's hot path

    @property
    def figure(self) -> Figure | None:
        private = self.__pydantic_private__
        assert private is not None  # a model with private attributes has their dict from construction on
        return private["_figure"]

    def describe(self) -> Reason:
        return Reason(code="condition", fact=self.fact, op=self.op, threshold=self.parsed, wording=self.wording)

    def check(self, ctx: Ctx, record: bool = True) -> Outcome:
        """'pass' | 'fail' | 'unknown' (a stand-in value counts as pass/fail and is recorded as an assumption)."""
        fact = FACTS[self.fact]
        v, used = ctx.get(self.fact)
        if used is None:
            if record:
                ctx.need(self.fact, self.question)
                ctx.step("condition", self.describe(), "unknown", self.fact)
            return "unknown"
        if record and used != self.fact:
            ctx.value(self.fact, self.question)  # records the assumption
        ok = compare(fact, self.op, v, self.parsed)
        if record:
            r = Reason(
                code="condition",
                fact=self.fact,
                op=self.op,
                threshold=self.parsed,
                actual=v,
                gap=None if ok else gap_to(fact, self.op, v, self.parsed),
                wording=self.wording,
                used=used if used != self.fact else None,
            )
            ctx.step("condition", r, ("assumed" if used != self.fact else "pass") if ok else "fail", self.fact)
            if not ok:
                ctx.failed.append(r)
                if r.gap is not None:
                    ctx.gaps.append(r)
        return "pass" if ok else "fail"

    def compares(self) -> Iterator[Compare]:
        yield self


class AnyOf(Strict):
    """At least one holds (OR): 「电商村大于3个，或者……超过1亿元，或者……」."""

    any_of: list[Condition] = Field(min_length=2)
    wording: str | None = None

    def describe(self) -> Reason:
        return Reason(code="any_of", wording=self.wording, data={"members": [c.describe() for c in self.any_of]})

    def check(self, ctx: Ctx, record: bool = True) -> Outcome:
        results = [c.check(ctx, record=False) for c in self.any_of]
        if "pass" in results:
            res = "pass"
        elif all(r == "fail" for r in results):
            res = "fail"
        else:
            res = "unknown"
        if record:
            # Record the members so the trace and the questions say what would satisfy the OR.
            for c, r in zip(self.any_of, results, strict=True):
                if res == "pass" and r != "pass":
                    continue
                sub = Ctx(facts=ctx.facts)
                c.check(sub, record=True)
                ctx.trace.extend(sub.trace)
                if res == "unknown":
                    ctx.missing.update({k: v for k, v in sub.missing.items() if k not in ctx.missing})
                if res != "fail":
                    ctx.assumptions.update(sub.assumptions)
                if res == "pass":
                    break
            reason = self.describe()
            ctx.step("condition", reason, res)
            if res == "fail":
                ctx.failed.append(reason)
        return res

    def compares(self) -> Iterator[Compare]:
        for c in self.any_of:
            yield from c.compares()


class AllOf(Strict):
    """All hold (AND) — for an AND inside an any_of."""

    all_of: list[Condition] = Field(min_length=1)
    wording: str | None = None

    def describe(self) -> Reason:
        return Reason(code="all_of", wording=self.wording, data={"members": [c.describe() for c in self.all_of]})

    def check(self, ctx: Ctx, record: bool = True) -> Outcome:
        results = [c.check(ctx, record=record) for c in self.all_of]
        if "fail" in results:
            return "fail"
        return "pass" if all(r == "pass" for r in results) else "unknown"

    def compares(self) -> Iterator[Compare]:
        for c in self.all_of:
            yield from c.compares()


def _condition_tag(v: Any) -> str:
    if isinstance(v, dict):
        if "any_of" in v:
            return "any_of"
        if "all_of" in v:
            return "all_of"
        return "compare"
    tags: dict[type, str] = {AnyOf: "any_of", AllOf: "all_of"}
    return tags.get(type(v), "compare")


Condition = Annotated[
    Annotated[Compare, Tag("compare")] | Annotated[AnyOf, Tag("any_of")] | Annotated[AllOf, Tag("all_of")],
    Discriminator(_condition_tag),
]
AnyOf.model_rebuild()
AllOf.model_rebuild()


# --- award forms ----------------------------------------------------------------------------------


class PerYear(Strict):
    """「2023年、2024年每年分别给予」: the amount is per year, for each listed year. A figure whose data year
    (``fact``, when known) falls in or before the listed period and is not one of ``years`` (2022 for
    2023、2024) earns nothing under this rule. A year after the period is the policy's validity question, which
    is answered the way an expired policy is — the figure the text pays, with the expiry warning."""

    years: list[int] = Field(min_length=1)
    wording: str | None = None
    fact: str = "data_year"

    @field_validator("fact")
    @classmethod
    def _year_fact(cls, v: str) -> str:
        if _check_fact_name(v).type != "year":
            raise ValueError(f"per_year fact {v} must be a year fact")
        return v

    def check(self, ctx: Ctx) -> Outcome:
        """'fail' when the profile's data year is known and not a listed year, else 'pass' (nothing asked)."""
        year = ctx.facts.get(self.fact)
        if year is None:
            return "pass"
        r = Reason(
            code="per_year", fact=self.fact, op="in", threshold=list(self.years), actual=year, wording=self.wording
        )
        if year in self.years or year > max(self.years):
            return "pass"
        ctx.step("condition", r, "fail", self.fact)
        ctx.failed.append(r)
        return "fail"


class LessReceived(Strict):
    """「已享受低档次奖励后晋升高档次的，按差额补足」: what the applicant already received for the same matter
    (``fact``, a money fact) is deducted; nothing is paid when it already covers the amount. Unknown: the
    amount stands (the clause's own note says the difference rule)."""

    fact: str
    wording: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, v: Any) -> Any:
        return {"fact": v} if isinstance(v, str) else v

    @field_validator("fact")
    @classmethod
    def _money_fact(cls, v: str) -> str:
        if _check_fact_name(v).type != "money_yuan":
            raise ValueError(f"less_received fact {v} must be a money_yuan fact")
        return v

    def apply(self, res: Amount, ctx: Ctx) -> Amount:
        received = ctx.facts.get(self.fact)
        if received is None or res.amount is None:
            return res
        diff = res.amount - Decimal(received)
        ctx.step(
            "formula",
            Reason(
                code="less_received",
                fact=self.fact,
                actual=Decimal(received),
                wording=self.wording,
                data={"amount": res.amount, "diff": diff},
            ),
            "applied",
            self.fact,
        )
        if diff <= 0:
            ctx.failed.append(
                Reason(code="less_received_none", fact=self.fact, threshold=res.amount, actual=Decimal(received))
            )
            return Amount(None, res.max, reached=False)
        return Amount(money(diff), res.max, conditional=res.conditional)


class _AwardBase(Strict):
    """What every award form has. Each form computes itself (``compute``), says the most it can pay
    (``max_amount``) and lists the figures and words it takes from the clause (``figures``, ``quoted_words``)
    for the provenance check."""

    # 不超过/最高/不高于: the computed amount is a maximum, not a promise (reported with is_ceiling).
    ceiling: bool = False
    per_year: PerYear | None = None
    one_time: bool = False  # 一次性
    wording: str | None = None  # the words that grant the award, e.g. 「分别给予……一次性奖励」
    less_received: LessReceived | None = None
    # 一事一议/适当补助: the text gives no figure (only Discretionary).
    discretionary: ClassVar[bool] = False

    def compute(self, ctx: Ctx) -> Amount:  # pragma: no cover - every form overrides it
        raise NotImplementedError

    def max_amount(self) -> Decimal | None:
        cap = getattr(self, "cap", None)
        return cap.value if cap is not None else None

    def own_figures(self) -> Iterator[tuple[Figure, str]]:
        return iter(())

    def figures(self, at: str = "award") -> Iterator[tuple[Figure, str]]:
        """(figure as written, where) for every figure the award states, caps included."""
        for fig, loc in self.own_figures():
            yield fig, f"{at}.{loc}"
        cap = getattr(self, "cap", None)
        if cap is not None:
            yield cap, f"{at}.cap"

    def quoted_words(self) -> Iterator[tuple[str, str]]:
        """(words quoted from the clause, where) — each must be verbatim in the clause."""
        if self.wording:
            yield self.wording, "award.wording"
        if self.per_year and self.per_year.wording:
            yield self.per_year.wording, "award.per_year.wording"
        if self.less_received and self.less_received.wording:
            yield self.less_received.wording, "award.less_received.wording"

    def facts_used(self) -> set[str]:
        out = {self.less_received.fact} if self.less_received else set()
        if self.per_year:
            out.add(self.per_year.fact)
        return out

    def requirements_of_tiers(self) -> list[Requirement]:
        return []

    def level_values(self) -> Iterator[tuple[Any, str]]:
        """(level value, where) for thresholds on a level metric not marked ``implied`` — the provenance check
        finds their words (国家/省/市) in the quote."""
        return iter(())

    def fixed_amount(self) -> Figure | None:
        """The amount when it does not depend on any fact (fixed/ceiling), else None."""
        return None


class _Amounted(_AwardBase):
    """An amount that depends on no fact (fixed, ceiling)."""

    amount: Money

    def compute(self, ctx: Ctx) -> Amount:
        ctx.step("formula", Reason(code="fixed", data={"amount": self.amount, "ceiling": self.ceiling}), "applied")
        return Amount(self.amount.value, self.amount.value)

    def max_amount(self) -> Decimal | None:
        return self.amount.value

    def own_figures(self) -> Iterator[tuple[Figure, str]]:
        yield self.amount, "amount"

    def fixed_amount(self) -> Figure | None:
        return self.amount


class Fixed(_Amounted):
    form: Literal["fixed"]


class Ceiling(_Amounted):
    """「给予不超过50万元奖励」: amount is the maximum (is_ceiling is always true)."""

    form: Literal["ceiling"]
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
        private = self.__pydantic_private__
        assert private is not None  # a model with private attributes has their dict from construction on
        return private["_value"]  # direct: this is on the engine's hot path

    @property
    def figure(self) -> Figure | None:
        private = self.__pydantic_private__
        assert private is not None  # a model with private attributes has their dict from construction on
        return private["_figure"]


# Words that leave a requirement to the department's judgement (认定/评审 …), not to a fact the applicant knows.
RECOGNITION_WORDS = (
    "认定",
    "评审",
    "审议",
    "审核",
    "评定",
    "评选",
    "认可",
    "评估",
    "考核",
    "验收",
    "择优",
    "遴选",
    "较好",
    "良好",
    "显著",
    "突出",
    "实效",
    "优秀",
    "成效",
    "评价",
    "影响力",
)
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
    _compare: Compare | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, v: Any) -> Any:
        if isinstance(v, str):
            kind = "rank" if rank_in(v) is not None else requirement_kind(v)
            return {"wording": v, "kind": kind}
        return v

    @model_validator(mode="after")
    def _bind(self) -> Requirement:
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
                self._compare = Compare(
                    fact=self.fact, op="<=", value=self.max_rank, wording=self.wording, implied=f"「{self.wording}」"
                )
        return self

    @property
    def compare(self) -> Compare | None:
        """The condition it is tested as (None: shown, not tested)."""
        return self._compare

    def shown(self) -> Reason:
        """The requirement as shown, not tested: judged (or, for a rank with no fact, ranked) by the department."""
        return Reason(
            code="requirement",
            wording=self.wording,
            data={"ranked_by_department": self.kind == "rank" and self._compare is None},
        )


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
    def _parse(self) -> Tiers:
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

    def max_amount(self) -> Decimal | None:
        return max(t.amount.value for t in self.tiers)

    def own_figures(self) -> Iterator[tuple[Figure, str]]:
        for i, t in enumerate(self.tiers):
            yield t.amount, f"tiers[{i}].amount"
            if t.figure is not None and not t.implied:
                yield t.figure, f"tiers[{i}].value"

    def quoted_words(self) -> Iterator[tuple[str, str]]:
        yield from super().quoted_words()
        yield from ((t.wording, "award tier wording") for t in self.tiers if t.wording)
        if self.halve_thresholds_when:
            yield self.halve_thresholds_when.wording, "award.halve_thresholds_when.wording"

    def facts_used(self) -> set[str]:
        out = super().facts_used() | {self.metric}
        if self.pays_difference_from:
            out.add(self.pays_difference_from)
        if self.halve_thresholds_when:
            out.add(self.halve_thresholds_when.fact)
        return out

    def requirements_of_tiers(self) -> list[Requirement]:
        return [r for t in self.tiers for r in t.requirements]

    def level_values(self) -> Iterator[tuple[Any, str]]:
        if FACTS[self.metric].type == "level":
            for i, t in enumerate(self.tiers):
                if not t.implied:
                    yield t.parsed, f"award.tiers[{i}]"

    def _tier_tests(self, ctx: Ctx) -> dict[int, Outcome]:
        """id(tier) → outcome, for tiers with tested requirements (前五名 with a rank fact …)."""
        out = {}
        for t in self.tiers:
            tested = [r.compare for r in t.requirements if r.compare is not None]
            if tested:
                results = [c.check(ctx, record=False) for c in tested]
                out[id(t)] = "fail" if "fail" in results else ("unknown" if "unknown" in results else "pass")
        return out

    def _threshold(self, t: Tier, fact: FactDef, halve: bool) -> Any:
        value: Any = t.parsed
        return Decimal(value) / 2 if (halve and fact.type in NUMERIC) else value

    def pick(self, fact: FactDef, value: Any, halve: bool, blocked: frozenset[int] = frozenset()) -> tuple[Any, Any]:
        """(best reached (tier, threshold) or None, next unreached (tier, threshold) with a higher amount or None);
        ``blocked`` tiers (a tier requirement fails) are never reached."""
        best, nxt = None, None
        for t in self.tiers:
            if id(t) in blocked:
                continue
            threshold = self._threshold(t, fact, halve)
            if compare(fact, t.op, value, threshold):
                if best is None or t.amount.value > best[0].amount.value:
                    best = (t, threshold)
        for t in self.tiers:
            if id(t) in blocked:
                continue
            threshold = self._threshold(t, fact, halve)
            if compare(fact, t.op, value, threshold):
                continue
            if best is not None and t.amount.value <= best[0].amount.value:
                continue
            if nxt is None or rank(fact, threshold) < rank(fact, nxt[1]):
                nxt = (t, threshold)
        return best, nxt

    def _gap(self, fact: FactDef, value: Any, nxt: Any, next_tier: bool) -> Reason:
        t, threshold = nxt
        return Reason(
            code="tier_gap",
            fact=self.metric,
            op=t.op,
            threshold=threshold,
            actual=value,
            gap=Decimal(threshold) - Decimal(value),
            data={"amount": t.amount.value, "next": next_tier},
        )

    def compute(self, ctx: Ctx) -> Amount:
        fact = FACTS[self.metric]
        top = self.max_amount()
        value = ctx.value(self.metric)
        if value is None:
            return Amount(None, top)
        halve_opts: list[bool] = [False]
        halve_known = True
        halve = self.halve_thresholds_when
        if halve:
            hv = ctx.facts.get(halve.fact)
            if hv is None:
                halve_known = False
                halve_opts = [False, True]
            else:
                halve_opts = [bool(hv)]
        tier_tests = self._tier_tests(ctx)
        blocked = frozenset(k for k, v in tier_tests.items() if v == "fail")
        results = [(h, *self.pick(fact, value, h, blocked)) for h in halve_opts]
        halved, best, nxt = results[0]
        if halved and halve:
            ctx.step("tier", Reason(code="tier_halved", wording=halve.wording), "applied")
        if best is None:
            res = Amount(None, top, reached=False)
            if nxt is not None and fact.type in NUMERIC:
                ctx.gaps.append(self._gap(fact, value, nxt, next_tier=False))
            r = Reason(code="tier_none", fact=self.metric, actual=value)
            ctx.step("tier", r, "fail", self.metric)
            ctx.failed.append(r)
        else:
            t, threshold = best
            amount = t.amount.value
            ctx.step(
                "tier",
                Reason(
                    code="tier_reached",
                    fact=self.metric,
                    op=t.op,
                    threshold=threshold,
                    actual=value,
                    wording=t.wording,
                    data={"amount": amount},
                ),
                "pass",
                self.metric,
            )
            res = Amount(amount, top)
            for req in t.requirements:
                if req.compare is not None:
                    req.compare.check(ctx)  # records the trace, and the fact to ask when unknown
                elif req.kind == "fact":
                    ctx.to_confirm.append(req.wording)
                else:
                    ctx.requirements.append(req.shown())
            if tier_tests.get(id(t)) == "unknown":
                res.conditional = True
            for other in self.tiers:
                if id(other) in blocked and other.amount.value > amount:
                    ctx.step(
                        "tier",
                        Reason(
                            code="tier_blocked",
                            data={"amount": other.amount, "requirements": [r.wording for r in other.requirements]},
                        ),
                        "fail",
                    )
            if nxt is not None and fact.type in NUMERIC:
                ctx.gaps.append(self._gap(fact, value, nxt, next_tier=True))
        if not halve_known and halve:
            _, hbest, _ = results[1]
            h_amount = hbest[0].amount.value if hbest else None
            if h_amount != res.amount:
                ctx.need(halve.fact)
                if h_amount is not None:
                    ctx.notes.append(
                        Reason(code="halve_if", fact=halve.fact, wording=halve.wording, data={"amount": h_amount})
                    )
                if res.amount is None and h_amount is not None:
                    res = Amount(h_amount, top, reached=True, conditional=True)
                    ctx.step(
                        "tier",
                        Reason(code="tier_halve_possible", wording=halve.wording, data={"amount": h_amount}),
                        "unknown",
                    )
                    ctx.failed.clear()
                    ctx.gaps.clear()
                res.conditional = True
        if self.pays_difference_from and res.amount is not None:
            prev = ctx.facts.get(self.pays_difference_from)
            if prev is None:
                ctx.notes.append(Reason(code="difference_if", wording=self.wording))
            else:
                pbest, _ = self.pick(fact, prev, False)
                paid = pbest[0].amount.value if pbest else Decimal(0)
                diff = res.amount - paid
                ctx.step(
                    "formula",
                    Reason(
                        code="difference",
                        fact=self.pays_difference_from,
                        actual=prev,
                        data={"amount": res.amount, "paid": paid, "diff": diff},
                    ),
                    "applied",
                    self.pays_difference_from,
                )
                if diff <= 0:
                    ctx.failed.append(Reason(code="difference_none", fact=self.pays_difference_from, actual=prev))
                    return Amount(None, top, reached=False)
                res.amount = diff
        return res


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

    def own_figures(self) -> Iterator[tuple[Figure, str]]:
        yield self.unit, "unit"
        yield self.rate, "rate"

    def facts_used(self) -> set[str]:
        return super().facts_used() | {self.metric}

    def compute(self, ctx: Ctx) -> Amount:
        value = ctx.value(self.metric)
        mx = self.max_amount()
        if value is None:
            return Amount(None, mx)
        units = floor(Decimal(value) / self.unit.value)
        raw = units * self.rate.value
        ctx.step(
            "formula",
            Reason(
                code="per_unit",
                fact=self.metric,
                actual=value,
                data={"unit": self.unit, "units": units, "rate": self.rate, "raw": raw},
            ),
            "applied",
            self.metric,
        )
        return Amount(money(ctx.apply_cap(raw, self.cap, "per_applicant")), mx)


class CountLimit(Strict):
    """How many items (events, anchors) a percent award counts: ``fact`` gives the number, ``max`` the text's limit."""

    fact: NumericFact
    max: Quantity | None = None


class PercentOf(_AwardBase):
    """「按核定费用给予不高于30%的补助，单场活动上限6万元，每年最多补助5场」.

    per item: min(base × rate, cap); × min(count, max) when ``count`` is given; then ``total_cap``.
    """

    form: Literal["percent"]
    # One fact, or the facts whose sum is the base (「展位费、特装搭建费实际支出费用」): each part is asked for;
    # ``base_total`` names the parts together, and stands for the base when it is known.
    base: NumericFact | list[NumericFact]
    base_total: NumericFact | None = None
    rate: Percent
    cap: Money | None = None
    count: CountLimit | None = None
    total_cap: Money | None = None

    @model_validator(mode="after")
    def _parts(self) -> PercentOf:
        if isinstance(self.base, list):
            if len(self.base) < 2 or len(set(self.base)) != len(self.base):
                raise ValueError("a list base names at least two different facts (the parts of the base)")
            types = {FACTS[b].type for b in self.base_facts}
            if len(types) != 1:
                raise ValueError(f"the parts of a list base must have one type, got {sorted(types)}")
            if self.base_total is not None and FACTS[self.base_total].type not in types:
                raise ValueError(f"base_total {self.base_total} must have the parts' type {types.pop()}")
        elif self.base_total is not None:
            raise ValueError("base_total goes with a list base (the parts it adds up)")
        return self

    @property
    def base_facts(self) -> list[str]:
        """The facts the base is made of (one for a plain base)."""
        return list(self.base) if isinstance(self.base, list) else [self.base]

    def _base_value(self, ctx: Ctx) -> tuple[Any, str | None]:
        """(base value or None, the fact that names it or None for a sum of parts). A sum is never partial:
        an unknown part is asked for, and so is the whole (``base_total``) when no part is known."""
        if not isinstance(self.base, list):
            return ctx.value(self.base), self.base
        if self.base_total is not None and ctx.get(self.base_total)[1] is not None:
            return ctx.value(self.base_total), self.base_total
        known = {b: ctx.get(b)[0] for b in self.base if ctx.get(b)[1] is not None}
        if not known:
            ctx.value(self.base_total or self.base[0])
            for b in [] if self.base_total else self.base[1:]:
                ctx.need(b)
            return None, None
        for b in self.base:
            if b not in known:
                ctx.need(b, context=Reason(code="base_part", fact=b, data={"parts": list(self.base)}))
            else:
                ctx.value(b)  # records a stand-in
        if len(known) < len(self.base):
            ctx.step(
                "formula",
                Reason(
                    code="base_parts_unknown", data={"parts": list(self.base), "known": {b: known[b] for b in known}}
                ),
                "unknown",
            )
            return None, None
        total = sum((Decimal(v) for v in known.values()), Decimal(0))
        ctx.step(
            "formula",
            Reason(code="base_sum", data={"parts": [(b, known[b]) for b in self.base], "total": total}),
            "applied",
        )
        return total, None

    def max_amount(self) -> Decimal | None:
        """The most a percent award can pay: per-item cap × count limit, then the total cap."""
        mx: Decimal | None = None
        if self.cap is not None and (self.count is None or self.count.max is not None):
            mx = self.cap.value * (self.count.max.value if self.count is not None and self.count.max else 1)
        if self.total_cap is not None:
            mx = self.total_cap.value if mx is None else min(mx, self.total_cap.value)
        return mx

    def own_figures(self) -> Iterator[tuple[Figure, str]]:
        yield self.rate, "rate"
        if self.count is not None and self.count.max is not None:
            yield self.count.max, "count.max"
        if self.total_cap is not None:
            yield self.total_cap, "total_cap"

    def facts_used(self) -> set[str]:
        out = super().facts_used() | set(self.base_facts) | ({self.count.fact} if self.count else set())
        return out | ({self.base_total} if self.base_total else set())

    def compute(self, ctx: Ctx) -> Amount:
        rate = self.rate.value / 100
        mx = self.max_amount()
        base, base_fact = self._base_value(ctx)
        n = None
        if self.count is not None:
            n = ctx.value(self.count.fact, context=Reason(code="count_default_one", fact=self.count.fact))
        if base is None:
            return Amount(None, mx)
        per_item = Decimal(base) * rate
        ctx.step(
            "formula",
            Reason(
                code="percent" if base_fact else "percent_sum",
                fact=base_fact,
                actual=base,
                data={"rate": self.rate, "per_item": money(per_item)},
            ),
            "applied",
            base_fact,
        )
        per_item = ctx.apply_cap(per_item, self.cap, "per_item" if self.count else "")
        amount = per_item
        if self.count is not None and n is None:
            # The stated base is one item (单场核定费用, 一名主播的引才费用): its award is certain; how many
            # items the year holds is asked, so the figure stays conditional.
            ctx.step(
                "formula",
                Reason(code="percent_one_item", fact=self.count.fact, data={"per_item": money(per_item)}),
                "unknown",
                self.count.fact,
            )
            return Amount(money(ctx.apply_cap(per_item, self.total_cap, "per_year")), mx, conditional=True)
        if self.count is not None:
            assert n is not None  # a count whose value is unknown returned above
            count = Decimal(n)
            if self.count.max is not None and count > self.count.max.value:
                ctx.step(
                    "cap",
                    Reason(code="count_limit", fact=self.count.fact, threshold=self.count.max, actual=n),
                    "applied",
                )
                count = self.count.max.value
            count = floor(count)
            amount = per_item * count
            ctx.step(
                "formula",
                Reason(code="multiply", data={"per_item": money(per_item), "count": count, "amount": money(amount)}),
                "applied",
            )
        return Amount(money(ctx.apply_cap(amount, self.total_cap, "per_year")), mx)


class RateTier(Threshold):
    """One tier: threshold reached → a rate."""

    rate: Money


class RateTiers(Strict):
    metric: str
    tiers: list[RateTier] = Field(min_length=1)

    @model_validator(mode="after")
    def _parse(self) -> RateTiers:
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
    def _one_rate(self) -> AreaRate:
        _numeric_fact(self.area, "area")
        _numeric_fact(self.months_fact, "months_fact")
        if (self.rate is None) == (self.rate_tiers is None):
            raise ValueError("area_rate needs exactly one of rate / rate_tiers")
        return self

    def own_figures(self) -> Iterator[tuple[Figure, str]]:
        if self.rate is not None:
            yield self.rate, "rate"
        if self.rate_tiers is not None:
            for i, t in enumerate(self.rate_tiers.tiers):
                yield t.rate, f"rate_tiers[{i}].rate"
                if t.figure is not None and not t.implied:
                    yield t.figure, f"rate_tiers[{i}].value"

    def quoted_words(self) -> Iterator[tuple[str, str]]:
        yield from super().quoted_words()
        if self.rate_tiers:
            yield from ((t.wording, "award rate tier wording") for t in self.rate_tiers.tiers if t.wording)

    def facts_used(self) -> set[str]:
        out = super().facts_used() | {self.area, self.months_fact}
        return out | ({self.rate_tiers.metric} if self.rate_tiers else set())

    def _tier_rate(self, ctx: Ctx) -> tuple[Decimal | None, bool]:
        """(rate of the highest tier reached or None, whether the metric is known and reaches no tier)."""
        rt = self.rate_tiers
        assert rt is not None
        f = FACTS[rt.metric]
        v = ctx.value(rt.metric)
        if v is None:
            return None, False
        best = None
        for t in rt.tiers:
            if compare(f, t.op, v, t.parsed) and (best is None or t.rate.value > best.rate.value):
                best = t
        if best is None:
            low = min(rt.tiers, key=lambda t: t.parsed)
            r = Reason(
                code="rate_tier_none", fact=rt.metric, op=low.op, threshold=low.parsed, actual=v, wording=low.wording
            )
            ctx.failed.append(r)
            ctx.step("tier", r, "fail", rt.metric)
            ctx.gaps.append(r)
            return None, True
        ctx.step(
            "tier",
            Reason(
                code="rate_tier_reached",
                fact=rt.metric,
                op=best.op,
                threshold=best.parsed,
                actual=v,
                wording=best.wording,
                data={"rate": best.rate.value},
            ),
            "pass",
            rt.metric,
        )
        return best.rate.value, False

    def compute(self, ctx: Ctx) -> Amount:
        mx = self.max_amount()
        rate = self.rate.value if self.rate else None
        if self.rate_tiers is not None:
            rate, below = self._tier_rate(ctx)
            if below:
                return Amount(None, mx, reached=False)
        area = ctx.value(self.area)
        if rate is None or area is None:
            return Amount(None, mx)
        months = ctx.facts.get(self.months_fact)
        if months is None:
            months = Decimal(12)
            ctx.notes.append(Reason(code="months_default", fact=self.months_fact))
        months = min(Decimal(months), Decimal(12))
        raw = Decimal(area) * rate * months
        ctx.step(
            "formula",
            Reason(
                code="area_rate", fact=self.area, actual=area, data={"rate": rate, "months": months, "raw": money(raw)}
            ),
            "applied",
            self.area,
        )
        return Amount(money(ctx.apply_cap(raw, self.cap, "per_year")), mx)


class CountSubset(Strict):
    """「其中吸纳脱贫人口就业的，按每人3000元」: ``count`` of the award's items (a part of them) is paid ``amount``
    each instead of the award's own amount."""

    count: NumericFact
    amount: Money
    wording: str | None = None


class CountAmount(_AwardBase):
    """「每入驻（自建）一个平台给予一次性奖励2万元，单个企业每年累计不超过10万元」: count × amount, then cap.

    ``subset`` — 「每人2000元，其中脱贫人口每人3000元」: (count − subset) × amount + subset × subset.amount, one cap.
    An unstated subset is taken as none (the lower figure) and said in a note; a subset larger than the count is
    asked again (it cannot be a part of it).
    """

    form: Literal["count"]
    count: NumericFact
    amount: Money
    cap: Money | None = None
    subset: CountSubset | None = None

    @model_validator(mode="after")
    def _subset(self) -> CountAmount:
        if self.subset is not None and self.subset.count == self.count:
            raise ValueError("subset.count must be another fact than the count it is a part of")
        return self

    def own_figures(self) -> Iterator[tuple[Figure, str]]:
        yield self.amount, "amount"
        if self.subset is not None:
            yield self.subset.amount, "subset.amount"

    def quoted_words(self) -> Iterator[tuple[str, str]]:
        yield from super().quoted_words()
        if self.subset is not None and self.subset.wording:
            yield self.subset.wording, "award.subset.wording"

    def facts_used(self) -> set[str]:
        return super().facts_used() | {self.count} | ({self.subset.count} if self.subset else set())

    def compute(self, ctx: Ctx) -> Amount:
        mx = self.max_amount()
        n = ctx.value(self.count)
        if n is None:
            return Amount(None, mx)
        count = floor(Decimal(n))
        raw = count * self.amount.value
        ctx.step(
            "formula",
            Reason(code="count", fact=self.count, actual=n, data={"amount": self.amount, "raw": raw}),
            "applied",
            self.count,
        )
        if count == 0:
            ctx.failed.append(Reason(code="count_zero", fact=self.count, actual=n))
            return Amount(None, mx, reached=False)
        conditional = False
        if self.subset is not None:
            raw, conditional = self._with_subset(ctx, count, raw)
        return Amount(money(ctx.apply_cap(raw, self.cap, "cumulative")), mx, conditional=conditional)

    def _with_subset(self, ctx: Ctx, count: Decimal, raw: Decimal) -> tuple[Decimal, bool]:
        """(the count's amount with the subset at its own rate, whether it is left to confirm)."""
        sub = self.subset
        assert sub is not None
        s, used = ctx.get(sub.count)
        data = {"count_fact": self.count, "amount": self.amount, "subset_amount": sub.amount}
        if used is None:
            # Unstated: the subset is taken as none. A note says what more it would pay (unless the cap is hit).
            if self.cap is None or raw < self.cap.value:
                ctx.notes.append(Reason(code="subset_unstated", fact=sub.count, wording=sub.wording, data=data))
            return raw, False
        s = floor(Decimal(s))
        if s > count:
            r = Reason(code="subset_exceeds", fact=sub.count, actual=s, threshold=count, data=data)
            ctx.need(sub.count, context=r)
            ctx.step("formula", r, "unknown", sub.count)
            return raw, True
        ctx.value(sub.count)  # records a stand-in
        total = (count - s) * self.amount.value + s * sub.amount.value
        ctx.step(
            "formula",
            Reason(code="count_subset", fact=sub.count, actual=s, threshold=count, data={**data, "raw": total}),
            "applied",
            sub.count,
        )
        return total, False


class CountTerm(Strict):
    """One term of a ``count_terms`` award: ``count`` × ``amount`` (「冷库（冷链仓储）每平方米80元」)."""

    count: NumericFact
    amount: Money
    wording: str | None = None


class TermsMinimum(Strict):
    """「仓储面积达到500平方米（含）以上」: the terms' counts together must reach ``value``."""

    op: Literal[">=", ">"] = ">="
    value: Quantity
    wording: str | None = None


class CountTerms(_AwardBase):
    """「按实际仓储面积给予补助，其中普通仓储每平方米30元，冷库每平方米80元，单个企业最高不超过30万元」:
    Σ count × amount over the terms, then ONE cap — one award, so 就高不重复 never drops a term.

    The terms are the kinds the applicant has: a term whose count is not stated, when another is, is taken as
    none and said in a note; none stated → every count is asked. ``minimum``: the counts together must reach it.
    """

    form: Literal["count_terms"]
    terms: list[CountTerm] = Field(min_length=2)
    minimum: TermsMinimum | None = None
    cap: Money | None = None

    @model_validator(mode="after")
    def _terms(self) -> CountTerms:
        names = [t.count for t in self.terms]
        if len(set(names)) != len(names):
            raise ValueError("each term counts another fact")
        units = {(FACTS[n].type, FACTS[n].unit) for n in names}
        if self.minimum is not None:
            if len(units) != 1:
                raise ValueError("a minimum over the terms needs counts of one type and unit")
            parse_fact_value(FACTS[names[0]], self.minimum.op, self.minimum.value.text or str(self.minimum.value))
        return self

    def own_figures(self) -> Iterator[tuple[Figure, str]]:
        for i, t in enumerate(self.terms):
            yield t.amount, f"terms[{i}].amount"
        if self.minimum is not None:
            yield self.minimum.value, "minimum.value"

    def quoted_words(self) -> Iterator[tuple[str, str]]:
        yield from super().quoted_words()
        yield from ((t.wording, "award term wording") for t in self.terms if t.wording)
        if self.minimum is not None and self.minimum.wording:
            yield self.minimum.wording, "award.minimum.wording"

    def facts_used(self) -> set[str]:
        return super().facts_used() | {t.count for t in self.terms}

    def compute(self, ctx: Ctx) -> Amount:
        mx = self.max_amount()
        known = {t.count: ctx.get(t.count)[0] for t in self.terms if ctx.get(t.count)[1] is not None}
        if not known:
            for t in self.terms:
                ctx.need(t.count)
            return Amount(None, mx)
        unstated = [t.count for t in self.terms if t.count not in known]
        if unstated:
            ctx.notes.append(Reason(code="terms_unstated", data={"facts": unstated}))
        quantity = Decimal(0)
        raw = Decimal(0)
        for t in self.terms:
            if t.count not in known:
                continue
            ctx.value(t.count)  # records a stand-in
            n = Decimal(known[t.count])
            part = floor(n) * t.amount.value
            quantity += n
            raw += part
            ctx.step(
                "formula",
                Reason(code="count", fact=t.count, actual=n, data={"amount": t.amount, "raw": part}),
                "applied",
                t.count,
            )
        first = FACTS[self.terms[0].count]
        if self.minimum is not None:
            threshold = self.minimum.value.value
            r = Reason(
                code="terms_minimum",
                op=self.minimum.op,
                threshold=threshold,
                actual=quantity,
                wording=self.minimum.wording,
                data={"facts": list(known), "unit": first.unit or ""},
            )
            if not compare(first, self.minimum.op, quantity, threshold):
                ctx.step("condition", r, "fail")
                ctx.failed.append(r)
                ctx.gaps.append(
                    Reason(
                        code="terms_minimum",
                        op=self.minimum.op,
                        threshold=threshold,
                        actual=quantity,
                        gap=threshold - quantity,
                        wording=self.minimum.wording,
                        data=r.data,
                    )
                )
                return Amount(None, mx, reached=False)
            ctx.step("condition", r, "pass")
        if len(known) > 1:
            ctx.step("formula", Reason(code="terms_total", data={"raw": raw}), "applied")
        if raw == 0:
            ctx.failed.append(Reason(code="terms_zero", data={"facts": list(known)}))
            return Amount(None, mx, reached=False)
        return Amount(money(ctx.apply_cap(raw, self.cap, "per_applicant")), mx)


def _whole_steps(
    ctx: Ctx, metric: str, value: Any, step: Figure, amount: Figure, **extra: Any
) -> tuple[Decimal, Decimal, dict[str, Any]] | None:
    """floor(value / step) whole steps × amount, recorded as the formula; None (recorded as failed, with the gap to
    one step) when not one whole step is reached."""
    steps = floor(Decimal(value) / step.value)
    raw = steps * amount.value
    data = {"step": step, "steps": steps, "amount": amount, "raw": raw, **extra}
    ctx.step("formula", Reason(code="per_step", fact=metric, actual=value, data=data), "applied", metric)
    if steps == 0:
        r = Reason(
            code="step_none",
            fact=metric,
            op=">=",
            threshold=step.value,
            actual=value,
            gap=step.value - Decimal(value),
            data=data,
        )
        ctx.failed.append(r)
        ctx.gaps.append(r)
        return None
    return steps, raw, data


class PerStep(_AwardBase):
    """「每增长1亿元，给予……奖励10万元，每年最高不超过30万元」: floor(metric / step) × amount, then cap."""

    form: Literal["per_step"]
    metric: NumericFact
    step: Quantity
    amount: Money
    cap: Money | None = None

    def own_figures(self) -> Iterator[tuple[Figure, str]]:
        yield self.step, "step"
        yield self.amount, "amount"

    def facts_used(self) -> set[str]:
        return super().facts_used() | {self.metric}

    def compute(self, ctx: Ctx) -> Amount:
        mx = self.max_amount()
        v = ctx.value(self.metric)
        if v is None:
            return Amount(None, mx)
        stepped = _whole_steps(ctx, self.metric, v, self.step, self.amount)
        if stepped is None:
            return Amount(None, mx, reached=False)
        steps, raw, data = stepped
        amount = ctx.apply_cap(raw, self.cap, "per_year")
        if self.cap is None or raw < self.cap.value:
            ctx.gaps.append(
                Reason(
                    code="step_more",
                    fact=self.metric,
                    actual=v,
                    gap=(steps + 1) * self.step.value - Decimal(v),
                    data=data,
                )
            )
        return Amount(money(amount), mx)


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
    def _facts(self) -> Increments:
        if _check_fact_name(self.first_year_fact).type != "bool":
            raise ValueError("first_year_fact must be a bool fact")
        _numeric_fact(self.metric, "metric")
        _numeric_fact(self.received_fact, "received_fact")
        return self

    def max_amount(self) -> Decimal | None:
        return self.cumulative_cap.value

    def own_figures(self) -> Iterator[tuple[Figure, str]]:
        yield self.first_amount, "first_amount"
        yield self.step, "step"
        yield self.step_amount, "step_amount"
        yield self.cumulative_cap, "cumulative_cap"

    def facts_used(self) -> set[str]:
        return super().facts_used() | {self.first_year_fact, self.metric, self.received_fact}

    def compute(self, ctx: Ctx) -> Amount:
        cap = self.cumulative_cap.value
        first = ctx.value(self.first_year_fact)
        if first is None:
            return Amount(None, cap)
        if first:
            raw = self.first_amount.value
            received = Decimal(0)
            ctx.step("formula", Reason(code="first_year", data={"amount": self.first_amount}), "applied")
        else:
            growth = ctx.value(self.metric)
            # Unknown: asked, and only the room under the cumulative cap is unconfirmed.
            received = ctx.value(
                self.received_fact,
                context=Reason(code="cumulative_received", fact=self.received_fact, data={"cap": self.cumulative_cap}),
            )
            if growth is None:
                return Amount(None, cap)
            stepped = _whole_steps(ctx, self.metric, growth, self.step, self.step_amount, increment=True)
            if stepped is None:
                return Amount(None, cap, reached=False)
            raw = stepped[1]
        if received is None:
            # The stated growth fixes the increment; only the cumulative cap is left to confirm.
            ctx.step(
                "cap",
                Reason(code="cumulative_unknown", fact=self.received_fact, data={"cap": self.cumulative_cap}),
                "unknown",
                self.received_fact,
            )
            return Amount(money(min(raw, cap)), cap, conditional=True)
        room = max(cap - Decimal(received), Decimal(0))
        if raw > room:
            ctx.step(
                "cap",
                Reason(
                    code="cumulative_cap",
                    fact=self.received_fact,
                    actual=Decimal(received),
                    data={"cap": self.cumulative_cap, "raw": raw, "room": room},
                ),
                "applied",
            )
            raw = room
        if raw == 0:
            ctx.failed.append(Reason(code="cumulative_full", data={"cap": self.cumulative_cap}))
            return Amount(None, cap, reached=False)
        return Amount(money(raw), cap)


class Discretionary(_AwardBase):
    """「一事一议」「适当补助」「按一定比例」: no amount; ``max`` when the text gives a ceiling (「最高不超过20万元」)."""

    form: Literal["discretionary"]
    max: Money | None = None
    wording: str  # required: the words that leave the amount open
    discretionary: ClassVar[bool] = True

    def max_amount(self) -> Decimal | None:
        return self.max.value if self.max else None

    def own_figures(self) -> Iterator[tuple[Figure, str]]:
        if self.max is not None:
            yield self.max, "max"

    def compute(self, ctx: Ctx) -> Amount:
        ctx.step("formula", Reason(code="discretionary", wording=self.wording, data={"max": self.max}), "info")
        return Amount(None, self.max_amount())


ItemAward = Annotated[Fixed | Ceiling | Tiers | PerUnit | PercentOf | PerStep, Field(discriminator="form")]


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

    def figures(self, at: str = "award") -> Iterator[tuple[Figure, str]]:
        yield from self.each.figures(f"{at}.each")
        if self.cap is not None:
            yield self.cap, f"{at}.cap"

    def quoted_words(self) -> Iterator[tuple[str, str]]:
        yield from super().quoted_words()
        for w, loc in self.each.quoted_words():
            yield w, loc.replace("award", "award.each", 1)

    def facts_used(self) -> set[str]:
        return super().facts_used() | {self.count} | self.each.facts_used()

    def requirements_of_tiers(self) -> list[Requirement]:
        return self.each.requirements_of_tiers()

    def compute(self, ctx: Ctx) -> Amount:
        """Each item's award (over the item's facts on top of the applicant's), summed, then the cap."""
        cap = self.max_amount()
        items = ctx.facts.get(ITEMS)
        if not items:
            each = self.each.fixed_amount()
            n = ctx.value(self.count)
            if n is None:
                return Amount(None, cap)
            if each is not None:  # a fixed amount per item: the count is enough
                raw = floor(Decimal(n)) * each.value
                ctx.step(
                    "formula",
                    Reason(
                        code="items_count",
                        fact=self.count,
                        actual=n,
                        data={"item": self.item, "each": each, "raw": raw},
                    ),
                    "applied",
                    self.count,
                )
                return Amount(money(ctx.apply_cap(raw, self.cap, "per_applicant")), cap)
            # each item's figure depends on its own facts: the applicant must list the items
            ctx.step("formula", Reason(code="items_needed", data={"item": self.item}), "unknown")
            ctx.notes.append(Reason(code="items_list", data={"item": self.item, "cap": self.cap}))
            return Amount(None, cap, conditional=True)
        total = Decimal(0)
        conditional = False
        reached = 0
        for i, item in enumerate(items, 1):
            sub = Ctx(facts={**{k: v for k, v in ctx.facts.items() if k != ITEMS}, **item})
            part = self.each.compute(sub)
            for step in sub.trace:
                ctx.trace.append(step.model_copy(update={"item": self.item, "item_no": i}))
            if sub.missing:
                conditional = True
                for m in sub.missing.values():
                    ctx.missing.setdefault(m.fact, m.model_copy(update={"per_item": self.item}))
            if part.amount is not None and part.reached:
                total += part.amount
                reached += 1
            conditional = conditional or part.conditional
        ctx.step(
            "formula",
            Reason(
                code="items_total", data={"items": len(items), "item": self.item, "reached": reached, "total": total}
            ),
            "applied",
        )
        if reached == 0 and not conditional:
            ctx.failed.append(Reason(code="items_none", data={"item": self.item}))
            return Amount(None, cap, reached=False)
        return Amount(money(ctx.apply_cap(total, self.cap, "per_applicant")), cap, conditional=conditional)


Award = Annotated[
    Fixed
    | Ceiling
    | Tiers
    | PerUnit
    | PercentOf
    | AreaRate
    | CountAmount
    | CountTerms
    | PerStep
    | Increments
    | Discretionary
    | SumOverItems,
    Field(discriminator="form"),
]
AWARD_FORMS = (
    "fixed",
    "ceiling",
    "tiers",
    "per_unit",
    "percent",
    "area_rate",
    "count",
    "count_terms",
    "per_step",
    "increments",
    "discretionary",
    "sum_over_items",
)


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
    def _dates(self) -> Rule:
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError("valid_from is after valid_to")
        if self.policy_id is None:
            self.policy_id = self.id.split("/", 1)[0]
        return self

    def compares(self) -> list[Compare]:
        """Every Compare in the conditions (nested groups included) and the tested requirements."""
        out: list[Compare] = [x for c in self.conditions for x in c.compares()]
        out += [req.compare for req in self.all_requirements() if req.compare is not None]
        return out

    def all_requirements(self) -> list[Requirement]:
        """The rule's requirements and those of its tiers (nested item awards included)."""
        return list(self.requirements) + self.award.requirements_of_tiers()

    def facts_used(self) -> set[str]:
        return {c.fact for c in self.compares()} | {"entity_kind"} | self.award.facts_used()


# --- policy-level sections ------------------------------------------------------------------------

RuleSet = Literal["all"] | list[str]


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
    def _sum(self) -> PaymentSchedule:
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
    def _pool_amount(self) -> Fund:
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
    def _reason(self) -> CoverageEntry:
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
    def _consistent(self) -> PolicyRules:
        ids = [r.id for r in self.rules]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate rule ids: {dup}")
        for r in self.rules:
            if r.policy_id != self.policy_id or not r.id.startswith(self.policy_id + "/"):
                raise ValueError(f"rule {r.id}: policy_id/id prefix must be the file's policy_id {self.policy_id!r}")
        known = set(ids)
        sections: list[Fund | ContributionCap | PolicyNote | PaymentSchedule] = [
            *self.funds,
            *self.contribution_caps,
            *self.notes,
            *([self.payment] if self.payment else []),
        ]
        for sec in sections:
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
    "AWARD_FORMS",
    "AllOf",
    "AnyOf",
    "AreaRate",
    "Award",
    "Ceiling",
    "Compare",
    "Condition",
    "ContributionCap",
    "CountAmount",
    "CountLimit",
    "CountSubset",
    "CountTerm",
    "CountTerms",
    "CoverageEntry",
    "Discretionary",
    "Fixed",
    "Fund",
    "Halve",
    "Increments",
    "Instalment",
    "Money",
    "PaymentSchedule",
    "PerStep",
    "PerUnit",
    "PerYear",
    "Percent",
    "PercentOf",
    "PolicyNote",
    "PolicyRules",
    "Quantity",
    "RateTier",
    "RateTiers",
    "Requirement",
    "Rule",
    "Stacking",
    "SumOverItems",
    "TermsMinimum",
    "Tier",
    "Tiers",
    "get_fact",
    "level_rank",
    "parse_fact_value",
]
