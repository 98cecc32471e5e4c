"""A figure restated for a later period in a follow-up: 「第二年销售额做到了1.7亿」 after the first year's 6000万
is the second year's figure, so the increase (1.1亿) is the growth the clause pays on, and the year is no longer
the first (首年). Which facts behave so is lexicon data (``growth_fact``, ``first_period_fact``, ``later_periods``).
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.facts import FACTS, LEX_FACTS
from assistant.lexicon import load_lexicon
from assistant.money import format_yuan

_LATER = re.compile("|".join(load_lexicon().later_periods) or r"(?!)")


def later_period_growth(text: str, facts: dict, previous_facts: dict) -> list[tuple[str, Decimal | bool, str]]:
    """(fact, value, assumption) to set when ``text`` restates a figure for a later period."""
    period = _LATER.search(text)
    if period is None:
        return []
    out: list[tuple[str, Decimal | bool, str]] = []
    for name, value in facts.items():
        lex = LEX_FACTS.get(name)
        old = previous_facts.get(name)
        if (
            lex is None
            or lex.growth_fact is None
            or not isinstance(value, Decimal)
            or not isinstance(old, Decimal)
            or value == old
            or (lex.growth_fact in facts and lex.growth_fact not in previous_facts)
        ):
            continue
        growth = max(value - old, Decimal(0))
        note = (
            f"“{period.group()}”的{FACTS[name].label}{format_yuan(value)}与此前的{format_yuan(old)}相比，"
            f"按增长额{format_yuan(growth)}计算"
        )
        out.append((lex.growth_fact, growth, note))
        if lex.first_period_fact is not None:
            out.append((lex.first_period_fact, False, f"“{period.group()}”不是首年"))
    return out
