"""Webhook actions at the wire, and verify_webhook_signature offline.

Each action runs through Integration.execute_action with a real ExecutionContext; the tests check the exact
request HeyGen receives, the flat output, inputs refused before anything is sent, and HeyGen's errors.
"""

import functools
import hashlib
import hmac
import json

import pytest

from tests import helpers
from tests.conftest import ACCESS_TOKEN, API, request_count, run_action, sent
from tests.helpers import data_of, error_of, split, v1, validation_error_of

EVENT_LIST = f"{API}/v1/webhook/webhook.list"
ADD = f"{API}/v1/webhook/endpoint.add"
LIST = f"{API}/v1/webhook/endpoint.list"
UPDATE = f"{API}/v1/webhook/endpoint.update"
DELETE = f"{API}/v1/webhook/endpoint.delete"
ENDPOINT_ID = "4f0b9c2a7d1e4e3b9a6c5d8e7f1a2b3c"
SECRET = "whs-7c1e9a4b2d6f8e0a3c5b7d9f1e2a4c6b"
HOOK_URL = "https://example.com/hooks/heygen"
EVENTS = ["avatar_video.success", "avatar_video.fail"]
NOT_FOUND = {"code": 400131, "message": "Webhook endpoint not found"}
NOT_FOUND_HINT = "Hint: No webhook endpoint has that id: list_webhook_endpoints shows the registered ones."


# As these tests always were: a request without a body is not also checked for a missing Content-Type.
check_request = functools.partial(helpers.check_request, content_type_only_with_body=False)


# ---------------------------------------------------------------- list_webhook_event_types


async def test_list_webhook_event_types_returns_heygens_names(wire, auth):
    names = ["avatar_video.success", "avatar_video.fail", "video_translate.success", "personalized_video"]
    wire.get(EVENT_LIST, payload={"code": 100, "data": names, "message": None, "msg": None})

    result = await run_action("list_webhook_event_types", {}, auth=auth)

    assert data_of(result) == {"event_types": names, "total": 4}
    (call,) = sent(wire)
    check_request(call, "GET", EVENT_LIST, auth)


async def test_list_webhook_event_types_reads_a_list_nested_in_an_object_and_drops_non_names(wire):
    wire.get(EVENT_LIST, payload=v1({"events": ["avatar_video.success", None, 7, "avatar_video.fail"]}))

    result = await run_action("list_webhook_event_types", {})

    assert data_of(result) == {"event_types": EVENTS, "total": 2}


async def test_list_webhook_event_types_refuses_unknown_inputs_before_sending(wire):
    result = await run_action("list_webhook_event_types", {"limit": 5})

    assert "limit: is not a known field" in validation_error_of(result)
    assert request_count(wire) == 0


async def test_list_webhook_event_types_reports_heygens_error_without_credentials(wire):
    wire.get(EVENT_LIST, status=401, payload={"code": 401057, "message": f"invalid token {ACCESS_TOKEN}"})

    message = error_of(await run_action("list_webhook_event_types", {}))

    assert message.startswith("list_webhook_event_types failed: HeyGen 401 (401057) invalid token [redacted].")
    assert "Hint: The HeyGen access token is not valid" in message


# ---------------------------------------------------------------- add_webhook_endpoint

ADDED = {
    "endpoint_id": ENDPOINT_ID,
    "username": "15ebafd83a8521f0b8d56a14c8a4bd72",
    "url": HOOK_URL,
    "status": "enabled",
    "events": EVENTS,
    "secret": SECRET,
    "created_at": "2025-11-20T10:15:00Z",
    "space_id": "space-1",
}


async def test_add_webhook_endpoint_registers_the_url_and_returns_the_secret_once(wire, auth):
    wire.post(ADD, payload=v1(ADDED))

    result = await run_action("add_webhook_endpoint", {"url": HOOK_URL, "events": EVENTS}, auth=auth)

    assert data_of(result) == {
        "endpoint_id": ENDPOINT_ID,
        "url": HOOK_URL,
        "status": "enabled",
        "events": EVENTS,
        "secret": SECRET,
        "created_at": "2025-11-20T10:15:00Z",
    }
    (call,) = sent(wire)
    check_request(call, "POST", ADD, auth, {"url": HOOK_URL, "events": EVENTS})


async def test_add_webhook_endpoint_without_events_leaves_the_choice_to_heygen(wire):
    wire.post(ADD, payload=v1({"endpoint_id": ENDPOINT_ID, "secret": SECRET}))

    data = data_of(await run_action("add_webhook_endpoint", {"url": HOOK_URL}))

    assert data == {
        "endpoint_id": ENDPOINT_ID,
        "url": HOOK_URL,
        "status": None,
        "events": None,
        "secret": SECRET,
        "created_at": None,
    }
    (call,) = sent(wire)
    assert json.loads(call[2]["data"]) == {"url": HOOK_URL}


async def test_add_webhook_endpoint_is_sent_once_and_an_answer_without_an_id_is_an_error(wire):
    wire.post(ADD, payload=v1({"url": HOOK_URL, "secret": SECRET}))

    message = error_of(await run_action("add_webhook_endpoint", {"url": HOOK_URL}))

    assert message.startswith(
        "add_webhook_endpoint failed: HeyGen accepted the request but its answer has no endpoint_id"
    )
    assert request_count(wire) == 1


async def test_add_webhook_endpoint_is_not_resent_after_a_server_error(wire):
    wire.post(ADD, status=502, payload={"code": 502, "message": "Bad gateway"})

    message = error_of(await run_action("add_webhook_endpoint", {"url": HOOK_URL}))

    assert message.startswith("add_webhook_endpoint failed: HeyGen 502 Bad gateway.")
    assert request_count(wire) == 1


@pytest.mark.parametrize(
    "inputs, words",
    [
        ({}, "url: is required"),
        ({"url": "ftp://example.com/hook"}, "url: must be a URL starting with http:// or https://"),
        ({"url": HOOK_URL, "events": ["video.completed"]}, "events[0]: must be one of: avatar_video.success"),
        ({"url": HOOK_URL, "events": []}, "events: must have at least 1 item"),
        ({"url": HOOK_URL, "events": EVENTS + EVENTS[:1]}, "events: must not repeat an item"),
        ({"url": HOOK_URL, "secret": "mine"}, "secret: is not a known field"),
    ],
)
async def test_add_webhook_endpoint_refuses_bad_inputs_before_sending(wire, inputs, words):
    assert words in validation_error_of(await run_action("add_webhook_endpoint", inputs))
    assert request_count(wire) == 0


def test_every_documented_event_name_is_accepted():
    from heygen_core.app import integration

    schema = integration.config.actions["add_webhook_endpoint"].input_schema
    assert schema["properties"]["events"]["items"]["enum"] == [
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


# ---------------------------------------------------------------- list_webhook_endpoints


async def test_list_webhook_endpoints_never_returns_a_secret(wire, auth):
    other = {"endpoint_id": 77, "url": "https://example.org/h", "status": "disabled", "secret": "whs-other-secret-1"}
    wire.get(LIST, payload=v1([ADDED, other]))

    result = await run_action("list_webhook_endpoints", {}, auth=auth)

    data = data_of(result)
    assert data == {
        "endpoints": [
            {
                "endpoint_id": ENDPOINT_ID,
                "url": HOOK_URL,
                "status": "enabled",
                "events": EVENTS,
                "created_at": "2025-11-20T10:15:00Z",
            },
            {
                "endpoint_id": "77",
                "url": "https://example.org/h",
                "status": "disabled",
                "events": None,
                "created_at": None,
            },
        ],
        "total": 2,
    }
    assert SECRET not in json.dumps(data) and "whs-other" not in json.dumps(data)
    (call,) = sent(wire)
    check_request(call, "GET", LIST, auth)


async def test_list_webhook_endpoints_reads_endpoints_nested_in_an_object(wire):
    wire.get(LIST, payload=v1({"endpoints": [ADDED]}))

    data = data_of(await run_action("list_webhook_endpoints", {}))

    assert [endpoint["endpoint_id"] for endpoint in data["endpoints"]] == [ENDPOINT_ID]


async def test_list_webhook_endpoints_with_none_registered_is_empty(wire):
    wire.get(LIST, payload=v1(None))

    assert data_of(await run_action("list_webhook_endpoints", {})) == {"endpoints": [], "total": 0}


async def test_list_webhook_endpoints_retries_a_busy_heygen_then_answers(wire):
    wire.get(LIST, status=503, payload={"code": 503, "message": "busy"})
    wire.get(LIST, payload=v1([]))

    assert data_of(await run_action("list_webhook_endpoints", {})) == {"endpoints": [], "total": 0}
    assert request_count(wire) == 2


# ---------------------------------------------------------------- update_webhook_endpoint


async def test_update_webhook_endpoint_sends_only_what_changes(wire, auth):
    updated = {**ADDED, "events": ["video_translate.success"]}
    wire.patch(UPDATE, payload=v1(updated))

    inputs = {"endpoint_id": ENDPOINT_ID, "events": ["video_translate.success"]}
    data = data_of(await run_action("update_webhook_endpoint", inputs, auth=auth))

    assert data == {
        "endpoint_id": ENDPOINT_ID,
        "url": HOOK_URL,
        "status": "enabled",
        "events": ["video_translate.success"],
        "created_at": "2025-11-20T10:15:00Z",
    }
    assert SECRET not in json.dumps(data)
    (call,) = sent(wire)
    check_request(call, "PATCH", UPDATE, auth, inputs)


async def test_update_webhook_endpoint_with_an_empty_answer_reports_what_was_set(wire):
    wire.patch(UPDATE, payload=v1(None))

    inputs = {"endpoint_id": ENDPOINT_ID, "url": "https://example.com/v2", "events": EVENTS}
    data = data_of(await run_action("update_webhook_endpoint", inputs))

    assert data == {
        "endpoint_id": ENDPOINT_ID,
        "url": "https://example.com/v2",
        "status": None,
        "events": EVENTS,
        "created_at": None,
    }
    (call,) = sent(wire)
    assert json.loads(call[2]["data"]) == inputs


async def test_update_webhook_endpoint_needs_url_or_events_and_sends_nothing_without(wire):
    message = validation_error_of(await run_action("update_webhook_endpoint", {"endpoint_id": ENDPOINT_ID}))

    assert message == (
        "update_webhook_endpoint: invalid input: url: give url or events (or both): there is nothing to update"
    )
    assert request_count(wire) == 0


async def test_update_webhook_endpoint_needs_the_endpoint_id(wire):
    assert "endpoint_id: is required" in validation_error_of(
        await run_action("update_webhook_endpoint", {"url": HOOK_URL})
    )
    assert request_count(wire) == 0


async def test_update_webhook_endpoint_of_an_unknown_id_says_how_to_find_one(wire):
    wire.patch(UPDATE, status=404, payload=NOT_FOUND)

    message = error_of(await run_action("update_webhook_endpoint", {"endpoint_id": "nope", "url": HOOK_URL}))

    assert (
        message == f"update_webhook_endpoint failed: HeyGen 404 (400131) Webhook endpoint not found. {NOT_FOUND_HINT}"
    )


# ---------------------------------------------------------------- delete_webhook_endpoint


async def test_delete_webhook_endpoint_sends_the_id_in_the_query(wire, auth):
    wire.delete(f"{DELETE}?endpoint_id={ENDPOINT_ID}", payload=v1(None))

    data = data_of(await run_action("delete_webhook_endpoint", {"endpoint_id": ENDPOINT_ID}, auth=auth))

    assert data == {"endpoint_id": ENDPOINT_ID, "deleted": True}
    (call,) = sent(wire)
    check_request(call, "DELETE", f"{DELETE}?endpoint_id={ENDPOINT_ID}", auth)


async def test_delete_webhook_endpoint_escapes_the_id(wire):
    wire.delete(f"{DELETE}?endpoint_id=a%26b%3Dc", payload=v1(None))

    assert data_of(await run_action("delete_webhook_endpoint", {"endpoint_id": "a&b=c"}))["deleted"] is True
    (call,) = sent(wire)
    assert split(call[1])[3] == [("endpoint_id", "a&b=c")]


async def test_delete_webhook_endpoint_of_an_unknown_id_is_an_error_with_a_hint(wire):
    wire.delete(f"{DELETE}?endpoint_id=gone", status=404, payload=NOT_FOUND)

    message = error_of(await run_action("delete_webhook_endpoint", {"endpoint_id": "gone"}))

    assert (
        message == f"delete_webhook_endpoint failed: HeyGen 404 (400131) Webhook endpoint not found. {NOT_FOUND_HINT}"
    )


async def test_delete_webhook_endpoint_error_inside_a_200_answer_is_still_an_error(wire):
    wire.delete(f"{DELETE}?endpoint_id=gone", payload={"code": 400131, "message": "Webhook endpoint not found"})

    message = error_of(await run_action("delete_webhook_endpoint", {"endpoint_id": "gone"}))

    assert "HeyGen 200 (400131) Webhook endpoint not found." in message and NOT_FOUND_HINT in message


async def test_delete_webhook_endpoint_refuses_an_empty_id(wire):
    assert "endpoint_id: must not be empty" in validation_error_of(
        await run_action("delete_webhook_endpoint", {"endpoint_id": ""})
    )
    assert request_count(wire) == 0


# ---------------------------------------------------------------- verify_webhook_signature

PAYLOAD = json.dumps(
    {
        "event_type": "avatar_video.success",
        "event_data": {"video_id": "7a2c9e1b", "url": "https://files.heygen.ai/v.mp4", "callback_id": "order-42"},
    }
)


def sign(payload: str, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()


async def verify(wire, payload, signature, secret=SECRET):
    result = await run_action(
        "verify_webhook_signature", {"payload": payload, "signature": signature, "secret": secret}
    )
    assert request_count(wire) == 0  # offline: HeyGen is never asked
    data = data_of(result)
    assert secret not in json.dumps(data)
    return data


async def test_a_signed_delivery_is_valid_and_its_event_is_read(wire):
    data = await verify(wire, PAYLOAD, sign(PAYLOAD))

    assert data == {
        "valid": True,
        "event_type": "avatar_video.success",
        "event_data": {"video_id": "7a2c9e1b", "url": "https://files.heygen.ai/v.mp4", "callback_id": "order-42"},
        "reason": None,
    }


async def test_the_signature_is_accepted_in_upper_case_and_with_surrounding_whitespace(wire):
    assert (await verify(wire, PAYLOAD, f"  {sign(PAYLOAD).upper()}\n"))["valid"] is True


async def test_a_tampered_body_is_not_valid(wire):
    tampered = PAYLOAD.replace("order-42", "order-43")

    data = await verify(wire, tampered, sign(PAYLOAD))

    assert data == {"valid": False, "event_type": None, "event_data": None, "reason": "signature mismatch"}


async def test_a_body_re_serialized_with_other_spacing_is_not_valid(wire):
    reformatted = json.dumps(json.loads(PAYLOAD), indent=2)

    assert (await verify(wire, reformatted, sign(PAYLOAD)))["reason"] == "signature mismatch"


async def test_a_signature_made_with_another_secret_is_not_valid(wire):
    data = await verify(wire, PAYLOAD, sign(PAYLOAD, "whs-someone-elses-secret"))

    assert data == {"valid": False, "event_type": None, "event_data": None, "reason": "signature mismatch"}


@pytest.mark.parametrize("signature", [None, "", "   "])
async def test_a_missing_signature_is_not_valid(wire, signature):
    data = await verify(wire, PAYLOAD, signature)

    assert data == {"valid": False, "event_type": None, "event_data": None, "reason": "missing signature"}


async def test_an_absent_signature_input_is_a_missing_signature(wire):
    result = await run_action("verify_webhook_signature", {"payload": PAYLOAD, "secret": SECRET})

    assert data_of(result)["reason"] == "missing signature"


@pytest.mark.parametrize("signature", ["not-hex-at-all", "é" * 64, sign(PAYLOAD)[:-1], sign(PAYLOAD) + "00"])
async def test_malformed_or_truncated_signatures_are_mismatches_not_errors(wire, signature):
    assert (await verify(wire, PAYLOAD, signature))["reason"] == "signature mismatch"


async def test_a_correctly_signed_body_that_is_not_json_is_not_valid(wire):
    body = "event_type=avatar_video.success"

    data = await verify(wire, body, sign(body))

    assert data == {"valid": False, "event_type": None, "event_data": None, "reason": "payload not JSON"}


async def test_a_correctly_signed_json_list_is_not_an_event(wire):
    body = '["avatar_video.success"]'

    assert (await verify(wire, body, sign(body)))["reason"] == "payload not a JSON object"


async def test_unicode_bodies_are_signed_as_utf8(wire):
    body = json.dumps({"event_type": "avatar_video.fail", "event_data": {"msg": "Vidéo échouée ✗"}}, ensure_ascii=False)

    data = await verify(wire, body, sign(body))

    assert data["valid"] is True and data["event_data"] == {"msg": "Vidéo échouée ✗"}


async def test_the_secret_never_appears_even_when_the_body_is_garbage(wire):
    for payload in ("", "{", SECRET[:10], "null"):
        data = await verify(wire, payload, sign(payload, SECRET))
        assert data["valid"] is False


async def test_verify_webhook_signature_needs_payload_and_a_non_empty_secret(wire):
    assert "payload: is required" in validation_error_of(
        await run_action("verify_webhook_signature", {"secret": SECRET})
    )
    message = validation_error_of(await run_action("verify_webhook_signature", {"payload": PAYLOAD, "secret": ""}))
    assert "secret: must not be empty" in message
    assert request_count(wire) == 0


async def test_verify_webhook_signature_works_without_any_credentials(wire):
    result = await run_action(
        "verify_webhook_signature",
        {"payload": PAYLOAD, "signature": sign(PAYLOAD), "secret": SECRET},
        auth={"auth_type": "PlatformOauth2", "credentials": {}},
    )

    assert data_of(result)["valid"] is True
