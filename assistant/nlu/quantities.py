"""Counts with units (粉丝300万, 2000平方米, 35间, 13个月) and percentages (增长12%, 百分之十二)."""
from __future__ import annotations

from assistant.textnorm import normalize

from .mentions import Mention, scan_numbers

COUNT_KINDS = ("count", "area", "duration")


def find_counts(text: str) -> list[Mention]:
    """Numbers with a counter, an area or a duration unit, in order (money and bare numbers excluded)."""
    return [m for m in scan_numbers(normalize(text)) if m.kind in COUNT_KINDS]


def find_percents(text: str) -> list[Mention]:
    return [m for m in scan_numbers(normalize(text)) if m.kind == "percent"]
