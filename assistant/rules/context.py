"""Per-evaluation state the award forms and conditions compute with: the profile, and what was checked.

Everything recorded here is data (assistant/rules/results.py: Reason, Missing, Assumption, TraceStep);
assistant/rules/wording.py writes the sentences. Decimal arithmetic only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from ..facts import FACTS, LEVEL_RANK, FactDef
from .results import Assumption, Missing, Reason, TraceStep

_CENT = Decimal("0.01")
NUMERIC = ("money_yuan", "money_usd", "count", "percent")
ITEMS = "items"  # profile key: the applicant's items (anchors, projects), each a mapping of item facts


def money(d: Decimal) -> Decimal:
    """Money to the fen, exact; whole yuan stay whole."""
    d = d.quantize(_CENT, rounding=ROUND_HALF_UP)
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


def floor(d: Decimal) -> Decimal:
    return d.to_integral_value(rounding=ROUND_FLOOR)


def rank(fact: FactDef, v: Any) -> Any:
    return LEVEL_RANK[v] if fact.type == "level" else v


def compare(fact: FactDef, op: str, actual: Any, expected: Any) -> bool:
    if op == "in":
        return actual in expected
    a, e = rank(fact, actual), rank(fact, expected)
    if op == "==":
        return a == e
    if op == "!=":
        return a != e
    if op == ">=":
        return a >= e
    if op == ">":
        return a > e
    if op == "<=":
        return a <= e
    if op == "<":
        return a < e
    raise ValueError(op)  # pragma: no cover


def gap_to(fact: FactDef, op: str, actual: Any, expected: Any) -> Decimal | None:
    """How far a numeric fact is below a ≥/> threshold (None when the comparison has no gap)."""
    if fact.type not in NUMERIC or op not in (">=", ">"):
        return None
    return Decimal(expected) - Decimal(actual)


def is_next_step(r: Reason) -> bool:
    """A gap that says what more would pay (the next tier, another step) — shown even when the award is paid."""
    return (r.code == "tier_gap" and bool(r.data.get("next"))) or r.code == "step_more"


@dataclass
class Amount:
    """What an award form computed."""

    amount: Decimal | None = None
    max: Decimal | None = None
    reached: bool = True  # False: the metric is known and no award is reached (tiers/steps) → ineligible
    conditional: bool = False  # the figure depends on an unknown that is not a plain missing fact


@dataclass
class Ctx:
    facts: dict[str, Any]
    missing: dict[str, Missing] = field(default_factory=dict)
    assumptions: dict[str, Assumption] = field(default_factory=dict)
    failed: list[Reason] = field(default_factory=list)
    trace: list[TraceStep] = field(default_factory=list)
    notes: list[Reason] = field(default_factory=list)
    gaps: list[Reason] = field(default_factory=list)
    requirements: list[Reason] = field(default_factory=list)  # recognition requirements of the tier reached
    to_confirm: list[str] = field(default_factory=list)  # factual requirements of the tier reached, not tested

    def need(
        self,
        name: str,
        ask: str | None = None,
        context: Reason | None = None,
        stands_in: str | None = None,
        stand_in_value: Any = None,
    ) -> None:
        """Record ``name`` as missing (the first record of a fact stands)."""
        if name not in self.missing:
            self.missing[name] = Missing.model_construct(
                fact=name,
                label=FACTS[name].label,
                stands_in=stands_in,
                stand_in_value=stand_in_value,
                ask=ask,
                context=context,
                per_item=None,
            )

    def get(self, name: str) -> tuple[Any, str | None]:
        """(value, fact actually used) — a fallback stands in as a named assumption; (None, None) if unknown."""
        if name in self.facts:
            return self.facts[name], name
        for fb in FACTS[name].fallbacks:
            if fb in self.facts:
                return self.facts[fb], fb
        return None, None

    def value(self, name: str, ask: str | None = None, context: Reason | None = None) -> Any:
        """The value for ``name``, recording the assumption or the missing fact."""
        v, used = self.get(name)
        if used is None:
            self.need(name, ask, context)
            return None
        if used != name:
            self.assumptions.setdefault(name, Assumption.model_construct(fact=name, used=used, value=v))
            self.need(name, stands_in=used, stand_in_value=v)
        return v

    def step(self, kind: str, reason: Reason, outcome: str = "info", fact: str | None = None) -> None:
        self.trace.append(
            TraceStep.model_construct(kind=kind, reason=reason, outcome=outcome, fact=fact, item=None, item_no=None)
        )

    def apply_cap(self, amount: Decimal, cap: Any, scope: str) -> Decimal:
        """``amount`` limited by ``cap`` (a Figure or None); ``scope``: per_applicant/per_item/per_year/cumulative/''."""
        if cap is None:
            return amount
        r = Reason(code="cap", threshold=cap.value, actual=amount, data={"scope": scope})
        if amount > cap.value:
            self.step("cap", r, "applied")
            return cap.value
        self.step("cap", r, "not_applied")
        return amount
