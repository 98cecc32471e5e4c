"""The lexicon (assistant/nlu/data/lexicon.yaml) as typed data: facts, entity kinds, levels, the words
that name them, yes/no statements, negation cues and topics — each defined once.

assistant.facts builds its public tables (FACTS, ENTITY_KINDS, LEVELS …) from here, and the question
reader (assistant.nlu) reads its word tables from here. A policy's rule file may declare further facts
(``facts:`` in rules/<id>.yaml, same shape as a lexicon fact): see ``assistant.facts.declare_facts``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

LEXICON_PATH = Path(__file__).resolve().parent / "nlu" / "data" / "lexicon.yaml"

FactType = Literal["money_yuan", "money_usd", "count", "percent", "bool", "date", "year", "level", "enum", "kind"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Statement(_Strict):
    """A regex (on normalised text) that states a yes/no fact; ``value`` is what an un-negated match means."""

    pattern: str
    value: bool = True
    context: str | None = None  # regex the question must also match


class LexFact(_Strict):
    """One fact as the lexicon (or a rule file's ``facts:``) writes it."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: FactType
    label: str
    meaning: str = ""
    unit: str | None = None
    units: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # the policies' terms
    not_binding: tuple[str, ...] = ()  # aliases too generic to bind a number alone
    phrases: tuple[str, ...] = ()  # what users type
    colloquial: tuple[str, ...] = ()  # nearest-figure words, bound only as a stated assumption
    context_phrases: dict[str, str] = Field(default_factory=dict)  # word → regex the question must match
    generic_phrases: dict[str, str] = Field(default_factory=dict)  # generic word → regex naming this fact's matter
    values: dict[str, str] = Field(default_factory=dict)
    fallbacks: tuple[str, ...] = ()
    question: str = ""
    situation: bool = False
    statements: tuple[Statement, ...] = ()
    negated_statements: tuple[str, ...] = ()
    zero_statements: tuple[str, ...] = ()
    total: bool = False
    accumulates: bool = False
    per_head: bool = False  # a count the rules pay per head: a part of it described apart (其中…) may be paid otherwise
    sales_family: bool = False
    qualifiers: dict[str, Any] = Field(default_factory=dict)
    # qualifier slot → label template ('{}粉丝以上'): rules count this fact at a value of each (min_followers)
    qualifier_slots: dict[str, str] = Field(default_factory=dict)
    bare_unit: dict[str, str] = Field(default_factory=dict)  # {unit, context}: the counter alone names this fact
    rank_context: str | None = None  # a rank (「排名第二」) binds here when this regex precedes it ('' = default)
    counts: str | None = None  # what a qualified count counts (facts sharing it differ only by qualifiers)
    # a total the policy defines as the sum of named parts (展位费 + 特装搭建费): each part the words that name it.
    # Figures given part by part are added (never one part read as the total).
    parts: tuple[tuple[str, ...], ...] = ()
    # parts the clause leaves out of this figure (「不含土地购置费用」): each the words that name one. A stated total
    # with such a part (「其中土地购置费60万元」) is read as total − part, said as an assumption.
    excludes: tuple[tuple[str, ...], ...] = ()
    verbs: tuple[str, ...] = ()
    # a figure restated for a later period (「第二年销售额做到了1.7亿」 after the first year's): the increase goes
    # to growth_fact, and first_period_fact (首年) becomes false
    growth_fact: str | None = None
    first_period_fact: str | None = None  # verbs stating the counted action (培训, colloquial 培): 「培了25个主播」
    # facts whose stated figure is never below this one's (网络销售额 ≥ 网络零售额 ≥ 实物商品网络零售额; N元 < N美元):
    # such a figure, divided by upper_bound_divisor, proves a threshold above it is missed — and proves nothing else
    upper_bounds: tuple[str, ...] = ()
    upper_bound_divisor: str = "1"  # e.g. a floor no real 元-per-美元 rate falls below: the bound is N元 / floor

    @model_validator(mode="after")
    def _shape(self) -> LexFact:
        if self.type == "enum" and not self.values:
            raise ValueError(f"fact {self.name}: an enum needs values")
        if self.type in ("money_yuan", "money_usd", "percent") and self.unit not in (None, "元", "美元", "%"):
            raise ValueError(f"fact {self.name}: a {self.type} fact has no count unit")
        return self


class LexKind(_Strict):
    name: str
    label: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    not_naming: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    facility: bool = False


class LexLevel(_Strict):
    name: str
    label: str
    rank: int
    words: tuple[str, ...]


class Negation(_Strict):
    before: tuple[str, ...]  # 不是 并非 没有 尚未 …
    bridge: tuple[str, ...] = ()  # words that may stand between the cue and the statement: 是 有 实现 …
    manner: tuple[str, ...] = ()  # adverbs after the bridge: 按时 正常
    comparisons: tuple[str, ...] = ()  # 不低于 不超过: comparisons, not negations
    # wider scope: one of these cues a few characters before the statement still negates it when what stands
    # between is a verb, a prepositional phrase or a determiner (「尚未获得任何平台授牌」「还没有进企业一套表」
    # 「没跟任何MCN或企业签约」); a scope break between them (而是, 但, 的 …) ends the negation
    scoped: tuple[str, ...] = ()
    scope_breaks: tuple[str, ...] = ()
    scope_chars: int = 8
    scope_polarity: tuple[str, ...] = ()  # 任何: after it, the soft breaks do not end the negation
    scope_soft_breaks: tuple[str, ...] = ()
    # the clause that asks about an award (「升规纳统那5万能拿吗」「能拿自建平台那10万吗」) names the award, it
    # states nothing about the applicant: a clause with an ask word and an award word
    ask_words: tuple[str, ...] = ()
    award_words: tuple[str, ...] = ()


class ContextMove(_Strict):
    """A figure renamed by context (「引进…主播」: the sales stated are the recruited anchor's)."""

    trigger: str  # regex on the normalised text
    sources: tuple[str, ...]  # facts that take the new meaning (the first one present moves)
    target: str
    scope: Literal["after", "clause"]  # facts stated after the trigger, or in its clause
    kinds: tuple[str, ...] = ()  # only when the applicant is (under) one of these kinds
    drop: tuple[str, ...] = ()  # facts that, in this reading, describe the other party and are dropped
    unless: str | None = None  # regex on the text: another reading applies instead
    why: str = ""


class RevenueWords(_Strict):
    """Business-revenue words (营收, 营业额) that say nothing about selling online: they name an online sales
    figure only when a statement in the question says online, or the applicant is a kind that sells online."""

    words: tuple[str, ...] = ()
    online_context: str = r"(?!)"  # regex on the statement part of the question
    online_kinds: tuple[str, ...] = ()  # the applicant is (under) one of these


class QuestionTypeWords(_Strict):
    type: Literal["amount", "eligibility", "conditions", "procedure", "validity", "list"]
    pattern: str


class IntentWords(_Strict):
    """Regexes that say what kind of message this is (assistant.nlu.intent)."""

    injection: str = r"(?!)"
    chit_chat: str = r"(?!)"
    domain: str = r"(?!)"
    followup_start: str = r"(?!)"
    followup_end: str = r"(?!)"
    correction: str = r"(?!)"
    yes_reply: str = r"(?!)"
    no_reply: str = r"(?!)"
    reply_start: str = r"(?!)"
    question_types: tuple[QuestionTypeWords, ...] = ()


class Lexicon(_Strict):
    levels: tuple[LexLevel, ...]
    kinds: tuple[LexKind, ...]
    government_words: tuple[str, ...] = ()
    kind_assumptions: dict[str, str] = Field(default_factory=dict)
    facts: tuple[LexFact, ...]
    shared_phrases: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    negation: Negation
    topics: dict[str, str] = Field(default_factory=dict)
    platforms: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    number_words: dict[str, str] = Field(default_factory=dict)
    context_moves: tuple[ContextMove, ...] = ()
    revenue_words: RevenueWords = RevenueWords()
    back_references: tuple[str, ...] = ()  # 他 该主播: a clause opening with one continues the one before
    plan_words: tuple[str, ...] = ()
    later_periods: tuple[str, ...] = ()
    # a rough figure (左右/上下/大概) within this share of a threshold a rule tests does not decide it: asked
    approximate_margin: float = Field(default=0.05, ge=0, lt=1)
    approximate_words: tuple[str, ...] = ()  # the words that make a figure rough (左右, 上下, 大概 …)
    intent: IntentWords = IntentWords()  # regexes: 第二年, 次年 — a period after the one a figure was given for  # 计划 目标 争取 预计: a figure after one in its clause is not achieved
    other_senses: dict[str, str] = Field(
        default_factory=dict
    )  # generic word → regex: in that clause it means something else
    # spoken filler between a topic noun and its figure (「跨境电商那块走了12万美金」「…的货一年有15万美金」):
    # dropped from a claim's head before it is scored, like the verbs of stating
    head_fillers: tuple[str, ...] = ()
    non_metrics: tuple[
        str, ...
    ] = ()  # measures no rule tests: 注册资本, 员工 …  # spoken amount → the figure: 一个小目标 → 1亿

    @model_validator(mode="after")
    def _references(self) -> Lexicon:
        kinds = {k.name for k in self.kinds}
        facts = {f.name for f in self.facts}
        problems = []
        if len(facts) != len(self.facts):
            problems.append("duplicate fact names")
        for k in self.kinds:
            if k.parent is not None and k.parent not in kinds:
                problems.append(f"kind {k.name}: unknown parent {k.parent}")
        for f in self.facts:
            problems += [f"fact {f.name}: unknown fallback {x}" for x in f.fallbacks if x not in facts]
        problems += [
            f"fact {f.name}: unknown upper bound {x}" for f in self.facts for x in f.upper_bounds if x not in facts
        ]
        problems += [
            f"fact {f.name}: unknown fact {x}"
            for f in self.facts
            for x in (f.growth_fact, f.first_period_fact)
            if x is not None and x not in facts
        ]
        for mv in self.context_moves:
            problems += [
                f"context move: unknown fact {x}" for x in (*mv.sources, mv.target, *mv.drop) if x not in facts
            ]
        for word, names in self.shared_phrases.items():
            problems += [f"shared phrase {word}: unknown fact {x}" for x in names if x not in facts]
        if problems:
            raise ValueError("; ".join(problems))
        return self


@lru_cache(maxsize=1)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    from .compiled_cache import compiled  # validated once per edit of the file (or of this module)

    return compiled(
        "lexicon",
        [path, __file__],
        lambda: Lexicon.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8"))),
    )
