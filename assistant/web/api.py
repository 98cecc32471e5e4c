"""The FastAPI application: REST API, widget and demo page, gradio app at /ui.

`create_app(settings)` builds everything; `policy-qa serve` runs it with uvicorn.
Routes only validate and translate: the work is done by assistant.service, the
same functions the CLI calls.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import types
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from fastapi import FastAPI, Path, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ..config import Settings, get_settings
from ..contract import AskResponse
from ..dialogue.sessions import current_client
from ..feedback import FeedbackRecord, FeedbackUnavailable, open_store, unknown_references
from ..textnorm import InputError, check_query, normalize
from .bodies import BoundedJSONRoute
from .errors import error_response, install_error_handlers
from .guards import GuardMiddleware
from .health import HealthChecker
from .limits import BodySizeLimitMiddleware, RateLimitMiddleware, TrustedProxies
from .schemas import (
    AskRequest,
    CalcRequest,
    CalcResult,
    ClauseDetail,
    ErrorBody,
    FeedbackRequest,
    FeedbackResponse,
    Health,
    PolicyList,
    SearchResult,
)
from .static import UI_DIR, asset_response, docs_page, load_asset

log = logging.getLogger("assistant.web")

MAX_TOP_K = 20
WIDGET_MAX_AGE = 3600  # an hour: sites pick up a new widget the same day
DEMO_MAX_AGE = 300
# The gradio app posts its own JSON (event payloads, component state): allow it more than the API.
UI_MAX_BYTES = 262_144

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "输入有误"},
    413: {"model": ErrorBody, "description": "请求内容过大"},
    422: {"model": ErrorBody, "description": "参数校验失败"},
    429: {"model": ErrorBody, "description": "请求过于频繁"},
    500: {"model": ErrorBody, "description": "服务器内部错误"},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "未找到"}}
_UNAVAILABLE: dict[int | str, dict[str, Any]] = {503: {"model": ErrorBody, "description": "暂不可用"}}


def _app_version() -> str:
    try:
        return version("policy-qa")
    except PackageNotFoundError:
        return "0"


def _optional_text(value: str | None) -> str | None:
    if value is None:
        return None
    value = normalize(value)
    return value or None


def create_app(
    settings: Settings | None = None,
    *,
    service: types.ModuleType | Any | None = None,
    with_ui: bool = True,
    warm_up: bool = True,
) -> FastAPI:
    """Build the app. ``service`` defaults to assistant.service (any object with the same functions works)."""
    settings = settings or get_settings()
    if service is None:
        from .. import service as default_service

        service = default_service
    store = open_store(settings.feedback_target)  # a store that cannot be opened disables feedback only
    proxies = TrustedProxies(settings.trusted_proxies)
    health = HealthChecker(service, store)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI):
        if warm_up:
            _warm_up(service)
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="电商惠企政策问答助手",
        version=_app_version(),
        description="政策问答、条款检索、奖补测算。所有金额由规则引擎精确计算。",
        docs_url=None,  # the default docs page loads swagger-ui from a CDN; ours is local (/docs)
        redoc_url=None,
        responses=_ERRORS,
    )
    app.state.settings = settings
    app.state.service = service
    app.state.feedback = store
    app.router.route_class = BoundedJSONRoute  # JSON bodies parsed within assistant.domain's limits
    install_error_handlers(app)

    # Middleware: the last added is outermost. CORS outermost so even 413/429 carry CORS headers
    # and the widget on another site can read the error.
    app.add_middleware(
        RateLimitMiddleware,
        per_minute=settings.rate_limit_per_minute,
        prefixes=("/api/", "/ui/gradio_api/"),
        proxies=proxies,
        storage_uri=settings.rate_limit_storage,
        # In the gradio app only event submissions do work; its GETs are assets and event streams.
        methods_by_prefix={"/ui/gradio_api/": ("POST",)},
    )
    app.add_middleware(
        BodySizeLimitMiddleware, max_bytes=settings.max_request_bytes, path_limits={"/ui/": UI_MAX_BYTES}
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,  # default []: same origin only
        allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
        allow_headers=["Content-Type"],
        expose_headers=["Retry-After", "ETag"],
        max_age=600,
    )
    # Outermost: security headers on every response (CORS preflights and 413/429 included).
    app.add_middleware(GuardMiddleware, frame_ancestors=settings.frame_ancestors)

    # ---- API -------------------------------------------------------------------------------------------
    @app.post("/api/ask", response_model=AskResponse, summary="政策问答（多轮：带上 session_id）", tags=["问答"])
    def api_ask(req: AskRequest, request: Request) -> AskResponse:
        question = check_query(req.question, settings.max_question_chars, "问题")
        token = current_client.set(proxies.client(request.scope))  # sessions are bounded per client address
        try:
            return service.ask(question, session_id=req.session_id or None, region=_optional_text(req.region))
        finally:
            current_client.reset(token)

    @app.delete(
        "/api/session/{session_id}",
        status_code=204,
        summary="结束会话（新对话）：忘记该会话已说的情况",
        tags=["问答"],
        responses={204: {"description": "已结束（不存在的会话也返回 204）"}},
    )
    def api_end_session(session_id: str = Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")) -> Response:
        service.end_session(session_id)
        return Response(status_code=204)

    @app.get("/api/search", response_model=SearchResult, summary="条款检索", tags=["检索"])
    def api_search(
        q: str = Query(description="关键词或一句话"),
        top: int = Query(default=settings.default_top_k, ge=1, le=MAX_TOP_K, description="返回条数"),
        policy: str | None = Query(default=None, max_length=64, description="只检索某一政策（编号）"),
        region: str | None = Query(default=None, max_length=50, description="只检索某地政策"),
    ) -> dict[str, Any]:
        query = check_query(q, settings.max_search_chars, "检索")
        resp = service.search(query, top_k=top, policy=policy or None, region=_optional_text(region))
        if resp.error:
            raise InputError(resp.error, "search_error")
        return {"hits": [h.model_dump() for h in resp.hits]}

    @app.post("/api/calc", response_model=CalcResult, summary="奖补测算", tags=["测算"])
    def api_calc(req: CalcRequest) -> dict[str, Any]:
        region = _optional_text(req.region)
        if not region:
            raise InputError("地区不能为空。", "empty")
        try:
            return service.calc(region, req.facts, req.date)
        except InputError:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            # The engine's own refusals (unknown region, bad figure) carry a Chinese message; pass it on.
            message = str(exc).strip("'\"")
            if not any("\u4e00" <= ch <= "\u9fff" for ch in message):
                message = "测算参数有误，请检查地区与各项数值。"
            raise InputError(message, "calc_error") from exc

    @app.get("/api/policies", response_model=PolicyList, summary="政策一览", tags=["政策"])
    def api_policies() -> dict[str, Any]:
        return {"policies": service.policies()}

    @app.get(
        "/api/clauses/{policy_id}/{clause_id}",
        response_model=ClauseDetail,
        responses=_NOT_FOUND,
        summary="单个条款（含上下条与引用）",
        tags=["政策"],
    )
    def api_clause(policy_id: str, clause_id: str) -> Any:
        try:
            found = service.clause(policy_id, clause_id)
        except KeyError:
            found = None
        if found is None:
            return error_response(404, f"未找到条款：{policy_id} {clause_id}。", "clause_not_found")
        return found

    @app.post(
        "/api/feedback", response_model=FeedbackResponse, responses=_UNAVAILABLE, summary="有用/没用反馈", tags=["反馈"]
    )
    def api_feedback(req: FeedbackRequest) -> Any:
        if not store.available:
            return error_response(503, "反馈功能暂不可用（反馈存储无法写入），问答不受影响。", "feedback_unavailable")
        # Stored as typed (trimmed, control characters removed): the rule maintainers see what the user wrote.
        question = req.question.strip()
        if not question:
            raise InputError("问题内容为空。", "empty")
        known = service.known_clauses() if hasattr(service, "known_clauses") else None
        if known is not None:
            for field, items in (("awards", req.awards), ("citations", req.citations)):
                bad = unknown_references([i.model_dump() for i in items], known)
                if bad:
                    raise InputError(f"{field}[{bad[0]}]：政策或条款编号不存在。", "unknown_clause")
        record = FeedbackRecord(
            useful=req.useful,
            remark=req.remark.strip(),
            question=question,
            answer=req.answer,
            awards=[a.model_dump(exclude_none=True) for a in req.awards],
            citations=[c.model_dump(exclude_none=True) for c in req.citations],
            region=_optional_text(req.region),
            source=req.source,
        )
        try:
            return FeedbackResponse(id=store.add(record))
        except FeedbackUnavailable:
            return error_response(503, "反馈功能暂不可用，问答不受影响。", "feedback_unavailable")

    @app.get(
        "/healthz",
        response_model=Health,
        responses={503: {"model": Health, "description": "无法作答（检索或规则不可用）"}},
        summary="健康检查：能否作答（检索、规则、反馈分别报告）",
        tags=["运维"],
    )
    def healthz() -> Any:
        checks = health.checks()
        ok = health.answering(checks)
        body = Health(status="ok" if ok else "unavailable", version=app.version, checks=checks)
        return body if ok else JSONResponse(body.model_dump(), status_code=503)

    # ---- docs, widget, demo ------------------------------------------------------------------------------
    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(docs_page(app.openapi()))

    widget = load_asset(UI_DIR / "widget.js", "text/javascript; charset=utf-8")
    demo = load_asset(UI_DIR / "demo.html", "text/html; charset=utf-8")

    @app.get("/widget.js", include_in_schema=False)
    def widget_js(request: Request) -> Response:
        # Public static script: any site may load it (a <script> needs no CORS, fetch()/crossorigin does).
        return asset_response(request, widget, WIDGET_MAX_AGE, {"Access-Control-Allow-Origin": "*"})

    @app.get("/demo", include_in_schema=False)
    def demo_page(request: Request) -> Response:
        return asset_response(request, demo, DEMO_MAX_AGE)

    @app.get("/manifest.json", include_in_schema=False)
    def manifest() -> JSONResponse:
        # The gradio page links /manifest.json at the site root; answer it rather than log a 404 per visit.
        return JSONResponse(
            {"name": "电商惠企政策问答助手", "short_name": "政策问答", "start_url": "/ui/", "display": "browser"}
        )

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    if with_ui:
        from .gradio_app import mount_ui

        mount_ui(app, service=service, store=store, settings=settings)

        @app.get("/", include_in_schema=False)
        def root() -> RedirectResponse:
            return RedirectResponse("/ui/", status_code=307)
    else:

        @app.get("/", include_in_schema=False)
        def root_no_ui() -> RedirectResponse:
            return RedirectResponse("/docs", status_code=307)

    return app


def _warm_up(service: Any) -> None:
    """Load the index and models in the background so the first visitor does not wait for them."""

    def run() -> None:
        try:
            service.policies()
            service.search("电子商务", top_k=1)
        except Exception:  # warm-up is best effort; the real request reports the error properly
            log.warning("warm-up failed", exc_info=True)

    threading.Thread(target=run, name="policy-qa-warm-up", daemon=True).start()


def app_from_settings() -> FastAPI:
    """Factory for ``uvicorn --factory`` (used by ``policy-qa serve --workers N``): each worker builds its app
    from the same settings; the gradio app is left out because its event queue lives in one process."""
    return create_app(get_settings(), with_ui=False)
