"""「差一点」 as a small ladder: the enterprise's figure against each threshold of an award it narrowly misses.

Read from the engine's own output (the failing or tier step of the trace, and the gap it states) and, for a
tiered award, from the rule's tiers; nothing is recomputed here except how full each rung's bar is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..money import format_yuan
from ..rules.figures import FigureError, figures_in, format_figure, parse_figure


def _figure(text: Any):
    try:
        return parse_figure(str(text))
    except (FigureError, ValueError, ArithmeticError):
        return None


def _tiers(rule_id: str, metric: str) -> list[tuple[Decimal, str, str, bool]]:
    """(threshold, threshold as written, amount, strict) of a tiered rule on ``metric``, lowest first; [] otherwise.
    ``strict``: 超过 (>) rather than 达到/以上 (>=)."""
    try:
        from ..rules.loader import load_rulebook

        rule = load_rulebook().rules.get(rule_id)
    except Exception:  # no rule book (synthetic data): fall back to the gap alone
        return []
    award = getattr(rule, "award", None)
    if award is None or getattr(award, "form", None) != "tiers" or getattr(award, "metric", None) != metric:
        return []
    out = []
    for t in award.tiers:
        fig = t.figure
        if fig is None or not isinstance(t.parsed, Decimal):
            return []
        out.append(
            (Decimal(t.parsed), format_figure(Decimal(t.parsed), fig.unit), format_yuan(t.amount.value), t.op == ">")
        )
    return sorted(out)


def ladder(award: Mapping[str, Any]) -> dict[str, Any] | None:
    """{"label", "value_text", "rungs": [{"threshold_text", "amount_text", "fill", "reached", "short"}]} or None
    when the award has no numeric gap to draw."""
    gap = str(award.get("gap") or "")
    if not gap:
        return None
    steps = [t for t in award.get("trace") or [] if isinstance(t, Mapping) and t.get("fact") and t.get("value")]
    step = next((t for t in steps if t.get("outcome") == "fail"), None) or next(
        (t for t in steps if t.get("kind") == "tier"), None
    )
    if step is None:
        return None
    value = _figure(step["value"])
    if value is None:
        return None
    label = gap.split("还差", 1)[0] or str(step["fact"])
    tiers = _tiers(str(award.get("rule_id") or ""), str(step["fact"]))
    if not tiers:
        figs = figures_in(gap)
        if len(figs) < 2:
            return None
        at = figs[1]
        amount = award.get("amount_yuan") if award.get("amount_yuan") is not None else award.get("max_yuan")
        amount_text = ("最高" if award.get("is_ceiling") else "") + format_yuan(amount) if amount is not None else ""
        tiers = [(at.value, format_figure(at.value, at.unit), amount_text, "超过" in gap)]
    rungs = []
    for threshold, text, amount_text, strict in tiers:
        reached = value.value > threshold if strict else value.value >= threshold
        fill = 100 if reached or threshold <= 0 else int(max(Decimal(0), value.value) * 100 / threshold)
        short = "已达到" if reached else f"还差{format_figure(threshold - value.value, value.unit)}"
        rungs.append(
            {
                "threshold_text": text,
                "amount_text": amount_text,
                "fill": min(fill, 100),
                "reached": reached,
                "short": short,
            }
        )
    return {"label": label, "value_text": format_figure(value.value, value.unit), "rungs": rungs}
