"""A tiny OpenAI-compatible chat server on loopback for the LLM tests.

Implements POST /v1/chat/completions with canned content: a rewrite (plain text, or a function
of the data the assistant sent) for ordinary calls, and a tool call carrying an extraction for
calls that offer tools (structured output). It can sleep past the client's time-out or answer
with an HTTP error. Every request body is recorded.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Rewrite = str | Callable[[dict], str]


def data_of(body: dict) -> dict:
    """The JSON data the assistant put in its last user message (the rephrase data)."""
    content = next(m["content"] for m in reversed(body["messages"]) if m["role"] == "user")
    if isinstance(content, list):
        content = "".join(part.get("text", "") for part in content)
    return json.loads(content[content.index("{") : content.rindex("}") + 1])


class StubLLM:
    def __init__(self) -> None:
        self.rewrite: Rewrite = "好的。"
        self.extraction: dict[str, Any] | None = None
        self.delay = 0.0
        self.status = 200
        self.requests: list[dict] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def reset(self) -> None:
        self.rewrite, self.extraction, self.delay, self.status = "好的。", None, 0.0, 200
        self.requests.clear()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    # --- server -----------------------------------------------------------------------------
    def start(self) -> StubLLM:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:  # http.server API
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                stub.requests.append(body)
                if not self.path.endswith("/chat/completions"):
                    return self._send(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
                if stub.delay:
                    time.sleep(stub.delay)
                if stub.status != 200:
                    return self._send(stub.status, {"error": {"message": "stub failure", "type": "server_error"}})
                return self._send(200, stub.completion(body))

            def _send(self, status: int, payload: dict) -> None:
                raw = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (time-out test)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- canned answers ---------------------------------------------------------------------
    def completion(self, body: dict) -> dict:
        message: dict[str, Any]
        if body.get("tools"):
            name = body["tools"][0]["function"]["name"]
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_stub",
                        "type": "function",
                        "function": {"name": name, "arguments": json.dumps(self.extraction or {}, ensure_ascii=False)},
                    }
                ],
            }
            finish = "tool_calls"
        else:
            text = self.rewrite(data_of(body)) if callable(self.rewrite) else self.rewrite
            message = {"role": "assistant", "content": text}
            finish = "stop"
        return {
            "id": "chatcmpl-stub",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
