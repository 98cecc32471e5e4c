"""Follow-up questions: the missing facts that would change the answer most, best first.

A fact's weight is the money riding on it: the sum, over the shown conditional
awards that name it as missing, of the award's amount (or its maximum). Ties go
to the fact more awards need, then to the order the engine reported them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..rules.results import Award

MAX_FOLLOW_UPS = 3


def rank_missing(awards: Iterable[Award], limit: int = MAX_FOLLOW_UPS) -> list[tuple[str, str]]:
    """[(fact_name, question)] for the facts to ask about, most valuable first."""
    weight: dict[str, Decimal] = {}
    count: dict[str, int] = {}
    question: dict[str, str] = {}
    order: dict[str, int] = {}
    for a in awards:
        if a.status != "conditional":
            continue
        stake = a.amount_yuan if a.amount_yuan is not None else (a.max_yuan or Decimal(0))
        for m in a.missing:
            weight[m.fact] = weight.get(m.fact, Decimal(0)) + stake
            count[m.fact] = count.get(m.fact, 0) + 1
            question.setdefault(m.fact, m.question)
            order.setdefault(m.fact, len(order))
        for s in a.assumptions:
            # A stand-in figure (网络零售额 for 实物商品网络零售额) is worth confirming too.
            key = s.fact
            weight[key] = weight.get(key, Decimal(0)) + stake
            count[key] = count.get(key, 0) + 1
            question.setdefault(key, s.text)
            order.setdefault(key, len(order))
    ranked = sorted(weight, key=lambda f: (-weight[f], -count[f], order[f]))
    return [(f, question[f]) for f in ranked[:limit]]
