"""The ask pipeline: Chinese question → profile → rules of every covering
jurisdiction → selected awards → answer with citations, follow-ups and warnings.

Deterministic and offline. Figures come only from the rule engine; this module
decides what to show and in what order.
"""
from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from decimal import Decimal
from typing import Any

from .. import corpus
from ..config import Settings, get_settings
from ..contract import AskResponse, AwardOut, Citation
from ..facts import FACTS, LEX_FACTS
from ..models import Hit
from ..nlu import parse
from ..nlu.gazetteer import coverage, load_gazetteer
from ..nlu.claims import FactBinder, rule_counted_years, rule_thresholds, rule_wordings
from ..nlu.parser import ParsedQuestion
from ..retrieval.embeddings import embeddings_for_settings
from ..nlu.vocabulary import EXAMPLES as VOCAB_EXAMPLES
from ..nlu.vocabulary import TOPICS
from ..rules.engine import best_total
from ..rules.loader import load_rulebook
from ..rules.results import Award
from ..textnorm import InputError, check_query
from .compose import DISCLAIMER, compose_answer
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
NOT_QUOTED = {"落款"}
TOPIC_PATTERNS = {name: re.compile(p, re.IGNORECASE) for name, p in TOPICS.items()}
GENERIC_TOPICS = {"直播电商", "纳统奖励", "政策有效期"}  # every policy speaks of these in some way  # the signature block: issuer and date, already in the citation


def _covered_places_text(policies) -> str:
    names = []
    for m in policies:
        j = m.jurisdiction
        names.append(f"{j.city or ''}{j.district or ''}" or j.province)
    return "、".join(dict.fromkeys(names))


class AskPipeline:
    """One ``ask()`` per question; holds the sessions and the loaded components.

    Settings are validated at construction; the rulebook and corpus load once.
    Retrieval is optional: when the index cannot be built the answer is still
    complete, only the ranking of conditional awards loses one signal.
    """

    def __init__(self, settings: Settings | None = None, retrieval: Any = "auto") -> None:
        self.settings = settings or get_settings()
        self.sessions = make_session_store(self.settings)  # in-process, SQLite or Redis, per the settings
        self.policies = corpus.load_policies(self.settings.corpus_dir)
        self.meta = {m.id: m for m in self.policies}
        # read once: corpus lookups re-hash the texts to notice edits, too slow for every answer
        self.clause_texts = {(c.policy_id, c.clause_id): c.text
                             for c in corpus.load_clauses(self.settings.corpus_dir)}
        self.book = load_rulebook(self.settings.rules_dir)  # also declares the facts rule files add
        self.binder = get_binder(self.settings, self.book)
        self._retrieval = retrieval
        self._lock = threading.Lock()
        from ..llm import get_llm_assist  # optional; None unless POLICY_QA_LLM_MODEL is set

        self.llm = get_llm_assist(self.settings)

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

    # --- the one entry point ----------------------------------------------------------------
    def ask(self, question: Any, session_id: str | None = None, region: str | None = None) -> AskResponse:
        session = self.sessions.get_or_create(session_id)
        try:
            text = check_query(question, self.settings.max_question_chars, "问题")
        except InputError as err:
            if err.code == "empty":
                return AskResponse(
                    answer="请描述您的情况，例如所在地区、主体类型和年销售额。可以这样问：\n" + "\n".join(f"- {q}" for q in EXAMPLES),
                    examples=list(EXAMPLES[:3]), session_id=session.id, error="empty")
            return AskResponse(answer=str(err), session_id=session.id, error=err.code)
        today = self.settings.current_date()
        parsed = parse(text, today=today, previous=session.state, pending=session.pending or None, binder=self.binder,
                       policies=self.policies)
        # A preset place (the widget's data-region) frames a question about policies; it does not turn a greeting
        # or an off-topic line into one.
        if region and parsed.place is None and not parsed.is_off_topic:
            parsed = self._with_region(parsed, region)
        if self.llm is not None:  # fills only what the parser left unresolved, validated
            parsed = self.llm.extract_profile(text, parsed)
        response = self._answer(parsed, session)
        if self.llm is not None:  # wording only; the guard falls back to the engine's text
            response, _ = self.llm.rephrase(response, question=text)
        session.state = parsed
        session.turns += 1
        self.sessions.touch(session)
        return response

    def _with_region(self, parsed: ParsedQuestion, region: str) -> ParsedQuestion:
        place = load_gazetteer().lookup(region)
        if place is None:
            return parsed
        return parsed.model_copy(update={"place": place})

    def _answer(self, parsed: ParsedQuestion, session: Session) -> AskResponse:
        sid = session.id
        profile = parsed.profile()
        if parsed.is_off_topic and not parsed.facts and parsed.place is None:
            session.pending = []
            return AskResponse(
                answer="我是电商惠企政策问答助手，只能解答电子商务扶持政策和奖补测算方面的问题。您可以这样问：\n"
                + "\n".join(f"- {q}" for q in EXAMPLES),
                examples=list(EXAMPLES[:3]), session_id=sid, profile=profile)
        if parsed.place is None:
            session.pending = []
            return AskResponse(
                answer=f"请告诉我企业所在的市或区县，以便匹配当地政策。目前政策库覆盖：{_covered_places_text(self.policies)}。",
                follow_up=["您的企业注册在哪个市或区县？"], session_id=sid, profile=profile)
        cov = coverage(parsed.place, self.policies)
        policy_ids = cov.policies if cov else []
        if not policy_ids:
            session.pending = []
            return AskResponse(
                answer=(f"政策库中暂无适用于{parsed.place.name}的电商扶持政策，无法测算奖补。"
                        f"目前收录的地区有：{_covered_places_text(self.policies)}。建议向当地商务主管部门咨询。"),
                warnings=[f"政策库未收录{parsed.place.name}的政策"], session_id=sid, profile=profile)
        return self._evaluate(parsed, session, policy_ids, cov.district_policies)

    def _evaluate(self, parsed: ParsedQuestion, session: Session, policy_ids: list[str],
                  district_policies: list[str]) -> AskResponse:
        facts = dict(parsed.facts)
        assumptions = list(parsed.assumptions)
        if parsed.place_text and "registered_locally" not in facts:
            # 「X市一家电商企业」「我在X市开了一家公司」: the place the user names is where the applicant is.
            facts["registered_locally"] = True
            assumptions.append(f"按主体在{parsed.place.name}依法登记注册、经营理解")
        evaluation = evaluate_for_roles(policy_ids, facts, parsed.other_kinds, today=parsed.today, book=self.book)
        evaluation = self._upper_bounds(evaluation, facts, parsed, policy_ids, assumptions)
        all_hits = self.retrieve(parsed.normalized)
        hits = self.retrieve(parsed.normalized, policy_ids)  # scoped before ranking: other places never crowd them out
        relevant = {(h.policy_id, h.clause_id) for h in hits}
        selection = select_awards(
            evaluation.awards, stated_facts=parsed.facts.keys(), relevant_clauses=relevant,
            topic_words=parsed.topics, kind_known=parsed.entity_kind is not None)
        missing_topics, elsewhere = self._topics_not_covered(parsed, selection, hits, all_hits, policy_ids)
        if missing_topics and not selection.eligible:
            # what matched only shared a generic word; the matter asked about is not in these texts
            selection = Selection()
        stacking = [self.book.policies[p] for p in policy_ids if p in self.book.policies]
        # The headline totals what the texts pay; expiry and draft status are said plainly in the
        # conclusion and warnings rather than by zeroing the figure the enterprise asked about.
        as_written = [a.model_copy(update={"policy_validity": "in_force"}) for a in selection.shown]
        best, potential, breakdown, _ = best_total(as_written, stacking)
        lapsed = sorted({a.policy_id for a in selection.shown if a.policy_validity == "expired"})
        follow = rank_missing(selection.conditional)
        # a number read but not bound is asked about first, in the user's words
        # (an amount always; a count or share only when some fact is close enough to offer)
        asked = [c.question for c in parsed.clarifications if c.candidates or c.mention.kind in ("money", "number")]
        follow_questions = asked + parsed.questions + [q for _, q in follow]
        if not selection.eligible and not selection.conditional and parsed.entity_kind is None:
            follow_questions.append("您的主体类型是什么（如电商企业、个体工商户、直播公司、电商园区、村或乡镇）？")
        warnings = self._warnings(evaluation.warnings, selection, district_policies, breakdown)
        related = [] if missing_topics else self._related_clauses(parsed, selection, hits)
        validity = ([self._validity_line(p, parsed.today) for p in policy_ids]
                    if parsed.question_type == "validity" else [])
        answer = compose_answer(
            selection, place_name=parsed.place.name, best_total=best, potential_total=potential,
            assumptions=assumptions, follow_ups=follow_questions, warnings=warnings,
            stacking_note=any(not b.counted and "就高" in b.reason for b in breakdown),
            expired=bool(lapsed) and len(lapsed) == len({a.policy_id for a in selection.shown}),
            related=[(h.citation, h.text) for h in related], validity=validity,
            procedural=parsed.question_type in INFO_QUESTIONS, missing_topics=missing_topics,
            elsewhere=[(h.citation, h.text) for h in elsewhere])
        session.pending = [f for f, _ in follow]
        return AskResponse(
            answer=answer,
            awards=[self._award_out(a) for a in selection.shown],
            citations=self._citations(selection.shown) + [
                Citation(policy_id=h.policy_id, clause_id=h.clause_id, text=h.text, policy_title=h.policy_title,
                         citation=h.citation) for h in related],
            follow_up=follow_questions,
            warnings=warnings,
            session_id=session.id,
            best_total_yuan=_num(best),
            profile=parsed.profile(),
        )

    def _upper_bounds(self, evaluation, facts: dict, parsed: ParsedQuestion, policy_ids: list[str],
                      assumptions: list[str]):
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
        proven = {a.rule_id: a for a in alt.awards if a.status == "ineligible"
                  and any(st.fact in bounds and st.outcome == "fail" for st in a.trace)
                  and _only_at_least(self.book.rules.get(a.rule_id), set(bounds))}
        if not proven:
            return evaluation
        for name, (src, _) in bounds.items():
            if any(st.fact == name and st.outcome == "fail" for a in proven.values() for st in a.trace):
                assumptions.append(f"未说明{FACTS[name].label}；它不会高于您给出的{FACTS[src].label}，"
                                   f"据此可知未达到相应门槛")
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

    def _topics_not_covered(self, parsed: ParsedQuestion, selection: Selection, hits: Sequence[Hit],
                            all_hits: Sequence[Hit], policy_ids: Sequence[str]) -> tuple[list[str], list[Hit]]:
        """The matters the question names (海外仓, 绿色直播间 …) when no clause of the covering policies speaks
        of any of them, and clauses of other places' policies that do — so 「<place>有没有海外仓补贴」 is
        answered honestly instead of with awards that share only a generic word."""
        specific = [t for t in parsed.topics if t not in GENERIC_TOPICS]
        if not specific or parsed.question_type in INFO_QUESTIONS:
            return [], []
        texts = [h.text for h in hits] + [self.clause_texts.get((a.policy_id, a.clause_id), "") for a in selection.shown]
        if any(TOPIC_PATTERNS[t].search(x) for t in specific for x in texts):
            return [], []  # the texts speak of at least one matter asked about
        missing = specific
        wanted = set(policy_ids)
        elsewhere = [h for h in all_hits if h.policy_id not in wanted
                     and any(TOPIC_PATTERNS[t].search(h.text) for t in missing)]
        return missing, elsewhere[:RELATED_FALLBACK]

    def _validity_line(self, policy_id: str, today) -> str:
        meta = self.meta[policy_id]
        kind = "征求意见稿" if meta.status == "draft" else "正式文件"
        span = (f"{meta.effective_from or '未载明'}至{meta.effective_to or '未载明'}"
                if meta.effective_from or meta.effective_to else "施行日期未载明")
        return (f"{meta.citation_title}：{kind}，有效期{span}" + (f"（原文：「{meta.validity_text}」）" if meta.validity_text else "") + "；"
                f"截至{today}：{meta.validity_label(today)}")

    def _warnings(self, policy_warnings: list[str], selection: Selection, district_policies: list[str],
                  breakdown) -> list[str]:
        shown_policies = {a.policy_id for a in selection.shown}
        out: list[str] = []
        for w in policy_warnings:
            out.append(w)
        for a in selection.shown:
            out.extend(a.warnings)
        for b in breakdown:
            if not b.counted and "就高" in b.reason:
                out.append(f"「{b.title}」{b.reason}")
        if district_policies:
            names = "、".join(self.meta[p].jurisdiction.district or p for p in district_policies if p in self.meta)
            out.append(f"区县另有政策（{names}），如企业位于这些区县，可告诉我具体区县以匹配更多条款")
        del shown_policies
        # One line per message: awards repeat the policy's notes, some with their own amounts in brackets.
        unique: dict[str, str] = {}
        for w in out:
            key = re.sub(r"（[^（）]*元）", "", w)
            # Two awards, two amounts: say the rule once, without either award's figures.
            unique[key] = key if key in unique else w
        return list(unique.values())

    def _award_out(self, a: Award) -> AwardOut:
        data = a.to_json()
        data["amount_text"] = a.amount_text
        return AwardOut(**data)

    def _citations(self, awards: Sequence[Award]) -> list[Citation]:
        seen: set[tuple[str, str, str]] = set()
        out = []
        for a in awards:
            key = (a.policy_id, a.clause_id, a.reference.text)
            if key in seen:
                continue
            seen.add(key)
            out.append(Citation(policy_id=a.policy_id, clause_id=a.clause_id, text=a.reference.text,
                                policy_title=a.reference.policy_title, citation=a.reference.citation))
        return out


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


def _num(v: Decimal | None) -> int | float | None:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else float(v)


_pipeline: AskPipeline | None = None
_pipeline_lock = threading.Lock()


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
            binder = _binders[key] = FactBinder(embeddings, rule_wordings(book),
                                                cache_path=Path(settings.index_dir) / "lexicon_vectors.npz",
                                                thresholds=rule_thresholds(book),
                                                counted_years=rule_counted_years(book))
            if embeddings is not None:
                threading.Thread(target=binder.warm, name="lexicon-vectors", daemon=True).start()
        return binder


def get_pipeline() -> AskPipeline:
    global _pipeline
    if _pipeline is None:
        with _pipeline_lock:
            if _pipeline is None:
                _pipeline = AskPipeline()
    return _pipeline
