"""Warnings when a clause tree looks wrong: numbers skipped or out of order, a numbering style in the
text that the splitter does not cut on, a numbering joined into the middle of a paragraph, or too few
clauses for the length of the text."""

from __future__ import annotations

import re

from ..clauses import numbering_scan
from ..models import Clause

_CN = "一二三四五六七八九十"
# Numbering styles the splitter does not cut on (it cuts on 第X章/第X条, 一、, （一）, 1. / 1、, （1）).
_OTHER_STYLES = [
    ("①", re.compile(r"^[①-⑳]")),
    ("1)", re.compile(r"^[0-9]{1,2}\)")),
    ("一是", re.compile(rf"^[{_CN}]是")),
    ("第一，", re.compile(rf"^第[{_CN}]+[，,、]")),
    ("a.", re.compile(r"^[a-zA-Z][.、)]")),
    ("第一节", re.compile(rf"^第[{_CN}]+[节款项]")),
]
# A clause number in the middle of a paragraph: two headings joined by the PDF line repair.
_INLINE = re.compile(rf"[。；](?:[{_CN}]{{1,3}}、|（[{_CN}]{{1,3}}）|第[{_CN}]+条)")
CHARS_PER_CLAUSE = 1200  # a policy clause is rarely longer; many more characters per clause means a missed split


def numbering_warnings(text: str, clauses: list[Clause]) -> list[str]:
    warnings = []
    for item in numbering_scan(text):
        if not item.accepted:
            warnings.append(
                f"第 {item.index + 1} 段「{item.line[:24]}」像条款编号但未切分（编号不连续或层级不符）："
                "请核对前后编号是否缺号、重号"
            )
    paragraphs = [p for p in text.splitlines() if p.strip()]
    for label, pattern in _OTHER_STYLES:
        hits = [p for p in paragraphs if pattern.match(p)]
        if len(hits) >= 2:
            warnings.append(
                f"{len(hits)} 个段落以「{label}」式编号开头（如「{hits[0][:20]}」），本系统不按此切分条款："
                "它们留在所属条款内；如应为独立条款，请在 corpus 文本中改为「（一）」或「1.」式编号"
            )
    inline = [m.group(0)[1:] for p in paragraphs for m in _INLINE.finditer(p)]
    if inline:
        warnings.append(
            f"段落中间出现条款编号 {'、'.join(dict.fromkeys(inline))}：可能两条被接成了一段，"
            "请在 corpus 文本中让它另起一行"
        )
    articles = [c for c in clauses if c.kind == "article"]
    body = sum(len(c.text) for c in clauses if c.kind != "annex")  # a long preamble may hide unsplit clauses
    if not articles:
        warnings.append("没有切出任何编号条款：全文只有序言，请检查编号格式（一、 （一） 1. （1） 第一条）")
    elif len(text) > CHARS_PER_CLAUSE * 2 and body / len(articles) > CHARS_PER_CLAUSE:
        warnings.append(
            f"只切出 {len(articles)} 个条款，平均每条 {body // len(articles)} 字，条款数相对篇幅偏少：请检查编号格式"
        )
    return warnings
