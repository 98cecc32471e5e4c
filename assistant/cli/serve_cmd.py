"""`policy-qa serve [--host] [--port]`: REST API, web app (/ui), widget (/widget.js) and demo page (/demo)."""
from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="启动 Web 服务（接口、网页应用与嵌入挂件）")
    parser.add_argument("--host", help="监听地址（缺省取配置，127.0.0.1）")
    parser.add_argument("--port", type=int, help="端口（缺省取配置，8000）")
    parser.add_argument("--no-ui", action="store_true", help="只提供接口与挂件，不挂载 gradio 网页应用")
    parser.set_defaults(func=_serve)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ..config import get_settings
    from ..web.api import create_app

    from ..logging_setup import configure, logging_config

    settings = get_settings()
    host = args.host or settings.host
    port = args.port or settings.port
    configure(settings.log_level)
    app = create_app(settings, with_ui=not args.no_ui)
    print(f"政策问答助手已启动：http://{host}:{port}/ （接口文档 /docs，挂件演示 /demo）", flush=True)
    # proxy_headers off: the client address is worked out by the app from POLICY_QA_TRUSTED_PROXIES.
    uvicorn.run(app, host=host, port=port, log_config=logging_config(settings.log_level), proxy_headers=False)
    return 0
