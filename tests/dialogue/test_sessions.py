from assistant.dialogue.sessions import SessionStore


class FakeClock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_same_id_returns_same_session_and_unknown_id_starts_fresh():
    store = SessionStore(ttl_seconds=60, max_sessions=10)
    s = store.get_or_create(None)
    s.state = {"region": "聊城市"}
    assert store.get_or_create(s.id) is s
    other = store.get_or_create("no-such-session")
    assert other.id != s.id and other.state is None


def test_sessions_expire_after_ttl():
    clock = FakeClock()
    store = SessionStore(ttl_seconds=60, max_sessions=10, clock=clock)
    s = store.get_or_create(None)
    clock.t = 59
    assert store.get_or_create(s.id) is s  # touched at 59
    clock.t = 59 + 61
    assert store.get_or_create(s.id) is not s
    assert len(store) == 1


def test_store_is_bounded_and_drops_least_recently_used():
    store = SessionStore(ttl_seconds=600, max_sessions=3)
    a, b, c = (store.get_or_create(None) for _ in range(3))
    store.get_or_create(a.id)  # a is now most recent
    d = store.get_or_create(None)
    assert len(store) == 3
    assert store.get_or_create(a.id) is a
    assert store.get_or_create(c.id) is c
    assert store.get_or_create(d.id) is d
    assert store.get_or_create(b.id) is not b  # b was the least recently used, so it was dropped
    assert len(store) == 3
