"""A metadata skeleton (corpus/<id>.yaml) pre-filled from the policy text and marked for review.

Everything here is a reading of the text that a person must confirm: the fields filled from it are
listed under ``review`` (the corpus loader accepts them; `policy-qa import` prints them).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..clauses import split_clauses

_TITLE_WORDS = re.compile(r"(?:通知|措施|办法|意见|规定|细则|方案|政策|决定|若干|实施|规划)")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［【（(]\s*(?:19|20)\d{2}\s*[〕\]］】）)]\s*\d{1,4}\s*号")
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_LINE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:印发|发布)?$")
_FROM = re.compile(r"自\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:起|开始)")
_TO = re.compile(r"(?:至|到|截至|截止)\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEARS = re.compile(r"有效期\s*(?:为)?\s*([0-9一二三四五六七八九十两]+)\s*年")
_VALIDITY = re.compile(r"(?:有效期|施行|执行|实施|起实行)")
_ISSUER = re.compile(r"^\S{2,40}(?:局|政府|办公室|办公厅|委员会|管委会|商务局|中心)$")
_NUMBER_PREFIX = re.compile(r"^(?:[0-9]{1,2}[.．、]|（[0-9一二三四五六七八九十]{1,3}）|[一二三四五六七八九十]{1,3}、)")
_CN_YEARS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _date(m: re.Match[str] | None) -> dt.date | None:
    if m is None:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def find_title(paragraphs: list[str]) -> str:
    for line in paragraphs[:12]:
        if _DOC_NUMBER.fullmatch(line.strip()) or len(line) > 80:
            continue
        if _TITLE_WORDS.search(line) and not line.endswith(("。", "：")):
            return line.strip()
    return paragraphs[0].strip() if paragraphs else ""


def find_validity(text: str) -> tuple[str | None, dt.date | None, dt.date | None]:
    """(the sentence stating validity, effective_from, effective_to) — the last such sentence wins."""
    sentences = [s.strip() for s in re.split(r"(?<=[。])|\n", text) if s.strip()]
    for sentence in reversed(sentences):
        if not _VALIDITY.search(sentence) or not (
            _DATE.search(sentence) or _YEARS.search(sentence) or "印发之日" in sentence or "发布之日" in sentence
        ):
            continue
        start, end = _date(_FROM.search(sentence)), _date(_TO.search(sentence))
        if start is None:
            dates = [_date(m) for m in _DATE.finditer(sentence)]
            if len(dates) >= 2 and "至" in sentence:
                start = dates[0]
        years = _YEARS.search(sentence)
        if start and end is None and years:
            n = int(years.group(1)) if years.group(1).isdigit() else _CN_YEARS.get(years.group(1))
            if n:
                end = dt.date(start.year + n, start.month, start.day) - dt.timedelta(days=1)
        return _NUMBER_PREFIX.sub("", sentence), start, end
    return None, None, None


def _place(gazetteer, issuer: str, title: str, text: str):
    """The issuer's or the title's place; else the place the text names most often (the most specific on a tie)."""
    for source in (issuer, title):
        best, _ = gazetteer.resolve(source) if source else (None, [])
        if best is not None:
            return best.place
    counts: dict[str, int] = {}
    places = {}
    for mention in gazetteer.find(text):
        counts[mention.place.name] = counts.get(mention.place.name, 0) + 1
        places[mention.place.name] = mention.place
    if not counts:
        return None
    rank = {"district": 3, "city": 2, "province": 1}
    name = max(counts, key=lambda n: (counts[n], rank[places[n].level]))
    return places[name]


def skeleton(policy_id: str, text: str, source_name: str | None) -> tuple[dict[str, Any], list[str]]:
    """(metadata mapping in corpus/<id>.yaml key order, warnings)."""
    from ..nlu.gazetteer import load_gazetteer

    paragraphs = [p for p in text.splitlines() if p.strip()]
    clauses = split_clauses(policy_id, text)
    warnings: list[str] = []
    front = [line for c in clauses if c.kind == "preamble" for line in c.text.splitlines()]
    own = next((c for c in clauses if c.clause_id == "序言"), None)
    # a cover notice (「关于印发《…》的通知」) prints the policy: its own title opens the 序言
    title = find_title(
        own.text.splitlines() if own is not None and any(c.clause_id == "通知" for c in clauses) else paragraphs
    )
    number = next((m for line in front[:8] if (m := _DOC_NUMBER.match(line.strip()))), None)
    signature = next((c for c in clauses if c.clause_id == "落款"), None)
    sig_lines = signature.text.splitlines() if signature else []
    issuer = ""
    top = re.sub(r"文件$", "", paragraphs[0].strip()) if paragraphs else ""
    if _ISSUER.match(top):
        issuer = top  # the red head: 「某某市人民政府」 (the signature may name the printing office)
    if not issuer:
        issuers = [line for line in sig_lines if _ISSUER.match(line.strip()) and not line.startswith("抄送")]
        for line in sig_lines:  # 「某某市财政局 某某市商务局」 on one line
            if " " in line and all(_ISSUER.match(part) for part in line.split()):
                issuers = line.split()
        issuer = "、".join(dict.fromkeys(i.strip() for i in issuers))
    if not issuer:
        red = re.match(r"^(\S{2,30}?(?:人民政府办公室|人民政府|办公室|委员会|局))(?:印发)?关于", title)
        issuer = red.group(1) if red else ""
    issued = None
    for line in reversed(sig_lines):
        m = _DATE_LINE.search(line.strip())
        issued = _date(m)
        if issued:
            break
    validity_text, start, end = find_validity(text)
    place = _place(load_gazetteer(), issuer, title, text)
    if place is None:
        warnings.append(
            "未能从发文机关、标题或正文识别出地区（不在地名表 assistant/nlu/data/places.yaml 中？）："
            "请填写 jurisdiction，并把地名加入地名表，问答才能按地区找到这份政策"
        )
        jurisdiction = {"province": "待填写", "city": None, "district": None}
    else:
        jurisdiction = {"province": place.province, "city": place.city, "district": place.district}
    head = "\n".join(paragraphs[:6])
    status = "draft" if ("征求意见稿" in head or "（草案）" in head) else "final"
    if status == "draft":
        title = re.sub(r"（(?:征求意见稿|草案)）$", "", title)  # the status says it; citations add it back
    if not issuer:
        warnings.append("未能识别发文机关：请填写 issuer")
    if validity_text is None:
        warnings.append("未找到写有效期的句子：validity_text 为 null，请核对原文")
    meta: dict[str, Any] = {
        "id": policy_id,
        "title": title,
        "short_title": None,
        "issuer": issuer or "待填写",
        "doc_number": re.sub(r"\s", "", number.group(0)) if number else None,
        "jurisdiction": jurisdiction,
        "date_issued": issued,
        "effective_from": start,
        "effective_to": end,
        "validity_text": validity_text,
        "status": status,
        "source_file": source_name,
        "text_file": f"{policy_id}.txt",
        "notes": [
            "由 policy-qa import 导入：review 所列字段为从正文自动预填，请逐项对照原文核对，核对后从 review 中删去。"
        ],
        "review": [
            "title",
            "issuer",
            "doc_number",
            "jurisdiction",
            "date_issued",
            "effective_from",
            "effective_to",
            "validity_text",
            "status",
        ],
    }
    return meta, warnings
