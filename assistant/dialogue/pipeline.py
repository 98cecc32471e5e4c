"""The ask pipeline: Chinese question → profile → rules of every covering
jurisdiction → selected awards → answer with citations, follow-ups and warnings.

Deterministic and offline. Figures come only from the rule engine; this module
decides what to show and in what order.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from .. import corpus
from ..config import Settings, get_settings
from ..contract import AskResponse, Citation
from ..facts import LEX_FACTS
from ..models import Hit
from ..nlu import parse
from ..nlu.claims import FactBinder, rule_counted_years, rule_thresholds, rule_wordings
from ..nlu.figures import Evidence
from ..nlu.gazetteer import coverage, load_gazetteer
from ..nlu.parser import ParsedQuestion
from ..nlu.vocabulary import EXAMPLES as VOCAB_EXAMPLES
from ..nlu.vocabulary import TOPIC_PATTERNS
from ..render.answer import (
    Answer,
    FollowUp,
    PolicyValidity,
    Reading,
    StackedOut,
    StandIn,
    Totals,
    to_response,
)
from ..retrieval.embeddings import embeddings_for_settings
from ..rules.engine import best_total
from ..rules.loader import load_rulebook
from ..rules.results import Award
from ..textnorm import InputError, check_query
from .followups import rank_missing
from .selection import Selection, evaluate_for_roles, select_awards
from .sessions import Session, make_session_store

log = logging.getLogger(__name__)

EXAMPLES = list(VOCAB_EXAMPLES)  # example questions shown by the interfaces: data (lexicon.yaml)
RETRIEVAL_DEPTH = 8
# 怎么申请 / 有效期 questions quote the clauses that say it; a question no award fits quotes the nearest.
INFO_QUESTIONS = ("procedure", "validity")
RELATED_INFO = 3
RELATED_FALLBACK = 2
NOT_QUOTED = {"落款"}  # the signature block: issuer and date, already in the citation
GENERIC_TOPICS = {"直播电商", "纳统奖励", "政策有效期"}  # every policy speaks of these in some way


class ModelAssist(Protocol):
    """The optional language model (assistant.llm.LLMAssist), injected by the caller: it fills what the parser
    left unresolved and rewords the answer, each behind its own check."""

    def extract_profile(self, question: str, parsed: ParsedQuestion) -> ParsedQuestion: ...

    def rephrase(self, response: AskResponse, question: str | None = None) -> tuple[AskResponse, str | None]: ...


def _covered_places(policies) -> list[str]:
    names = []
    for m in policies:
        j = m.jurisdiction
        names.append(f"{j.city or ''}{j.district or ''}" or j.province)
    return list(dict.fromkeys(names))


def _citation(h: Hit) -> Citation:
    return Citation(
        policy_id=h.policy_id, clause_id=h.clause_id, text=h.text, policy_title=h.policy_title, citation=h.citation
    )


class AskPipeline:
    """One ``ask()`` per question; holds the sessions and the loaded components.

    Settings are validated at construction; the rulebook and corpus load once.
    Retrieval is optional: when the index cannot be built the answer is still
    complete, only the ranking of conditional awards loses one signal.
    ``llm``: the optional language model (None: the deterministic answer, as always without one).
    """

    def __init__(
        self, settings: Settings | None = None, retrieval: Any = "auto", llm: ModelAssist | None = None
    ) -> None:
        self.settings = settings or get_settings()
        self.sessions = make_session_store(self.settings)  # in-process, SQLite or Redis, per the settings
        self.policies = corpus.load_policies(self.settings.corpus_dir)
        self.meta = {m.id: m for m in self.policies}
        # read once: corpus lookups re-hash the texts to notice edits, too slow for every answer
        self.clause_texts = {(c.policy_id, c.clause_id): c.text for c in corpus.load_clauses(self.settings.corpus_dir)}
        self.book = load_rulebook(self.settings.rules_dir)  # also declares the facts rule files add
        self.binder = get_binder(self.settings, self.book)
        self._retrieval = retrieval
        self._lock = threading.Lock()
        self.llm = llm

    # --- components -------------------------------------------------------------------------
    def _search(self):
        if self._retrieval == "auto":
            with self._lock:
                if self._retrieval == "auto":
                    try:
                        from ..retrieval.service import get_search_service

                        self._retrieval = get_search_service(self.settings)
                    except Exception as exc:  # the answer stays complete without ranking
                        log.warning("retrieval unavailable, answering without it: %s", exc)
                        self._retrieval = None
        return self._retrieval

    def retrieve(self, text: str, policy_ids: Sequence[str] | None = None) -> list[Hit]:
        """Clauses that retrieval ranks high for the question, best first (only ``policy_ids``' when given)."""
        svc = self._search()
        if svc is None:
            return []
        try:
            return svc.search(text, top_k=RETRIEVAL_DEPTH * 2, policy_ids=policy_ids)
        except Exception as exc:
            log.warning("retrieval failed: %s", exc)
            return []

    def related_hits(self, text: str, policy_ids: Sequence[str]) -> list[Hit]:
        """The same, restricted to these policies."""
        wanted = set(policy_ids)
        return [h for h in self.retrieve(text) if h.policy_id in wanted] if wanted else []

    def relevant_clauses(self, text: str, policy_ids: Sequence[str]) -> set[tuple[str, str]]:
        return {(h.policy_id, h.clause_id) for h in self.related_hits(text, policy_ids)}

    # --- the entry points -------------------------------------------------------------------
    def ask(self, question: Any, session_id: str | None = None, region: str | None = None) -> AskResponse:
        """The answer as the contract carries it (assistant.render.answer.to_response of ``answer()``), worded
        by the language model when one is injected and its rewrite passes the guard."""
        answer = self.answer(question, session_id=session_id, region=region)
        response = to_response(answer)
        if self.llm is not None and answer.kind not in ("greeting", "refused"):
            # wording only; the guard falls back to the engine's text
            response, _ = self.llm.rephrase(response, question=answer.question)
        return response

    def answer(self, question: Any, session_id: str | None = None, region: str | None = None) -> Answer:
        """The typed answer to one question; ``session_id`` continues a conversation, ``region`` presets a place."""
        session = self.sessions.get_or_create(session_id)
        try:
            text = check_query(question, self.settings.max_question_chars, "问题")
        except InputError as err:
            if err.code == "empty":
                return Answer(kind="greeting", examples=list(EXAMPLES), session_id=session.id, error="empty")
            return Answer(kind="refused", refusal=str(err), session_id=session.id, error=err.code)
        today = self.settings.current_date()
        parsed = parse(
            text,
            today=today,
            previous=session.state,
            pending=session.pending or None,
            binder=self.binder,
            policies=self.policies,
        )
        # A preset place (the widget's data-region) frames a question about policies; it does not turn a greeting
        # or an off-topic line into one.
        if region and parsed.place is None and not parsed.is_off_topic:
            parsed = self._with_region(parsed, region)
        if self.llm is not None:  # fills only what the parser left unresolved, validated
            parsed = self.llm.extract_profile(text, parsed)
        parsed = self._confirm_stand_in(parsed, session)
        answer = self._answer(parsed, session)
        answer.question = text
        session.state = parsed
        session.turns += 1
        self.sessions.touch(session)
        return answer

    def _with_region(self, parsed: ParsedQuestion, region: str) -> ParsedQuestion:
        place = load_gazetteer().lookup(region)
        if place is None:
            return parsed
        return parsed.model_copy(update={"place": place})

    def _confirm_stand_in(self, parsed: ParsedQuestion, session: Session) -> ParsedQuestion:
        """A bare 「是的」 to 「您的X是否就是Y（N万元）？」 (the first question asked) binds X = N for this
        conversation; 「不是」 leaves X unknown and the next answer asks for X itself."""
        asked = session.stand_in
        session.stand_in = None
        if (
            asked is None
            or parsed.yes_no is None
            or parsed.answered is not None
            or session.pending[:1] != [asked.fact]
            or asked.fact in parsed.facts
        ):
            return parsed
        if not parsed.yes_no:
            session.declined = tuple(dict.fromkeys([*session.declined, asked.fact]))
            return parsed
        facts = {**parsed.facts, asked.fact: asked.value}
        evidence = {
            **parsed.evidence,
            asked.fact: Evidence(
                text=parsed.normalized[:8], start=0, end=min(len(parsed.normalized), 8), trigger="确认"
            ),
        }
        return parsed.model_copy(
            update={"facts": facts, "evidence": evidence, "answered": asked.fact, "is_followup": True}
        )

    def _answer(self, parsed: ParsedQuestion, session: Session) -> Answer:
        sid = session.id
        profile = parsed.profile()
        places = _covered_places(self.policies)
        if parsed.is_off_topic and not parsed.facts and parsed.place is None:
            session.pending = []
            return Answer(kind="off_topic", examples=list(EXAMPLES), session_id=sid, profile=profile)
        if parsed.place is None:
            session.pending = []
            return Answer(
                kind="no_place",
                covered_places=places,
                follow_ups=[FollowUp(kind="place")],
                session_id=sid,
                profile=profile,
            )
        cov = coverage(parsed.place, self.policies)
        if cov is None or not cov.policies:
            session.pending = []
            return Answer(
                kind="no_policy", place=parsed.place.name, covered_places=places, session_id=sid, profile=profile
            )
        return self._evaluate(parsed, session, list(cov.policies), cov.district_policies)

    def _evaluate(
        self, parsed: ParsedQuestion, session: Session, policy_ids: list[str], district_policies: list[str]
    ) -> Answer:
        facts = dict(parsed.facts)
        readings: list[Reading] = []
        if parsed.place_text and "registered_locally" not in facts:
            # 「X市一家电商企业」「我在X市开了一家公司」: the place the user names is where the applicant is.
            facts["registered_locally"] = True
            readings.append(Reading(kind="registered_here"))
        evaluation = evaluate_for_roles(policy_ids, facts, parsed.other_kinds, today=parsed.today, book=self.book)
        evaluation = self._upper_bounds(evaluation, facts, parsed, policy_ids, readings)
        all_hits = self.retrieve(parsed.normalized)
        hits = self.retrieve(parsed.normalized, policy_ids)  # scoped before ranking: other places never crowd them out
        relevant = {(h.policy_id, h.clause_id) for h in hits}
        selection = select_awards(
            evaluation.awards,
            stated_facts=parsed.facts.keys(),
            relevant_clauses=relevant,
            topic_words=parsed.topics,
            kind_known=parsed.entity_kind is not None,
        )
        missing_topics, elsewhere = self._topics_not_covered(parsed, selection, hits, all_hits, policy_ids)
        if missing_topics and not selection.eligible:
            # what matched only shared a generic word; the matter asked about is not in these texts
            selection = Selection()
        stacking = [self.book.policies[p] for p in policy_ids if p in self.book.policies]
        # The headline totals what the texts pay; expiry and draft status are said plainly in the
        # conclusion and warnings rather than by zeroing the figure the enterprise asked about.
        as_written = [a.model_copy(update={"policy_validity": "in_force"}) for a in selection.shown]
        best, potential, breakdown, _ = best_total(as_written, stacking)
        stacked_out = [
            StackedOut(title=b.title, reason=b.reason) for b in breakdown if not b.counted and "就高" in b.reason
        ]
        lapsed = sorted({a.policy_id for a in selection.shown if a.policy_validity == "expired"})
        stand_ins = _stand_ins(selection.conditional, facts, session.declined)
        follow_ups = self._follow_ups(parsed, selection, stand_ins, session)
        related = [] if missing_topics else self._related_clauses(parsed, selection, hits)
        validity = [self._validity(p, parsed.today) for p in policy_ids] if parsed.question_type == "validity" else []
        return Answer(
            kind="info" if parsed.question_type in INFO_QUESTIONS else "awards",
            session_id=session.id,
            place=parsed.place.name if parsed.place else None,
            eligible=selection.eligible,
            conditional=selection.conditional,
            near_misses=selection.near_misses,
            totals=Totals(certain_yuan=best, best_case_yuan=potential, stacking_note=bool(stacked_out)),
            expired=bool(lapsed) and len(lapsed) == len({a.policy_id for a in selection.shown}),
            follow_ups=follow_ups,
            stand_ins=stand_ins,
            policy_warnings=list(evaluation.warnings),
            stacked_out=stacked_out,
            district_policies=[self.meta[p].jurisdiction.district or p for p in district_policies if p in self.meta],
            assumptions=list(parsed.assumptions),
            readings=readings,
            related=[_citation(h) for h in related],
            elsewhere=[_citation(h) for h in elsewhere],
            missing_topics=missing_topics,
            validity=validity,
            profile=parsed.profile(),
        )

    def _follow_ups(
        self, parsed: ParsedQuestion, selection: Selection, stand_ins: list[StandIn], session: Session
    ) -> list[FollowUp]:
        """What to ask, in order: numbers read but not bound (in the user's words), the parser's own questions, the
        missing facts worth most, and the applicant's kind when nothing fits without it. A figure that stood in for
        another is confirmed by a yes/no question (``stand_ins``)."""
        # a number read but not bound is asked about first, in the user's words
        # (an amount always; a count or share only when some fact is close enough to offer)
        out = [
            FollowUp(text=c.question)
            for c in parsed.clarifications
            if c.candidates or c.mention.kind in ("money", "number")
        ]
        out += [FollowUp(text=q) for q in parsed.questions]
        confirm = {s.fact: s for s in stand_ins}
        ranked = rank_missing(selection.conditional)
        for fact, question in ranked:
            if fact in confirm:
                out.append(FollowUp(kind="stand_in", fact=fact, stand_in=confirm[fact]))
            else:
                out.append(FollowUp(text=question, fact=fact))
        if not selection.eligible and not selection.conditional and parsed.entity_kind is None:
            out.append(FollowUp(kind="entity_kind"))
        session.pending = [f for f, _ in ranked]
        # a bare 「是的」 answers the question asked first, and only that one
        session.stand_in = out[0].stand_in if out and out[0].kind == "stand_in" else None
        return out

    def _upper_bounds(
        self, evaluation, facts: dict, parsed: ParsedQuestion, policy_ids: list[str], readings: list[Reading]
    ):
        """A stated figure that is never below an unstated one (网络销售额 ≥ 实物商品网络零售额; 100万元 < 100万美元)
        proves a threshold above it is missed. Only the rules it proves missed — every comparison on that fact is
        「达到/超过」 — take that verdict; every other rule keeps its verdict without the figure (still asked for)."""
        bounds: dict[str, tuple[str, Decimal]] = {}
        for name, lex in LEX_FACTS.items():
            src = next((x for x in lex.upper_bounds if x in facts and isinstance(facts[x], Decimal)), None)
            if name not in facts and src is not None:
                bounds[name] = (src, facts[src] / Decimal(lex.upper_bound_divisor))
        if not bounds:
            return evaluation
        bounded = dict(facts)
        for name, (_, value) in bounds.items():
            bounded[name] = value
        alt = evaluate_for_roles(policy_ids, bounded, parsed.other_kinds, today=parsed.today, book=self.book)
        proven = {
            a.rule_id: a
            for a in alt.awards
            if a.status == "ineligible"
            and any(st.fact in bounds and st.outcome == "fail" for st in a.trace)
            and _only_at_least(self.book.rules.get(a.rule_id), set(bounds))
        }
        if not proven:
            return evaluation
        for name, (src, _) in bounds.items():
            if any(st.fact == name and st.outcome == "fail" for a in proven.values() for st in a.trace):
                readings.append(Reading(kind="upper_bound", fact=name, source=src))
        awards = [proven.get(a.rule_id, a) for a in evaluation.awards]
        return evaluation.model_copy(update={"awards": awards})

    def _related_clauses(self, parsed: ParsedQuestion, selection: Selection, hits: Sequence[Hit]) -> list[Hit]:
        """Whole clauses to quote beside the awards: for 怎么申请/有效期 questions, and when nothing at all
        matched (the clauses retrieval finds still tell the reader where to look)."""
        informational = parsed.question_type in INFO_QUESTIONS
        if not informational and selection.shown:
            return []
        shown = {(a.policy_id, a.clause_id) for a in selection.shown}
        fresh = [h for h in hits if (h.policy_id, h.clause_id) not in shown and h.clause_id not in NOT_QUOTED]
        return fresh[: RELATED_INFO if informational else RELATED_FALLBACK]

    def _topics_not_covered(
        self,
        parsed: ParsedQuestion,
        selection: Selection,
        hits: Sequence[Hit],
        all_hits: Sequence[Hit],
        policy_ids: Sequence[str],
    ) -> tuple[list[str], list[Hit]]:
        """The matters the question names (海外仓, 绿色直播间 …) when no clause of the covering policies speaks
        of any of them, and clauses of other places' policies that do — so 「<place>有没有海外仓补贴」 is
        answered honestly instead of with awards that share only a generic word."""
        specific = [t for t in parsed.topics if t not in GENERIC_TOPICS]
        if not specific or parsed.question_type in INFO_QUESTIONS:
            return [], []
        texts = [h.text for h in hits] + [
            self.clause_texts.get((a.policy_id, a.clause_id), "") for a in selection.shown
        ]
        if any(TOPIC_PATTERNS[t].search(x) for t in specific for x in texts):
            return [], []  # the texts speak of at least one matter asked about
        missing = specific
        wanted = set(policy_ids)
        elsewhere = [
            h for h in all_hits if h.policy_id not in wanted and any(TOPIC_PATTERNS[t].search(h.text) for t in missing)
        ]
        return missing, elsewhere[:RELATED_FALLBACK]

    def _validity(self, policy_id: str, today) -> PolicyValidity:
        meta = self.meta[policy_id]
        return PolicyValidity(
            title=meta.citation_title,
            draft=meta.status == "draft",
            effective_from=meta.effective_from,
            effective_to=meta.effective_to,
            text=meta.validity_text or None,
            label=meta.validity_label(today),
            day=today,
        )


def _stand_ins(awards: Sequence[Award], facts: dict, declined: Sequence[str]) -> list[StandIn]:
    """The figures that stood in for others in these awards (网络零售额 for 实物商品网络零售额), each to be
    confirmed by a yes/no question — except where the user already said the two differ (then the fact is
    asked for itself, in the engine's words)."""
    out: dict[str, StandIn] = {}
    for a in awards:
        for s in a.assumptions:
            if s.fact not in out and s.fact not in declined and s.used in facts:
                out[s.fact] = StandIn(fact=s.fact, used=s.used, value=facts[s.used])
    return list(out.values())


def _only_at_least(rule, facts: set[str]) -> bool:
    """Every comparison the rule makes on these facts is 「达到/超过」 (>=, >), tiers included: an upper bound
    below it proves the comparison fails; against any other comparison it proves nothing."""
    if rule is None:
        return False
    ops = [c.op for c in rule.compares() if c.fact in facts]
    award = getattr(rule, "award", None)
    if award is not None and getattr(award, "metric", None) in facts:
        ops += [t.op for t in (getattr(award, "tiers", None) or [])]
    return bool(ops) and all(op in (">=", ">") for op in ops)


_binders: dict[tuple, FactBinder] = {}
_binders_lock = threading.Lock()


def get_binder(settings: Settings, book) -> FactBinder:
    """One claim binder per process and rule set: the vocabulary is embedded once (cached on disk beside the
    index), in the background so start-up does not wait for it."""
    key = (settings.embedding_backend, str(settings.embedding_model_path), tuple(sorted(book.rules)))
    with _binders_lock:
        binder = _binders.get(key)
        if binder is None:
            try:
                embeddings = embeddings_for_settings(settings)
            except (ValueError, OSError, ImportError) as exc:  # no model: the lexicon binds, the rest is asked
                log.warning("claim binder without embeddings: %s", exc)
                embeddings = None
            binder = _binders[key] = FactBinder(
                embeddings,
                rule_wordings(book),
                cache_path=Path(settings.index_dir) / "lexicon_vectors.npz",
                thresholds=rule_thresholds(book),
                counted_years=rule_counted_years(book),
            )
            if embeddings is not None:
                threading.Thread(target=binder.warm, name="lexicon-vectors", daemon=True).start()
        return binder
