"""Clause splitting on each document's own numbering; the ids below are a contract
(rules/*.yaml and citations refer to them): change them only on purpose."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.clauses import clause_heading, split_clauses

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"

CN = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五",
      "十六", "十七", "十八", "十九", "二十"]  # fmt: skip

CHIPING_IDS = [
    "通知", "序言", "一", "二",
    "三（一）1", "三（一）2", "三（一）3",
    "三（二）1", "三（二）2",
    "三（三）1", "三（三）2",
    "三（四）1", "三（四）2", "三（四）3",
    "三（五）1", "三（五）2", "三（五）3",
    "三（六）",
    "三（七）1", "三（七）2",
    "三（八）",
    "四（一）", "四（二）", "四（三）",
    "五1", "五2", "五3", "五4", "五5", "五6", "五7",
    "附件", "落款",
]  # fmt: skip

EXPECTED_IDS = {
    "zibo-2022": ["序言", *CN[:8], "附则1", "附则2", "附则3", "落款"],
    "liaocheng-2022": ["序言", *CN[:12], "附则1"],
    "chiping-2022": CHIPING_IDS,
    "jining-2022": ["通知", "序言", *CN[:11], "附则1", "落款"],
    "jinyun-2025": ["序言", *[f"（{n}）" for n in CN[:20]], "附则1"],
}


def _text(policy_id: str) -> str:
    return (CORPUS_DIR / f"{policy_id}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def clauses() -> dict[str, list]:
    return {pid: split_clauses(pid, _text(pid)) for pid in EXPECTED_IDS}


@pytest.mark.parametrize("policy_id", EXPECTED_IDS)
def test_clause_ids_pinned(clauses, policy_id):
    assert [c.clause_id for c in clauses[policy_id]] == EXPECTED_IDS[policy_id]


@pytest.mark.parametrize("policy_id", EXPECTED_IDS)
def test_every_line_in_exactly_one_chunk_in_order(clauses, policy_id):
    chunks = clauses[policy_id]
    lines = [line for line in _text(policy_id).splitlines() if line.strip()]
    assert [line for c in chunks for line in c.text.split("\n")] == lines
    assert re.sub(r"\s", "", "".join(c.text for c in chunks)) == re.sub(r"\s", "", _text(policy_id))
    assert [c.order for c in chunks] == list(range(len(chunks)))
    assert all(c.policy_id == policy_id and c.text.strip() for c in chunks)


def _get(clauses, policy_id, clause_id):
    return next(c for c in clauses[policy_id] if c.clause_id == clause_id)


def test_headings_parents_and_kinds(clauses):
    zibo_1 = _get(clauses, "zibo-2022", "一")
    assert zibo_1.heading == "实施网络零售倍增计划"
    assert zibo_1.text.startswith("一、实施网络零售倍增计划。加强对各区县激励引导")
    assert zibo_1.parents == [] and zibo_1.kind == "article"

    c = _get(clauses, "chiping-2022", "三（三）1")
    assert c.heading == "支持跨境电商公共海外仓建设"
    assert c.parents == ["支持政策", "促进跨境电商发展"]
    assert c.text.startswith(
        "（三）促进跨境电商发展\n1.支持跨境电商公共海外仓建设。"
    )  # parent heading opens its first child
    assert _get(clauses, "chiping-2022", "三（一）1").text.startswith(
        "三、支持政策\n（一）扶持电商经营主体\n1.支持示范园区、企业创建。"
    )
    assert _get(clauses, "chiping-2022", "三（一）1").heading == "支持示范园区、企业创建"
    assert _get(clauses, "chiping-2022", "三（一）2").parents == ["支持政策", "扶持电商经营主体"]
    assert "奖励资金仅限用于支持当地电商发展" in _get(clauses, "chiping-2022", "三（四）1").text
    assert "一是支持农村和社区电商服务站建设" in _get(clauses, "chiping-2022", "三（四）3").text
    leaf = _get(clauses, "chiping-2022", "三（八）")
    assert (leaf.heading, leaf.parents) == ("强化金融服务", ["支持政策"])
    assert _get(clauses, "chiping-2022", "四（一）").heading == "组织申报"
    assert _get(clauses, "chiping-2022", "一").heading == "支持方向"
    final = _get(clauses, "chiping-2022", "五6")
    assert final.kind == "final" and final.parents == ["附则"] and "有效期至2024年12月31日" in final.text
    assert _get(clauses, "chiping-2022", "通知").text.startswith("聊城市茌平区人民政府办公室\n聊茌政办字〔2022〕15号")
    assert _get(clauses, "chiping-2022", "序言").text.startswith("聊城市茌平区促进电商发展的若干政策（试行）\n为优化")
    annex = _get(clauses, "chiping-2022", "附件")
    assert (
        annex.kind == "annex" and annex.heading == "聊城市茌平区电商政策落实领导小组" and "组 长：刘 田" in annex.text
    )
    assert _get(clauses, "chiping-2022", "落款").text == "聊城市茌平区人民政府办公室 2022年11月11日印发"

    j = _get(clauses, "jinyun-2025", "（七）")
    assert (j.heading, j.parents) == ("引导直播经济健康发展", ["扶持直播、短视频等新业态发展"])
    assert _get(clauses, "jinyun-2025", "（一）").heading == ""  # its first sentence is a rule, not a heading
    assert _get(clauses, "jinyun-2025", "（二十）").kind == "final"
    assert _get(clauses, "jinyun-2025", "附则1").text.startswith("本意见自2025年 月 日起施行")

    assert _get(clauses, "liaocheng-2022", "八").heading == "提升完善产业园区生态，培育生态链“白名单”企业"
    assert _get(clauses, "jining-2022", "三").text.endswith(
        "（责任单位：市财政局、市商务局、市统计局、市税务局、市行政审批服务局，各县市区政府、管委会）"
    )
    assert _get(clauses, "jining-2022", "序言").text.startswith(
        "关于促进电子商务高质量发展的若干措施 (暂行)\n为贯彻落实"
    )
    assert _get(clauses, "jining-2022", "落款").text.startswith("抄送：")
    zibo_finals = [c for c in clauses["zibo-2022"] if c.clause_id.startswith("附则")]
    assert all(c.kind == "final" and c.heading == "" for c in zibo_finals)
    assert "有效期为2022年10月1日至2027年9月30日" in zibo_finals[1].text
    assert _get(clauses, "zibo-2022", "落款").text == "淄博市财政局 淄博市商务局\n2022年9月29日"


def test_retrieval_text_carries_parent_headings(clauses):
    c = _get(clauses, "chiping-2022", "三（三）2")
    assert c.retrieval_text.startswith("支持政策 促进跨境电商发展 2.鼓励企业发展跨境电商。")


def test_false_positives_do_not_open_clauses():
    text = "\n".join(
        [
            "关于测试的若干措施",
            "为测试，制定如下措施：",
            "一、第一条。正文（含）以上。",
            "1.不在序列中的编号不算，因为一、下面第一个子项只能是（一）或1.——但这里是1.所以算。",
            "（含2000万元）的，给予奖励。",
            "（MCN 机构）和直播团队。",
            "（暂行）（试行）（征求意见稿）（牵头单位：市商务局）（以下简称本措施）",
            "2022年1月1日以后登记注册的。",
            "3.跳号的编号不开新条款。",
            "一是加强，二是推进，三是落实。",
            "二、第二条。见第1.2节，共3个。",
            "（二）没有（一）的（二）不算。",
            "四、跳号不算。",
            "三、第三条",
            "（一）子项",
            "（1）孙项。",
            "（2）孙项二。",
            "（二）子项二。正文写在同一段。",
            "本措施自2022年1月1日起施行。",
        ]
    )
    ids = [c.clause_id for c in split_clauses("t", text)]
    assert ids == ["序言", "一1", "二", "三（一）（1）", "三（一）（2）", "三（二）", "附则1"]
    clauses = {c.clause_id: c for c in split_clauses("t", text)}
    assert "（含2000万元）的" in clauses["一1"].text and "3.跳号的编号" in clauses["一1"].text
    assert "（二）没有（一）的（二）不算。\n四、跳号不算。" in clauses["二"].text
    assert clauses["三（一）（1）"].parents == ["第三条", "子项"]


def test_text_without_numbering_is_one_preamble():
    clauses = split_clauses("t", "标题\n正文一段。\n")
    assert [(c.clause_id, c.kind) for c in clauses] == [("序言", "preamble")]


@pytest.mark.parametrize(
    ("rest", "heading"),
    [
        ("实施网络零售倍增计划。加强对各区县激励引导", "实施网络零售倍增计划"),
        ("支持政策", "支持政策"),
        ("组织申报：各项补助资金由电商经营主体", "组织申报"),
        ("本政策最终解释权归聊城市茌平区商务和投资促进局。", ""),
        ("对使用面积5000平方米以上，聚集30家网店以上的电商园区，园区内限上企业合计年度网络零售额每增长1亿元。", ""),
    ],
)
def test_clause_heading(rest, heading):
    assert clause_heading(rest) == heading
