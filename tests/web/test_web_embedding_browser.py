"""Under the security headers, in Debian's Chromium: the widget works on another site listed in
POLICY_QA_CORS_ORIGINS, and the app (/ui/) shows in a frame only on sites listed in POLICY_QA_FRAME_ANCESTORS."""

from __future__ import annotations

import functools
import http.server
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pytest
from conftest import _start, free_port

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install chromium fonts-noto-cjk)"
    ),
]
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT = 120_000


def _site(root: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    port = free_port()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}", httpd


@pytest.fixture(scope="module")
def sites(tmp_path_factory, index_dir, live_server):  # live_server: the shared index is built
    tmp = tmp_path_factory.mktemp("embed")
    (tmp / "allowed").mkdir()
    (tmp / "other").mkdir()
    allowed, allowed_httpd = _site(tmp / "allowed")
    other, other_httpd = _site(tmp / "other")
    port = free_port()
    env = {
        "POLICY_QA_INDEX_DIR": str(index_dir),
        "POLICY_QA_FEEDBACK_DB": str(tmp / "fb.sqlite3"),
        "POLICY_QA_DATA_DIR": str(tmp / "var"),
        "POLICY_QA_RATE_LIMIT_PER_MINUTE": "100000",
        "POLICY_QA_CORS_ORIGINS": f'["{allowed}"]',
        "POLICY_QA_FRAME_ANCESTORS": f'["{allowed}"]',
    }
    cmd = [sys.executable, "-m", "assistant.cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = _start(cmd, env, tmp / "server.log", tmp / "fb.sqlite3", port)
    deadline = time.monotonic() + 300
    while httpx.get(server.url + "/healthz", timeout=30).status_code != 200 and time.monotonic() < deadline:
        time.sleep(1)
    page = (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>某政府网站</title></head><body>'
        f'<h1>政务服务</h1><iframe id="app" src="{server.url}/ui/" width="900" height="600"></iframe>'
        f'<script src="{server.url}/widget.js" data-region="聊城市" defer></script></body></html>'
    )
    for root in ("allowed", "other"):
        (tmp / root / "index.html").write_text(page, encoding="utf-8")
    try:
        yield {"allowed": allowed, "other": other, "api": server.url}
    finally:
        server.stop()
        allowed_httpd.shutdown()
        other_httpd.shutdown()


@pytest.fixture
def page():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT)
    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="pqa-chromium-") as profile:
        ctx = p.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            args=ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
            locale="zh-CN",
        )
        try:
            yield ctx.pages[0] if ctx.pages else ctx.new_page()
        finally:
            ctx.close()


def _app_frame(page, api: str):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        frame = next((f for f in page.frames if f.url.startswith(api + "/ui")), None)
        if frame is not None:
            return frame
        time.sleep(0.5)
    return None


def test_widget_and_framed_app_work_on_a_listed_site(page, sites):
    from playwright.sync_api import expect

    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(sites["allowed"] + "/index.html")
    page.locator("policy-qa-widget .launcher").click()
    box = page.locator("policy-qa-widget textarea")
    box.fill("我在聊城开了一家直播公司，年销售额3000万，能拿到奖励吗？")
    box.press("Enter")
    answer = page.locator("policy-qa-widget .msg.bot").filter(has=page.locator(".fb")).nth(0)
    expect(answer).to_contain_text(re.compile("20万元"))  # a cross-origin POST allowed by CORS
    frame = _app_frame(page, sites["api"])
    assert frame is not None
    expect(frame.locator("textarea").first).to_be_visible()  # gradio rendered inside the frame
    assert not csp_errors, csp_errors


def test_the_app_cannot_be_framed_by_an_unlisted_site(page, sites):
    from playwright.sync_api import expect

    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "frame-ancestors" in m.text else None)
    page.goto(sites["other"] + "/index.html")
    expect(page.locator("h1")).to_have_text("政务服务")
    deadline = time.monotonic() + 30
    while not refused and time.monotonic() < deadline:
        page.wait_for_timeout(500)
    assert refused, "the browser should refuse to frame /ui/ on an unlisted site"
    frame = page.frame_locator("#app")
    expect(frame.locator("textarea")).to_have_count(0)
