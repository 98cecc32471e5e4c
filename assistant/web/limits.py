"""Request-size limit and per-client rate limit, as plain ASGI middleware.

Both answer in the API's JSON error shape (413 / 429 with Retry-After) before the
request reaches any route, so a flood of large or rapid requests costs almost nothing.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Sequence

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import error_response


class BodyTooLarge(HTTPException):
    """Raised from inside ``receive`` when a body without Content-Length grows past the limit.

    An HTTPException so that FastAPI re-raises it instead of wrapping it as a 400 parse error.
    """

    code = "payload_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"请求内容过大，上限为 {limit} 字节。")


class BodySizeLimitMiddleware:
    """413 for bodies over ``max_bytes`` (declared or streamed); ``path_limits`` overrides by path prefix."""

    def __init__(self, app: ASGIApp, max_bytes: int, path_limits: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.path_limits = sorted((path_limits or {}).items(), key=lambda kv: len(kv[0]), reverse=True)

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.path_limits:
            if path.startswith(prefix):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = _header(scope, b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                too_big = False
            if too_big:
                await error_response(413, f"请求内容过大，上限为 {limit} 字节。")(scope, receive, send)
                return

        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge as exc:
            if started:
                raise
            await error_response(413, exc.detail)(scope, receive, send)


class SharedRateLimiter:
    """``per_minute`` requests per client in any moving 60 s window, counted in a `limits` storage:
    ``memory://`` (this process) or a Redis URL (one limit shared by every server and worker)."""

    def __init__(self, per_minute: int, storage_uri: str = "memory://", namespace: str = "policy-qa") -> None:
        from limits import RateLimitItemPerMinute, storage, strategies

        self.item = RateLimitItemPerMinute(per_minute)
        self.storage = storage.storage_from_string(storage_uri)
        self.limiter = strategies.MovingWindowRateLimiter(self.storage)
        self.namespace = namespace

    def take(self, key: str) -> float:
        """Count one request: 0.0 when allowed, else the seconds until the window lets the next one in."""
        if self.limiter.hit(self.item, self.namespace, key):
            return 0.0
        reset = self.limiter.get_window_stats(self.item, self.namespace, key).reset_time
        return max(1.0, reset - time.time())


class TrustedProxies:
    """Addresses (or networks) of reverse proxies whose X-Forwarded-For is believed.

    The client is the peer address, unless the peer is a trusted proxy: then it is the
    right-most X-Forwarded-For entry that is not itself a trusted proxy. Anyone else's
    X-Forwarded-For is ignored, because any client could set it to dodge the limit.
    """

    def __init__(self, proxies: Sequence[str] = ()) -> None:
        self.networks = [ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip()]

    def trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in self.networks)

    def client(self, scope: Scope) -> str:
        peer = scope.get("client")
        address = peer[0] if peer else "unknown"
        if not self.networks or not self.trusted(address):
            return address
        forwarded = ",".join(
            v for k, v in ((k, _decode(v)) for k, v in scope.get("headers", [])) if k == b"x-forwarded-for"
        )
        for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
            if not self.trusted(hop):
                return hop
        return address


def _decode(value: bytes) -> str:
    return value.decode("latin-1")


class RateLimitMiddleware:
    """429 with Retry-After once a client exceeds its bucket on the limited paths (client: see TrustedProxies)."""

    def __init__(
        self,
        app: ASGIApp,
        per_minute: int,
        prefixes: tuple[str, ...] = ("/api/",),
        methods_by_prefix: dict[str, tuple[str, ...]] | None = None,
        limiter: SharedRateLimiter | None = None,
        proxies: TrustedProxies | None = None,
        storage_uri: str = "memory://",
    ) -> None:
        self.app = app
        self.proxies = proxies or TrustedProxies()
        self.enabled = per_minute > 0
        self.prefixes = prefixes
        self.methods_by_prefix = methods_by_prefix or {}
        self.limiter = limiter or (SharedRateLimiter(per_minute, storage_uri) if self.enabled else None)

    def applies(self, method: str, path: str) -> bool:
        if method == "OPTIONS":  # CORS preflights are free: the real request that follows is counted
            return False
        for prefix in self.prefixes:
            if path.startswith(prefix):
                allowed = self.methods_by_prefix.get(prefix)
                return allowed is None or method in allowed
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.enabled or not self.applies(scope["method"], scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        key = self.proxies.client(scope)
        assert self.limiter is not None  # enabled implies a limiter (set in __init__)
        wait = self.limiter.take(key)
        if wait > 0:
            retry = max(1, math.ceil(wait))
            await error_response(429, f"请求过于频繁，请 {retry} 秒后再试。", retry_after=retry)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None
