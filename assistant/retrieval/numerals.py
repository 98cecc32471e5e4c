"""Chinese amounts in digits: 「两千万」→「2000万」, 「一个亿」→「1亿」, 「六十万」→「60万」.

Policies write amounts in digits (2000万元) while people say 两千万; converting
before tokenising lets BM25 match the figure. Only numerals that are clearly
quantities are touched (followed by 万/亿, or containing 十/百/千), so 一次性,
统一 or 第一 stay as they are. The numbers are read by the one numeral parser
(assistant.numerals); this module only decides which spans to rewrite.
"""

from __future__ import annotations

import re

from ..numerals import parse_int

_NUM = "零一二两三四五六七八九十百千"
_AMOUNT = re.compile(rf"[{_NUM}]+(?=个?[万亿])|[{_NUM}]*[十百千][{_NUM}]*")
_GE = re.compile(rf"([{_NUM}]+)个(?=[万亿])")


def digits_for_amounts(text: str) -> str:
    def repl(m: re.Match) -> str:
        value = parse_int(m.group(0))
        return m.group(0) if value is None or value == 0 else str(value)

    text = _GE.sub(r"\1", text)  # 一个亿 → 一亿
    return _AMOUNT.sub(repl, text)
