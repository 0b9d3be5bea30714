"""Endpoints as data: each action's routes in order of preference, and the one call path that serves them all.

A `Route` says the method, host and path template, whether it creates a job, and two adapters: the request
(our inputs -> path parameters, query and body) and the response (HeyGen's data -> our output). An action
lists its v3 route first and its legacy v1/v2 route second where one exists; `call_routes` tries them in the
order `HEYGEN_API_VERSION` prefers (`v3`, the default, or `legacy`). A route that turns out not to exist
(retired, or never served on this account) falls back to the other generation, once per process, and the
log says so. A request adapter that cannot express the inputs on its generation raises `NotExpressible`,
and the next route gets its turn; when none can, the user hears why and what to pass instead.

v3 creates carry an `Idempotency-Key`: one per logical request (the workflow's own `idempotency_key` when
given), the same on every resend, so HeyGen replays its first answer instead of creating a second job.
"""

import logging
import os
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from heygen_core.answers import RouteMissing
from heygen_core.errors import HeyGenError
from heygen_core.inputs import reject
from heygen_core.paths import fill, placeholders, v3

API_VERSION_VARIABLE = "HEYGEN_API_VERSION"
GENERATIONS = ("v3", "legacy")
logger = logging.getLogger("heygen")
_missing: set[tuple[str, str, str]] = set()
# The one table: every action's routes, as the handler modules declare them (docs/api-versions.md is made
# from it, and the tests check it against config.json).
ACTION_ROUTES: dict[str, tuple] = {}


class NotExpressible(Exception):
    """This route's generation cannot say what the inputs ask for (`field`: why, and what to pass instead)."""

    def __init__(self, field_path: str, reason: str):
        super().__init__(f"{field_path}: {reason}")
        self.field = field_path
        self.reason = reason


@dataclass(frozen=True)
class Request:
    params: dict = field(default_factory=dict)
    query: dict | None = None
    body: Any = None
    form: Callable[[], Any] | None = None  # multipart bodies are built anew for every attempt
    raw: bytes | None = None  # a raw body (the legacy upload host takes the file itself) ...
    content_type: str | None = None  # ... with this Content-Type


@dataclass(frozen=True)
class Route:
    generation: str
    method: str
    path: str
    host: str = "api"
    creates: bool = False
    request: Callable[[dict], Request] | None = None
    response: Callable[[Any, dict], Any] | None = None
    timeout: float | None = None
    gone_hint: str | None = None  # what to use instead when this (legacy) route no longer answers
    deduplicated: bool = False  # HeyGen dedups this create by a body field (request_id): safe to resend as it is

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.method, self.host, self.path)

    def describe(self) -> str:
        return f"{self.method} {self.path}"

    def build(self, inputs: dict) -> Request:
        if self.request is not None:
            return self.request(inputs)
        return Request(params={name: inputs[name] for name in placeholders(self.path) if name in inputs})


def on_v3(name: str, **options) -> Route:
    """A route to the v3 endpoint of that name in HeyGen's schema file (method and path come from there)."""
    endpoint = v3(name)
    return Route("v3", endpoint.method, endpoint.path, **options)


def on_legacy(method: str, path: str, **options) -> Route:
    return Route("legacy", method, path, **options)


def routes_for(action: str, *routes: Route) -> tuple:
    """Declares `action`'s routes, in order of preference, and returns them for its handler to call."""
    ACTION_ROUTES[action] = ACTION_ROUTES.get(action, ()) + routes
    return routes


def preferred_generation() -> str:
    wanted = os.environ.get(API_VERSION_VARIABLE, "").strip().lower()
    return "legacy" if wanted in ("legacy", "v2", "v1") else "v3"


def ordered(routes) -> list[Route]:
    first = preferred_generation()
    return sorted(routes, key=lambda route: (route.key in _missing, route.generation != first))


def new_idempotency_key(inputs: dict) -> str:
    return str(inputs.get("idempotency_key") or uuid.uuid4())


async def call_routes(api, routes, inputs: dict, *, idempotency_key: str | None = None, retry=None) -> Any:
    """Runs the first route that exists and can express the inputs; returns its response adapter's output."""
    key = idempotency_key or new_idempotency_key(inputs)
    refused: NotExpressible | None = None
    gone: RouteMissing | None = None
    for route in ordered(routes):
        try:
            request = route.build(inputs)
        except NotExpressible as reason:
            refused = refused or reason
            continue
        try:
            data = await send(api, route, request, key, retry)
        except RouteMissing as error:
            remember_missing(route, routes)
            gone = gone or _with_hint(error, route)
            continue
        return route.response(data, inputs) if route.response is not None else data
    if refused is not None:
        tail = " (and no other route of HeyGen's answers)" if gone is not None else ""
        raise reject(refused.field, refused.reason + tail)
    raise gone or HeyGenError("no route of HeyGen's API is left for this action")


async def send(api, route: Route, request: Request, key: str, retry=None) -> Any:
    path = fill(route.path, **request.params)
    return await api.call(
        route.method,
        path,
        host_name=route.host,
        params=request.query,
        json_body=request.body if request.form is None else None,
        raw_body=request.raw,
        content_type=request.content_type,
        form=request.form,
        timeout=route.timeout,
        idempotency_key=key if route.creates and route.generation == "v3" else None,
        retry=retry,
        safe_to_retry=True if route.deduplicated else None,
    )


def remember_missing(route: Route, routes) -> None:
    if route.key in _missing:
        return
    _missing.add(route.key)
    others = [r.describe() for r in routes if r.generation != route.generation]
    logger.warning(
        "HeyGen does not serve %s here; using %s from now on in this process",
        route.describe(),
        " or ".join(others) or "nothing else (no other route exists)",
    )


def _with_hint(error: RouteMissing, route: Route) -> RouteMissing:
    which = "v3" if route.generation == "v3" else "legacy v1/v2"
    error.message = f"HeyGen no longer serves {route.describe()} ({which}): {error.message}"
    error.hint = route.gone_hint or error.hint
    return error


def known_missing(routes) -> bool:
    """True when every one of `routes` was found not served in this process (so a caller takes its other way)."""
    return all(route.key in _missing for route in routes)


def forget_missing_routes() -> None:
    """For tests and long-lived servers whose HeyGen changed: learn the routes afresh."""
    _missing.clear()
