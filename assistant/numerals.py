"""The product's one numeral parser: Chinese, Arabic and mixed numerals → exact Decimal.

三千万, 1.5亿, 一千二百万, 3万5, 二零二三, 500w, 1,200万, full-width ３０００. Every layer reads numbers
here: the question parser (nlu.mentions), rule figures (rules.figures), clause numbering (clauses),
BM25 query rewriting (retrieval.numerals). It also reads one figure with its unit as rule files and fact values write it
(「3000万元」「30%」「两年」 → :class:`Figure`); rules.figures finds such figures in quoted clause text.
tests/units/test_numerals.py pins its outputs.

Own parser rather than a dependency: the forms users type are few, and we need
Decimal (never float) and the colloquial elisions (一万五 = 15000, 两千五 = 2500).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "幺": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    # financial (大写) forms
    "壹": 1,
    "贰": 2,
    "叁": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}
# Latin shorthands users type after digits: 500w = 500万, 3k = 3千.
LATIN_MULTIPLIERS: dict[str, str] = {"w": "万", "W": "万", "k": "千", "K": "千"}

NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS) + "点"
_ARABIC = re.compile(r"\d+(?:\.\d+)?")


def _tokens(text: str) -> list[tuple[str, Decimal | int | None]] | None:
    """Split into ('num', Decimal) / ('unit', n) / ('big', n) / ('zero', 0) tokens; None if unparseable."""
    out: list[tuple[str, Decimal | int | None]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        m = _ARABIC.match(text, i)
        if m:
            out.append(("num", Decimal(m.group())))
            i = m.end()
            continue
        if ch in ("点", ".") and out and out[-1][0] == "num":
            # 三点五: decimal digits follow one by one
            j = i + 1
            digits = ""
            while j < len(text) and text[j] in CN_DIGITS:
                digits += str(CN_DIGITS[text[j]])
                j += 1
            if not digits:
                return None
            whole = out[-1][1]
            out[-1] = ("num", Decimal(f"{whole}.{digits}"))
            i = j
            continue
        if ch in CN_DIGITS:
            value = CN_DIGITS[ch]
            out.append(("zero", 0) if value == 0 else ("num", Decimal(value)))
        elif ch in SMALL_UNITS:
            out.append(("unit", SMALL_UNITS[ch]))
        elif ch in BIG_UNITS:
            out.append(("big", BIG_UNITS[ch]))
        elif ch in LATIN_MULTIPLIERS:
            out.append(
                ("big" if LATIN_MULTIPLIERS[ch] == "万" else "unit", 10_000 if LATIN_MULTIPLIERS[ch] == "万" else 1000)
            )
        elif ch == ",":
            pass
        else:
            return None
        i += 1
    return out


def _below_wan(tokens: list) -> Decimal | None:
    """Value of a section without 万/亿: 一千二百三十四, 3千, 1200, 一千零五, 一千二 (=1200)."""
    acc = Decimal(0)
    cur: Decimal | None = None
    last_unit: int | None = None
    zero_after_unit = False
    for kind, val in tokens:
        if kind == "num":
            if cur is not None:
                return None  # two numbers in a row ("3 5") is not a numeral
            cur = val
        elif kind == "zero":
            zero_after_unit = True
        elif kind == "unit":
            if last_unit is not None and val >= last_unit:
                return None  # 十十, 百十, 千千: units only descend within a section
            acc += (cur if cur is not None else Decimal(1)) * val
            last_unit, cur, zero_after_unit = val, None, False
    if cur is not None:
        if last_unit and last_unit > 10 and not zero_after_unit:
            acc += cur * last_unit / 10  # elision: 一千二 = 1200, 两百五 = 250
        else:
            acc += cur
    return acc


def _section(tokens: list) -> Decimal | None:
    """Value of tokens possibly containing 万 and 亿 (split at the last big unit, recursively)."""
    for big in (100_000_000, 10_000):
        idx = max((i for i, (k, v) in enumerate(tokens) if k == "big" and v == big), default=None)
        if idx is None:
            continue
        left, right = tokens[:idx], tokens[idx + 1 :]
        left_val = _section(left) if left else Decimal(1)
        if left_val is None:
            return None
        if not right:
            return left_val * big
        # 一万五 / 3万5 / 1亿2: a lone trailing digit counts in tenths of the big unit
        if len(right) == 1 and right[0][0] == "num" and right[0][1] < 10 and right[0][1] == int(right[0][1]):
            return left_val * big + right[0][1] * big / 10
        right_val = _section(right)
        if right_val is None:
            return None
        return left_val * big + right_val
    return _below_wan(tokens)


# Nothing a question states is longer or larger; the bounds keep Decimal exact (28 digits) and the
# recursion shallow on hostile input such as 「万万万…」.
MAX_NUMERAL_CHARS = 32
_THOUSANDS_GROUPED = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d,])")
MAX_VALUE = Decimal(10) ** 26


def parse_number(text: str) -> Decimal | None:
    """Parse one numeral (Arabic, Chinese, or mixed with 十百千万亿/w/k); None if it is not one."""
    if not text or len(text) > MAX_NUMERAL_CHARS:
        return None
    # NFKC: full-width digits and punctuation (３０００, １．５, ３，０００) read as their ASCII forms
    text = unicodedata.normalize("NFKC", text).strip()
    # Grouped Arabic digits (30,000,000; 4,321.9万): a comma is a thousands separator only between a
    # 1-3 digit head and groups of exactly three digits; any other comma separates two numbers.
    text = _THOUSANDS_GROUPED.sub(lambda m: m.group().replace(",", ""), text)
    if "," in text:
        return None
    # Digit-by-digit readings: 二零二三 → 2023 (only digits, no units)
    if len(text) >= 2 and all(ch in CN_DIGITS for ch in text) and any(CN_DIGITS[ch] == 0 for ch in text):
        return Decimal("".join(str(CN_DIGITS[ch]) for ch in text))
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        value = Decimal(text)
        return normalize_decimal(value) if value <= MAX_VALUE else None
    try:
        tokens = _tokens(text)
    except InvalidOperation:
        return None
    if not tokens:
        return None
    if tokens[0][0] == "zero" and len(tokens) > 1:
        tokens = tokens[1:]
    if len(tokens) == 1 and tokens[0][0] == "zero":
        return Decimal(0)
    try:
        total = _section(tokens)
    except (InvalidOperation, RecursionError):
        return None
    if total is None or total > MAX_VALUE:
        return None
    return normalize_decimal(total)


def normalize_decimal(value: Decimal) -> Decimal:
    """Drop a meaningless exponent/trailing zeros so 1.5亿 == Decimal(150000000)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def parse_int(text: str) -> int | None:
    """A whole number written alone (「两」「十二」「二十一」「一百零五」「3」), for counts and clause labels;
    None if ``text`` is not a numeral or not whole (「七点五」)."""
    value = parse_number(text)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


# --- one figure with its unit, as rule files and fact values write it ------------------------------

# Canonical units. Money is always 元 or 美元; counts keep their measure word.
MONEY_UNITS = {"元": "元", "美元": "美元"}
PERCENT = "%"
# Spelling variants → canonical unit.
UNIT_ALIASES = {
    "元": "元",
    "美元": "美元",
    "%": "%",
    "％": "%",
    "平方米": "平方米",
    "平米": "平方米",
    "㎡": "平方米",
    "m²": "平方米",
    "m2": "平方米",
    "家": "家",
    "个": "个",
    "人": "人",
    "名": "名",
    "位": "位",
    "间": "间",
    "件": "件",
    "户": "户",
    "场": "场",
    "次": "次",
    "月": "月",
    "个月": "月",
    "年": "年",
    "周年": "年",
    "天": "天",
    "日": "天",
    "单": "件",
    "票": "件",
}
# Longest first so 「个月」 wins over 「个」 and 「美元」 over 「元」.
_UNIT_RE = "|".join(sorted((re.escape(u) for u in UNIT_ALIASES), key=len, reverse=True))
_MULT_RE = "千万|百万|十万|万|亿|千|百"
# Words that stand for a figure in these texts.
WORD_FIGURES = {"全额": (Decimal(100), "%"), "减半": (Decimal(50), "%"), "一半": (Decimal(50), "%")}

# Chinese numerals below 千 (千/万/亿 are read as the multiplier), read by parse_int.
_CN_NUM_RE = "[零〇一二两三四五六七八九十百]+"


class FigureError(ValueError):
    pass


@dataclass(frozen=True)
class Figure:
    """An exact quantity: ``value`` in base units (元, not 万元) and a canonical unit ('' when unstated)."""

    value: Decimal
    unit: str
    text: str = ""

    def same_quantity(self, other: Figure) -> bool:
        return self.value == other.value and self.unit == other.unit

    def __str__(self) -> str:
        return self.text or f"{self.value}{self.unit}"


FIGURE_RE = re.compile(
    rf"(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?|{_CN_NUM_RE})\s*(?P<mult>{_MULT_RE})?\s*(?P<unit>{_UNIT_RE})?"
)


def parse_figure(text: str | int | float | Decimal, default_unit: str = "") -> Figure:
    """Parse one figure as written: 「3000万元」「7.5万」「0.5万元」「1亿元」「30%」「全额」「2000平方米」「12个月」「两年」.

    A figure without a unit (「5万」 in 「5万、7.5万、10万元」) takes ``default_unit``.
    Bare numbers are accepted (the unit is then ``default_unit``).
    """
    if isinstance(text, bool):
        raise FigureError(f"不是数值：{text!r}")
    if isinstance(text, (int, Decimal)):
        return Figure(canonical(Decimal(text)), default_unit, str(text))
    if isinstance(text, float):
        return Figure(canonical(Decimal(str(text))), default_unit, str(text))
    raw = str(text).strip()
    s = raw.replace("，", ",").replace(" ", "")
    if s in WORD_FIGURES:
        v, u = WORD_FIGURES[s]
        return Figure(v, u, raw)
    s = s.removeprefix("每").removesuffix("以上").removesuffix("及以上")
    m = FIGURE_RE.fullmatch(s)
    if not m:
        raise FigureError(f"无法识别的数额：{raw!r}（应写作政策原文的样子，如「3000万元」「30%」「2000平方米」）")
    return figure_from_match(m, default_unit, raw)


def figure_from_match(m: re.Match, default_unit: str, raw: str) -> Figure:
    """The Figure of a FIGURE_RE match: its number and multiplier read by :func:`parse_number`."""
    value = parse_number(m.group("num") + (m.group("mult") or ""))
    if value is None:
        raise FigureError(f"无法识别的数额：{raw!r}")
    unit = UNIT_ALIASES.get(m.group("unit") or "", default_unit)
    return Figure(canonical(value), unit, raw)


def canonical(value: Decimal) -> Decimal:
    """Decimal without exponent noise: 1E+5 → 100000. NaN and infinities are not figures (FigureError)."""
    if not value.is_finite():
        raise FigureError(f"不是有限的数值：{value}")
    if value == value.to_integral_value():
        # int() is exact at any size; quantize() would fail past the context's 28 digits.
        return Decimal(int(value))
    return value.normalize()
