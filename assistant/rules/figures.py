"""Figures in quoted clause text: 「5万元、7.5万、10万元」 → the Figures stated, with positions and dates.

Rule files write figures as the policy text writes them; assistant.numerals reads one such figure
(「3000万元」「30%」「两年」 → Decimal + unit) and this module finds the same figures in a quoted clause
so the provenance check can compare the two. Formatting is assistant.money's.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from ..money import format_figure, format_yuan
from ..numerals import (
    FIGURE_RE,
    MONEY_UNITS,
    PERCENT,
    UNIT_ALIASES,
    WORD_FIGURES,
    Figure,
    FigureError,
    canonical,
    figure_from_match,
    parse_figure,
    parse_int,
)

# One figure is read by assistant.numerals and formatted by assistant.money; the names are re-exported
# for the rules' callers (engine, schema, provenance, onboarding, web.ladder).
__all__ = [
    "FIGURE_RE",
    "MONEY_UNITS",
    "PERCENT",
    "UNIT_ALIASES",
    "WORD_FIGURES",
    "Figure",
    "FigureError",
    "FigureSpan",
    "canonical",
    "dates_in",
    "figure_from_match",
    "figure_spans",
    "figures_in",
    "format_figure",
    "format_yuan",
    "parse_figure",
    "to_json_number",
    "years_in",
]

# --- finding figures in a quote -------------------------------------------------------------

_LIST_SEP = "、,，和及与或至到"


def figures_in(text: str) -> list[Figure]:
    """Every figure stated in ``text``; list members without a unit share the next stated unit.

    「5万元、10万元、20万元」, 「2万元、5万、7.5万、10万元」 (5万 → 元), 「3万元、6万元」.
    Chinese numerals count only with a unit (「两年」「一个」), so 「一次性」 is not a figure.
    """
    s = re.sub(r"\s+", "", text)
    found: list[tuple[int, int, re.Match]] = []
    for m in FIGURE_RE.finditer(s):
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
            figs.extend(figure_from_match(p, "", p.group(0)) for p in pending)
            pending = []
        if m.group("unit"):
            fig = figure_from_match(m, "", m.group(0))
            figs.append(fig)
            figs.extend(figure_from_match(p, fig.unit, p.group(0)) for p in pending)
            pending = []
        else:
            pending.append(m)
        prev_end = end
    figs.extend(figure_from_match(p, "", p.group(0)) for p in pending)
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
    for m in FIGURE_RE.finditer(text):
        num = m.group("num")
        if not num[0].isdigit() and ((not m.group("unit") and not m.group("mult")) or parse_int(num) is None):
            continue
        if text[m.end() : m.end() + 1] == "性":  # 「一次性」
            continue
        found.append(m)
    out: list[FigureSpan | None] = []
    pending: list[int] = []  # indices into out waiting for a unit
    prev_end = -1
    for m in found:
        if pending and (m.start() - prev_end > 2 or any(ch not in _LIST_SEP for ch in text[prev_end : m.start()])):
            pending = []
        if m.group("unit"):
            fig = figure_from_match(m, "", m.group(0))
            for i in pending:
                p = out[i]
                assert p is not None
                out[i] = FigureSpan(p.start, p.end, Figure(p.figure.value, fig.unit, p.figure.text))
            pending = []
            out.append(FigureSpan(m.start(), m.end(), fig))
        else:
            out.append(FigureSpan(m.start(), m.end(), figure_from_match(m, "", m.group(0))))
            pending.append(len(out) - 1)
        prev_end = m.end()
    return [s for s in out if s is not None]
