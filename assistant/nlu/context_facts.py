"""Figures whose meaning depends on the rest of the question, settled after the nearest-word binding.

The same words name different facts depending on who speaks and what the sentence is about:
- 「网络零售额8000万元」 said by a park about an enterprise it 引进 is the introduced enterprise's sales;
- 「年直播网络销售额6000万的带货大主播」 after 引进 is the recruited anchor's sales;
- 「在跨境电商平台上年成交额300万元」 is the cross-border platform turnover;
- 「比去年增长了1.2亿元」 of a self-built platform is the platform's sales growth;
- 「实物商品网零6500万」 is the physical-goods online retail sales; 「GMV两个亿（全是实物商品）」 is that too;
- 「平台收了10万元服务费」 is also a fee paid to a third-party platform.
Each move keeps the number and its evidence; only the fact name changes (or a copy is added).
"""

from __future__ import annotations

import re

from assistant.facts import FACTS, kind_ancestors
from assistant.lexicon import ContextMove, load_lexicon

from .figures import Evidence, clause_bounds

# The moves are data: lexicon.yaml ``context_moves``.
MOVES = load_lexicon().context_moves
# a clause opening with a word pointing back (他, 该主播) continues the clause before it
_BACK_REFERENCE = re.compile("|".join(re.escape(w) for w in load_lexicon().back_references) or r"(?!)")

# 「全是实物商品」: every sale is of physical goods, so the sales figure is also the physical-goods figure.
_ALL_PHYSICAL = re.compile(r"(?:全|都|全部|均|纯)(?:是|为|属于)?实物(?:商品)?|没有(?:服务类|虚拟)")
_NOT_PHYSICAL = re.compile(r"(?:不是|并非|不全是|不都是|非)实物")


def copy_physical(text: str, facts: dict, evidence: dict[str, Evidence]) -> None:
    """「全是实物商品」「而且都是实物商品」: the sales figure (this turn's or the last one's) is also the physical-goods one."""
    if "online_retail_sales" in facts and "physical_online_retail_sales" not in facts:
        m = _ALL_PHYSICAL.search(text)
        if m and not _NOT_PHYSICAL.search(text):
            facts["physical_online_retail_sales"] = facts["online_retail_sales"]
            src = evidence.get("online_retail_sales")
            evidence["physical_online_retail_sales"] = Evidence(
                text=m.group(),
                start=m.start(),
                end=m.end(),
                trigger=m.group(),
                assumption=src.assumption if src else None,
            )


def _kind_ok(move: ContextMove, entity_kind: str | None) -> bool:
    if not move.kinds:
        return True
    return entity_kind is not None and any(k in kind_ancestors(entity_kind) for k in move.kinds)


def apply_context(
    text: str,
    facts: dict,
    evidence: dict[str, Evidence],
    entity_kind: str | None,
    assumptions: list[str],
    qualifiers: dict | None = None,
    approximate: list[str] | None = None,
    ranges: dict | None = None,
) -> None:
    """Rename (or copy) facts in place as the question's context requires; notes go to ``assumptions``.
    ``qualifiers``/``approximate``/``ranges`` (keyed by fact) follow a renamed fact."""
    qualifiers = qualifiers if qualifiers is not None else {}
    approximate = approximate if approximate is not None else []
    ranges = ranges if ranges is not None else {}
    for move in MOVES:
        if not _kind_ok(move, entity_kind) or move.target in facts or (move.unless and re.search(move.unless, text)):
            continue
        for m in re.finditer(move.trigger, text):
            lo, hi = (m.start(), len(text)) if move.scope == "after" else clause_bounds(text, m.start())
            while move.scope == "clause" and hi < len(text) and _BACK_REFERENCE.match(text, hi + 1):
                hi = clause_bounds(text, hi + 1)[1]  # 「引进了一个大主播，他一年直播带货3000万」: 他 continues it
            src = next((f for f in move.sources if f in facts and f in evidence and lo <= evidence[f].start < hi), None)
            if src is None:
                continue
            facts[move.target] = facts.pop(src)
            evidence[move.target] = evidence.pop(src)
            for table in (qualifiers, ranges):
                if src in table:
                    table[move.target] = table.pop(src)
            if src in approximate:
                approximate[approximate.index(src)] = move.target
            for name in move.drop:
                facts.pop(name, None)
                evidence.pop(name, None)
            break

    copy_physical(text, facts, evidence)

    fee, paid = "cross_border_platform_service_fee", "third_party_platform_fees"
    if fee in facts and paid not in facts:
        facts[paid] = facts[fee]
        note = f"将{FACTS[fee].label}同时计入{FACTS[paid].label}"
        fee_said = evidence[fee]
        evidence[paid] = Evidence(
            text=fee_said.text, start=fee_said.start, end=fee_said.end, trigger=fee_said.trigger, assumption=note
        )
        if note not in assumptions:
            assumptions.append(note)
