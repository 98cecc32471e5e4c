"""Browser tests of the three users' experience (issue 13), in Debian's Chromium against the real server:
the hotline's look-up never passes an expired clause off as current, the chat leads with the answer and
Enter sends, the page fits a 375 px phone, and screen readers hear Chinese.

The browser fixture (tests/web/test_web_browser.py) aborts and fails on any request that leaves localhost.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from browser_support import CHROMIUM, LIVESTREAM_Q, _page

from assistant import corpus
from assistant.config import Settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install chromium fonts-noto-cjk)"
    ),
]

ASCII_WORD = re.compile(r"[A-Za-z]{2,}")


def _today() -> dt.date:
    return Settings().current_date()


def _expired_policy():
    """A policy of the corpus that has expired by the configured today, and a word of one of its clauses that
    occurs in no current policy's text, so searching it must surface the expired clause first."""
    day = _today()
    expired = [m for m in corpus.load_policies() if m.validity_on(day) == "expired"]
    if not expired:
        pytest.skip("no expired policy in the corpus")
    return expired[0]


def _search(page, text: str) -> None:
    box = page.locator("#pqa-search-q input, #pqa-search-q textarea").first
    page.keyboard.press("/")  # the shortcut focuses the box
    assert box.evaluate("b => b === document.activeElement")
    box.fill(text)
    box.press("Enter")


def _open_search(page, url: str) -> None:
    page.goto(url + "/ui/")
    page.get_by_role("tab", name="条款检索").click()
    page.locator("#pqa-search-q").wait_for()


def test_expired_clause_is_badged_hidden_by_default_and_its_copied_citation_says_so(browser, live_server, artifacts):
    from playwright.sync_api import expect

    context, _ = browser
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    meta = _expired_policy()
    clause = next(c for c in corpus.clauses_of(meta.id) if c.heading and len(c.text) > 40)
    page = _page(browser)
    _open_search(page, live_server.url)
    only_current = page.locator("#pqa-only-current input")
    expect(only_current).to_be_checked()  # on by default: the hotline never reads an expired clause as current

    _search(page, clause.heading)
    hits = page.locator("#pqa-hits .pqa-hit")
    expect(page.locator("#pqa-hits")).to_contain_text("相关")
    for badge in hits.locator(".pqa-vbadge").all_inner_texts():
        assert not badge.startswith("已失效"), badge
    expect(page.locator("#pqa-hits .pqa-hidden-note")).to_contain_text(re.compile(r"已隐藏 \d+ 条（.*已失效 \d+ 条"))

    # Unticking re-runs the search by itself; the expired clause comes back with its badge.
    only_current.click()
    target = hits.filter(has_text=meta.cite(clause.clause_id)).first
    expect(target).to_be_visible()
    end = meta.effective_to
    expect(target.locator(".pqa-vbadge").first).to_have_text(f"已失效 {end.isoformat()}")
    note = f"（该文件已于{end.year}年{end.month}月{end.day}日失效）"

    # ↑↓ move through the hits, Enter opens the chosen clause, c copies its citation.
    target.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#pqa-context .pqa-clause.current")).to_contain_text(clause.clause_id)
    expect(page.locator("#pqa-context .pqa-context-title .pqa-vbadge").first).to_contain_text("已失效")
    expect(page.locator("#pqa-citation input, #pqa-citation textarea").first).to_have_value(
        meta.cite(clause.clause_id) + note
    )
    page.keyboard.press("c")
    expect(target.locator(".pqa-copy")).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == meta.cite(clause.clause_id) + note
    page.screenshot(path=str(artifacts / "ux-search-expired.png"), full_page=True)

    # The arrows walk the list and the choice follows.
    hits.first.focus()
    page.keyboard.press("ArrowDown")
    second = hits.nth(1)
    assert second.evaluate("n => n === document.activeElement")
    page.keyboard.press("Enter")
    key = second.get_attribute("data-key")
    _policy_id, clause_id = key.split("|")
    expect(page.locator("#pqa-context .pqa-clause.current .pqa-clause-label")).to_contain_text(clause_id)
    page.keyboard.press("ArrowUp")
    assert hits.first.evaluate("n => n === document.activeElement")
    page.keyboard.press("Enter")
    first_clause = hits.first.get_attribute("data-key").split("|")[1]
    expect(page.locator("#pqa-context .pqa-clause.current .pqa-clause-label")).to_contain_text(first_clause)


def test_filters_rerun_the_search_and_nonsense_says_nothing_relevant(browser, live_server, artifacts):
    from playwright.sync_api import expect

    page = _page(browser)
    _open_search(page, live_server.url)
    page.locator("#pqa-only-current input").click()  # all statuses, so the policy filter alone decides
    _search(page, "直播电商 奖励")
    hits = page.locator("#pqa-hits .pqa-hit")
    expect(hits.first).to_be_visible()
    cited = set(hits.locator(".pqa-hit-cite").all_inner_texts())
    assert len({c.split("》")[0] for c in cited}) > 1  # several policies before filtering

    # Choosing a policy re-runs the search at once: every hit is from that policy.
    meta = corpus.load_policies()[0]
    page.locator("#pqa-search-policy input").click()
    page.get_by_role("option", name=meta.short_title or meta.title, exact=True).click()
    others = hits.filter(has_not=page.locator(".pqa-hit-cite", has_text=f"《{meta.citation_title}》"))
    expect(others).to_have_count(0)
    expect(hits.first).to_be_visible()

    # Scores are words staff can read, never a fused number.
    for level in hits.locator(".pqa-rel").all_inner_texts():
        assert level in ("相关度：高", "相关度：中", "相关度：低")
    assert not re.search(r"\d\.\d{3}", page.locator("#pqa-hits").inner_text())

    page.locator("#pqa-search-policy input").click()
    page.get_by_role("option", name="全部政策", exact=True).click()
    _search(page, "今天天气怎么样")
    expect(page.locator("#pqa-hits .pqa-nohit")).to_contain_text("未找到直接相关的条款")
    expect(page.locator("#pqa-hits")).not_to_contain_text("找到 5 条")
    expect(hits.first).to_be_visible()  # the nearest clauses are still offered, marked 低
    assert set(hits.locator(".pqa-rel").all_inner_texts()) == {"相关度：低"}
    page.screenshot(path=str(artifacts / "ux-search-nothing.png"), full_page=True)


def test_chat_enter_sends_and_the_answer_comes_first(browser, live_server, artifacts):
    from playwright.sync_api import expect

    page = _page(browser)
    page.goto(live_server.url + "/ui/")
    box = page.locator("#pqa-question textarea")
    box.click()
    box.type("你好")
    box.press("Enter")  # Enter sends
    bots = page.locator("#pqa-chatbot .message-row.bot-row")
    expect(bots).to_have_count(1)
    expect(box).to_have_value("")
    # A greeting gets examples as examples: no 「请补充」 box, no 是/否.
    expect(page.locator("#pqa-followups")).to_have_count(0)
    expect(page.locator("#pqa-yes")).to_be_hidden()
    expect(page.locator("#pqa-chatbot button.option").first).to_be_visible()

    box.type("我在聊城开了一家直播公司，")
    box.press("Shift+Enter")  # a new line, not a send
    box.type("年销售额3000万，能拿到奖励吗？")
    expect(box).to_have_value(re.compile("公司，\n年销售额"))
    expect(bots).to_have_count(1)
    box.press("Enter")
    expect(bots).to_have_count(2)

    # The bubble leads with the conclusion; the details panel: conclusion, awards, then warnings one line each.
    latest = bots.last
    expect(latest.locator("strong").first).to_contain_text("万元")
    details = page.locator("#pqa-details")
    expect(details.locator(".pqa-lead")).to_contain_text("还需确认")
    order = details.evaluate(
        "d => ['.pqa-lead', '.pqa-award', '.pqa-warn'].map(s => d.querySelector(s)).map(n => n ? n.getBoundingClientRect().top : -1)"
    )
    assert -1 not in order and order == sorted(order), order
    warn = details.locator(".pqa-warn").first
    line_height = warn.evaluate("w => w.getBoundingClientRect().height")
    more = "w => getComputedStyle(w.querySelector('.pqa-wmore'), '::after').content"
    assert warn.evaluate(more) == '"展开"'
    warn.locator("summary").click()
    assert warn.evaluate("w => w.getBoundingClientRect().height") > line_height  # 展开 shows it whole
    assert warn.evaluate(more) == '"收起"'
    # Award cards carry the policy's status.
    expect(details.locator(".pqa-award").first.locator(".pqa-vbadge").first).to_be_visible()

    # The view shows the START of the new answer (its question just above), not its last line.
    top = latest.evaluate(
        "m => { let b = m.parentElement; while (b && !(/(auto|scroll)/.test(getComputedStyle(b).overflowY) && b.scrollHeight > b.clientHeight)) b = b.parentElement;"
        " return b ? m.getBoundingClientRect().top - b.getBoundingClientRect().top : null; }"
    )
    assert top is not None and 0 <= top < 200, top

    # Follow-ups sit by the input, as buttons.
    follow = page.locator("#pqa-followups").first
    expect(follow).to_be_visible()
    expect(page.locator("#pqa-yes")).to_be_visible()
    gap = page.evaluate(
        "() => document.querySelector('#pqa-followups').getBoundingClientRect().top - document.querySelector('#pqa-question').getBoundingClientRect().bottom"
    )
    assert 0 <= gap < 120, gap
    other = page.locator("#pqa-fu-0")
    if other.is_visible():  # a button that reads as one: its own background, not the box's
        behind = (
            "f => { let n = f.querySelector('.pqa-follow-row');"
            " while (n && getComputedStyle(n).backgroundColor === 'rgba(0, 0, 0, 0)') n = n.parentElement;"
            " return n && getComputedStyle(n).backgroundColor; }"
        )
        assert other.evaluate("b => getComputedStyle(b).backgroundColor") != follow.evaluate(behind)
        question = other.inner_text().strip()
        other.click()
        expect(box).to_have_value(question.rstrip("？?") + "：")
        expect(box).to_be_focused()
    page.screenshot(path=str(artifacts / "ux-chat-answer-first.png"))


def test_on_a_short_screen_the_answer_start_and_the_follow_ups_are_both_in_view(browser, live_server, artifacts):
    from playwright.sync_api import expect

    page = _page(browser, {"width": 1280, "height": 720})
    page.goto(live_server.url + "/ui/")
    box = page.locator("#pqa-question textarea")
    box.fill(LIVESTREAM_Q)
    box.press("Enter")
    yes = page.locator("#pqa-yes")
    expect(yes).to_be_visible()
    expect(yes).to_be_in_viewport(ratio=1)
    answer = page.locator("#pqa-chatbot .message-row.bot-row").last
    top = answer.evaluate("m => m.getBoundingClientRect().top")
    assert 0 <= top < 720 - 100, top  # the answer's first lines are on screen too
    page.screenshot(path=str(artifacts / "ux-chat-short-screen.png"))


def test_greeting_offers_example_questions_that_ask_themselves(browser, live_server, artifacts):
    """A greeting or an off-topic line gets a short reply and example questions as buttons under it (gradio's
    message options), never as follow-ups to answer with 是/否; a click asks the example in the same chat."""
    from playwright.sync_api import expect

    page = _page(browser)
    page.goto(live_server.url + "/ui/")
    box = page.locator("#pqa-question textarea")
    box.fill("今天天气怎么样")
    box.press("Enter")
    bots = page.locator("#pqa-chatbot .message-row.bot-row")
    expect(bots).to_have_count(1)
    examples = page.locator("#pqa-chatbot button.option")
    expect(examples.first).to_be_visible()
    offered = examples.all_inner_texts()
    assert offered and all(len(q) > 6 for q in offered), offered
    # the reply is short: the examples are buttons, not also a list in the bubble
    assert not any(q in bots.first.inner_text() for q in offered)
    expect(page.locator("#pqa-followups")).to_be_hidden()
    expect(page.locator("#pqa-yes")).to_be_hidden()
    expect(page.locator("#pqa-details")).not_to_contain_text(offered[0])
    page.screenshot(path=str(artifacts / "ux-chat-greeting-examples.png"))

    examples.first.click()  # asks the question itself
    expect(bots).to_have_count(2)
    expect(page.locator("#pqa-chatbot .message-row.user-row").last).to_have_text(offered[0])
    expect(examples).to_have_count(0)  # offered under the latest reply only
    expect(page.locator("#pqa-details .pqa-lead")).to_be_visible()

    # 新的对话 starts afresh: the transcript, the details and the facts given so far are gone.
    page.locator("#pqa-clear").click()
    expect(bots).to_have_count(0)
    expect(page.locator("#pqa-details .pqa-lead")).to_have_count(0)
    box.fill("能拿多少奖励？")
    box.press("Enter")
    expect(bots).to_have_count(1)
    expect(page.locator("#pqa-details .pqa-award")).to_have_count(0)  # no place, no figure carried over


@pytest.mark.parametrize("tab", ["政策问答", "条款检索", "奖补测算", "政策一览", "规则核对"])
def test_every_tab_fits_375px_and_speaks_chinese(browser, live_server, artifacts, tab):
    from playwright.sync_api import expect

    page = _page(browser, {"width": 375, "height": 740})
    page.goto(live_server.url + "/ui/")
    page.wait_for_timeout(800)
    wanted = page.get_by_role("tab", name=tab)
    if not wanted.is_visible():  # at phone width gradio folds the tabs that do not fit into its 「…」 menu
        page.get_by_label("更多标签页").click()
    page.get_by_role("tab", name=tab).or_(page.get_by_role("button", name=tab)).first.click()
    page.wait_for_timeout(800)
    if tab == "条款检索":
        _search(page, "直播电商 奖励")
        expect(page.locator("#pqa-hits .pqa-hit").first).to_be_visible()
    if tab == "政策问答":
        page.locator("#pqa-question textarea").fill("你好")
        page.locator("#pqa-send").click()
        expect(page.locator("#pqa-chatbot button.option").first).to_be_visible()
        page.locator("#pqa-question textarea").fill(LIVESTREAM_Q)
        page.locator("#pqa-send").click()
        expect(page.locator("#pqa-details .pqa-award").first).to_be_visible()
    if tab == "奖补测算":
        page.locator("#pqa-calc-region input").click()
        page.get_by_role("option", name="聊城市", exact=True).click()
        page.locator("#fact-online_retail_sales input, #fact-online_retail_sales textarea").first.fill("3000万")
        page.locator("#pqa-calc-btn").click()
        expect(page.locator("#pqa-calc-out .pqa-calc-summary")).to_be_visible()
        page.locator("#pqa-calc-out").evaluate("o => o.querySelectorAll('details').forEach(d => { d.open = true; })")
    if tab == "政策一览":
        page.locator("#pqa-policy-pick input").click()
        page.get_by_role("option").first.click()
        expect(page.locator("#pqa-policy-text .pqa-pclause").first).to_be_visible()
    page.wait_for_timeout(500)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"{tab}: page is {width}px wide at 375"
    labels = page.evaluate(
        "() => [...document.querySelectorAll('[aria-label],[title]')].flatMap(e => [e.getAttribute('aria-label'), e.getAttribute('title')]).filter(Boolean)"
    )
    english = [label for label in labels if ASCII_WORD.search(label)]
    assert not english, f"{tab}: English labels {english}"
    if tab != "规则核对":  # an event ran: gradio's screen-reader status line announces its end (at most 5 s later)
        page.wait_for_function(  # gradio's own live region is the visually hidden one
            "() => [...document.querySelectorAll('.sr-only[role=status]')].some(e => e.textContent.trim() && !/加载|loading/i.test(e.textContent))",
            timeout=15_000,
        )
        heard = page.evaluate(
            "() => [...document.querySelectorAll('[role=status]')].map(e => e.textContent.trim()).filter(Boolean)"
        )
        assert heard and not [t for t in heard if ASCII_WORD.search(t)], f"{tab}: screen readers hear {heard}"
    page.screenshot(path=str(artifacts / f"ux-375-{tab}.png"), full_page=True)


@pytest.mark.parametrize("path", ["/docs", "/demo"])
def test_the_other_pages_fit_375px(browser, live_server, path):
    page = _page(browser, {"width": 375, "height": 740})
    page.goto(live_server.url + path)
    page.wait_for_load_state("load")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"{path} is {width}px wide at 375"


def test_calculator_first_screen_shows_totals_and_ranked_groups(browser, live_server, artifacts):
    from playwright.sync_api import expect

    page = _page(browser, {"width": 1280, "height": 900})
    page.goto(live_server.url + "/ui/")
    page.get_by_role("tab", name="奖补测算").click()
    page.locator("#pqa-calc-region input").click()
    page.get_by_role("option", name="聊城市", exact=True).click()
    page.locator("#fact-online_retail_sales input, #fact-online_retail_sales textarea").first.fill("3000万")
    page.locator("#pqa-calc-btn").click()
    out = page.locator("#pqa-calc-out")
    summary = out.locator(".pqa-calc-summary")
    expect(summary).to_be_visible()
    # The totals and the group counts are on the first screen, without scrolling.
    for part in (summary.locator(".pqa-sum.certain"), summary.locator(".pqa-sum.best"), summary.locator(".pqa-chips")):
        box = part.bounding_box()
        assert box and 0 <= box["y"] and box["y"] + box["height"] <= 900, box
    expect(summary.locator(".pqa-sum.certain")).to_contain_text("确定可得")
    expect(summary.locator(".pqa-sum.best")).to_contain_text("条件全部满足时最多")
    assert summary.inner_text().count("未计入合计") <= 1, summary.inner_text()
    chips = summary.locator(".pqa-chip").all_inner_texts()
    assert [re.sub(r"\s*\d+", "", c) for c in chips] == ["符合", "需确认", "差一点", "不符合"]

    # Groups in that order; within one, by amount. An unconfirmed maximum is not drawn in red.
    groups = out.locator(".pqa-group")
    heads = [h.split("（")[0] for h in groups.locator("h4").all_inner_texts()]
    order = ["符合", "需确认", "差一点", "不符合"]
    assert heads == [g for g in order if g in heads] and heads
    maybe = out.locator("#pqa-g-conditional > .pqa-awards > .pqa-award")
    if maybe.count():
        assert maybe.first.locator(".pqa-amount").evaluate("n => getComputedStyle(n).color") != "rgb(185, 28, 28)"
        amounts = [
            float(re.sub(r"[^\d.]", "", t) or 0) * (10000 if "万" in t else 1)
            for t in maybe.locator(".pqa-amount").all_inner_texts()
        ]
        assert amounts == sorted(amounts, reverse=True), amounts

    # 差一点: the enterprise's figure against each threshold, as bars.
    near = out.locator("#pqa-g-near .pqa-award").first
    expect(near.locator(".pqa-ladder")).to_contain_text("3000万元")
    expect(near.locator(".pqa-rung").first).to_contain_text("还差")
    page.screenshot(path=str(artifacts / "ux-calc-first-screen.png"))

    # 打印/导出 prints the summary with its basis: the facts entered and where to apply.
    basis = out.locator(".pqa-basis")
    expect(basis).to_contain_text("3000万")
    expect(basis).to_contain_text("到哪里申报")
    # On paper: the summary alone, from the top left of the page (the form, the tabs and the 打印 button are not
    # printed), everything folded opened.
    page.emulate_media(media="print")
    page.evaluate(
        "() => { window.__printed = 0; window.print = () => { window.__printed += 1;"
        " const sheet = document.querySelector('#pqa-print-sheet');"
        " const shown = n => !!n && n.getClientRects().length > 0;"
        " const sum = sheet && sheet.querySelector('.pqa-sum.certain');"
        " window.__paper = { opened: !!sheet && [...sheet.querySelectorAll('details')].every(d => d.open),"
        "   summary: shown(sum), left: sum ? sum.getBoundingClientRect().left : null,"
        "   form: shown(document.querySelector('#pqa-calc-btn')) || shown(document.querySelector('#pqa-calc-region')),"
        "   button: shown(sheet && sheet.querySelector('[data-print]')), text: sheet ? sheet.innerText : '' }; }; }"
    )
    out.locator("[data-print]").click()
    paper = page.evaluate("window.__paper")
    assert page.evaluate("window.__printed") == 1
    assert paper["opened"] and paper["summary"] and not paper["form"] and not paper["button"], paper
    assert paper["left"] < 100, paper  # not where the column sat on screen
    assert "到哪里申报" in paper["text"] and "3000万" in paper["text"]
    page.emulate_media(media="screen")
    expect(page.locator("#pqa-print-sheet")).to_have_count(0)  # gone after printing
