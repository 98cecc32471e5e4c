"""Feedback from two servers lands in one real PostgreSQL database (started here on a free loopback port)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from conftest import _start, free_port

PG_BIN = (
    next((Path(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
    if Path("/usr/lib/postgresql").is_dir()
    else None
)


def _as_owner(cmd: list[str]) -> list[str]:
    # initdb refuses to run as root: run the server as the postgres system user then
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="module")
def pg_url():
    if PG_BIN is None or not (PG_BIN / "initdb").exists():
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("running as root without runuser: cannot start PostgreSQL as a normal user")
    pytest.importorskip("psycopg")
    base = Path(tempfile.mkdtemp(prefix="pqa-pg-", dir="/tmp"))
    data = base / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(data, "postgres")
    base.chmod(0o755)
    subprocess.run(
        _as_owner(
            [str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = free_port()
    proc = subprocess.Popen(
        _as_owner(
            [
                str(PG_BIN / "postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-k",
                str(base),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=on",
            ]
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    import psycopg

    deadline = time.monotonic() + 60
    while True:
        try:
            psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres").close()
            break
        except psycopg.OperationalError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("PostgreSQL did not start")
            time.sleep(0.3)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(base, ignore_errors=True)


def test_feedback_from_two_servers_lands_in_one_postgresql_database(tmp_path, index_dir, live_server, pg_url):
    servers = []
    for name in ("a", "b"):
        port = free_port()
        (tmp_path / name).mkdir()
        env = {
            "POLICY_QA_INDEX_DIR": str(index_dir),
            "POLICY_QA_DATA_DIR": str(tmp_path / name / "var"),
            "POLICY_QA_DATABASE_URL": pg_url,
            "POLICY_QA_RATE_LIMIT_PER_MINUTE": "100000",
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
        ]
        servers.append(_start(cmd, env, tmp_path / name / "server.log", tmp_path / name / "unused.sqlite3", port))
    try:
        ids = []
        for i in range(10):
            server = servers[i % 2]
            r = httpx.post(
                server.url + "/api/feedback",
                timeout=60,
                json={
                    "useful": i % 3 != 0,
                    "question": f"第{i}个问题：直播公司能拿多少？",
                    "remark": f"来自服务器{'ab'[i % 2]}",
                    "awards": [
                        {"policy_id": "zibo-2022", "clause_id": "五", "status": "eligible", "amount_yuan": 100000}
                    ],
                },
            )
            assert r.status_code == 200, r.text
            ids.append(r.json()["id"])
        assert len(set(ids)) == 10  # one sequence: no id handed out twice
        for server in servers:
            health = httpx.get(server.url + "/healthz", timeout=60).json()
            assert health["checks"]["feedback"]["ok"], health
    finally:
        for server in servers:
            server.stop()
    assert not any((tmp_path / n / "var" / "feedback.sqlite3").exists() for n in "ab")  # nothing went to SQLite
    import psycopg

    with psycopg.connect(pg_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        rows = conn.execute("SELECT remark, useful FROM feedback ORDER BY id").fetchall()
    assert sorted(r[0] for r in rows) == sorted(f"来自服务器{'ab'[i % 2]}" for i in range(10))
    out = tmp_path / "export.csv"
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli.main", "feedback", "export", "--csv", "--db", pg_url, "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8-sig").count("来自服务器") == 10
