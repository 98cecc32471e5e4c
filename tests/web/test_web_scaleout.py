"""Scale-out against real processes and a real Redis: a conversation whose turns land on different workers or
servers keeps its profile, and two servers enforce one rate limit."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import Server, _start, free_port

REDIS = shutil.which("redis-server")
FIRST = "我在淄博开了一家电商公司"
FOLLOW = "网络零售额3000万元"


def _ask(url: str, question: str, session_id: str | None = None) -> dict:
    # a new connection per request, so that the kernel may hand each one to another worker
    r = httpx.post(
        url + "/api/ask",
        json={"question": question, "session_id": session_id},
        timeout=120,
        headers={"Connection": "close"},
    )
    assert r.status_code == 200, r.text
    return r.json()


def _serve(tmp: Path, index_dir: Path, env_extra: dict[str, str], workers: int = 1) -> Server:
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {
        "POLICY_QA_INDEX_DIR": str(index_dir),
        "POLICY_QA_FEEDBACK_DB": str(tmp / "fb.sqlite3"),
        "POLICY_QA_DATA_DIR": str(tmp / "var"),
        "POLICY_QA_RATE_LIMIT_PER_MINUTE": "100000",
        **env_extra,
    }
    cmd = [
        sys.executable,
        "-m",
        "assistant.cli.main",
        "serve",
        "--no-ui",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    server = _start(cmd, env, tmp / f"server-{port}.log", tmp / "fb.sqlite3", port)
    deadline = time.monotonic() + 300
    while httpx.get(server.url + "/healthz", timeout=30).status_code != 200 and time.monotonic() < deadline:
        time.sleep(1)
    return server


def _conversations_keep_their_profile(urls: list[str], n: int = 12) -> None:
    lost = []
    for i in range(n):
        first = _ask(urls[i % len(urls)], FIRST)
        follow = _ask(urls[(i + 1) % len(urls)], FOLLOW, first["session_id"])
        if follow["profile"]["region"] != first["profile"]["region"] or follow["session_id"] != first["session_id"]:
            lost.append(i)
    assert not lost, f"{len(lost)} of {n} follow-ups lost their conversation"


def test_two_workers_share_sessions_through_sqlite(tmp_path, index_dir, live_server):
    server = _serve(tmp_path, index_dir, {}, workers=2)
    try:
        _conversations_keep_their_profile([server.url], n=16)
        assert (tmp_path / "var" / "sessions.sqlite3").exists()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    if not REDIS:
        pytest.skip("redis-server is not installed (scripts/test.sh installs it when run as root)")
    tmp = tmp_path_factory.mktemp("redis")
    port = free_port()
    proc = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port)
    deadline = time.monotonic() + 30
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.2)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_two_servers_share_sessions_and_one_rate_limit_through_redis(tmp_path, index_dir, live_server, redis_url):
    env = {"POLICY_QA_REDIS_URL": redis_url}
    a = _serve(tmp_path / "a", index_dir, env)
    b = _serve(tmp_path / "b", index_dir, env)
    try:
        _conversations_keep_their_profile([a.url, b.url])
        import redis

        assert redis.Redis.from_url(redis_url).zcard("policy-qa:sessions") >= 12  # stored in Redis, not in a process
    finally:
        a.stop()
        b.stop()
    limit = 6
    env = {"POLICY_QA_REDIS_URL": redis_url, "POLICY_QA_RATE_LIMIT_PER_MINUTE": str(limit)}
    a = _serve(tmp_path / "c", index_dir, env)
    b = _serve(tmp_path / "d", index_dir, env)
    try:
        statuses = [httpx.get((a, b)[i % 2].url + "/api/policies", timeout=60).status_code for i in range(limit + 4)]
        assert statuses.count(200) == limit and statuses[limit:] == [429] * 4, statuses
    finally:
        a.stop()
        b.stop()
