from decimal import Decimal

import pytest

from assistant.nlu.cn_numbers import parse_number


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3000万", 30_000_000), ("3千万", 30_000_000), ("三千万", 30_000_000), ("0.6亿", 60_000_000),
        ("1.5亿", 150_000_000), ("30,000,000", 30_000_000), ("两千万", 20_000_000), ("一千二百万", 12_000_000),
        ("2.5亿", 250_000_000), ("500w", 5_000_000), ("500W", 5_000_000), ("3k", 3000), ("十二", 12), ("十", 10),
        ("二十", 20), ("一百零五", 105), ("一千零五十", 1050), ("一万五", 15_000), ("两千五", 2500), ("3万5", 35_000),
        ("一亿二千万", 120_000_000), ("1千2百万", 12_000_000), ("三千五百万", 35_000_000), ("二零二三", 2023),
        ("二〇二四", 2024), ("壹仟万", 10_000_000), ("零", 0), ("1.1亿", 110_000_000), ("七点五", Decimal("7.5")),
        ("0.5万", 5000), ("12", 12), ("3.5", Decimal("3.5")), ("一万亿", 10**12),
    ],
)
def test_numerals(text, expected):
    assert parse_number(text) == Decimal(expected)


def test_results_are_exact_decimals():
    value = parse_number("0.6亿")
    assert isinstance(value, Decimal) and value == Decimal(60_000_000)
    assert str(parse_number("1.5亿")) == "150000000"  # no exponent, no float noise


@pytest.mark.parametrize("text", ["", "abc", "三五", "3 5", "1,2,3", "点", "万x"])
def test_not_numerals(text):
    assert parse_number(text) is None


def test_hostile_lengths_and_sizes_are_refused_not_raised():
    assert parse_number("万" * 3000) is None
    assert parse_number("一" * 40 + "万") is None
    assert parse_number("9" * 40) is None
    assert parse_number("99999999999999999亿") == Decimal("9999999999999999900000000")


@pytest.mark.parametrize("text, expected", [
    ("1,800万", 18_000_000), ("4,321.9万", 43_219_000), ("4,999万", 49_990_000), ("30,000,000", 30_000_000),
    ("1,234,567.5", Decimal("1234567.5")), ("12,000亿", Decimal("1200000000000")),
])
def test_thousands_separators_with_and_without_wan(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["3,5", "1,0000万", "12,34万", "1,000,00", "3,5个"])
def test_a_comma_not_followed_by_exactly_three_digits_is_not_a_separator(text):
    assert parse_number(text) is None
