"""The hand-computed QA set and the shared worked examples, run through the real pipeline
(real NLU, real rules, real hybrid index on disk)."""
from pathlib import Path

import pytest

from assistant.dialogue.evaluation import check, load_cases, run

HERE = Path(__file__).resolve().parent
# The shared worked examples when ../shared is beside the checkout, else the copy kept here.
SHARED_EXAMPLES = HERE.parents[1].parent / "shared" / "acceptance" / "ask_examples.yaml"
if not SHARED_EXAMPLES.exists():
    SHARED_EXAMPLES = HERE / "ask_examples.yaml"

# The floor for each set; raise it as the pipeline improves, never lower it silently.
# questions.yaml is the development set; holdout.yaml was written by a second author from the texts
# alone (no code, no rules read), with other wordings and figures; holdout2.yaml and holdout3.yaml by a third and a fourth, likewise.
MIN_PASS_RATE = 0.95
SETS = ["questions.yaml", "holdout.yaml", "holdout2.yaml", "holdout3.yaml"]


@pytest.mark.parametrize("name", SETS)
def test_question_set_is_large_and_covers_every_policy(name):
    singles, conversations = load_cases(HERE / name)
    assert len(singles) >= 50
    assert len(conversations) >= 3
    policies = {e["policy"] for c in singles for e in (c.get("expect") or [])}
    assert policies >= {"zibo-2022", "liaocheng-2022", "chiping-2022", "jining-2022", "jinyun-2025"}


@pytest.mark.parametrize("name", SETS)
def test_pass_rate_meets_the_floor(pipeline, name):
    report = run(HERE / name, pipeline.ask)
    failures = "\n".join(f"{i}: {q} -> {e}" for i, q, e in report.failures)
    assert report.pass_rate >= MIN_PASS_RATE, f"{report.summary()}\n{failures}"


def test_every_shared_worked_example_passes(pipeline):
    cases, _ = load_cases(SHARED_EXAMPLES)
    problems = []
    for case in cases:
        errs = check(case, pipeline.ask(case["q"]))
        if errs:
            problems.append(f"{case['q']}: {errs}")
    assert not problems, "\n".join(problems)
