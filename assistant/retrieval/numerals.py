"""Chinese amounts in digits: 「两千万」→「2000万」, 「一个亿」→「1亿」, 「六十万」→「60万」.

Policies write amounts in digits (2000万元) while people say 两千万; converting
before tokenising lets BM25 match the figure. Only numerals that are clearly
quantities are touched (followed by 万/亿, or containing 十/百/千), so 一次性,
统一 or 第一 stay as they are.
"""
from __future__ import annotations

import re

_DIGIT = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNIT = {"十": 10, "百": 100, "千": 1000}
_NUM = "零一二两三四五六七八九十百千"
_AMOUNT = re.compile(rf"[{_NUM}]+(?=个?[万亿])|[{_NUM}]*[十百千][{_NUM}]*")


def cn_to_int(text: str) -> int | None:
    """一 → 1, 十二 → 12, 两千 → 2000, 三百五 → 350 (colloquial trailing digit); None if not a number."""
    total, digit, last_unit = 0, None, None
    for ch in text:
        if ch in _DIGIT:
            if digit is not None:  # 一一 is not a number
                return None
            digit = _DIGIT[ch]
        elif ch in _UNIT:
            unit = _UNIT[ch]
            if last_unit is not None and unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    if digit is not None:
        # 三百五 = 350: a bare digit after a unit is one order below it
        total += digit * (last_unit // 10 if last_unit else 1)
    return total


def digits_for_amounts(text: str) -> str:
    def repl(m: re.Match) -> str:
        value = cn_to_int(m.group(0))
        return m.group(0) if value is None or value == 0 else str(value)

    text = re.sub(rf"([{_NUM}]+)个(?=[万亿])", r"\1", text)  # 一个亿 → 一亿
    return _AMOUNT.sub(repl, text)
