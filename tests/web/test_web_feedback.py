"""The feedback store: round trip, compact records, CSV export, and durability when a writer is killed."""

from __future__ import annotations

import csv
import io
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from assistant.cli.main import main
from assistant.feedback import CSV_HEADER, FeedbackRecord, FeedbackStore, to_csv

ROOT = Path(__file__).resolve().parents[2]


def _record(i: int = 0, useful: bool = True) -> FeedbackRecord:
    return FeedbackRecord(
        useful=useful,
        remark=f"备注{i}",
        question=f"问题{i}：直播公司能拿多少？",
        answer="可获20万元",
        awards=[
            {
                "policy_id": "liaocheng-2022",
                "clause_id": "六",
                "status": "conditional",
                "amount_yuan": 200000,
                "title": "新注册直播电商企业奖励",
                "trace": [{"text": "long"}],
                "reference": {"text": "原文……"},
            }
        ],
        citations=[
            {
                "policy_id": "liaocheng-2022",
                "clause_id": "六",
                "text": "很长的条款原文" * 50,
                "citation": "《措施》第六条",
            }
        ],
        source="chat",
    )


def test_round_trip_keeps_keys_not_clause_text(tmp_path):
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    fid = store.add(_record(1, useful=False))
    [rec] = store.all()
    assert rec.id == fid and rec.useful is False and rec.remark == "备注1" and rec.created_at is not None
    assert rec.awards == [
        {
            "policy_id": "liaocheng-2022",
            "clause_id": "六",
            "title": "新注册直播电商企业奖励",
            "status": "conditional",
            "amount_yuan": 200000,
        }
    ]
    assert rec.citations == [{"policy_id": "liaocheng-2022", "clause_id": "六", "citation": "《措施》第六条"}]


def test_wal_mode_on_disk(tmp_path):
    path = tmp_path / "fb.sqlite3"
    FeedbackStore(path).add(_record())
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_csv_has_chinese_headers_and_one_row_per_mark(tmp_path):
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    store.add(_record(1, useful=True))
    store.add(_record(2, useful=False))
    rows = list(csv.reader(io.StringIO(to_csv(store.all()))))
    assert rows[0] == CSV_HEADER
    assert [r[2] for r in rows[1:]] == ["有用", "没用"]
    assert "新注册直播电商企业奖励" in rows[1][6] and "200000元" in rows[1][6] and "待确认" in rows[1][6]
    assert rows[1][7] == "《措施》第六条"


def test_cli_export_to_file_with_bom(tmp_path, capsys):
    db = tmp_path / "fb.sqlite3"
    FeedbackStore(db).add(_record(7))
    out = tmp_path / "export.csv"
    assert main(["feedback", "export", "--csv", "--db", str(db), "--output", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "问题7" in raw.decode("utf-8-sig")
    assert main(["feedback", "export", "--csv", "--db", str(db)]) == 0
    assert "问题7" in capsys.readouterr().out


def test_cli_export_missing_db_fails_cleanly(tmp_path, capsys):
    assert main(["feedback", "export", "--csv", "--db", str(tmp_path / "none.sqlite3")]) == 1
    assert "不存在" in capsys.readouterr().err


WRITER = """
import sys
from assistant.feedback import FeedbackRecord, FeedbackStore
store = FeedbackStore(sys.argv[1])
i = 0
while True:
    fid = store.add(FeedbackRecord(useful=i % 2 == 0, question=f"q{i}", answer="a" * 2000, remark=f"r{i}"))
    print(fid, flush=True)  # printed only after the commit returned
    i += 1
"""


def test_committed_writes_survive_a_killed_writer(tmp_path):
    db = tmp_path / "fb.sqlite3"
    FeedbackStore(db)  # create the schema before the race
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    acknowledged: list[int] = []
    deadline = time.monotonic() + 60
    try:
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            acknowledged.append(int(line))
    finally:
        proc.send_signal(signal.SIGKILL)  # mid-stream: the writer is inside another insert by now
        proc.wait(timeout=10)
        proc.stdout.close()
    assert len(acknowledged) >= 40, "writer did not get going"
    store = FeedbackStore(db)
    assert store.integrity_ok()
    stored = {r.id for r in store.all()}
    assert set(acknowledged) <= stored
    # and the store is still writable afterwards
    assert store.add(FeedbackRecord(useful=True, question="after")) > max(acknowledged)
