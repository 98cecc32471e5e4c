"""The one money format of the product: answer text, gradio UI and widget (ui/widget.js ports it) all write it.

200000 → 「20万元」, 75000 → 「7.5万元」, 28800 → 「28800元」, 5000 → 「5000元」, 3亿 → 「3亿元」.
万 is used only when it reads exactly to at most one decimal place of 万 (a multiple of 1000), as policy
texts write amounts; otherwise the whole figure is written out so that nothing is rounded.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

_WAN = Decimal(10_000)
_YI = Decimal(100_000_000)


def _plain(d: Decimal) -> str:
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    return format(d.normalize(), "f")


def format_yuan(amount: Any, unit: str = "元") -> str:
    """Exact Chinese money, Decimal all the way; ``None`` → 「—」; text that is not a number is returned as is."""
    if amount is None or amount == "":
        return "—"
    try:
        value = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
    except InvalidOperation:
        return str(amount)
    if not value.is_finite():
        return str(amount)
    if value != 0 and value % 10_000_000 == 0 and abs(value) >= _YI:
        return f"{_plain(value / _YI)}亿{unit}"
    if value != 0 and value % 1000 == 0 and abs(value) >= _WAN:
        return f"{_plain(value / _WAN)}万{unit}"
    return f"{_plain(value)}{unit}"
