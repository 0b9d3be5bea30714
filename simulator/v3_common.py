"""What every v3 route module shares: registration from HeyGen's schema file, request bodies validated
against the endpoint's request schema, v3 errors, cursor pagination and AssetRef inputs.

    route(router, state, "VideoGet", get_video)            # method and path from heygen_core.paths
    route(router, state, "VideoCreate", create, job=True)  # behind Idempotency-Key (idempotency.py)

Handlers are ``async def handler(state, request)`` and answer with ``ok(data)`` or ``listed(...)``.
A body that breaks the schema is 400 ``validation_error`` with ``param`` = the field path
(``scenes[0].input.avatar_id``); the simulator's own checks beyond the schema use ``invalid(param, ...)``.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlparse

from aiohttp import web

from heygen_core.paths import v3

from . import openapi
from .idempotency import idempotent
from .state import Asset, SimState
from .wire import ApiError, BadJson, ascii_int, parse_json

# (default, max) page sizes per list endpoint (heygen-v3.md §2); unlisted paginated endpoints use 10/100.
PAGE_LIMITS = {
    "VideoList": (10, 100),
    "AvatarList": (20, 50),
    "AvatarLooksList": (20, 50),
    "VoiceList": (20, 100),
    "TemplateList": (10, 100),
    "VideoTranslateList": (10, 100),
    "WebhookEndpointsList": (10, 100),
    "WebhookEventsList": (10, 100),
    "AssetList": (20, 100),
    "VideoBatchesGet": (100, 100),
    "VideoTranslateBatchesGet": (100, 100),
    "LipsyncBatchesGet": (100, 100),
    "AssetBatchesGet": (100, 100),
    "AudioSoundsList": (10, 50),
    "AssetSearch": (20, 50),
}
DEFAULT_PAGE = (10, 100)


def route(router: web.UrlDispatcher, state: SimState, name: str, handler, *, job: bool = False) -> None:
    """Serve endpoint ``name`` with ``handler``; ``job=True`` puts it behind HeyGen's Idempotency-Key."""
    endpoint = v3(name)
    bound = partial(_checked, state, name, partial(handler, state))
    router.add_route(endpoint.method, endpoint.path, idempotent(state, name, bound) if job else bound)


async def _checked(state: SimState, name: str, handler, request: web.Request) -> web.StreamResponse:
    """With ``config.check_answers``, every successful answer is checked against the endpoint's response
    schema and each violation is kept in ``state.answer_problems`` (tests of clients assert it stays empty).
    An endpoint in ``config.unserved_v3`` answers HeyGen's HTML 404 page instead."""
    if name in state.config.unserved_v3:
        return web.Response(status=404, text="<html><body>Not Found</body></html>", content_type="text/html")
    response = await handler(request)
    if state.config.check_answers and isinstance(response, web.Response) and 200 <= response.status < 300:
        for problem in openapi.response_errors(name, json.loads(response.body)):
            state.answer_problems.append(f"{name}: {problem}")
    return response


def ok(data: Any, status: int = 200, **top_level: Any) -> web.Response:
    return web.Response(
        body=json.dumps({"data": data, **top_level}).encode(), status=status, content_type="application/json"
    )


def invalid(param: str, message: str, code: str = "validation_error") -> ApiError:
    return ApiError(400, code, f"{param}: {message}", param=param)


def not_found(code: str, what: str, ident: str) -> ApiError:
    return ApiError(404, code, f"{what} {ident} not found")


def path_id(request: web.Request, name: str) -> str:
    return request.match_info[name]


async def body_of(request: web.Request, endpoint_name: str) -> dict:
    """The JSON body, parsed strictly (wire.parse_json) and checked against the endpoint's request schema."""
    raw = await request.read()
    try:
        body = parse_json(raw) if raw.strip() else {}
    except BadJson as exc:
        raise ApiError(400, "invalid_parameter", str(exc)) from None
    if not isinstance(body, dict):
        raise ApiError(400, "validation_error", "The request body must be a JSON object", param="body")
    problem = openapi.first_error(endpoint_name, "request", body)
    if problem is not None:
        param, message = problem
        raise ApiError(400, "validation_error", f"{param or 'body'}: {message}", param=param or "body")
    return body


def query_text(request: web.Request, name: str) -> str | None:
    value = request.query.get(name)
    return value if value not in (None, "") else None


def query_choice(request: web.Request, name: str, allowed: list[str]) -> str | None:
    value = query_text(request, name)
    if value is not None and value not in allowed:
        raise invalid(name, f"must be one of {', '.join(allowed)}")
    return value


# cursor pagination ------------------------------------------------------------------------


def _token(name: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{name}:{offset}".encode()).decode().rstrip("=")


def _offset(name: str, token: str | None) -> int:
    if token is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, ValueError):
        text = ""
    owner, _, number = text.rpartition(":")
    offset = ascii_int(number)
    if owner != name or offset is None:
        raise invalid("token", "is not a page token of this list (pass next_token from the previous page)")
    return offset


def page_limit(request: web.Request, name: str) -> int:
    default, maximum = PAGE_LIMITS.get(name, DEFAULT_PAGE)
    raw = query_text(request, "limit")
    if raw is None:
        return default
    limit = ascii_int(raw)
    if limit is None or not 1 <= limit <= maximum:
        raise invalid("limit", f"must be a whole number from 1 to {maximum}")
    return limit


def paginate(request: web.Request, name: str, items: list) -> tuple[list, bool, str | None]:
    """(this page's items, has_more, next_token) from ``limit`` and ``token``."""
    limit = page_limit(request, name)
    start = _offset(name, query_text(request, "token"))
    chosen = items[start : start + limit]
    more = start + limit < len(items)
    return chosen, more, _token(name, start + limit) if more else None


def listed(request: web.Request, name: str, items: list, shape=lambda x: x) -> web.Response:
    chosen, more, token = paginate(request, name, items)
    return ok([shape(item) for item in chosen], has_more=more, next_token=token)


# batches ----------------------------------------------------------------------------------


def run_items(bodies: list, make) -> list[tuple[str | None, dict | None]]:
    """(id, error) per batch item: ``make(index, body)`` returns the new record's id; one item's refusal
    (an ApiError) fails that item alone, as HeyGen reports errors per item."""
    items: list[tuple[str | None, dict | None]] = []
    for index, body in enumerate(bodies):
        try:
            items.append((make(index, body), None))
        except ApiError as exc:
            items.append((None, item_error(exc)))
    return items


def item_error(exc: ApiError) -> dict:
    return {"code": str(exc.code), "message": exc.message}


def batch_view(request: web.Request, name: str, batch, status_of) -> dict:
    """A batch GET's ``data`` (items paged inside it): ``status_of(id)`` says queued, processing, completed or
    failed for each item's id; an item that could not be created is failed."""
    items = [
        {"item_index": i, "status": status_of(ref) if ref else "failed", "video_id": ref, "error": error}
        for i, (ref, error) in enumerate(batch.items)
    ]
    counts: dict[str, int] = {}
    for item in items:
        counts[item["status"]] = counts.get(item["status"], 0) + 1
    terminal = all(item["status"] in ("completed", "failed") for item in items)
    status = ("completed" if counts.get("completed") else "failed") if terminal else "processing"
    chosen, more, token = paginate(request, name, items)
    return {
        "batch_id": batch.id,
        "status": status,
        "title": batch.title,
        "created_at": int(batch.created_at),
        "total_items": len(items),
        "counts_by_status": counts,
        "items": chosen,
        "has_more": more,
        "next_token": token,
    }


def batch_accepted(batch) -> web.Response:
    """HeyGen's batch creates answer 202 with the batch id at once."""
    return ok({"batch_id": batch.id, "status": "processing", "total_items": len(batch.items)}, status=202)


# AssetRef inputs --------------------------------------------------------------------------


@dataclass
class Source:
    """What an AssetRef (or a flat url / asset_id field) names: an uploaded asset, or a URL."""

    kind: str  # url | asset_id | base64
    url: str | None = None
    asset: Asset | None = None
    data: bytes | None = None
    extra: dict = field(default_factory=dict)


def check_url(param: str, url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise invalid(param, "must be an http(s) URL")
    return url


def asset_by_id(state: SimState, param: str, asset_id: str, file_type: str | None = None) -> Asset:
    found = state.assets.get(asset_id)
    if found is None or getattr(found, "pending", False):
        raise ApiError(400, "asset_not_available", f"{param}: asset {asset_id} not found or not uploaded", param=param)
    if file_type is not None and found.file_type != file_type:
        raise invalid(param, f"asset {asset_id} is a {found.file_type} file, not {file_type}")
    return found


def asset_ref(state: SimState, param: str, ref: dict, file_type: str | None = None) -> Source:
    kind = ref["type"]
    if kind == "url":
        return Source("url", url=check_url(f"{param}.url", ref["url"]))
    if kind == "asset_id":
        return Source("asset_id", asset=asset_by_id(state, f"{param}.asset_id", ref["asset_id"], file_type))
    try:
        data = base64.b64decode(ref["data"], validate=True)
    except (binascii.Error, ValueError):
        raise invalid(f"{param}.data", "is not valid base64") from None
    if not data:
        raise invalid(f"{param}.data", "is empty")
    return Source("base64", data=data, extra={"media_type": ref["media_type"]})


def flat_source(state: SimState, body: dict, url_key: str, id_key: str, file_type: str) -> Source | None:
    """One of ``<x>_url`` / ``<x>_asset_id`` (mutually exclusive), or None when neither is given."""
    url, asset_id = body.get(url_key), body.get(id_key)
    if url and asset_id:
        raise invalid(id_key, f"is mutually exclusive with {url_key}")
    if url:
        return Source("url", url=check_url(url_key, url))
    if asset_id:
        return Source("asset_id", asset=asset_by_id(state, id_key, asset_id, file_type))
    return None
