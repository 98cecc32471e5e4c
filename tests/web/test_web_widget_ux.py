"""Browser tests of the widget as sites embed it (issue 13): history kept per tab and restored on reload in step
with the server session, 「新对话」 starting a new one, a copy button per answer, the figure before the warnings,
each citation once, data-* options, the region actually answered in the header, and the one money format.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from browser_support import CHROMIUM, LIVESTREAM_Q, _open_widget, _page

from assistant.money import format_yuan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install chromium fonts-noto-cjk)"
    ),
]

W = "policy-qa-widget"


def _answers(page):
    return page.locator(f"{W} .msg.bot").filter(has=page.locator(".tools"))


def _ask(page, text):
    box = page.locator(f"{W} textarea")
    box.fill(text)
    box.press("Enter")


def _covered_cities() -> list[str]:
    """Cities the corpus has a city-wide policy of (data, not code)."""
    from assistant.corpus import load_policies

    cities = []
    for meta in load_policies():
        city, district = meta.jurisdiction.city, meta.jurisdiction.district
        if city and not district and city not in cities:
            cities.append(city)
    return cities


def _stored(page, prefix):
    return page.evaluate(
        "p => { const k = Object.keys(sessionStorage).find(k => k.startsWith(p)); return k ? sessionStorage.getItem(k) : null; }",
        prefix,
    )


def test_widget_history_survives_reload_and_new_chat_starts_a_new_server_session(browser, live_server, artifacts):
    from playwright.sync_api import expect

    page = _page(browser)
    asks: list[dict] = []
    page.on("request", lambda r: asks.append(r.post_data_json) if r.url.endswith("/api/ask") else None)
    _open_widget(page, live_server.url)
    with page.expect_response(lambda r: r.url.endswith("/api/ask")) as reply:
        _ask(page, LIVESTREAM_Q)
    first = reply.value.json()
    answers = _answers(page)
    expect(answers).to_have_count(1)
    expect(answers.first.locator(".amount").first).to_have_text(re.compile("20万元"))
    session = _stored(page, "policy-qa-session")
    assert session and session == first["session_id"]

    page.reload()
    # The panel and the conversation come back as they were, with the same server session.
    panel = page.locator(f"{W} .panel")
    expect(panel).to_be_visible()
    expect(answers).to_have_count(1)
    expect(page.locator(f"{W} .msg.user").first).to_have_text(LIVESTREAM_Q)
    expect(answers.first.locator(".amount").first).to_have_text(re.compile("20万元"))
    page.screenshot(path=str(artifacts / "widget-restored.png"))
    answers.first.locator(".follow .quick .chip", has_text="是").click()
    expect(answers).to_have_count(2)
    assert asks[-1]["session_id"] == session  # the restored conversation goes on in the same server session
    assert len(json.loads(_stored(page, "policy-qa-history"))) == 2

    # 新对话 clears the transcript and the stored history, and the next question opens a new server session:
    # none of the facts given before carries over.
    with page.expect_response(
        lambda r: r.request.method == "DELETE" and r.url.endswith(f"/api/session/{session}")
    ) as ended:
        page.locator(f"{W} .head .new").click()
    assert ended.value.status == 204  # the server forgets the old conversation too
    expect(page.locator(f"{W} .msg.user")).to_have_count(0)
    assert _stored(page, "policy-qa-history") is None and _stored(page, "policy-qa-session") is None
    with page.expect_response(lambda r: r.url.endswith("/api/ask")) as reply:
        _ask(page, "能拿多少奖励？")
    fresh = reply.value.json()
    expect(answers).to_have_count(1)
    assert asks[-1]["session_id"] is None
    assert fresh["session_id"] and fresh["session_id"] != session
    assert "online_retail_sales" not in (fresh.get("profile") or {}).get("facts", {})
    assert _stored(page, "policy-qa-session") == fresh["session_id"]


def test_widget_answer_layout_copy_and_header_region(browser, live_server, artifacts):
    from playwright.sync_api import expect

    context, _ = browser
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = _page(browser, {"width": 1280, "height": 800})
    _open_widget(page, live_server.url)
    _ask(page, LIVESTREAM_Q)
    answer = _answers(page).first
    expect(answer.locator(".amount").first).to_be_visible()
    # the figure and the awards come before the warnings, which are folded
    order = answer.evaluate(
        "m => ['.lead', '.awards', '.warnbox'].map(s => m.querySelector(s)).map(n => n ? n.getBoundingClientRect().top : -1)"
    )
    assert -1 not in order and order == sorted(order), order
    assert answer.locator(".warnbox").evaluate("d => d.open") is False
    # each clause cited once
    cites = answer.locator(".cites summary").all_inner_texts()
    assert cites and len(cites) == len(set(cites))
    # an expired or draft policy's award says so on its card
    expect(answer.locator(".award .vbadge").first).to_be_visible()
    # the header names the region answered
    expect(page.locator(f"{W} .head .sub")).to_have_text("当前地区：聊城市")
    answer.locator(".tools button", has_text="复制").click()
    expect(answer.locator(".tools button")).to_have_text("已复制")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(answer.locator(".lead").inner_text()[:10])
    page.screenshot(path=str(artifacts / "widget-answer-layout.png"))

    # A question about another city than the page's preset (data-region) is answered for that city, and the
    # header says so.
    other = next(p for p in _covered_cities() if p != "聊城市")
    _ask(page, f"{other}的电商企业年网络零售额5000万元，能拿多少奖励？")
    expect(_answers(page)).to_have_count(2)
    expect(page.locator(f"{W} .head .sub")).to_have_text(f"当前地区：{other}")


def test_widget_options_from_data_attributes(browser, live_server, artifacts):
    from playwright.sync_api import expect

    page = _page(browser, {"width": 1280, "height": 800})
    host = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head><body>'
        f'<script src="{live_server.url}/widget.js" data-title="淄博政策通" data-color="#1d4ed8" '
        'data-position="left" data-greeting="欢迎咨询淄博电商政策。" data-questions="直播电商有什么奖励？|跨境电商有什么扶持？" defer></script>'
        "</body></html>"
    )
    page.route(
        live_server.url + "/embed-test", lambda route: route.fulfill(status=200, content_type="text/html", body=host)
    )
    page.goto(live_server.url + "/embed-test")
    launcher = page.locator(f"{W} .launcher")
    expect(launcher).to_have_text(re.compile("淄博政策通"))
    assert launcher.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(29, 78, 216)"
    assert launcher.bounding_box()["x"] < 100  # on the left
    launcher.click()
    panel = page.locator(f"{W} .panel")
    expect(panel).to_contain_text("欢迎咨询淄博电商政策。")
    chips = panel.locator(".intro .chip").all_inner_texts()
    assert chips == ["直播电商有什么奖励？", "跨境电商有什么扶持？"]
    page.screenshot(path=str(artifacts / "widget-options.png"))

    # A greeting gets a short reply with example questions offered as examples, never as questions to answer.
    _ask(page, "你好")
    greeting = page.locator(f"{W} .msg.bot:not(.busy)").nth(1)  # the reply after the welcome message
    expect(greeting.locator(".follow h3")).to_have_text("您可以这样问")
    assert greeting.inner_text().count("您可以这样问") == 1
    expect(greeting.locator(".quick")).to_have_count(0)
    expect(greeting).not_to_contain_text("请补充")
    example = greeting.locator(".chip").first
    asked = example.inner_text()
    example.click()  # an example asks itself
    expect(page.locator(f"{W} .msg.user").last).to_have_text(asked)
    expect(_answers(page)).to_have_count(1)  # the example's answer (a greeting's reply carries no tools)


def test_widget_fits_375px_and_speaks_chinese(browser, live_server, artifacts):
    from playwright.sync_api import expect

    page = _page(browser, {"width": 375, "height": 640})
    _open_widget(page, live_server.url)
    _ask(page, LIVESTREAM_Q)
    answer = _answers(page).first
    expect(answer.locator(".amount").first).to_be_visible()
    answer.locator(".warnbox summary").click()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    wide = page.locator(W).evaluate(
        "h => [...h.shadowRoot.querySelectorAll('.panel *')].filter(e => e.getBoundingClientRect().right > 375.5)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert not wide, wide
    labels = page.locator(W).evaluate(
        "h => [...h.shadowRoot.querySelectorAll('[aria-label],[title]')]"
        ".flatMap(e => ['aria-label', 'title'].map(a => e.getAttribute(a))).filter(Boolean)"
    )
    assert labels and not [x for x in labels if re.search(r"[A-Za-z]{2,}", x.replace("Esc", ""))], labels
    page.screenshot(path=str(artifacts / "widget-375-answer.png"))


def test_widget_money_format_is_the_products(browser, live_server):
    page = _page(browser)
    page.goto(live_server.url + "/demo")
    page.locator(f"{W} .launcher").wait_for()
    amounts = [200000, 75000, 28800, 5000, 0.5, 300000000, 123456.78, 10000, 1500, 0]
    got = page.evaluate("xs => xs.map(x => PolicyQaWidget.formatYuan(x))", amounts)
    assert got == [format_yuan(Decimal(str(a))) for a in amounts]


def test_widget_says_so_when_the_server_no_longer_knows_the_stored_session(browser, live_server):
    """A restored conversation whose server session has gone (expired, server restarted) is not silently
    continued as if the server still held its facts: the widget marks where the new conversation starts."""
    from playwright.sync_api import expect

    page = _page(browser)
    page.goto(live_server.url + "/demo")
    api = live_server.url
    old = [
        {
            "q": "我在聊城开了一家直播公司",
            "resp": {
                "answer": "旧的答复。",
                "awards": [],
                "citations": [],
                "follow_up": [],
                "warnings": [],
                "profile": {"region": "聊城市"},
            },
        }
    ]
    page.evaluate(
        "([api, hist]) => { sessionStorage.setItem('policy-qa-session:' + api, 'gone-session-id');"
        " sessionStorage.setItem('policy-qa-history:' + api, JSON.stringify(hist)); }",
        [api, old],
    )
    page.reload()
    page.locator(f"{W} .launcher").click()
    expect(page.locator(f"{W} .msg.user").first).to_have_text("我在聊城开了一家直播公司")  # restored
    with page.expect_response(lambda r: r.url.endswith("/api/ask")) as reply:
        _ask(page, "能拿多少奖励？")
    assert reply.value.json()["session_id"] != "gone-session-id"
    expect(page.locator(f"{W} .divider")).to_have_text("之前的对话已过期，以下为新对话")
    stored = json.loads(_stored(page, "policy-qa-history"))
    assert [t["q"] for t in stored] == ["能拿多少奖励？"]
