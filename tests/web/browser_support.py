"""What the browser tests share: Debian's Chromium, the outside-world request guard, and page helpers.

The fixtures that use them (`playwright_instance`, `browser`) live in conftest.py, so test modules get them from
pytest rather than by importing them.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")

LIVESTREAM_Q = "我在聊城开了一家直播公司，年销售额3000万，能拿到奖励吗？"
XSS = "<img src=x onerror=alert(1)>"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
ANSWER_TIMEOUT = 120_000
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Guard:
    """Aborts and records every request that would leave this machine."""

    def __init__(self) -> None:
        self.external: list[str] = []

    def handle(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
            self.external.append(url)
            route.abort()
        else:
            route.continue_()


def _page(browser, viewport=None):
    context, _ = browser
    page = context.pages[0] if context.pages else context.new_page()
    if viewport:
        page.set_viewport_size(viewport)
    return page


def _open_widget(page, url):
    page.goto(url + "/demo")
    page.locator("policy-qa-widget .launcher").click()
    return page.locator("policy-qa-widget .panel")


def _ask_widget(page, question):
    box = page.locator("policy-qa-widget textarea")
    box.fill(question)
    box.press("Enter")
