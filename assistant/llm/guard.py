"""The guard: a model's rewrite of an answer may change the wording, never the substance.

Pure function of (rewrite text, the engine's AskResponse). A rewrite passes only when
1. every figure in it, in any written form, is a figure of the engine's result (award
   amounts, maxima, instalments, gaps, totals, and the figures in the engine's own
   answer text, warnings, conditions and calculation trace) — or stands inside a quote
   that is verbatim from a cited clause and is words, not a bare list of figures
   (「5万」 in quotes is still a claim about 5万);
2. every clause it names is a cited clause (or a part of one), and every 《title》 is a
   cited policy;
3. a quote introduced as the original text (原文「…」) is verbatim from a citation;
4. no status is upgraded: conditional awards keep each missing condition (by its label,
   a synonym from the fact vocabulary, or its question), are not called 「符合」/「可以拿到」
   without a hedge before the claim in the same sentence (「可能符合」「确认后可得」; not
   「您符合条件，但需确认…」), ineligible awards are not called eligible except as a hypothesis
   (「如果达到1亿元，可以申请」), no certainty words
   (一定能/保证…), and warnings that a policy is a draft (征求意见稿) or has lapsed (失效)
   are still said.
Any failure rejects the whole rewrite with reasons; the caller keeps the engine's answer.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

from assistant.contract import AskResponse, AwardOut
from assistant.facts import FACTS

from .textfigures import (
    FigureSet,
    blank,
    clause_allowed,
    clause_key,
    clause_refs,
    figures_of,
    quote_found_in,
    quotes_in,
    squeeze,
    tidy,
    titles_in,
)

MAX_REWRITE_CHARS = 6000


class GuardVerdict(BaseModel):
    ok: bool
    reasons: list[str] = Field(default_factory=list)

    @property
    def reason(self) -> str | None:
        return "；".join(self.reasons) if self.reasons else None


# --- what the engine said ---------------------------------------------------------------------


def _award_texts(a: AwardOut) -> list[str]:
    """Every engine-written sentence on an award (figures in these are the engine's own)."""
    d: dict[str, Any] = a.model_dump()
    out: list[str] = [str(d.get("title") or ""), str(d.get("amount_text") or ""), str(d.get("gap") or "")]
    for key in ("failed", "requirements", "notes", "warnings", "assumptions"):
        out.extend(str(x) for x in d.get(key) or [])
    for m in d.get("missing") or []:
        if isinstance(m, dict):
            out.extend([str(m.get("label") or ""), str(m.get("question") or "")])
    for t in d.get("trace") or []:
        if isinstance(t, dict):
            out.extend([str(t.get("text") or ""), str(t.get("value") or "")])
    return [t for t in out if t]


def _citation_texts(response: AskResponse) -> list[str]:
    """The clause texts the answer may quote: its citations, and other places' clauses it quotes for reference."""
    return [c.text for c in [*response.citations, *response.elsewhere] if c.text]


_FIGURE_CHARS = re.compile(r"[\d.,万亿千百十元%]")


def _substantive(quote: str) -> bool:
    """A quote that is words, not just figures: 「5万」 or 「…5万…」 in quotes is still a claim about 5万."""
    parts = [squeeze(p) for p in re.split(r"…+|\.{3,}|⋯+", quote)]
    words = [_FIGURE_CHARS.sub("", p) for p in parts if p]
    return bool(words) and sum(map(len, words)) >= 6 and all(len(w) >= 4 for w in words)


def _unquoted(text: str, quotes: list[str]) -> str:
    """``text`` with the cited quotes it repeats blanked (their figures are allowed only inside quotes),
    and titles and clause names blanked (「三（四）2」 states no figure 2)."""
    t = tidy(text)
    spans = [(q.start, q.end) for q in quotes_in(t) if quote_found_in(q.text, quotes)]
    spans += [(q.start, q.end) for q in titles_in(t)]
    t = blank(t, spans)
    return blank(t, [(r.start, r.end) for r in clause_refs(t)])


def allowed_figures(response: AskResponse) -> FigureSet:
    """The figures a rewrite may state outside a cited quote."""
    figs = FigureSet()
    cited = _citation_texts(response)
    figs.add(response.best_total_yuan, "money")
    figs.add(response.conditional_total_yuan, "money")
    for a in response.awards:
        d = a.model_dump()
        figs.add(a.amount_yuan, "money")
        figs.add(d.get("max_yuan"), "money")
        for inst in d.get("instalments") or []:
            if isinstance(inst, dict):
                figs.add(inst.get("amount_yuan"), "money")
                figs.add(inst.get("share_percent"), "percent")
        for y in d.get("years") or []:
            figs.add(y, "year")
        for t in _award_texts(a):
            figs.add_text(_unquoted(t, cited))
    for text in [response.answer, *response.warnings, *response.follow_up, *response.assumptions]:
        figs.add_text(_unquoted(text, cited))
    for c in response.citations:
        figs.add_text(c.policy_title)  # years in titles (「2022年…」)
    for value in (response.profile.get("facts") or {}).values():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            figs.add(value, "any")
    for value in (response.profile.get("year"),):
        figs.add(value, "year")
    # Counts a rewrite may say in words: 「两项奖补」「三个条件」.
    statuses = [a.status for a in response.awards]
    for n in (
        len(response.awards),
        len(response.citations),
        len(response.warnings),
        len(response.follow_up),
        *(statuses.count(s) for s in ("eligible", "conditional", "ineligible")),
    ):
        figs.add(n, "count")
    for a in response.awards:
        figs.add(len(a.model_dump().get("missing") or []), "count")
    return figs


def cited_clause_keys(response: AskResponse) -> set[str]:
    keys = {clause_key(c.clause_id) for c in response.citations}
    keys |= {clause_key(a.clause_id) for a in response.awards}
    # Clauses the engine itself names in its answer or warnings (e.g. a stacking note).
    for text in [response.answer, *response.warnings]:
        keys |= {r.key for r in clause_refs(tidy(text))}
    return keys


def _known_titles(response: AskResponse) -> list[str]:
    titles = [c.policy_title for c in response.citations if c.policy_title]
    for text in [response.answer, *response.warnings]:
        titles.extend(t.text for t in titles_in(tidy(text)))
    return titles


# --- status language --------------------------------------------------------------------------

_SENTENCE = re.compile(r"[^。！？!?；;\n]+")
_AFFIRM = re.compile(
    r"符合|可以拿到|能拿到|拿得到|可以获得|能获得|可获得|可以得到|能得到|可得|可享受|能享受|可以享受|可以领取|能领取|可领取|可以申请到|稳获"
)
_NEGATION_BEFORE = re.compile(r"(?:不|未|无法|不能|没有?|并非|尚不|暂不|难以)\s*(?:完全)?\s*$")
_HEDGE = re.compile(
    r"还差|届时|可能|如果|如(?![下此今何])|若|假如|倘若|一旦|需(?!求)|待|确认|前提|的话|有望|或可|或许|视(?!频)|经.{0,8}认定|取决于|满足.{0,30}后"
)
# For an award the engine found not met, only a hypothesis excuses a claim (「如果达到1亿元，可以申请」).
_IF_HEDGE = re.compile(r"如果|若|假如|倘若|一旦|达到.{0,30}(?:后|时)|届时|的话")
_CERTAINTY = re.compile(
    r"一定能|一定可以|一定会|肯定能|肯定可以|肯定会|保证|确保能|必定|必然能|稳拿|绝对能|绝对可以|百分百|板上钉钉|毫无疑问"
)
_DRAFT_WARN = re.compile(r"征求意见稿")
_DRAFT_SAID = re.compile(r"征求意见稿|草案|尚未正式施行|未正式施行|未正式发布|尚未正式发布")
_LAPSED_WARN = re.compile(r"已失效")
_LAPSED_SAID = re.compile(r"失效|过期|到期|不再有效|已截止|不能按此申报")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s.strip()]


def _unhedged_claim(sentence: str, hedge: re.Pattern = _HEDGE) -> bool:
    """A claim of eligibility (「符合」「可以拿到」, not 「不符合」) with no hedge before it in the sentence:
    「可能符合」「如果…，可以拿到」「确认后可得」 are hedged; 「您符合条件，但需确认…」 is not."""
    for m in _AFFIRM.finditer(sentence):
        if _NEGATION_BEFORE.search(sentence[max(0, m.start() - 4) : m.start()]):
            continue
        if not hedge.search(sentence[: m.start()]):
            return True
    return False


def _condition_words(missing: dict) -> list[str]:
    """Ways a rewrite may name a missing condition: label, its parts, synonyms, the question."""
    words: list[str] = []
    label = str(missing.get("label") or "")
    if label:
        words.append(label)
        core = re.sub(r"[（(][^）)]*[）)]", "", label).strip()
        words.append(core)
        words.extend(re.findall(r"[（(]([^）)]*)[）)]", label))
        words.append(core.removeprefix("已").removeprefix("是否"))
    question = str(missing.get("question") or "")
    if question:
        words.append(question.rstrip("？?"))
    fact = FACTS.get(str(missing.get("fact") or ""))
    if fact is not None:
        words.extend(fact.aliases)
        words.append(fact.label)
    return [squeeze(w) for w in words if len(squeeze(w)) >= 2]


def _names_award(sentence: str, a: AwardOut) -> bool:
    title = str(a.model_dump().get("title") or "")
    s = squeeze(sentence)
    return bool(title) and squeeze(title) in s


# --- the check --------------------------------------------------------------------------------


def check_rewrite(rewrite: str, response: AskResponse) -> GuardVerdict:
    """Accept or reject a model's rewrite of ``response.answer``; see the module doc for the rules."""
    reasons: list[str] = []
    if not rewrite or not rewrite.strip():
        return GuardVerdict(ok=False, reasons=["改写为空"])
    if len(rewrite) > MAX_REWRITE_CHARS:
        return GuardVerdict(ok=False, reasons=[f"改写过长（{len(rewrite)} 字）"])
    text = tidy(rewrite)
    cited_quotes = _citation_texts(response)
    engine_texts = [
        response.answer,
        *response.warnings,
        *response.follow_up,
        *(t for a in response.awards for t in _award_texts(a)),
    ]

    # Quotes: a verbatim cited quote may carry the clause's own figures; a quote presented as
    # the original text must be verbatim.
    spans: list[tuple[int, int]] = []
    for q in quotes_in(text):
        if _substantive(q.text) and (quote_found_in(q.text, cited_quotes) or quote_found_in(q.text, engine_texts)):
            spans.append((q.start, q.end))
        elif re.search(r"(原文|规定|条款|写明|明确)[^。\n]{0,6}$", text[max(0, q.start - 10) : q.start]):
            reasons.append(f"引用的原文「{q.text[:30]}」不在引用条款中")

    # Titles: only cited policies.
    known = _known_titles(response)
    for t in titles_in(text):
        if quote_found_in(t.text, known):
            spans.append((t.start, t.end))
        else:
            reasons.append(f"提到了未引用的文件《{t.text[:40]}》")
    body = blank(text, spans)

    # Clauses: only cited ones.
    cited = cited_clause_keys(response)
    refs = clause_refs(body)
    for r in refs:
        if not clause_allowed(r.key, cited):
            reasons.append(f"提到了未引用的条款「{r.text}」")
    body = blank(body, [(r.start, r.end) for r in refs])

    # Figures: only the engine's.
    allowed = allowed_figures(response)
    for f in figures_of(body):
        if not allowed.allows(f):
            reasons.append(f"数字「{f.text}」不是测算结果中的数额")

    reasons.extend(_status_problems(body, text, response))
    reasons = list(dict.fromkeys(reasons))
    return GuardVerdict(ok=not reasons, reasons=reasons)


def _status_problems(body: str, text: str, response: AskResponse) -> list[str]:
    """``body``: the rewrite with verified quotes, titles and clause names blanked; ``text``: all of it."""
    problems: list[str] = []
    squeezed = squeeze(body)
    if certain := _CERTAINTY.search(body):
        problems.append(f"使用了确定性的措辞「{certain.group()}」")
    awards = response.awards
    eligible = [a for a in awards if a.status == "eligible"]
    conditional = [a for a in awards if a.status == "conditional"]
    ineligible = [a for a in awards if a.status == "ineligible"]
    sentences = _sentences(body)
    for s in sentences:
        named = [a for a in awards if _names_award(s, a)]
        if any(a.status == "ineligible" for a in named) and _unhedged_claim(s, _IF_HEDGE):
            problems.append(f"把暂不符合的奖补说成了符合：「{s.strip()[:40]}」")
            continue
        if not _unhedged_claim(s):
            continue
        if any(a.status == "conditional" for a in named) or (
            not eligible and (conditional or ineligible) and not named
        ):
            problems.append(f"把待确认的奖补说成了确定符合：「{s.strip()[:40]}」")
    for a in conditional:
        for m in a.model_dump().get("missing") or []:
            if not isinstance(m, dict):
                continue
            words = _condition_words(m)
            if words and not any(w in squeezed for w in words):
                problems.append(f"漏掉了待确认条件「{m.get('label') or m.get('fact')}」")
    engine_warn = " ".join([*response.warnings, response.answer])
    # A cited title that itself says 征求意见稿 tells the reader too, so these look at the whole text.
    if _DRAFT_WARN.search(engine_warn) and not _DRAFT_SAID.search(text):
        problems.append("漏掉了「征求意见稿」提示")
    if _LAPSED_WARN.search(engine_warn) and not _LAPSED_SAID.search(text):
        problems.append("漏掉了政策已失效的提示")
    return list(dict.fromkeys(problems))
