"""Browser tests: Debian's Chromium (never a downloaded one) against the real server on loopback.

Every test runs with a request guard: any request to a host other than 127.0.0.1 /
localhost is aborted and fails the test. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
import sqlite3
from urllib.parse import urlsplit

import pytest
from browser_support import CHROMIUM, LIVESTREAM_Q, LOCAL_HOSTS, XSS, _ask_widget, _open_widget, _page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install chromium fonts-noto-cjk)"
    ),
]

# ---- widget ------------------------------------------------------------------------------------------------


def test_widget_answers_livestream_question_with_amount_and_citation(browser, live_server, artifacts):
    from playwright.sync_api import expect

    page = _page(browser)
    asks: list[dict] = []
    page.on("request", lambda r: asks.append(r.post_data_json) if r.url.endswith("/api/ask") else None)
    panel = _open_widget(page, live_server.url)
    expect(panel).to_be_visible()
    _ask_widget(page, LIVESTREAM_Q)
    answer = page.locator("policy-qa-widget .msg.bot").filter(has=page.locator(".fb")).nth(0)
    expect(answer.locator(".amount").first).to_have_text(re.compile("20万元"))
    expect(answer).to_contain_text("20万元")
    cite = answer.locator(".cites details").first
    expect(cite.locator("summary")).to_contain_text("《")
    cite.locator("summary").click()
    expect(cite.locator("blockquote")).to_be_visible()
    assert asks[0]["region"] == "聊城市"  # data-region on the demo page
    page.screenshot(path=str(artifacts / "widget-answer-desktop.png"))

    # the first follow-up question is answered with one click, in the same session
    expect(answer.locator(".follow .asks li").first).to_contain_text("？")
    first_session = page.evaluate(
        "() => sessionStorage.getItem(Object.keys(sessionStorage).find(k => k.startsWith('policy-qa-session')))"
    )
    answer.locator(".follow .quick .chip", has_text="是").click()
    expect(page.locator("policy-qa-widget .msg.bot").filter(has=page.locator(".fb"))).to_have_count(2)
    assert first_session and asks[1] == {"question": "是的", "session_id": first_session, "region": "聊城市"}

    # 有用/没用 feedback lands in the store
    answer.locator(".fb button", has_text="没用").click()
    answer.locator(".fb input").fill("希望说明申报时间")
    answer.locator(".fb button", has_text="提交").click()
    expect(answer.locator(".fb")).to_contain_text("感谢")
    with sqlite3.connect(live_server.feedback_db) as conn:
        rows = conn.execute(
            "SELECT useful, remark, source, awards_json FROM feedback WHERE remark=?", ("希望说明申报时间",)
        ).fetchall()
    assert rows and rows[0][0] == 0 and rows[0][2] == "widget" and "200000" in rows[0][3]


def test_widget_renders_hostile_question_as_text(browser, live_server, artifacts):
    from playwright.sync_api import expect

    page = _page(browser)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _open_widget(page, live_server.url)
    _ask_widget(page, "直播公司 " + XSS)
    expect(page.locator("policy-qa-widget .msg.user").last).to_have_text("直播公司 " + XSS)
    expect(page.locator("policy-qa-widget .msg.bot:not(.busy)").nth(1)).to_be_visible()  # the reply after the greeting
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.locator("policy-qa-widget").evaluate("h => h.shadowRoot.querySelectorAll('img').length") == 0
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    page.screenshot(path=str(artifacts / "widget-xss.png"))


def test_widget_keyboard_mobile_and_style_isolation(browser, live_server, artifacts):
    from playwright.sync_api import expect

    page = _page(browser, {"width": 375, "height": 740})
    page.goto(live_server.url + "/demo")
    launcher = page.locator("policy-qa-widget .launcher")
    # the host page styles every <button> at 12px with a grey background: none of it reaches the widget
    assert launcher.evaluate("b => getComputedStyle(b).fontSize") == "16px"
    assert launcher.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(185, 28, 28)"
    launcher.focus()
    page.keyboard.press("Enter")
    panel = page.locator("policy-qa-widget .panel")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    active = "() => document.querySelector('policy-qa-widget').shadowRoot.activeElement?.tagName"
    assert page.evaluate(active) == "TEXTAREA"
    for _ in range(12):  # Tab never leaves the open panel
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.tagName") == "POLICY-QA-WIDGET"
        assert page.evaluate(
            "() => !!document.querySelector('policy-qa-widget').shadowRoot.activeElement.closest('.panel')"
        )
    assert panel.get_attribute("role") == "dialog" and panel.get_attribute("aria-labelledby")
    page.screenshot(path=str(artifacts / "widget-mobile-open.png"))
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert page.evaluate(active) == "BUTTON"
    _ask = page.locator("policy-qa-widget .launcher")
    _ask.click()
    _ask_widget(page, LIVESTREAM_Q)
    expect(page.locator("policy-qa-widget .amount").first).to_contain_text("万元")
    page.screenshot(path=str(artifacts / "widget-mobile-answer.png"))


# ---- gradio app ----------------------------------------------------------------------------------------


def test_chat_tab_end_to_end(browser, live_server, artifacts):
    from playwright.sync_api import expect

    page = _page(browser)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/ui/?$"))
    page.locator("#pqa-question textarea").fill(LIVESTREAM_Q)
    page.locator("#pqa-send").click()
    details = page.locator("#pqa-details")
    expect(details.locator(".pqa-amount").first).to_contain_text("20万元")
    for text in (details.inner_text(), page.locator("#pqa-chatbot").inner_text()):
        assert not re.search(r"\d,\d{3}", text)  # the one money format, as in the answer text
    expect(details.locator(".pqa-cite summary").first).to_contain_text("《")
    expect(details.locator(".pqa-warnings")).to_contain_text("征求意见稿")
    # a cited clause of a draft or expired policy says so on its badge and in the citation its button copies
    for cite in details.locator(".pqa-cite").all():
        badges = cite.locator(".pqa-vbadge").all_inner_texts()
        copied = cite.locator(".pqa-copy").get_attribute("data-copy")
        assert badges, copied
        if badges != ["现行"]:
            assert re.search(r"（(该文件.*(失效|施行)|征求意见稿.*)）$", copied), (badges, copied)
    expect(page.locator("#pqa-follow")).to_contain_text("请补充")
    expect(page.locator("#pqa-yes")).to_be_visible()
    page.locator("#pqa-feedback textarea, #pqa-feedback input").first.fill("很清楚")
    page.locator("#pqa-useful").click()
    expect(page.locator("#pqa-feedback-status")).to_contain_text("已记录")
    page.screenshot(path=str(artifacts / "ui-chat.png"), full_page=True)
    first_follow_up = re.search(r"请补充：(.+?？)", page.locator("#pqa-follow").inner_text()).group(1)
    page.locator("#pqa-yes").click()  # answers the first follow-up in the same session: it is not asked again
    expect(page.locator("#pqa-chatbot")).to_contain_text("是的")
    expect(page.locator("#pqa-follow")).not_to_contain_text(first_follow_up)

    # a hostile question is shown as text in the transcript and runs nothing
    page.locator("#pqa-question textarea").fill(XSS)
    page.locator("#pqa-send").click()
    expect(page.locator("#pqa-chatbot")).to_contain_text("<img src=x onerror=alert(1)>")
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.locator("#pqa-chatbot img[src='x']").count() == 0
    with sqlite3.connect(live_server.feedback_db) as conn:
        assert (
            conn.execute(
                "SELECT COUNT(*) FROM feedback WHERE remark='很清楚' AND source='chat' AND useful=1"
            ).fetchone()[0]
            == 1
        )


def test_search_tab_highlights_and_shows_clause_with_neighbours(browser, live_server, artifacts):
    from playwright.sync_api import expect

    page = _page(browser)
    page.goto(live_server.url + "/ui/")
    page.get_by_role("tab", name="条款检索").click()
    page.locator("#pqa-search-q input, #pqa-search-q textarea").first.fill("直播电商 奖励")
    page.locator("#pqa-search-btn").click()
    hits = page.locator("#pqa-hits .pqa-hit")
    expect(hits.first).to_be_visible()
    expect(hits.first.locator("mark").first).to_be_visible()
    expect(page.locator("#pqa-context .pqa-clause.current")).to_be_visible()
    expect(page.locator("#pqa-context")).to_contain_text("本条")
    citation = page.locator("#pqa-citation input, #pqa-citation textarea").first
    expect(citation).to_have_value(re.compile("^《.+》"))
    copy = hits.first.locator(".pqa-copy")
    copy.click()
    expect(copy).to_have_text("已复制")
    page.screenshot(path=str(artifacts / "ui-search.png"), full_page=True)

    # 「查看全文」 on another hit, and the 「查看条款全文」 list, each open the clause chosen (never the previous one).
    current_label = page.locator("#pqa-context .pqa-clause.current .pqa-clause-label")
    second = hits.nth(1)
    second.locator("[data-open]").click()
    expect(current_label).to_contain_text(second.get_attribute("data-key").split("|")[1])
    third_key = hits.nth(2).get_attribute("data-key")
    page.locator("#pqa-hit-pick input").click()
    page.get_by_role("option").nth(2).click()
    expect(current_label).to_contain_text(third_key.split("|")[1])
    expect(citation).to_have_value(re.compile("^" + re.escape(hits.nth(2).locator(".pqa-hit-cite").inner_text())))


def test_calc_tab_computes_awards_with_trace(browser, live_server, artifacts):
    from playwright.sync_api import expect

    page = _page(browser)
    page.goto(live_server.url + "/ui/")
    page.get_by_role("tab", name="奖补测算").click()
    page.locator("#pqa-calc-region input").click()
    page.get_by_role("option", name="聊城市", exact=True).click()
    page.locator("#pqa-calc-kind input").click()
    page.get_by_role("option", name="直播电商企业", exact=True).click()
    page.locator("#fact-online_retail_sales input, #fact-online_retail_sales textarea").first.fill("3000万")
    page.locator("#pqa-calc-btn").click()
    out = page.locator("#pqa-calc-out")
    award = out.locator(".pqa-award").filter(has=page.locator(".pqa-award-title", has_text="直播电商企业奖励")).first
    expect(award).to_contain_text("20万元")
    expect(award.locator(".pqa-badge")).to_have_text(re.compile("符合|确认"))
    expect(award.locator(".pqa-vbadge").first).to_have_text(re.compile("现行|征求意见稿|已失效|施行日期未载明"))
    assert not re.search(r"\d,\d{3}", out.inner_text())  # the one money format: 5000元, 2.5万元, never 5,000元
    folded = out.locator(".pqa-more-items").filter(has=award)
    if folded.count():
        folded.first.locator("summary").first.click()
    award.locator(".pqa-more > summary").click()
    award.locator(".pqa-trace summary").click()
    expect(award.locator(".pqa-trace li").first).to_be_visible()
    page.screenshot(path=str(artifacts / "ui-calc.png"), full_page=True)


def test_policies_tab_lists_status_and_full_text(browser, live_server, artifacts):
    from playwright.sync_api import expect

    page = _page(browser)
    page.goto(live_server.url + "/ui/")
    page.get_by_role("tab", name="政策一览").click()
    from assistant.corpus import load_policies

    rows = page.locator("#pqa-policies tbody tr")
    expect(rows).to_have_count(len(load_policies()))
    expect(page.locator("#pqa-policies")).to_contain_text("征求意见稿")
    expect(page.locator("#pqa-policies")).to_contain_text("已失效")
    page.locator("#pqa-policy-pick input").click()
    page.get_by_role("option").first.click()
    expect(page.locator("#pqa-policy-text .pqa-pclause").first).to_be_visible()
    page.screenshot(path=str(artifacts / "ui-policies.png"))


def test_no_request_leaves_localhost(browser, live_server):
    """Load every page (and open the widget) with the guard on; the fixture fails on any outside request."""
    _context, guard = browser
    page = _page(browser)
    seen: set[str] = set()
    page.on("request", lambda r: seen.add(urlsplit(r.url).hostname or ""))
    for path in ("/ui/", "/docs", "/demo"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(1500)  # gradio keeps an event stream open: "networkidle" never comes
    page.locator("policy-qa-widget .launcher").click()
    page.wait_for_timeout(300)
    assert seen and seen <= LOCAL_HOSTS | {""}, seen
    assert guard.external == []


def test_review_tab_shows_rule_beside_clause(browser, live_server):
    from playwright.sync_api import expect

    from assistant.rules.loader import load_rulebook

    book = load_rulebook()
    rule = next(r for r in book.rules.values() if r.award.form == "tiers")
    page = _page(browser)
    page.goto(live_server.url + "/ui/")
    page.get_by_role("tab", name="规则核对").click()
    page.locator("#pqa-review-policy input").click()
    page.get_by_role("option", name=re.compile(re.escape(rule.policy_id))).click()
    section = page.locator(f'#pqa-review section[data-clause="{rule.clause_id}"]')
    expect(section).to_be_visible()
    expect(section.locator("mark").first).to_be_visible()
    expect(section).to_contain_text(rule.id)
    expect(section.locator(".pqa-review-boundary").first).to_contain_text("恰好")
