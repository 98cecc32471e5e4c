"""The corpus loader: metadata as the texts state it, clauses, hashing and clear errors."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml

from assistant import corpus
from assistant.cli.main import main as cli_main
from assistant.cli.policies_cmd import policy_rows
from assistant.config import get_settings
from assistant.corpus import (
    CorpusError,
    PolicyNotFound,
    clauses_of,
    corpus_hash,
    get_clause,
    get_policy,
    load_clauses,
    load_policies,
    policy_text,
)

# The corpus under test is the configured one (tests/test_tests_follow_the_corpus.py runs this file on a copy
# with an extra policy); the ids are whatever it holds, never a fixed list.
CORPUS_DIR = get_settings().corpus_dir.resolve()
IDS = sorted(p.stem for p in CORPUS_DIR.glob("*.yaml"))
D = dt.date


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, target)
    return target


def test_policies_sorted_and_complete():
    policies = load_policies(CORPUS_DIR)
    assert IDS and [p.id for p in policies] == IDS
    for p in policies:
        assert p.text_file == f"{p.id}.txt"
        assert p.validity_text is None or p.validity_text in policy_text(p.id, CORPUS_DIR), (
            "validity_text must be verbatim"
        )
        assert p.title.replace(" ", "") in policy_text(p.id, CORPUS_DIR).replace(" ", "").replace("(", "（").replace(
            ")", "）"
        )


def test_default_corpus_dir_is_the_setting():
    assert [p.id for p in load_policies()] == IDS == [p.id for p in load_policies(CORPUS_DIR)]


@pytest.mark.parametrize(
    ("pid", "issued", "start", "end", "status", "doc_number", "place"),
    [
        ("zibo-2022", D(2022, 9, 29), D(2022, 10, 1), D(2027, 9, 30), "final", None, ("山东省", "淄博市", None)),
        ("liaocheng-2022", None, None, D(2023, 12, 31), "draft", None, ("山东省", "聊城市", None)),
        (
            "chiping-2022",
            D(2022, 11, 11),
            D(2023, 1, 1),
            D(2024, 12, 31),
            "final",
            "聊茌政办字〔2022〕15号",
            ("山东省", "聊城市", "茌平区"),
        ),
        (
            "jining-2022",
            D(2022, 11, 10),
            D(2022, 11, 10),
            D(2023, 12, 31),
            "final",
            "济政字〔2022〕54号",
            ("山东省", "济宁市", None),
        ),
        ("jinyun-2025", None, None, None, "draft", None, ("浙江省", "丽水市", "缙云县")),
    ],
)
def test_metadata_as_the_texts_state_it(pid, issued, start, end, status, doc_number, place):
    meta = get_policy(pid, CORPUS_DIR)
    assert (meta.date_issued, meta.effective_from, meta.effective_to) == (issued, start, end)
    assert meta.status == status and meta.doc_number == doc_number
    j = meta.jurisdiction
    assert (j.province, j.city, j.district) == place
    if doc_number:
        assert doc_number in policy_text(pid, CORPUS_DIR)


def test_jinyun_notes_explain_what_is_inferred():
    meta = get_policy("jinyun-2025", CORPUS_DIR)
    assert meta.validity_text.startswith("本意见自2025年 月 日起施行")
    assert any("推断" in n for n in meta.notes)
    assert any("2025年1月1日" in n and "参照执行" in n for n in meta.notes)


def test_validity_today():
    today = D(2026, 11, 23)
    states = {p.id: p.validity_on(today) for p in load_policies(CORPUS_DIR)}
    known = {  # these policies' own dates; any further policy has its own
        "chiping-2022": "expired",
        "jining-2022": "expired",
        "jinyun-2025": "unknown",
        "liaocheng-2022": "expired",
        "zibo-2022": "in_force",
    }
    assert {pid: states[pid] for pid in known} == known


def test_clauses_and_lookup():
    all_clauses = load_clauses(CORPUS_DIR)
    assert [c.policy_id for c in all_clauses] == sorted(c.policy_id for c in all_clauses)
    assert {c.policy_id for c in all_clauses} == set(IDS)
    zibo = clauses_of("zibo-2022", CORPUS_DIR)
    assert zibo[0].clause_id == "序言" and len(zibo) == 13
    clause = get_clause("chiping-2022", "三（三）1", CORPUS_DIR)
    assert clause is not None and clause.heading == "支持跨境电商公共海外仓建设"
    assert get_clause("chiping-2022", "九十九", CORPUS_DIR) is None


def test_unknown_policy_is_a_clear_key_error():
    with pytest.raises(PolicyNotFound) as err:
        get_policy("shanghai-2024", CORPUS_DIR)
    assert isinstance(err.value, KeyError)
    assert "shanghai-2024" in str(err.value) and "zibo-2022" in str(err.value)
    with pytest.raises(KeyError):
        clauses_of("shanghai-2024", CORPUS_DIR)


def test_hash_changes_and_clauses_rebuild(corpus_copy: Path):
    before = corpus_hash(corpus_copy)
    assert before == corpus_hash(corpus_copy) and len(before) == 64
    assert corpus_hash(corpus_copy) == corpus_hash(CORPUS_DIR)  # content, not location
    n = len(clauses_of("zibo-2022", corpus_copy))
    text = corpus_copy / "zibo-2022.txt"
    lines = text.read_text(encoding="utf-8").splitlines()
    i = lines.index(next(line for line in lines if line.startswith("八、")))
    lines.insert(i + 1, "九、新增一条。这是人工补录的一条。")
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert corpus_hash(corpus_copy) != before
    assert len(clauses_of("zibo-2022", corpus_copy)) == n + 1
    assert get_clause("zibo-2022", "九", corpus_copy).heading == "新增一条"


def test_new_policy_is_just_two_files(corpus_copy: Path):
    (corpus_copy / "demo-2024.txt").write_text("示范政策\n一、支持示范。给予奖励。\n", encoding="utf-8")
    meta = yaml.safe_load((CORPUS_DIR / "zibo-2022.yaml").read_text(encoding="utf-8"))
    meta.update(id="demo-2024", title="示范政策", text_file="demo-2024.txt", source_file="demo.txt")
    (corpus_copy / "demo-2024.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    assert "demo-2024" in [p.id for p in load_policies(corpus_copy)]
    assert [c.clause_id for c in clauses_of("demo-2024", corpus_copy)] == ["序言", "一"]


def test_invalid_yaml_names_file_and_field(corpus_copy: Path):
    path = corpus_copy / "jining-2022.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["effective_to"] = "2023年底"
    data["colour"] = "red"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        load_policies(corpus_copy)
    message = str(err.value)
    assert "jining-2022.yaml" in message and "effective_to" in message and "colour" in message


def test_metadata_errors_say_what_value_is_expected(corpus_copy: Path):
    path = corpus_copy / "jining-2022.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["status"] = "正式"
    data["date_issued"] = "2022年11月10日"
    del data["issuer"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        load_policies(corpus_copy)
    message = str(err.value)
    assert "字段 status" in message and "final（正式文件）或 draft（征求意见稿）" in message
    assert "字段 date_issued" in message and "YYYY-MM-DD" in message and "null" in message
    assert "字段 issuer: 缺少此字段" in message


def test_optional_metadata_may_be_null(corpus_copy: Path):
    path = corpus_copy / "jinyun-2025.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(source_file=None, validity_text=None, doc_number=None)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    meta = get_policy("jinyun-2025", corpus_copy)
    assert meta.source_file is None and meta.validity_text is None


def test_yaml_id_must_match_file_and_text_must_exist(corpus_copy: Path):
    path = corpus_copy / "zibo-2022.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: zibo-2022", "id: zibo"), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"zibo-2022\.yaml.*id"):
        load_policies(corpus_copy)
    shutil.copy(CORPUS_DIR / "zibo-2022.yaml", path)
    (corpus_copy / "jinyun-2025.txt").unlink()
    with pytest.raises(CorpusError, match=r"jinyun-2025\.yaml.*text_file"):
        load_policies(corpus_copy)


def test_text_without_metadata_is_reported(corpus_copy: Path):
    (corpus_copy / "orphan.txt").write_text("一、孤立。\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"orphan\.txt"):
        load_policies(corpus_copy)


def test_cli_policies_json(capsys, monkeypatch):
    monkeypatch.setenv("POLICY_QA_TODAY", "2026-11-23")
    get_settings.cache_clear()
    try:
        assert cli_main(["policies", "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        rows = {row["id"]: row for row in out["policies"]}
        assert list(rows) == IDS
        assert rows["zibo-2022"]["validity_label"] == "有效"
        assert rows["liaocheng-2022"]["validity_label"] == "已失效（截止 2023-12-31）"
        assert rows["jinyun-2025"]["validity_label"] == "未载明"
        assert rows["jinyun-2025"]["status_label"] == "征求意见稿"
        assert rows["chiping-2022"]["doc_number"] == "聊茌政办字〔2022〕15号"
        assert rows["chiping-2022"]["clauses"] == len(clauses_of("chiping-2022"))
        assert policy_rows() == out["policies"]  # default day is the configured today
        mid_period = {row["id"]: row for row in policy_rows(D(2023, 6, 1))}
        assert mid_period["jining-2022"]["validity_label"] == "有效"

        assert cli_main(["policies"]) == 0
        text = capsys.readouterr().out
        assert "济政字〔2022〕54号" in text and "已失效（截止 2024-12-31）" in text and "正式" in text
    finally:
        get_settings.cache_clear()


def test_cli_reports_a_broken_corpus(capsys, monkeypatch, corpus_copy: Path):
    (corpus_copy / "zibo-2022.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("POLICY_QA_CORPUS_DIR", str(corpus_copy))
    get_settings.cache_clear()
    try:
        assert cli_main(["policies"]) == 1
        assert "zibo-2022.yaml" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()


def test_clauses_are_split_once_per_directory_and_version(corpus_copy: Path, monkeypatch, tmp_path_factory):
    from assistant import compiled_cache

    compiled_dir = tmp_path_factory.mktemp("compiled")  # an empty compiled cache: every split is counted
    monkeypatch.setattr(compiled_cache, "cache_dir", lambda: compiled_dir)
    calls = []
    real = corpus.split_clauses

    def counting(policy_id, text):
        calls.append(policy_id)
        return real(policy_id, text)

    monkeypatch.setattr(corpus, "split_clauses", counting)
    monkeypatch.setattr(corpus, "_cache", {})
    load_clauses(corpus_copy)
    first = len(calls)
    assert first == len(IDS)
    load_clauses(CORPUS_DIR)
    load_clauses(corpus_copy)
    load_clauses(CORPUS_DIR)
    assert len(calls) == first * 2  # each directory split once, then served from the cache
    assert load_clauses(CORPUS_DIR) == load_clauses(corpus_copy)
    before = len(calls)
    (corpus_copy / "zibo-2022.txt").write_text(
        policy_text("zibo-2022", CORPUS_DIR) + "新增附则一段。\n", encoding="utf-8"
    )
    assert [c.clause_id for c in clauses_of("zibo-2022", corpus_copy)][-1] == "落款"
    assert len(calls) == before + len(IDS)
