"""Cleaning keeps every word and figure and undoes only layout (wraps, markup, page breaks)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from assistant.cleaning import clean_seed, main, policy_id_for_seed, seed_policy_ids

# The published seeds, kept verbatim in corpus/seeds/ so the figure check runs on every checkout.
SEED_DIR = Path(__file__).resolve().parents[1] / "corpus" / "seeds"
CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"
SEEDS = sorted(SEED_DIR.glob("*.txt"))


def test_every_seed_is_named_by_its_policy_metadata():
    """The seed → policy mapping is data (corpus/<id>.yaml source_file), and every seed has its policy."""
    from assistant.corpus import load_policies

    by_seed = {p.source_file: p.id for p in load_policies(CORPUS_DIR) if p.source_file}
    assert SEEDS and {s.name for s in SEEDS} <= set(by_seed)
    assert [policy_id_for_seed(s, CORPUS_DIR) for s in SEEDS] == [by_seed[s.name] for s in SEEDS]


def test_unknown_seed_says_how_to_import_it(tmp_path):
    stray = tmp_path / "999_new.txt"
    stray.write_text("一、新政策。\n", encoding="utf-8")
    with pytest.raises(KeyError, match="policy-qa import"):
        policy_id_for_seed(stray, CORPUS_DIR)


NUMERALS = re.compile(r"[0-9〇一二三四五六七八九十百千万亿两]")
# What cleaning may remove (besides whitespace): the rest must survive unchanged.
REMOVABLE = re.compile(r"\[bookmark:[^\]]*\]|\*\*|^#+|^\s*-{3,}\s*$", re.MULTILINE)


def _seed_text(seed: Path) -> str:
    return seed.read_text(encoding="utf-8")


def _without_removables(raw: str) -> str:
    return REMOVABLE.sub("", raw)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def cleaned() -> dict[str, str]:
    return {policy_id_for_seed(seed, CORPUS_DIR): clean_seed(_seed_text(seed)) for seed in SEEDS}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_figures_and_numerals_unchanged(seed: Path):
    raw = _without_removables(_seed_text(seed))
    expected = NUMERALS.findall(raw)
    assert NUMERALS.findall(clean_seed(_seed_text(seed))) == expected
    # the committed corpus text (possibly hand-edited since) must keep them too
    committed = (CORPUS_DIR / f"{policy_id_for_seed(seed, CORPUS_DIR)}.txt").read_text(encoding="utf-8")
    assert NUMERALS.findall(committed) == expected


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_every_character_kept_in_order(seed: Path):
    """Only whitespace and markup go: the non-space characters are the seed's, in order."""
    raw = _without_removables(_seed_text(seed))
    assert _squeeze(clean_seed(_seed_text(seed))) == _squeeze(raw)
    committed = (CORPUS_DIR / f"{policy_id_for_seed(seed, CORPUS_DIR)}.txt").read_text(encoding="utf-8")
    assert _squeeze(committed) == _squeeze(raw)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_no_markup_or_layout_left(seed: Path):
    text = clean_seed(_seed_text(seed))
    assert text.endswith("\n") and not text.endswith("\n\n")
    for line in text.splitlines():
        assert line, "no blank lines: one paragraph per line"
        assert line == line.strip(), f"leading/trailing space: {line!r}"
        assert "**" not in line and "[bookmark" not in line and "\f" not in line
        assert not line.startswith("#") and not re.fullmatch(r"-{3,}", line)
        assert "  " not in line
        # no stray space inside a figure: 「1000 万元」「1 亿元」「2022 年」
        assert not re.search(r"[0-9] +[万亿元年月日个家%]", line), line
        assert not re.search(r"[\u4e00-\u9fff，。] +[0-9]", line) or re.search(r"[局府室会] [0-9]{4}年", line), line


def _wrapped_junctions(raw: str) -> list[tuple[str, str]]:
    """(end of printed line, start of next printed line) where a long printed line stops mid-sentence."""
    lines = [line.strip() for line in raw.splitlines() if line.strip() and not re.fullmatch(r"\s*-{3,}\s*", line)]
    junctions = []
    for prev, cur in itertools.pairwise(lines):
        if prev.startswith("#") or cur.startswith("#"):
            continue  # a markdown heading is a paragraph of its own
        prev, cur = _without_removables(prev).strip(), _without_removables(cur).strip()
        if len(prev) < 20 or prev[-1] in "。；：！？）”" or re.match(r"[0-9]{4} ?年", cur):
            continue  # a sentence end, or the signature's date line
        if re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", prev) and re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", cur):
            continue  # rows of the annex's name list
        junctions.append((_squeeze(prev)[-4:], _squeeze(cur)[:4]))
    return junctions


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_wrapped_lines_are_joined(seed: Path):
    raw = _seed_text(seed)
    clean_lines = [_squeeze(line) for line in clean_seed(raw).splitlines()]
    for tail, head in _wrapped_junctions(raw):
        assert any(tail + head in line for line in clean_lines), f"still broken: {tail!r} / {head!r}"


@pytest.mark.parametrize(
    ("policy_id", "whole"),
    [
        ("zibo-2022", "年度网络零售额达到1000万元以上"),
        ("zibo-2022", "打造电商村、电商镇"),
        ("zibo-2022", "对电商村、电商镇分别给予不超过30万元、50万元奖励"),
        ("zibo-2022", "超过1亿元"),
        ("zibo-2022", "有效期为2022年10月1日至2027年9月30日"),
        ("zibo-2022", "制定相关支持政策。本政策由市商务局负责解释"),  # page break inside a paragraph
        ("zibo-2022", "关于支持全市电子商务高质量发展若干措施的通知"),  # title printed on two lines
        ("chiping-2022", "有效期至2024年12月31日，若优惠政策企业享受期未满"),
        ("chiping-2022", "年网上销售额2000万元以上（含2000万元）的"),
        ("chiping-2022", "吴树申 区发展改革局党组副书记、金融发展服务中心主任"),
        ("chiping-2022", "聊城市茌平区促进电商发展的若干政策（试行）"),
        ("jining-2022", "比重提升幅度，以及对全市纳统电商零售企业"),
        ("jining-2022", "一次性奖励。（责任单位：市财政局"),
        ("jining-2022", "济宁市人民政府印发关于促进电子商务高质量发展的若干措施（暂行）的通知"),
        ("liaocheng-2022", "六、加快直播电商发展。"),
    ],
)
def test_known_wraps_joined(cleaned, policy_id, whole):
    assert any(whole in line for line in cleaned[policy_id].splitlines())


@pytest.mark.parametrize(
    ("policy_id", "first", "second"),
    [
        ("zibo-2022", "八、创新融资支持方式。", "本措施所指的网络零售额纳统"),
        ("zibo-2022", "淄博市财政局 淄博市商务局", "2022年9月29日"),
        (
            "chiping-2022",
            "各乡镇人民政府、街道办事处，区直有关部门（单位）：",
            "《聊城市茌平区促进电商发展的若干政策（试行）》已经",
        ),
        ("chiping-2022", "三、支持政策", "（一）扶持电商经营主体"),
        ("chiping-2022", "1.支持电商村、乡镇建设。", "奖励资金仅限用于支持当地电商发展"),
        ("chiping-2022", "7.本政策最终解释权归", "附件：聊城市茌平区电商政策落实领导小组"),
        ("chiping-2022", "领导小组下设办公室", "聊城市茌平区人民政府办公室 2022年11月11日印发"),
        ("chiping-2022", "副组长：成庆亮", "成 员：庞殿明"),
        ("jinyun-2025", "一、支持电子商务集聚发展", "（一）对使用面积5000平方米以上"),
    ],
)
def test_paragraph_breaks_kept(cleaned, policy_id, first, second):
    lines = cleaned[policy_id].splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith(first))
    assert lines[i + 1].startswith(second)


def test_synthetic_layout():
    raw = (  # one paragraph per line; a page break cut the first paragraph mid-sentence
        " 第一段的第一行文字很长很长很长很长很长很长很长很长很长很长很长，达到 1000\n"
        "万元以上的给予 20 万元奖励。\n"
        "\f 二、第二段，共 1 亿元。  \n\n---\n\n**三、加粗标题。**正文[bookmark: _GoBack]。\n"
    )
    text = clean_seed(raw)
    assert "达到1000万元以上的给予20万元奖励。" in text
    assert "二、第二段，共1亿元。" in text.splitlines()
    assert "三、加粗标题。正文。" in text.splitlines()


def test_cli_regenerates(tmp_path):
    assert main([str(SEED_DIR), str(CORPUS_DIR), str(tmp_path)]) == 0
    ids = seed_policy_ids(CORPUS_DIR)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{ids[s.name]}.txt" for s in SEEDS)
    first = tmp_path / f"{ids[SEEDS[0].name]}.txt"
    assert first.read_text(encoding="utf-8") == clean_seed(_seed_text(SEEDS[0]))
    assert main(["only-one-arg"]) == 2
