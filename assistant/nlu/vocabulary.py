"""Chinese wording → fact names, entity kinds and topics: the word tables question understanding reads,
built from the lexicon (assistant/nlu/data/lexicon.yaml) and the facts rule files declare.

- figure words: a fact's label and aliases (minus ``not_binding``), its ``phrases`` (what users type),
  ``shared_phrases`` (one word, several figures: the first whose type accepts the number wins),
  ``colloquial`` words (the nearest defined figure, bound only as a stated assumption), and
  ``context_phrases`` / ``generic_phrases`` (words that name the figure only when the question is about
  its matter — a bare 「合同」 or 「采购」 never binds to one policy's fact on its own);
- kind words, yes/no statements, topics and third-party platform names.
Tables are rebuilt when a rule file declares new facts (facts_version).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from assistant.facts import ENTITY_KINDS, FACTS, LEX_FACTS, LexFact, declaring_policies, facts_version, kind_ancestors
from assistant.lexicon import load_lexicon

_LEX = load_lexicon()
_NUMERIC = ("money_yuan", "money_usd", "count", "percent")


@dataclass(frozen=True)
class FigureAlias:
    word: str
    facts: tuple[str, ...]
    colloquial: bool = False  # bound only as an assumption
    context: str | None = None  # regex the question must match for the word to name this figure


def _fact_label(name: str) -> str:
    return FACTS[name].label


# --- scope: a policy's declared words apply where that policy does -----------------------------------
# The policies covering the question's place, set by the parser while it reads one question (a context
# variable, so concurrent questions about different places do not see each other's words). None = no place
# known: declared words then only fill gaps, never replace a shared word.
_SCOPE: ContextVar[frozenset[str] | None] = ContextVar("policy_word_scope", default=None)


@contextmanager
def word_scope(policies: Iterable[str] | None) -> Iterator[None]:
    token = _SCOPE.set(None if policies is None else frozenset(policies))
    try:
        yield
    finally:
        _SCOPE.reset(token)


def set_word_scope(policies: Iterable[str] | None):
    """Set the scope for the rest of the current parse; returns the token :func:`reset_word_scope` takes."""
    return _SCOPE.set(None if policies is None else frozenset(policies))


def reset_word_scope(token) -> None:
    _SCOPE.reset(token)


def current_scope() -> frozenset[str] | None:
    return _SCOPE.get()


def in_scope(fact: str, scope: frozenset[str] | None = None, *, strict: bool = False) -> bool:
    """Whether a fact's words may be read here: a shared fact always; a declared one where its policy applies
    (no place known: yes, unless ``strict``)."""
    owners = declaring_policies(fact)
    if not owners:
        return True
    scope = current_scope() if scope is None else scope
    if scope is None:
        return not strict
    return bool(owners & scope)


def _shared_facts() -> list[LexFact]:
    return [f for f in LEX_FACTS.values() if not declaring_policies(f.name)]


@lru_cache(maxsize=16)
def _figure_aliases(version: int, scope: frozenset[str] | None = frozenset()) -> dict[str, FigureAlias]:
    if scope is None:
        # no place: every declared word is readable, but a shared word keeps its shared meaning
        table = build_alias_table(list(LEX_FACTS.values()))
        table.update(build_alias_table(_shared_facts()))
        return table
    return build_alias_table([f for f in LEX_FACTS.values() if in_scope(f.name, scope)])


def build_alias_table(lex: list[LexFact]) -> dict[str, FigureAlias]:
    """The figure-word table of these facts (later phrases replace earlier ones; aliases accumulate)."""
    table: dict[str, FigureAlias] = {}
    for fact in lex:
        if fact.type not in _NUMERIC:
            continue
        for word in (fact.label, *fact.aliases):
            if word in fact.not_binding or len(word) < 2:
                continue
            prev = table.get(word)
            table[word] = FigureAlias(word, (prev.facts if prev else ()) + (fact.name,))
    for fact in lex:
        for word in fact.phrases:
            table[word] = FigureAlias(word, (fact.name,))
    for word, facts in _LEX.shared_phrases.items():
        table[word] = FigureAlias(word, tuple(facts))
    colloquial: dict[str, tuple[str, ...]] = {}
    for fact in lex:
        for word in fact.colloquial:
            colloquial[word] = (*colloquial.get(word, ()), fact.name)  # in lexicon order: the first that fits wins
    for word, names in colloquial.items():
        table[word] = FigureAlias(word, names, colloquial=True)
    for fact in lex:
        for word, context in {**fact.generic_phrases, **fact.context_phrases}.items():
            prev = table.get(word)
            if prev is not None and prev.context is None:
                continue  # a word that names a figure on its own keeps that meaning
            table[word] = FigureAlias(word, (fact.name,), context=context)
    for alias in table.values():
        for name in alias.facts:
            assert name in FACTS, f"vocabulary names unknown fact {name}"
    return table


def figure_aliases() -> dict[str, FigureAlias]:
    """Every wording that can name a numeric figure here (the current word scope) → FigureAlias."""
    return _figure_aliases(facts_version(), current_scope())


def declared_word_collisions() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Words a policy declares that the shared lexicon already gives another meaning:
    (policy, word, declared fact, shared facts). Inside that policy's places the declared meaning wins."""
    shared = build_alias_table(_shared_facts())
    out = []
    for name, lex in LEX_FACTS.items():
        for policy in sorted(declaring_policies(name)):
            mine = build_alias_table([*_shared_facts(), lex])
            for word, alias in mine.items():
                theirs = shared.get(word)
                if theirs is None or name not in alias.facts or name in theirs.facts:
                    continue
                if alias.facts[0] != name and alias.context is None:
                    continue  # the shared fact still comes first: the declared one only where it fits better
                out.append((policy, word, name, theirs.facts))
    return out


def colloquial_assumption(word: str, fact: str) -> str:
    return f"将“{word}”理解为{_fact_label(fact)}"


def sales_family() -> tuple[str, ...]:
    """Sales-like facts: a colloquial 「销售额」 in a follow-up replaces whichever of these the user gave before."""
    return tuple(f.name for f in LEX_FACTS.values() if f.sales_family)


def total_facts() -> frozenset[str]:
    """Money figures the rules read as a total (「每个点终端设备费用4万元」 with 「10个…点位」 is 40万 in all)."""
    return frozenset(f.name for f in LEX_FACTS.values() if f.total)


def accumulating_facts() -> frozenset[str]:
    """Figures whose values for several named periods add up (the clauses say 累计)."""
    return frozenset(f.name for f in LEX_FACTS.values() if f.accumulates)


def zero_figures() -> tuple[tuple[str, str], ...]:
    """「没有批发业务」 states the figure: zero."""
    return tuple((p, f.name) for f in LEX_FACTS.values() for p in f.zero_statements)


SALES_FAMILY: tuple[str, ...] = sales_family()
TOTAL_FACTS = total_facts()
ZERO_FIGURES = zero_figures()


# --- entity kinds --------------------------------------------------------------------------------

FACILITY_KINDS = frozenset(k.name for k in _LEX.kinds if k.facility)
# Government bodies organise events and pay awards; they are the applicant only when nothing else is named.
GOVERNMENT_WORDS = frozenset(_LEX.government_words)
# Wordings whose kind is an assumption worth saying (a 网店 may be run by a 个体户 or a company).
KIND_ASSUMPTIONS: dict[str, str] = dict(_LEX.kind_assumptions)


@lru_cache(maxsize=1)
def kind_aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    for kind in _LEX.kinds:
        for word in (kind.label, *kind.aliases):
            if len(word) >= 2 and word not in kind.not_naming:
                table.setdefault(word, kind.name)
    for kind in _LEX.kinds:
        for word in kind.words:
            table[word] = kind.name
    for name in table.values():
        assert name in ENTITY_KINDS, f"vocabulary names unknown kind {name}"
    return table


def kind_specificity(kind: str) -> int:
    """Deeper in the hierarchy = more specific; kinds outside the business tree (园区, 村, 主播…) are specific."""
    chain = kind_ancestors(kind)
    return len(chain) if chain[-1] == "business_entity" else len(chain) + 3


def kind_label(kind: str) -> str:
    return ENTITY_KINDS[kind].label


# --- booleans ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoolPattern:
    pattern: str  # regex on normalised text
    fact: str
    value: bool = True  # what an un-negated mention means (「有负面新闻」 → negative_news True)
    context: str | None = None  # regex the question must also match (「首年」 states a platform's first award year)


@lru_cache(maxsize=16)
def _bool_patterns(version: int, scope: frozenset[str] | None = frozenset()) -> tuple[BoolPattern, ...]:
    return tuple(
        BoolPattern(s.pattern, f.name, s.value, s.context)
        for f in LEX_FACTS.values()
        if in_scope(f.name, scope)
        for s in f.statements
    )


def bool_patterns() -> tuple[BoolPattern, ...]:
    return _bool_patterns(facts_version(), current_scope())


def inner_negations() -> tuple[tuple[str, str], ...]:
    """Negated forms the generic rule cannot see (the negation sits inside the phrase)."""
    return tuple((p, f.name) for f in LEX_FACTS.values() for p in f.negated_statements)


BOOL_PATTERNS = _bool_patterns(facts_version(), None)
NEGATION = _LEX.negation


# --- levels --------------------------------------------------------------------------------------

LEVEL_WORDS: dict[str, str] = {w: lv.name for lv in _LEX.levels for w in lv.words}


# --- topics --------------------------------------------------------------------------------------

TOPICS: dict[str, str] = dict(_LEX.topics)
# compiled once here; the parser and the pipeline both match these
TOPIC_PATTERNS: dict[str, re.Pattern[str]] = {name: re.compile(p, re.IGNORECASE) for name, p in TOPICS.items()}
# Third-party platforms named in questions: context only, never the applicant's kind.
PLATFORM_NAMES = "|".join(_LEX.platforms)
EXAMPLES: tuple[str, ...] = _LEX.examples
NUMBER_WORDS: dict[str, str] = dict(_LEX.number_words)
# Measures users mention that no rule tests (注册资本, 员工人数): read, never bound, never asked about.
NON_METRICS: tuple[str, ...] = _LEX.non_metrics
# A generic word in another sense (「场地租赁合同」): word → regex that, in the word's clause, says so.
OTHER_SENSES: dict[str, str] = dict(_LEX.other_senses)
PLAN_WORDS: tuple[str, ...] = _LEX.plan_words
