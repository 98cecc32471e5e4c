"""Thousands separators in amounts as users type them, and commas that separate two numbers."""

from decimal import Decimal

import pytest

from assistant.nlu.mentions import scan_numbers
from assistant.textnorm import normalize


def find_amounts(text):
    """Money by its unit, or a number with 万/亿 and no counter (「3000万」)."""
    return [m for m in scan_numbers(normalize(text)) if m.kind == "money" or (m.kind == "number" and m.has_multiplier)]


@pytest.mark.parametrize(
    "text, yuan",
    [
        ("网络零售额4,321.9萬元", 43_219_000),
        ("网络零售额4,999万元", 49_990_000),
        ("纳统网络零售额1,800万元", 18_000_000),
        ("年网络销售额2,600万元", 26_000_000),
        ("销售额30,000,000元", 30_000_000),
        ("销售额１，２００万元", 12_000_000),  # full-width digits and comma
    ],
)
def test_grouped_digits_before_wan_or_yuan_are_one_amount(text, yuan):
    assert [a.value for a in find_amounts(text)] == [Decimal(yuan)]


def test_a_comma_between_two_numbers_keeps_them_apart():
    values = [m.value for m in scan_numbers(normalize("入驻了3,5个平台"))]
    assert values == [Decimal(3), Decimal(5)]
    amounts = [a.value for a in find_amounts("粉丝120万，销售额3000万")]
    assert amounts == [Decimal(1_200_000), Decimal(30_000_000)]
    assert [a.value for a in find_amounts("粉丝120万,3000万销售额")] == [Decimal(1_200_000), Decimal(30_000_000)]
