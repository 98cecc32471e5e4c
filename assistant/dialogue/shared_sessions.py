"""Session stores shared between processes, with the same eviction policy as the in-process one
(see assistant.dialogue.sessions): SQLite for several workers on one machine, Redis for many machines.

Sessions are pickled (they hold the parser's typed understanding: Decimals, dates, places). The store
must therefore be private to the service — a local file, or a Redis that only these servers can write.
"""

from __future__ import annotations

import pickle
import secrets
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from .sessions import Session, current_client, worth_keeping

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    client TEXT,
    updated REAL NOT NULL,
    blob BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_updated ON sessions (updated);
CREATE INDEX IF NOT EXISTS sessions_client ON sessions (client, updated);
"""


def _new_session(now: float) -> Session:
    return Session(id=secrets.token_urlsafe(12), created=now, updated=now, client=current_client.get())


class SQLiteSessionStore:
    """One SQLite file (WAL) shared by the worker processes of one machine."""

    def __init__(
        self,
        path: str | Path,
        ttl_seconds: int,
        max_sessions: int,
        max_per_client: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.ttl, self.max_sessions, self.max_per_client = ttl_seconds, max_sessions, max_per_client
        self._clock = clock
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        conn.execute("PRAGMA busy_timeout=10000")
        # WAL without an fsync per commit: a commit held the write lock for one disk sync (~20 ms on a busy
        # disk), which serialised every worker's kept turn; a power cut may lose the last turns only.
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def __contains__(self, session_id: object) -> bool:
        conn = self._connect()
        try:
            row = conn.execute("SELECT updated FROM sessions WHERE id=?", (session_id,)).fetchone()
        finally:
            conn.close()
        return bool(row) and self._clock() - row[0] <= self.ttl

    def __len__(self) -> int:
        conn = self._connect()
        try:
            return int(
                conn.execute(
                    "SELECT COUNT(*) FROM sessions WHERE updated >= ?", (self._clock() - self.ttl,)
                ).fetchone()[0]
            )
        finally:
            conn.close()

    def drop(self, session_id: str) -> bool:
        """Forget a conversation (the user's 「新对话」); True if it was kept."""
        with self._connect() as conn:
            return conn.execute("DELETE FROM sessions WHERE id=?", (session_id,)).rowcount > 0

    def get_or_create(self, session_id: str | None) -> Session:
        now = self._clock()
        if session_id:
            conn = self._connect()
            try:
                row = conn.execute("SELECT blob, updated FROM sessions WHERE id=?", (session_id,)).fetchone()
                if row and now - row[1] <= self.ttl:
                    conn.execute("UPDATE sessions SET updated=? WHERE id=?", (now, session_id))
                    session = pickle.loads(row[0])
                    session.updated = now
                    return session
            finally:
                conn.close()
        return _new_session(now)

    def touch(self, session: Session) -> bool:
        now = self._clock()
        session.updated = now
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                kept = self._touch(conn, session, now)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return kept
        finally:
            conn.close()

    def _touch(self, conn: sqlite3.Connection, session: Session, now: float) -> bool:
        conn.execute("DELETE FROM sessions WHERE updated < ?", (now - self.ttl,))
        blob = pickle.dumps(session, protocol=pickle.HIGHEST_PROTOCOL)
        if conn.execute("SELECT 1 FROM sessions WHERE id=?", (session.id,)).fetchone():
            conn.execute("UPDATE sessions SET blob=?, updated=? WHERE id=?", (blob, now, session.id))
            return True
        if not worth_keeping(session):
            return False
        if session.client is not None:
            own = [
                r[0] for r in conn.execute("SELECT id FROM sessions WHERE client=? ORDER BY updated", (session.client,))
            ]
            for sid in own[: max(0, len(own) - self.max_per_client + 1)]:
                conn.execute("DELETE FROM sessions WHERE id=?", (sid,))
        if conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] >= self.max_sessions:
            return False
        conn.execute(
            "INSERT INTO sessions (id, client, updated, blob) VALUES (?, ?, ?, ?)",
            (session.id, session.client, now, blob),
        )
        return True


class RedisSessionStore:
    """Sessions in Redis, expired by Redis itself (EX = ttl, renewed on every turn)."""

    def __init__(
        self,
        url: str,
        ttl_seconds: int,
        max_sessions: int,
        max_per_client: int,
        prefix: str = "policy-qa",
        clock: Callable[[], float] = time.time,
    ) -> None:
        import redis

        self.redis = redis.Redis.from_url(url)
        self.ttl, self.max_sessions, self.max_per_client = ttl_seconds, max_sessions, max_per_client
        self.prefix = prefix
        self._clock = clock
        self.redis.ping()  # fail at start-up, not on the first question

    def _key(self, session_id: str) -> str:
        return f"{self.prefix}:session:{session_id}"

    def _client_key(self, client: str) -> str:
        return f"{self.prefix}:client:{client}"

    @property
    def _index(self) -> str:
        return f"{self.prefix}:sessions"

    def __contains__(self, session_id: object) -> bool:
        return isinstance(session_id, str) and bool(self.redis.exists(self._key(session_id)))

    def __len__(self) -> int:
        self.redis.zremrangebyscore(self._index, 0, self._clock() - self.ttl)
        return int(self.redis.zcard(self._index))

    def drop(self, session_id: str) -> bool:
        """Forget a conversation (the user's 「新对话」); True if it was kept."""
        self.redis.zrem(self._index, session_id)
        return bool(self.redis.delete(self._key(session_id)))

    def get_or_create(self, session_id: str | None) -> Session:
        now = self._clock()
        if session_id:
            blob = self.redis.getex(self._key(session_id), ex=self.ttl)
            if blob is not None:
                assert isinstance(blob, bytes), "the client has no decode_responses: values come back as bytes"
                session = pickle.loads(blob)
                session.updated = now
                self.redis.zadd(self._index, {session_id: now})
                return session
        return _new_session(now)

    def touch(self, session: Session) -> bool:
        now = self._clock()
        session.updated = now
        blob = pickle.dumps(session, protocol=pickle.HIGHEST_PROTOCOL)
        key = self._key(session.id)
        # XX: only while it still exists (a session expired meanwhile is treated as new below)
        if self.redis.set(key, blob, ex=self.ttl, xx=True):
            self.redis.zadd(self._index, {session.id: now})
            return True
        if not worth_keeping(session):
            return False
        self.redis.zremrangebyscore(self._index, 0, now - self.ttl)
        if session.client is not None:
            ckey = self._client_key(session.client)
            self.redis.zremrangebyscore(ckey, 0, now - self.ttl)
            excess = int(self.redis.zcard(ckey)) - self.max_per_client + 1
            if excess > 0:
                for entry in self.redis.zpopmin(ckey, excess):
                    # (member, score) pairs; members are bytes, as the client has no decode_responses
                    assert isinstance(entry, tuple | list) and isinstance(entry[0], bytes), entry
                    sid = entry[0].decode()
                    self.redis.delete(self._key(sid))
                    self.redis.zrem(self._index, sid)
        if int(self.redis.zcard(self._index)) >= self.max_sessions:
            return False
        pipe = self.redis.pipeline()
        pipe.set(key, blob, ex=self.ttl)
        pipe.zadd(self._index, {session.id: now})
        if session.client is not None:
            pipe.zadd(self._client_key(session.client), {session.id: now})
            pipe.expire(self._client_key(session.client), self.ttl)
        pipe.execute()
        return True
