"""The gradio app's markup builders escape everything and format money exactly."""

from __future__ import annotations

from decimal import Decimal

from assistant import money
from assistant.rules import figures
from assistant.web import render

XSS = "<img src=x onerror=alert(1)>"


def test_fmt_yuan_is_the_one_money_format():
    assert render.fmt_yuan(200000) == "20万元"
    assert render.fmt_yuan(15000) == "1.5万元"
    assert render.fmt_yuan(5000) == "5000元"
    assert render.fmt_yuan(28800) == "28800元"
    assert render.fmt_yuan("123456.78") == "123456.78元"
    assert render.fmt_yuan(0.5) == "0.5元"
    assert render.fmt_yuan(None) == "金额待定"
    for amount in (Decimal("5000"), Decimal("75000"), Decimal("300000000"), Decimal("12345.6")):
        assert render.fmt_yuan(amount) == figures.format_yuan(amount) == money.format_yuan(amount)


def test_award_amount_wording():
    assert render.award_amount({"amount_yuan": 100000, "is_ceiling": True}) == "最高10万元"
    assert render.award_amount({"amount_yuan": None, "discretionary": True}) == "一事一议"
    assert render.award_amount({"amount_yuan": None, "status": "ineligible", "max_yuan": 400000}) == "不适用"
    assert render.award_amount({"amount_yuan": None, "status": "conditional", "max_yuan": 400000}) == "最高40万元"


def test_everything_user_or_data_supplied_is_escaped():
    resp = {
        "answer": XSS,
        "awards": [
            {
                "policy_id": "p",
                "clause_id": XSS,
                "status": "conditional",
                "amount_yuan": 1,
                "title": XSS,
                "missing": [{"question": XSS}],
                "failed": [XSS],
                "gap": XSS,
                "trace": [{"text": XSS, "outcome": "pass"}],
                "reference": {"citation": XSS, "text": XSS},
            }
        ],
        "citations": [{"policy_id": "p", "clause_id": "c", "text": XSS, "citation": XSS}],
        "warnings": [XSS],
    }
    for markup in (
        render.answer_details_html(resp),
        render.calc_html(resp),
        render.hits_html(
            [{"policy_id": "p", "clause_id": "c", "text": XSS, "score": 1, "citation": XSS, "highlights": ["img"]}]
        ),
    ):
        assert "<img" not in markup and "&lt;img" in markup


def test_markdown_escape_renders_literally():
    md = render.chat_markdown({"answer": f"{XSS} [链接](http://x.test) **粗** $x$", "awards": []})
    assert "<img" not in md and "\\[" in md and "\\*\\*" in md and "\\$" in md


def test_mark_terms_highlights_longest_first_and_escapes():
    out = render.mark_terms("支持直播电商发展<b>", ["电商", "直播电商"])
    assert out == "支持<mark>直播电商</mark>发展&lt;b&gt;"


def test_ineligible_awards_fold_away_behind_the_hopeful_ones():
    html = render.awards_html(
        [
            {"policy_id": "p", "clause_id": "一", "status": "ineligible", "title": "不行"},
            {"policy_id": "p", "clause_id": "二", "status": "eligible", "amount_yuan": 200000, "title": "可以"},
        ],
        best_total=200000,
    )
    assert html.index("可以") < html.index("暂不符合的项目（1 项）") < html.index("不行")
    assert "20万元" in html


def test_copied_citation_and_badges_say_a_clause_is_expired_or_a_draft():
    from assistant.web.clause_status import ClauseStatus

    expired = ClauseStatus("expired", False, "2022-01-01", "2024-12-31").as_dict()
    draft = ClauseStatus("in_force", True, "2025-01-01", None).as_dict()
    current = ClauseStatus("in_force", False, "2025-01-01", "2030-12-31").as_dict()
    hits = [
        {
            "policy_id": "p",
            "clause_id": "一",
            "text": "智能快递柜",
            "score": 0.2,
            "citation": "《甲》第一条",
            "highlights": ["智能快递柜"],
            "bm25_rank": 1,
            "dense_rank": 1,
            "clause_status": expired,
        },
        {
            "policy_id": "q",
            "clause_id": "二",
            "text": "快递",
            "score": 0.1,
            "citation": "《乙》第二条",
            "highlights": ["快递"],
            "bm25_rank": 2,
            "dense_rank": 9,
            "clause_status": draft,
        },
        {
            "policy_id": "r",
            "clause_id": "三",
            "text": "快递",
            "score": 0.1,
            "citation": "《丙》第三条",
            "highlights": ["快递"],
            "bm25_rank": 3,
            "dense_rank": 2,
            "clause_status": current,
        },
    ]
    html = render.hits_html(hits)
    assert "已失效 2024-12-31" in html and "征求意见稿" in html and ">现行<" in html
    assert 'data-copy="《甲》第一条（该文件已于2024年12月31日失效）"' in html
    assert 'data-copy="《丙》第三条"' in html
    assert "相关度：高" in html and "相关度：中" in html and "0.2" not in html


def test_nonsense_query_falls_below_the_relevance_floor():
    hits = [
        {
            "policy_id": "p",
            "clause_id": str(i),
            "text": "无关",
            "score": 0.08,
            "highlights": [],
            "bm25_rank": None,
            "dense_rank": i,
        }
        for i in range(1, 6)
    ]
    html = render.hits_html(hits)
    assert "未找到直接相关的条款" in html and "找到 5 条" not in html
    assert html.count('<li class="pqa-hit') == 3  # only the nearest few, offered as such


def test_greeting_examples_are_not_follow_ups():
    greeting = {
        "answer": "我是助手。您可以这样问：\n- 甲问题？\n- 乙问题？",
        "awards": [],
        "citations": [],
        "follow_up": [],
        "examples": ["甲问题？", "乙问题？"],
        "warnings": [],
    }
    assert render.is_off_topic(greeting)
    assert "还需确认" not in render.answer_details_html(greeting)
    real = {
        "answer": "您可能符合 1 项。\n\n详情",
        "awards": [
            {"policy_id": "p", "clause_id": "一", "status": "conditional", "amount_yuan": 200000, "title": "奖励"}
        ],
        "citations": [],
        "follow_up": ["是否已纳统？"],
        "warnings": ["很长的提示"],
    }
    assert not render.is_off_topic(real)
    md = render.chat_markdown(real)
    assert md.startswith("**您可能符合 1 项。**") and "20万元" in md and "还需确认：是否已纳统？" in md
    details = render.answer_details_html(real)
    assert details.index("pqa-lead") < details.index("pqa-award") < details.index("pqa-warn")


def test_calculator_groups_rank_by_amount_then_missing_facts():
    awards = [
        {
            "policy_id": "p",
            "clause_id": "1",
            "status": "conditional",
            "amount_yuan": 50000,
            "title": "小",
            "missing": [{"question": "a"}],
        },
        {
            "policy_id": "p",
            "clause_id": "2",
            "status": "conditional",
            "amount_yuan": 200000,
            "title": "大",
            "missing": [{"question": "a"}, {"question": "b"}],
        },
        {
            "policy_id": "p",
            "clause_id": "3",
            "status": "conditional",
            "amount_yuan": 200000,
            "title": "大少",
            "missing": [{"question": "a"}],
        },
        {"policy_id": "p", "clause_id": "4", "status": "eligible", "amount_yuan": 10000, "title": "稳"},
        {
            "policy_id": "p",
            "clause_id": "5",
            "status": "ineligible",
            "gap": "销售额还差1000万元达到2000万元门槛",
            "failed": ["x"],
            "max_yuan": 200000,
            "title": "近",
        },
        {"policy_id": "p", "clause_id": "6", "status": "ineligible", "failed": ["x", "y"], "title": "远"},
    ]
    groups = render.rank_awards(awards)
    assert [a["title"] for a in groups["conditional"]] == ["大少", "大", "小"]
    assert [a["title"] for a in groups["eligible"]] == ["稳"]
    assert [a["title"] for a in groups["near"]] == ["近"] and [a["title"] for a in groups["ineligible"]] == ["远"]
    html = render.calc_html({"awards": awards, "best_total_yuan": 10000, "conditional_total_yuan": 210000})
    assert html.index("确定可得") < html.index("1万元") < html.index("条件全部满足时最多") < html.index("21万元")
    assert (
        html.index('id="pqa-g-eligible"')
        < html.index('id="pqa-g-conditional"')
        < html.index('id="pqa-g-near"')
        < html.index('id="pqa-g-ineligible"')
    )
    assert "达标最高可得20万元" in html


def test_questions_in_the_missing_line_are_not_doubly_punctuated():
    # 「？；」 read as a typo on the chat's 还需确认 line; a question mark already ends a question.
    resp = {"answer": "……", "awards": [], "follow_up": ["年销售额是多少？", "是否已纳统？", "请说明注册地"]}
    html = render.conclusion_html({**resp, "conclusion": "您可能符合 1 项。"})
    assert "？；" not in html and "年销售额是多少？是否已纳统？请说明注册地" in html
