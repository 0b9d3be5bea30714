"""v3 webhooks (heygen-v3.md §7.6): endpoints (shared with v1's registry, so either generation sees
them), event types, secret rotation and the events HeyGen sent.

The ``secret`` is shown only when an endpoint is created or its secret rotated (list and get hide it);
rotation invalidates the old secret at once. URLs must be https (http only for loopback hosts, so tests
can register local receivers). Events are derived from the account's finished videos on the simulator's
clock (``avatar_video.success`` / ``.fail``, created at the video's finish), like the deliveries
``routes_webhooks.deliveries`` computes, and one ``batch.finished`` per v3 video batch once its every item has
ended (its callback_url's one call): nothing is ever sent anywhere.
"""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlparse

from aiohttp import web

from .routes_webhooks import EVENT_TYPES, Endpoint, registry_of
from .state import SimState
from .v3_common import body_of, invalid, listed, not_found, ok, path_id, query_choice, query_text, route
from .v3_store import store

V3_EVENT_TYPES = [*EVENT_TYPES, "video_agent.success", "video_agent.fail", "batch.finished"]
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _answer(endpoint: Endpoint, with_secret: bool) -> dict:
    return {"endpoint_id": endpoint.endpoint_id, "url": endpoint.url, "events": endpoint.events,
            "status": endpoint.status, "created_at": endpoint.created_at,
            "secret": endpoint.secret if with_secret else None}  # fmt: skip


def _url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme != "https" and not (parsed.scheme == "http" and parsed.hostname in LOOPBACK):
        raise invalid("url", "must be an https URL")
    if not parsed.hostname:
        raise invalid("url", "must name a host")
    return url


def _events(events: list | None) -> list[str] | None:
    if events is None:
        return None
    for i, name in enumerate(events):
        if name not in V3_EVENT_TYPES:
            raise invalid(f"events[{i}]", f"unknown event type {name!r}; see GET webhook event types")
    return list(dict.fromkeys(events))


def _endpoint(state: SimState, request: web.Request) -> Endpoint:
    endpoint_id = path_id(request, "endpoint_id")
    found = registry_of(state).endpoints.get(endpoint_id)
    if found is None:
        raise not_found("not_found", "Webhook endpoint", endpoint_id)
    return found


async def list_(state: SimState, request: web.Request) -> web.Response:
    endpoints = list(registry_of(state).endpoints.values())
    return listed(request, "WebhookEndpointsList", endpoints, lambda e: _answer(e, False))


async def create(state: SimState, request: web.Request) -> web.Response:
    body = await body_of(request, "WebhookEndpointsCreate")
    endpoint = Endpoint(state.new_id(), _url(body["url"]), _events(body.get("events")), f"whsec_{state.new_id()}",
                        _iso(state.now()))  # fmt: skip
    registry_of(state).endpoints[endpoint.endpoint_id] = endpoint
    return ok(_answer(endpoint, True))


async def update(state: SimState, request: web.Request) -> web.Response:
    endpoint = _endpoint(state, request)
    body = await body_of(request, "WebhookEndpointsUpdate")
    if "url" not in body and "events" not in body:  # events: null is a change (to every event)
        raise invalid("url", "give url or events to change")
    if body.get("url") is not None:
        endpoint.url = _url(body["url"])
    if "events" in body:
        endpoint.events = _events(body["events"])
    return ok(_answer(endpoint, False))


async def delete(state: SimState, request: web.Request) -> web.Response:
    endpoint = _endpoint(state, request)
    del registry_of(state).endpoints[endpoint.endpoint_id]
    return ok({}, error=None)


async def rotate(state: SimState, request: web.Request) -> web.Response:
    endpoint = _endpoint(state, request)
    endpoint.secret = f"whsec_{state.new_id()}"
    return ok({"endpoint_id": endpoint.endpoint_id, "secret": endpoint.secret})


async def event_types(state: SimState, request: web.Request) -> web.Response:
    described = [{"event_type": name, "description": f"Sent when {name.replace('_', ' ').replace('.', ': ')}"}
                 for name in V3_EVENT_TYPES]  # fmt: skip
    return ok(described, has_more=False, next_token=None)


def sent_events(state: SimState) -> list[dict]:
    """The events HeyGen would have sent so far, newest first."""
    now = state.now()
    finished = [v for v in state.videos.values() if v.job.status(now) in ("completed", "failed")]
    events = []
    for video in sorted(finished, key=lambda v: -v.job.finished_at):
        succeeded = video.job.status(now) == "completed"
        data = {"video_id": video.id, "callback_id": video.callback_id}
        if succeeded:
            data["url"] = state.media_url(f"videos/{video.id}.{video.ext}")
        else:
            data["msg"] = (video.error or {}).get("message")
        event_type = "avatar_video.success" if succeeded else "avatar_video.fail"
        events.append({"event_id": f"evt_{video.id}", "event_type": event_type, "event_data": data,
                       "created_at": _iso(video.job.finished_at)})  # fmt: skip
    events.extend(finished_batches(state))
    return sorted(events, key=lambda event: event["created_at"], reverse=True)


def finished_batches(state: SimState) -> list[dict]:
    """``batch.finished`` for each v3 video batch whose items have all completed or failed."""
    now, events = state.now(), []
    for batch in store(state).video_batches.values():
        videos = [state.videos.get(video_id) if video_id else None for video_id, _error in batch.items]
        made = [video for video in videos if video is not None]
        if any(video.job.status(now) not in ("completed", "failed") for video in made):
            continue
        failed = sum(1 for video in videos if video is None or video.job.status(now) == "failed")
        finished = max([video.job.finished_at for video in made], default=batch.created_at)
        data = {"batch_id": batch.id, "total_items": len(batch.items), "failed": failed}
        events.append({"event_id": f"evt_batch_{batch.id}", "event_type": "batch.finished", "event_data": data,
                       "created_at": _iso(finished)})  # fmt: skip
    return events


async def events(state: SimState, request: web.Request) -> web.Response:
    wanted = query_choice(request, "event_type", V3_EVENT_TYPES)
    entity = query_text(request, "entity_id")
    chosen = [e for e in sent_events(state) if (wanted is None or e["event_type"] == wanted)
              and (entity is None or entity in (e["event_data"].get(k) for k in ("video_id", "batch_id")))]  # fmt: skip
    return listed(request, "WebhookEventsList", chosen)


def register(router: web.UrlDispatcher, state: SimState) -> None:
    route(router, state, "WebhookEndpointsList", list_)
    route(router, state, "WebhookEndpointsCreate", create, job=True)
    route(router, state, "WebhookEndpointsUpdate", update)
    route(router, state, "WebhookEndpointsDelete", delete)
    route(router, state, "WebhookEndpointsRotateSecret", rotate, job=True)
    route(router, state, "WebhookEventTypesList", event_types)
    route(router, state, "WebhookEventsList", events)
