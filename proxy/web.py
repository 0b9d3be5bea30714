"""The HTTP surface (aiohttp.web): the External Service Proxy API's paths, token minting, discovery,
the OpenAPI document and the web console.
"""

import json
import logging
import math
from pathlib import Path

from aiohttp import web

from proxy.auth import AuthError, authenticate, mint_token
from proxy.errors import ProxyError
from proxy.openapi import openapi_document
from proxy.operations import OPERATIONS
from proxy.service import Proxy

logger = logging.getLogger("proxy")
PREFIX = "/api/ai-proxy/orgs/{org}"
STATIC = Path(__file__).resolve().parent / "static"
PROXY_KEY = web.AppKey("proxy", Proxy)
UPLOAD_OPERATIONS = frozenset({"upload-asset"})


def error_response(error: ProxyError) -> web.Response:
    headers = {"Retry-After": str(math.ceil(error.retry_after))} if error.retry_after else None
    return web.json_response(error.body(), status=error.status, headers=headers)


@web.middleware
async def errors_middleware(request: web.Request, handler):
    try:
        return await handler(request)
    except ProxyError as error:
        return error_response(error)
    except AuthError as error:
        return error_response(ProxyError(error.status, error.code, error.message, "Authorization"))
    except web.HTTPException as error:
        if error.status < 400:
            raise
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(error.status, "bad_request")
        return error_response(ProxyError(error.status, code, error.reason))
    except Exception:
        logger.exception("unexpected failure on %s %s", request.method, request.path)
        return error_response(ProxyError(500, "internal_error", "the proxy failed unexpectedly; see its log"))


def cors_middleware(origins: tuple[str, ...]):
    @web.middleware
    async def middleware(request: web.Request, handler):
        origin = request.headers.get("Origin")
        allowed = origin if origin and origin in origins else None
        if request.method == "OPTIONS" and allowed:
            response = web.Response(status=204)
        else:
            response = await handler(request)
        if allowed:
            response.headers["Access-Control-Allow-Origin"] = allowed
            response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, Idempotency-Key"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Vary"] = "Origin"
        return response

    return middleware


async def caller_of(request: web.Request, scope: str):
    proxy = request.app[PROXY_KEY]
    caller = await authenticate(proxy.store, request.headers.get("Authorization"))
    proxy.check_caller(caller, request.match_info["org"], scope)
    return caller


async def read_json(request: web.Request, limit: int, *, empty_is_object: bool = True):
    if request.content_length is not None and request.content_length > limit:
        raise ProxyError(413, "too_large", f"the request body is over {limit} bytes")
    raw = bytearray()
    async for chunk in request.content.iter_chunked(1 << 16):
        raw.extend(chunk)
        if len(raw) > limit:
            raise ProxyError(413, "too_large", f"the request body is over {limit} bytes")
    if not raw.strip() and empty_is_object:
        return {}
    try:
        return json.loads(raw)
    except ValueError as error:
        raise ProxyError(400, "invalid_json", f"the request body is not JSON: {error}", "(request)") from None


async def invoke(request: web.Request) -> web.Response:
    name = request.match_info["operation"]
    op = OPERATIONS.get(name)
    proxy = request.app[PROXY_KEY]
    caller = await authenticate(proxy.store, request.headers.get("Authorization"))
    proxy.check_caller(caller, request.match_info["org"], "read" if op is None else op.scope)
    if op is None:
        raise ProxyError(
            404, "unknown_operation", f"heygen has no operation {name!r} (GET …/services/heygen/ lists them)"
        )
    limit = proxy.settings.upload_limit * 4 // 3 + 4096 if name in UPLOAD_OPERATIONS else proxy.settings.json_limit
    envelope = await read_json(request, limit)
    idempotency_key = request.headers.get("Idempotency-Key")
    if idempotency_key is not None and not (0 < len(idempotency_key) <= 255):
        raise ProxyError(400, "invalid_header", "Idempotency-Key must be 1 to 255 characters", "Idempotency-Key")
    status, body = await proxy.invoke(caller, op, envelope, idempotency_key)
    return web.json_response(body, status=status)


def endpoint(op) -> dict:
    return {
        "slug": op.name,
        "action": op.action,
        "http_method": "POST",
        "scope": op.scope,
        "billed": op.billed,
        "request_mode": "json",
        "response_mode": "json",
        "is_enabled": True,
        "input_schema": op.request_schema,
    }


def service_summary() -> dict:
    return {
        "slug": "heygen",
        "service_type": "async",
        "supports_async_jobs": True,
        "credential_name": "heygen",
        "endpoint_count": len(OPERATIONS),
    }


async def list_services(request: web.Request) -> web.Response:
    await caller_of(request, "read")
    return web.json_response({"services": [service_summary()]})


async def describe_service(request: web.Request) -> web.Response:
    caller = await caller_of(request, "read")
    org = caller.org
    credential = {"kind": org.credential_kind, "tail": org.credential_tail and f"…{org.credential_tail}"}
    body = {
        **service_summary(),
        "auth_mode": "organisation credential (held by the proxy)",
        "credential": credential,
        "test_only": org.test_only,
        "monthly_cap": org.monthly_cap,
        "endpoints": [endpoint(op) for op in OPERATIONS.values()],
    }
    return web.json_response(body)


async def create_token(request: web.Request) -> web.Response:
    proxy = request.app[PROXY_KEY]
    caller = await authenticate(proxy.store, request.headers.get("Authorization"))
    if caller.via_token:
        raise ProxyError(403, "tokens_cannot_mint", "a token cannot mint another token: use an API key on your backend")
    proxy.check_caller(caller, request.match_info["org"], "read" if "read" in caller.scopes else "generate")
    body = await read_json(request, 4096)
    if not isinstance(body, dict):
        raise ProxyError(400, "invalid_envelope", "the body must be an object", "(request)")
    unknown = sorted(set(body) - {"scopes", "ttl_seconds"})
    if unknown:
        raise ProxyError(400, "invalid_envelope", f"{unknown[0]}: is not a field (scopes, ttl_seconds)", unknown[0])
    seconds = body.get("ttl_seconds", 600)
    maximum = proxy.settings.token_max_seconds
    if not isinstance(seconds, int) or isinstance(seconds, bool) or not 1 <= seconds <= maximum:
        raise ProxyError(
            400, "invalid_envelope", f"ttl_seconds: must be a whole number from 1 to {maximum}", "ttl_seconds"
        )
    scopes = body.get("scopes")
    if scopes is not None and not (isinstance(scopes, list) and all(isinstance(s, str) for s in scopes)):
        raise ProxyError(400, "invalid_envelope", 'scopes: must be a list like ["read", "generate"]', "scopes")
    try:
        token, expires = mint_token(proxy.store, caller, scopes, seconds)
    except AuthError as error:
        raise ProxyError(error.status, error.code, error.message, "scopes") from None
    scopes_given = sorted(set(scopes) if scopes is not None else caller.scopes & {"read", "generate"})
    return web.json_response(
        {
            "token": token,
            "token_type": "Bearer",
            "expires_in": seconds,
            "expires_at": int(expires),
            "scopes": scopes_given,
        },
        status=201,
    )


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(openapi_document())


CONSOLE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    # its own script and styles, calls to this proxy only, videos from HeyGen's (signed) links
    "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; media-src *; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
}


async def console(request: web.Request) -> web.Response:
    return web.FileResponse(STATIC / "console.html", headers=CONSOLE_HEADERS)


async def health(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


def build_app(proxy: Proxy) -> web.Application:
    limit = proxy.settings.upload_limit * 4 // 3 + 8192
    app = web.Application(
        client_max_size=limit, middlewares=[cors_middleware(proxy.settings.cors_origins), errors_middleware]
    )
    app[PROXY_KEY] = proxy
    app.router.add_get(f"{PREFIX}/services/", list_services)
    app.router.add_get(f"{PREFIX}/services/heygen/", describe_service)
    app.router.add_post(f"{PREFIX}/services/heygen/{{operation}}/", invoke)
    app.router.add_post(f"{PREFIX}/tokens/", create_token)
    app.router.add_get("/openapi.json", openapi)
    app.router.add_get("/console/", console)
    app.router.add_get("/healthz", health)

    async def close(_app):
        await proxy.close()
        await proxy.store.engine.dispose()

    app.on_cleanup.append(close)
    return app
