"""有用/没用 feedback on answers, kept in SQLite for the staff who maintain the rules.

One row per mark: the question, the answer with its awards and citations (policy,
clause, status, amount — not the quoted text, which the corpus already holds), an
optional remark and the time. Nothing else about the person: no IP, no session id.

Durability: WAL journal, ``synchronous=FULL`` and one short transaction per write,
so a server killed mid-request loses at most the write in flight, never a committed one.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import math
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

log = logging.getLogger(__name__)

Source = Literal["chat", "widget", "api"]

MAX_REMARK_CHARS = 1000
MAX_TEXT_CHARS = 20_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    useful INTEGER NOT NULL CHECK (useful IN (0, 1)),
    remark TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    awards_json TEXT NOT NULL DEFAULT '[]',
    citations_json TEXT NOT NULL DEFAULT '[]',
    region TEXT,
    source TEXT NOT NULL DEFAULT 'api'
);
CREATE INDEX IF NOT EXISTS feedback_created ON feedback (created_at);
"""

# Keys of an award / citation worth keeping: enough to find the rule, not the clause text again.
_AWARD_KEYS = ("policy_id", "clause_id", "title", "status", "amount_yuan")
_CITATION_KEYS = ("policy_id", "clause_id", "citation")


# NUL and other control characters (tab and line breaks kept): they break viewers and hide content.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


def clean_text(value: str) -> str:
    return _CONTROL.sub("", value)


def _clean_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: clean_text(v) if isinstance(v, str) else v for k, v in item.items()}


class FeedbackUnavailable(RuntimeError):
    """The feedback store could not be opened (e.g. a read-only folder): feedback is off, answering is not."""


class FeedbackRecord(BaseModel):
    id: int | None = None
    created_at: dt.datetime | None = None
    useful: bool
    remark: str = ""
    question: str
    answer: str = ""
    awards: list[dict[str, Any]] = Field(default_factory=list)
    citations: list[dict[str, Any]] = Field(default_factory=list)
    region: str | None = None
    source: Source = "api"

    @field_validator("remark", "question", "answer", "region")
    @classmethod
    def _no_control_chars(cls, v: str | None) -> str | None:
        return clean_text(v) if v is not None else None

    @field_validator("awards", "citations")
    @classmethod
    def _clean_items(cls, v: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [_clean_item(dict(i)) for i in v]


def unknown_references(items: list[dict[str, Any]], known: set[tuple[str, str]]) -> list[int]:
    """Positions of awards/citations whose (policy_id, clause_id) is not a clause of the corpus."""
    return [i for i, it in enumerate(items) if (it.get("policy_id"), it.get("clause_id")) not in known]


def compact_awards(awards: list[Any]) -> list[dict[str, Any]]:
    return [_pick(a, _AWARD_KEYS) for a in awards]


def compact_citations(citations: list[Any]) -> list[dict[str, Any]]:
    return [_pick(c, _CITATION_KEYS) for c in citations]


def _pick(item: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    data = item.model_dump() if isinstance(item, BaseModel) else dict(item)
    return {k: data[k] for k in keys if data.get(k) is not None}


class FeedbackStore:
    """SQLite-backed store; safe to share between threads (a connection per call)."""

    available = True

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, one transaction per write.
        conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA busy_timeout=10000")
        return conn

    @contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        conn = self._connect()
        try:
            yield conn
        finally:
            conn.close()

    def add(self, record: FeedbackRecord) -> int:
        """Store one mark in its own committed transaction; returns its id."""
        created = record.created_at or dt.datetime.now(dt.timezone.utc)
        row = (
            created.isoformat(timespec="seconds"),
            1 if record.useful else 0,
            record.remark.strip()[:MAX_REMARK_CHARS],
            record.question[:MAX_TEXT_CHARS],
            record.answer[:MAX_TEXT_CHARS],
            json.dumps(compact_awards(record.awards), ensure_ascii=False),
            json.dumps(compact_citations(record.citations), ensure_ascii=False),
            record.region,
            record.source,
        )
        with self._conn() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                cur = conn.execute(
                    "INSERT INTO feedback (created_at, useful, remark, question, answer, awards_json,"
                    " citations_json, region, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return int(cur.lastrowid)

    def all(self) -> list[FeedbackRecord]:
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT id, created_at, useful, remark, question, answer, awards_json, citations_json, region, source"
                " FROM feedback ORDER BY id"
            ).fetchall()
        return [
            FeedbackRecord(
                id=r[0],
                created_at=dt.datetime.fromisoformat(r[1]),
                useful=bool(r[2]),
                remark=r[3],
                question=r[4],
                answer=r[5],
                awards=json.loads(r[6]),
                citations=json.loads(r[7]),
                region=r[8],
                source=r[9],
            )
            for r in rows
        ]

    def count(self) -> int:
        with self._conn() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])

    def integrity_ok(self) -> bool:
        with self._conn() as conn:
            return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


class DisabledFeedbackStore:
    """Stands in when the store cannot be opened: every write says so, nothing else is affected."""

    available = False

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason

    def add(self, record: FeedbackRecord) -> int:
        raise FeedbackUnavailable(self.reason)

    def all(self) -> list[FeedbackRecord]:
        return []

    def count(self) -> int:
        raise FeedbackUnavailable(self.reason)


def open_store(path: str | Path) -> FeedbackStore | DisabledFeedbackStore:
    """The store at ``path``, or a disabled one (with a logged warning) when it cannot be opened or written."""
    try:
        store = FeedbackStore(path)
        if not os.access(store.path, os.W_OK) or not os.access(store.path.parent, os.W_OK):
            raise PermissionError(f"not writable: {store.path}")
        return store
    except (OSError, sqlite3.Error) as exc:
        log.warning("feedback disabled: cannot open the feedback store %s (%s)", path, exc)
        return DisabledFeedbackStore(path, f"反馈存储不可用（{type(exc).__name__}）")


# OWASP CSV injection: a cell that starts with one of these is a formula to a spreadsheet; prefixing
# a single quote makes it text. Full-width forms too, which some spreadsheet locales also read as formulas.
FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def neutralise_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_LEADERS):
        return "'" + value
    return value


CSV_HEADER = ["编号", "时间(UTC)", "评价", "备注", "问题", "答复", "奖补项目", "引用条款", "地区", "来源"]
_STATUS_CN = {"eligible": "符合", "conditional": "待确认", "ineligible": "不符合"}
_SOURCE_CN = {"chat": "网页问答", "widget": "嵌入挂件", "api": "接口"}


def _award_line(a: dict[str, Any]) -> str:
    amount = a.get("amount_yuan")
    finite = isinstance(amount, (int, float)) and not isinstance(amount, bool) and math.isfinite(amount)
    money = f" {amount}元" if finite else ""
    title = f" {a['title']}" if a.get("title") else ""
    return f"{a.get('policy_id', '')} {a.get('clause_id', '')}{title} {_STATUS_CN.get(a.get('status', ''), a.get('status', ''))}{money}".strip()


def to_csv(records: list[FeedbackRecord]) -> str:
    """CSV text (no BOM) with Chinese headers; lists joined by line breaks inside a cell."""
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_HEADER)
    for r in records:
        writer.writerow(
            neutralise_cell(cell) for cell in [
                r.id,
                r.created_at.isoformat() if r.created_at else "",
                "有用" if r.useful else "没用",
                r.remark,
                r.question,
                r.answer,
                "\n".join(_award_line(a) for a in r.awards),
                "\n".join(c.get("citation") or f"{c.get('policy_id', '')} {c.get('clause_id', '')}" for c in r.citations),
                r.region or "",
                _SOURCE_CN.get(r.source, r.source),
            ]
        )
    return buf.getvalue()


_stores: dict[Path, FeedbackStore] = {}


def get_store(path: str | Path | None = None) -> FeedbackStore:
    """The process-wide store for ``path`` (default: Settings.feedback_path)."""
    if path is None:
        from .config import get_settings

        path = get_settings().feedback_path
    key = Path(path).resolve()
    if key not in _stores:
        _stores[key] = FeedbackStore(key)
    return _stores[key]
