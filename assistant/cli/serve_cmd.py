"""`policy-qa serve [--host] [--port] [--workers N]`: REST API, web app (/ui), widget (/widget.js) and demo page (/demo)."""

from __future__ import annotations

import argparse
import os

from .common import error, int_in


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="启动 Web 服务（接口、网页应用与嵌入挂件）")
    parser.add_argument("--host", help="监听地址（缺省取配置，127.0.0.1）")
    parser.add_argument("--port", type=int_in(1, 65535, "端口"), help="端口（缺省取配置，8000）")
    parser.add_argument(
        "--workers",
        type=int_in(1, 64, "工作进程数"),
        default=1,
        help="工作进程数（缺省 1）。多于 1 个时会话存于 SQLite（或 POLICY_QA_REDIS_URL 指定的 Redis），"
        "只提供接口与挂件：网页应用请另起单进程服务",
    )
    parser.add_argument("--no-ui", action="store_true", help="只提供接口与挂件，不挂载 gradio 网页应用")
    parser.set_defaults(func=_serve)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ..config import get_settings
    from ..logging_setup import configure, logging_config

    settings = get_settings()
    host = args.host or settings.host
    port = args.port or settings.port
    configure(settings.log_level)
    log_config = logging_config(settings.log_level)
    # proxy_headers off: the client address is worked out by the app from POLICY_QA_TRUSTED_PROXIES.
    if args.workers == 1:
        from ..web.api import create_app

        app = create_app(settings, with_ui=not args.no_ui)
        print(f"政策问答助手已启动：http://{host}:{port}/ （接口文档 /docs，挂件演示 /demo）", flush=True)
        uvicorn.run(app, host=host, port=port, log_config=log_config, proxy_headers=False)
        return 0
    # Several processes: what a conversation remembers must be shared between them.
    if settings.session_backend in (None, "memory") and not settings.redis_url:
        os.environ["POLICY_QA_SESSION_BACKEND"] = "sqlite"
    elif settings.session_backend == "memory":
        error("多进程时会话不能只存于进程内（POLICY_QA_SESSION_BACKEND=memory）：请用 sqlite 或 redis。")
        return 2
    print(f"政策问答助手已启动（{args.workers} 个工作进程，接口与挂件）：http://{host}:{port}/docs", flush=True)
    uvicorn.run(
        "assistant.web.api:app_from_settings",
        factory=True,
        workers=args.workers,
        host=host,
        port=port,
        log_config=log_config,
        proxy_headers=False,
    )
    return 0
