"""The one money format (assistant.money), pinned in one table; rules.figures and web.render only alias it."""

from decimal import Decimal

import pytest

from assistant import money
from assistant.rules import figures
from assistant.web import render

AMOUNTS = [
    (200000, "20万元"),
    (75000, "7.5万元"),
    (15000, "1.5万元"),
    (10000, "1万元"),
    (28800, "28800元"),
    (5000, "5000元"),
    (9999, "9999元"),
    (0, "0元"),
    (Decimal("0.5"), "0.5元"),
    (0.5, "0.5元"),
    ("123456.78", "123456.78元"),
    (Decimal("6172.84"), "6172.84元"),
    (Decimal("12345.6"), "12345.6元"),
    (Decimal("1.50"), "1.5元"),
    (Decimal(200_000_000), "2亿元"),
    (Decimal(300_000_000), "3亿元"),
    (Decimal(150_000_000), "1.5亿元"),
    (Decimal(123_000_000), "12300万元"),
    (Decimal("1E+5"), "10万元"),
    (-50000, "-5万元"),
]


@pytest.mark.parametrize(("amount", "text"), AMOUNTS)
def test_money_format(amount, text):
    assert money.format_yuan(amount) == text
    # the other names are the same function, not look-alikes
    assert figures.format_yuan(amount) == render.fmt_yuan(amount) == text


def test_no_amount_and_not_a_number():
    assert money.format_yuan(None) == "—" and money.format_yuan("") == "—"
    assert render.fmt_yuan(None) == "金额待定" and render.fmt_yuan("") == "金额待定"
    assert money.format_yuan("一事一议") == "一事一议"
    assert money.format_yuan(Decimal("NaN")) == "NaN"


def test_aliases_carry_no_logic_of_their_own():
    assert figures.format_yuan is money.format_yuan
    assert render.fmt_yuan.func is money.format_yuan


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal(100_000), "美元", "10万美元"),
        (Decimal(2000), "平方米", "2000平方米"),
        (Decimal(3_000_000), "件", "300万件"),
        (Decimal("12.50"), "%", "12.5%"),
        (Decimal(30), "%", "30%"),
        (Decimal(200_000_000), "元", "2亿元"),
    ],
)
def test_rule_figures_use_the_same_scaling(value, unit, text):
    assert figures.format_figure(value, unit) == text
