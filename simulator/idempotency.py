"""HeyGen's ``Idempotency-Key`` for v3 job-creating POSTs (heygen-v3.md §3), on the simulator's clock.

- The key must match ``^[A-Za-z0-9_\\-:.]{1,255}$`` (else 400 ``validation_error``, param ``Idempotency-Key``).
- Scope: the endpoint and its path parameters; the same key on another route or resource is independent.
- Within ``idempotency_ttl_seconds`` (24 h of the simulated clock) a resend gets the original answer
  replayed (status, body, headers, plus ``Idempotent-Replayed: true``) and no new job is made.
- While the first request is still being handled, a resend gets 409 ``request_in_progress``.
- STRICTER THAN HEYGEN, on purpose: HeyGen replays even when the body differs slightly (it logs a
  warning); the simulator answers 422 ``idempotency_key_reused`` for the same key with another body, so
  tests can prove the plugin never reuses a key for a different request. Bodies are compared as parsed
  JSON (key order does not matter) and multipart bodies without their random boundary.
- Only successful (2xx) answers are remembered: after an error the same key may be sent again.

Each fresh 2xx answer counts one job in ``SimState.jobs_created[endpoint name]``, so a test can assert
"one job" after retries.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from dataclasses import dataclass

from aiohttp import web

from .state import SimState
from .wire import ApiError

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_\-:.]{1,255}$")
HEADER = "Idempotency-Key"
KEPT_HEADERS = ("Content-Type", "Retry-After", "Location")


@dataclass
class Remembered:
    fingerprint: str
    created_at: float
    answer: tuple[int, dict[str, str], bytes] | None = None  # None while the first request is in flight


def _fingerprint(request: web.Request, raw: bytes) -> str:
    if request.content_type == "application/json":
        try:
            raw = json.dumps(json.loads(raw or b"null"), sort_keys=True).encode()
        except (ValueError, RecursionError):
            pass
    boundary = request.content_type.startswith("multipart/") and request.headers.get("Content-Type", "")
    if boundary and "boundary=" in boundary:
        raw = raw.replace(boundary.split("boundary=", 1)[1].strip('"').encode(), b"<boundary>")
    return hashlib.sha256(raw).hexdigest()


def _replay(answer: tuple[int, dict[str, str], bytes]) -> web.Response:
    status, headers, body = answer
    return web.Response(status=status, body=body, headers={**headers, "Idempotent-Replayed": "true"})


def idempotent(state: SimState, name: str, handler):
    """``handler`` (a request -> response coroutine) behind HeyGen's Idempotency-Key rules."""

    async def handle(request: web.Request) -> web.StreamResponse:
        key = request.headers.get(HEADER)
        if key is None:
            return await _fresh(request, None)
        if not KEY_PATTERN.match(key):
            raise ApiError(
                400,
                "validation_error",
                f"{HEADER} must be 1-255 characters of letters, digits, '_', '-', ':' or '.'",
                param=HEADER,
            )
        scope = (name, tuple(sorted(request.match_info.items())), key)
        fingerprint = _fingerprint(request, await request.read())
        now = state.now()
        remembered = state.idempotency.get(scope)
        if remembered is not None and now - remembered.created_at >= state.config.idempotency_ttl_seconds:
            remembered = None
        if remembered is not None:
            if remembered.fingerprint != fingerprint:
                raise ApiError(
                    422,
                    "idempotency_key_reused",
                    f"This {HEADER} was already used with a different request body; use a new key for a new request",
                    param=HEADER,
                )
            if remembered.answer is None:
                raise ApiError(
                    409,
                    "request_in_progress",
                    f"A request with this {HEADER} is still being processed; retry shortly",
                    headers={"Retry-After": "1"},
                )
            return _replay(remembered.answer)
        entry = state.idempotency[scope] = Remembered(fingerprint, now)
        try:
            response = await _fresh(request, entry)
        except BaseException:
            state.idempotency.pop(scope, None)
            raise
        if isinstance(response, web.Response) and 200 <= response.status < 300:
            headers = {k: response.headers[k] for k in KEPT_HEADERS if k in response.headers}
            entry.answer = (response.status, headers, response.body or b"")
        else:
            state.idempotency.pop(scope, None)
        return response

    async def _fresh(request: web.Request, entry: Remembered | None) -> web.StreamResponse:
        response = await handler(request)
        if 200 <= response.status < 300:
            state.jobs_created[name] += 1
        hold = state.config.faults.hold_in_flight.get(request.path, 0.0)
        if hold > 0:
            await asyncio.sleep(hold)
        return response

    return handle
