import pytest

from assistant.dialogue.sessions import SessionStore, current_client


class FakeClock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def _kept(store, state="聊城市"):
    s = store.get_or_create(None)
    s.state = {"region": state}
    assert store.touch(s)
    return s


def test_same_id_returns_same_session_and_unknown_id_starts_fresh():
    store = SessionStore(ttl_seconds=60, max_sessions=10)
    s = _kept(store)
    assert store.get_or_create(s.id) is s
    other = store.get_or_create("no-such-session")
    assert other.id != s.id and other.state is None


def test_a_turn_without_state_keeps_no_session():
    store = SessionStore(ttl_seconds=60, max_sessions=10)
    s = store.get_or_create(None)
    assert not store.touch(s)  # 「你好」: nothing to remember
    assert s.id not in store and len(store) == 0
    s.pending = ["online_retail_sales"]  # the answer asked something: the reply must find it
    assert store.touch(s) and s.id in store


def test_sessions_expire_after_ttl():
    clock = FakeClock()
    store = SessionStore(ttl_seconds=60, max_sessions=10, clock=clock)
    s = _kept(store)
    clock.t = 59
    assert store.get_or_create(s.id) is s  # touched at 59
    clock.t = 59 + 61
    assert store.get_or_create(s.id) is not s
    assert len(store) == 0


def test_a_full_store_keeps_everyone_and_answers_newcomers_without_a_session():
    store = SessionStore(ttl_seconds=600, max_sessions=3)
    a, b, c = (_kept(store) for _ in range(3))
    d = store.get_or_create(None)
    d.state = {"region": "淄博市"}
    assert not store.touch(d)
    for s in (a, b, c):
        assert store.get_or_create(s.id) is s
    assert d.id not in store and len(store) == 3


def test_one_client_evicts_only_its_own_sessions():
    store = SessionStore(ttl_seconds=600, max_sessions=100, max_per_client=2)
    token = current_client.set("10.0.0.1")
    try:
        victim = _kept(store)
    finally:
        current_client.reset(token)
    token = current_client.set("10.0.0.66")
    try:
        flood = [_kept(store) for _ in range(50)]
    finally:
        current_client.reset(token)
    assert victim.id in store
    assert [s.id in store for s in flood] == [False] * 48 + [True, True]
    assert len(store) == 3


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_dropped_session_is_forgotten(kind, tmp_path):
    from assistant.dialogue.shared_sessions import SQLiteSessionStore

    store = SessionStore(60, 10, 5) if kind == "memory" else SQLiteSessionStore(tmp_path / "s.sqlite3", 60, 10, 5)
    s = store.get_or_create(None)
    s.pending = ["online_retail_sales"]  # something worth keeping
    assert store.touch(s) and s.id in store
    assert store.drop(s.id) is True
    assert s.id not in store and store.drop(s.id) is False
    assert store.get_or_create(s.id).id != s.id  # the old id starts nothing
