"""The answer contract of DEVELOPERS.md, through the real `policy-qa` console script in a subprocess
(real index on disk in a private directory)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXE = shutil.which("policy-qa", path=str(Path(sys.executable).parent)) or "policy-qa"
ASK_KEYS = {"answer", "awards", "citations", "follow_up", "warnings"}
Q_LIAOCHENG = "我在聊城开了一家直播公司，年销售额3000万，能拿到奖励吗？"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    env = {
        **os.environ,
        "POLICY_QA_INDEX_DIR": str(tmp_path_factory.mktemp("cli-index")),
        "POLICY_QA_TODAY": "2026-11-23",
        "NO_COLOR": "1",
    }

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([EXE, *args], input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)

    return run


def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_ask_json_prints_one_object_with_the_contract_keys(cli):
    r = cli("ask", "--json", Q_LIAOCHENG)
    assert r.returncode == 0, r.stderr
    (obj,) = _lines(r.stdout)
    assert ASK_KEYS <= obj.keys()
    award = next(a for a in obj["awards"] if (a["policy_id"], a["clause_id"]) == ("liaocheng-2022", "六"))
    assert award["status"] == "conditional" and award["amount_yuan"] == 200000
    assert any(c["clause_id"] == "六" and "20万元" in c["text"] for c in obj["citations"])
    assert any("征求意见稿" in w for w in obj["warnings"]) and obj["follow_up"]


def test_ask_stdin_answers_each_line_in_order(cli):
    r = cli("ask", "--json", "-", stdin=f"{Q_LIAOCHENG}\n缙云达人号粉丝1200万，能拿多少奖励？\n")
    assert r.returncode == 0, r.stderr
    first, second = _lines(r.stdout)
    assert {a["policy_id"] for a in first["awards"]} <= {"liaocheng-2022"}
    assert any(a["policy_id"] == "jinyun-2025" for a in second["awards"])
    assert first["session_id"] != second["session_id"]  # independent questions


def test_ask_stdin_with_session_is_one_conversation(cli):
    r = cli("ask", "--json", "--session", "s", "-", stdin=f"{Q_LIAOCHENG}\n那如果销售额是5000万呢？\n")
    first, second = _lines(r.stdout)
    assert second["session_id"] == first["session_id"]
    assert second["profile"]["facts"]["online_retail_sales"] == 50000000
    assert second["profile"]["region"] == first["profile"]["region"] == "聊城市"


def test_search_json_stdin_prints_hits_per_query(cli):
    r = cli("search", "--json", "--top", "3", "-", stdin="海外仓\n網絡零售額 流量补贴\n")
    assert r.returncode == 0, r.stderr
    first, second = _lines(r.stdout)
    assert len(first["hits"]) == 3
    assert {"policy_id", "clause_id", "text", "score"} <= first["hits"][0].keys()
    assert any("海外仓" in h["text"] for h in first["hits"])
    assert any("流量补贴" in h["text"] for h in second["hits"])


def test_bad_input_gets_a_message_and_a_non_zero_exit(cli):
    empty = cli("search", "--json", "   ")
    assert empty.returncode != 0
    assert "为空" in _lines(empty.stdout)[0]["error"]  # in --json mode the message is the JSON error
    huge = cli("ask", "--json", "电商" * 800)
    assert huge.returncode != 0
    assert "1000" in _lines(huge.stdout)[0]["answer"]
