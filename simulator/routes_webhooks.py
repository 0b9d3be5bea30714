"""Webhook routes (heygen-api.md §10), all v1 envelopes, plus the account profile that the plugin's
connected-account handler reads (``GET /v1/user/me``; its v3 form is in v3_account.py).

    GET    /v1/webhook/webhook.list       the event names, a bare list as HeyGen answers it
    POST   /v1/webhook/endpoint.add       {url*, events} -> the endpoint with its generated ``secret``
    GET    /v1/webhook/endpoint.list      every endpoint, secrets included (as HeyGen's list does)
    PATCH  /v1/webhook/endpoint.update    {endpoint_id*, url, events} -> the updated endpoint
    DELETE /v1/webhook/endpoint.delete    ?endpoint_id= -> data null

An unknown endpoint id is 404 ``{"code": 400131, "message": "Webhook endpoint not found"}``. Leaving
``events`` out stores null (HeyGen then sends every event).

Nothing is ever delivered: HeyGen's OPTIONS check of a new URL and its signed POSTs would be outbound
HTTP, which the simulator never makes. ``deliveries(state, video_id)`` instead returns the signed body
HeyGen would post for a finished video to each subscribed endpoint, for tests of signature checking.

Choices where HeyGen's behaviour is not documented: ``created_at`` is an ISO 8601 UTC string; a URL
must start with http:// or https://; the same URL may be registered twice; an update with neither
``url`` nor ``events`` is a 400.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import weakref
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial

from aiohttp import web

from . import validation as v
from .state import SimState
from .wire import ApiError, invalid, ok, query_param, read_json

EVENT_TYPES = [
    "avatar_video.success",
    "avatar_video.fail",
    "avatar_video_gif.success",
    "avatar_video_gif.fail",
    "avatar_video_caption.success",
    "avatar_video_caption.fail",
    "video_translate.success",
    "video_translate.fail",
    "photo_avatar_generation.success",
    "photo_avatar_generation.fail",
    "photo_avatar_train.success",
    "photo_avatar_train.fail",
    "photo_avatar_add_motion.success",
    "photo_avatar_add_motion.fail",
    "instant_avatar.success",
    "instant_avatar.fail",
    "personalized_video",
]
ENDPOINT_NOT_FOUND = 400131
SPACE_ID = "sim-space"


@dataclass
class Endpoint:
    endpoint_id: str
    url: str
    events: list[str] | None
    secret: str
    created_at: str
    status: str = "enabled"

    def wants(self, event_type: str) -> bool:
        return self.events is None or event_type in self.events


class WebhookRegistry:
    """The account's webhook endpoints."""

    def __init__(self, state: SimState):
        self.state = state
        self.endpoints: dict[str, Endpoint] = {}

    def username(self) -> str:
        return hashlib.md5(f"sim-user-{self.state.config.seed}".encode()).hexdigest()

    def endpoint(self, endpoint_id: str) -> Endpoint:
        found = self.endpoints.get(endpoint_id)
        if found is None:
            raise ApiError(404, ENDPOINT_NOT_FOUND, "Webhook endpoint not found")
        return found

    def answer(self, endpoint: Endpoint) -> dict:
        return {
            "endpoint_id": endpoint.endpoint_id,
            "username": self.username(),
            "url": endpoint.url,
            "status": endpoint.status,
            "events": endpoint.events,
            "secret": endpoint.secret,
            "created_at": endpoint.created_at,
            "space_id": SPACE_ID,
        }


_registries: weakref.WeakKeyDictionary[SimState, WebhookRegistry] = weakref.WeakKeyDictionary()


def registry_of(state: SimState) -> WebhookRegistry:
    """The simulator's one registry: route handlers and tests (via ``deliveries``) share it."""
    if state not in _registries:
        _registries[state] = WebhookRegistry(state)
    return _registries[state]


def _url(body: dict, required: bool) -> str | None:
    url = v.text(body, "url", "", required=required, max_len=2048)
    if url is not None and not url.startswith(("http://", "https://")):
        raise invalid("url: URL scheme should be 'http' or 'https'")
    return url


def _events(body: dict) -> list[str] | None:
    raw = body.get("events")
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw:
        raise invalid("events: Input should be a non-empty list")
    for index, name in enumerate(raw):
        if name not in EVENT_TYPES:
            raise invalid(f"events.{index}: Input should be one of the event types of webhook.list, not {name!r}")
    return list(dict.fromkeys(raw))


async def list_event_types(state: SimState, request: web.Request) -> web.Response:
    return ok(request, list(EVENT_TYPES))


async def add_endpoint(state: SimState, request: web.Request) -> web.Response:
    body = await read_json(request)
    registry = registry_of(state)
    created = datetime.fromtimestamp(state.now(), tz=timezone.utc).isoformat(timespec="seconds")
    endpoint = Endpoint(state.new_id(), _url(body, True), _events(body), state.new_id(), created.replace("+00:00", "Z"))
    registry.endpoints[endpoint.endpoint_id] = endpoint
    return ok(request, registry.answer(endpoint))


async def list_endpoints(state: SimState, request: web.Request) -> web.Response:
    registry = registry_of(state)
    return ok(request, [registry.answer(endpoint) for endpoint in registry.endpoints.values()])


async def update_endpoint(state: SimState, request: web.Request) -> web.Response:
    body = await read_json(request)
    registry = registry_of(state)
    endpoint = registry.endpoint(v.text(body, "endpoint_id", ""))
    url, events = _url(body, False), _events(body)
    if url is None and events is None:
        raise invalid("either url or events needs to be provided")
    endpoint.url = url or endpoint.url
    endpoint.events = events if events is not None else endpoint.events
    return ok(request, registry.answer(endpoint))


async def delete_endpoint(state: SimState, request: web.Request) -> web.Response:
    registry = registry_of(state)
    endpoint = registry.endpoint(query_param(request, "endpoint_id"))
    del registry.endpoints[endpoint.endpoint_id]
    return ok(request, None)


def profile(state: SimState) -> dict:
    return {
        "username": registry_of(state).username(),
        "email": "sim.user@example.com",
        "first_name": "Sim",
        "last_name": "User",
    }


async def current_user_v1(state: SimState, request: web.Request) -> web.Response:
    return ok(request, profile(state))


def deliveries(state: SimState, video_id: str) -> list[tuple[str, str, str]]:
    """(endpoint_id, raw body, Signature header) that HeyGen would post for a finished video, per subscribed
    endpoint; empty while the video is still running. Nothing is sent."""
    video = state.video(video_id)
    status = video.job.status(state.now())
    if status not in ("completed", "failed"):
        return []
    if status == "completed":
        event_type = "avatar_video.success"
        data = {"video_id": video.id, "url": state.signed_url(f"videos/{video.id}.{video.ext}")}
    else:
        event_type = "avatar_video.fail"
        data = {"video_id": video.id, "msg": (video.error or {}).get("message")}
    body = json.dumps({"event_type": event_type, "event_data": {**data, "callback_id": video.callback_id}})
    return [
        (endpoint.endpoint_id, body, hmac.new(endpoint.secret.encode(), body.encode(), hashlib.sha256).hexdigest())
        for endpoint in registry_of(state).endpoints.values()
        if endpoint.wants(event_type)
    ]


def register(router: web.UrlDispatcher, state: SimState) -> None:
    registry_of(state)
    router.add_get("/v1/webhook/webhook.list", partial(list_event_types, state))
    router.add_post("/v1/webhook/endpoint.add", partial(add_endpoint, state))
    router.add_get("/v1/webhook/endpoint.list", partial(list_endpoints, state))
    router.add_patch("/v1/webhook/endpoint.update", partial(update_endpoint, state))
    router.add_delete("/v1/webhook/endpoint.delete", partial(delete_endpoint, state))
    router.add_get("/v1/user/me", partial(current_user_v1, state))
