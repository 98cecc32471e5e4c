"""Every question set in tests/qa/sets.yaml, run through the real pipeline (real NLU, real rules, real hybrid
index on disk): each set holds its floor, and no set has more misread answers than its recorded maximum (0 unless
a blind set's first measurement found some)."""

from pathlib import Path

import pytest

from assistant.contract import AskResponse, AwardOut
from assistant.eval.qa import judge, load_cases, load_sets, run, settings_with_policies

HERE = Path(__file__).resolve().parent
SETS = load_sets(HERE / "sets.yaml")
# The shared worked examples when ../shared is beside the checkout, else the copy kept here.
SHARED_EXAMPLES = HERE.parents[1].parent / "shared" / "acceptance" / "ask_examples.yaml"
if not SHARED_EXAMPLES.exists():
    SHARED_EXAMPLES = HERE / "ask_examples.yaml"


@pytest.fixture(scope="module")
def pipeline_for(pipeline, tmp_path_factory):
    """The session pipeline, or one on a corpus that also holds a set's extra (fixture) policies."""
    from assistant.dialogue.pipeline import AskPipeline

    built = {}

    def get(qa_set):
        if not qa_set.extra_policies:
            return pipeline
        key = tuple(qa_set.extra_policies)
        if key not in built:
            settings = settings_with_policies(
                pipeline.settings, qa_set.extra_policies, tmp_path_factory.mktemp("extra")
            )
            built[key] = AskPipeline(settings)
        return built[key]

    return get


@pytest.mark.parametrize("qa_set", SETS, ids=lambda s: s.name)
def test_set_holds_its_floor_with_no_misread(pipeline_for, qa_set):
    report = run(qa_set.path, pipeline_for(qa_set).ask, name=qa_set.name)
    failures = "\n".join(f"{r.outcome} {r.id}: {r.q} -> {r.errors}" for r in report.failures)
    assert report.count("misread") <= qa_set.misread_max, f"{report.summary()}\n{failures}"
    assert report.pass_rate >= qa_set.floor, f"{report.summary()}\n{failures}"


def test_every_shared_worked_example_passes(pipeline):
    cases, _ = load_cases(SHARED_EXAMPLES)
    problems = [f"{c['q']}: {errs}" for c in cases if (errs := judge(c, pipeline.ask(c["q"]))[1])]
    assert not problems, "\n".join(problems)


def test_sets_cover_the_corpus_and_blind_sets_are_kept_apart():
    from assistant.corpus import load_policies

    corpus_ids = {p.id for p in load_policies()}
    development = [s for s in SETS if s.kind == "development" and s.path.name != "ask_examples.yaml"]
    covered = {e["policy"] for s in development for c in load_cases(s.path)[0] for e in (c.get("expect") or [])}
    assert corpus_ids <= covered, f"no development question expects an award of {corpus_ids - covered}"
    assert all(s.path.exists() for s in SETS)


def _resp(*awards, follow_up=()):
    return AskResponse(answer="…", awards=[AwardOut(**a) for a in awards], follow_up=list(follow_up))


@pytest.mark.parametrize(
    ("case", "resp", "outcome"),
    [
        (
            {"expect": [{"policy": "p", "clause": "一", "amount": 100}]},
            _resp({"policy_id": "p", "clause_id": "一", "status": "eligible", "amount_yuan": 100}),
            "right",
        ),
        # the clause found but its figure missing (asked instead): honest, a miss
        (
            {"expect": [{"policy": "p", "clause": "一", "amount": 100}]},
            _resp({"policy_id": "p", "clause_id": "一", "status": "conditional", "amount_yuan": None}),
            "missed",
        ),
        # the clause with a definite other figure: a wrong binding
        (
            {"expect": [{"policy": "p", "clause": "一", "amount": 100}]},
            _resp({"policy_id": "p", "clause_id": "一", "status": "conditional", "amount_yuan": 200}),
            "misread",
        ),
        (
            {"forbid": [{"policy": "p", "clause": "二"}]},
            _resp({"policy_id": "p", "clause_id": "二", "status": "conditional", "amount_yuan": None}),
            "misread",
        ),
        (
            {"forbid": [{"policy": "p", "clause": "二"}]},
            _resp({"policy_id": "p", "clause_id": "二", "status": "ineligible", "amount_yuan": None}),
            "right",
        ),
        ({"no_awards": True, "followup": True}, _resp(), "missed"),
        (
            {"expect_status": [{"policy": "p", "clause": "一", "status": "conditional"}]},
            _resp({"policy_id": "p", "clause_id": "一", "status": "eligible", "amount_yuan": 5}),
            "misread",
        ),
    ],
)
def test_outcomes_are_told_apart(case, resp, outcome):
    assert judge(case, resp)[0] == outcome
