"""Claims and scored binding: a number the word tables could not place is read as a *claim* — a measured
noun phrase — and bound to a fact only when the evidence is strong; otherwise the answer asks.

- ``ClaimReader.run``: each left-over number → Claim (its head words, value, unit, holder, period,
  qualifiers and polarity), found by one general pattern in either order: head + verb + number
  (「一年进货300万元」) or number + measure + head (「200万美元的出口」).
- ``FactBinder.run``: claim → fact by (a) the lexicon's words inside the head, then (b) similarity of the
  head to each fact's terms and to the wordings of the rule conditions that test it (the bundled e5
  model; the vocabulary is embedded once per process and cached on disk), gated by unit and type (件 is
  not 元, 美元 is not 元, people are not rooms). Below the threshold nothing is bound: a Clarification
  quotes the user's words and asks (「您说的“进货300万元”是指……吗？」). A negated claim is never bound.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel

from assistant.facts import FACTS, LEX_FACTS, facts_version
from assistant.lexicon import load_lexicon

from .figures import clause_bounds, fits
from .mentions import Mention
from .vocabulary import NEGATION, NON_METRICS, in_scope

log = logging.getLogger(__name__)

Polarity = Literal["stated", "negated", "bounded"]

# Words around a number that carry no meaning of their own for binding: verbs of stating, fillers.
_TRAILING = re.compile(
    r"(?:做到了?|做了|达到了?|实现了?|完成了?|一共|总共|合计|共计|共|有|是|为|了|约|大约|大概|将近|接近|差不多|"
    r"超过了?|不到|不足|在|到|也|都|就|才|能|的|:|：|\s)+$"
)
_FILLERS = "|".join(re.escape(w) for w in sorted(load_lexicon().head_fillers, key=len, reverse=True))
_TRAILING_FILLER = (
    re.compile(rf"(?:(?:{_FILLERS})(?:的|了|有|是|一年|每年|年)*)+$") if _FILLERS else re.compile(r"(?!)")
)
_LEADING = re.compile(r"^(?:的|了|之|\s)+")
_HOLDER = re.compile(
    r"^(?:我们|咱们|我|本公司|公司|企业|本地|园区|基地|机构|他们|主播们?|店铺|网店)(?:的|里|这边|现在|目前)?"
)
_PERIOD = re.compile(r"(?:(?:19|20)\d{2}年度?|去年|今年|前年|上一?年|当年|首年|第一年|一年|每年|全年|年度|年)")
_QUALIFIER = re.compile(r"[^,，。;；]{0,10}?(?:以上|以下|以内|及以上)的")
# A number in what is asked (「能拿50万吗」「按每万元5元算」「20万那个奖励」) or a distance to a threshold
# (「差一点到3000万」) is not a claim about the applicant.
_ASKED_BEFORE = re.compile(
    r"(?:能|可以|可|还能|能否|会|就能|才能)(?:再)?(?:拿|领|得到|得|享受|申请|申领|按)(?:到|回)?(?:首年|市里的|县里的|区里的|省里的)?$"
    r"|(?:按|按照)?每(?:万元|万|1万元|一万元)$|差(?:一点|一些|了|点)?(?:就)?(?:到|达到)?$|到$"
    # money already received as an award: 「当时已经奖了10万元」
    r"|(?:已经|已|当时|之前|以前|去年|累计|早就)[^,，。]{0,8}(?:拿|领|奖|获得|得到)(?:了|过)$"
)
_ASKED_AFTER = re.compile(
    r"^(?:元)?(?:的|那个|那笔|这个)?(?:奖励|补贴|补助|奖补|奖金|支持|扶持|奖|贡献奖)|^(?:元)?(?:吗|么|呢)"
    r"|^(?:元)?(?:能|可以|可|还能)(?:申请|申报|拿|领)"
)
_SUBSET = re.compile(r"(?:其中|当中|这些人里|里面)(?:有)?")
_HEAD_CHARS = 8


class Claim(BaseModel):
    """A measured noun phrase: what the user said a number is."""

    text: str  # the user's words: 「一年进货300万元」
    start: int
    end: int
    head: str  # 「进货」
    mention: Mention
    holder: str | None = None  # 我们 / 园区 / 主播们
    period: str | None = None  # 去年 / 2023年 / 首年
    qualifiers: list[str] = []  # 「粉丝5万以上的」
    polarity: Polarity = "stated"
    context: str = ""  # the clause before and this one up to the claim: what the sentence is about


class Clarification(BaseModel):
    """A claim left unbound: what was read, the facts it may be, and the question that asks."""

    text: str  # the user's words
    value: Decimal
    mention: Mention
    candidates: list[str] = []  # fact names, best first
    question: str


class Binding(BaseModel):
    claim: Claim
    fact: str | None = None
    score: float = 0.0
    via: Literal["lexicon", "similarity", "none"] = "none"
    candidates: list[str] = []


def _negated(before: str) -> bool:
    cues = "|".join(re.escape(w) for w in sorted(NEGATION.before, key=len, reverse=True))
    return re.search(rf"(?:{cues})[^,，。]{{0,4}}$", before) is not None and not re.search(
        "|".join(re.escape(w) for w in NEGATION.comparisons) + "$", before
    )


class ClaimReader:
    """Left-over numbers → claims. Stateless; one ``run`` per question."""

    kinds = ("money", "count", "percent", "number", "area")

    def run(self, text: str, mentions: list[Mention], blocked: Sequence[tuple[int, int]] = ()) -> list[Claim]:
        out = []
        for m in mentions:
            if m.kind not in self.kinds or any(s <= m.start < e for s, e in blocked):
                continue
            if m.kind == "number" and not m.has_multiplier:
                continue  # a bare 「3000」 with no unit is not read as a measure
            lo, hi = clause_bounds(text, m.start)
            before, after = text[lo : m.start], text[m.end : hi]
            if _ASKED_BEFORE.search(before) or _ASKED_AFTER.match(after):
                continue
            period = None
            holder = None
            qualifiers = [q.group() for q in _QUALIFIER.finditer(before)]
            head = _TRAILING.sub("", before)
            if (h := _HOLDER.match(head)) is not None:
                holder, head = h.group().rstrip("的里"), head[h.end() :]
            periods = list(_PERIOD.finditer(head))
            if periods:
                period = periods[-1].group()
                head = _PERIOD.sub("", head)
            if (sub := _SUBSET.search(head)) is not None:
                qualifiers.append(sub.group())  # 「其中48人…」: a part of what the clause before counted
                head = head[sub.end() :]
            head = _TRAILING.sub("", _TRAILING_FILLER.sub("", _TRAILING.sub("", head)))[-_HEAD_CHARS:]
            if len(head) >= 2 and head in before:
                phrase = text[lo + before.rfind(head) : m.end]  # head + verb + number
            else:
                tail = _LEADING.sub("", after)
                head = re.split(r"[,，。;；!！?？]", tail)[0][: 2 * _HEAD_CHARS]
                phrase = text[m.start : m.end + (len(after) - len(tail)) + len(head)]  # number + measure + head
            if any(w in head or w in before for w in NON_METRICS):
                continue  # 「注册资本500万」「员工50人」: read, and known to be nothing a rule tests
            polarity: Polarity = (
                "negated" if _negated(before) else ("bounded" if m.qualifier == "less_than" else "stated")
            )
            prev_lo = clause_bounds(text, lo - 2)[0] if lo >= 2 else lo
            context = text[prev_lo : m.start] + ("" if head and head in before else head)  # words only, not the figure
            out.append(
                Claim(
                    context=context[-40:],
                    text=phrase.strip(",，。 ")[-24:],
                    start=m.start,
                    end=m.end,
                    head=head,
                    mention=m,
                    holder=holder,
                    period=period,
                    qualifiers=qualifiers,
                    polarity=polarity,
                )
            )
        return out


# --- binding ---------------------------------------------------------------------------------------

BIND_THRESHOLD = 0.93  # cosine (e5 query vs passage) above which a head phrase may bind on its own
MARGIN = 0.01  # over the best unrelated fact
ASK_THRESHOLD = 0.9  # above which the closest facts are offered in the question


@dataclass
class _Vocab:
    terms: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    vectors: np.ndarray | None = None


def _related(a: str, b: str) -> bool:
    """Facts that stand in for one another (fallbacks) are one reading, not two competing ones."""
    fa, fb = FACTS[a], FACTS[b]
    return a in fb.fallbacks or b in fa.fallbacks


def vocabulary_terms(wordings: dict[str, list[str]] | None = None) -> tuple[list[str], list[str]]:
    """(term, fact) pairs for every numeric fact: label, the policies' terms, users' phrases, and the
    wordings of rule conditions that test it."""
    terms, owners = [], []
    for f in LEX_FACTS.values():
        if f.type not in ("money_yuan", "money_usd", "count", "percent"):
            continue
        words = [
            f.label,
            f.meaning,
            *[a for a in f.aliases if a not in f.not_binding],
            *f.phrases,
            *f.colloquial,
            *(wordings or {}).get(f.name, []),
        ]
        for t in dict.fromkeys(w for w in words if len(w) >= 2):
            terms.append(t)
            owners.append(f.name)
    return terms, owners


class FactBinder:
    """Claims → facts, scored (see module docstring). ``embeddings`` is optional: without it only the
    lexicon binds and every other claim is asked about."""

    def __init__(
        self,
        embeddings=None,
        wordings: dict[str, list[str]] | None = None,
        cache_path: Path | None = None,
        bind_threshold: float = BIND_THRESHOLD,
        margin: float = MARGIN,
        ask_threshold: float = ASK_THRESHOLD,
        thresholds: dict[str, set[Decimal]] | None = None,
        counted_years: dict[str, dict[str, frozenset[int]]] | None = None,
    ) -> None:
        if not 0 < ask_threshold <= bind_threshold <= 1:
            raise ValueError("thresholds must satisfy 0 < ask_threshold <= bind_threshold <= 1")
        self.embeddings = embeddings
        self.wordings = wordings or {}
        self.thresholds = thresholds or {}  # fact → the thresholds rules test it at (rule_thresholds)
        self.counted_years = counted_years or {}  # fact → policy → the data years its rules count (rule_counted_years)
        self.cache_path = cache_path
        self.bind_threshold, self.margin, self.ask_threshold = bind_threshold, margin, ask_threshold
        self._vocab: _Vocab | None = None
        self._version = -1
        self._lock = threading.Lock()

    # the vocabulary is embedded once (and again only when a rule file declares new facts)
    def warm(self) -> None:
        self._vectors()

    def _vectors(self) -> _Vocab | None:
        if self.embeddings is None:
            return None
        with self._lock:
            if self._vocab is not None and self._version == facts_version():
                return self._vocab
            terms, owners = vocabulary_terms(self.wordings)
            vectors = self._embed(terms)
            self._vocab, self._version = _Vocab(terms, owners, vectors), facts_version()
            return self._vocab

    def _embed(self, terms: list[str]) -> np.ndarray:
        inner = self.embeddings
        if self.cache_path is not None:
            from assistant.embedding_cache import CachedEmbeddings

            try:
                self.cache_path.parent.mkdir(parents=True, exist_ok=True)
                cached = CachedEmbeddings(inner, self.cache_path, getattr(inner, "model_name", "embeddings"))
                # in small batches: the model's lock is shared with retrieval, which should not wait long
                vectors = np.asarray(
                    [v for i in range(0, len(terms), 16) for v in cached.embed_documents(terms[i : i + 16])],
                    dtype=np.float32,
                )
                if cached.misses:
                    cached.save()
                return vectors
            except OSError as exc:  # a read-only index dir: embed in memory only
                log.warning("lexicon vectors not cached: %s", exc)
        return np.concatenate([inner.passage_vectors(terms[i : i + 16]) for i in range(0, len(terms), 16)]).astype(
            np.float32
        )

    def _similar(self, claim: Claim, taken: set[str], text: str, query: str | None = None) -> list[tuple[str, float]]:
        vocab = self._vectors()
        query = query if query is not None else claim.head
        if vocab is None or vocab.vectors is None or not len(vocab.terms) or not query:
            return []
        q = np.asarray(self.embeddings.query_vector(query), dtype=np.float32)
        scores = vocab.vectors @ q
        best: dict[str, float] = {}
        for i in np.argsort(-scores):
            fact = vocab.owners[i]
            if fact in best or fact in taken or not in_scope(fact) or not fits(fact, claim.mention, text):
                continue
            best[fact] = float(scores[i])
            if len(best) >= 6:
                break
        return sorted(best.items(), key=lambda kv: -kv[1])

    def run(self, claims: list[Claim], taken: AbstractSet[str] = frozenset(), text: str = "") -> list[Binding]:
        """Bind each claim the word tables left over (they are binding step (a): figures.assign_figures)."""
        out = []
        for claim in claims:
            if claim.polarity == "negated":
                out.append(Binding(claim=claim))
                continue
            ranked = self._similar(claim, set(taken), text) if claim.head else []
            if not ranked:
                out.append(Binding(claim=claim))
                continue
            top, score = ranked[0]
            rival = next((s for f, s in ranked[1:] if not _related(top, f)), 0.0)
            candidates = [f for f, s in ranked[:2] if s >= self.ask_threshold]
            if score >= self.bind_threshold and score - rival >= self.margin:
                out.append(Binding(claim=claim, fact=top, score=score, via="similarity", candidates=[top]))
            else:
                # what to offer is judged on the sentence (「和合作社签了…，一年进货300万元」), not the bare head
                if claim.context and claim.context != claim.head:
                    ranked = self._similar(claim, set(taken), text, query=claim.context) or ranked
                    candidates = [f for f, s in ranked[:2] if s >= self.ask_threshold]
                out.append(Binding(claim=claim, score=score, candidates=candidates))
        return out


def clarification(binding: Binding) -> Clarification:
    """The question for an unbound claim, in the user's own words."""
    claim = binding.claim
    labels = [FACTS[f].label for f in binding.candidates if f in FACTS]
    if len(labels) == 1:
        question = f"您说的“{claim.text}”是指{labels[0]}吗？"
    elif labels:
        question = f"您说的“{claim.text}”是指{labels[0]}，还是{labels[1]}？"
    elif claim.mention.kind in ("money", "number"):
        question = f"您说的“{claim.text}”是指哪一项金额（如网络零售额、采购额、投资额）？"
    elif claim.mention.kind == "percent":
        question = f"您说的“{claim.text}”是哪一项比例（如网络零售额增长率）？"
    else:
        question = f"您说的“{claim.text}”指的是哪一项数量？"
    return Clarification(
        text=claim.text,
        value=claim.mention.value,
        mention=claim.mention,
        candidates=list(binding.candidates),
        question=question,
    )


def rule_wordings(book) -> dict[str, list[str]]:
    """fact → the wordings of the rule conditions that test it (rules/*.yaml, declared facts included)."""
    out: dict[str, list[str]] = {}
    for rule in book.rules.values():
        for c in rule.compares():
            if c.wording and c.fact in FACTS:
                out.setdefault(c.fact, [])
                if c.wording not in out[c.fact]:
                    out[c.fact].append(c.wording)
    return out


def rule_counted_years(book) -> dict[str, dict[str, frozenset[int]]]:
    """fact → policy → the data years (rule ``data_years``) of the rules that measure it: a 累计 over named years adds
    only these."""
    out: dict[str, dict[str, set[int]]] = {}
    for rule in book.rules.values():
        if not rule.data_years:
            continue
        facts = {c.fact for c in rule.compares()} | {getattr(rule.award, "metric", None)}
        for fact in facts:
            if fact in FACTS:
                out.setdefault(fact, {}).setdefault(rule.policy_id, set()).update(rule.data_years)
    return {f: {p: frozenset(y) for p, y in by.items()} for f, by in out.items()}


def rule_thresholds(book) -> dict[str, set[Decimal]]:
    """fact → every numeric threshold a rule tests it at (conditions and tiers): where a rough figure decides nothing."""
    out: dict[str, set[Decimal]] = {}

    def add(fact: str | None, value) -> None:
        if fact in FACTS and isinstance(value, Decimal) and value > 0:
            out.setdefault(fact, set()).add(value)

    for rule in book.rules.values():
        for c in rule.compares():
            if c.op in (">=", ">", "<=", "<"):
                add(c.fact, c.parsed)
        award = rule.award
        for tier in getattr(award, "tiers", None) or ():
            add(getattr(award, "metric", None), getattr(tier, "parsed", None))
    return out
