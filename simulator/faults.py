"""Fault injection: the middleware that makes the simulator misbehave on purpose (config.Faults).

Refusals (502 HTML, 503, 429, random 500, dropped-before-processing) answer before the request
reaches auth or a handler, so nothing happens on the "HeyGen" side. Dropped-after-processing, slow
paths and broken JSON let the handler finish first, so the client's view and the server's state
disagree, which is exactly what retry and idempotency logic must cope with.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from .config import Faults
from .state import SimState
from .wire import ApiError, error_response

GATEWAY_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n"
)


def _drop(request: web.Request) -> web.Response:
    """Close the connection; the response returned afterwards is never written."""
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=204)


def _refusal(state: SimState, faults: Faults, request: web.Request) -> web.Response | None:
    """An answer that replaces processing altogether, or None to let the request through."""
    path = request.path
    if faults.take("html_error"):
        return web.Response(status=502, text=GATEWAY_PAGE, content_type="text/html")
    if faults.take("status_503"):
        return error_response(path, ApiError(503, "service_unavailable", "Service temporarily unavailable"))
    if faults.take("burst_429"):
        retry_after = state.retry_after_value(faults.retry_after, faults.retry_after_form)
        err = ApiError(
            429, "rate_limit_exceeded", "Too many requests, please retry later", headers={"Retry-After": retry_after}
        )
        return error_response(path, err)
    if faults.error_rate > 0 and state.roll() < faults.error_rate:
        return error_response(path, ApiError(500, "internal_error", "Internal server error"))
    return None


def _truncated(response: web.Response) -> web.Response:
    body = response.body or b"{}"
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-type", "content-length")}
    return web.Response(
        body=body[: max(1, len(body) // 2)], status=response.status, content_type="application/json", headers=headers
    )


def fault_middleware(state: SimState):
    @web.middleware
    async def middleware(request: web.Request, handler) -> web.StreamResponse:
        faults = state.config.faults
        scoped = faults.applies_to(request.method, request.path)
        if scoped and faults.take("drop_before_processing"):
            return _drop(request)
        refusal = _refusal(state, faults, request) if scoped else None
        response = refusal or await handler(request)
        if refusal is None and scoped and faults.take("drop_after_processing"):
            return _drop(request)
        delay = faults.latency_ms / 1000 if scoped else 0.0
        if refusal is None:
            delay += faults.slow_paths.get(request.path, 0.0)
        if delay > 0:
            await asyncio.sleep(delay)
        if scoped and response.content_type == "application/json" and faults.take("broken_json"):
            return _truncated(response)
        return response

    return middleware
