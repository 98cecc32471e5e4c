"""Years and dates in a question: 今年/去年/2023年, 「2022年3月注册」, relative to a given today.

Durations (「经营满14个月」) are numbers with units and live in mentions.py/figures.py;
this module answers two questions only: which year does the question talk about, and
when was the applicant registered.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel

from .mentions import Mention

RELATIVE_YEARS: dict[str, int] = {
    "今年": 0,
    "本年度": 0,
    "本年": 0,
    "今年度": 0,
    "去年": -1,
    "上年度": -1,
    "上一年": -1,
    "上年": -1,
    "前年": -2,
    "明年": 1,
    "下一年": 1,
    "后年": 2,
    "大前年": -3,
}
_RELATIVE_RE = re.compile("|".join(sorted(RELATIVE_YEARS, key=len, reverse=True)))
# 「2021年在高新区注册的」: where, between the year and the verb
_REGISTRATION_AFTER = re.compile(
    r"^(?:[份初底中]|\d{1,2}[日号])?(?:的时候|时|份)?(?:在[^,，。;；\d年]{1,10}?)?(?:就|刚|才|新|就已经|已经)?(?:注册|成立|登记|设立|开业|开办|领取?(?:了)?营业执照|领的执照|拿到执照|开的|开了|创办|创立)"
)
_REGISTRATION_BEFORE = re.compile(
    r"(?:(?:注册|成立|登记|设立|开业)(?:时间|日期|于|在|是)|营业执照(?:是|在|于)?)(?:是|为|在)?\s?$"
)
# 「2022年8月获得了市级电商示范企业」: when a title was won
_AWARD_AFTER = re.compile(
    r"^(?:[份初底中]|\d{1,2}[日号])?(?:的时候|时|份)?(?:就|刚|才|已经|已)?"
    r"(?:获得|获评|荣获|获批|拿到|被评为|被认定|被命名|认定为|评为|命名为|被授予)"
)
# 「平台上年成交额」: 上 belongs to the platform (「平台上」), 年成交额 is the annual turnover
_NOT_RELATIVE_BEFORE = re.compile(r"(?:台|网|店|站|线)$")
_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-./年](\d{1,2})[-./月](\d{1,2})[日号]?(?!\d)")
_DAY_AFTER_MONTH = re.compile(r"^(\d{1,2})[日号]")


class YearRef(BaseModel):
    year: int
    month: int | None = None
    day: int | None = None
    text: str
    start: int
    end: int
    relative: bool = False  # 今年/去年 (resolved against today)

    @property
    def date(self) -> dt.date:
        """First day of the stated period (a month → its 1st; a year → 1 January)."""
        return dt.date(self.year, self.month or 1, self.day or 1)


class DateFacts(BaseModel):
    year: int | None = None  # the year the figures refer to
    registration: YearRef | None = None
    award: YearRef | None = None  # when a demonstration title was won
    refs: list[YearRef] = []


def find_year_refs(text: str, mentions: list[Mention], today: dt.date) -> list[YearRef]:
    """Every year-ish reference, with its month/day if written right after it."""
    refs: list[YearRef] = []
    months = {m.start: m for m in mentions if m.kind == "month"}
    for m in _ISO_DATE.finditer(text):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        try:
            dt.date(y, mo, d)
        except ValueError:
            continue
        refs.append(YearRef(year=y, month=mo, day=d, text=m.group(), start=m.start(), end=m.end()))
    covered = [(r.start, r.end) for r in refs]

    def attach(year: int, start: int, end: int, relative: bool) -> None:
        if any(s <= start < e for s, e in covered):
            return
        month = months.get(end) or months.get(end + 1)
        ref = YearRef(year=year, text=text[start:end], start=start, end=end, relative=relative)
        if month is not None:
            ref.month, ref.end = int(month.value), month.end
            day = _DAY_AFTER_MONTH.match(text[month.end :])
            if day and 1 <= int(day.group(1)) <= 31:
                try:
                    dt.date(year, ref.month, int(day.group(1)))
                    ref.day, ref.end = int(day.group(1)), month.end + day.end()
                except ValueError:
                    pass
            ref.text = text[start : ref.end]
        refs.append(ref)

    for mention in mentions:
        if mention.kind == "year":
            attach(int(mention.value), mention.start, mention.end, False)
    for m in _RELATIVE_RE.finditer(text):
        if m.group().startswith("上") and _NOT_RELATIVE_BEFORE.search(text, max(0, m.start() - 1), m.start()):
            continue
        attach(today.year + RELATIVE_YEARS[m.group()], m.start(), m.end(), True)
    refs.sort(key=lambda r: r.start)
    return refs


def extract_dates(text: str, mentions: list[Mention], today: dt.date) -> DateFacts:
    """The year the question is about and the registration date, if stated."""
    refs = find_year_refs(text, mentions, today)
    registration = None
    for ref in refs:
        if _REGISTRATION_AFTER.match(text[ref.end : ref.end + 12]) or _REGISTRATION_BEFORE.search(
            text, max(0, ref.start - 8), ref.start
        ):
            registration = ref
            break
    award = None
    if "示范" in text:
        award = next((r for r in refs if r is not registration and _AWARD_AFTER.match(text[r.end : r.end + 12])), None)
    year = next((r.year for r in refs if r is not registration and r is not award), None)
    return DateFacts(year=year, registration=registration, award=award, refs=refs)
