"""Start-up data compiled once: the stored jieba dictionary segments exactly like the in-memory one,
and compiled files follow their sources (rebuilt after an edit, reused otherwise)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from assistant import compiled_cache
from assistant import jieba_loader as jl
from assistant.config import PROJECT_ROOT
from assistant.retrieval import tokenizer as tok


@pytest.fixture(scope="module")
def both_tokenizers(tmp_path_factory):
    full = jl._load_full(jl._import_jieba())
    path = jl.write_stored_dictionary(full, tmp_path_factory.mktemp("dict") / "jieba-freq-test.sqlite3")
    stored = jl._import_jieba().Tokenizer()
    stored.FREQ = jl.StoredFreq(path)
    stored.total = stored.FREQ.total
    stored.initialized = True
    return full, stored


def _corpus_lines() -> list[str]:
    lines = []
    for path in sorted((PROJECT_ROOT / "corpus").glob("*.txt")):
        lines += [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return lines


def test_stored_dictionary_segments_like_the_full_one(both_tokenizers):
    full, stored = both_tokenizers
    lines = [
        *_corpus_lines(),
        "我在聊城开了一家直播公司，年销售额3000万，能拿到奖励吗？",
        "mcn机构入驻有补贴吗",
        "跨境电商海外仓",
    ]
    assert len(lines) > 100
    for line in lines:
        words = list(full.cut(line, HMM=True))
        assert list(stored.cut(line, HMM=True)) == words, line
        assert [tok._dictionary_subwords(stored, w) for w in words] == [
            tok._dictionary_subwords(full, w) for w in words
        ]
    assert stored.total == full.total
    assert "网络零售额" in stored.FREQ and stored.FREQ["网络零售额"] == full.FREQ["网络零售额"]  # the user dictionary
    assert "不是一个词语的串" not in stored.FREQ and stored.FREQ.get("不是一个词语的串", 7) == 7


def test_short_lived_command_answers_like_before(tmp_path):
    """`policy-qa search` with the stored dictionary (its default) gives the in-memory dictionary's hits."""
    code = (
        "import json, sys\n"
        "from assistant.retrieval import tokenizer as t\n"
        "if sys.argv[1] == 'stored': __import__('assistant.jieba_loader').jieba_loader.prefer_stored_dictionary()\n"
        "print(json.dumps([t.query_tokens(q) for q in ['智能快递柜建设补贴', '聊城直播电商年销售额3000万奖励']]))\n"
    )
    env = dict(os.environ, POLICY_QA_DATA_DIR=str(tmp_path))
    out = [
        subprocess.run(
            [sys.executable, "-c", code, mode], env=env, capture_output=True, text=True, check=True, cwd=PROJECT_ROOT
        ).stdout
        for mode in ("stored", "stored", "full")
    ]
    assert out[0] == out[1] == out[2]
    assert list((tmp_path / "cache").glob("jieba-freq-*.sqlite3"))  # compiled by the first run, read by the second


def test_compiled_file_follows_its_source(tmp_path, monkeypatch):
    monkeypatch.setattr(compiled_cache, "cache_dir", lambda: tmp_path / "cache")
    (tmp_path / "cache").mkdir()
    src = tmp_path / "words.yaml"
    src.write_text("a: 1\n", encoding="utf-8")
    calls = []

    def build():
        calls.append(1)
        return yaml.safe_load(src.read_text(encoding="utf-8"))

    assert compiled_cache.compiled("words", [src], build) == {"a": 1}
    assert compiled_cache.compiled("words", [src], build) == {"a": 1}
    assert len(calls) == 1  # the second call read the compiled file
    src.write_text("a: 22\n", encoding="utf-8")  # an edit changes size (and mtime): recompiled
    assert compiled_cache.compiled("words", [src], build) == {"a": 22}
    assert len(calls) == 2
    assert len(list((tmp_path / "cache").glob("words-*.pickle"))) == 1  # the stale file was removed
    assert compiled_cache.load_yaml(src) == {"a": 22}


def test_damaged_compiled_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setattr(compiled_cache, "cache_dir", lambda: tmp_path)
    src = tmp_path / "x.yaml"
    src.write_text("k: v\n", encoding="utf-8")
    path = compiled_cache.cache_path("x", compiled_cache.stamp([src]), ".pickle")
    path.write_bytes(b"not a pickle")
    assert compiled_cache.compiled("x", [src], lambda: {"k": "v"}) == {"k": "v"}


def test_a_new_process_takes_the_corpus_from_the_compiled_cache(tmp_path, monkeypatch):
    """No command re-reads and re-hashes the whole corpus while no file changed; an edit is seen."""
    import shutil

    from assistant import corpus

    monkeypatch.setattr(compiled_cache, "cache_dir", lambda: tmp_path / "cache")
    (tmp_path / "cache").mkdir()
    src = tmp_path / "corpus"
    shutil.copytree(PROJECT_ROOT / "corpus", src, ignore=shutil.ignore_patterns("seeds"))
    hashed = []
    real_hash = corpus.corpus_hash
    monkeypatch.setattr(corpus, "corpus_hash", lambda d=None: hashed.append(d) or real_hash(d))

    def fresh_process_load():
        monkeypatch.setattr(corpus, "_cache", {})
        monkeypatch.setattr(corpus, "_stat_digest", {})
        return corpus.load_clauses(src)

    first = fresh_process_load()
    assert len(hashed) == 1
    assert fresh_process_load() == first and len(hashed) == 1  # compiled: neither read nor hashed again
    some = sorted(src.glob("*.txt"))[0]
    some.write_text(some.read_text(encoding="utf-8") + "\n新增附则一段。\n", encoding="utf-8")
    again = fresh_process_load()
    assert len(hashed) == 2 and again != first
