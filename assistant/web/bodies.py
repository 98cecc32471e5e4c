"""JSON request bodies parsed within the domains of assistant.domain (depth, integer length, UTF-8).

FastAPI calls ``request.json()``; routes of this app use a Request whose ``json()`` applies
those limits and answers a Chinese 400 instead of a RecursionError or an English parse error.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from .. import domain


class BadBody(HTTPException):
    """422 like FastAPI's own json_invalid, but in Chinese and saying what is wrong."""

    code = "json_invalid"

    def __init__(self, message: str) -> None:
        super().__init__(422, f"请求体有误：{message}。")


class BoundedJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            try:
                self._json = domain.loads(await self.body())
            except ValueError as exc:
                raise BadBody(str(exc)) from None
        return self._json


class BoundedJSONRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def bounded(request: Request) -> Response:
            return await handler(BoundedJSONRequest(request.scope, request.receive))

        return bounded
