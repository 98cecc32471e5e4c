"""The engine returns data — typed Reasons, Missing with the stand-in named, Assumptions — and one renderer
(assistant/rules/wording.py) words it; the Engine takes its date and policy metadata as arguments.
Also the two readings the rule format gained: per_year years bound the data year, and less_received
(差额补足) deducts what was already received."""

from __future__ import annotations

import ast
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from rules_helpers import book_from, evaluate_fixture

from assistant.rules.engine import Engine, PolicyInfo, evaluate_policies
from assistant.rules.loader import RuleBook, facts_scope, load_rule_file, load_rulebook
from assistant.rules.provenance import check_policy

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_rulebook(ROOT / "rules"), {})


def _award(ev, clause_id: str, policy_id: str):
    return next(a for a in ev.awards if a.policy_id == policy_id and a.clause_id == clause_id)


# --- structured reasons ---------------------------------------------------------------------------


def test_a_failed_threshold_is_data_with_its_gap_and_worded_once(engine):
    ev = engine.run(
        ["zibo-2022"],
        {
            "entity_kind": "enterprise",
            "physical_online_retail_sales": 8_000_000,
            "registered_locally": True,
            "in_statistics": True,
        },
        TODAY,
    )
    failing = [(a, r) for a in ev.awards for r in a.failed_reasons if r.code == "condition" and r.gap is not None]
    assert failing, "some zibo threshold is above 800万元"
    a, r = failing[0]
    assert r.fact and r.op in (">=", ">") and isinstance(r.threshold, Decimal)
    assert r.actual == 8_000_000 and r.gap == Decimal(r.threshold) - 8_000_000
    # The sentence is the renderer's: the award's text fields are rendered from these reasons.
    from assistant.rules.wording import failed_text

    assert failed_text(r) in a.failed


def test_a_stand_in_fact_is_named_on_missing_and_assumption(engine):
    ev = engine.run(["zibo-2022"], {"entity_kind": "enterprise", "online_retail_sales": 30_000_000}, TODAY)
    stood = [(a, m) for a in ev.awards for m in a.missing if m.stands_in]
    assert stood, "online_retail_sales stands in for physical_online_retail_sales"
    a, m = stood[0]
    assert m.stands_in == "online_retail_sales" and m.stand_in_value == 30_000_000
    assert any(s.fact == m.fact and s.used == "online_retail_sales" for s in a.assumptions)
    assert "网络零售额" in m.question and "目前按" in m.question
    dumped = a.to_json()["missing"][0]
    assert dumped["stands_in"] == "online_retail_sales" and dumped["question"] == m.question


def test_the_contract_keeps_its_text_fields(engine):
    ev = engine.run(
        ["chiping-2022"], {"entity_kind": "enterprise", "online_sales": 3_000_000, "registered_locally": True}, TODAY
    )
    data = ev.to_json()
    award = data["awards"][0]
    for key in ("failed", "gap", "requirements", "notes", "warnings", "missing", "assumptions", "trace"):
        assert key in award
    assert all(isinstance(t["text"], str) and t["text"] for a in data["awards"] for t in a["trace"])
    assert "failed_reasons" not in award and "reason" not in award["trace"][0]
    assert all(isinstance(b["reason"], str) for b in data["total_breakdown"])


def test_the_engine_writes_no_sentences():
    """No f-string with Chinese text in the engine or its context: sentences live in rules/wording.py."""
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for name in ("engine.py", "context.py"):
        tree = ast.parse((ROOT / "assistant" / "rules" / name).read_text(encoding="utf-8"))
        worded = [
            n.lineno
            for n in ast.walk(tree)
            if isinstance(n, ast.JoinedStr)
            and any(isinstance(v, ast.Constant) and cjk.search(str(v.value)) for v in n.values)
        ]
        assert not worded, f"{name}: Chinese f-strings at lines {worded}"


# --- inputs passed in -----------------------------------------------------------------------------


def test_engine_is_validated_at_init_and_takes_today():
    with pytest.raises(TypeError):
        Engine({"not": "a book"})  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Engine(RuleBook(), {"a-2020": PolicyInfo("b-2020")})
    eng = Engine(load_rulebook(ROOT / "rules"), {})
    with pytest.raises(TypeError):
        eng.run(["zibo-2022"], {}, "2026-11-23")  # type: ignore[arg-type]


def test_policy_metadata_is_an_argument():
    book = load_rulebook(ROOT / "rules")
    expired = PolicyInfo(
        "zibo-2022", title="测试政策", effective_from=dt.date(2020, 1, 1), effective_to=dt.date(2021, 1, 1)
    )
    facts = {"entity_kind": "enterprise", "physical_online_retail_sales": 30_000_000}
    ev = Engine(book, {"zibo-2022": expired}).run(["zibo-2022"], facts, TODAY)
    assert all(a.policy_validity == "expired" for a in ev.awards)
    assert any("《测试政策》有效期至2021年01月01日，已失效" in w for w in ev.warnings)
    fresh = Engine(book, {"zibo-2022": PolicyInfo("zibo-2022", title="测试政策")}).run(["zibo-2022"], facts, TODAY)
    assert all(a.policy_validity == "unknown" for a in fresh.awards)
    assert not any("已失效" in w for w in fresh.warnings)


def test_compatibility_wrapper_matches_the_engine():
    facts = {"entity_kind": "enterprise", "physical_online_retail_sales": 30_000_000}
    old = evaluate_policies(["zibo-2022"], facts, TODAY)
    from assistant.rules.defaults import default_policies

    new = Engine(load_rulebook(), default_policies()).run(["zibo-2022"], facts, TODAY)
    assert old.to_json() == new.to_json()


# --- per_year: the data year must be one of the years paid ----------------------------------------


def _peiyu(engine, **facts):
    ev = engine.run(
        ["chiping-2022"],
        {
            "entity_kind": "enterprise",
            "online_sales": 60_000_000,
            "registered_locally": True,
            "sells_local_agricultural_products": False,
            **facts,
        },
        TODAY,
    )
    return next(a for a in ev.awards if a.per_year and a.years == [2023, 2024] and a.form == "tiers")


def test_per_year_figure_of_an_unlisted_year_is_not_paid(engine):
    a = _peiyu(engine, data_year=2022)
    assert a.status == "ineligible" and a.amount_yuan is None
    r = next(r for r in a.failed_reasons if r.code == "per_year")
    assert r.fact == "data_year" and r.actual == 2022 and r.threshold == [2023, 2024]
    assert any("2022年" in f for f in a.failed)


@pytest.mark.parametrize("year", [2023, 2024, None, 2025])
def test_per_year_figure_of_a_listed_or_unstated_year_is_paid(engine, year):
    """2025: after the listed period — the policy's expiry is said as a warning, as for any expired policy."""
    a = _peiyu(engine, **({"data_year": year} if year else {}))
    assert a.status == "eligible" and a.amount_yuan == 100_000


# --- less_received: 差额补足 ------------------------------------------------------------------------

FIXTURE = ROOT / "tests" / "fixtures" / "policies"


@pytest.mark.parametrize(
    "received, status, amount",
    [
        (None, "eligible", 50_000),  # nothing said: the tier reached (the clause's note says the difference rule)
        (30_000, "eligible", 20_000),  # 已享受3万元 → 5万元档按差额补足2万元
        (50_000, "ineligible", None),  # 同一档次不重复奖励
    ],
)
def test_less_received_pays_the_difference(received, status, amount):
    with facts_scope():
        pr = load_rule_file(FIXTURE / "rules" / "liulin-2024.yaml")
        book = RuleBook(policies={pr.policy_id: pr}, rules={r.id: r for r in pr.rules})
        facts = {
            "entity_kind": "ecommerce_enterprise",
            "taxable_sales": 12_000_000,
            "registered_locally": True,
            "in_statistics": True,
        }
        if received is not None:
            facts["awards_received"] = received
        ev = Engine(book, {}).run([pr.policy_id], facts, TODAY)
        a = _award(ev, "一", pr.policy_id)
        assert (a.status, a.amount_yuan) == (status, amount)
        if received is not None:
            assert any(s.reason.code == "less_received" and "按差额补足" in s.text for s in a.trace)


def test_less_received_wording_is_checked_against_the_clause():
    with facts_scope():
        book = book_from("""
        policy_id: synth-2098
        rules:
          - id: synth-2098/a
            clause_id: 一
            title: t
            applicants: [enterprise]
            award: {form: fixed, amount: "5万元", less_received: {fact: awards_received, wording: 按差额补足}}
            reference: 给予5万元奖励
        """)
        problems = check_policy(book.policies["synth-2098"], {"一": "给予5万元奖励。"}, "synthetic.yaml")
    assert any("less_received" in p for p in problems)


def test_every_reason_the_scenarios_produce_has_its_sentence():
    """Every scenario of tests/rules/*.yaml, rendered whole: a code without wording would raise here."""
    import yaml

    from assistant.rules.regions import policies_for

    rendered = 0
    for path in sorted((ROOT / "tests" / "rules").glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for sc in spec["scenarios"]:
            policy = sc.get("policy") or spec.get("policy")
            ids = [policy] if policy else policies_for(sc.get("region") or spec["region"]).policy_ids
            day = sc.get("date") or spec.get("date") or TODAY
            with facts_scope():  # a fixture's declared facts are known while it is worded
                if spec.get("rule_file"):
                    data = evaluate_fixture(spec["rule_file"], ids, sc["facts"], day).to_json()
                else:
                    data = evaluate_policies(ids, sc["facts"], day).to_json()
            texts = [t["text"] for a in data["awards"] for t in a["trace"]]
            texts += [m["question"] for a in data["awards"] for m in a["missing"]]
            texts += [n for a in data["awards"] for n in a["notes"] + a["failed"] + ([a["gap"]] if a["gap"] else [])]
            assert all(isinstance(t, str) and t for t in texts)
            rendered += len(texts)
    assert rendered > 0
