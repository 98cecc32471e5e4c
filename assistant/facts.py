"""The fact vocabulary: every profile fact a rule may test, typed, loaded from the lexicon.

A *fact* describes the applicant (the enterprise, park, village, anchor … that
would receive the award): its kind, its sales, its floor area, whether it is
纳统, and so on. The facts are data: assistant/nlu/data/lexicon.yaml defines the
shared ones, and a rule file may declare its own (``facts:`` in rules/<id>.yaml,
see ``declare_facts``). Rules may only name facts defined in one of those places.

Types: money_yuan, money_usd (amounts in 元 / 美元), count (with a unit:
家/个/人/间/件/户/场/平方米/月/年/位), percent (11 means 11%), bool, date, year,
level (national > provincial > city), enum (closed list of values) and kind
(the entity kind, matched through a hierarchy).

``fallbacks``: other facts that may stand in for this one as an ASSUMPTION
(physical_online_retail_sales ← online_retail_sales). The engine then reports
the award as at best ``conditional`` and names the assumption to confirm.

``situation``: the fact is a distinct event in the applicant's history (店铺回迁, 区外示范企业入驻 …);
unknown, it is asked only when the question is about that event.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .lexicon import FactType, LexFact, load_lexicon

NUMERIC_TYPES = ("money_yuan", "money_usd", "count", "percent", "year")

_LEX = load_lexicon()
# Honour / demonstration levels, highest first. 「省级及以上」 is ``>= provincial``.
LEVELS: dict[str, str] = {lv.name: lv.label for lv in sorted(_LEX.levels, key=lambda lv: -lv.rank)}
LEVEL_RANK: dict[str, int] = {lv.name: lv.rank for lv in _LEX.levels}
LEVEL_ALIASES: dict[str, str] = {w: lv.name for lv in _LEX.levels for w in lv.words}


class FactDef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    type: FactType
    label: str  # short Chinese label: 网络零售额
    meaning: str  # what exactly is meant, and how the policies word it
    unit: str | None = None  # canonical unit for counts (家/人/平方米/月…); 元/美元/% for money/percent
    units: tuple[
        str, ...
    ] = ()  # further units a rule may write for this fact (个 for 家); 年 for a 月 fact converts ×12
    aliases: tuple[str, ...] = ()  # Chinese wordings that mean this fact
    values: dict[str, str] = Field(default_factory=dict)  # enum value → Chinese label
    fallbacks: tuple[str, ...] = ()  # facts that may stand in as an assumption, best first
    question: str = ""  # how to ask the user; derived from the label when empty
    # A distinct situation (店铺迁回, 区外企业入驻, 剥离新成立 …) the user would name if it applied: an
    # answer does not offer a rule that requires it on a guess (see dialogue.selection).
    situation: bool = False
    source: str = "lexicon"  # where it is defined: the lexicon, or the rule file that declared it

    def ask(self) -> str:
        if self.question:
            return self.question
        if self.type == "bool":
            return f"是否{self.label}？"
        if self.type in ("money_yuan",):
            return f"{self.label}是多少（元）？"
        if self.type == "money_usd":
            return f"{self.label}是多少（美元）？"
        if self.type == "count" and self.unit:
            return f"{self.label}是多少（{self.unit}）？"
        if self.type == "percent":
            return f"{self.label}是多少（%）？"
        if self.type == "level":
            return f"{self.label}是什么级别（{'/'.join(word for n, word in LEVELS.items() if LEVEL_RANK[n] > 1)}）？"
        if self.type == "enum":
            return f"{self.label}是哪一种（{'/'.join(self.values.values())}）？"
        if self.type == "date":
            return f"{self.label}是哪一天（YYYY-MM-DD）？"
        return f"{self.label}是什么？"

    @property
    def accepted_units(self) -> tuple[str, ...]:
        base = {"money_yuan": ("元",), "money_usd": ("美元",), "percent": ("%",)}.get(self.type, ())
        return base + ((self.unit,) if self.unit else ()) + self.units


class EntityKind(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    label: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()


ENTITY_KINDS: dict[str, EntityKind] = {
    k.name: EntityKind(name=k.name, label=k.label, parent=k.parent, aliases=k.aliases) for k in _LEX.kinds
}


def kind_ancestors(kind: str) -> list[str]:
    """``kind`` and every kind above it, nearest first."""
    out = []
    k: str | None = kind
    while k is not None:
        out.append(k)
        k = ENTITY_KINDS[k].parent
    return out


def kind_relation(profile_kind: str, rule_kind: str) -> Literal["pass", "unknown", "fail"]:
    """pass: the profile is the rule's kind or narrower; unknown: the profile is broader (企业 vs MCN机构 — ask);
    fail: unrelated kinds."""
    if rule_kind in kind_ancestors(profile_kind):
        return "pass"
    if profile_kind in kind_ancestors(rule_kind):
        return "unknown"
    return "fail"


# --- facts ---------------------------------------------------------------------------------------


def _fact_def(lex: LexFact, source: str) -> FactDef:
    return FactDef(
        name=lex.name,
        type=lex.type,
        label=lex.label,
        meaning=lex.meaning or lex.label,
        unit=lex.unit,
        units=lex.units,
        aliases=lex.aliases,
        values=dict(lex.values),
        fallbacks=lex.fallbacks,
        question=lex.question,
        situation=lex.situation,
        source=source,
    )


# Every fact by name. Mutated only by declare_facts (a rule file's own facts), in place, so modules that
# imported the dict see declared facts too.
FACTS: dict[str, FactDef] = {f.name: _fact_def(f, "lexicon") for f in _LEX.facts}
# The lexicon entries behind FACTS (word tables, statements …), declared ones included.
LEX_FACTS: dict[str, LexFact] = {f.name: f for f in _LEX.facts}
# fact → the policies whose rule files declared it: its words are that policy's, not everyone's (vocabulary scope)
DECLARED_BY: dict[str, frozenset[str]] = {}
_declared_version = [0]


def declaring_policies(name: str) -> frozenset[str]:
    """The policies that declared ``name`` (empty for a lexicon fact or one declared without a policy)."""
    return DECLARED_BY.get(name, frozenset())


def facts_version() -> int:
    """Bumped whenever a rule file declares new facts: caches built from FACTS key on it."""
    return _declared_version[0]


def declare_facts(entries: Any, source: str, policy: str | None = None) -> list[str]:
    """Register the facts a rule file declares (``facts:`` in rules/<id>.yaml, same shape as a lexicon
    fact). Re-declaring the same definition is a no-op; a different definition of a known name is an error.
    ``policy``: the declaring policy — the fact's words then name it only where that policy applies.
    Returns the names declared."""
    from pydantic import ValidationError

    if entries in (None, []):
        return []
    if not isinstance(entries, list):
        raise ValueError("facts: 应为列表（每项同词表中的事实：name, type, label, …）")
    parsed: list[LexFact] = []
    for i, raw in enumerate(entries):
        try:
            parsed.append(LexFact.model_validate(raw))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first.get("loc", ()))
            raise ValueError(f"facts[{i}]{'.' + where if where else ''}: {first.get('msg')}") from None
    names = []
    for lex in parsed:
        known = LEX_FACTS.get(lex.name)
        if known is not None:
            if known != lex:
                raise ValueError(f"fact {lex.name!r} is already defined ({FACTS[lex.name].source}) differently")
            if (
                policy and lex.name in DECLARED_BY
            ):  # the same fact declared by a second policy: its words apply there too
                DECLARED_BY[lex.name] = DECLARED_BY[lex.name] | {policy}
                _declared_version[0] += 1
            continue
        bad = [x for x in lex.fallbacks if x not in FACTS and x not in {p.name for p in parsed}]
        if bad:
            raise ValueError(f"fact {lex.name}: unknown fallback {bad}")
        LEX_FACTS[lex.name] = lex
        FACTS[lex.name] = _fact_def(lex, source)
        if policy:
            DECLARED_BY[lex.name] = frozenset({policy})
        names.append(lex.name)
    if names:
        _declared_version[0] += 1
    return names


def _plain_number(value: Any) -> Decimal:
    try:
        d = Decimal(str(value))
    except ArithmeticError:
        raise ValueError(f"qualifier value {value!r} is not a number") from None
    if not d.is_finite():
        raise ValueError(f"qualifier value {value!r} is not a number")
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def _spoken(d: Decimal) -> str:
    """100000 → 10万 (for labels)."""
    if d >= 10000 and d % 10000 == 0:
        return f"{d // 10000}万"
    return f"{d}"


def qualified_fact(base: str, qualifiers: dict[str, Any]) -> str:
    """The canonical key of ``base`` counted at ``qualifiers`` (trained_anchors at min_followers 100000 →
    ``trained_anchors[min_followers=100000]``), registered in FACTS / LEX_FACTS on first use: one fact, its
    threshold a parameter the rule gives, not part of its name."""
    lex = LEX_FACTS.get(base)
    if lex is None:
        raise ValueError(f"unknown fact {base!r}")
    if not isinstance(qualifiers, dict) or not qualifiers:
        raise ValueError(f"fact {base}: qualifiers must be a mapping of {sorted(lex.qualifier_slots)}")
    unknown = sorted(set(qualifiers) - set(lex.qualifier_slots))
    if unknown:
        raise ValueError(f"fact {base}: unknown qualifier {unknown} (slots: {sorted(lex.qualifier_slots)})")
    values = {k: _plain_number(qualifiers[k]) for k in sorted(qualifiers)}
    key = f"{base}[" + ",".join(f"{k}={v}" for k, v in values.items()) + "]"
    if key not in LEX_FACTS:
        said = "，".join(lex.qualifier_slots[k].format(_spoken(v)) for k, v in values.items())
        derived = lex.model_copy(
            update={
                "name": key,
                "label": f"{lex.label}（{said}）",
                "meaning": f"{lex.meaning or lex.label}：{said}",
                "qualifiers": {k: int(v) if v == v.to_integral_value() else v for k, v in values.items()},
                "qualifier_slots": {},
                "aliases": (),
                "phrases": (),
                "colloquial": (),
            }
        )
        LEX_FACTS[key] = derived
        FACTS[key] = _fact_def(derived, "rules")
        _declared_version[0] += 1
    return key


def resolve_qualified_facts(raw: Any) -> None:
    """In a rule file's mapping, every ``{fact: X, qualifiers: {...}}`` becomes ``{fact: X[slot=value]}`` (the
    canonical key, registered). Raises ValueError naming the first bad one."""
    if isinstance(raw, dict):
        if "fact" in raw and "qualifiers" in raw and isinstance(raw.get("fact"), str):
            raw["fact"] = qualified_fact(raw["fact"], raw.pop("qualifiers"))
        for v in raw.values():
            resolve_qualified_facts(v)
    elif isinstance(raw, list):
        for v in raw:
            resolve_qualified_facts(v)


@contextmanager
def facts_scope() -> Iterator[None]:
    """Facts declared inside the block are forgotten after it (drafting, evaluation, tests)."""
    facts, lex, declared = dict(FACTS), dict(LEX_FACTS), dict(DECLARED_BY)
    try:
        yield
    finally:
        FACTS.clear()
        FACTS.update(facts)
        LEX_FACTS.clear()
        LEX_FACTS.update(lex)
        DECLARED_BY.clear()
        DECLARED_BY.update(declared)
        _declared_version[0] += 1  # caches keyed on the version drop what the block declared


class FactsError(ValueError):
    """A facts dict that cannot be used; ``problems`` lists each one in Chinese/English."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


def close_names(name: str, n: int = 3) -> list[str]:
    return difflib.get_close_matches(name, list(FACTS), n=n, cutoff=0.5)


def get_fact(name: str) -> FactDef:
    try:
        return FACTS[name]
    except KeyError:
        hint = close_names(name)
        raise KeyError(f"unknown fact {name!r}" + (f" (did you mean: {', '.join(hint)}?)" if hint else "")) from None


def parse_level(raw: Any) -> str:
    s = str(raw).strip()
    if s in LEVELS:
        return s
    if s in LEVEL_ALIASES:
        return LEVEL_ALIASES[s]
    raise ValueError(f"不是有效的级别：{raw!r}（可用 national/provincial/city/county 或 国家级/省级/市级/县级）")


def parse_kind(raw: Any) -> str:
    s = str(raw).strip()
    if s in ENTITY_KINDS:
        return s
    for k in ENTITY_KINDS.values():
        if s == k.label or s in k.aliases:
            return k.name
    raise ValueError(f"不是已知的主体类型：{raw!r}")


def coerce_fact(fact: FactDef, raw: Any) -> Any:
    """One raw value (JSON/YAML/CLI) → the engine's value: Decimal for numbers (in 元/美元/% or the count unit),
    bool, date, int year, level or enum/kind name. Raises ValueError with a readable message."""
    from .numerals import FigureError, parse_figure

    t = fact.type
    if t == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in ("true", "yes", "是", "有", "1"):
            return True
        if isinstance(raw, str) and raw.strip().lower() in ("false", "no", "否", "没有", "无", "0"):
            return False
        raise ValueError(f"{fact.name} 应为 true/false，得到 {raw!r}")
    if t in ("money_yuan", "money_usd", "count", "percent"):
        default = {"money_yuan": "元", "money_usd": "美元", "percent": "%"}.get(t, fact.unit or "")
        from .domain import check_figure  # finite, 0 ≤ x ≤ 10^15: the one numeric domain of facts

        if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
            check_figure(fact.name, raw)
        try:
            fig = parse_figure(raw, default)
        except FigureError as exc:
            raise ValueError(f"{fact.name}：{exc}") from None
        if fig.unit not in fact.accepted_units and fig.unit != default:
            raise ValueError(f"{fact.name} 的单位应为 {'/'.join(fact.accepted_units)}，得到 {raw!r}")
        value = fig.value
        if fact.unit == "月" and fig.unit == "年":
            value = value * 12
        return check_figure(fact.name, value)
    if t == "year":
        if isinstance(raw, bool) or not str(raw).strip().removesuffix("年").isdigit() or len(str(raw).strip()) > 5:
            raise ValueError(f"{fact.name} 应为年份，得到 {raw!r}")
        return int(str(raw).strip().removesuffix("年"))
    if t == "date":
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise ValueError(f"{fact.name} 应为日期 YYYY-MM-DD，得到 {raw!r}") from None
    if t == "level":
        return parse_level(raw)
    if t == "enum":
        s = str(raw).strip()
        if s in fact.values:
            return s
        for k, label in fact.values.items():
            if s == label:
                return k
        raise ValueError(f"{fact.name} 应为 {'/'.join(fact.values)} 之一，得到 {raw!r}")
    if t == "kind":
        return parse_kind(raw)
    raise ValueError(f"unsupported fact type {t}")  # pragma: no cover


def validate_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Check and coerce a profile. Unknown names (with close names) and wrong types are all reported at once.
    ``None`` values mean unknown and are dropped."""
    if not isinstance(facts, dict):
        raise FactsError(["facts 应为 JSON 对象（键为事实名）"])
    out: dict[str, Any] = {}
    problems: list[str] = []
    for name, raw in facts.items():
        if name not in FACTS:
            hint = close_names(name)
            problems.append(f"未知的事实名 {name!r}" + (f"（是否指：{', '.join(hint)}）" if hint else ""))
            continue
        if raw is None:
            continue
        try:
            out[name] = coerce_fact(FACTS[name], raw)
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise FactsError(problems)
    return out


def describe_value(fact: FactDef, value: Any) -> str:
    """A fact value as Chinese text: 「1000万元」「11%」「800平方米」「是」「国家级」."""
    from .money import format_figure

    if value is None:
        return "未知"
    t = fact.type
    if t == "bool":
        return "是" if value else "否"
    if t == "money_yuan":
        return format_figure(Decimal(value), "元")
    if t == "money_usd":
        return format_figure(Decimal(value), "美元")
    if t == "percent":
        return format_figure(Decimal(value), "%")
    if t == "count":
        return format_figure(Decimal(value), fact.unit or "")
    if t == "level":
        return LEVELS.get(value, str(value))
    if t == "enum":
        return fact.values.get(value, str(value))
    if t == "kind":
        return ENTITY_KINDS[value].label if value in ENTITY_KINDS else str(value)
    return str(value)
