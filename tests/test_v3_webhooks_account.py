"""Webhook endpoints, their event types and get_remaining_quota on HeyGen's v3 API: the same inputs and outputs as
on the legacy API, through /v3/webhooks/... and GET /v3/users/me."""

import pytest

from tests.conftest import API, API_KEY_AUTH, OAUTH_AUTH, run_action, sent
from tests.helpers import check_auth, check_request, data_of, v1, v2, validation_error_of
from tests.v3_wire import answer, gone_page, sent_body, url

ENDPOINTS = url("WebhookEndpointsList")
ENDPOINT_ID = "ep_5b1c9e"
ENDPOINT = url("WebhookEndpointsUpdate", endpoint_id=ENDPOINT_ID)
EVENT_TYPES = url("WebhookEventTypesList")
HOOK = "https://hooks.example.com/heygen"
EVENTS = ["avatar_video.success", "avatar_video.fail"]
REGISTERED = {
    "endpoint_id": ENDPOINT_ID,
    "url": HOOK,
    "status": "enabled",
    "events": EVENTS,
    "created_at": "2026-12-02T10:00:00Z",
}


# ---------------------------------------------------------------- endpoints


async def test_list_webhook_endpoints_walks_the_v3_pages_and_never_shows_a_secret(wire, auth, v3):
    other = {**REGISTERED, "endpoint_id": "ep_2", "events": None, "secret": None}
    wire.get(
        ENDPOINTS + "?limit=100", payload=answer("WebhookEndpointsList", [REGISTERED], has_more=True, next_token="c2")
    )
    wire.get(ENDPOINTS + "?limit=100&token=c2", payload=answer("WebhookEndpointsList", [other], has_more=False))

    result = data_of(await run_action("list_webhook_endpoints", {}, auth=auth))

    assert result == {"endpoints": [REGISTERED, {**REGISTERED, "endpoint_id": "ep_2", "events": None}], "total": 2}
    first, second = sent(wire)
    check_request(first, "GET", ENDPOINTS + "?limit=100", auth)
    check_request(second, "GET", ENDPOINTS + "?limit=100&token=c2", auth)


async def test_list_webhook_endpoints_gives_the_same_output_on_the_legacy_api(wire):
    wire.get(f"{API}/v1/webhook/endpoint.list", payload=v1([REGISTERED]))

    assert data_of(await run_action("list_webhook_endpoints", {})) == {"endpoints": [REGISTERED], "total": 1}


async def test_add_webhook_endpoint_posts_to_v3_and_returns_the_secret_once(wire, auth, v3):
    wire.post(ENDPOINTS, payload=answer("WebhookEndpointsCreate", {**REGISTERED, "secret": "whsec_abc"}))

    result = data_of(await run_action("add_webhook_endpoint", {"url": HOOK, "events": EVENTS}, auth=auth))

    assert result == {**REGISTERED, "secret": "whsec_abc"}
    ((method, sent_url, kwargs),) = sent(wire)
    assert (method, sent_url) == ("POST", ENDPOINTS)
    check_auth(kwargs["headers"], auth)
    assert sent_body("WebhookEndpointsCreate", kwargs) == {"url": HOOK, "events": EVENTS}
    # registering an endpoint is not a job: no Idempotency-Key is documented for it, so none is sent
    assert "Idempotency-Key" not in kwargs["headers"]


async def test_add_webhook_endpoint_gives_the_same_output_on_the_legacy_api(wire):
    wire.post(f"{API}/v1/webhook/endpoint.add", payload=v1({**REGISTERED, "secret": "whsec_abc"}))

    result = data_of(await run_action("add_webhook_endpoint", {"url": HOOK, "events": EVENTS}))

    assert result == {**REGISTERED, "secret": "whsec_abc"}


async def test_update_webhook_endpoint_patches_the_v3_endpoint(wire, auth, v3):
    changed = {**REGISTERED, "events": ["video_translate.success"]}
    wire.patch(ENDPOINT, payload=answer("WebhookEndpointsUpdate", changed))

    inputs = {"endpoint_id": ENDPOINT_ID, "events": ["video_translate.success"]}
    result = data_of(await run_action("update_webhook_endpoint", inputs, auth=auth))

    assert result == changed
    ((method, sent_url, kwargs),) = sent(wire)
    assert (method, sent_url) == ("PATCH", ENDPOINT)
    assert sent_body("WebhookEndpointsUpdate", kwargs) == {"events": ["video_translate.success"]}


async def test_update_webhook_endpoint_with_nothing_to_change_sends_nothing(wire, v3):
    message = validation_error_of(await run_action("update_webhook_endpoint", {"endpoint_id": ENDPOINT_ID}))

    assert "url: give url or events (or both)" in message
    assert sent(wire) == []


async def test_delete_webhook_endpoint_deletes_the_v3_endpoint(wire, auth, v3):
    wire.delete(ENDPOINT, payload=answer("WebhookEndpointsDelete", {}, error=None))

    result = data_of(await run_action("delete_webhook_endpoint", {"endpoint_id": ENDPOINT_ID}, auth=auth))

    assert result == {"endpoint_id": ENDPOINT_ID, "deleted": True}
    (call,) = sent(wire)
    check_request(call, "DELETE", ENDPOINT, auth)


async def test_delete_webhook_endpoint_escapes_the_id_in_the_v3_path(wire, v3):
    wire.delete(url("WebhookEndpointsDelete", endpoint_id="a/b"), payload=answer("WebhookEndpointsDelete", {}))

    data_of(await run_action("delete_webhook_endpoint", {"endpoint_id": "a/b"}))

    assert sent(wire)[0][1].endswith("/v3/webhooks/endpoints/a%2Fb")


async def test_a_retired_v3_webhook_route_falls_back_to_v1(wire, v3):
    wire.delete(ENDPOINT, **gone_page())
    wire.delete(f"{API}/v1/webhook/endpoint.delete?endpoint_id={ENDPOINT_ID}", payload=v1(None))

    result = data_of(await run_action("delete_webhook_endpoint", {"endpoint_id": ENDPOINT_ID}))

    assert result == {"endpoint_id": ENDPOINT_ID, "deleted": True}
    assert [call[0] for call in sent(wire)] == ["DELETE", "DELETE"]


async def test_list_webhook_event_types_gives_the_names_v3_describes(wire, auth, v3):
    types = [
        {"event_type": "avatar_video.success", "description": "A video finished"},
        {"event_type": "avatar_video.fail", "description": "A video failed"},
    ]
    wire.get(EVENT_TYPES + "?limit=100", payload=answer("WebhookEventTypesList", types, has_more=False))

    result = data_of(await run_action("list_webhook_event_types", {}, auth=auth))

    assert result == {"event_types": EVENTS, "total": 2}
    (call,) = sent(wire)
    check_request(call, "GET", EVENT_TYPES + "?limit=100", auth)


async def test_list_webhook_event_types_gives_the_same_output_on_the_legacy_api(wire):
    wire.get(f"{API}/v1/webhook/webhook.list", payload=v1(EVENTS))

    assert data_of(await run_action("list_webhook_event_types", {})) == {"event_types": EVENTS, "total": 2}


# ---------------------------------------------------------------- get_remaining_quota

ME = url("UserMeGet")
PERSON = {"username": "15ebafd8", "email": "jane@example.com", "first_name": "Jane", "last_name": "Doe"}


def me(**billing) -> dict:
    return answer("UserMeGet", {**PERSON, **billing})


@pytest.mark.parametrize(
    "billing, expected",
    [
        (
            {"billing_type": "wallet", "wallet": {"currency": "usd", "remaining_balance": 42.5}},
            {"credits": None, "currency": "usd", "remaining_balance": 42.5, "plan": None},
        ),
        (
            {"billing_type": "wallet", "wallet": {"currency": "credits", "remaining_balance": 900}},
            {"credits": 900, "currency": "credits", "remaining_balance": 900, "plan": None},
        ),
        (
            {
                "billing_type": "subscription",
                "subscription": {
                    "plan": "pro",
                    "credits": {"premium_credits": {"remaining": 120}, "add_on_credits": {"remaining": 30}},
                },
            },
            {"credits": 150, "currency": "credits", "remaining_balance": 150, "plan": "pro"},
        ),
        (
            {"billing_type": "usage_based", "usage_based": {"remaining_credits": 75.5, "spending_cap_usd": 100}},
            {"credits": 75.5, "currency": "credits", "remaining_balance": 75.5, "plan": None},
        ),
        ({"billing_type": None}, {"credits": None, "currency": None, "remaining_balance": None, "plan": None}),
    ],
    ids=["api_wallet_usd", "enterprise_wallet_credits", "oauth_web_plan", "usage_based", "not_said"],
)
async def test_get_remaining_quota_reads_the_v3_balance(wire, v3, billing, expected):
    wire.get(ME, payload=me(**billing))

    result = data_of(await run_action("get_remaining_quota", {}, auth=API_KEY_AUTH))

    block = billing.get(billing["billing_type"]) if billing["billing_type"] else None
    assert result == {
        "remaining_quota": None,  # no v3 field is in the legacy quota units (60 a credit)
        "details": block,
        "billing_type": billing["billing_type"],
        **expected,
    }
    (call,) = sent(wire)
    check_request(call, "GET", ME, API_KEY_AUTH)


async def test_get_remaining_quota_falls_back_to_the_legacy_quota_when_v3_is_gone(wire, v3):
    wire.get(ME, **gone_page())
    wire.get(f"{API}/v2/user/remaining_quota", payload=v2({"remaining_quota": 3000, "details": {"api": 3000}}))

    result = data_of(await run_action("get_remaining_quota", {}, auth=OAUTH_AUTH))

    assert (result["remaining_quota"], result["credits"], result["billing_type"]) == (3000, 50.0, None)
