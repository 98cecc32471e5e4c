"""Query terms in a hit's text: which ones occur, and how to mark them for display."""

from __future__ import annotations

import re

from ..jieba_loader import get_jieba
from ..models import cite as citation  # re-exported: one citation format for search, rules and answers
from .numerals import digits_for_amounts
from .tokenizer import query_terms

__all__ = ["ANSI_OFF", "ANSI_ON", "citation", "find_highlights", "mark", "terms_for"]

ANSI_ON = "\033[1;31m"  # bold red: visible on light and dark terminals
ANSI_OFF = "\033[0m"


def terms_for(query: str) -> list[str]:
    """Content terms of the query plus their dictionary sub-words, longest first."""
    tk = get_jieba()
    terms: dict[str, None] = {}
    for term in query_terms(digits_for_amounts(query)):  # 两千万 → 2000万, as the texts write it
        terms.setdefault(term, None)
        n = len(term)
        for size in range(n - 1, 1, -1):
            for i in range(n - size + 1):
                piece = term[i : i + size]
                if tk.FREQ.get(piece):
                    terms.setdefault(piece, None)
    return sorted(terms, key=len, reverse=True)


def find_highlights(terms: list[str], text: str) -> list[str]:
    """The terms that occur in ``text``, minus those only found inside a longer found term."""
    found: list[str] = []
    lowered = text.lower()
    for term in sorted(terms, key=len, reverse=True):
        t = term.lower()
        if t in lowered and not any(t in f.lower() and _only_inside(t, f.lower(), lowered) for f in found):
            found.append(term)
    return found


def _only_inside(short: str, long: str, text: str) -> bool:
    """True when every occurrence of ``short`` in ``text`` lies inside an occurrence of ``long``."""
    return text.count(short) <= text.count(long) * long.count(short)


def mark(text: str, terms: list[str], tty: bool) -> str:
    """Wrap each occurrence of the terms: ANSI bold colour on a terminal, 【】 otherwise."""
    if not terms:
        return text
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    if tty:
        return pattern.sub(lambda m: f"{ANSI_ON}{m.group(0)}{ANSI_OFF}", text)
    return pattern.sub(lambda m: f"【{m.group(0)}】", text)
