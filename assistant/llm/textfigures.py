"""Read figures, clause references, policy titles and quotes out of free Chinese text.

The guard compares what a language model wrote with what the engine said; both sides
are read by the same functions here so that 「20万元」「二十万元」「200,000元」「0.2亿」
all become the same figure. Figures are found with the NLU scanner
(assistant.nlu.mentions), after a little tidying that the scanner does not need for
questions but a model's prose does (「20 万」, 「1,200万元」).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from assistant.nlu.mentions import Mention, scan_numbers
from assistant.numerals import normalize_decimal, parse_number
from assistant.textnorm import normalize

# What a figure measures. ``any`` is a number written without a unit (「5万」「31」):
# it may stand for any measure, so it is compared by value alone.
Dimension = Literal["money", "usd", "percent", "year", "duration", "calendar", "count", "any"]


class TextFigure(BaseModel):
    text: str
    value: Decimal
    dim: Dimension
    start: int
    end: int


# --- tidying ----------------------------------------------------------------------------------

_CN_NUM = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
# 「20 万」「3000 万元」「30 %」: a space between a number and its multiplier or unit.
_SPACE_BEFORE_UNIT = re.compile(rf"(?<=[\d{_CN_NUM}])\s+(?=[万亿千百元%块美个年月平])")
# 「1,200万元」「200,000元」: digit grouping (the scanner misses grouping before 万).
_GROUPING = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# List numbering at a line start (「1. 」「2、」「(3)」) is layout, not a figure.
_LIST_MARKER = re.compile(r"(?m)^[ \t]*(?:[-*•]\s*)?(?:\d{1,2}[.、)](?!\d)|\(\d{1,2}\))\s*")


def tidy(text: str) -> str:
    """NFKC/simplified normalisation plus the joins the scanner needs. Length changes: use the result only."""
    s = normalize(text or "")
    s = _GROUPING.sub("", s)
    s = _SPACE_BEFORE_UNIT.sub("", s)
    return s


def blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Replace spans with spaces (positions stay valid)."""
    chars = list(text)
    for s, e in spans:
        for i in range(max(0, s), min(e, len(chars))):
            chars[i] = " "
    return "".join(chars)


# --- figures ----------------------------------------------------------------------------------


def _dim(m: Mention) -> tuple[Dimension, Decimal]:
    if m.kind == "money":
        return ("usd" if m.unit == "USD" else "money"), m.value
    if m.kind == "percent":
        return "percent", m.value
    if m.kind == "year":
        return "year", m.value
    if m.kind == "duration":
        months = m.months
        return "duration", months if months is not None else m.value
    if m.kind in ("month", "day"):
        return "calendar", m.value
    if m.kind in ("count", "area"):
        return "count", m.value
    return "any", m.value


# Digits the scanner did not claim (a safety net: no digit may escape the comparison).
_LOOSE_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def figures_of(text: str) -> list[TextFigure]:
    """Every figure in already tidied ``text``: the scanner's mentions, both ends of a range, and any
    leftover digits as unit-less figures."""
    text = _LIST_MARKER.sub(lambda m: " " * len(m.group()), text)
    out: list[TextFigure] = []
    claimed: list[tuple[int, int]] = []
    for m in scan_numbers(text):
        dim, value = _dim(m)
        out.append(TextFigure(text=m.text, value=normalize_decimal(value), dim=dim, start=m.start, end=m.end))
        if m.upper is not None:
            upper = m.upper
            if dim == "duration" and m.unit == "年":
                upper = upper * 12
            out.append(TextFigure(text=m.text, value=normalize_decimal(upper), dim=dim, start=m.start, end=m.end))
        claimed.append((m.start, m.end))
    rest = blank(text, claimed)
    for d in _LOOSE_DIGITS.finditer(rest):
        out.append(
            TextFigure(
                text=d.group(), value=normalize_decimal(Decimal(d.group())), dim="any", start=d.start(), end=d.end()
            )
        )
    out.sort(key=lambda f: f.start)
    return out


class FigureSet:
    """Figures allowed in a rewrite, by dimension; unit-less figures match any dimension."""

    def __init__(self) -> None:
        self.by_dim: dict[str, set[Decimal]] = {}

    def add(self, value: Decimal | int | float | None, dim: Dimension = "any") -> None:
        if value is None or isinstance(value, bool):
            return
        v = normalize_decimal(Decimal(str(value)))
        self.by_dim.setdefault(dim, set()).add(v)

    def add_text(self, text: str) -> None:
        for f in figures_of(tidy(text)):
            self.add(f.value, f.dim)

    def all_values(self) -> set[Decimal]:
        return set().union(*self.by_dim.values()) if self.by_dim else set()

    def allows(self, fig: TextFigure) -> bool:
        if fig.dim == "any":
            return fig.value in self.all_values()
        return fig.value in self.by_dim.get(fig.dim, set()) or fig.value in self.by_dim.get("any", set())


# --- clause references ------------------------------------------------------------------------

_CN_SMALL = "一二三四五六七八九十百零〇两"
# Order matters: the longest forms first, each blanked before the next is looked for.
_CLAUSE_PATTERNS = [
    re.compile(rf"第([\d{_CN_SMALL}]+)条(?:第([\d{_CN_SMALL}]+)款)?(?:第([\d{_CN_SMALL}]+)项)?"),
    re.compile(rf"([{_CN_SMALL}]+)\(([{_CN_SMALL}]+)\)(\d+)?"),
    re.compile(rf"\(([{_CN_SMALL}]+)\)(\d+)?"),
]


class ClauseRef(BaseModel):
    text: str
    key: str  # canonical: 第六条 → 6, 三（四）2 → 3(4)2, （八） → (8)
    start: int
    end: int


def _num(s: str) -> str:
    v = parse_number(s)
    return str(int(v)) if v is not None else s


def clause_key(clause_id: str) -> str:
    """Canonical key of a clause id as the rulebook writes it (六, 三（四）2, （八）, 二（一）)."""
    s = normalize(clause_id).replace(" ", "")
    if s and all(ch in _CN_SMALL or ch.isdigit() for ch in s):
        return _num(s)
    refs = clause_refs(s)
    if len(refs) == 1 and refs[0].start == 0 and refs[0].end == len(s):
        return refs[0].key
    return s


def clause_refs(text: str) -> list[ClauseRef]:
    """Every clause named in tidied ``text``: 第六条, 第二条第三款, 三（一）3, （八）."""
    found: list[ClauseRef] = []
    work = text
    for i, pattern in enumerate(_CLAUSE_PATTERNS):
        for m in pattern.finditer(work):
            g = [x for x in m.groups()]
            if i == 0:
                key = _num(g[0]) + "".join(f"({_num(x)})" for x in g[1:] if x)
            elif i == 1:
                key = f"{_num(g[0])}({_num(g[1])}){g[2] or ''}"
            else:
                key = f"({_num(g[0])}){g[1] or ''}"
            found.append(ClauseRef(text=m.group(), key=key, start=m.start(), end=m.end()))
        work = blank(work, [(r.start, r.end) for r in found])
    found.sort(key=lambda r: r.start)
    return found


def clause_allowed(key: str, cited: Iterable[str]) -> bool:
    """A reference is allowed when it is a cited clause or a part of one at a component boundary
    (「（四）2」「三」 of a cited 「三（四）2」)."""
    for c in cited:
        if c == key:
            return True
        start = c.find(key)
        while start != -1:
            end = start + len(key)
            # a digit may not be cut off a number: 「3」 is not part of 「(34)」, 「(4)2」 is part of 「3(4)2」
            before_ok = start == 0 or not (c[start - 1].isdigit() and key[0].isdigit())
            after_ok = end == len(c) or not (c[end].isdigit() and key[-1].isdigit())
            if before_ok and after_ok:
                return True
            start = c.find(key, start + 1)
    return False


# --- titles and quotes ------------------------------------------------------------------------

_TITLE = re.compile(r"《([^《》]{2,120})》")
_QUOTE = re.compile(r"「([^「」]{1,2000})」|“([^“”]{1,2000})”|『([^『』]{1,2000})』|\"([^\"]{1,2000})\"")
_ELLIPSIS = re.compile(r"…+|\.{3,}|⋯+")
_PUNCT = re.compile(r"[\s,，。.;；:：、!！?？'\"“”‘’「」『』()（）\-—]")


class Quoted(BaseModel):
    text: str  # the quote's content
    start: int  # span of the whole quote, marks included
    end: int


def titles_in(text: str) -> list[Quoted]:
    return [Quoted(text=m.group(1), start=m.start(), end=m.end()) for m in _TITLE.finditer(text)]


def quotes_in(text: str) -> list[Quoted]:
    out = []
    for m in _QUOTE.finditer(text):
        content = next(g for g in m.groups() if g is not None)
        out.append(Quoted(text=content, start=m.start(), end=m.end()))
    return out


def squeeze(text: str) -> str:
    """Text reduced to what a faithful quote must keep: no spaces or punctuation."""
    return _PUNCT.sub("", tidy(text))


def quote_found_in(quote: str, sources: Iterable[str]) -> bool:
    """True when every part of ``quote`` (split at ellipses) stands in one source, in order."""
    parts = [squeeze(p) for p in _ELLIPSIS.split(quote)]
    parts = [p for p in parts if p]
    if not parts:
        return False
    for src in sources:
        s = squeeze(src)
        pos = 0
        for p in parts:
            i = s.find(p, pos)
            if i == -1:
                break
            pos = i + len(p)
        else:
            return True
    return False
