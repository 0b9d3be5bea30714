"""Webhooks: HeyGen's event types, endpoint management, and checking signatures of deliveries."""

import hashlib
import hmac
import json

from autohive_integrations_sdk import ActionHandler, ActionResult

from heygen_core.action import HeyGenAction, created_id
from heygen_core.app import integration
from heygen_core.inputs import reject
from heygen_core.shapes import as_dict, body_of, list_of, pick

ENDPOINT_FIELDS = ("endpoint_id", "url", "status", "events", "created_at")
EVENT_LIST_KEYS = ("event_types", "events", "webhook_events")


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


@integration.action("list_webhook_event_types")
class ListWebhookEventTypes(HeyGenAction):
    async def run(self, api, inputs):
        names = event_names(await api.get("/v1/webhook/webhook.list"))
        return {"event_types": names, "total": len(names)}


@integration.action("add_webhook_endpoint")
class AddWebhookEndpoint(HeyGenAction):
    async def run(self, api, inputs):
        body = body_of(inputs, ("url", "events"))
        data = await api.post("/v1/webhook/endpoint.add", body)
        endpoint_id = created_id(data, "endpoint_id")
        secret = as_dict(data).get("secret")
        return {**endpoint_output(data, body), "endpoint_id": endpoint_id, "secret": secret}


@integration.action("list_webhook_endpoints")
class ListWebhookEndpoints(HeyGenAction):
    async def run(self, api, inputs):
        endpoints = [endpoint_output(item) for item in list_of(await api.get("/v1/webhook/endpoint.list"), "endpoints")]
        return {"endpoints": endpoints, "total": len(endpoints)}


@integration.action("update_webhook_endpoint")
class UpdateWebhookEndpoint(HeyGenAction):
    async def run(self, api, inputs):
        changes = body_of(inputs, ("url", "events"))
        if not changes:
            raise reject("url", "give url or events (or both): there is nothing to update")
        body = {"endpoint_id": inputs["endpoint_id"], **changes}
        data = await api.patch("/v1/webhook/endpoint.update", body)
        return endpoint_output(data, body)


@integration.action("delete_webhook_endpoint")
class DeleteWebhookEndpoint(HeyGenAction):
    async def run(self, api, inputs):
        await api.delete("/v1/webhook/endpoint.delete", {"endpoint_id": inputs["endpoint_id"]})
        return {"endpoint_id": inputs["endpoint_id"], "deleted": True}


def signature_problem(payload: str, signature: str | None, secret: str) -> str | None:
    """None when `signature` is the hex HMAC-SHA256 of the raw payload keyed with the secret, else why not."""
    given = (signature or "").strip().lower()
    if not given:
        return "missing signature"
    expected = hmac.new(secret.encode("utf-8"), payload.encode("utf-8"), hashlib.sha256).hexdigest()
    # Constant time, so response timing tells an attacker nothing about how much of a forged signature was right.
    if not hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8")):
        return "signature mismatch"
    return None


def verdict(payload: str, signature: str | None, secret: str) -> dict:
    invalid = {"valid": False, "event_type": None, "event_data": None}
    problem = signature_problem(payload, signature, secret)
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
        return ActionResult(data=verdict(inputs["payload"], inputs.get("signature"), inputs["secret"]), cost_usd=None)
