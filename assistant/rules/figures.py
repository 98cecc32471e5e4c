"""Chinese figures: 「3000万元」「7.5万」「100万美元」「30%」「2000平方米」「两年」 ↔ Decimal + unit.

Rule files write figures as the policy text writes them; this module turns them
into exact Decimals (never float) and finds the same figures in a quoted clause
so the provenance check can compare the two.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..money import format_yuan, plain_decimal
from ..numerals import parse_int

# Canonical units. Money is always 元 or 美元; counts keep their measure word.
MONEY_UNITS = {"元": "元", "美元": "美元"}
PERCENT = "%"
# Spelling variants → canonical unit.
UNIT_ALIASES = {
    "元": "元", "美元": "美元", "%": "%", "％": "%",
    "平方米": "平方米", "平米": "平方米", "㎡": "平方米", "m²": "平方米", "m2": "平方米",
    "家": "家", "个": "个", "人": "人", "名": "名", "位": "位", "间": "间", "件": "件", "户": "户",
    "场": "场", "次": "次", "月": "月", "个月": "月", "年": "年", "周年": "年", "天": "天", "日": "天",
    "单": "件", "票": "件",
}
# Longest first so 「个月」 wins over 「个」 and 「美元」 over 「元」.
_UNIT_RE = "|".join(sorted((re.escape(u) for u in UNIT_ALIASES), key=len, reverse=True))
_MULT = {"": Decimal(1), "十": Decimal(10), "百": Decimal(100), "千": Decimal(1000), "万": Decimal(10_000),
         "十万": Decimal(100_000), "百万": Decimal(1_000_000), "千万": Decimal(10_000_000), "亿": Decimal(100_000_000)}
_MULT_RE = "千万|百万|十万|万|亿|千|百"
# Words that stand for a figure in these texts.
WORD_FIGURES = {"全额": (Decimal(100), "%"), "减半": (Decimal(50), "%"), "一半": (Decimal(50), "%")}

# Chinese numerals below 千 (千/万/亿 are read as the multiplier); assistant.numerals reads them.
_CN_NUM_RE = "[零〇一二两三四五六七八九十百]+"


class FigureError(ValueError):
    pass


@dataclass(frozen=True)
class Figure:
    """An exact quantity: ``value`` in base units (元, not 万元) and a canonical unit ('' when unstated)."""

    value: Decimal
    unit: str
    text: str = ""

    def same_quantity(self, other: "Figure") -> bool:
        return self.value == other.value and self.unit == other.unit

    def __str__(self) -> str:
        return self.text or f"{self.value}{self.unit}"


_FIG_RE = re.compile(
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
    m = _FIG_RE.fullmatch(s)
    if not m:
        raise FigureError(f"无法识别的数额：{raw!r}（应写作政策原文的样子，如「3000万元」「30%」「2000平方米」）")
    return _figure_from_match(m, default_unit, raw)


def _figure_from_match(m: re.Match, default_unit: str, raw: str) -> Figure:
    num = m.group("num")
    if num[0].isdigit():
        try:
            value = Decimal(num.replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - regex guarantees digits
            raise FigureError(f"无法识别的数额：{raw!r}") from exc
    else:
        n = parse_int(num)
        if n is None:
            raise FigureError(f"无法识别的数额：{raw!r}")
        value = Decimal(n)
    value *= _MULT[m.group("mult") or ""]
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


# --- finding figures in a quote -------------------------------------------------------------

_LIST_SEP = "、,，和及与或至到"


def figures_in(text: str) -> list[Figure]:
    """Every figure stated in ``text``; list members without a unit share the next stated unit.

    「5万元、10万元、20万元」, 「2万元、5万、7.5万、10万元」 (5万 → 元), 「3万元、6万元」.
    Chinese numerals count only with a unit (「两年」「一个」), so 「一次性」 is not a figure.
    """
    s = re.sub(r"\s+", "", text)
    found: list[tuple[int, int, re.Match]] = []
    for m in _FIG_RE.finditer(s):
        num = m.group("num")
        if not num[0].isdigit() and not m.group("unit") and not m.group("mult"):
            continue
        if not num[0].isdigit() and parse_int(num) is None:
            continue
        found.append((m.start(), m.end(), m))
    figs: list[Figure] = []
    pending: list[re.Match] = []  # unitless figures waiting for the list's trailing unit
    prev_end = -1
    for start, end, m in found:
        if pending and (start - prev_end > 2 or any(ch not in _LIST_SEP for ch in s[prev_end:start])):
            figs.extend(_figure_from_match(p, "", p.group(0)) for p in pending)
            pending = []
        if m.group("unit"):
            fig = _figure_from_match(m, "", m.group(0))
            figs.append(fig)
            figs.extend(_figure_from_match(p, fig.unit, p.group(0)) for p in pending)
            pending = []
        else:
            pending.append(m)
        prev_end = end
    figs.extend(_figure_from_match(p, "", p.group(0)) for p in pending)
    for word, (v, u) in WORD_FIGURES.items():
        if word in s:
            figs.append(Figure(v, u, word))
    return figs


_DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def dates_in(text: str) -> list[dt.date]:
    s = re.sub(r"\s+", "", text)
    out = []
    for y, mth, d in _DATE_RE.findall(s):
        try:
            out.append(dt.date(int(y), int(mth), int(d)))
        except ValueError:
            continue
    return out


def years_in(text: str) -> list[int]:
    s = re.sub(r"\s+", "", text)
    return [int(y) for y in re.findall(r"(\d{4})年", s)]


# --- formatting --------------------------------------------------------------------------------
# format_yuan is assistant.money's, imported above and re-exported for rules/engine.py and
# dialogue/compose.py; new code imports assistant.money directly.


def format_figure(value: Decimal, unit: str) -> str:
    """A figure as policy texts write it: 30%, 7.5万元, 2000平方米, 300万件 (the scaling of assistant.money)."""
    if unit == PERCENT:
        return f"{plain_decimal(value)}%"
    return format_yuan(value, unit)


def to_json_number(d: Decimal | None) -> int | float | None:
    """Decimal → JSON number: int when whole, else float of the exact decimal string (only at the edge)."""
    if d is None:
        return None
    if d == d.to_integral_value():
        return int(d)
    return float(str(d))


@dataclass(frozen=True)
class FigureSpan:
    """A figure and where it is written: ``text[start:end]``."""

    start: int
    end: int
    figure: Figure


def figure_spans(text: str) -> list[FigureSpan]:
    """Like ``figures_in`` but in text order and with positions (no whitespace removed): list members without a
    unit take the list's trailing unit (「5万、7.5万、10万元」)."""
    found = []
    for m in _FIG_RE.finditer(text):
        num = m.group("num")
        if not num[0].isdigit() and (not m.group("unit") and not m.group("mult") or parse_int(num) is None):
            continue
        if text[m.end():m.end() + 1] == "性":  # 「一次性」
            continue
        found.append(m)
    out: list[FigureSpan | None] = []
    pending: list[int] = []  # indices into out waiting for a unit
    prev_end = -1
    for m in found:
        if pending and (m.start() - prev_end > 2 or any(ch not in _LIST_SEP for ch in text[prev_end:m.start()])):
            pending = []
        if m.group("unit"):
            fig = _figure_from_match(m, "", m.group(0))
            for i in pending:
                p = out[i]
                assert p is not None
                out[i] = FigureSpan(p.start, p.end, Figure(p.figure.value, fig.unit, p.figure.text))
            pending = []
            out.append(FigureSpan(m.start(), m.end(), fig))
        else:
            out.append(FigureSpan(m.start(), m.end(), _figure_from_match(m, "", m.group(0))))
            pending.append(len(out) - 1)
        prev_end = m.end()
    return [s for s in out if s is not None]
