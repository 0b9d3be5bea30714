"""Connection-level protection against slow and malformed clients.

aiohttp's server waits forever for the headers of a connection's first request, and answers a request it
cannot parse with a plain-text page. ``GuardedRunner`` (an ``AppRunner``) swaps in a request handler that

- closes a connection whose request headers are not complete ``header_timeout`` seconds after its first
  byte (or after the connection opened), answering 408 in HeyGen's error envelope first;
- answers unparseable requests (a bad request line, broken headers or chunking) with a JSON 400 envelope.

Body reads are bounded separately, by the record middleware (``server.py``), with ``body_timeout``.
"""

from __future__ import annotations

import asyncio
import json

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from .wire import v3_error

HEADER_END = b"\r\n\r\n"


def _raw_answer(status: int, reason: str, code: str, message: str) -> bytes:
    body = json.dumps(v3_error(code, message)).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


class GuardedRequestHandler(RequestHandler):
    """A RequestHandler with a deadline on reading each request's headers."""

    header_timeout: float = 10.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._guard_tail = b""
        self._guard_timer: asyncio.TimerHandle | None = None
        self._guard_waiting = True  # waiting for the end of a request's headers
        self._guard_idle = False
        super().connection_made(transport)
        self._guard_arm()

    def _guard_arm(self) -> None:
        if self._guard_timer is None:
            self._guard_timer = asyncio.get_running_loop().call_later(self.header_timeout, self._guard_expired)

    def _guard_disarm(self) -> None:
        if self._guard_timer is not None:
            self._guard_timer.cancel()
            self._guard_timer = None

    def _guard_expired(self) -> None:
        self._guard_timer = None
        transport = self.transport
        if not self._guard_waiting or transport is None or transport.is_closing():
            return
        transport.write(
            _raw_answer(408, "Request Timeout", "request_timeout", "Request headers were not received in time")
        )
        transport.close()

    async def finish_response(self, request, resp, start_time):
        answered = await super().finish_response(request, resp, start_time)
        self._guard_idle = True  # the next bytes start a new request on this kept-alive connection
        return answered

    def data_received(self, data: bytes) -> None:
        if self._guard_idle:
            self._guard_idle = False
            self._guard_waiting = True
            self._guard_tail = b""
            self._guard_arm()
        if self._guard_waiting:
            seen = self._guard_tail + data
            if HEADER_END in seen:
                self._guard_waiting = False
                self._guard_disarm()
                self._guard_tail = b""
            else:
                self._guard_tail = seen[-3:]
        super().data_received(data)

    def connection_lost(self, exc: BaseException | None) -> None:
        self._guard_disarm()
        super().connection_lost(exc)

    def handle_error(self, request, status: int = 500, exc=None, message=None) -> web.StreamResponse:
        """Unparseable requests (400) and crashes outside the app (500), in HeyGen's envelope."""
        code = "invalid_parameter" if status < 500 else "internal_error"
        text = message or ("Malformed HTTP request" if status < 500 else "Internal server error")
        resp = web.Response(
            status=status, body=json.dumps(v3_error(code, text)).encode(), content_type="application/json"
        )
        resp.force_close()
        return resp


class GuardedRunner(web.AppRunner):
    """``web.AppRunner`` whose connections use ``GuardedRequestHandler`` with the given header timeout."""

    def __init__(self, app: web.Application, *, header_timeout: float, **kwargs):
        super().__init__(app, **kwargs)
        self._header_timeout = header_timeout

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        timeout = self._header_timeout

        class Handler(GuardedRequestHandler):
            header_timeout = timeout

        def make_handler() -> RequestHandler:
            return Handler(server, loop=server._loop, **server._kwargs)

        return _FactoryServer(server, make_handler)


class _FactoryServer:
    """The aiohttp ``Server`` with its protocol factory replaced; everything else is delegated."""

    def __init__(self, server: web.Server, factory):
        self._server = server
        self._factory = factory

    def __call__(self) -> RequestHandler:
        return self._factory()

    def __getattr__(self, name: str):
        return getattr(self._server, name)
