"""Token bucket and body-size limit, and the Chinese validation messages, without a server."""
from __future__ import annotations

from fastapi.testclient import TestClient

from assistant.web.limits import TokenBucketLimiter


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_bucket_allows_burst_then_waits_and_refills():
    clock = Clock()
    lim = TokenBucketLimiter(per_minute=6, clock=clock)  # one token per 10 s
    assert [lim.take("a") for _ in range(6)] == [0.0] * 6
    wait = lim.take("a")
    assert 9.9 < wait <= 10.0
    assert lim.take("b") == 0.0  # other clients are unaffected
    clock.t += 10.0
    assert lim.take("a") == 0.0
    assert lim.take("a") > 0


def test_bucket_memory_is_bounded():
    lim = TokenBucketLimiter(per_minute=1, max_clients=3, clock=Clock())
    for key in "abcde":
        lim.take(key)
    assert len(lim._buckets) == 3


def _app(**kw):
    from fastapi import FastAPI

    from assistant.web.errors import install_error_handlers
    from assistant.web.limits import BodySizeLimitMiddleware, RateLimitMiddleware

    app = FastAPI()
    install_error_handlers(app)

    @app.post("/api/echo")
    async def echo(body: dict) -> dict:
        return body

    @app.get("/free")
    def free() -> dict:
        return {}

    app.add_middleware(RateLimitMiddleware, per_minute=kw.get("per_minute", 2))
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=kw.get("max_bytes", 100))
    return app


def test_size_limit_declared_and_rate_limit_only_on_api_paths():
    client = TestClient(_app())
    big = client.post("/api/echo", json={"x": "y" * 200})
    assert big.status_code == 413 and big.json()["code"] == "payload_too_large"
    assert client.post("/api/echo", json={"x": 1}).status_code == 200
    # the 413 above cost no token (refused before the limiter); one more fits, then 429
    assert client.post("/api/echo", json={"x": 1}).status_code == 200
    r = client.post("/api/echo", json={"x": 1})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1 and "频繁" in r.json()["error"]
    assert all(client.get("/free").status_code == 200 for _ in range(5))
