"""Normalise an extracted policy text so the clause splitter reads its numbering.

Page furniture first (PDF page numbers, headers and footers repeated on every page), then
full-width digits and letters to half-width, half-width Chinese punctuation to full-width
(「(一)」→「（一）」, 「一.」→「一、」, 「条件:」→「条件：」), then assistant.cleaning's layout
repair (broken PDF lines, markdown, spaces around figures). No word and no figure is changed.
"""

from __future__ import annotations

import re
from collections import Counter

from ..cleaning import clean_seed

_CN = "一二三四五六七八九十"
_CJK = r"\u4e00-\u9fff"
# 「- 3 -」「— 3 —」「第3页」「第 3 页 共 10 页」「3/10」「3」
_PAGE_NUMBER = re.compile(
    r"^[-—–－\s]*(?:第\s*\d+\s*页(?:\s*[，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d{1,3})[-—–－\s]*$"
)
_FULLWIDTH_ALNUM: dict[str, str | int | None] = {
    chr(c): chr(c - 0xFEE0) for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
}
_FULLWIDTH_ALNUM.update({"．": ".", "％": "%"})
_HALF_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
# a half-width mark touching Chinese text on either side (「条件:」「万元,给予」) — never 「1,000」 or 「10:30」
_PUNCT_NEAR_CJK = re.compile(rf"(?<=[{_CJK}）】》”])\s*([,;:?!])|([,;:?!])\s*(?=[{_CJK}（《“])")
# parentheses holding no Latin letters are Chinese parentheses: 「(一)」「(含)」「(2022年)」
_PARENS = re.compile(r"\(([^()A-Za-z]{0,40})\)")
_CN_DOT = re.compile(rf"^([{_CN}]{{1,3}})[.．]\s*")  # 「一.」 at a paragraph start → 「一、」
_NUM_PAREN = re.compile(r"^([0-9]{1,2})[)）]\s*")  # 「1)」 → 「（1）」
_SPACED_NUMBER = re.compile(rf"^(第)\s*([{_CN}]+)\s*([章条])|^([{_CN}]+)\s+、|^（\s*([{_CN}0-9]+)\s*）")
_SPACED_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")


def strip_page_furniture(pages: list[str]) -> list[str]:
    """Drop page numbers and the header/footer lines printed on most pages."""
    split = [[line for line in page.split("\n")] for page in pages]
    edges: Counter[str] = Counter()
    for lines in split:
        content = [line.strip() for line in lines if line.strip()]
        for line in {*content[:2], *content[-2:]}:
            edges[line] += 1
    repeated = {
        line for line, n in edges.items() if len(pages) >= 3 and n >= max(3, len(pages) // 2) and len(line) < 60
    }
    out = []
    for lines in split:
        idx = [i for i, line in enumerate(lines) if line.strip()]
        edge = set(idx[:2] + idx[-2:])
        kept = [
            line
            for i, line in enumerate(lines)
            if not (i in edge and (_PAGE_NUMBER.match(line.strip()) or line.strip() in repeated))
        ]
        out.append("\n".join(kept))
    return out


def normalise_line(line: str) -> str:
    line = line.translate(str.maketrans(_FULLWIDTH_ALNUM))
    line = _PARENS.sub(r"（\1）", line)
    line = _PUNCT_NEAR_CJK.sub(lambda m: _HALF_PUNCT[m.group(1) or m.group(2)], line)
    stripped = line.strip()
    stripped = _SPACED_NUMBER.sub(_unspace, stripped)
    stripped = _CN_DOT.sub(r"\1、", stripped)
    stripped = _NUM_PAREN.sub(r"（\1）", stripped)
    # a PDF that puts a space between every Chinese character: 「关 于 印 发」
    if len(_SPACED_CJK.findall(stripped)) >= 4 and len(_SPACED_CJK.findall(stripped)) * 3 >= len(stripped) // 2:
        stripped = _SPACED_CJK.sub("", stripped)
    return stripped


def _unspace(m: re.Match[str]) -> str:
    if m.group(1):
        return f"第{m.group(2)}{m.group(3)}"
    if m.group(4):
        return f"{m.group(4)}、"
    return f"（{m.group(5)}）"


def normalise(text: str, pdf: bool = False) -> str:
    """Clean policy text, one paragraph per line (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u3000", " ")
    pages = text.split("\f")
    if pdf:
        pages = strip_page_furniture(pages)
    lines = [normalise_line(line) for page in pages for line in page.split("\n")]
    if not pdf:
        # one paragraph per line already: a blank line between paragraphs must not read as PDF layout
        lines = [line for line in lines if line]
    return clean_seed("\n".join(lines), wrapped=True if pdf else None)
