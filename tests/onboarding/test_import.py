"""`policy-qa import` on real .docx / .pdf / .html / .txt files: text, metadata skeleton, clause tree, warnings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from assistant.cli.main import main
from assistant.corpus import clauses_of, get_policy
from assistant.onboarding.extract import DocumentError
from assistant.onboarding.importer import import_policy
from assistant.onboarding.normalize import normalise, normalise_line

from .docs import POLICY_LINES, write_docx, write_html, write_pdf

EXPECTED_IDS = ["序言", "一（一）", "一（二）", "二（一）", "二（二）", "三", "落款"]


def _wrapped(lines: list[str], width: int = 30) -> list[str]:
    out = []
    for line in lines:
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return out


def _pdf(tmp_path: Path) -> Path:
    lines = _wrapped(POLICY_LINES)
    pages = [
        ["义乌市人民政府办公室文件", *lines[i : i + 8], f"— {n + 1} —"] for n, i in enumerate(range(0, len(lines), 8))
    ]
    return write_pdf(tmp_path / "policy.pdf", pages)


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html", "txt"])
def test_import_each_format(tmp_path: Path, fmt: str):
    src = {
        "docx": lambda: write_docx(tmp_path / "policy.docx"),
        "pdf": lambda: _pdf(tmp_path),
        "html": lambda: write_html(tmp_path / "policy.html"),
        "txt": lambda: _write(tmp_path / "policy.txt", "\n\n".join(POLICY_LINES)),
    }[fmt]()
    corpus_dir = tmp_path / "corpus"
    res = import_policy(src, "yiwu-2024", corpus_dir)
    assert [c.clause_id for c in res.clauses] == EXPECTED_IDS, res.text_path.read_text(encoding="utf-8")
    text = res.text_path.read_text(encoding="utf-8")
    # half-width (一) became （一）; the PDF's broken lines, page numbers and running header are gone
    assert (
        "（一）对年网络零售额首次达到1亿元、5亿元的直播电商企业，分别给予10万元、30万元一次性奖励。"
        in text.splitlines()
    )
    assert "— 1 —" not in text and "办公室文件" not in text and "首页" not in text and "版权所有" not in text
    meta = get_policy("yiwu-2024", corpus_dir)  # the skeleton loads as corpus metadata
    assert meta.title == POLICY_LINES[0] and meta.doc_number == "义政办发〔2024〕12号"
    assert meta.issuer == "义乌市人民政府办公室" and meta.source_file == src.name
    assert (meta.jurisdiction.province, meta.jurisdiction.city, meta.jurisdiction.district) == (
        "浙江省",
        "金华市",
        "义乌市",
    )
    assert str(meta.date_issued) == "2024-02-20" and str(meta.effective_from) == "2024-03-01"
    assert (
        str(meta.effective_to) == "2026-12-31"
        and meta.validity_text == "本意见自2024年3月1日起施行，有效期至2026年12月31日。"
    )
    assert meta.status == "final" and "jurisdiction" in meta.review
    assert res.warnings == []
    assert [c.clause_id for c in clauses_of("yiwu-2024", corpus_dir)] == EXPECTED_IDS


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_normalise_numbering_and_punctuation():
    assert normalise_line("(一)支持企业,给予奖励:") == "（一）支持企业，给予奖励："
    assert normalise_line("一.总体要求") == "一、总体要求"
    assert normalise_line("1)对企业") == "（1）对企业"
    assert normalise_line("第 三 条 本办法") == "第三条 本办法"
    assert normalise_line("销售额１０００万元（含）以上") == "销售额1000万元（含）以上"
    assert normalise_line("金额1,000万元，时间10:30") == "金额1,000万元，时间10:30"
    assert normalise_line("B2B (business) 平台") == "B2B (business) 平台"


def test_numbering_warnings(tmp_path: Path):
    lines = [
        "某县促进电商发展的若干措施",
        "一、支持主体。对企业给予奖励。",
        "二、支持平台。对平台给予奖励。",
        "四、支持物流。对物流给予奖励。",
        "五、支持人才。",
        "①培训补贴；",
        "②创业补贴；",
        "六、其他。",
    ]
    res = import_policy(_write(tmp_path / "gap.txt", "\n".join(lines)), "gap-2024", tmp_path / "corpus")
    joined = "\n".join(res.warnings)
    assert "「四、支持物流" in joined and "未切分" in joined
    assert "「①」式编号" in joined
    one_block = "某县政策\n" + "对企业给予奖励，" * 400 + "。\n一、唯一一条。\n"
    res = import_policy(_write(tmp_path / "long.txt", one_block), "long-2024", tmp_path / "corpus")
    assert any("条款数相对篇幅偏少" in w for w in res.warnings)
    inline = "某县政策\n一、第一条。对企业给予奖励。二、第二条。对平台给予奖励。\n"
    res = import_policy(_write(tmp_path / "inline.txt", inline), "inline-2024", tmp_path / "corpus")
    assert any("段落中间出现条款编号 二、" in w for w in res.warnings)


def test_bad_inputs_are_clear_chinese_errors(tmp_path: Path):
    with pytest.raises(DocumentError, match="不支持的文件类型"):
        import_policy(_write(tmp_path / "x.csv", "a,b"), "x-2024", tmp_path)
    with pytest.raises(DocumentError, match="不合要求"):
        import_policy(_write(tmp_path / "x.txt", "一、政策"), "X 2024", tmp_path)
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(DocumentError, match="二进制"):
        import_policy(tmp_path / "bin.txt", "bin-2024", tmp_path)
    with pytest.raises(DocumentError, match="没有文字层"):
        import_policy(write_pdf(tmp_path / "scan.pdf", [["1"]]), "scan-2024", tmp_path)
    (tmp_path / "broken.docx").write_bytes(b"PK not a zip")
    with pytest.raises(DocumentError, match=r"不是有效的 \.docx"):
        import_policy(tmp_path / "broken.docx", "broken-2024", tmp_path)
    src = write_docx(tmp_path / "p.docx")
    import_policy(src, "yiwu-2024", tmp_path / "corpus")
    with pytest.raises(DocumentError, match="已存在"):
        import_policy(src, "yiwu-2024", tmp_path / "corpus")


def test_cli_import_then_clauses(tmp_path: Path, capsys, monkeypatch):
    from assistant.config import get_settings

    corpus_dir = tmp_path / "corpus"
    src = write_docx(tmp_path / "policy.docx")
    assert main(["import", str(src), "--id", "yiwu-2024", "--corpus-dir", str(corpus_dir)]) == 0
    out = capsys.readouterr().out
    assert "一（一）" in out and "（一）对年网络零售额首次达到1亿元" in out and "义政办发〔2024〕12号" in out
    meta = yaml.safe_load((corpus_dir / "yiwu-2024.yaml").read_text(encoding="utf-8"))
    assert meta["review"] and meta["source_file"] == "policy.docx"
    assert main(["import", str(src), "--id", "yiwu-2024", "--corpus-dir", str(corpus_dir)]) == 1
    assert "已存在" in capsys.readouterr().err
    monkeypatch.setenv("POLICY_QA_CORPUS_DIR", str(corpus_dir))
    get_settings.cache_clear()
    try:
        assert main(["clauses", "yiwu-2024", "--json"]) == 0
        rows = json.loads(capsys.readouterr().out)["clauses"]
        assert [r["clause_id"] for r in rows] == EXPECTED_IDS
        assert rows[2]["first_words"].startswith("（二）对新引进的直播电商机构")
        assert main(["clauses", "nope-2024"]) == 1
        assert "未知政策" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()


def test_clauses_cli_on_the_corpus(capsys):
    from assistant.corpus import load_policies

    for meta in load_policies():
        assert main(["clauses", meta.id]) == 0
        out = capsys.readouterr().out
        assert [line.split()[0] for line in out.splitlines()] == [c.clause_id for c in clauses_of(meta.id)]


def test_pdf_text_normalised_like_the_seeds():
    raw = "一、支持企业。对年销售额达到\n1000万元的企业给予奖励。\n\f2\n"
    assert "一、支持企业。对年销售额达到1000万元的企业给予奖励。" in normalise(raw, pdf=True)


def test_importing_the_seeds_reproduces_the_corpus(tmp_path: Path):
    """Every seed imported as a .txt splits into the committed corpus's clauses without a numbering warning, and
    its metadata skeleton equals the hand-checked metadata — or leaves the field to fill, with a warning naming it."""
    from assistant.cleaning import seed_policy_ids

    corpus_dir = Path(__file__).resolve().parents[2] / "corpus"
    ids = seed_policy_ids(corpus_dir)
    seeds = sorted((corpus_dir / "seeds").glob("*.txt"))
    assert seeds
    for seed in seeds:
        pid = ids[seed.name]
        res = import_policy(seed, pid, tmp_path)
        assert [c.clause_id for c in res.clauses] == [c.clause_id for c in clauses_of(pid)], pid
        committed = get_policy(pid)
        left_open = []
        for key in (
            "title",
            "issuer",
            "doc_number",
            "date_issued",
            "effective_from",
            "effective_to",
            "validity_text",
            "status",
        ):
            if res.meta[key] == "待填写":
                left_open.append(key)
            else:
                assert res.meta[key] == getattr(committed, key), (pid, key)
        j = committed.jurisdiction
        assert res.meta["jurisdiction"] == {"province": j.province, "city": j.city, "district": j.district}, pid
        assert len(res.warnings) == len(left_open) and all(
            f"请填写 {k}" in w for k, w in zip(left_open, res.warnings, strict=True)
        )
