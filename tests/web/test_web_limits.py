"""Token bucket and body-size limit, and the Chinese validation messages, without a server."""

from __future__ import annotations

from fastapi.testclient import TestClient

from assistant.web.limits import SharedRateLimiter, TrustedProxies


def test_limit_allows_per_minute_then_says_how_long_to_wait():
    lim = SharedRateLimiter(per_minute=6)
    assert [lim.take("a") for _ in range(6)] == [0.0] * 6
    wait = lim.take("a")
    assert 1.0 <= wait <= 60.0
    assert lim.take("b") == 0.0  # other clients are unaffected


def test_forwarded_for_is_believed_only_from_trusted_proxies():
    def scope(peer, xff=None):
        headers = [(b"x-forwarded-for", xff.encode())] if xff else []
        return {"client": (peer, 5000), "headers": headers}

    plain = TrustedProxies()
    assert plain.client(scope("203.0.113.9", "1.2.3.4")) == "203.0.113.9"  # nobody's XFF by default
    nginx = TrustedProxies(["127.0.0.1", "10.0.0.0/8"])
    assert nginx.client(scope("127.0.0.1", "198.51.100.7")) == "198.51.100.7"
    assert nginx.client(scope("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.1.2.3")) == "198.51.100.7"  # spoofed left part
    assert nginx.client(scope("203.0.113.9", "198.51.100.7")) == "203.0.113.9"  # not from the proxy


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
