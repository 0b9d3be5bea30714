"""A local HeyGen-compatible server on aiohttp.web, for tests, the CLI and the demo.

One server plays both HeyGen hosts (api.heygen.com and upload.heygen.com): point
HEYGEN_API_URL and HEYGEN_UPLOAD_URL at ``Simulator.url``.

Request path, outermost first:
    guard    (connection level, guard.py) request headers must arrive within header_timeout_seconds;
             unparseable HTTP gets a JSON 400
    record   every request is appended to ``Simulator.requests`` before anything else happens; its body
             is read here within body_timeout_seconds (408) and client_max_size (413), and every v3
             answer gets an ``X-Request-Id``
    legacy   config.legacy: v1/v2 served, deprecated (headers + body warning) or retired (404) (legacy.py)
    faults   config.Faults: refusals, drops, latency, slow paths, broken JSON (faults.py)
    errors   ApiError / aiohttp errors -> HeyGen's envelope for the path family (wire.py)
    auth     X-Api-Key or Authorization: Bearer; /media/ files are public
    route    the handler

Adding an area (extension point): write ``simulator/routes_<area>.py`` with

    def register(router: web.UrlDispatcher, state: SimState) -> None:
        router.add_post("/v2/template/{template_id}/generate", partial(generate, state))

where handlers are ``async def handler(state, request)``, answer with ``wire.ok(request, data)``,
raise ``wire.ApiError`` (or ``wire.invalid``) for errors, read bodies with ``wire.read_json`` and
check fields with ``validation``. Shared account data lives on ``SimState`` (state.py); create
videos with ``routes_videos.submit_video`` and time-based jobs with ``state.start_job``. Then add
the module to ``ROUTE_MODULES`` below. v3 modules (``v3_*.py``) register through
``v3_common.route(router, state, "VideoGet", handler)``: the method and path come from HeyGen's schema
file (heygen_core.paths), never from a literal.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError

from heygen_core.paths import v3

from . import routes_assets, routes_discovery, routes_media, routes_photo_avatars, routes_streaming, routes_videos
from . import routes_webhooks
from . import routes_templates, routes_translation
from . import v3_account, v3_assets, v3_avatars, v3_templates, v3_translations, v3_videos, v3_voices, v3_webhooks
from . import v3_batches, v3_editing, v3_jobs, v3_library
from .config import SimulatorConfig
from .faults import fault_middleware
from .guard import GuardedRunner
from .legacy import legacy_middleware
from .state import SimState
from .v3_assets import UPLOAD_PREFIX
from .wire import ApiError, BadJson, error_response, family, parse_json

log = logging.getLogger("simulator")

ROUTE_MODULES = (
    routes_discovery,
    routes_videos,
    routes_photo_avatars,
    routes_assets,
    routes_media,
    routes_streaming,
    routes_webhooks,
    routes_templates,
    routes_translation,
    v3_account,
    v3_videos,
    v3_avatars,
    v3_voices,
    v3_assets,
    v3_templates,
    v3_webhooks,
    v3_translations,
    v3_jobs,
    v3_library,
    v3_batches,
    v3_editing,
)
PUBLIC_PREFIXES = ("/media/", UPLOAD_PREFIX)  # CDN files and presigned upload URLs need no API key
EXPIRED_TOKEN, INVALID_TOKEN = "expired-token", "invalid-token"
UPLOAD_HEADROOM = 1024 * 1024


@dataclass
class RecordedRequest:
    """One request as the simulated HeyGen received it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    body_size: int
    time: float

    def header(self, name: str) -> str | None:
        """Case-insensitive header lookup."""
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


def credential_of(request: web.Request) -> str:
    key = request.headers.get("X-Api-Key", "").strip()
    if key:
        return key
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def _read_body(state: SimState, request: web.Request) -> tuple[bytes, ApiError | None]:
    """The whole body, or why it cannot be had: too large (413), too slow (408), or undecodable (400)."""
    v3 = family(request.path) == "v3"
    try:
        async with asyncio.timeout(state.config.body_timeout_seconds):
            return await request.read(), None
    except web.HTTPRequestEntityTooLarge:
        code = "payload_too_large" if v3 else 400175
        return b"", ApiError(413, code, "Request body too large")
    except TimeoutError:
        return b"", ApiError(408, "request_timeout", "The request body was not received in time")
    except (HttpProcessingError, RequestPayloadError, ValueError, web.HTTPException) as exc:  # bad gzip, chunking
        reason = getattr(exc, "message", "") or str(exc) or type(exc).__name__
        return b"", ApiError(400, "invalid_parameter", f"Unreadable request body: {reason}")


def record_middleware(state: SimState, recorded: list[RecordedRequest]):
    @web.middleware
    async def middleware(request: web.Request, handler) -> web.StreamResponse:
        streamed = request.path.startswith(UPLOAD_PREFIX)  # direct uploads are read by their handler, in chunks
        body, refusal = (b"", None) if streamed else await _read_body(state, request)
        parsed = None
        if body and request.content_type == "application/json":
            with contextlib.suppress(BadJson):
                parsed = parse_json(body)
        size = (request.content_length or 0) if refusal or streamed else len(body)
        recorded.append(
            RecordedRequest(
                request.method, request.path, dict(request.query), dict(request.headers), parsed, size, state.now()
            )
        )
        if refusal is not None:  # the rest of the body is unread: answer and close the connection
            response = error_response(request.path, refusal)
            response.force_close()
        else:
            response = await handler(request)
        if family(request.path) == "v3":
            response.headers.setdefault("X-Request-Id", f"req_{uuid.uuid4().hex}")
        return response

    return middleware


@web.middleware
async def error_middleware(request: web.Request, handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as err:
        return error_response(request.path, err)
    except web.HTTPException as exc:  # routing misses (404/405) and aiohttp's own refusals
        headers = {k: v for k, v in exc.headers.items() if k.lower() == "allow"}
        code = exc.reason.lower().replace(" ", "_")
        if exc.status in (404, 405):  # no such route: a code the plugin reads as "route missing", not "id unknown"
            code = "endpoint_not_found"
        return error_response(request.path, ApiError(exc.status, code, exc.reason, headers=headers))
    except Exception:
        log.exception("simulator handler crashed on %s %s", request.method, request.path)
        return error_response(request.path, ApiError(500, "internal_error", "Internal server error"))


def auth_middleware(state: SimState):
    @web.middleware
    async def middleware(request: web.Request, handler) -> web.StreamResponse:
        if request.path.startswith(PUBLIC_PREFIXES):
            return await handler(request)
        credential = credential_of(request)
        v3 = family(request.path) == "v3"  # v3 names its codes; v1/v2 number them
        if credential == EXPIRED_TOKEN:
            raise ApiError(401, "unauthorized" if v3 else 401056, "Access token expired")
        if credential == INVALID_TOKEN:
            raise ApiError(401, "unauthorized" if v3 else 401057, "Invalid access token")
        accepted = state.config.api_keys
        if not credential or (accepted is not None and credential not in accepted):
            raise ApiError(401, "unauthorized" if v3 else 400112, "Unauthorized")
        return await handler(request)

    return middleware


def build_app(state: SimState, requests: list[RecordedRequest]) -> web.Application:
    c = state.config
    app = web.Application(
        middlewares=[
            record_middleware(state, requests),
            legacy_middleware(state),
            fault_middleware(state),
            error_middleware,
            auth_middleware(state),
        ],
        client_max_size=max(c.max_image_bytes, c.max_video_bytes, c.max_audio_bytes) + UPLOAD_HEADROOM,
    )
    for module in ROUTE_MODULES:
        module.register(app.router, state)
    return app


class Simulator:
    """``async with Simulator(SimulatorConfig(time_scale=0.05)) as sim: ... sim.url ...``"""

    def __init__(self, config: SimulatorConfig | None = None):
        self.config = config or SimulatorConfig()
        self.state = SimState(self.config)
        self.requests: list[RecordedRequest] = []
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> Simulator:
        self._runner = GuardedRunner(
            build_app(self.state, self.requests),
            header_timeout=self.config.header_timeout_seconds,
            access_log=None,
            # after an early answer (413, 408) aiohttp drains the unread body for up to this long: keep it short
            lingering_time=min(1.0, self.config.body_timeout_seconds),
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.config.host, self.config.port)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        self.state.bind(self.url)
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Simulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def count(self, method: str, path: str) -> int:
        """How many such requests arrived, including those that were answered with a fault."""
        return sum(1 for r in self.requests if r.method == method.upper() and r.path == path)

    def count_v3(self, endpoint_name: str, **path_params: str) -> int:
        """How many requests reached a v3 endpoint (by schema-file name); ``path_params`` narrow it to one
        resource (``sim.count_v3("VideoGet", video_id=vid)``), otherwise any value of each placeholder counts."""
        return len(self.requests_to(endpoint_name, **path_params))

    def requests_to(self, endpoint_name: str, **path_params: str) -> list[RecordedRequest]:
        """The recorded requests to a v3 endpoint (see ``count_v3``), e.g. to check their bodies with
        ``simulator.openapi.request_errors``."""
        endpoint = v3(endpoint_name)
        pattern = re.compile(
            "^"
            + re.sub(
                r"\\\{([a-z_]+)\\\}",
                lambda m: re.escape(str(path_params[m.group(1)])) if m.group(1) in path_params else "[^/]+",
                re.escape(endpoint.path),
            )
            + "$"
        )
        return [r for r in self.requests if r.method == endpoint.method and pattern.match(r.path)]

    @property
    def answer_problems(self) -> list[str]:
        """v3 answers that broke their response schema (collected only with ``config.check_answers``)."""
        return self.state.answer_problems

    def jobs_created(self, endpoint_name: str) -> int:
        """How many jobs a v3 endpoint (by its schema-file name, e.g. "VideoCreate") really created;
        idempotent replays and refused requests do not count."""
        return self.state.jobs_created[endpoint_name]

    def advance(self, seconds: float) -> None:
        """Move the simulated clock forward: every job behaves as if ``seconds`` had passed."""
        self.state.clock_offset += seconds

    @classmethod
    @contextlib.contextmanager
    def running_in_thread(cls, config: SimulatorConfig | None = None, timeout: float = 10.0) -> Iterator[Simulator]:
        """For synchronous callers: the server runs on its own event loop in a daemon thread."""
        sim = cls(config)
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(sim.start())
            except BaseException as exc:  # surfaced to the caller below
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(sim.stop())
            loop.close()

        thread = threading.Thread(target=run, name="heygen-simulator", daemon=True)
        thread.start()
        if not ready.wait(timeout):
            raise TimeoutError("the simulator did not start in time")
        if failure:
            raise failure[0]
        try:
            yield sim
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout)
