"""A sixth policy with metrics the shared lexicon lacks, added by data alone: its text and metadata
(tests/fixtures/policies/), a rule file declaring its own facts, and nothing in Python. The real pipeline
runs on a temporary corpus = the shipped policies + the fixture, and questions in that policy's own words
must get its figures to the yuan."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from assistant import corpus
from assistant.config import Settings
from assistant.facts import FACTS, facts_scope
from assistant.rules.loader import load_rulebook
from assistant.rules.provenance import check_rulebook

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "policies"
PID = "liulin-2024"


@pytest.fixture(scope="module", autouse=True)
def _forget_its_facts():
    """The fixture policy declares its facts in the process-wide registry; later modules must not read with them."""
    with facts_scope():
        yield


@pytest.fixture(scope="module")
def dirs(tmp_path_factory):
    base = tmp_path_factory.mktemp("sixth-policy")
    corpus_dir, rules_dir = base / "corpus", base / "rules"
    shutil.copytree(ROOT / "corpus", corpus_dir)
    for p in FIXTURE.glob(f"{PID}.*"):
        shutil.copy(p, corpus_dir)
    rules_dir.mkdir()
    for p in (ROOT / "rules").glob("*.yaml"):
        shutil.copy(p, rules_dir)
    shutil.copy(FIXTURE / "rules" / f"{PID}.yaml", rules_dir)
    return corpus_dir, rules_dir, base / "index"


@pytest.fixture(scope="module")
def pipeline(dirs):
    from assistant.dialogue.pipeline import AskPipeline

    corpus_dir, rules_dir, index_dir = dirs
    return AskPipeline(
        Settings(corpus_dir=corpus_dir, rules_dir=rules_dir, index_dir=index_dir, today=dt.date(2025, 6, 30)),
        retrieval=None,
    )


def test_fixture_rules_load_with_their_declared_facts_and_pass_provenance(dirs):
    corpus_dir, rules_dir, _ = dirs
    book = load_rulebook(rules_dir)
    assert PID in book.policies
    for name in ("taxable_sales", "infrastructure_investment", "exhibition_cost", "new_local_hires"):
        assert FACTS[name].source == "rules"
    texts = {}
    for c in corpus.load_clauses(corpus_dir):
        texts.setdefault(c.policy_id, {})[c.clause_id] = c.text
    assert check_rulebook(book, lambda pid: texts.get(pid)) == []


def _awards(response):
    return {(a.clause_id, a.status, a.amount_yuan) for a in response.awards if a.policy_id == PID}


@pytest.mark.parametrize(
    "question, clause, status, amount",
    [
        ("柳林县的电商企业，已纳入统计，年应税销售额首次达到1200万元，能奖励多少？", "一", "eligible", 50000),
        ("柳林电商企业，纳入统计了，应税销售额5000万元", "一", "eligible", 200000),
        (
            "我们在柳林县新建了一个电商产业园，项目当年实际投资额300万元（不含土地），能补助多少？",
            "二",
            "eligible",
            500000,
        ),
        ("柳林县跨境电商企业，年度跨境电商出口额12万美元，奖励多少？", "三", "eligible", 6000),
        ("柳林的电商企业参加了跨境电商展会，展位费、特装搭建费实际支出费用8万元，补助多少？", "四", "eligible", 40000),
        ("柳林县电商企业，本地农特产品年度网络销售额1500万元，排名全县第二，能拿多少？", "六", "eligible", 80000),
        ("柳林电商企业今年新增吸纳本县户籍劳动者就业12人，都连续交了6个月社保，补贴多少？", "七", "eligible", 24000),
        ("柳林县电商企业新建仓储设施，仓储面积800平方米，补助多少？", "八", "eligible", 24000),
        ("柳林县电商企业租了冷库600平方米，租期5年，补助多少？", "八", "eligible", 48000),
        (
            "柳林县快递企业，设立了分拨中心，2025年揽收快递业务量60万件，2026年50万件，能拿多少？",
            "九",
            "eligible",
            50000,
        ),
        ("柳林的快递物流企业，2025年、2026年累计在本县揽收快递业务量320万件", "九", "eligible", 100000),
    ],
)
def test_questions_in_the_policys_own_words_get_its_figures(pipeline, question, clause, status, amount):
    r = pipeline.ask(question)
    assert (clause, status, amount) in _awards(r), (r.profile, _awards(r))


def test_a_negated_statistics_condition_is_not_read_as_met(pipeline):
    r = pipeline.ask("柳林县电商企业年应税销售额600万元，还没有纳入统计")
    assert ("一", "ineligible", None) in _awards(r)
    assert r.profile["facts"]["in_statistics"] is False


def test_an_unknown_metric_is_asked_about_in_the_users_words(pipeline):
    r = pipeline.ask("柳林县电商企业，去年利润200万元，能拿什么奖励？")
    assert any("利润200万元" in q for q in r.follow_up), r.follow_up
    assert not any(a.status == "eligible" for a in r.awards if a.policy_id == PID)
