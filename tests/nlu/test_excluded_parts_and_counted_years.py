"""Two readings that used to give confident wrong figures (MECHANISM_GAPS gaps 6 and 9):
- a part the clause leaves out of a total (a declared fact's ``excludes``) is taken off the stated total, and said;
- a 累计 over named years adds only the years the rules here count (rule ``data_years``), saying which was left out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant import corpus
from assistant.facts import facts_scope
from assistant.nlu import parse
from assistant.nlu.claims import FactBinder, rule_counted_years
from assistant.rules.loader import load_rule_file

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "policies"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture()
def env():
    with facts_scope():
        pr = load_rule_file(FIXTURE / "rules" / "liulin-2024.yaml")
        book = SimpleNamespace(rules={r.id: r for r in pr.rules})
        binder = FactBinder(counted_years=rule_counted_years(book))
        policies = [*corpus.load_policies(ROOT / "corpus"), *corpus.load_policies(FIXTURE)]
        yield lambda text: parse(text, today=TODAY, binder=binder, policies=policies)


@pytest.mark.parametrize(
    "text, value",
    [
        ("柳林县新建的电商服务中心项目实际投资额350万元，其中土地购置费用90万元，补多少？", 2_600_000),
        ("柳林县改造电商产业园，今年一共投入了420万元，含买地的150万元，能补多少？", 2_700_000),
    ],
)
def test_an_excluded_part_is_taken_off_the_total(env, text, value):
    q = env(text)
    assert q.facts.get("infrastructure_investment") == Decimal(value)
    assert any("不计入" in a and "−" in a for a in q.assumptions)


def test_a_part_the_clause_does_not_exclude_is_left_alone(env):
    q = env("柳林县新建的电商服务中心项目实际投资额350万元，其中设备购置费90万元，补多少？")
    assert q.facts.get("infrastructure_investment") == Decimal(3_500_000)


def test_a_part_not_smaller_than_the_total_is_not_subtracted(env):
    q = env("柳林县新建的电商服务中心项目实际投资额80万元，其中土地购置费90万元")
    assert q.facts.get("infrastructure_investment") != Decimal(-100_000)


def test_a_year_outside_the_counted_years_is_left_out_and_said(env):
    q = env("柳林县的快递公司，2023年揽收快递90万件，2025年揽收60万件，2026年揽收55万件，能奖多少？")
    assert q.facts.get("express_volume") == Decimal(1_150_000)
    assert any("2023年的数字不在条款统计的年度" in a for a in q.assumptions)


def test_counted_years_only_are_summed_as_stated(env):
    q = env("柳林县的快递公司，2025年揽收60万件，2026年揽收55万件，能奖多少？")
    assert q.facts.get("express_volume") == Decimal(1_150_000)
    assert not any("不在条款统计的年度" in a for a in q.assumptions)


def test_counted_years_of_another_policy_do_not_apply_elsewhere(env):
    q = env("茌平区的快递公司，2023年业务量120万件，2024年170万件，能拿多少？")
    assert not any("不在条款统计的年度" in a for a in q.assumptions)
