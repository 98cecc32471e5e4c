"""Numeric domains of every input, in one place.

Each interface (REST API, CLI, web forms) checks numbers once, at its boundary, against
these domains and refuses the rest with a Chinese message naming the field. Inside,
the engine can then rely on finite, non-negative Decimals of a sane size.

| domain            | allowed                                   | why |
|-------------------|-------------------------------------------|-----|
| fact figures      | finite, 0 ≤ x ≤ 10^15 (元, 美元, 人, %, …) | 10^15 元 is a thousand 万亿: beyond any enterprise; keeps Decimal exact |
| amount_yuan       | finite, 0 ≤ x ≤ 10^15, or null            | feedback echoes the engine's amounts |
| integers in JSON  | at most 20 digits                         | longer ones are no figure anyone states (and cost CPU to convert) |
| JSON nesting      | at most 32 levels                         | no request of this API needs more |
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_FIGURE = Decimal(10) ** 15
MAX_FIGURE_TEXT = "10^15"
MAX_INT_DIGITS = 20
MAX_JSON_DEPTH = 32


class DomainError(ValueError):
    """A number outside its domain; ``str()`` is the Chinese message, ``field`` names the input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}：{message}")
        self.field = field


def check_figure(field: str, value: Any) -> Decimal:
    """A finite number 0 ≤ x ≤ 10^15 as an exact Decimal; DomainError otherwise."""
    if isinstance(value, bool):
        raise DomainError(field, "应为数值，不是是/否")
    if isinstance(value, float) and math.isnan(value):
        raise DomainError(field, "应为数值（不接受 NaN）")
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value) if isinstance(value, float) else value)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(field, f"不是数值：{str(value)[:40]!r}") from None
    if d.is_nan():
        raise DomainError(field, "应为数值（不接受 NaN）")
    if d < 0:
        raise DomainError(field, "不能为负数")
    if d > MAX_FIGURE:
        raise DomainError(field, f"数值过大（上限 {MAX_FIGURE_TEXT}）")
    return d


def json_depth_exceeds(data: bytes | str, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when the JSON text nests arrays/objects deeper than ``limit`` (strings are skipped)."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def bounded_int(text: str) -> int | float:
    """``parse_int`` for json.loads: an integer too long for any figure becomes a (huge) float, which the
    field's domain check then refuses by name (instead of a parse error that cannot say which field)."""
    return int(text) if len(text.lstrip("-")) <= MAX_INT_DIGITS else float(text)  # inf past ~308 digits


def loads(data: bytes | str) -> Any:
    """json.loads with the limits above. Raises ValueError (depth, syntax, encoding) with a Chinese message."""
    import json

    if json_depth_exceeds(data):
        raise ValueError(f"JSON 嵌套过深（上限 {MAX_JSON_DEPTH} 层）")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("内容不是有效的 UTF-8 文本") from None
    try:
        # NaN/Infinity literals are let through as floats: the domain check of the field names them.
        return json.loads(data, parse_int=bounded_int)
    except json.JSONDecodeError as exc:
        raise ValueError(f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）") from None
