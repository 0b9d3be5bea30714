"""HeyGen's wire envelopes and errors, in one place (heygen-api.md §1).

Route handlers return ``ok(request, data)`` and raise ``ApiError``; the server's error middleware
turns an ``ApiError`` into the body of the path's family:

- v2 (``/v2/...``): ``{"error": null, "data": ...}`` / ``{"error": {"code", "message"}, "data": null}``
- v1 (``/v1/...`` and the upload host): ``{"code": 100, "data": ..., "message": "Success"}`` /
  ``{"code": <int>, "message": "..."}`` (a string code falls back to the HTTP status, as HeyGen's
  own ``{"code": 400, "message": "Invlid parameters"}`` does)
- v3 (``/v3/...``, the v3_*.py modules): ``{"data": ...}`` / ``{"error": {"code", "message", "param", "doc_url"}}``
- media (``/media/...``): plain text errors, like a CDN.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from aiohttp import web

# HeyGen's own typo, kept because clients may match on it.
V1_BAD_PARAMS = "Invlid parameters"
# Deeper JSON is refused before anything walks it (schema validation and handlers recurse).
MAX_JSON_DEPTH = 64
DOC_URL = "https://developers.heygen.com/docs/error-codes"
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class ApiError(Exception):
    """An error answer. ``code`` is what HeyGen puts in the body (string or int)."""

    def __init__(
        self,
        status: int,
        code: str | int,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        param: str | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.param = param  # v3 only: the field path a validation error is about


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


def v3_error(code: str | int, message: str, param: str | None = None) -> dict:
    """HeyGen's v3 error object; ``param`` is present only when a field is to blame, as HeyGen sends it."""
    error = {"code": str(code), "message": message}
    if param is not None:
        error["param"] = param
    return {"error": error | {"doc_url": f"{DOC_URL}#{str(code).lower()}"}}


def error_body(fam: str, status: int, code: str | int, message: str, param: str | None = None) -> dict:
    if fam == "v2":
        return {"error": {"code": code, "message": message}, "data": None}
    if fam == "v3":
        return v3_error(code, message, param)
    return {"code": code if isinstance(code, int) else status, "message": message}


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(body=json.dumps(body).encode(), status=status, content_type="application/json", headers=headers)


def ok(request: web.Request, data: Any) -> web.Response:
    return json_response(success_body(family(request.path), data))


def error_response(path: str, err: ApiError) -> web.Response:
    fam = family(path)
    if fam == "media":
        return web.Response(status=err.status, text=err.message, headers=err.headers)
    return json_response(error_body(fam, err.status, err.code, err.message, err.param), err.status, err.headers)


class BadJson(ValueError):
    """A body that is not strict JSON: broken syntax or encoding, NaN/Infinity, or nested too deeply."""


def _refuse_constant(name: str) -> float:
    raise BadJson(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadJson(f"{text} does not fit a finite number")
    return value


def _depth_within(value: Any, limit: int) -> bool:
    """Iterative, so a deep value cannot exhaust the stack while it is being measured."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return False
        stack.extend((child, depth + 1) for child in children)
    return True


def _without_lone_surrogates(value: Any) -> Any:
    """``\\ud800`` alone is valid JSON but no character: HeyGen's Go services read it as U+FFFD, and so
    does the simulator (a lone surrogate cannot be encoded into captions, files or logs)."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_without_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    return value


def parse_json(raw: bytes) -> Any:
    """Strict JSON as HeyGen's services parse it: UTF-8, finite numbers only, at most MAX_JSON_DEPTH deep,
    lone surrogates replaced. Raises BadJson (never RecursionError or UnicodeError) for anything else."""
    try:
        value = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite)
    except BadJson:
        raise
    except RecursionError:
        raise BadJson(f"JSON is nested deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, int too long
        raise BadJson(f"Invalid JSON body: {exc}") from None
    if not _depth_within(value, MAX_JSON_DEPTH):
        raise BadJson(f"JSON is nested deeper than {MAX_JSON_DEPTH} levels")
    return _without_lone_surrogates(value) if SURROGATE_ESCAPE.search(raw) else value


async def read_json(request: web.Request) -> dict:
    """The request's JSON object; anything else is HeyGen's 400."""
    raw = await request.read()
    try:
        body = parse_json(raw or b"null")
    except BadJson as exc:
        raise invalid(str(exc)) from None
    if not isinstance(body, dict):
        raise invalid("Input should be a valid dictionary")
    return body


def ascii_int(text: str | None) -> int | None:
    """A non-negative integer written in ASCII digits, or None ('²' and '٣' are digits to str.isdigit)."""
    if text is None or not text.isascii() or not text.isdigit() or len(text) > 18:
        return None
    return int(text)


def query_param(request: web.Request, name: str) -> str:
    """A required query parameter (v1 style: HeyGen answers its typo'd 400 when one is missing)."""
    value = request.query.get(name, "").strip()
    if not value:
        raise ApiError(400, 400, V1_BAD_PARAMS)
    return value
