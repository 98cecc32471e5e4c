import datetime as dt

import pytest

from assistant.nlu.dates import extract_dates
from assistant.nlu.mentions import scan_numbers
from assistant.textnorm import normalize

TODAY = dt.date(2026, 11, 23)


def dates(text, today=TODAY):
    norm = normalize(text)
    return extract_dates(norm, scan_numbers(norm), today)


@pytest.mark.parametrize(
    "text, year",
    [
        ("今年网络零售额3000万", 2026),
        ("去年网络零售额3000万", 2025),
        ("前年", 2024),
        ("明年", 2027),
        ("2023年实物商品网络零售额2.3亿元", 2023),
        ("2023年度", 2023),
        ("二〇二三年的网络零售额", 2023),
        ("网络零售额3000万", None),
        ("当年纳统网络零售额", None),
    ],
)
def test_year_referred_to(text, year):
    assert dates(text).year == year


def test_relative_years_follow_the_given_today():
    assert dates("去年", today=dt.date(2024, 1, 2)).year == 2023


@pytest.mark.parametrize(
    "text, date, year",
    [
        ("2022年3月注册", dt.date(2022, 3, 1), None),
        ("茌平区的小微企业2022年5月注册，连续经营13个月", dt.date(2022, 5, 1), None),
        ("注册时间是2023年1月5日", dt.date(2023, 1, 5), None),
        ("2022-05-10注册的", dt.date(2022, 5, 10), None),
        ("去年3月成立的公司，今年网络零售额3000万", dt.date(2025, 3, 1), 2026),
        ("今年新注册的", dt.date(2026, 1, 1), None),
        ("2021年开的店，2023年网络零售额500万", dt.date(2021, 1, 1), 2023),
    ],
)
def test_registration(text, date, year):
    d = dates(text)
    assert d.registration is not None and d.registration.date == date
    assert d.year == year


def test_a_year_alone_is_not_a_registration():
    assert dates("2023年网络零售额3000万").registration is None


def test_invalid_dates_do_not_raise():
    assert dates("2023年13月注册").year == 2023  # 13月 is no month
    assert dates("2023-02-30注册").registration is None  # no such day: nothing is made up
