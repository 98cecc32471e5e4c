"""Amounts, counts, percentages: the numbers themselves, before they are tied to a figure."""

from decimal import Decimal

import pytest

from assistant.nlu.mentions import scan_numbers
from assistant.textnorm import normalize


def _scan(text):
    return scan_numbers(normalize(text))


def find_amounts(text):
    """Money by its unit (元/美元), or a number with 万/亿 and no counter (「3000万」)."""
    return [m for m in _scan(text) if m.kind == "money" or (m.kind == "number" and m.has_multiplier)]


def parse_amount(text):
    """The one number of ``text`` when it is money or a bare number (read as yuan), else None."""
    found = _scan(text)
    return found[0] if len(found) == 1 and found[0].kind in ("money", "number") else None


def find_counts(text):
    return [m for m in _scan(text) if m.kind in ("count", "area", "duration")]


def find_percents(text):
    return [m for m in _scan(text) if m.kind == "percent"]


def one(text):
    found = scan_numbers(normalize(text))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text, value",
    [
        ("3000万", 30_000_000),
        ("3千万", 30_000_000),
        ("三千万元", 30_000_000),
        ("0.6亿", 60_000_000),
        ("1.5亿元", 150_000_000),
        ("30,000,000元", 30_000_000),
        ("3000万元人民币", 30_000_000),
        ("两千万", 20_000_000),
        ("一千二百万", 12_000_000),
        ("2.5亿", 250_000_000),
        ("500w", 5_000_000),
        ("500W", 5_000_000),
        ("３０００万", 30_000_000),
        ("3000万块", 30_000_000),
        ("5000块钱", 5000),
        ("0.5万元", 5000),
        ("1亿2", 120_000_000),
        ("RMB", None),
    ],
)
def test_amounts_in_yuan(text, value):
    amount = parse_amount(text)
    if value is None:
        assert amount is None
    else:
        assert amount is not None and amount.value == Decimal(value) and amount.unit != "USD"


def test_dollars_keep_their_currency():
    amount = parse_amount("150万美元")
    assert amount.value == Decimal(1_500_000) and amount.kind == "money" and amount.unit == "USD"
    assert parse_amount("100万美金").unit == "USD"


def test_exact_and_approximate():
    exact = one("正好50万元")
    assert exact.value == Decimal(500_000) and exact.qualifier == "exact" and not exact.approximate
    approx = one("3000多万")
    assert approx.value == Decimal(30_000_000) and approx.approximate and approx.qualifier == "more_than"
    about = one("大约3000万")
    assert about.approximate and about.qualifier == "approximately"
    left = one("3000万左右")
    assert left.approximate and left.value == Decimal(30_000_000)
    assert one("超过1亿").qualifier == "more_than"
    assert one("1亿以上").qualifier == "at_least"
    assert one("不到500万").qualifier == "less_than"


def test_ranges_keep_lower_end_and_upper():
    for text in ("2000到3000万", "2000-3000万元", "2000至3000万"):
        m = one(text)
        assert m.value == Decimal(20_000_000) and m.upper == Decimal(30_000_000) and m.approximate
    m = one("1亿到2亿")
    assert m.value == Decimal(100_000_000) and m.upper == Decimal(200_000_000)


def test_bare_wan_number_is_amount_like_but_unit_less():
    m = one("3000万")
    assert m.kind == "number" and m.has_multiplier
    assert [a.value for a in find_amounts("年销售额3000万，粉丝1.5亿元")] == [Decimal(30_000_000), Decimal(150_000_000)]


@pytest.mark.parametrize(
    "text, value, kind, unit",
    [
        ("2000平方米", 2000, "area", "平方米"),
        ("800平米", 800, "area", "平方米"),
        ("100㎡", 100, "area", "平方米"),
        ("35间", 35, "count", "间"),
        ("40人", 40, "count", "人"),
        ("40名", 40, "count", "名"),
        ("300万件", 3_000_000, "count", "件"),
        ("6家", 6, "count", "家"),
        ("120户", 120, "count", "户"),
        ("3个", 3, "count", "个"),
        ("5场", 5, "count", "场"),
        ("13个月", 13, "duration", "月"),
        ("1年", 1, "duration", "年"),
        ("两年", 2, "duration", "年"),
        ("300万粉丝", 3_000_000, "count", "粉丝"),
        ("三十五间", 35, "count", "间"),
        ("半年", "0.5", "duration", "年"),
        ("上半年", None, None, None),
        ("半年度报告", None, None, None),
    ],
)
def test_counts_with_units(text, value, kind, unit):
    found = find_counts(text)
    if value is None:
        assert found == []
        return
    assert len(found) == 1
    assert (found[0].value, found[0].kind, found[0].unit) == (Decimal(value), kind, unit)


def test_durations_convert_to_months():
    assert one("1年").months == 12
    assert one("两年").months == 24
    assert one("13个月").months == 13
    assert one("1年半").months == 18
    m = one("1年多")
    assert m.months == 12 and m.approximate


@pytest.mark.parametrize(
    "text, value",
    [("增长12%", 12), ("百分之十二", 12), ("增长率超过10%", 10), ("１２％", 12), ("增长3.5%", Decimal("3.5"))],
)
def test_percentages(text, value):
    found = find_percents(text)
    assert len(found) == 1 and found[0].value == Decimal(value)


def test_percent_qualifier_and_decline():
    assert find_percents("增长率超过10%")[0].qualifier == "more_than"
    assert find_percents("同比下降5%")[0].negative


@pytest.mark.parametrize(
    "text",
    [
        "开了一家直播公司",
        "一级分拨中心",
        "五统一",
        "千万不要",
        "百度一下",
        "万一不行",
        "一直在做",
        "MP4格式",
        "一次性奖励",
    ],
)
def test_words_with_numeral_characters_are_not_numbers(text):
    assert [m for m in scan_numbers(normalize(text)) if m.kind not in ("year", "month")] == []


def test_years_are_not_durations():
    kinds = [(m.kind, m.value) for m in scan_numbers("2022年5月注册，2023年度")]
    assert kinds == [("year", 2022), ("month", 5), ("year", 2023)]


def test_many_numbers_in_order():
    found = scan_numbers(normalize("网络零售额1000万元，当年增长11%，租了800平方米，经营满14个月"))
    assert [(m.kind, m.value) for m in found] == [
        ("money", 10_000_000),
        ("percent", 11),
        ("area", 800),
        ("duration", 14),
    ]
    assert found[-1].qualifier == "at_least"


def test_money_is_not_followed_by_multi_question_word():
    # 「一年多少」: 多 belongs to 多少, not an approximation of 一年
    assert all(not m.approximate for m in scan_numbers("房租补助一年多少"))


def test_scientific_notation_is_not_read_in_part():
    # 「1e30元」 must not become 30元 (a misread); nobody states money that way, so nothing of it is read
    assert [m.value for m in scan_numbers("网络零售额1e30元") if m.kind == "money"] == []
    assert [m.value for m in scan_numbers("GMV3000万元") if m.kind == "money"] == [30_000_000]
