"""Which of the engine's awards an answer shows.

The engine evaluates every rule of every covering policy; an answer that listed
them all would bury the one that matters. An award is shown when it is about
this applicant and this question:

- eligible awards always (every condition was proven from what the user said);
- conditional awards whose applicant kind fits and that the question touches —
  a figure it names is one the rule tests, or retrieval ranks its clause high,
  or the question names the rule's topic;
- ineligible awards only as near misses: the applicant fits, the question's own
  figure failed a threshold, and the engine can say how far it is (a gap).

So 电商村 never appears for a 直播公司: the applicant check fails it outright.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..rules.results import Award

MAX_CONDITIONAL = 6
MAX_NEAR_MISSES = 3
MAX_MISSING = 3  # a conditional award needing more unknown facts than this is not shown unless named


@dataclass
class Selection:
    eligible: list[Award] = field(default_factory=list)
    conditional: list[Award] = field(default_factory=list)
    near_misses: list[Award] = field(default_factory=list)

    @property
    def shown(self) -> list[Award]:
        return [*self.eligible, *self.conditional, *self.near_misses]


def _applicant_outcome(award: Award) -> str:
    for step in award.trace:
        if step.kind == "applicant":
            return step.outcome
    return "pass"  # a rule open to any applicant


def _tested_facts(award: Award) -> set[str]:
    return {s.fact for s in award.trace if s.fact and s.outcome in ("pass", "fail", "assumed")}


def _sort_key(award: Award) -> tuple:
    amount = award.amount_yuan if award.amount_yuan is not None else (award.max_yuan or 0)
    return (-amount, award.policy_id, award.rule_id)


def _conditional_key(award: Award, touched: bool, named: bool, ranked: bool) -> tuple:
    # Computed figures the user's own numbers produced first; then how much is still unknown.
    has_amount = award.amount_yuan is not None
    return (not (touched or named), not has_amount, len(award.missing), not ranked,
            -(award.amount_yuan or award.max_yuan or 0), award.rule_id)


def select_awards(
    awards: Iterable[Award],
    stated_facts: Iterable[str],
    relevant_clauses: set[tuple[str, str]] = frozenset(),
    topic_words: Iterable[str] = (),
    kind_known: bool = True,
) -> Selection:
    """Pick the awards worth showing, best first within each group.

    ``stated_facts``: fact names the user gave (besides entity_kind).
    ``relevant_clauses``: (policy_id, clause_id) that retrieval ranked high for the question.
    ``topic_words``: topic words the question names (流量补贴, 房租补助 …), matched against rule titles.

    When the user's figures touch some rules, retrieval alone does not add more:
    the figures are the stronger signal, and an answer that lists every clause
    sharing a word with the question helps nobody.
    """
    stated = set(stated_facts) - {"entity_kind"}
    topics = [t for t in topic_words if t]
    sel = Selection()
    candidates: list[tuple[tuple, Award, bool]] = []
    for a in awards:
        applicant = _applicant_outcome(a)
        if applicant == "fail":
            continue
        touched = bool(_tested_facts(a) & stated)
        ranked = (a.policy_id, a.clause_id) in relevant_clauses
        named = any(t in a.title or t in a.reference.text for t in topics)
        if a.status == "eligible":
            sel.eligible.append(a)
        elif a.status == "conditional":
            # Too much unknown means the user is far from this clause (no figure yet, or many facts to ask).
            limit = MAX_MISSING if a.amount_yuan is not None else MAX_MISSING - 1
            far = len(a.missing) > limit and not named
            if far:
                continue
            if applicant == "pass" and (touched or ranked or named):
                candidates.append((_conditional_key(a, touched, named, ranked), a, touched or named))
            elif applicant == "unknown" and (named or (touched and ranked)):
                candidates.append((_conditional_key(a, touched, named, ranked), a, touched or named))
            elif not kind_known and touched and (ranked or named):
                candidates.append((_conditional_key(a, touched, named, ranked), a, True))
        elif a.gap and applicant == "pass" and touched:
            sel.near_misses.append(a)
    if any(strong for _, _, strong in candidates):
        candidates = [c for c in candidates if c[2]]
    candidates.sort(key=lambda c: c[0])
    sel.conditional = [a for _, a, _ in candidates[:MAX_CONDITIONAL]]
    sel.eligible.sort(key=_sort_key)
    sel.near_misses.sort(key=_sort_key)
    sel.near_misses = sel.near_misses[:MAX_NEAR_MISSES]
    return sel
