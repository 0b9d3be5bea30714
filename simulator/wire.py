"""HeyGen's wire envelopes and errors, in one place (heygen-api.md §1).

Route handlers return ``ok(request, data)`` and raise ``ApiError``; the server's error middleware
turns an ``ApiError`` into the body of the path's family:

- v2 (``/v2/...``): ``{"error": null, "data": ...}`` / ``{"error": {"code", "message"}, "data": null}``
- v1 (``/v1/...`` and the upload host): ``{"code": 100, "data": ..., "message": "Success"}`` /
  ``{"code": <int>, "message": "..."}`` (a string code falls back to the HTTP status, as HeyGen's
  own ``{"code": 400, "message": "Invlid parameters"}`` does)
- v3 (``/v3/...``, for later route modules): ``{"data": ...}`` / ``{"error": {"code", "message", "param", "doc_url"}}``
- media (``/media/...``): plain text errors, like a CDN.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

# HeyGen's own typo, kept because clients may match on it.
V1_BAD_PARAMS = "Invlid parameters"


class ApiError(Exception):
    """An error answer. ``code`` is what HeyGen puts in the body (string or int)."""

    def __init__(self, status: int, code: str | int, message: str, *, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def invalid(message: str, code: str | int = "invalid_parameter") -> ApiError:
    """A 400 for a request HeyGen would refuse as malformed."""
    return ApiError(400, code, message)


def family(path: str) -> str:
    for prefix in ("v1", "v2", "v3", "media"):
        if path.startswith(f"/{prefix}/"):
            return prefix
    return "v1"


def success_body(fam: str, data: Any) -> dict:
    if fam == "v2":
        return {"error": None, "data": data}
    if fam == "v3":
        return {"data": data}
    return {"code": 100, "data": data, "message": "Success"}


def error_body(fam: str, status: int, code: str | int, message: str) -> dict:
    if fam == "v2":
        return {"error": {"code": code, "message": message}, "data": None}
    if fam == "v3":
        return {"error": {"code": str(code), "message": message, "param": None, "doc_url": None}}
    return {"code": code if isinstance(code, int) else status, "message": message}


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(body=json.dumps(body).encode(), status=status, content_type="application/json", headers=headers)


def ok(request: web.Request, data: Any) -> web.Response:
    return json_response(success_body(family(request.path), data))


def error_response(path: str, err: ApiError) -> web.Response:
    fam = family(path)
    if fam == "media":
        return web.Response(status=err.status, text=err.message, headers=err.headers)
    return json_response(error_body(fam, err.status, err.code, err.message), err.status, err.headers)


async def read_json(request: web.Request) -> dict:
    """The request's JSON object; anything else is HeyGen's 400."""
    raw = await request.read()
    try:
        body = json.loads(raw or b"null")
    except ValueError:
        raise invalid("Invalid JSON body") from None
    if not isinstance(body, dict):
        raise invalid("Input should be a valid dictionary")
    return body


def query_param(request: web.Request, name: str) -> str:
    """A required query parameter (v1 style: HeyGen answers its typo'd 400 when one is missing)."""
    value = request.query.get(name, "").strip()
    if not value:
        raise ApiError(400, 400, V1_BAD_PARAMS)
    return value
