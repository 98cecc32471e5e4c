"""Request guards and response headers applied to every path, as plain ASGI middleware.

- Query strings must be valid UTF-8 (a 400 naming the parameter, instead of silently
  searching for U+FFFD).
- The gradio app takes no files: its upload and other unused write routes are refused
  before gradio sees them (gradio would otherwise store uploads and serve them back).
- Security headers on every response: a Content-Security-Policy per kind of page, nosniff,
  frame-ancestors and Referrer-Policy. widget.js stays loadable by any site as a script;
  the app (/ui/) is frameable only by the configured origins.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import error_response

# Gradio routes the app never uses (it takes no files and has no proxy, recording, run history or editor).
_REFUSED_GRADIO = (
    "upload",
    "upload_progress",
    "process_recording",
    "proxy=",
    "vibe-edit",
    "undo-vibe-edit",
    "vibe-code",
    "run-history",
    "dev/reload",
    "monitoring",
)


def refused_path(path: str, ui_prefix: str = "/ui") -> bool:
    for base in (f"{ui_prefix}/gradio_api/", f"{ui_prefix}/"):
        if path.startswith(base):
            rest = path[len(base) :]
            if any(
                rest == r or rest.startswith(r + "/") or (r.endswith("=") and rest.startswith(r))
                for r in _REFUSED_GRADIO
            ):
                return True
    return False


def bad_query_param(query_string: bytes) -> str | None:
    """The name of the first query parameter whose value is not valid UTF-8 once percent-decoded."""
    for pair in query_string.split(b"&"):
        if not pair:
            continue
        name, _, value = pair.partition(b"=")
        for part in (name, value):
            try:
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                return unquote_to_bytes(name).decode("utf-8", errors="replace")[:40] or "?"
    return None


def content_security_policy(path: str, frame_ancestors: list[str]) -> str:
    ancestors = " ".join(["'self'", *frame_ancestors])
    common = "base-uri 'self'; form-action 'self'; object-src 'none'"
    if path.startswith("/ui"):
        # gradio's page boots from an inline script, styles components inline, and gradio 6's HTML component
        # compiles its template with new Function() (hence 'unsafe-eval'); it talks to its own origin only.
        return (
            "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob: data:; connect-src 'self'; "
            f"worker-src 'self' blob:; frame-ancestors {ancestors}; {common}"
        )
    if path in ("/demo", "/docs"):
        # our own pages: inline <style>, scripts only from this origin (the demo loads /widget.js)
        return (
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            f"connect-src 'self'; frame-ancestors {ancestors}; {common}"
        )
    # JSON, widget.js and everything else: nothing to render, never framed.
    return f"default-src 'none'; frame-ancestors 'none'; {common}"


class GuardMiddleware:
    def __init__(self, app: ASGIApp, frame_ancestors: list[str] | None = None) -> None:
        self.app = app
        self.frame_ancestors = list(frame_ancestors or [])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        csp = content_security_policy(path, self.frame_ancestors)
        headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
        ]
        if path == "/widget.js":
            headers.append((b"cross-origin-resource-policy", b"cross-origin"))
        elif not path.startswith(("/ui", "/demo", "/docs")):
            headers.append((b"x-frame-options", b"DENY"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                existing = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in headers if h[0] not in existing]
            await send(message)

        if refused_path(path):
            await error_response(403, "本服务不接受文件上传或该操作。", "forbidden")(scope, receive, send_with_headers)
            return
        name = bad_query_param(scope.get("query_string", b""))
        if name is not None:
            await error_response(400, f"查询参数「{name}」不是有效的 UTF-8 文本。", "bad_encoding")(
                scope, receive, send_with_headers
            )
            return
        await self.app(scope, receive, send_with_headers)
