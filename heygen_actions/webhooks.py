"""Webhooks: HeyGen's event types, endpoint management (v3 first, v1 second), and checking delivery signatures."""

import hashlib
import hmac
import json
import time

from autohive_integrations_sdk import ActionHandler, ActionResult

from heygen_core.action import HeyGenAction, created_id
from heygen_core.app import integration
from heygen_core.inputs import reject
from heygen_core.routes import Request, call_routes, on_legacy, on_v3, routes_for
from heygen_core.shapes import as_dict, body_of, list_of, pick
from heygen_actions.whole_lists import cursor_of, legacy_whole_list, v3_page_query, walk_pages

ENDPOINT_FIELDS = ("endpoint_id", "url", "status", "events", "created_at")
EVENT_LIST_KEYS = ("event_types", "events", "webhook_events")
EVENTS_PAGE_SIZE = 100
# How far a v3 delivery's timestamp may be from now (either way) before it counts as a replay; HeyGen's
# documentation of this window is unconfirmed (heygen-v3.md §7.6): independent v3 clients use about 5 minutes.
DEFAULT_TOLERANCE_SECONDS = 300


def endpoint_output(data, sent: dict | None = None) -> dict:
    """An endpoint as users see it: never its secret (only add_webhook_endpoint returns that, once)."""
    output = pick(data, ENDPOINT_FIELDS)
    for field, value in (sent or {}).items():  # what we just set is true even when HeyGen's answer omits it
        if output.get(field) is None:
            output[field] = value
    if output["endpoint_id"] is not None:
        output["endpoint_id"] = str(output["endpoint_id"])
    return output


def event_names(data) -> list[str]:
    """HeyGen answers a bare list of names; an object holding the list is read too."""
    holder = as_dict(data)
    names = data if isinstance(data, list) else next((holder[key] for key in EVENT_LIST_KEYS if key in holder), [])
    return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []


def v3_event_names(data, inputs) -> tuple[list[str], str | None]:
    """v3 lists [{event_type, description}]; the names are what this action has always returned."""
    names = [item.get("event_type") for item in list_of(data, "event_types")]
    return [name for name in names if isinstance(name, str)], cursor_of(data)


def endpoint_list(data, inputs) -> tuple[list[dict], str | None]:
    return [endpoint_output(item) for item in list_of(data, "endpoints")], cursor_of(data)


def changes_of(inputs: dict) -> dict:
    changes = body_of(inputs, ("url", "events"))
    if not changes:
        raise reject("url", "give url or events (or both): there is nothing to update")
    return changes


def new_endpoint(inputs: dict) -> Request:
    return Request(body=body_of(inputs, ("url", "events")))


def created_endpoint(data, inputs) -> dict:
    """add_webhook_endpoint's output: the endpoint, and its signing secret (shown only on creation)."""
    body = body_of(inputs, ("url", "events"))
    endpoint_id = created_id(data, "endpoint_id")
    return {**endpoint_output(data, body), "endpoint_id": endpoint_id, "secret": as_dict(data).get("secret")}


def updated_endpoint(data, inputs) -> dict:
    return endpoint_output(data, {"endpoint_id": inputs["endpoint_id"], **changes_of(inputs)})


EVENT_TYPE_ROUTES = routes_for(
    "list_webhook_event_types",
    on_v3("WebhookEventTypesList", request=v3_page_query, response=v3_event_names),
    on_legacy(
        "GET",
        "/v1/webhook/webhook.list",
        request=legacy_whole_list,
        response=lambda data, inputs: (event_names(data), None),
    ),
)
LIST_ROUTES = routes_for(
    "list_webhook_endpoints",
    on_v3("WebhookEndpointsList", request=v3_page_query, response=endpoint_list),
    on_legacy("GET", "/v1/webhook/endpoint.list", request=legacy_whole_list, response=endpoint_list),
)
# Registering an endpoint is not a job and HeyGen documents no Idempotency-Key for it: never resent blindly.
ADD_ROUTES = routes_for(
    "add_webhook_endpoint",
    on_v3(
        "WebhookEndpointsCreate",
        request=new_endpoint,
        response=created_endpoint,
    ),
    on_legacy(
        "POST",
        "/v1/webhook/endpoint.add",
        request=new_endpoint,
        response=created_endpoint,
    ),
)
UPDATE_ROUTES = routes_for(
    "update_webhook_endpoint",
    on_v3(
        "WebhookEndpointsUpdate",
        request=lambda inputs: Request(params={"endpoint_id": inputs["endpoint_id"]}, body=changes_of(inputs)),
        response=updated_endpoint,
    ),
    on_legacy(
        "PATCH",
        "/v1/webhook/endpoint.update",
        request=lambda inputs: Request(body={"endpoint_id": inputs["endpoint_id"], **changes_of(inputs)}),
        response=updated_endpoint,
    ),
)
ROTATE_ROUTES = routes_for(
    "rotate_webhook_secret",
    on_v3(
        "WebhookEndpointsRotateSecret",
        creates=True,  # HeyGen documents Idempotency-Key here: a resend replays the one new secret
        response=lambda data, inputs: {
            "endpoint_id": str(as_dict(data).get("endpoint_id") or inputs["endpoint_id"]),
            "secret": created_id(data, "secret"),
        },
    ),
)
EVENT_FIELDS = ("event_id", "event_type", "event_data", "created_at")
EVENTS_ROUTES = routes_for(
    "list_webhook_events",
    on_v3(
        "WebhookEventsList",
        request=lambda inputs: Request(
            query={
                "limit": inputs.get("limit") or EVENTS_PAGE_SIZE,
                "token": inputs.get("page_token"),
                **body_of(inputs, ("event_type", "entity_id")),
            }
        ),
        response=lambda data, inputs: ([pick(item, EVENT_FIELDS) for item in list_of(data, "events")], cursor_of(data)),
    ),
)
DELETE_ROUTES = routes_for(
    "delete_webhook_endpoint",
    on_v3("WebhookEndpointsDelete"),
    on_legacy(
        "DELETE",
        "/v1/webhook/endpoint.delete",
        request=lambda inputs: Request(query={"endpoint_id": inputs["endpoint_id"]}),
    ),
)


@integration.action("list_webhook_event_types")
class ListWebhookEventTypes(HeyGenAction):
    async def run(self, api, inputs):
        names, _ = await walk_pages(api, EVENT_TYPE_ROUTES, {})
        return {"event_types": names, "total": len(names)}


@integration.action("add_webhook_endpoint")
class AddWebhookEndpoint(HeyGenAction):
    async def run(self, api, inputs):
        return await call_routes(api, ADD_ROUTES, inputs)


@integration.action("list_webhook_endpoints")
class ListWebhookEndpoints(HeyGenAction):
    async def run(self, api, inputs):
        endpoints, _ = await walk_pages(api, LIST_ROUTES, {})
        return {"endpoints": endpoints, "total": len(endpoints)}


@integration.action("update_webhook_endpoint")
class UpdateWebhookEndpoint(HeyGenAction):
    async def run(self, api, inputs):
        changes_of(inputs)  # refused before anything is sent
        return await call_routes(api, UPDATE_ROUTES, inputs)


@integration.action("rotate_webhook_secret")
class RotateWebhookSecret(HeyGenAction):
    async def run(self, api, inputs):
        return await call_routes(api, ROTATE_ROUTES, inputs)


@integration.action("list_webhook_events")
class ListWebhookEvents(HeyGenAction):
    """One page of what HeyGen sent, newest first as HeyGen lists them, to replay missed deliveries."""

    async def run(self, api, inputs):
        events, token = await call_routes(api, EVENTS_ROUTES, inputs)
        return {"events": events, "total": len(events), "next_page_token": token}


@integration.action("delete_webhook_endpoint")
class DeleteWebhookEndpoint(HeyGenAction):
    async def run(self, api, inputs):
        await call_routes(api, DELETE_ROUTES, inputs)
        return {"endpoint_id": inputs["endpoint_id"], "deleted": True}


def signature_problem(payload: str, signature: str | None, secret: str) -> str | None:
    """None when `signature` is the hex HMAC-SHA256 of the raw payload keyed with the secret, else why not."""
    given = (signature or "").strip().lower()
    if not given:
        return "missing signature"
    key, body = secret.encode("utf-8", "surrogatepass"), payload.encode("utf-8", "surrogatepass")
    expected = hmac.new(key, body, hashlib.sha256).hexdigest()
    # Constant time, so response timing tells an attacker nothing about how much of a forged signature was right.
    if not hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8", "surrogatepass")):
        return "signature mismatch"
    return None


def timestamp_problem(timestamp, tolerance: float, now: float) -> str | None:
    """None when the delivery's timestamp (unix seconds, as the header gives it) is within `tolerance` of now."""
    text = str(timestamp).strip()
    if not text.isascii() or not text.isdigit():
        return "timestamp not unix seconds"
    if abs(now - int(text)) > tolerance:
        return "timestamp outside tolerance"
    return None


def verdict(payload: str, signature: str | None, secret: str, timestamp=None, tolerance=None, now=None) -> dict:
    invalid = {"valid": False, "event_type": None, "event_data": None}
    problem = signature_problem(payload, signature, secret)
    if problem is None and timestamp is not None:
        window = DEFAULT_TOLERANCE_SECONDS if tolerance is None else tolerance
        problem = timestamp_problem(timestamp, window, time.time() if now is None else now)
    if problem:
        return {**invalid, "reason": problem}
    try:
        event = json.loads(payload)
    except ValueError:
        return {**invalid, "reason": "payload not JSON"}
    if not isinstance(event, dict):
        return {**invalid, "reason": "payload not a JSON object"}
    event_type, event_data = event.get("event_type"), event.get("event_data")
    return {
        "valid": True,
        "event_type": event_type if isinstance(event_type, str) else None,
        "event_data": event_data if isinstance(event_data, dict) else None,
        "reason": None,
    }


@integration.action("verify_webhook_signature")
class VerifyWebhookSignature(ActionHandler):
    """Offline: no HeyGen call, so none of HeyGenAction's HTTP machinery; a bad signature is an answer, not an error."""

    async def execute(self, inputs, context):
        found = verdict(
            inputs["payload"],
            inputs.get("signature"),
            inputs["secret"],
            inputs.get("timestamp"),
            inputs.get("tolerance_seconds"),
        )
        return ActionResult(data=found, cost_usd=None)
