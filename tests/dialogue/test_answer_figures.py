"""Every money figure in every answer of every QA set comes from the engine: an award's amount, maximum or
instalment, a total (certain or best case), a figure the engine wrote on an award (a threshold, a gap, a cap), a
figure the user stated, or a figure inside a quoted clause. The answer text is never its own source (figures come
only from the engine, and the contract carries each one in a field).

All sets of tests/qa/sets.yaml run, the blind ones too (a set needing a fixture policy on a corpus that holds it);
their questions are only asked here, never shown: a failure names the set and the case number."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.contract import AskResponse
from assistant.dialogue.pipeline import AskPipeline
from assistant.eval.qa import load_cases, load_sets, settings_with_policies
from assistant.facts import facts_scope
from assistant.llm.guard import _citation_texts, _unquoted, allowed_figures
from assistant.llm.textfigures import figures_of

REGISTRY = Path(__file__).resolve().parents[1] / "qa" / "sets.yaml"
MONEY = {"money", "usd"}
pytestmark = pytest.mark.slow  # builds a real index (retrieval decides which clauses an answer quotes)


def unsupported_money(resp: AskResponse) -> list[str]:
    # What the engine supplied, without the answer text itself; and the example questions a greeting offers.
    engine = allowed_figures(resp.model_copy(update={"answer": ""}))
    for example in resp.examples:
        engine.add_text(example)
    text = _unquoted(resp.answer, _citation_texts(resp))
    return [f.text for f in figures_of(text) if f.dim in MONEY and not engine.allows(f)]


@pytest.fixture(scope="module", autouse=True)
def _forget_extra_facts():
    """Pipelines over fixture policies declare their facts process-wide; later modules must not read with them."""
    with facts_scope():
        yield


@pytest.fixture(scope="module")
def pipeline_for(tmp_path_factory):
    base = Settings(index_dir=tmp_path_factory.mktemp("figures-index"), today=dt.date(2026, 11, 23))
    built: dict[tuple, AskPipeline] = {}

    def get(qa_set) -> AskPipeline:
        key = tuple(qa_set.extra_policies)
        if key not in built:
            settings = (
                settings_with_policies(base, qa_set.extra_policies, tmp_path_factory.mktemp("extra")) if key else base
            )
            built[key] = AskPipeline(settings)
        return built[key]

    return get


def test_every_money_figure_in_every_answer_comes_from_the_engine(pipeline_for):
    problems: list[str] = []
    asked = 0
    for qa_set in load_sets(REGISTRY):
        pipeline = pipeline_for(qa_set)
        blind = "blind" in qa_set.path.parts
        singles, conversations = load_cases(qa_set.path)
        turns = [[c] for c in singles] + [conv.get("turns") or [] for conv in conversations]
        for n, conversation in enumerate(turns, 1):
            sid = None
            for turn in conversation:
                resp = pipeline.ask(turn["q"], session_id=sid)
                sid = resp.session_id
                asked += 1
                bad = unsupported_money(resp)
                if bad:
                    where = f"case {n}" if blind else turn["q"][:40]
                    problems.append(f"{qa_set.name} {where} → {bad}")
    assert asked > 100
    assert not problems, "\n".join(problems[:20])


def test_the_check_catches_a_figure_the_engine_did_not_give(pipeline_for):
    pipeline = pipeline_for(load_sets(REGISTRY)[0])
    resp = pipeline.ask("淄博电商企业网络零售额5000万元，能拿多少？")
    assert not unsupported_money(resp)
    doctored = resp.model_copy(update={"answer": resp.answer + "\n另可得奖励123457元。"})
    assert unsupported_money(doctored) == ["123457元"]


def test_the_best_case_total_the_text_states_is_a_field(pipeline_for):
    # one award certain (9.8万元), one more to confirm: the text states both totals, the contract carries both
    pipeline = pipeline_for(load_sets(REGISTRY)[0])
    resp = pipeline.ask("淄博一家公司抖音加天猫GMV合计1.96亿元，全部是实物商品，按每万元5块的流量补贴算下来多少？")
    assert resp.best_total_yuan == 98000 and resp.conditional_total_yuan == 298000
    assert "合计可得9.8万元" in resp.answer and "最多可得29.8万元" in resp.answer
    without = resp.model_copy(update={"conditional_total_yuan": None})
    assert unsupported_money(without) == ["29.8万元"]
