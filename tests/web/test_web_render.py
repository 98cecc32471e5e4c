"""The gradio app's markup builders escape everything and format money exactly."""
from __future__ import annotations

from assistant.web import render

XSS = '<img src=x onerror=alert(1)>'


def test_fmt_yuan_exact():
    assert render.fmt_yuan(200000) == "20万元"
    assert render.fmt_yuan(15000) == "1.5万元"
    assert render.fmt_yuan(5000) == "5,000元"
    assert render.fmt_yuan("123456.78") == "12.345678万元"
    assert render.fmt_yuan(0.5) == "0.5元"
    assert render.fmt_yuan(None) == "金额待定"


def test_award_amount_wording():
    assert render.award_amount({"amount_yuan": 100000, "is_ceiling": True}) == "最高10万元"
    assert render.award_amount({"amount_yuan": None, "discretionary": True}) == "一事一议"
    assert render.award_amount({"amount_yuan": None, "status": "ineligible", "max_yuan": 400000}) == "不适用"
    assert render.award_amount({"amount_yuan": None, "status": "conditional", "max_yuan": 400000}) == "最高40万元"


def test_everything_user_or_data_supplied_is_escaped():
    resp = {
        "answer": XSS,
        "awards": [{"policy_id": "p", "clause_id": XSS, "status": "conditional", "amount_yuan": 1, "title": XSS,
                    "missing": [{"question": XSS}], "failed": [XSS], "gap": XSS,
                    "trace": [{"text": XSS, "outcome": "pass"}], "reference": {"citation": XSS, "text": XSS}}],
        "citations": [{"policy_id": "p", "clause_id": "c", "text": XSS, "citation": XSS}],
        "warnings": [XSS],
    }
    for markup in (render.answer_details_html(resp), render.calc_html(resp),
                   render.hits_html([{"policy_id": "p", "clause_id": "c", "text": XSS, "score": 1, "citation": XSS,
                                      "highlights": ["img"]}])):
        assert "<img" not in markup and "&lt;img" in markup


def test_markdown_escape_renders_literally():
    md = render.chat_markdown({"answer": f"{XSS} [链接](http://x.test) **粗** $x$", "awards": []})
    assert "<img" not in md and "\\[" in md and "\\*\\*" in md and "\\$" in md


def test_mark_terms_highlights_longest_first_and_escapes():
    out = render.mark_terms("支持直播电商发展<b>", ["电商", "直播电商"])
    assert out == "支持<mark>直播电商</mark>发展&lt;b&gt;"


def test_ineligible_awards_fold_away_behind_the_hopeful_ones():
    html = render.awards_html([
        {"policy_id": "p", "clause_id": "一", "status": "ineligible", "title": "不行"},
        {"policy_id": "p", "clause_id": "二", "status": "eligible", "amount_yuan": 200000, "title": "可以"},
    ], best_total=200000)
    assert html.index("可以") < html.index("暂不符合的项目（1 项）") < html.index("不行")
    assert "20万元" in html
