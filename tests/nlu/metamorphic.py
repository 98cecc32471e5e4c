"""Metamorphic cases generated from the lexicon: every numeric fact × its surface forms × number formats ×
sentence templates, and every yes/no statement × negation templates. The expected reading follows from the
lexicon alone, so a case that reads differently is a defect of the reader, not of the case.

Outcomes: right (the expected fact with the expected value), missed (nothing bound — the reader asked instead),
misbound (another fact or value; for negations: the fact set to true).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from assistant.facts import FACTS, LEX_FACTS
from assistant.lexicon import load_lexicon
from assistant.nlu import parse
from assistant.nlu.figures import accepts
from assistant.nlu.mentions import scan_numbers
from assistant.nlu.vocabulary import NEGATION, figure_aliases

# (written, value) — the same amount in the formats users type
MONEY_FORMATS = [
    ("3000万", 30_000_000),
    ("三千万", 30_000_000),
    ("3,000万元", 30_000_000),
    ("0.3亿", 30_000_000),
    ("30000000元", 30_000_000),
    ("三千来万", 30_000_000),
]
USD_FORMATS = [("200万美元", 2_000_000), ("两百万美金", 2_000_000), ("2,000,000美元", 2_000_000)]
PERCENT_FORMATS = [("20%", 20), ("百分之二十", 20), ("两成", 20)]
COUNT_FORMATS = [("{n}{u}", 120), ("一百二十{u}", 120)]
TEMPLATES = [
    "{form}{num}",
    "{form}是{num}",
    "去年{form}达到了{num}",
    "我们的{form}大概有{num}",
    "{num}的{form}",
    "我们公司2023年{form}做到了{num}，能拿什么奖励？",
]
NEGATION_TEMPLATES = ["{cue}{word}", "公司{cue}{word}", "目前{cue}{word}，想问问政策"]
_NUMERIC = ("money_yuan", "money_usd", "count", "percent")


@dataclass(frozen=True)
class Case:
    text: str
    fact: str  # expected fact
    value: Decimal | None  # expected value; None for a negation case (the fact must not be true)
    form: str


@dataclass(frozen=True)
class Outcome:
    case: Case
    verdict: str  # right | missed | misbound
    got: dict


def _forms(fact) -> list[str]:
    table = figure_aliases()
    out = []
    for word in dict.fromkeys((fact.label, *fact.aliases, *fact.phrases, *fact.colloquial)):
        alias = table.get(word)
        if alias is None or alias.context is not None or len(word) < 2 or re.search(r"[\d（）()、，]", word):
            continue
        out.append(word)
    return out


def _expected(word: str, probe) -> str | None:
    """The fact the lexicon says ``word`` names for a number like ``probe``: the first that accepts it."""
    alias = figure_aliases()[word]
    return next((f for f in alias.facts if accepts(f, probe)), None)


def _formats(fact) -> list[tuple[str, int]]:
    if fact.type == "money_yuan":
        return MONEY_FORMATS
    if fact.type == "money_usd":
        return USD_FORMATS
    if fact.type == "percent":
        return PERCENT_FORMATS
    unit = fact.unit or "个"
    if unit in ("月", "年"):
        return (
            [(f"{n}个月" if unit == "月" else f"{n}年", v) for n, v in (("18", 18), ("十八", 18))]
            if unit == "月"
            else [("3年", 3), ("三年", 3)]
        )
    return [(f.format(n=120, u=unit), v) for f, v in COUNT_FORMATS]


_REVENUE_WORDS = frozenset(load_lexicon().revenue_words.words)


def figure_cases() -> list[Case]:
    cases = []
    for fact in LEX_FACTS.values():
        if fact.type not in _NUMERIC or fact.counts:
            continue  # qualified counts (trained anchors at a follower level) have their own phrase tests
        for form in _forms(fact):
            for written, value in _formats(fact):
                probes = [m for m in scan_numbers(written) if m.kind not in ("year", "month", "day")]
                if len(probes) != 1:
                    continue
                expected = _expected(form, probes[0])
                if expected is None:
                    continue
                sign = -1 if re.fullmatch(r"下降|减少|下滑|降低", form) else 1  # 「下降20%」 is a growth of −20%
                # business-revenue words (营业额, 流水) name an online figure only when the question says online
                online = "网上" if form in _REVENUE_WORDS else ""
                for template in TEMPLATES:
                    cases.append(
                        Case(online + template.format(form=form, num=written), expected, Decimal(sign * value), form)
                    )
    return cases


def negation_cases() -> list[Case]:
    cues = [c for c in ("还没有", "尚未", "不是", "没有", "并非", "还没") if c in NEGATION.before]
    cases = []
    for fact in LEX_FACTS.values():
        if fact.type != "bool" or fact.name not in FACTS:
            continue
        positive = [re.compile(s.pattern) for s in fact.statements if s.value and s.context is None]
        words = [
            w
            for w in dict.fromkeys((*fact.aliases, fact.label))
            if positive and len(w) >= 2 and any(p.fullmatch(w) for p in positive)
        ]
        for word in words[:3]:
            for cue in cues:
                for template in NEGATION_TEMPLATES:
                    cases.append(Case(template.format(cue=cue, word=word), fact.name, None, word))
    return cases


def judge(case: Case) -> Outcome:
    q = parse(case.text)
    got = {k: v for k, v in q.facts.items() if k not in ("entity_kind", "data_year")}
    if case.value is None:
        verdict = "misbound" if got.get(case.fact) is True else ("right" if got.get(case.fact) is False else "missed")
        return Outcome(case, verdict, got)
    if got.get(case.fact) == case.value:
        return Outcome(case, "right", got)
    wrong = {k: v for k, v in got.items() if isinstance(v, Decimal)}
    return Outcome(case, "misbound" if wrong else "missed", got)


def run(cases: list[Case]) -> dict[str, list[Outcome]]:
    out: dict[str, list[Outcome]] = {"right": [], "missed": [], "misbound": []}
    for case in cases:
        o = judge(case)
        out[o.verdict].append(o)
    return out
