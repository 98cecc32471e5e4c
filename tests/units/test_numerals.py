"""The one numeral parser (assistant.numerals), pinned in one table: every layer reads numbers through it.

A change to any value here changes what the question parser, the rule figures, the clause numbering and
the BM25 query rewrite read, so each row is a decision, not an example.
"""

from decimal import Decimal

import pytest

from assistant.nlu.mentions import scan_numbers
from assistant.numerals import parse_int, parse_number
from assistant.retrieval.numerals import digits_for_amounts
from assistant.rules.figures import parse_figure
from assistant.textnorm import normalize

NUMERALS = [
    # Arabic, grouped, with 万/亿 and the Latin shorthands
    ("12", 12),
    ("3.5", "3.5"),
    ("3000万", 30_000_000),
    ("3千万", 30_000_000),
    ("0.3亿", 30_000_000),
    ("0.6亿", 60_000_000),
    ("1.5亿", 150_000_000),
    ("1.1亿", 110_000_000),
    ("2.5亿", 250_000_000),
    ("0.5万", 5000),
    ("500w", 5_000_000),
    ("500W", 5_000_000),
    ("3k", 3000),
    ("1千2百万", 12_000_000),
    ("30,000,000", 30_000_000),
    ("1,200万", 12_000_000),
    ("1,800万", 18_000_000),
    ("4,321.9万", 43_219_000),
    ("4,999万", 49_990_000),
    ("1,234,567.5", "1234567.5"),
    ("12,000亿", 1_200_000_000_000),
    # full-width digits and punctuation read as ASCII
    ("３０００万", 30_000_000),
    ("１．５亿", 150_000_000),
    ("１，２００万", 12_000_000),
    ("1２", 12),
    # Chinese numerals, 两, zero, financial forms
    ("〇", 0),
    ("零", 0),
    ("两", 2),
    ("一", 1),
    ("十", 10),
    ("十二", 12),
    ("二十", 20),
    ("二十一", 21),
    ("二十三", 23),
    ("一百零五", 105),
    ("一千零五", 1005),
    ("一千零五十", 1050),
    ("两百五十", 250),
    ("三千万", 30_000_000),
    ("两千万", 20_000_000),
    ("一千二百万", 12_000_000),
    ("三千五百万", 35_000_000),
    ("一亿二千万", 120_000_000),
    ("一万亿", 10**12),
    ("壹仟万", 10_000_000),
    ("七点五", "7.5"),
    # colloquial elision: a trailing digit is one order below the last unit
    ("一万五", 15_000),
    ("两千五", 2500),
    ("三百五", 350),
    ("一百五", 150),
    ("3万5", 35_000),
    ("1亿2", 120_000_000),
    # digit-by-digit readings (years)
    ("二零二三", 2023),
    ("二〇二四", 2024),
    # the largest figure kept exact
    ("99999999999999999亿", "9999999999999999900000000"),
]

NOT_NUMERALS = [
    "",
    "abc",
    "三五",
    "一一",
    "3 5",
    "1,2,3",
    "点",
    "万x",
    "十二五",
    "十十",
    "十百",
    "千百千",  # units only descend
    "1e30",
    "1E5",
    "1e30元",  # scientific notation is not a numeral (its exponent must not be read as 30)
    "三千来万",
    "1,200万元",  # an approximation word or a unit: the mention scanner's job (below)
    "3,5",
    "1,0000万",
    "12,34万",
    "1,000,00",
    "3,5个",  # a comma not followed by exactly three digits
    "万" * 3000,
    "一" * 40 + "万",
    "9" * 40,  # hostile lengths and sizes are refused, not raised
]


@pytest.mark.parametrize(("text", "value"), NUMERALS)
def test_numeral_values(text, value):
    got = parse_number(text)
    assert isinstance(got, Decimal) and got == Decimal(value), (text, got)
    assert "E" not in str(got)  # exact and without exponent noise: 1.5亿 prints 150000000


@pytest.mark.parametrize("text", NOT_NUMERALS)
def test_not_numerals(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("两", 2), ("十二", 12), ("二十一", 21), ("7", 7), ("〇", 0), ("七点五", None), ("十十", None), ("三五", None)],
)
def test_whole_numbers_for_counts_and_clause_labels(text, value):
    assert parse_int(text) == value


# The same parser seen through each layer that uses it.


@pytest.mark.parametrize(
    ("text", "value", "kind", "approximate"),
    [
        ("三千来万", 30_000_000, "number", True),
        ("1,200万元", 12_000_000, "money", False),
        ("销售额0.3亿", 30_000_000, "number", False),
        ("３０００万元", 30_000_000, "money", False),
        ("二十一个人", 21, "count", False),
    ],
)
def test_question_mentions(text, value, kind, approximate):
    (m,) = scan_numbers(normalize(text))
    assert (m.value, m.kind, m.approximate) == (Decimal(value), kind, approximate)


def test_scientific_notation_in_a_question_gives_no_number():
    assert scan_numbers(normalize("销售额1e30元")) == []


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("两年", 2, "年"),
        ("十二个月", 12, "月"),
        ("二十人", 20, "人"),
        ("一百零五家", 105, "家"),
        ("3000万元", 30_000_000, "元"),
    ],
)
def test_rule_figures(text, value, unit):
    fig = parse_figure(text)
    assert (fig.value, fig.unit) == (Decimal(value), unit)


@pytest.mark.parametrize(
    ("text", "rewritten"),
    [
        ("卖到两千万", "卖到2000万"),
        ("做到了一个亿", "做到了1亿"),
        ("三百五十万", "350万"),
        ("一千零五万", "1005万"),
        ("一次性奖励，统一配送，第一年", "一次性奖励，统一配送，第一年"),
    ],
)
def test_search_query_rewrite(text, rewritten):
    assert digits_for_amounts(text) == rewritten
