"""End to end: `policy-qa ask --json` with a chat model configured by environment.

The CLI runs as a subprocess with POLICY_QA_LLM_* pointing at the OpenAI-compatible stub on loopback:
- a rewrite with a changed figure → the engine's answer and figures, unchanged;
- a faithful rewrite → the model's text as ``answer``, same awards/citations/warnings;
- no model configured → the stub is never called and nothing changes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from llm_helpers import with_changed_figure

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.llm_e2e,
    pytest.mark.slow,  # the subprocess builds a private index once (~10 s)
]

Q_FAITHFUL = "淄博的电商企业实物商品网络零售额5000万元，流量补贴能拿多少？"
Q_CHANGED = "缙云达人号粉丝1200万，能拿多少奖励？"
PREFIX = "（智能改写）"


def _stub_rewrite(data: dict) -> str:
    answer = data["deterministic_answer"]
    if "淄博" in answer:
        return PREFIX + answer  # faithful: the engine's own words
    return with_changed_figure(answer)  # unfaithful: one figure changed


@pytest.fixture(scope="module")
def run_ask(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("llm-e2e-index")

    def run(llm_env: dict[str, str]) -> list[dict]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("POLICY_QA_LLM_")}
        env.update(POLICY_QA_INDEX_DIR=str(index_dir), POLICY_QA_TODAY="2026-11-23", NO_COLOR="1", **llm_env)
        r = subprocess.run(
            [sys.executable, "-m", "assistant.cli.main", "ask", "--json", "-"],
            input=f"{Q_FAITHFUL}\n{Q_CHANGED}\n",
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=600,
        )
        assert r.returncode == 0, r.stderr
        return [json.loads(line) for line in r.stdout.splitlines()]

    return run


def _same_except_answer(a: dict, b: dict) -> None:
    for key in ("awards", "citations", "warnings", "follow_up", "best_total_yuan", "profile"):
        assert a[key] == b[key], key


def test_cli_with_model_keeps_engine_figures(stub, run_ask):
    baseline = run_ask({})
    assert stub.requests == []  # no model configured: never called
    assert all("由语言模型" not in r["answer"] for r in baseline)

    stub.rewrite = _stub_rewrite
    assisted = run_ask(
        {
            "POLICY_QA_LLM_MODEL": "stub-chat",
            "POLICY_QA_LLM_BASE_URL": stub.base_url,
            "POLICY_QA_LLM_API_KEY": "test-key",
            "POLICY_QA_LLM_MAX_RETRIES": "0",
        }
    )
    assert stub.requests, "the configured model was never called"
    faithful, changed = assisted
    base_faithful, base_changed = baseline
    # faithful rewrite: the model's text is the answer, everything else the engine's
    assert faithful["answer"].startswith(PREFIX + base_faithful["answer"].split("\n")[0])
    _same_except_answer(faithful, base_faithful)
    # changed figure: rejected, the engine's answer and figures stand
    assert changed["answer"] == base_changed["answer"]
    _same_except_answer(changed, base_changed)
