"""Fixtures for the web tests: the real server in a subprocess on a free loopback port.

`live_server` runs `policy-qa serve` (API + gradio app + widget) with a temporary
feedback database and index directory; `strict_server` runs the API alone with a
tiny rate limit, a small body limit and a one-origin CORS allow-list.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from browser_support import ANSWER_TIMEOUT, CHROMIUM, CHROMIUM_ARGS, Guard

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
ALLOWED_ORIGIN = "http://allowed.test"
STRICT_RATE_PER_MINUTE = 3
STRICT_MAX_BYTES = 2048


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    log_path: Path
    feedback_db: Path
    # limits the server runs with (strict_server sets small ones for the 413/429/CORS tests)
    rate_per_minute: int = 100000
    max_bytes: int = 16384
    allowed_origin: str = "*"

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def _start(cmd: list[str], env_extra: dict[str, str], log_path: Path, feedback_db: Path, port: int) -> Server:
    env = {**os.environ, **env_extra, "PYTHONUNBUFFERED": "1"}
    log = open(log_path, "w", encoding="utf-8")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", proc, log_path, feedback_db)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{server.log_tail()}")
        try:
            # 503 = up but not answering yet (index still building): started; the fixtures wait for answers
            if httpx.get(server.url + "/healthz", timeout=15).status_code in (200, 503):
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"server did not start in time:\n{server.log_tail()}")


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("index")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, index_dir) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("live")
    port = free_port()
    feedback_db = tmp / "feedback.sqlite3"
    env = {
        "POLICY_QA_INDEX_DIR": str(index_dir),
        "POLICY_QA_FEEDBACK_DB": str(feedback_db),
        "POLICY_QA_DATA_DIR": str(tmp / "var"),
        "POLICY_QA_RATE_LIMIT_PER_MINUTE": "100000",
    }
    cmd = [sys.executable, "-m", "assistant.cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = _start(cmd, env, tmp / "server.log", feedback_db, port)
    try:
        # The first search builds the index in the temporary directory; wait for it once here.
        deadline = time.monotonic() + 600
        while True:
            r = httpx.get(server.url + "/api/search", params={"q": "电商"}, timeout=600)
            if r.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(1)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def strict_server(tmp_path_factory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("strict")
    port = free_port()
    feedback_db = tmp / "feedback.sqlite3"
    env = {
        "POLICY_QA_FEEDBACK_DB": str(feedback_db),
        "POLICY_QA_DATA_DIR": str(tmp / "var"),
        "POLICY_QA_INDEX_DIR": str(tmp / "index"),
        "POLICY_QA_RATE_LIMIT_PER_MINUTE": str(STRICT_RATE_PER_MINUTE),
        "POLICY_QA_MAX_REQUEST_BYTES": str(STRICT_MAX_BYTES),
        "POLICY_QA_CORS_ORIGINS": json.dumps([ALLOWED_ORIGIN]),
    }
    code = (
        "import sys, uvicorn\n"
        "from assistant.config import Settings\n"
        "from assistant.web.api import create_app\n"
        "app = create_app(Settings(), with_ui=False, warm_up=False)\n"
        "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[1]), log_level='warning')\n"
    )
    server = _start([sys.executable, "-c", code, str(port)], env, tmp / "server.log", feedback_db, port)
    server.rate_per_minute, server.max_bytes, server.allowed_origin = (
        STRICT_RATE_PER_MINUTE,
        STRICT_MAX_BYTES,
        ALLOWED_ORIGIN,
    )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# ---- browser (Debian's Chromium; tests that use these are marked `browser`) ----------------------------------


@pytest.fixture(scope="module")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture
def browser(playwright_instance, live_server):
    """A fresh Chromium profile per test, with the outside-world guard."""
    from playwright.sync_api import expect

    expect.set_options(timeout=ANSWER_TIMEOUT)
    guard = Guard()
    with tempfile.TemporaryDirectory(prefix="pqa-chromium-") as profile:
        context = playwright_instance.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
            locale="zh-CN",
        )
        context.route("**/*", guard.handle)
        try:
            yield context, guard
        finally:
            context.close()
    assert not guard.external, f"requests left localhost: {guard.external}"
