"""有用/没用 feedback on answers, kept in SQLite (default) or PostgreSQL for the staff who maintain the rules.

One row per mark: the question, the answer with its awards and citations (policy,
clause, status, amount — not the quoted text, which the corpus already holds), an
optional remark and the time. Nothing else about the person: no IP, no session id.

Durability: one short committed transaction per write (SQLite: WAL journal, ``synchronous=FULL``),
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
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel, Field, field_validator

log = logging.getLogger(__name__)

Source = Literal["chat", "widget", "api"]

MAX_REMARK_CHARS = 1000
MAX_TEXT_CHARS = 20_000

# One table, one SQL layer (SQLAlchemy Core): SQLite by default, PostgreSQL with POLICY_QA_DATABASE_URL.
_metadata = sa.MetaData()
feedback_table = sa.Table(
    "feedback",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("useful", sa.Integer, nullable=False),
    sa.Column("remark", sa.Text, nullable=False, server_default=""),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answer", sa.Text, nullable=False, server_default=""),
    sa.Column("awards_json", sa.Text, nullable=False, server_default="[]"),
    sa.Column("citations_json", sa.Text, nullable=False, server_default="[]"),
    sa.Column("region", sa.Text),
    sa.Column("source", sa.Text, nullable=False, server_default="api"),
    sa.CheckConstraint("useful IN (0, 1)", name="feedback_useful_bool"),
    sa.Index("feedback_created", "created_at"),
    sqlite_autoincrement=True,
)


def _is_url(target: str | Path) -> bool:
    return isinstance(target, str) and "://" in target


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")  # an acknowledged mark survives a kill -9 or a power cut
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


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
    """The feedback table in SQLite (a file path) or PostgreSQL (a ``postgresql+psycopg://`` URL).

    Safe to share between threads; one short committed transaction per write.
    """

    available = True

    def __init__(self, target: str | Path) -> None:
        if _is_url(target):
            self.path = None
            self.url = str(target)
            self.engine = sa.create_engine(self.url, pool_pre_ping=True)
        else:
            self.path = Path(target)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.url = f"sqlite:///{self.path}"
            self.engine = sa.create_engine(self.url, connect_args={"timeout": 10.0})
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        _metadata.create_all(self.engine)

    @property
    def where(self) -> str:
        """Where the marks are, for messages (a URL without its password)."""
        return str(self.path) if self.path else sa.engine.make_url(self.url).render_as_string(hide_password=True)

    def add(self, record: FeedbackRecord) -> int:
        """Store one mark in its own committed transaction; returns its id."""
        created = record.created_at or dt.datetime.now(dt.UTC)
        row = {
            "created_at": created.isoformat(timespec="seconds"),
            "useful": 1 if record.useful else 0,
            "remark": record.remark.strip()[:MAX_REMARK_CHARS],
            "question": record.question[:MAX_TEXT_CHARS],
            "answer": record.answer[:MAX_TEXT_CHARS],
            "awards_json": json.dumps(compact_awards(record.awards), ensure_ascii=False),
            "citations_json": json.dumps(compact_citations(record.citations), ensure_ascii=False),
            "region": record.region,
            "source": record.source,
        }
        with self.engine.begin() as conn:
            key = conn.execute(feedback_table.insert().values(**row)).inserted_primary_key
            assert key is not None  # an INSERT into a table with a primary key always returns it
            return int(key[0])

    def all(self) -> list[FeedbackRecord]:
        t = feedback_table
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t).order_by(t.c.id)).mappings().all()
        return [
            FeedbackRecord(
                id=r["id"],
                created_at=dt.datetime.fromisoformat(r["created_at"]),
                useful=bool(r["useful"]),
                remark=r["remark"],
                question=r["question"],
                answer=r["answer"],
                awards=json.loads(r["awards_json"]),
                citations=json.loads(r["citations_json"]),
                region=r["region"],
                source=r["source"],
            )
            for r in rows
        ]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(feedback_table)).scalar_one())

    def integrity_ok(self) -> bool:
        if self.path is None:
            return True  # PostgreSQL guards its own pages
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


class DisabledFeedbackStore:
    """Stands in when the store cannot be opened: every write says so, nothing else is affected."""

    available = False

    def __init__(self, where: str | Path, reason: str) -> None:
        self.where = str(where)
        self.reason = reason

    def add(self, record: FeedbackRecord) -> int:
        raise FeedbackUnavailable(self.reason)

    def all(self) -> list[FeedbackRecord]:
        return []

    def count(self) -> int:
        raise FeedbackUnavailable(self.reason)


def open_store(target: str | Path) -> FeedbackStore | DisabledFeedbackStore:
    """The store at ``target`` (path or URL), or a disabled one (with a logged warning) when it cannot be opened."""
    shown = target if not _is_url(target) else sa.engine.make_url(str(target)).render_as_string(hide_password=True)
    try:
        store = FeedbackStore(target)
        if store.path is not None and (not os.access(store.path, os.W_OK) or not os.access(store.path.parent, os.W_OK)):
            raise PermissionError(f"not writable: {store.path}")
        return store
    except (OSError, sa.exc.SQLAlchemyError, ImportError) as exc:
        log.warning("feedback disabled: cannot open the feedback store %s (%s)", shown, type(exc).__name__)
        return DisabledFeedbackStore(str(shown), f"反馈存储不可用（{type(exc).__name__}）")


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
            neutralise_cell(cell)
            for cell in [
                r.id,
                r.created_at.isoformat() if r.created_at else "",
                "有用" if r.useful else "没用",
                r.remark,
                r.question,
                r.answer,
                "\n".join(_award_line(a) for a in r.awards),
                "\n".join(
                    c.get("citation") or f"{c.get('policy_id', '')} {c.get('clause_id', '')}" for c in r.citations
                ),
                r.region or "",
                _SOURCE_CN.get(r.source, r.source),
            ]
        )
    return buf.getvalue()


_stores: dict[str, FeedbackStore] = {}


def get_store(target: str | Path | None = None) -> FeedbackStore:
    """The process-wide store for ``target`` (default: Settings.feedback_target)."""
    if target is None:
        from .config import get_settings

        target = get_settings().feedback_target
    key = str(target) if _is_url(target) else str(Path(target).resolve())
    if key not in _stores:
        _stores[key] = FeedbackStore(target if _is_url(target) else Path(key))
    return _stores[key]
