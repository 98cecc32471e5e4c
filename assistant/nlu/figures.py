"""Which figure each number belongs to: 「网络零售额1000万元，当年增长11%」 → sales 1000万, growth 11%.

Rule of thumb, in order: a counter's noun right after the number (「35间直播间」); else the
nearest figure word before the number in the same clause that accepts this kind of
number; else the nearest one after it in the clause (「1000万的网络零售额」); else the
unit alone (平方米 → area, 粉丝 → followers); else, in a follow-up, the money figure the
user gave before. Anything left is reported as unassigned — never guessed into a fact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

from pydantic import BaseModel

from assistant.facts import ENTITY_KINDS, FACTS, LEX_FACTS, declaring_policies, facts_version, kind_ancestors
from assistant.lexicon import load_lexicon
from assistant.textnorm import CLAUSE_PUNCT

from .asking import asks_award
from .mentions import Mention
from .vocabulary import (
    OTHER_SENSES,
    FigureAlias,
    accumulating_facts,
    colloquial_assumption,
    current_scope,
    figure_aliases,
    in_scope,
    sales_family,
    total_facts,
    zero_figures,
)

# a comma inside 「3,000万」 separates thousands, not clauses
CLAUSE_BREAK = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))|[，。;；!！?？\n、]|(?:并且|而且|同时|另外)")


def clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """The clause of ``text`` (between CLAUSE_BREAKs) that holds position ``pos``."""
    start, end = 0, len(text)
    for m in CLAUSE_BREAK.finditer(text):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


class Evidence(BaseModel):
    """Where a fact came from in the (normalised) text."""

    text: str  # the words: 「网络零售额1000万元」
    start: int
    end: int
    trigger: str = ""  # the figure or keyword that decided it: 「网络零售额」
    assumption: str | None = None


class FigureResult(BaseModel):
    facts: dict[str, Decimal] = {}
    evidence: dict[str, Evidence] = {}
    qualifiers: dict[str, str] = {}
    approximate: list[str] = []
    upper: dict[str, Decimal] = {}
    assumptions: list[str] = []
    unassigned: list[Mention] = []
    # (mention, word, fact): a revenue word that may name this online figure, asked before binding
    ask_first: list[tuple[Mention, str, str]] = []
    # accumulating figures given for named years: fact → {year: value}, so a later 「2024年是390万件」 replaces one part
    parts: dict[str, dict[int, Decimal]] = {}
    listed: dict[str, tuple[int, int]] = {}  # fact → span of a 分别 list of its values (not one figure)
    other_sense: list[tuple[str, str]] = []  # (fact, the user's words) read as absent: asked to confirm
    # (fact, the user's words): a rough figure (「5万左右」) next to the fact's threshold — left unbound, asked
    undecided: list[tuple[str, str]] = []


class AliasHit(BaseModel):
    word: str
    start: int
    end: int


def _alias_regex() -> re.Pattern:
    return _alias_regex_for(facts_version(), current_scope())


@lru_cache(maxsize=16)
def _alias_regex_for(version: int, scope: frozenset[str] | None) -> re.Pattern:
    words = sorted(figure_aliases(), key=len, reverse=True)
    # 房租补助 is a topic, not a figure; 增长率 handled by the longer alias; 第一/第二 are ordinals only before 名.
    return re.compile("|".join(re.escape(w) for w in words))


@lru_cache(maxsize=64)
def _context_regex(pattern: str) -> re.Pattern:
    return re.compile(pattern)


# How common a two-character word must be (jieba's frequency) for a declared word's first character to belong to it.
_GLUE_FREQ = 50


def _starts_inside_a_word(text: str, start: int) -> bool:
    """The character before ``start`` and the first one of the match make a common word (去|年直播带货销售额:
    「去年」): the text does not say the matched word there."""
    if start == 0:
        return False
    from assistant.jieba_loader import get_jieba

    return int(get_jieba().FREQ.get(text[start - 1 : start + 1], 0) or 0) >= _GLUE_FREQ


def find_alias_hits(text: str) -> list[AliasHit]:
    table = figure_aliases()
    regex = _alias_regex()
    hits = []
    pos = 0
    while (m := regex.search(text, pos)) is not None:
        word = m.group()
        # A word a policy declares was never tuned on questions: it must start on a word edge, or the shorter
        # shared word after its first character is read instead (search again one character on).
        if all(declaring_policies(f) for f in table[word].facts) and _starts_inside_a_word(text, m.start()):
            pos = m.start() + 1
            continue
        pos = m.end()
        if word == "房租" and text[m.end() : m.end() + 2] in ("补助", "补贴"):
            continue
        context = table[word].context
        if context is not None and not _context_regex(context).search(text):
            continue  # 「来了199人」 names participants only in a question about an event
        if word in OTHER_SENSES and _in_other_sense(text, m.start(), m.end(), OTHER_SENSES[word]):
            continue  # 「签了一年的场地租赁合同」: a contract, but not the one the figure is about
        hits.append(AliasHit(word=word, start=m.start(), end=m.end()))
    return hits


_REVENUE = load_lexicon().revenue_words
_ONLINE = re.compile(_REVENUE.online_context)


def says_online(text: str, entity_kind: str | None) -> bool:
    """Whether a statement in the question (not the part asking about an award) says the selling is online,
    or the applicant sells online by its kind."""
    if entity_kind is not None and any(k in _REVENUE.online_kinds for k in kind_ancestors(entity_kind)):
        return True
    return any(_ONLINE.search(clause) and not asks_award(clause) for clause in _SENSE_CLAUSE.split(text))


_SENSE_CLAUSE = CLAUSE_PUNCT


def _in_other_sense(text: str, start: int, end: int, senses: str) -> bool:
    cs = max((m.end() for m in _SENSE_CLAUSE.finditer(text, 0, start)), default=0)
    ce = m.start() if (m := _SENSE_CLAUSE.search(text, end)) else len(text)
    return _context_regex(senses).search(text, cs, ce) is not None


# Bounded and anchored at the start of a digit run, so a hostile 「一一一…」 stays linear.
_CN_NUM = r"(?<![\d一二两三四五六七八九十百])[\d一二两三四五六七八九十百]{1,8}"
# Money already received as an award (see awards_received below).
_RECEIVED = r"(?:已经|已|早已|早就|之前|以前|此前|去年|上一?年|前年|曾经|曾)"
_GOT = r"(?:拿|领取|领|获得|得到|获|申领|享受|兑现)"
_AWARD_WORD = r"(?:奖励|奖金|补贴|补助|奖补|扶持资金|资金支持|奖)"
_MONEY_N = (
    r"(?P<n>(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[一二两三四五六七八九十百千]{1,6})(?:来|多|余)?[万亿]?)"
    r"(?:元|块钱?)?"
)
_RANK = rf"(?:排(?:名)?(?:在)?(?:全[市县区])?|(?:位列|位居|名列)?全[市县区](?:排名)?)第(?P<n>{_CN_NUM})(?:名|位)?(?![家批个次届])"


def _rank_patterns() -> list[tuple[re.Pattern, str, bool]]:
    """「排名全市第二」: a rank, bound to the ranking fact whose ``rank_context`` (lexicon or a rule file)
    the clause names before it; the most specific context first, a fact with an empty context last."""
    ranked = sorted(
        ((f.rank_context, f.name) for f in LEX_FACTS.values() if f.rank_context is not None and in_scope(f.name)),
        key=lambda cf: -len(cf[0]),
    )
    # the context may sit a clause or two before: 「农特产品年度网络销售额1500万元，排名全县第二」
    # only the rank itself is spoken for: the context's own figures (「…销售额1500万元」) are read as usual
    return [
        (re.compile(rf"(?:(?:{ctx})[^。;；]{{0,40}}?){_RANK}" if ctx else _RANK), name, False) for ctx, name in ranked
    ]


# Phrases whose numbers the nearest-word rule would misread, matched first as a whole. The third item
# says whether every number inside the phrase is spoken for (True) or only the one captured (False).
_COMPOUNDS: tuple[tuple[re.Pattern, str, bool], ...] = (
    # 「已拿过10万首年奖励」「去年领了20万补贴」「之前获得的奖励共30万」: money already received is
    # awards_received (the cumulative cap), never the sales or another figure
    (
        re.compile(
            rf"(?:{_RECEIVED}[^,，。\d]{{0,4}}?{_GOT}(?:到)?(?:了|过)*|{_GOT}(?:到)?(?:了|过)+)的?"
            rf"(?:共|合计|累计|总共)?{_MONEY_N}的?[^,，。\d]{{0,6}}?{_AWARD_WORD}"
        ),
        "awards_received",
        False,
    ),
    (
        re.compile(
            rf"(?:{_RECEIVED}[^,，。\d]{{0,4}}?{_GOT}(?:到)?(?:了|过)*|{_GOT}(?:到)?(?:了|过)+)的?"
            rf"[^,，。\d]{{0,6}}?{_AWARD_WORD}(?:共|合计|累计|总共)?(?:是|为|有)?{_MONEY_N}"
        ),
        "awards_received",
        False,
    ),
    # 「首年奖励10万已经拿了」: award, amount, then the receipt
    (
        re.compile(rf"{_AWARD_WORD}(?:共|合计|累计)?{_MONEY_N}(?:已经?|早就|之前|去年)(?:{_GOT}|到账|兑现)"),
        "awards_received",
        False,
    ),
    # 「排名全市第二」「综合评价全市第二」: a rank, whichever evaluation the clause names
    # 「办了一场电商直播大赛」: the number of events held
    (re.compile(rf"(?:举办|承办|主办|组织|办)(?:了)?(?P<n>{_CN_NUM})(?:场|届)"), "event_count", False),
    # 「3个直播间首次被评为省级“绿色直播间”」: the rooms counted are the green ones
    (re.compile(rf"(?P<n>{_CN_NUM})(?:个|间)直播间[^,，。]{{0,12}}绿色直播间"), "green_livestream_rooms", False),
    # 「引进了一个年直播网络销售额6000万的带货大主播」: one anchor recruited (the 6000万 is the anchor's sales)
    (re.compile(rf"引进(?:了)?(?P<n>{_CN_NUM})(?:个|名|位)[^,，。]{{0,24}}?主播"), "anchors_recruited", False),
    # 「与本地合作社签了1年购销协议」: the document signed decides the figure, not the verb 签了
    (
        re.compile(rf"签(?:订)?(?:了)?(?P<n>{_CN_NUM})年(?:以上|及以上)?的?[^,，。\d]{{0,6}}?(?:购销|采购|供货)协议"),
        "coop_agreement_years",
        False,
    ),
    # 「承诺在本地经营两年以上」: the commitment, not how long they have operated
    (
        re.compile(rf"承诺(?:在[^,，。]{{1,8}})?(?:至少|继续)?(?:生产)?经营(?:满|至少)?(?P<n>{_CN_NUM})年"),
        "commitment_years",
        False,
    ),
)


# Trained anchors: a count of anchors trained, each with a follower threshold, written in any order —
# 「培训了25名10万粉丝以上的主播」「培训10万粉以上的主播210人」「培训了25名主播（每人粉丝12万以上）」
# 「培训主播220人（粉丝都在5万以上）」「培训了30个主播,粉丝均超过10万」. The threshold is not the
# applicant's own followers and the count is not the applicant's active anchors.
_FAN_THRESHOLD = (
    r"(?:每人|每个|每位|人均|个个|均|都)?(?:的)?(?:粉丝?(?:数|量)?)?(?:都|均)?(?:在|达到?|有|超过|不低于|不少于)?"
    r"(?P<f>\d+(?:\.\d+)?|[一二两三四五六七八九十]{1,3})(?P<fm>万|w|W)(?:个)?(?:粉丝?)?(?:以上|及以上|多)?"
)
_ANCHOR_COUNT = rf"(?P<n>{_CN_NUM})(?:名|个|位|人)"
# A follower level stated as a rough figure (「5万左右」) within this share of a tier's floor leaves that tier
# undecided: asked, never paid or refused on a guess (lexicon: approximate_margin).
APPROX_TOLERANCE = Decimal(str(load_lexicon().approximate_margin))


@lru_cache(maxsize=4)
def _trained_anchor_patterns(version: int) -> tuple[re.Pattern, ...]:
    """The word orders of a trained-anchor count; the training verbs are the lexicon's (``verbs``)."""
    verbs = sorted(
        {v for f in LEX_FACTS.values() if f.counts == "trained_anchors" for v in f.verbs}, key=len, reverse=True
    )
    verb = rf"(?:{'|'.join(re.escape(v) for v in verbs) or '(?!)'})(?:出|了|出了)?"
    return (
        # count, threshold, 主播: 「25名10万粉丝以上的主播」 (the verb may sit further back: 「一年培训了」)
        re.compile(rf"{_ANCHOR_COUNT}{_FAN_THRESHOLD}的?(?:带货)?主播"),
        # verb, threshold, 主播, count: 「培训10万粉丝以上的主播210人」
        re.compile(rf"{verb}{_FAN_THRESHOLD}的?(?:带货)?主播{_ANCHOR_COUNT}"),
        # verb, count, 主播, then the threshold in brackets or the next clause: 「培训了25名主播（每人粉丝12万以上）」
        re.compile(rf"{verb}{_ANCHOR_COUNT}(?:带货)?主播[(（,，]?(?:这些主播|主播们?|他们)?{_FAN_THRESHOLD}[)）]?"),
        # verb, 主播, count, threshold: 「培训主播220人（粉丝都在5万以上）」
        re.compile(rf"{verb}(?:带货)?主播{_ANCHOR_COUNT}[(（,，]?(?:这些主播|主播们?|他们)?{_FAN_THRESHOLD}[)）]?"),
    )


def _fan_tiers() -> list[tuple[Decimal, str]]:
    """The trained-anchor counts the lexicon (or a rule file) defines, by follower threshold, highest first."""
    tiers = [
        (Decimal(str(f.qualifiers["min_followers"])), f.name)
        for f in LEX_FACTS.values()
        if f.counts == "trained_anchors" and "min_followers" in f.qualifiers
    ]
    return sorted(tiers, reverse=True)


def _trained_anchor_facts(
    text: str, blocked, mentions: Sequence[Mention] = ()
) -> list[tuple[str, Decimal | None, re.Match]]:
    """Each tier the stated follower threshold reaches gets the count: 25 anchors with 12万 fans each
    are also 25 anchors with at least 5万. A level that is not a tier's own threshold (8万) describes the
    anchors, so a tier above it has none of them. A rough level (「5万左右」「大概10万」) near a tier's floor
    leaves that tier undecided (value None: asked); 「不到5万」 reaches no tier at or above 5万."""
    from assistant.numerals import parse_number

    for pattern in _trained_anchor_patterns(facts_version()):
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in blocked):
                continue
            count, fans = parse_number(m.group("n")), parse_number(m.group("f") + "万")
            if count is None or fans is None:
                continue
            tiers = _fan_tiers()
            said = next((x for x in mentions if x.start == m.start("f")), None)
            qualifier = said.qualifier if said is not None else None
            if qualifier == "approximately":
                near = {fact for floor, fact in tiers if abs(fans - floor) <= floor * APPROX_TOLERANCE}
                return [
                    *[(fact, count, m) for floor, fact in tiers if fans >= floor and fact not in near],
                    *[(fact, None, m) for floor, fact in tiers if fact in near],
                    *[(fact, Decimal(0), m) for floor, fact in tiers if fans < floor and fact not in near],
                ]
            if qualifier in ("less_than", "at_most"):
                return [
                    *[(fact, count, m) for floor, fact in tiers if fans > floor],
                    *[(fact, Decimal(0), m) for floor, fact in tiers if fans <= floor],
                ]
            reached: list[tuple[str, Decimal | None, re.Match]] = [
                (fact, count, m) for floor, fact in tiers if fans >= floor
            ]
            if any(fans == floor for floor, _ in tiers):
                return reached or [("", count, m)]  # 「5万粉丝以上」 quotes a tier: what lies above is not said
            # 「粉丝都在8万左右」 describes the anchors: none of them reaches a tier above that level
            return [*reached, *[(fact, Decimal(0), m) for floor, fact in tiers if fans < floor]]
    return []


def _compound_facts(
    text: str, blocked, mentions: Sequence[Mention] = (), undecided: list[tuple[str, str]] | None = None
) -> tuple[dict[str, tuple[Decimal, re.Match]], list[tuple[int, int]]]:
    from assistant.numerals import parse_number

    found: dict[str, tuple[Decimal, re.Match]] = {}
    spans: list[tuple[int, int]] = []
    for fact, value, m in _trained_anchor_facts(text, blocked, mentions):
        if fact and value is None:
            said = next((x for x in mentions if x.start == m.start("f")), None)
            if undecided is not None:
                undecided.append((fact, f"粉丝{said.text if said is not None else m.group('f') + '万'}"))
        elif fact and value is not None:  # the same as ``elif fact``: the branch above took every None
            found[fact] = (value, m)
        spans.append((m.start(), m.end()))  # every number inside is spoken for
    for pattern, fact, whole in (*_COMPOUNDS[:3], *_rank_patterns(), *_COMPOUNDS[3:]):
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in blocked) or any(s <= m.start("n") < e for s, e in spans):
                continue
            value = parse_number(re.sub(r"[,来多余]", "", m.group("n")))
            if value is not None:
                found[fact] = (value, m)
                spans.append((m.start(), m.end()) if whole else (m.start("n"), m.end("n") + 1))
    return found, spans


_DECREASE = re.compile(r"下降了?|减少了?|下滑了?|降低了?")
_YEARISH = re.compile(r"^(?:19|20)\d{2}$")


def _clause_id(breaks: list[int], pos: int) -> int:
    lo, hi = 0, len(breaks)
    while lo < hi:
        mid = (lo + hi) // 2
        if breaks[mid] < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


_PERSON_COUNTERS = frozenset({"人", "名", "位", "人次"})


def _counter_fits(fact, counter: str) -> bool:
    """「199人」 is not a number of shops (「个」 may count anything: _pick checks what follows it)."""
    if not counter or counter == "个" or counter in fact.accepted_units:
        return True
    return (counter in _PERSON_COUNTERS) == (fact.unit in _PERSON_COUNTERS)


def accepts(fact_name: str, mention: Mention, strict_counter: bool = True) -> bool:
    """Can this number be a value of this fact (by its unit)? ``strict_counter=False`` when the fact's own
    noun follows the number (「25个活跃主播」), which settles what is counted."""
    fact = FACTS[fact_name]
    t = fact.type
    if mention.kind == "money":
        return (t == "money_usd") if mention.unit == "USD" else (t == "money_yuan")
    if mention.kind == "number":
        if t == "money_yuan":
            return mention.has_multiplier  # 「3000万」 yes; a bare 「3000」 has no unit: not money
        if t == "count":
            # 「30万」 with no unit is an amount, never a floor area
            return fact.unit not in ("平方米", "月", "年") or (
                fact.unit == "平方米" and mention.value >= 10 and not mention.has_multiplier
            )
        return False
    if mention.kind == "percent":
        return t == "percent"
    if mention.kind == "area":
        return t == "count" and fact.unit == "平方米"
    if mention.kind == "duration":
        return t == "count" and fact.unit in ("月", "年")
    if mention.kind == "count":
        if t != "count" or fact.unit in ("平方米", "月", "年"):
            return False
        if mention.unit == "粉丝":
            return fact_name == "followers"
        return not strict_counter or _counter_fits(fact, mention.unit)
    return False


def value_for(fact_name: str, mention: Mention) -> Decimal:
    """The mention's value in the fact's unit (years ↔ months)."""
    fact = FACTS[fact_name]
    value = mention.value
    if mention.kind == "duration":
        months = mention.months or Decimal(0)
        value = months if fact.unit == "月" else months / 12
        value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    if mention.qualifier == "less_than":
        # 「不到1亿」「将近1个亿」: just below the stated figure, so a threshold at that figure is not reached
        value = value - _BELOW_STEP.get(fact.type, Decimal("0.01"))
    if mention.negative:
        value = -value
    return value


# the step below a figure stated as 「不到/将近 X」: the largest value that is still under X
_BELOW_STEP = {
    "money_yuan": Decimal("0.01"),
    "money_usd": Decimal("0.01"),
    "count": Decimal(1),
    "percent": Decimal("0.01"),
}


# 「9个…培训的人」: the universal counter 个 counts people only when a person noun follows in the clause.
_PERSON_WORD = re.compile(
    r"(?:人|主播|学员|员工|职工|毕业生|学生|达人)(?:数|数量)?$"
)  # 「活跃主播有35个」: the word counts people
_PERSON_NOUN_AFTER = re.compile(r"^[^,，。;；]{0,20}?(?:人|主播|学员|员工|职工|毕业生|学生|名)")
_PERSON_NOUN_BEFORE = re.compile(r"(?:人|主播|学员|员工|职工|毕业生|学生|劳动者)(?:有|是|共|一共)?$")  # 「员工25个」


def fits(fact: str, mention: Mention, text: str) -> bool:
    """``accepts`` with the counter read in context: 「三个电商展会」 is not three participants."""
    if not accepts(fact, mention):
        return False
    return not (
        mention.kind == "count"
        and mention.unit == "个"
        and FACTS[fact].unit in _PERSON_COUNTERS
        and not _PERSON_NOUN_AFTER.match(text[mention.end :])
    )


def _pick(alias: FigureAlias, mention: Mention, strict_counter: bool = True, text: str = "") -> str | None:
    for f in alias.facts:
        if not accepts(f, mention, strict_counter):
            continue
        if (
            strict_counter
            and mention.kind == "count"
            and mention.unit == "个"
            and FACTS[f].unit in _PERSON_COUNTERS
            and not _PERSON_NOUN_AFTER.match(text[mention.end :])
            and not _PERSON_WORD.search(alias.word)
            and not _PERSON_NOUN_BEFORE.search(text[max(0, mention.start - 6) : mention.start])
        ):
            continue  # 「参加了三个电商展会」 is not three participants
        return f
    return None


def _bare_unit_fact(unit: str, text: str) -> str | None:
    """The one fact a counter names on its own (lexicon ``bare_unit``: 粉丝 → followers, 间 → rooms;
    件 → the parcel volume when the question speaks of parcels)."""
    for f in LEX_FACTS.values():
        if not in_scope(f.name):
            continue
        bare = f.bare_unit
        if bare and bare.get("unit") == unit and (not bare.get("context") or re.search(bare["context"], text)):
            return f.name
    return None


_AREA_BY_KIND = {"park", "ecommerce_park", "livestream_base", "cross_border_park"}


_KIND_NOUNS = frozenset(w for k in ENTITY_KINDS.values() for w in (k.label, *k.aliases))


def assign_figures(
    text: str,
    mentions: list[Mention],
    *,
    entity_kind: str | None = None,
    blocked: Sequence[tuple[int, int]] = (),
    previous_facts: dict | None = None,
) -> FigureResult:
    """Bind each number mention to a fact (see module docstring). ``blocked`` spans (injections) are skipped."""
    aliases = figure_aliases()
    hits = find_alias_hits(text)
    breaks = [m.start() for m in CLAUSE_BREAK.finditer(text)]
    result = FigureResult()
    hit_spans = [(h.start, h.end) for h in hits]
    used_hits: set[int] = set()
    compounds, compound_spans = _compound_facts(text, blocked, mentions, result.undecided)
    for compound, (value, m) in compounds.items():
        result.facts[compound] = value
        result.evidence[compound] = Evidence(text=m.group(), start=m.start(), end=m.end(), trigger=m.group())

    def in_blocked(pos: int) -> bool:
        return any(s <= pos < e for s, e in blocked) or any(s <= pos < e for s, e in compound_spans)

    for mention in mentions:
        if mention.kind in ("year", "month", "day") or in_blocked(mention.start):
            continue
        if mention.kind == "number" and not mention.has_multiplier and _YEARISH.match(mention.text):
            continue  # 「2023和2024年」: a year without its 年
        if (
            mention.kind == "count"
            and mention.chinese_numeral
            and mention.value == 1
            and not any(h.start == mention.end and h.word not in _KIND_NOUNS for h in hits)
        ):
            # 「一家外地网店」「一个大主播」: an article unless a figure word follows at once; a noun that
            # names the applicant (「一家快递公司新设了分拨中心」) keeps it an article.
            continue
        if any(s <= mention.start < e for s, e in hit_spans):
            continue  # the number is part of a figure word: 「两年平均增长」
        clause = _clause_id(breaks, mention.start)
        fact: str | None = None
        trigger: str | None = None
        hit_used: int | None = None

        # 1. the counter's noun right after: 「35间直播间」「6家快递企业」「3个平台」
        if mention.kind in ("count", "number"):
            # an amount (「6000万的带货大主播」) describes the noun after it; only a bare 「300万粉丝」 counts it
            gaps = ("",) if mention.kind == "number" and mention.has_multiplier else ("", "的", "个", "位", "名")
            for i, h in enumerate(hits):
                gap = text[mention.end : h.start] if h.start >= mention.end else None
                if gap is not None and gap in gaps:
                    fact = _pick(aliases[h.word], mention, strict_counter=False)
                    if fact:
                        trigger, hit_used = h.word, i
                    break
        # 2. nearest figure word before it in the same clause
        if fact is None:
            for i in range(len(hits) - 1, -1, -1):
                h = hits[i]
                if h.end > mention.start or _clause_id(breaks, h.start) != clause:
                    continue
                fact = _pick(aliases[h.word], mention, text=text)
                if fact:
                    trigger, hit_used = h.word, i
                    break
        # 3. nearest figure word after it in the same clause: 「1000万的网络零售额」
        if fact is None:
            for i, h in enumerate(hits):
                if h.start < mention.end or _clause_id(breaks, h.start) != clause:
                    continue
                fact = _pick(aliases[h.word], mention, text=text)
                if fact:
                    trigger, hit_used = h.word, i
                    break
        # 4. the previous clause's figure word if it has no number of its own: 「网络零售额呢，大概3000万」
        if fact is None and clause > 0 and _bare_clause(text, breaks, clause, mention):
            for i in range(len(hits) - 1, -1, -1):
                h = hits[i]
                if _clause_id(breaks, h.start) == clause - 1 and i not in used_hits:
                    fact = _pick(aliases[h.word], mention, text=text)
                    if fact:
                        trigger, hit_used = h.word, i
                    break
        # 5. the unit alone
        assumption = None
        if fact is None:
            if mention.kind == "area":
                fact = "usable_area" if entity_kind in _AREA_BY_KIND else "rented_area"
                trigger = mention.unit
                assumption = f"将“{mention.text}”理解为{FACTS[fact].label}"
            elif mention.kind == "count" and (bare := _bare_unit_fact(mention.unit, text)) is not None:
                fact, trigger = bare, mention.unit
        # 6. follow-up: a bare amount replaces the money figure given before; failing that, a bare
        #    number or count replaces the count given before (「现在涨到210万了呢」 after 「80万粉丝」)
        if (
            fact is None
            and previous_facts
            and (mention.kind in ("money", "count") or (mention.kind == "number" and mention.has_multiplier))
        ):
            prior = [
                k
                for k in previous_facts
                if k in FACTS and FACTS[k].type in ("money_yuan", "money_usd") and accepts(k, mention)
            ]
            prior = prior or [
                k for k in previous_facts if k in FACTS and FACTS[k].type == "count" and accepts(k, mention)
            ]
            if prior:
                fact, trigger = prior[-1], "上一问"
                assumption = f"将“{mention.text}”理解为{FACTS[fact].label}（沿用上一问）"
        if fact is None:
            if mention.kind == "duration" and mention.chinese_numeral and mention.value == 1:
                continue  # 「一年多少」「一年能拿」: a period of the award, not a figure
            result.unassigned.append(mention)
            if mention.kind == "money" and mention.unit == "USD":
                result.assumptions.append(f"“{mention.text}”以美元表示，未换算成人民币，也未对应到人民币口径的指标")
            continue

        alias = aliases.get(trigger or "")
        if alias is not None and alias.colloquial:
            assert trigger is not None, "an alias is found only by its trigger word"
            # A colloquial 「销售额」 in a follow-up means whatever sales figure the user gave before.
            family = sales_family()
            prior = [k for k in (previous_facts or {}) if k in family]
            if fact in family and prior and fact not in prior:
                fact = prior[-1]
            elif fact in family and entity_kind == "platform_company":
                fact = "own_platform_sales"
            if (
                trigger in _REVENUE.words
                and fact in family
                and fact not in (previous_facts or {})
                and not says_online(text, entity_kind)
            ):
                # 「食品厂…营收5000万」: the whole business's revenue, not known to be online sales — ask
                result.ask_first.append((mention, trigger, fact))
                continue
            assumption = colloquial_assumption(trigger, fact)
        if fact == "rented_area" and trigger == "面积" and entity_kind in _AREA_BY_KIND:
            fact = "usable_area"
        if hit_used is not None:
            used_hits.add(hit_used)
            h = hits[hit_used]
            start, end = min(h.start, mention.start), max(h.end, mention.end)
        else:
            start, end = mention.start, mention.end
        value = value_for(fact, mention)
        if mention.kind == "percent" and not mention.negative and trigger and _DECREASE.fullmatch(trigger):
            value = -value  # 「下降是20%」: the word that names the figure says it fell
        prior_ev = result.evidence.get(fact)
        if (
            fact in result.facts
            and fact in total_facts()
            and prior_ev is not None
            and _LISTED.search(text, max(0, prior_ev.start - 6), mention.start)
        ):
            # 「两个展会，展位费分别是2.8万元和3.5万元」: parts of one total the rule adds up
            part = value
            value += result.facts[fact]
            note = (
                f"{FACTS[fact].label}按各项合计：{_plain_value(result.facts[fact], fact)}+{_plain_value(part, fact)}"
                f"={_plain_value(value, fact)}"
            )
            start = prior_ev.start
            assumption = note
        elif (
            fact in result.facts
            and fact in accumulating_facts()
            and prior_ev is not None
            and (p1 := _period_of(mentions, breaks, prior_ev.end)) is not None
            and (p2 := _period_of(mentions, breaks, mention.start)) is not None
            and p1.value != p2.value
        ):
            # 「2023年发件量120万件，2024年170万件」: a figure the clauses total over named periods (累计)
            part = value
            value += result.facts[fact]
            note = (
                f"{FACTS[fact].label}按{p1.text}、{p2.text}合计：{_plain_value(result.facts[fact], fact)}+"
                f"{_plain_value(part, fact)}={_plain_value(value, fact)}"
            )
            start = prior_ev.start
            assumption = note
        elif (
            fact in result.facts
            and prior_ev is not None
            and _LISTED.search(text, max(0, prior_ev.start - 6), mention.start)
        ):
            # 「两家企业网络零售额分别是3000万和4000万」: each item's own figure, not one figure said twice
            lo, _ = result.listed.get(fact, (prior_ev.start, prior_ev.end))
            result.listed[fact] = (lo, end)
        elif fact in result.facts:
            result.assumptions.append(f"{FACTS[fact].label}出现了不止一个数值，按最后提到的“{mention.text}”计算")
        if fact in accumulating_facts() and (period := _period_of(mentions, breaks, mention.start)) is not None:
            kept = result.parts.get(fact, {}) if fact in result.facts else {}
            result.parts[fact] = {**kept, int(period.value): value_for(fact, mention)}
        result.facts[fact] = value
        result.evidence[fact] = Evidence(
            text=text[start:end], start=start, end=end, trigger=trigger or "", assumption=assumption
        )
        if assumption and assumption not in result.assumptions:
            result.assumptions.append(assumption)
        if mention.qualifier:
            result.qualifiers[fact] = mention.qualifier
        if mention.approximate and fact not in result.approximate:
            result.approximate.append(fact)
            if mention.upper is not None:
                result.upper[fact] = mention.upper
                result.assumptions.append(f"“{mention.text}”是一个范围，按下限计算{FACTS[fact].label}")
            elif mention.qualifier in ("more_than", "approximately"):
                result.assumptions.append(f"“{mention.text}”是约数，按{_plain(mention)}计算{FACTS[fact].label}")
            elif mention.qualifier == "less_than":
                result.assumptions.append(f"“{text[start:end]}”按未达到{_plain(mention)}计算{FACTS[fact].label}")
    for fact in result.listed:
        result.facts.pop(fact, None)
        result.evidence.pop(fact, None)
        result.parts.pop(fact, None)
    _per_unit_totals(text, breaks, result)
    _accumulate_periods(text, mentions, breaks, result)
    for fact, m in find_zero_figures(text, blocked):
        if fact not in result.facts:
            result.facts[fact] = Decimal(0)
            result.evidence[fact] = Evidence(text=m.group(), start=m.start(), end=m.end(), trigger=m.group())
    for fact, word, (cs, ce) in find_other_senses(text, blocked):
        # 「签了一年的场地租赁合同」 offered where a live-streaming contract is asked: the contract the user has is
        # of another kind, so the one the rule needs is read as absent — said, so the user can correct it
        if fact not in result.facts and FACTS[fact].type == "count":
            note = f"“{text[cs:ce]}”中的{word}不是{FACTS[fact].label}所指的那种，按尚无此项计算"
            result.facts[fact] = Decimal(0)
            result.evidence[fact] = Evidence(text=text[cs:ce], start=cs, end=ce, trigger=word, assumption=note)
            result.other_sense.append((fact, text[cs:ce]))
            if note not in result.assumptions:
                result.assumptions.append(note)
    return result


# 「分别是A和B」「A、B」 listing the parts of one total
_LISTED = re.compile(r"分别")

# 「每个点终端设备费用4万元」: a per-unit amount; 「每个」 + the first character of what is counted.
_PER_UNIT = re.compile(r"每(?P<c>个|家|间|台|套|处|场|次|届)?(?P<noun>[\u4e00-\u9fff])")


def _per_unit_totals(text: str, breaks: list[int], result: FigureResult) -> None:
    """A per-unit amount of a figure the rules read as a total, times the count stated elsewhere
    (「建了10个…快递柜点位，每个点终端设备费用4万元」 → 40万元)."""
    totals = total_facts()
    for fact in [f for f in result.facts if f in totals]:
        ev = result.evidence[fact]
        clause = _clause_id(breaks, ev.start)
        lo = breaks[clause - 1] if clause > 0 else 0
        per = None
        for m in _PER_UNIT.finditer(text, lo, ev.start + 1):
            per = m
        if per is None:
            continue
        counter, noun = per.group("c") or "", per.group("noun")
        for count in result.unassigned:
            if count.kind != "count" or (counter and count.unit != counter) or count.value <= 1:
                continue
            c_clause = _clause_id(breaks, count.end)
            c_end = breaks[c_clause] if c_clause < len(breaks) else len(text)
            window = text[count.end : min(c_end, count.end + 12)]
            # 「30个…快递柜终端，每个点终端设备费用」: what 每个 names may be a word or two further on
            head = text[per.start("noun") : per.start("noun") + 4]
            if noun not in window and not any(head[i : i + 2] in window for i in range(len(head) - 1)):
                continue
            total = result.facts[fact] * count.value
            note = (
                f"按{_plain(count)}×每{counter or ''}{_plain_value(result.facts[fact], fact)}"
                f"={_plain_value(total, fact)}计{FACTS[fact].label}合计"
            )
            result.facts[fact] = total
            result.evidence[fact] = ev.model_copy(update={"assumption": note})
            result.assumptions.append(note)
            result.unassigned.remove(count)
            break


# What may stand beside a number in a clause that only gives the value of the figure named just before it
# (「网络零售额呢，大概3000万」「2024年170万件」).
_FILLER = re.compile(
    r"[\s的了是有呢吧啊约共才就也]|大概|大约|差不多|左右|一共|总共|合计|达到|将近|接近|只有|(?:19|20)\d{2}年度?|今年|去年|前年"
)


def _bare_clause(text: str, breaks: list[int], clause: int, mention: Mention) -> bool:
    """Nothing in the mention's clause but the number and fillers: it may take the previous clause's figure.
    「其中48人和区内企业签了…合同」 says what the 48 are, so it does not."""
    lo = breaks[clause - 1] + 1 if clause > 0 else 0
    hi = breaks[clause] if clause < len(breaks) else len(text)
    rest = _FILLER.sub("", text[lo : mention.start] + text[mention.end : hi])
    return len(rest) <= 1


def _period_of(mentions: list[Mention], breaks: list[int], pos: int) -> Mention | None:
    """The year named in the clause before ``pos`` (「2024年170万件」 → 2024年)."""
    clause = _clause_id(breaks, pos)
    years = [m for m in mentions if m.kind == "year" and m.end <= pos and _clause_id(breaks, m.start) == clause]
    return years[-1] if years else None


def _accumulate_periods(text: str, mentions: list[Mention], breaks: list[int], result: FigureResult) -> None:
    """「2023年本地发件量120万件，2024年170万件」: a figure the clauses total over named periods (lexicon:
    ``accumulates``) given year by year is their sum — said as an assumption. A bare value in a later clause
    joins only when its own clause names another year and says nothing else it could be."""
    for fact in [f for f in result.facts if f in accumulating_facts()]:
        ev = result.evidence[fact]
        first = _period_of(mentions, breaks, ev.start + 1) or _period_of(mentions, breaks, ev.end)
        if first is None:
            continue
        parts, years = [result.facts[fact]], [first]
        for mention in list(result.unassigned):
            if mention.start < ev.end or not accepts(fact, mention):
                continue
            year = _period_of(mentions, breaks, mention.start)
            if year is None or any(y.value == year.value for y in years):
                continue
            clause = _clause_id(breaks, mention.start)
            lo = breaks[clause - 1] + 1 if clause > 0 else 0
            rest = re.sub(r"[\s的了是有]", "", text[lo : year.start] + text[year.end : mention.start])
            if rest:
                continue  # the clause says more than 「<year> <value>」: not this figure's next period
            parts.append(value_for(fact, mention))
            years.append(year)
            result.parts[fact] = {**result.parts.get(fact, {int(first.value): parts[0]}), int(year.value): parts[-1]}
            result.unassigned.remove(mention)
        if len(parts) > 1:
            total = sum(parts, Decimal(0))
            note = (
                f"{FACTS[fact].label}按"
                + "、".join(y.text.rstrip("度") for y in years)
                + "合计："
                + "+".join(_plain_value(p, fact) for p in parts)
                + f"={_plain_value(total, fact)}"
            )
            result.facts[fact] = total
            result.evidence[fact] = ev.model_copy(update={"assumption": note})
            result.assumptions.append(note)


def _plain_value(value: Decimal, fact: str) -> str:
    unit = "元" if FACTS[fact].type == "money_yuan" else (FACTS[fact].unit or "")
    if unit in ("元", "件", "人", "个") and value >= 10_000 and value % 10_000 == 0:
        return f"{(value / 10_000).normalize():f}万{unit}"
    return f"{value.normalize():f}{unit}"


def find_other_senses(text: str, blocked: Sequence[tuple[int, int]] = ()) -> list[tuple[str, str, tuple[int, int]]]:
    """Figure words used in another sense (lexicon other_senses): (fact the word would name, word, clause span)."""
    table = figure_aliases()
    out: list[tuple[str, str, tuple[int, int]]] = []
    for word, senses in OTHER_SENSES.items():
        alias = table.get(word)
        if alias is None:
            continue
        for m in re.finditer(re.escape(word), text):
            if any(s <= m.start() < e for s, e in blocked):
                continue
            cs = max((b.end() for b in _SENSE_CLAUSE.finditer(text, 0, m.start())), default=0)
            ce = b.start() if (b := _SENSE_CLAUSE.search(text, m.end())) else len(text)
            if _context_regex(senses).search(text, cs, ce) and (
                alias.context is None or _context_regex(alias.context).search(text)
            ):
                out.extend((f, word, (cs, ce)) for f in alias.facts if all(f != o[0] for o in out))
    return out


def find_zero_figures(text: str, blocked: Sequence[tuple[int, int]] = ()) -> list[tuple[str, re.Match]]:
    """「没有批发业务」: the figure is stated, and it is zero."""
    out = []
    for pattern, fact in zero_figures():
        for m in re.finditer(pattern, text):
            if not any(s <= m.start() < e for s, e in blocked):
                out.append((fact, m))
    return out


def _plain(mention: Mention) -> str:
    v = mention.value
    if mention.kind in ("money", "number") and v >= 10_000 and v % 10_000 == 0:
        return f"{(v / 10_000).normalize():f}万" + ("美元" if mention.unit == "USD" else "元")
    return f"{v.normalize():f}" + (mention.unit if mention.unit not in ("CNY", "USD") else "")
