"""The one money format of the product: answer text, rule traces, calc, gradio UI and widget
(ui/widget.js ports it) all write it; rules.figures and web.render only alias it.

200000 → 「20万元」, 75000 → 「7.5万元」, 28800 → 「28800元」, 5000 → 「5000元」, 3亿 → 「3亿元」.
万 is used only when it reads exactly to at most one decimal place of 万 (a multiple of 1000), as policy
texts write amounts; otherwise the whole figure is written out so that nothing is rounded. The same
scaling serves any unit written after a figure (平方米, 件), which is why ``unit`` is a parameter.
tests/units/test_money.py pins its outputs.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

_WAN = Decimal(10_000)
_YI = Decimal(100_000_000)


def plain_decimal(d: Decimal | int) -> str:
    """A Decimal as written in Chinese text: no exponent, no trailing zeros (1.50 → 1.5, 1E+5 → 100000)."""
    d = Decimal(d)
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    return format(d.normalize(), "f")


def format_yuan(amount: Any, unit: str = "元", missing: str = "—") -> str:
    """Exact Chinese money, Decimal all the way; no amount (None, "") → ``missing``; text that is not a number
    is returned as is."""
    if amount is None or amount == "":
        return missing
    try:
        value = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
    except InvalidOperation:
        return str(amount)
    if not value.is_finite():
        return str(amount)
    if value != 0 and value % 10_000_000 == 0 and abs(value) >= _YI:
        return f"{plain_decimal(value / _YI)}亿{unit}"
    if value != 0 and value % 1000 == 0 and abs(value) >= _WAN:
        return f"{plain_decimal(value / _WAN)}万{unit}"
    return f"{plain_decimal(value)}{unit}"


def format_figure(value: Decimal, unit: str) -> str:
    """A figure as policy texts write it: 30%, 7.5万元, 2000平方米, 300万件 (the same scaling as money)."""
    if unit == "%":
        return f"{plain_decimal(value)}%"
    return format_yuan(value, unit)
