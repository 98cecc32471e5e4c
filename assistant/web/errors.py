"""Every error the API returns is JSON ``{"error": "中文信息", "code": "..."}`` — never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..textnorm import InputError

log = logging.getLogger("assistant.web")

_STATUS_MESSAGES = {
    400: ("请求有误。", "bad_request"),
    404: ("未找到请求的内容。", "not_found"),
    405: ("不支持该请求方法。", "method_not_allowed"),
    413: ("请求内容过大。", "payload_too_large"),
    415: ("不支持的内容类型，请以 JSON 提交。", "unsupported_media_type"),
    429: ("请求过于频繁，请稍后再试。", "rate_limited"),
    500: ("服务器内部错误，请稍后再试。", "internal_error"),
    503: ("服务暂不可用，请稍后再试。", "unavailable"),
}

# Field names as users know them, for validation messages.
_FIELD_CN = {
    "question": "问题",
    "session_id": "会话编号",
    "region": "地区",
    "facts": "事实",
    "date": "日期",
    "useful": "评价",
    "remark": "备注",
    "answer": "答复",
    "awards": "奖补项目",
    "citations": "引用条款",
    "q": "检索词",
    "top": "返回条数",
    "policy": "政策",
    "source": "来源",
    "body": "请求体",
    "amount_yuan": "金额",
    "policy_id": "政策编号",
    "clause_id": "条款编号",
    "status": "状态",
    "title": "名称",
    "citation": "引用",
}

_ERROR_TYPES_CN = {
    "missing": "缺少必填项",
    "string_type": "应为文本",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限数值（不接受 NaN 或无穷大）",
    "string_unicode": "不是有效的 UTF-8 文本",
    "bool_parsing": "应为是/否（true/false）",
    "bool_type": "应为是/否（true/false）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "extra_forbidden": "不支持的字段",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "string_too_long": "过长",
    "string_too_short": "不能为空",
    "too_long": "条目过多",
    "greater_than_equal": "过小",
    "less_than_equal": "过大",
    "literal_error": "取值不在允许范围内",
}


def error_response(
    status: int,
    message: str | None = None,
    code: str | None = None,
    *,
    details: list[dict[str, Any]] | None = None,
    retry_after: int | None = None,
) -> JSONResponse:
    default_msg, default_code = _STATUS_MESSAGES.get(status, ("请求失败。", "error"))
    body: dict[str, Any] = {"error": message or default_msg, "code": code or default_code}
    if details is not None:
        body["details"] = details
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return JSONResponse(body, status_code=status, headers=headers)


def _describe(err: dict[str, Any]) -> dict[str, Any]:
    loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
    field = ".".join(loc) if loc else "body"
    name = _FIELD_CN.get(loc[0], loc[0]) if loc else "请求体"
    if len(loc) >= 3 and loc[1].isdigit():  # awards.0.amount_yuan → 奖补项目第1项的金额
        name = f"{name}第{int(loc[1]) + 1}项的{_FIELD_CN.get(loc[2], loc[2])}"
    what = _ERROR_TYPES_CN.get(err.get("type", ""), "格式不正确")
    return {"field": field, "message": f"{name}{'' if what.startswith('不') else '：'}{what}"}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [_describe(e) for e in exc.errors()]
        summary = "；".join(d["message"] for d in details[:3]) or "格式不正确"
        return error_response(422, f"请求参数有误：{summary}。", "validation_error", details=details)

    @app.exception_handler(InputError)
    async def _input(_: Request, exc: InputError) -> JSONResponse:
        return error_response(400, str(exc), exc.code)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Our own raises carry a Chinese detail; framework ones (404, 405) carry English: use ours.
        detail = exc.detail if isinstance(exc.detail, str) and _has_cjk(exc.detail) else None
        code = getattr(exc, "code", None)
        resp = error_response(exc.status_code, detail, code)
        for k, v in (exc.headers or {}).items():
            resp.headers[k] = v
        return resp

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500)


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
