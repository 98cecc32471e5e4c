"""One pass over normalised text finding every number with its unit and qualifiers.

A *mention* is a number as the user wrote it (「3000多万元」「粉丝300万」「13个月」「12%」),
classified by the unit that follows it. Deciding which figure it belongs to is
figures.py's job; this module only reads the number itself.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel

from assistant.numerals import normalize_decimal, parse_number

from .vocabulary import NUMBER_WORDS

MentionKind = Literal["money", "count", "area", "percent", "duration", "year", "month", "day", "number"]
Qualifier = Literal["exact", "at_least", "more_than", "less_than", "at_most", "approximately"]


class Mention(BaseModel):
    text: str  # the words that gave the number, e.g. 「3000多万元」
    start: int
    end: int
    value: Decimal  # in base units: yuan, dollars, people, 平方米, percent points, months/years as written
    kind: MentionKind
    unit: str = ""  # canonical unit: CNY, USD, 平方米, %, 年, 月, 天, or the counter (人, 件, 家, 个 …)
    approximate: bool = False
    qualifier: Qualifier | None = None
    upper: Decimal | None = None  # upper end of a range 「2000到3000万」
    has_multiplier: bool = False  # 万/亿/w present: a bare 「3000万」 is money unless context says count
    chinese_numeral: bool = False
    negative: bool = False  # 「下降5%」

    @property
    def months(self) -> Decimal | None:
        """A duration in months (年 × 12); None for other kinds."""
        if self.kind != "duration":
            return None
        if self.unit == "年":
            return normalize_decimal(self.value * 12)
        if self.unit == "月":
            return self.value
        if self.unit == "天":
            return normalize_decimal(self.value / 30)
        return None


_CN = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
_CN_DIGIT = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_TOKEN = rf"(?:{_ARABIC}|[{_CN}])(?:{_ARABIC}|[{_CN}]|点(?=[{_CN_DIGIT}])|(?<=\d)[wWkK](?![A-Za-z]))*"

# Unit alternatives → (kind, canonical unit). Longest first where prefixes collide.
_UNITS: list[tuple[str, MentionKind, str]] = [
    (r"万美元|美元|美金|USD|usd|美刀|刀(?![具片])", "money", "USD"),
    (r"元人民币|元钱|元|块钱|块(?![地头分儿业内])|人民币|RMB|rmb|CNY|圆", "money", "CNY"),
    (r"平方米|平米|平方(?!公里)|m2|㎡|m²", "area", "平方米"),
    (r"个百分点|%", "percent", "%"),
    (r"个半月|个多月(?!少)|个月|月份?(?=以上|以下|左右|多|了|,|。|$|以来)", "duration", "月"),
    (r"年半|年多(?!少)|周年|年(?!度|[\d一二三四五六七八九十]+月|网|销|营|交|出|的网|纳|实)", "duration", "年"),
    (r"天|日(?=以上|以内|左右)", "duration", "天"),
    (r"万粉丝|万粉|粉丝|粉", "count", "粉丝"),
    (r"间|人次|人|名|位|件|单|票|家|户|个|场次|场|次(?!性)|台|所|条|批|项|款|座|栋|层|辆|张|套|村|镇", "count", ""),
]
_UNIT_RE = "|".join(f"(?P<u{i}>{alt})" for i, (alt, _, _) in enumerate(_UNITS))

_NUMBER_RE = re.compile(
    # 「网零6500万」: a 零 before Arabic digits ends a word (网零 = 网络零售额), it does not start the number
    rf"(?<![0-9.第])(?!零[0-9一二两三四五六七八九十])(?P<num>{_TOKEN})(?P<approx>多(?!少)|余|来(?=[万亿元块]))?"
    rf"(?:个(?P<approx2>多)?(?=亿))?"  # 「两个亿」「1个多亿」: spoken 亿 takes a counter
    rf"(?P<mult>[万亿]+|(?<=\d)[wWkK](?![A-Za-z])|(?<=[十百千])[wW](?![A-Za-z]))?"
    rf"(?:\s?(?:{_UNIT_RE}))?(?P<suffix>以上|以下|以内|之内|左右|上下|出头|多(?!少)|余|不到)?"
)
# 「上升两成」「涨了三成」: 成 is tenths; not 成本/成功/成立/成为/成交 …
_TENTHS = re.compile(
    r"(?<![\d一二两三四五六七八九十])(?P<num>[一二两三四五六七八九]|\d(?:\.\d)?)成(?P<half>[一二三四五六七八九](?![\d一二两三四五六七八九十百千万亿]))?(?![本功立为交员果绩都品])"
)
_HALF_YEAR = re.compile(r"(?<![\d零〇一二两三四五六七八九十百个上下前后])半年(?!度|报|内|后|前)")
_PERCENT_WORDS = re.compile(rf"百分之(?P<num>[{_CN}\d.点]+)")
_DATE_YEAR = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s?(?:年度?|[-./](?=\d{1,2}(?!\d)))")
_DATE_YEAR_CN = re.compile(rf"(?P<y>[{_CN_DIGIT}]{{4}})年")
_MONTH = re.compile(r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})月(?!份?以[上下])")

_PREFIX_QUALIFIERS: list[tuple[str, Qualifier, bool]] = [
    ("不低于|不少于|不小于|至少|起码|达到了?|达|满了?|有", "at_least", False),
    ("超过了?|超出|超|过了?|高于|大于|多于|突破了?|逾", "more_than", False),
    ("不到|不足|低于|少于|小于|未满|不满|没到|没有达到|没达到", "less_than", False),
    # 「将近1个亿」「快5000万了」: close to X from below — it has not reached X
    ("将近|接近|差不多到|差不多|近|(?<!最)快要?(?:到|达到)?", "less_than", True),
    ("不超过|最多|至多|不高于", "at_most", False),
    ("大约|大概|约为|约|估计|预计|左右", "approximately", True),
    ("正好是?|刚好是?|恰好是?|整整|刚刚|正是", "exact", False),
]
_PREFIX_RE = re.compile(
    "(?:" + "|".join(f"(?P<p{i}>{alt})" for i, (alt, _, _) in enumerate(_PREFIX_QUALIFIERS)) + r")(?:是|为|了)?\s?$"
)
_SUFFIX_QUALIFIERS: dict[str, tuple[Qualifier, bool]] = {
    "以上": ("at_least", False),
    "以下": ("at_most", False),
    "以内": ("at_most", False),
    "之内": ("at_most", False),
    "左右": ("approximately", True),
    "上下": ("approximately", True),
    "出头": ("more_than", True),
    "多": ("more_than", True),
    "余": ("more_than", True),
    "不到": ("less_than", True),
}
_NEGATIVE_BEFORE = re.compile(r"(?:下降|减少|下滑|降低|负增长|负)了?\s?$")
_RANGE_JOIN = re.compile(r"\s?(?:-|~|～|到|至|—)\s?")
# A lone Chinese 「一」 before a counter is an article (「开了一家直播公司」), not a count.
_ARTICLE_BEFORE = re.compile(r"(?:开了|开|有|是|办了|注册了|成立了|这|那|某|哪)$")


def _unit_of(match: re.Match) -> tuple[MentionKind, str] | None:
    for i, (_, kind, unit) in enumerate(_UNITS):
        text = match.group(f"u{i}")
        if text:
            return kind, (unit or text)
    return None


@lru_cache(maxsize=2048)
def _parse_cached(token: str) -> Decimal | None:
    return parse_number(token)


def _prefix(text: str, start: int) -> tuple[Qualifier | None, bool]:
    m = _PREFIX_RE.search(text, max(0, start - 8), start)
    if not m:
        return None, False
    for i, (_, qualifier, approx) in enumerate(_PREFIX_QUALIFIERS):
        if m.group(f"p{i}"):
            return qualifier, approx
    return None, False


_SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?[eE][+-]?\d+")


def scan_numbers(text: str) -> list[Mention]:
    """Every number in ``text`` (already normalised) with unit, value and qualifiers, in order."""
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], **fields: Any) -> None:
        """A mention of the whole match; its span is taken (later, looser patterns skip it)."""
        mentions.append(Mention(text=m.group(), start=m.start(), end=m.end(), **fields))
        taken.append((m.start(), m.end()))

    # Years and months first: 「2022年5月」 must not become a duration of 2022 years.
    for m in _DATE_YEAR.finditer(text):
        add(m, value=Decimal(m.group("y")), kind="year", unit="年")
    for m in _DATE_YEAR_CN.finditer(text):
        value = parse_number(m.group("y"))
        if value is not None and 1900 <= value <= 2100:
            add(m, value=value, kind="year", unit="年", chinese_numeral=True)
    for m in _MONTH.finditer(text):
        if any(s <= m.start() < e for s, e in taken) or (m.start() > 0 and text[m.start() - 1] == "个"):
            continue
        before = text[max(0, m.start() - 6) : m.start()]
        value = parse_number(m.group("m"))
        # A month needs a year (or 今年/去年) right before it; 「5月」 alone is still a month of this year.
        if value is not None and 1 <= value <= 12 and not re.search(r"[个]$", before):
            add(m, value=value, kind="month", unit="月")

    for m in _PERCENT_WORDS.finditer(text):
        value = parse_number(m.group("num").rstrip("点"))
        if value is not None:
            add(m, value=value, kind="percent", unit="%", chinese_numeral=True)

    for m in _TENTHS.finditer(text):
        value = parse_number(m.group("num"))
        if value is not None and not any(s <= m.start() < e for s, e in taken):
            if m.group("half"):  # 「八成五」: eight and a half tenths, 85%
                value = value + (parse_number(m.group("half")) or Decimal(0)) / 10
            add(
                m,
                value=normalize_decimal(value * 10),
                kind="percent",
                unit="%",
                chinese_numeral=not m.group("num")[0].isdigit(),
            )

    for word, figure in NUMBER_WORDS.items():
        # 「一个小目标」: a spoken amount (lexicon number_words), read as the figure it stands for
        for m in re.finditer(re.escape(word), text):
            value = parse_number(figure)
            if value is not None and not any(s <= m.start() < e for s, e in taken):
                add(
                    m,
                    value=value,
                    kind="number",
                    has_multiplier=True,
                    chinese_numeral=True,
                    approximate=True,
                    qualifier="approximately",
                )

    for m in _HALF_YEAR.finditer(text):
        # 「社保交了半年」: a duration with no digit (「一年半」 is read with its number below)
        add(m, value=Decimal("0.5"), kind="duration", unit="年", chinese_numeral=True)

    for m in _SCIENTIFIC.finditer(text):
        # 「1e30元」: nobody states a figure that way; reading its exponent as 30元 would be a misread, so none of
        # it is read (the answer asks for the figure instead)
        taken.append((m.start(), m.end()))

    for m in _NUMBER_RE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        token = m.group("num")
        if token[0] in "十百千万亿拾佰仟" and not token.startswith("十"):
            continue  # 「千万不要」「百度」「万一」: no digit before the unit
        if token[0] not in "0123456789" and not any(ch in _CN_DIGIT or ch == "十" for ch in token):
            continue
        mult = m.group("mult") or ""
        value = _parse_cached(token + mult.replace("w", "万").replace("W", "万").replace("k", "千").replace("K", "千"))
        if value is None:
            continue
        unit = _unit_of(m)
        chinese = token[0] not in "0123456789"
        has_mult = (
            bool(mult) or any(ch in "万亿" for ch in token) or (not chinese and any(ch in "wWkK千" for ch in token))
        )
        if (
            unit is None
            and not has_mult
            and m.start() > 0
            and text[m.start() - 1].isascii()
            and text[m.start() - 1].isalpha()
        ):
            continue  # 「MP4」「H5」: part of a name, not a figure
        kind, unit_name = unit if unit else ("number", "")
        unit_text = next((m.group(f"u{i}") for i in range(len(_UNITS)) if m.group(f"u{i}")), "") or ""
        if unit_text.startswith("万") and kind in ("money", "count"):
            value *= 10_000  # 「150万美元」 tokenised as 150 + 万美元; 「300万粉」 likewise
            has_mult = True
        if (
            kind == "count"
            and chinese
            and value == 1
            and _ARTICLE_BEFORE.search(text, max(0, m.start() - 3), m.start())
        ):
            continue
        if kind == "count" and unit_name in ("村", "镇") and chinese:
            continue  # 「三村」「五镇」 are names more often than counts
        if kind == "number" and chinese and not has_mult and value < 10 and len(token) == 1:
            continue  # 「一直」「五统一」: a lone Chinese digit without unit carries no figure
        if kind == "duration" and unit_text in ("年半", "个半月"):
            value += Decimal("0.5")
        qualifier, approx = _prefix(text, m.start())
        approximate = approx
        if m.group("approx") or m.group("approx2") or unit_text in ("年多", "个多月"):
            qualifier, approximate = "more_than", True
        suffix = m.group("suffix")
        if suffix:
            qualifier, s_approx = _SUFFIX_QUALIFIERS[suffix]
            approximate = approximate or s_approx
        negative = bool(_NEGATIVE_BEFORE.search(text, max(0, m.start() - 6), m.start())) and kind == "percent"
        mentions.append(
            Mention(
                text=m.group(),
                start=m.start(),
                end=m.end(),
                value=normalize_decimal(value),
                kind=kind,
                unit=unit_name,
                approximate=approximate,
                qualifier=qualifier,
                has_multiplier=has_mult,
                chinese_numeral=chinese,
                negative=negative,
            )
        )
    mentions.sort(key=lambda x: x.start)
    return _merge_ranges(text, mentions)


def _merge_ranges(text: str, mentions: list[Mention]) -> list[Mention]:
    """「2000到3000万」「2000-3000万元」: keep the lower end, mark approximate, remember the upper end."""
    out: list[Mention] = []
    for mention in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == "number"
            and mention.kind in ("money", "number", "count", "area", "percent")
            and _RANGE_JOIN.fullmatch(text[prev.end : mention.start])
        ):
            scale = Decimal(1)
            if mention.has_multiplier and not prev.has_multiplier:
                # the multiplier written once applies to both ends: 2000-3000万
                tail = re.search(r"(亿|万|[wW])", mention.text)
                scale = Decimal(100_000_000) if tail and tail.group() == "亿" else Decimal(10_000)
            lower = normalize_decimal(prev.value * scale)
            out[-1] = mention.model_copy(
                update={
                    "text": text[prev.start : mention.end],
                    "start": prev.start,
                    "value": lower,
                    "upper": mention.value,
                    "approximate": True,
                    "qualifier": "approximately",
                }
            )
            continue
        out.append(mention)
    return out
