"""Static assets of the web layer: widget.js and the demo page (from ui/), and a self-contained API docs page.

Each asset is served with an ETag (content hash) and a Cache-Control max-age, and
answers 304 to a matching If-None-Match, so embedding sites do not refetch the widget.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from ..config import UI_DIR  # noqa: F401  (re-exported: the web layer finds ui/ here)


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    etag: str


def load_asset(path: Path, media_type: str) -> Asset:
    body = path.read_bytes()
    return Asset(body, media_type, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def asset_response(
    request: Request, asset: Asset, max_age: int, extra_headers: dict[str, str] | None = None
) -> Response:
    headers = {"ETag": asset.etag, "Cache-Control": f"public, max-age={max_age}"}
    headers.update(extra_headers or {})
    if_none_match = request.headers.get("if-none-match", "")
    if asset.etag in [t.strip().removeprefix("W/") for t in if_none_match.split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


def docs_page(openapi: dict[str, Any]) -> str:
    """A plain HTML list of the endpoints (FastAPI's default /docs loads swagger-ui from a CDN)."""
    rows = []
    for path, ops in openapi.get("paths", {}).items():
        for method, op in ops.items():
            params = ", ".join(f"{p['name']}{'' if p.get('required') else '?'}" for p in op.get("parameters", []))
            body = ""
            ref = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
            if ref:
                schema = openapi["components"]["schemas"][ref.rsplit("/", 1)[-1]]
                required = set(schema.get("required", []))
                body = ", ".join(f"{k}{'' if k in required else '?'}" for k in schema.get("properties", {}))
            rows.append(
                "<tr><td><code>{m}</code></td><td><code>{p}</code></td><td>{s}</td><td><code>{q}</code></td>"
                "<td><code>{b}</code></td></tr>".format(
                    m=html.escape(method.upper()),
                    p=html.escape(path),
                    s=html.escape(op.get("summary", "")),
                    q=html.escape(params),
                    b=html.escape("{" + body + "}" if body else ""),
                )
            )
    title = html.escape(openapi.get("info", {}).get("title", "API"))
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title} · 接口文档</title>
<style>
body{{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:1000px;padding:0 1rem;color:#1f2937}}
h1{{font-size:1.5rem}} table{{border-collapse:collapse;width:100%}} td,th{{border-bottom:1px solid #e5e7eb;padding:.5rem;text-align:left;vertical-align:top}}
th{{background:#f3f4f6}} code{{font-size:.9em;overflow-wrap:anywhere}}
.wrap{{overflow-x:auto}} /* on a phone the table scrolls, not the page */
</style></head><body>
<h1>{title} · 接口文档</h1>
<p>完整的机器可读描述见 <a href="openapi.json">/openapi.json</a>（OpenAPI 3）。错误统一返回 <code>{{"error": "中文信息", "code": "..."}}</code>。</p>
<div class="wrap"><table><thead><tr><th>方法</th><th>路径</th><th>说明</th><th>查询参数</th><th>请求体（JSON）</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></div>
<p>其它入口：<a href="ui/">网页应用</a> · <a href="demo">挂件演示页</a> · <a href="widget.js">widget.js</a></p>
</body></html>"""
