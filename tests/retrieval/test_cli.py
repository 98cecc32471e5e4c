"""`policy-qa search / index / eval retrieval` as a user runs them (subprocesses on the session index)."""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # uses the session's real index (built once, ~10 s)


@pytest.fixture(scope="module")
def run_cli(index_settings, service):
    env = dict(
        os.environ,
        POLICY_QA_INDEX_DIR=str(index_settings.index_dir),
        POLICY_QA_CORPUS_DIR=str(index_settings.corpus_dir),
        NO_COLOR="1",
    )

    def run(*args, stdin=None):
        return subprocess.run(
            [sys.executable, "-m", "assistant.cli.main", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )

    return run


def test_search_json(run_cli):
    r = run_cli("search", "--json", "--top", "2", "绿色直播间")
    assert r.returncode == 0, r.stderr
    hits = json.loads(r.stdout)["hits"]
    assert len(hits) == 2
    assert {"policy_id", "clause_id", "text", "score", "heading", "policy_title", "citation"} <= set(hits[0])
    assert (hits[0]["policy_id"], hits[0]["clause_id"]) == ("jinyun-2025", "（七）")


def test_search_stdin_one_line_per_query_and_bad_lines(run_cli):
    r = run_cli("search", "--json", "--top", "1", "-", stdin="齐鲁电商贷\n   \n智能快递柜\n")
    assert r.returncode != 0
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[0]["hits"][0]["clause_id"] in {"八", "十一"}
    assert lines[1] == {"hits": [], "error": lines[1]["error"]} and "为空" in lines[1]["error"]
    assert lines[2]["hits"][0]["clause_id"] == "三（四）3"


def test_search_refuses_empty_and_oversized(run_cli):
    r = run_cli("search", "  ")
    assert r.returncode == 2 and "为空" in r.stderr
    r = run_cli("search", "电" * 2001)
    assert r.returncode == 2 and "过长" in r.stderr


def test_search_human_output_marks_terms_and_region_note(run_cli):
    r = run_cli("search", "--region", "聊城", "--top", "1", "齐鲁电商贷")
    assert r.returncode == 0, r.stderr
    assert "【齐鲁电商贷】" in r.stdout and "十一" in r.stdout and "第十一条" in r.stdout
    assert "区县政策可能另有规定" in r.stderr
    r = run_cli("search", "--region", "火星", "直播")
    assert r.returncode == 2 and "未收录" in r.stderr


def test_index_up_to_date_and_eval(run_cli):
    r = run_cli("index")
    assert r.returncode == 0 and "已是最新" in r.stdout
    r = run_cli("eval", "retrieval", "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert set(report["overall"]) == {"bm25", "dense", "hybrid"}
    assert set(report["by_kind"]) == {"keyword", "paraphrase"}
    assert report["overall"]["hybrid"]["recall"]["5"] >= 0.95
