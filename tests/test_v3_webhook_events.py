"""rotate_webhook_secret and list_webhook_events on HeyGen's v3 API (faked at the wire), and
verify_webhook_signature's v3 check: the signature over the raw body plus the delivery's timestamp within a
tolerance window; without a timestamp, the legacy check as before."""

import hashlib
import hmac
import time

from heygen_actions.webhooks import verdict
from tests.conftest import run_action, sent
from tests.helpers import data_of, validation_error_of
from tests.v3_wire import answer, url

ENDPOINT_ID = "ep_1"
SECRET = "whsec_test_secret"
BODY = '{"event_type": "avatar_video.success", "event_data": {"video_id": "v1"}}'
EVENT = {
    "event_id": "evt_1",
    "event_type": "avatar_video.success",
    "event_data": {"video_id": "v1", "url": "https://files.heygen.ai/v1.mp4"},
    "created_at": "2026-12-03T06:00:00Z",
}


def signed(body: str, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


async def verify(**inputs) -> dict:
    return data_of(await run_action("verify_webhook_signature", {"payload": BODY, "secret": SECRET, **inputs}))


async def test_rotate_webhook_secret_returns_the_new_secret_once(wire, v3):
    rotate = url("WebhookEndpointsRotateSecret", endpoint_id=ENDPOINT_ID)
    wire.post(rotate, payload=answer("WebhookEndpointsRotateSecret", {"endpoint_id": ENDPOINT_ID, "secret": "whsec_2"}))

    result = data_of(await run_action("rotate_webhook_secret", {"endpoint_id": ENDPOINT_ID, "idempotency_key": "r-1"}))

    assert result == {"endpoint_id": ENDPOINT_ID, "secret": "whsec_2"}
    ((method, sent_url, kwargs),) = sent(wire)
    assert (method, sent_url, kwargs["headers"]["Idempotency-Key"]) == ("POST", rotate, "r-1")


async def test_list_webhook_events_reads_one_page_filtered_and_hands_back_the_cursor(wire, v3):
    events = url("WebhookEventsList")
    query = "?entity_id=v1&event_type=avatar_video.success&limit=5"
    wire.get(events + query, payload=answer("WebhookEventsList", [EVENT], has_more=True, next_token="n2"))

    inputs = {"event_type": "avatar_video.success", "entity_id": "v1", "limit": 5}
    result = data_of(await run_action("list_webhook_events", inputs))

    assert result == {"events": [EVENT], "total": 1, "next_page_token": "n2"}


async def test_list_webhook_events_refuses_an_unknown_event_type_sending_nothing(wire, v3):
    message = validation_error_of(await run_action("list_webhook_events", {"event_type": "video.done"}))

    assert "event_type" in message and sent(wire) == []


async def test_a_v3_delivery_within_the_window_is_valid():
    result = await verify(signature=signed(BODY), timestamp=str(int(time.time()) - 10))

    assert result["valid"] is True and result["event_data"] == {"video_id": "v1"}


async def test_a_v3_delivery_outside_the_window_is_refused_as_a_possible_replay():
    stale = await verify(signature=signed(BODY), timestamp=str(int(time.time()) - 301))
    future = await verify(signature=signed(BODY), timestamp=int(time.time()) + 400)
    widened = await verify(signature=signed(BODY), timestamp=int(time.time()) - 301, tolerance_seconds=600)

    assert (stale["valid"], stale["reason"]) == (False, "timestamp outside tolerance")
    assert (future["valid"], future["reason"]) == (False, "timestamp outside tolerance")
    assert widened["valid"] is True


async def test_a_bad_signature_is_reported_before_the_timestamp():
    result = await verify(signature=signed(BODY, "other"), timestamp=str(int(time.time())))

    assert result["reason"] == "signature mismatch"


async def test_without_a_timestamp_the_legacy_check_is_as_before():
    assert (await verify(signature=signed(BODY).upper() + " "))["valid"] is True
    assert (await verify(signature=None))["reason"] == "missing signature"


async def test_a_timestamp_that_is_not_unix_seconds_is_refused_naming_the_field():
    message = validation_error_of(
        await run_action(
            "verify_webhook_signature", {"payload": BODY, "secret": SECRET, "signature": "x", "timestamp": "yesterday"}
        )
    )

    assert "timestamp" in message


async def test_lone_surrogates_never_raise():
    refused = await run_action(
        "verify_webhook_signature", {"payload": "\ud800{}", "secret": SECRET, "signature": "\udfff" * 64}
    )
    # and the check itself, reached without the input guard, answers rather than raising
    direct = verdict("\ud800{}", "\udfff" * 64, "\udc00", timestamp=str(int(time.time())))

    assert "payload: must be valid text" in validation_error_of(refused)
    assert direct["valid"] is False and direct["reason"] == "signature mismatch"
