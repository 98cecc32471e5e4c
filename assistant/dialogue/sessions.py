"""Conversation sessions: the profile carried between turns.

Bounded in memory (least recently used sessions are dropped past ``max_sessions``)
and expiring after ``ttl_seconds`` of silence, so a public widget cannot grow the
process without limit.
"""
from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass
class Session:
    id: str
    created: float
    updated: float
    # The merged understanding so far (place, entity kind, facts, assumptions).
    state: Any = None
    # Facts the last answer asked about, best first: a bare 「是的」 answers the first.
    pending: list[str] = field(default_factory=list)
    turns: int = 0


class SessionStore:
    def __init__(self, ttl_seconds: int = 1800, max_sessions: int = 1000, clock: Callable[[], float] = time.monotonic):
        if ttl_seconds <= 0 or max_sessions <= 0:
            raise ValueError("ttl_seconds and max_sessions must be positive")
        self.ttl = ttl_seconds
        self.max_sessions = max_sessions
        self._clock = clock
        self._items: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            self._expire()
            return len(self._items)

    def _expire(self) -> None:
        now = self._clock()
        while self._items:
            sid, oldest = next(iter(self._items.items()))
            if now - oldest.updated <= self.ttl:
                break
            del self._items[sid]

    def get_or_create(self, session_id: str | None) -> Session:
        """Return the live session with this id, or a fresh one (unknown or expired ids start over)."""
        with self._lock:
            self._expire()
            now = self._clock()
            if session_id and session_id in self._items:
                s = self._items.pop(session_id)
                s.updated = now
                self._items[session_id] = s
                return s
            s = Session(id=secrets.token_urlsafe(12), created=now, updated=now)
            self._items[s.id] = s
            while len(self._items) > self.max_sessions:
                self._items.popitem(last=False)
            return s

    def touch(self, session: Session) -> None:
        with self._lock:
            session.updated = self._clock()
            if session.id in self._items:
                self._items.move_to_end(session.id)
