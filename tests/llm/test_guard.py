"""The guard on real engine answers: faithful rewrites pass, any changed figure, uncited clause,
invented quote, dropped condition or upgraded status is rejected."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from llm_helpers import with_changed_figure

from assistant.llm.guard import allowed_figures, check_rewrite
from assistant.llm.textfigures import clause_key, clause_refs, figures_of, tidy

QA = Path(__file__).resolve().parents[1] / "qa" / "questions.yaml"

Q_ZIBO = "淄博的电商企业实物商品网络零售额5000万元，流量补贴能拿多少？"  # eligible 2.5万, cap 10万, 第二条
Q_LIAOCHENG = "我在聊城开了一家直播公司，年销售额3000万，能拿到奖励吗？"  # conditional 20万 第六条 (draft, lapsed)
Q_JINYUN = "缙云达人号粉丝1200万，能拿多少奖励？"  # conditional 10万 （八） (draft)
Q_CHIPING = "茌平区电商企业与本地合作社签了购销协议，年采购额300万元，奖励多少？"  # conditional 3万 三（四）2

ZIBO_OK = (
    "按淄博市的政策，您的企业符合电商龙头企业流量补贴（第二条）的条件：实物商品网络零售额5000万元，"
    "每实现1万元最高补5元，可得{x}，每家企业最高10万元。全市补贴总额不超过500万元，申报较多时可能无法足额兑现。"
)
LIAOCHENG_OK = (
    "根据聊城市的政策（该文件为征求意见稿，有效期至2023年12月31日，已失效，仅供参考），您可能符合"
    "“新注册直播电商企业奖励”（第六条），金额20万元，但需先确认：是否当年新注册登记、网络零售额是否已纳入统计、"
    "是否具有独立法人资格。电商龙头企业流量补贴（第二条）要求年网络零售额1亿元以上，您目前3000万元，"
    "还差7000万元，暂不符合。"
)
JINYUN_OK = (
    "缙云县的政策目前是征求意见稿。您的达人号粉丝1200万，可能符合本地达人号培育奖励（（八）），最多10万元，"
    "前提是没有负面新闻或不符合主流价值观的情况。"
)


@pytest.fixture(scope="module")
def answers(pipeline):
    return {q: pipeline.ask(q) for q in (Q_ZIBO, Q_LIAOCHENG, Q_JINYUN, Q_CHIPING)}


def verdict(answers, q, text):
    return check_rewrite(text, answers[q])


@pytest.fixture(scope="module")
def qa_answers(pipeline):
    items = yaml.safe_load(QA.read_text(encoding="utf-8"))["questions"]
    return [(it["id"], pipeline.ask(it["q"])) for it in items]


# --- the engine's own words always pass; a changed figure never does -------------------------------


def test_engine_answer_passes_its_own_guard_for_every_qa_question(qa_answers):
    assert len(qa_answers) > 100
    failures = {qid: check_rewrite(r.answer, r).reasons for qid, r in qa_answers if not check_rewrite(r.answer, r).ok}
    assert failures == {}


def test_changing_any_answer_figure_is_rejected_for_every_qa_question(qa_answers):
    checked = 0
    for qid, r in qa_answers:
        if "万元" not in r.answer:
            continue
        v = check_rewrite(with_changed_figure(r.answer), r)
        assert not v.ok, qid
        assert any("不是测算结果中的数额" in x for x in v.reasons), (qid, v.reasons)
        checked += 1
    assert checked > 80


# --- figures in every written form ------------------------------------------------------------------


@pytest.mark.parametrize("x", ["2.5万元", "两万五千元", "二万五千元", "25,000元", "2.5 万元", "25000元整", "2.5万"])
def test_same_figure_in_any_form_passes(answers, x):
    v = verdict(answers, Q_ZIBO, ZIBO_OK.format(x=x))
    assert v.ok, v.reasons


@pytest.mark.parametrize("x", ["3万元", "三万元", "30,000元", "3 万元", "0.4亿元", "26000元整", "2.6万", "25,001元"])
def test_other_figure_in_any_form_is_rejected(answers, x):
    v = verdict(answers, Q_ZIBO, ZIBO_OK.format(x=x))
    assert not v.ok
    assert any("不是测算结果中的数额" in r for r in v.reasons)


@pytest.mark.parametrize(
    "extra, ok",
    [
        ("（相当于0.5亿元的网络零售额）", True),  # the user's own 5000万元
        ("按百分之三十计算。", False),
        ("按30%计算。", False),
        ("需连续经营12个月。", False),
        ("场地800平方米。", False),
        ("2025年起施行。", False),
        ("按1,200万元计。", False),
    ],
)
def test_percent_duration_area_year_and_grouped_figures(answers, extra, ok):
    v = verdict(answers, Q_ZIBO, ZIBO_OK.format(x="2.5万元") + extra)
    assert v.ok is ok, v.reasons


def test_engine_percent_year_and_instalments_pass(answers):
    text = (
        "茌平区的政策已于2024年12月31日失效，聊城市的文件还是征求意见稿，仅供参考。如与本地合作社的购销协议满1年，"
        "您可能符合区内协作（合作社网销采购）奖励（三（四）2），按年采购额300万元的1%计，约3万元；"
        "当年拨付百分之五十（1.5万元），次年拨付50%（1.5万元）。"
    )
    v = verdict(answers, Q_CHIPING, text)
    assert v.ok, v.reasons


def test_range_ends_are_both_checked(answers):
    assert verdict(answers, Q_ZIBO, ZIBO_OK.format(x="2.5万元") + "总额在500万到600万元之间。").ok is False


# --- clauses, titles and quotes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q, clause, ok",
    [
        (Q_ZIBO, "第二条", True),
        (Q_ZIBO, "第2条", True),
        (Q_ZIBO, "第三条", False),
        (Q_ZIBO, "第二条第三款", False),
        (Q_CHIPING, "三（四）2", True),
        (Q_CHIPING, "（四）2", True),
        (Q_CHIPING, "三（一）3", False),
        (Q_CHIPING, "三(四)3", False),
        (Q_JINYUN, "（八）", True),
        (Q_JINYUN, "（九）", False),
        (Q_LIAOCHENG, "第六条", True),
        (Q_LIAOCHENG, "第八条", False),
    ],
)
def test_only_cited_clauses_may_be_named(answers, q, clause, ok):
    r = answers[q]
    text = check_rewrite(r.answer, r)
    assert text.ok
    v = check_rewrite(r.answer + f"\n详见{clause}。", r)
    assert v.ok is ok, v.reasons
    if not ok:
        assert any("未引用的条款" in x for x in v.reasons)


def test_only_cited_policy_titles(answers):
    r = answers[Q_ZIBO]
    title = r.citations[0].policy_title
    assert check_rewrite(ZIBO_OK.format(x="2.5万元") + f"依据《{title}》。", r).ok
    v = check_rewrite(ZIBO_OK.format(x="2.5万元") + "依据《山东省电子商务促进条例》。", r)
    assert not v.ok and any("未引用的文件" in x for x in v.reasons)


def test_clause_figures_only_inside_a_verbatim_quote(answers):
    r = answers[Q_JINYUN]
    quote = r.citations[0].text
    assert "5万" in quote
    assert check_rewrite(JINYUN_OK + f"原文：「{quote}」", r).ok
    # with an ellipsis, parts in order
    assert check_rewrite(JINYUN_OK + "原文：「粉丝数达到100万、200万……一次性奖励2万元、5万、7.5万、10万元」", r).ok
    # the same tier figure outside the quote is a claim the engine did not make
    v = check_rewrite(JINYUN_OK + "粉丝达到200万就可能拿到5万元。", r)
    assert not v.ok and any("5万元" in x for x in v.reasons)


def test_a_quote_of_bare_figures_is_still_checked(answers):
    r = answers[Q_JINYUN]
    for text in ("您可得「5万」。", "您可得「2万元、5万、7.5万」。", "原文说「达到200万……5万」。"):
        v = check_rewrite(JINYUN_OK + text, r)
        assert not v.ok, text


def test_invented_original_text_is_rejected(answers):
    v = check_rewrite(JINYUN_OK + "原文：「对本地达人号给予10万元奖励」", answers[Q_JINYUN])
    assert not v.ok and any("不在引用条款中" in x for x in v.reasons)


# --- status: no upgrade -------------------------------------------------------------------------------


def test_faithful_conditional_rewrites_pass(answers):
    for q, text in ((Q_LIAOCHENG, LIAOCHENG_OK), (Q_JINYUN, JINYUN_OK)):
        v = check_rewrite(text, answers[q])
        assert v.ok, (q, v.reasons)


@pytest.mark.parametrize(
    "edit, reason",
    [
        (("、是否具有独立法人资格", ""), "漏掉了待确认条件"),
        (("您可能符合", "您符合条件，可以拿到"), "确定符合"),
        (("您可能符合", "您一定能拿到"), "确定性"),
        (("该文件为征求意见稿，", ""), "征求意见稿"),
        (("，已失效", ""), "失效"),
        (("暂不符合", "您也符合"), "暂不符合的奖补说成了符合"),
    ],
)
def test_status_upgrades_and_dropped_warnings_are_rejected(answers, edit, reason):
    text = LIAOCHENG_OK.replace(*edit)
    assert text != LIAOCHENG_OK
    v = check_rewrite(text, answers[Q_LIAOCHENG])
    assert not v.ok
    assert any(reason in x for x in v.reasons), v.reasons


def test_condition_may_be_named_by_synonym_or_question(answers):
    text = LIAOCHENG_OK.replace("网络零售额是否已纳入统计", "是否已纳统")
    assert check_rewrite(text, answers[Q_LIAOCHENG]).ok
    text = LIAOCHENG_OK.replace("是否具有独立法人资格", "是否具有独立法人资格？")
    assert check_rewrite(text, answers[Q_LIAOCHENG]).ok


def test_hedge_must_come_before_the_claim(answers):
    r = answers[Q_JINYUN]
    assert check_rewrite(JINYUN_OK.replace("可能符合", "如果没有负面新闻，可以拿到"), r).ok
    v = check_rewrite(JINYUN_OK.replace("可能符合", "可以拿到") + "但需确认是否有负面新闻。", r)
    assert not v.ok


def test_empty_or_huge_rewrite_rejected(answers):
    r = answers[Q_ZIBO]
    assert not check_rewrite("  ", r).ok
    assert not check_rewrite("好" * 7000, r).ok


# --- the readers themselves ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, values",
    [
        ("20万", ["200000"]),
        ("二十万元", ["200000"]),
        ("200,000元", ["200000"]),
        ("20 万", ["200000"]),
        ("0.2亿", ["20000000"]),
        ("20万元整", ["200000"]),
        ("百分之三十", ["30"]),
        ("30%", ["30"]),
        ("2023年", ["2023"]),
        ("12个月", ["12"]),
        ("800平方米", ["800"]),
        ("1,200万元", ["12000000"]),
        ("2000到3000万元", ["20000000", "30000000"]),
    ],
)
def test_figures_of_reads_every_form(text, values):
    assert [str(f.value) for f in figures_of(tidy(text))] == values


def test_list_numbering_is_not_a_figure():
    assert figures_of(tidy("1. 第一项\n2、第二项\n(3) 第三项")) == []


@pytest.mark.parametrize(
    "text, key",
    [
        ("第六条", "6"),
        ("第6条", "6"),
        ("三（四）2", "3(4)2"),
        ("（八）", "(8)"),
        ("第二条第三款", "2(3)"),
        ("三(一)3", "3(1)3"),
    ],
)
def test_clause_refs(text, key):
    assert [r.key for r in clause_refs(tidy(text))] == [key]


@pytest.mark.parametrize("cid, key", [("六", "6"), ("三（四）2", "3(4)2"), ("（八）", "(8)"), ("二（一）", "2(1)")])
def test_clause_key_of_rulebook_ids(cid, key):
    assert clause_key(cid) == key


def test_allowed_figures_exclude_clause_numbers_and_quote_only_figures(answers):
    figs = allowed_figures(answers[Q_JINYUN]).all_values()
    assert 100000 in figs and 50000 not in figs and 8 not in figs
