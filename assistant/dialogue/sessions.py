"""Conversation sessions: the profile carried between turns.

Eviction policy (limits are settings, see assistant.config):

- A session is *kept* only once a turn leaves something to remember — a place, an entity
  kind, facts, topics or a pending follow-up question. A greeting or an off-topic line
  gets an answer and no session, so it costs the store nothing.
- A kept session expires after ``ttl_seconds`` without a turn.
- Each client address keeps at most ``max_per_client`` sessions; a further one replaces
  that same client's least recently used session, never someone else's.
- Past ``max_sessions`` live sessions in total, new conversations are answered but not
  kept (until sessions expire): a flood from many addresses cannot evict anyone's conversation.

The client address comes from ``current_client`` (set by the web layer per request); callers
without one (CLI, tests) are bounded only by the total.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

# The address of the client of the current request (set by the web layer; None elsewhere).
current_client: ContextVar[str | None] = ContextVar("policy_qa_client", default=None)

# Parts of the understood question that make a conversation worth continuing.
_STATEFUL = ("place", "entity_kind", "facts", "topics", "year", "other_kinds")


@dataclass
class Session:
    id: str
    created: float
    updated: float
    # The merged understanding so far (place, entity kind, facts, assumptions).
    state: Any = None
    # Facts the last answer asked about, best first: a bare 「是的」 answers the first.
    pending: list[str] = field(default_factory=list)
    # The yes/no question that was asked first, 「您的X是否就是Y（N万元）？」 (assistant.render.answer.StandIn):
    # a bare 「是的」 binds X to that value. Plain defaults, so sessions pickled before these fields still load.
    stand_in: Any = None
    # Facts whose stand-in the user said is not the same (「不是」): asked for themselves from then on.
    declined: tuple[str, ...] = ()
    turns: int = 0
    client: str | None = None


def worth_keeping(session: Session) -> bool:
    if session.pending:
        return True
    state = session.state
    if state is None:
        return False
    if any(hasattr(state, name) for name in _STATEFUL):
        return any(getattr(state, name, None) for name in _STATEFUL)
    return bool(state)


class SessionStore:
    def __init__(
        self,
        ttl_seconds: int = 1800,
        max_sessions: int = 1000,
        max_per_client: int = 20,
        clock: Callable[[], float] = time.monotonic,
    ):
        if ttl_seconds <= 0 or max_sessions <= 0 or max_per_client <= 0:
            raise ValueError("ttl_seconds, max_sessions and max_per_client must be positive")
        self.ttl = ttl_seconds
        self.max_sessions = max_sessions
        self.max_per_client = max_per_client
        self._clock = clock
        self._items: OrderedDict[str, Session] = OrderedDict()  # least recently used first
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            self._expire()
            return len(self._items)

    def __contains__(self, session_id: object) -> bool:
        with self._lock:
            self._expire()
            return session_id in self._items

    def _expire(self) -> None:
        now = self._clock()
        while self._items:
            sid, oldest = next(iter(self._items.items()))
            if now - oldest.updated <= self.ttl:
                break
            del self._items[sid]

    def drop(self, session_id: str) -> bool:
        """Forget a conversation (the user's 「新对话」); True if it was kept."""
        with self._lock:
            return self._items.pop(session_id, None) is not None

    def get_or_create(self, session_id: str | None) -> Session:
        """The live session with this id, or a fresh one that is kept only if ``touch`` finds it worth keeping."""
        with self._lock:
            self._expire()
            now = self._clock()
            if session_id and session_id in self._items:
                s = self._items.pop(session_id)
                s.updated = now
                self._items[session_id] = s
                return s
            return Session(id=secrets.token_urlsafe(12), created=now, updated=now, client=current_client.get())

    def touch(self, session: Session) -> bool:
        """After a turn: refresh a kept session, or keep a new one that now has state. True when kept."""
        with self._lock:
            session.updated = self._clock()
            if session.id in self._items:
                self._items.move_to_end(session.id)
                return True
            if not worth_keeping(session):
                return False
            self._expire()
            if session.client is not None:
                own = [sid for sid, s in self._items.items() if s.client == session.client]
                for sid in own[: max(0, len(own) - self.max_per_client + 1)]:
                    del self._items[sid]  # this client's own least recently used
            if len(self._items) >= self.max_sessions:
                return False  # full: answer without keeping rather than evict a stranger's conversation
            self._items[session.id] = session
            return True


def make_session_store(settings) -> SessionStore | Any:
    """The store the settings name: in-process (default), SQLite (several workers, one machine) or Redis."""
    backend = settings.session_backend or ("redis" if settings.redis_url else "memory")
    limits = (settings.session_ttl_seconds, settings.max_sessions, settings.max_sessions_per_client)
    if backend == "redis":
        if not settings.redis_url:
            raise ValueError("session_backend=redis needs POLICY_QA_REDIS_URL")
        from .shared_sessions import RedisSessionStore

        return RedisSessionStore(settings.redis_url, *limits)
    if backend == "sqlite":
        from .shared_sessions import SQLiteSessionStore

        return SQLiteSessionStore(settings.sessions_path, *limits)
    return SessionStore(*limits)
