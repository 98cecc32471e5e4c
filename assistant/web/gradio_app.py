"""The web app at /ui (gradio Blocks): 政策问答, 条款检索, 奖补测算, 政策一览.

Each tab calls the same service functions as the CLI and the REST API. Markup is
built only by assistant.web.render, which escapes everything. Offline: system
fonts only (gradio's default theme would fetch Google Fonts), no analytics, no
run history, no external links in the served page (see ExternalUrlScrubMiddleware).
"""

from __future__ import annotations

import logging
import re
from typing import Any

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import Settings
from ..feedback import DisabledFeedbackStore, FeedbackRecord, FeedbackStore
from ..nlu.vocabulary import EXAMPLES
from ..textnorm import InputError, check_query, normalize
from . import render
from .clause_status import annotate
from .ladder import ladder
from .review_tab import build_review_tab
from .static import UI_DIR, asset_response, load_asset

log = logging.getLogger("assistant.web")

UI_PATH = "/ui"
MAX_FOLLOW_UPS = 4
YES_REPLY, NO_REPLY = "是的", "不是"
# Example questions are data (the lexicon's `examples`), so a bureau shows its own places' questions.
EXAMPLE_QUESTIONS = list(EXAMPLES)
SEARCH_EXAMPLES = ["直播电商 奖励", "纳统 网络零售额", "跨境电商 海外仓", "快递物流 补贴"]
ALL = ""  # dropdown value meaning 「不限」

APP_JS_PATH = "/app.js"  # ui/app.js: keyboard, copy, scrolling and Chinese labels for gradio's own controls
SHELL_CSS_PATH = "/app-shell.css"  # ui/shell.css: the page around gradio's app (375 px, print)

# Groups of the calculator form, by the first fact of each group in assistant.facts (which lists facts by topic).
_FACT_GROUP_STARTS = {
    "entity_kind": "主体基本情况",
    "online_retail_sales": "销售额与增长",
    "own_platform_type": "电商平台",
    "event_participants": "活动与展会",
    "cross_border_export_usd": "跨境电商",
    "usable_area": "园区与基地",
    "green_livestream_rooms": "直播、主播与达人号",
    "honor_level": "荣誉与示范称号",
    "ecommerce_villages": "村镇与县域",
    "sells_local_agricultural_products": "农产品与合作社",
    "express_companies_integrated": "快递物流",
    "trained_hires": "培训与就业",
}
# Shown open, first: the facts nearly every enterprise question needs.
_COMMON_FACTS = [
    "online_retail_sales",
    "registered_locally",
    "in_statistics",
    "online_retail_sales_growth_rate",
    "newly_registered_this_year",
    "operating_months",
]
_UNKNOWN = "不确定"


def theme() -> gr.themes.Base:
    system: list[gr.themes.Font | str] = [
        gr.themes.Font("system-ui"),
        gr.themes.Font("PingFang SC"),
        gr.themes.Font("Noto Sans CJK SC"),
        gr.themes.Font("Microsoft YaHei"),
        "sans-serif",
    ]
    mono: list[gr.themes.Font | str] = [
        gr.themes.Font("ui-monospace"),
        gr.themes.Font("Noto Sans Mono CJK SC"),
        "monospace",
    ]
    return gr.themes.Default(primary_hue="red", secondary_hue="amber", neutral_hue="slate", font=system, font_mono=mono)


# ---- service adapters: plain dicts for the renderers --------------------------------------------------------


def is_yes_no(question: str) -> bool:
    """A follow-up that 是/否 answers (「是否当年新注册登记？」), as opposed to one asking for a figure."""
    return "是否" in question or question.rstrip("？?").endswith("吗")


def follow_up_prompt(question: str) -> str:
    """What a follow-up button puts in the box, to be completed: 「年销售额是多少？」 → 「年销售额是多少：」."""
    return (question or "").rstrip("？?") + "："


def short_reply(resp: dict) -> str:
    """A greeting's or off-topic reply without the list of example questions its text ends with (the examples
    are offered as buttons instead)."""
    return re.split(r"\n\s*-\s", str(resp.get("answer") or ""), maxsplit=1)[0].strip()


def _dump(obj: Any) -> Any:
    return obj.model_dump() if hasattr(obj, "model_dump") else obj


class UIHandlers:
    """The callbacks of every tab, kept apart from the layout so they can be tested without a browser."""

    def __init__(self, service: Any, store: FeedbackStore | DisabledFeedbackStore, settings: Settings) -> None:
        self.service = service
        self.store = store
        self.settings = settings

    # -- 政策问答 -------------------------------------------------------------------------------------------
    def ask(self, question: str, region: str, session_id: str | None, history: list[dict]):
        history = list(history or [])
        try:
            q = check_query(question, self.settings.max_question_chars, "问题")
        except InputError as exc:
            gr.Warning(str(exc))
            return self._chat_outputs(history, session_id, None, question)
        history.append({"role": "user", "content": render.md_escape(str(question).strip())})  # as typed
        try:
            resp = _dump(self.service.ask(q, session_id=session_id or None, region=normalize(region or "") or None))
        except InputError as exc:
            resp = {"answer": str(exc), "awards": [], "citations": [], "follow_up": [], "warnings": []}
        except Exception:
            log.exception("ask failed")
            resp = {
                "answer": "抱歉，服务暂时出错，请稍后再试。",
                "awards": [],
                "citations": [],
                "follow_up": [],
                "warnings": [],
            }
        resp = self._with_status(resp)
        history.append(self._bubble(resp))
        last = {"question": q, "region": normalize(region or "") or None, "response": resp}
        return self._chat_outputs(history, resp.get("session_id") or session_id, last, "")

    def ask_example(self, region: str, session_id: str | None, history: list[dict], evt: gr.SelectData):
        """A click on an example question offered under a greeting's reply asks that question."""
        return self.ask(str(evt.value or ""), region, session_id, history)

    @staticmethod
    def _bubble(resp: dict) -> dict:
        """The assistant's chat message. A greeting's or off-topic reply is its short opening only; its example
        questions become the message's options (gradio shows them as buttons under the latest message, and a
        click asks the question), never follow-ups to answer."""
        if not render.is_off_topic(resp):
            return {"role": "assistant", "content": render.chat_markdown(resp)}
        return {
            "role": "assistant",
            "content": render.md_escape(short_reply(resp)),
            "options": [{"label": q, "value": q} for q in resp.get("examples") or []],
        }

    def _with_status(self, resp: dict) -> dict:
        """The response with each award and citation carrying its policy's status today (for the badges)."""
        day = self.settings.current_date()
        return {
            **resp,
            "awards": annotate(list(resp.get("awards") or []), day),
            "citations": annotate(list(resp.get("citations") or []), day),
        }

    def _chat_outputs(self, history, session_id, last, textbox_value):
        resp = (last or {}).get("response")
        # A greeting's "follow-ups" are example questions: offered as examples, never as questions to answer.
        follow = [] if render.is_off_topic(resp) else list((resp or {}).get("follow_up") or [])[:MAX_FOLLOW_UPS]
        quick = bool(follow) and is_yes_no(follow[0])
        others = follow[1:] if quick else follow
        fill = [gr.update(value=q, visible=True) for q in others[: MAX_FOLLOW_UPS - 1]]
        fill += [gr.update(value="", visible=False)] * (MAX_FOLLOW_UPS - 1 - len(fill))
        shown = {**resp, "answer": short_reply(resp)} if render.is_off_topic(resp) else resp
        return [
            history,
            render.answer_details_html(shown),
            session_id,
            last,
            textbox_value,
            gr.update(visible=bool(resp)),
            "",
            render.follow_up_markdown(follow, quick) if follow else "",
            gr.update(visible=bool(follow)),
            gr.update(visible=quick),
            gr.update(visible=quick),
            *fill,
        ]

    def reset(self, session_id: str | None = None):
        """新的对话 (or the chat's own 清空对话): the server forgets the conversation and its facts too."""
        if session_id and hasattr(self.service, "end_session"):
            try:
                self.service.end_session(session_id)
            except Exception:  # a store that is down must not keep the page from starting afresh
                log.exception("end_session failed")
        return self._chat_outputs([], None, None, "")

    def feedback(self, useful: bool, remark: str, last: dict | None) -> str:
        if not last:
            return "请先提问，再评价答复。"
        if not getattr(self.store, "available", True):
            return "反馈功能暂不可用，问答不受影响。"
        resp = last["response"]
        self.store.add(
            FeedbackRecord(
                useful=useful,
                remark=normalize(remark or ""),
                question=last["question"],
                answer=resp.get("answer") or "",
                awards=resp.get("awards") or [],
                citations=resp.get("citations") or [],
                region=last.get("region"),
                source="chat",
            )
        )
        return f"已记录您的评价（{'有用' if useful else '没用'}），感谢反馈！"

    # -- 条款检索 -------------------------------------------------------------------------------------------
    def search(self, query: str, policy: str, region: str, top_k: float, only_current: bool = True):
        """Hits, hit choices, highlight terms, the first hit's key. With ``only_current`` clauses of expired,
        draft and not-yet-in-force policies are left out (counted among the top_k they would have taken);
        more are fetched so that up to top_k current ones remain."""
        empty: tuple[Any, list[Any], str] = gr.update(choices=[], value=None), [], ""
        if not (query or "").strip():
            return '<div class="pqa-empty">输入关键词后检索，命中词会高亮显示。</div>', *empty
        k = int(top_k)
        try:
            q = check_query(query, self.settings.max_search_chars, "检索")
            fetch = max(k, 50) if only_current else k
            resp = self.service.search(q, top_k=fetch, policy=policy or None, region=normalize(region or "") or None)
        except InputError as exc:
            return f'<div class="pqa-error">{render.esc(exc)}</div>', *empty
        if resp.error:
            return f'<div class="pqa-error">{render.esc(resp.error)}</div>', *empty
        ranked = annotate([h.model_dump() for h in resp.hits], self.settings.current_date())
        shown: list[dict] = []
        hidden: dict[str, int] = {}  # of the top_k the search would show without the filter
        for rank, h in enumerate(ranked):
            st = h.get("clause_status")
            if only_current and st and not st["current"]:
                if rank < k:
                    hidden[st["reason"]] = hidden.get(st["reason"], 0) + 1
                continue
            if len(shown) < k:
                shown.append(h)
        choices = [(h["citation"] or f"{h['policy_id']} {h['clause_id']}", render.hit_key(h)) for h in shown]
        terms = sorted({t for h in shown for t in h.get("highlights") or []})
        first = choices[0][1] if choices else None
        return (
            render.hits_html(shown, hidden, selected=first),
            gr.update(choices=choices, value=first),
            terms,
            first or "",
        )

    def clause(self, key: str | None, terms: list[str]):
        """The chosen clause in context, its citation (with its status note) and the choice to show as picked.
        ``key`` is 「policy|clause」, optionally with a trailing 「|nonce」 (a click in the hit list)."""
        parts = (key or "").split("|")
        if len(parts) < 2 or not parts[0]:
            return render.clause_context_html(None), "", gr.update()
        policy_id, clause_id = parts[0], parts[1]
        found = self.service.clause(policy_id, clause_id)
        if not found:
            return '<div class="pqa-error">未找到该条款。</div>', "", gr.update()
        found = annotate([found], self.settings.current_date())[0]
        citation = found.get("citation", "") + render.status_note(found)
        return render.clause_context_html(found, terms or []), citation, gr.update(value=f"{policy_id}|{clause_id}")

    # -- 奖补测算 -------------------------------------------------------------------------------------------
    def calc(self, region: str, date_text: str, kind: str, fact_names: list[str], *values: Any):
        import datetime as dt

        region = normalize(region or "")
        if not region:
            return '<div class="pqa-error">请选择或填写地区。</div>'
        day = None
        if date_text and date_text.strip():
            try:
                day = dt.date.fromisoformat(date_text.strip())
            except ValueError:
                return '<div class="pqa-error">测算日期应为 YYYY-MM-DD，例如 2026-11-23。</div>'
        facts: dict[str, Any] = {}
        if kind:
            facts["entity_kind"] = kind
        for name, value in zip(fact_names, values, strict=True):
            if value is None or value == "" or value == _UNKNOWN:
                continue
            if value in ("是", "否"):
                value = value == "是"
            elif isinstance(value, str):
                value = normalize(value)
            facts[name] = value
        try:
            result = self.service.calc(region, facts, day)
        except (ValueError, KeyError) as exc:
            message = str(exc).strip("'\"")
            return f'<div class="pqa-error">测算参数有误：{render.esc(message)}</div>'
        except Exception:
            log.exception("calc failed")
            return '<div class="pqa-error">测算出错，请稍后再试。</div>'
        result = _dump(result)
        day = day or self.settings.current_date()
        awards = annotate(list(result.get("awards") or []), day)
        for a in awards:
            if render.award_group(a) == "near":
                a["ladder"] = ladder(a)
        result = {**result, "awards": awards}
        return render.calc_html(result, self._fact_inputs(region, kind, facts), self._calc_policies(result, day))

    @staticmethod
    def _fact_inputs(region: str, kind: str, facts: dict[str, Any]) -> list[tuple[str, str]]:
        """The facts as the user entered them, labelled, for the printed summary."""
        try:
            from ..facts import ENTITY_KINDS, FACTS
        except ImportError:
            ENTITY_KINDS, FACTS = {}, {}
        rows = [("地区", region)]
        if kind:
            rows.append(("主体类型", getattr(ENTITY_KINDS.get(kind), "label", kind)))
        for name, value in facts.items():
            if name == "entity_kind":
                continue
            label = getattr(FACTS.get(name), "label", name)
            rows.append((label, "是" if value is True else "否" if value is False else str(value)))
        return rows

    def _calc_policies(self, result: dict, day) -> list[dict]:
        """The policies the result draws on, with issuer and status (where to apply)."""
        ids = list(result.get("policies") or dict.fromkeys(a.get("policy_id") for a in result.get("awards") or []))
        rows = {r.get("id"): r for r in self.policy_rows()}
        return annotate(
            [
                {
                    "policy_id": i,
                    "title": (rows.get(i) or {}).get("title") or i,
                    "issuer": (rows.get(i) or {}).get("issuer"),
                }
                for i in ids
                if i
            ],
            day,
        )

    # -- 政策一览 -------------------------------------------------------------------------------------------
    def policy_rows(self) -> list[dict]:
        try:
            return list(self.service.policies())
        except Exception:
            log.exception("policies failed")
            return []

    def policy_text(self, policy_id: str | None) -> str:
        if not policy_id:
            return ""
        row = next((r for r in self.policy_rows() if r.get("id") == policy_id), None)
        try:
            clauses = self.service.policy_clauses(policy_id)
        except Exception:
            log.exception("clauses_of failed")
            return '<div class="pqa-error">无法读取该政策的条款。</div>'
        return render.policy_text_html(row, clauses)


def _fact_defs() -> list[Any]:
    try:
        from ..facts import FACTS
    except ImportError:  # the vocabulary is not there yet: the form offers region and kind only
        return []
    return list(FACTS.values())


def _fact_groups(fact_defs: list[Any]) -> list[tuple[str, list[Any]]]:
    """The facts other than the common ones, in vocabulary order, cut into titled groups."""
    groups: list[tuple[str, list[Any]]] = []
    title = "其他"
    for f in _fact_defs():  # the whole vocabulary: group starts may be facts the form leaves out
        title = _FACT_GROUP_STARTS.get(f.name, title)
        if f.name in _COMMON_FACTS or f not in fact_defs:
            continue
        if not groups or groups[-1][0] != title:
            groups.append((title, []))
        groups[-1][1].append(f)
    return groups


def _kind_choices() -> list[tuple[str, str]]:
    try:
        from ..facts import ENTITY_KINDS
    except ImportError:
        return []
    return [("（未指定）", "")] + [(k.label, k.name) for k in ENTITY_KINDS.values()]


def _fact_component(f: Any) -> gr.components.Component:
    label = f.label
    info = f.meaning if len(f.meaning) <= 60 else f.meaning[:58] + "…"
    if f.type == "bool":
        return gr.Radio(["是", "否", _UNKNOWN], value=_UNKNOWN, label=label, info=info)
    if f.type == "level":
        from ..facts import LEVELS

        return gr.Dropdown([("（未填）", "")] + [(v, k) for k, v in LEVELS.items()], value="", label=label, info=info)
    if f.type == "enum":
        return gr.Dropdown([("（未填）", "")] + [(v, k) for k, v in f.values.items()], value="", label=label, info=info)
    placeholder = {
        "money_yuan": "如 3000万 或 30000000",
        "money_usd": "如 500万美元",
        "percent": "如 15%",
        "date": "YYYY-MM-DD",
        "year": "如 2025",
    }.get(f.type, f"如 12{f.unit or ''}")
    return gr.Textbox(label=label, info=info, placeholder=placeholder, max_lines=1)


def _jurisdiction_choices(rows: list[dict]) -> list[str]:
    names: list[str] = []
    for r in rows:
        j = r.get("jurisdiction") or {}
        for name in (j.get("city"), j.get("district")):
            if name and name not in names:
                names.append(name)
        if r.get("jurisdiction_name") and r["jurisdiction_name"] not in names:
            names.append(r["jurisdiction_name"])
    return names


def build_blocks(service: Any, store: FeedbackStore | DisabledFeedbackStore, settings: Settings) -> gr.Blocks:
    h = UIHandlers(service, store, settings)
    rows = h.policy_rows()
    regions = _jurisdiction_choices(rows)
    policy_choices = [("全部政策", ALL)] + [(r.get("short_title") or r["title"], r["id"]) for r in rows]

    with gr.Blocks(title="电商惠企政策问答助手", analytics_enabled=False, fill_width=False) as demo:
        gr.HTML(
            '<header class="pqa-header"><div class="pqa-logo" aria-hidden="true">策</div><div>'
            "<h1>电商惠企政策问答助手</h1><p>能不能享受、能拿多少、依据哪一条——金额由规则引擎按政策原文精确计算</p>"
            "</div></header>",
            js_on_load=None,
            padding=False,
        )
        with gr.Tabs():
            # ---------------------------------------------------------------- 政策问答
            with gr.Tab("政策问答", id="chat", elem_id="tab-chat"):
                session = gr.State(None)
                last = gr.State(None)
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=280):
                        chatbot = gr.Chatbot(
                            label="对话",
                            height=460,
                            elem_id="pqa-chatbot",
                            latex_delimiters=[],
                            feedback_options=None,
                            sanitize_html=True,
                            placeholder="请描述企业情况：所在地区、主营业务、年销售额……",
                            buttons=["copy"],
                            autoscroll=False,  # ui/app.js scrolls to the START of each new answer
                        )
                        with gr.Row():
                            region = gr.Dropdown(
                                [("自动识别地区", ALL)] + [(r, r) for r in regions],
                                value=ALL,
                                label="地区",
                                allow_custom_value=True,
                                scale=1,
                                min_width=140,
                                elem_id="pqa-chat-region",
                            )
                            question = gr.Textbox(
                                label="您的问题（Enter 发送，Shift+Enter 换行）",
                                placeholder=f"例如：{EXAMPLE_QUESTIONS[0]}" if EXAMPLE_QUESTIONS else "",
                                lines=2,
                                max_lines=6,
                                scale=4,
                                min_width=200,
                                elem_id="pqa-question",
                                submit_btn=False,
                            )
                        # Follow-ups sit right under the input: the first 是/否 question answers with one click,
                        # the others put their question into the box.
                        with gr.Group(visible=False, elem_id="pqa-followups") as follow_box:
                            follow_md = gr.Markdown("", elem_id="pqa-follow", padding=True)
                            with gr.Row(elem_classes=["pqa-follow-row"]):
                                yes = gr.Button(
                                    "是", size="md", visible=False, elem_id="pqa-yes", min_width=72, variant="primary"
                                )
                                no = gr.Button(
                                    "否", size="md", visible=False, elem_id="pqa-no", min_width=72, variant="primary"
                                )
                                follow_btns = [
                                    gr.Button(
                                        "",
                                        visible=False,
                                        size="md",
                                        elem_id=f"pqa-fu-{i}",
                                        elem_classes=["pqa-follow-btn"],
                                        min_width=120,
                                    )
                                    for i in range(MAX_FOLLOW_UPS - 1)
                                ]
                        with gr.Row():
                            send = gr.Button("提问", variant="primary", elem_id="pqa-send")
                            clear = gr.Button("新的对话", variant="secondary", elem_id="pqa-clear")
                        gr.Examples(EXAMPLE_QUESTIONS, inputs=[question], label="示例问题（点击填入）")
                    with gr.Column(scale=2, min_width=280):
                        gr.Markdown("#### 本次答复详情")
                        details = gr.HTML(render.answer_details_html(None), elem_id="pqa-details", js_on_load=None)
                        with gr.Group(visible=False, elem_id="pqa-feedback") as feedback_box:
                            gr.Markdown("**这条答复有帮助吗？**（可先填写备注）", padding=True)
                            remark = gr.Textbox(
                                label="备注（可选）", placeholder="例如：金额与我了解的不一致", max_lines=2
                            )
                            with gr.Row():
                                up = gr.Button("有用", size="sm", elem_id="pqa-useful")
                                down = gr.Button("没用", size="sm", elem_id="pqa-useless")
                        fb_status = gr.Markdown("", elem_id="pqa-feedback-status")

                chat_outputs = [
                    chatbot,
                    details,
                    session,
                    last,
                    question,
                    feedback_box,
                    fb_status,
                    follow_md,
                    follow_box,
                    yes,
                    no,
                    *follow_btns,
                ]
                chat_history = chatbot  # displayed history doubles as state: it is an input only to ask()
                # Enter sends: ui/app.js turns Enter in the box into a click on 提问 (gradio's own multi-line
                # textbox sends on Shift+Enter, the reverse of every chat product).
                send.click(h.ask, [question, region, session, chat_history], chat_outputs, api_visibility="private")
                # Without ui/app.js gradio's own key (Shift+Enter) still sends.
                question.submit(
                    h.ask, [question, region, session, chat_history], chat_outputs, api_visibility="private"
                )
                # Quick replies answer the first follow-up question: the dialogue reads a bare 是的/不是 as its answer.
                yes.click(
                    lambda r, s, hist: h.ask(YES_REPLY, r, s, hist),
                    [region, session, chat_history],
                    chat_outputs,
                    api_visibility="private",
                )
                no.click(
                    lambda r, s, hist: h.ask(NO_REPLY, r, s, hist),
                    [region, session, chat_history],
                    chat_outputs,
                    api_visibility="private",
                )
                # The example questions under a greeting's reply (message options) ask themselves.
                chatbot.option_select(
                    h.ask_example, [region, session, chat_history], chat_outputs, api_visibility="private"
                )
                for b in follow_btns:  # ui/app.js puts the caret in the box after the click
                    b.click(follow_up_prompt, b, question, api_visibility="private")
                clear.click(h.reset, session, chat_outputs, api_visibility="private")
                chatbot.clear(h.reset, session, chat_outputs, api_visibility="private")
                up.click(
                    lambda r, shown: h.feedback(True, r, shown), [remark, last], fb_status, api_visibility="private"
                ).then(lambda: "", None, remark, api_visibility="private")
                down.click(
                    lambda r, shown: h.feedback(False, r, shown), [remark, last], fb_status, api_visibility="private"
                ).then(lambda: "", None, remark, api_visibility="private")

            # ---------------------------------------------------------------- 条款检索
            with gr.Tab("条款检索", id="search", elem_id="tab-search"):
                with gr.Row():
                    query = gr.Textbox(
                        label="关键词或一句话（按 / 聚焦，Enter 检索）",
                        placeholder="例如：直播电商 奖励；网店迁回 补贴",
                        scale=4,
                        min_width=200,
                        elem_id="pqa-search-q",
                        max_lines=1,
                    )
                    search_btn = gr.Button("检索", variant="primary", scale=1, min_width=80, elem_id="pqa-search-btn")
                with gr.Row():
                    policy = gr.Dropdown(
                        policy_choices, value=ALL, label="政策", elem_id="pqa-search-policy", min_width=160
                    )
                    search_region = gr.Dropdown(
                        [("全部地区", ALL)] + [(r, r) for r in regions],
                        value=ALL,
                        label="地区",
                        allow_custom_value=True,
                        elem_id="pqa-search-region",
                        min_width=140,
                    )
                    top_k = gr.Slider(
                        1,
                        20,
                        value=settings.default_top_k,
                        step=1,
                        label="返回条数",
                        min_width=140,
                        elem_id="pqa-search-top",
                    )
                    only_current = gr.Checkbox(
                        True,
                        label="只看现行有效",
                        elem_id="pqa-only-current",
                        min_width=120,
                        info="隐藏已失效、征求意见稿和尚未施行的条款",
                    )
                gr.Examples(SEARCH_EXAMPLES, inputs=[query], label="常用检索")
                terms = gr.State([])
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=280):
                        hits = gr.HTML(
                            '<div class="pqa-empty">输入关键词后检索，命中词会高亮显示。</div>',
                            elem_id="pqa-hits",
                            js_on_load=None,
                        )
                    with gr.Column(scale=2, min_width=280):
                        pick = gr.Dropdown([], label="查看条款全文（含上下条）", elem_id="pqa-hit-pick")
                        citation = gr.Textbox(
                            label="引用（点右侧按钮复制）", buttons=["copy"], interactive=False, elem_id="pqa-citation"
                        )
                        context = gr.HTML(render.clause_context_html(None), elem_id="pqa-context", js_on_load=None)
                # A click (or Enter) on a hit writes 「policy|clause|nonce」 here (ui/app.js); hidden by CSS.
                open_key = gr.Textbox(
                    "",
                    elem_id="pqa-open-key",
                    elem_classes=["pqa-offscreen"],
                    label="打开条款",
                    container=False,
                    max_lines=1,
                )
                key = gr.State("")
                search_inputs = [query, policy, search_region, top_k, only_current]
                search_outputs = [hits, pick, terms, key]
                # Every control re-runs the search: a changed filter never leaves stale hits on screen.
                for trigger in (
                    search_btn.click,
                    query.submit,
                    policy.input,
                    search_region.input,
                    top_k.release,
                    only_current.input,
                ):
                    trigger(h.search, search_inputs, search_outputs, api_visibility="private").then(
                        h.clause, [key, terms], [context, citation, pick], api_visibility="private"
                    )
                pick.input(h.clause, [pick, terms], [context, citation, pick], api_visibility="private")
                open_key.change(h.clause, [open_key, terms], [context, citation, pick], api_visibility="private")

            # ---------------------------------------------------------------- 奖补测算
            with gr.Tab("奖补测算", id="calc", elem_id="tab-calc"):
                gr.Markdown(
                    "按政策条文逐项测算。只填已知的信息；不确定的事项保持「不确定」，结果会列为「需进一步确认」。"
                )
                fact_defs = [f for f in _fact_defs() if f.name != "entity_kind"]
                fact_names: list[str] = []
                fact_inputs: list[gr.components.Component] = []
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=320):
                        with gr.Row():
                            calc_region = gr.Dropdown(
                                regions,
                                value=regions[0] if regions else None,
                                label="地区",
                                allow_custom_value=True,
                                elem_id="pqa-calc-region",
                            )
                            kind = gr.Dropdown(_kind_choices(), value="", label="主体类型", elem_id="pqa-calc-kind")
                            calc_date = gr.Textbox(
                                value=settings.current_date().isoformat(),
                                label="测算日期",
                                max_lines=1,
                                elem_id="pqa-calc-date",
                            )
                        by_name = {f.name: f for f in fact_defs}
                        common = [by_name[n] for n in _COMMON_FACTS if n in by_name]

                        def add_inputs(defs: list[Any]) -> None:
                            with gr.Row():
                                for f in defs:
                                    comp = _fact_component(f)
                                    comp.elem_id = f"fact-{f.name}"
                                    fact_names.append(f.name)
                                    fact_inputs.append(comp)

                        with gr.Group():
                            add_inputs(common)
                        for title, members in _fact_groups(fact_defs):
                            with gr.Accordion(f"{title}（{len(members)} 项）", open=False):
                                add_inputs(members)
                        calc_btn = gr.Button("开始测算", variant="primary", elem_id="pqa-calc-btn")
                    with gr.Column(scale=2, min_width=300):
                        calc_out = gr.HTML(render.calc_html(None), elem_id="pqa-calc-out", js_on_load=None)
                names_state = gr.State(fact_names)
                calc_btn.click(
                    h.calc,
                    [calc_region, calc_date, kind, names_state, *fact_inputs],
                    calc_out,
                    api_visibility="private",
                )

            # ---------------------------------------------------------------- 政策一览
            with gr.Tab("政策一览", id="policies", elem_id="tab-policies"):
                gr.HTML(render.policies_html(rows), elem_id="pqa-policies", js_on_load=None)
                pol_pick = gr.Dropdown(
                    [(r["title"], r["id"]) for r in rows],
                    value=None,
                    label="查看全文（按条款）",
                    elem_id="pqa-policy-pick",
                )
                pol_text = gr.HTML("", elem_id="pqa-policy-text", js_on_load=None)
                pol_pick.input(h.policy_text, pol_pick, pol_text, api_visibility="private")
            build_review_tab(settings)  # 规则核对 (assistant/web/review_tab.py)
        gr.HTML(
            '<footer class="pqa-footer">答复依据已公开的政策原文；征求意见稿与已失效政策仅供参考，金额以主管部门审核为准。'
            ' <a href="/docs">接口文档</a> · <a href="/demo">挂件演示</a></footer>',
            js_on_load=None,
            padding=False,
        )
    return demo


class ExternalUrlScrubMiddleware:
    """Blank external URLs out of the gradio page's HTML (its template carries og:/twitter: meta images
    on raw.githubusercontent.com and gradio.app). Only text/html under /ui is touched; nothing is fetched
    from those URLs by the browser, but an offline product should not name outside hosts at all."""

    _EXTERNAL = re.compile(rb'(content|href|src)="https?://(?!127\.0\.0\.1|localhost)[^"]*"')

    def __init__(self, app: ASGIApp, prefix: str = UI_PATH) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith(self.prefix) or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []
        is_html = False

        async def capture(message: Message) -> None:
            nonlocal start, is_html
            if message["type"] == "http.response.start":
                start_headers = dict(message.get("headers", []))
                is_html = start_headers.get(b"content-type", b"").startswith(b"text/html")
                if not is_html:
                    await send(message)
                else:
                    start = message
                return
            if not is_html:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                assert start is not None  # the ASGI protocol sends the start message before any body
                body = self._EXTERNAL.sub(rb'\1=""', b"".join(chunks))
                headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


def mount_ui(app: FastAPI, *, service: Any, store: FeedbackStore | DisabledFeedbackStore, settings: Settings) -> None:
    assets = {
        APP_JS_PATH: load_asset(UI_DIR / "app.js", "text/javascript; charset=utf-8"),
        SHELL_CSS_PATH: load_asset(UI_DIR / "shell.css", "text/css; charset=utf-8"),
    }

    # Same-origin files, not inline code, so a Content-Security-Policy can allow them by 'self'.
    def serve(path: str):
        def handler(request: Request) -> Response:
            return asset_response(request, assets[path], max_age=300)

        return handler

    for path in assets:
        app.add_api_route(path, serve(path), methods=["GET"], include_in_schema=False)

    blocks = build_blocks(service, store, settings)
    blocks.queue(default_concurrency_limit=4)
    gr.mount_gradio_app(
        app,
        blocks,
        path=UI_PATH,
        theme=theme(),
        css_paths=[UI_DIR / "app.css"],
        head=f'<link rel="stylesheet" href="{SHELL_CSS_PATH}"><script src="{APP_JS_PATH}" defer></script>',
        footer_links=[],
        run_history=False,
        ssr_mode=False,
        pwa=False,
        mcp_server=False,
        show_error=False,
        enable_monitoring=False,
    )
    app.add_middleware(ExternalUrlScrubMiddleware)
