"""Webhooks, quota, the connected account and the video_completed trigger against the simulator over real HTTP.

The plugin runs exactly as the platform runs it (Integration.execute_action / get_connected_account /
execute_polling_trigger with a real ExecutionContext and API-key auth), pointed at a Simulator on 127.0.0.1.
"""

import functools
import json
import re

import pytest
from autohive_integrations_sdk import ConnectedAccountInfo, ResultType

from simulator import ANGELA_AVATAR_ID, FAILURE_TRIGGER, MONICA_VOICE_ID, TALKING_PHOTO_ANNA
from simulator.routes_webhooks import deliveries
from simulator.v3_webhooks import V3_EVENT_TYPES
from heygen_core.paths import v3
from tests import helpers
from tests.conftest import API_KEY_AUTH, run_action, simulator
from tests.helpers import failure, iso, ok, poll_video_completed, words

pytestmark = pytest.mark.e2e

HOOK_URL = "https://example.com/hooks/heygen"
VIDEO_EVENTS = ["avatar_video.success", "avatar_video.fail"]
NOT_FOUND = re.compile(
    r"HeyGen 404 \(not_found\) Webhook endpoint no-such-endpoint not found\. Request id req_[0-9a-f]{32}\. "
    r"Hint: HeyGen found nothing at that id"
)
WRONG_KEY_AUTH = {"auth_type": "ApiKey", "credentials": {"api_key": "not-the-simulators-key"}}


def scene(text: str, character: dict | None = None) -> dict:
    return {
        "character": character or {"type": "avatar", "avatar_id": ANGELA_AVATAR_ID},
        "voice": {"type": "text", "voice_id": MONICA_VOICE_ID, "input_text": text},
    }


# ---------------------------------------------------------------- webhooks


async def test_webhook_endpoint_lifecycle(sim):
    event_types = await ok("list_webhook_event_types", {})
    assert event_types["total"] == len(V3_EVENT_TYPES) and VIDEO_EVENTS[0] in event_types["event_types"]

    added = await ok("add_webhook_endpoint", {"url": HOOK_URL, "events": VIDEO_EVENTS})
    assert (added["url"], added["status"], added["events"]) == (HOOK_URL, "enabled", VIDEO_EVENTS)
    assert re.fullmatch(r"whsec_[0-9a-f]{32}", added["secret"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", added["created_at"])
    endpoint_id = added["endpoint_id"]

    listed = await ok("list_webhook_endpoints", {})
    assert listed == {
        "endpoints": [
            {
                "endpoint_id": endpoint_id,
                "url": HOOK_URL,
                "status": "enabled",
                "events": VIDEO_EVENTS,
                "created_at": added["created_at"],
            }
        ],
        "total": 1,
    }
    assert added["secret"] not in json.dumps(listed)  # the simulator's list holds it, as HeyGen's does

    updated = await ok("update_webhook_endpoint", {"endpoint_id": endpoint_id, "events": ["video_translate.success"]})
    assert (updated["url"], updated["events"]) == (HOOK_URL, ["video_translate.success"])
    assert "secret" not in updated
    moved = await ok("update_webhook_endpoint", {"endpoint_id": endpoint_id, "url": "https://example.com/v2"})
    assert (moved["url"], moved["events"]) == ("https://example.com/v2", ["video_translate.success"])

    assert await ok("delete_webhook_endpoint", {"endpoint_id": endpoint_id}) == {
        "endpoint_id": endpoint_id,
        "deleted": True,
    }
    assert await ok("list_webhook_endpoints", {}) == {"endpoints": [], "total": 0}
    assert sim.count_v3("WebhookEndpointsUpdate", endpoint_id=endpoint_id) == 2
    assert sim.count_v3("WebhookEndpointsCreate") == 1


async def test_deleting_or_updating_an_unknown_endpoint_is_heygens_400131_with_a_hint(sim):
    message = await failure("delete_webhook_endpoint", {"endpoint_id": "no-such-endpoint"})
    assert message.startswith("delete_webhook_endpoint failed: ") and NOT_FOUND.search(message)

    message = await failure("update_webhook_endpoint", {"endpoint_id": "no-such-endpoint", "url": HOOK_URL})
    assert message.startswith("update_webhook_endpoint failed: ") and NOT_FOUND.search(message)


async def test_an_update_with_nothing_to_change_never_reaches_heygen(sim):
    result = await run_action("update_webhook_endpoint", {"endpoint_id": "abc"}, auth=API_KEY_AUTH)

    assert result.type == ResultType.VALIDATION_ERROR
    assert sim.count_v3("WebhookEndpointsUpdate") == 0 and sim.count("PATCH", "/v1/webhook/endpoint.update") == 0


async def test_webhook_actions_report_a_refused_key(sim):
    message = await failure("list_webhook_endpoints", {}, auth=WRONG_KEY_AUTH)

    assert message.startswith("list_webhook_endpoints failed: HeyGen 401 (unauthorized) Unauthorized.")
    assert "not-the-simulators-key" not in message


async def test_a_delivery_signed_with_the_endpoints_secret_verifies_and_a_tampered_one_does_not(sim):
    secret = (await ok("add_webhook_endpoint", {"url": HOOK_URL, "events": VIDEO_EVENTS}))["secret"]
    done = await ok(
        "create_avatar_video",
        {"video_inputs": [scene("Hello there.")], "callback_id": "order-7", "wait_for_completion": True},
    )
    failed = await ok("create_avatar_video", {"video_inputs": [scene(f"Hi {FAILURE_TRIGGER}")]})
    await run_action("get_video_status", {"video_id": failed["video_id"], "wait_for_completion": True}, API_KEY_AUTH)

    ((_, body, signature),) = deliveries(sim.state, done["video_id"])
    requests_before = len(sim.requests)
    verified = await ok("verify_webhook_signature", {"payload": body, "signature": signature, "secret": secret})
    assert verified["valid"] is True and verified["reason"] is None
    assert verified["event_type"] == "avatar_video.success"
    assert verified["event_data"]["video_id"] == done["video_id"]
    assert verified["event_data"]["callback_id"] == "order-7"

    tampered = body.replace(done["video_id"], failed["video_id"])
    rejected = await ok("verify_webhook_signature", {"payload": tampered, "signature": signature, "secret": secret})
    assert rejected == {"valid": False, "event_type": None, "event_data": None, "reason": "signature mismatch"}

    ((_, fail_body, fail_signature),) = deliveries(sim.state, failed["video_id"])
    fail_event = await ok(
        "verify_webhook_signature", {"payload": fail_body, "signature": fail_signature, "secret": secret}
    )
    assert fail_event["event_type"] == "avatar_video.fail" and fail_event["event_data"]["msg"]
    assert len(sim.requests) == requests_before  # verifying never calls HeyGen


# ---------------------------------------------------------------- account


async def test_remaining_quota_falls_by_what_estimate_video_predicted(sim, monkeypatch):
    # quota units (60 a credit) exist only on the legacy API; v3 reports a wallet or plan balance instead
    monkeypatch.setenv("HEYGEN_API_VERSION", "legacy")
    scenes = [
        scene(words(30)),  # 12 s of studio avatar: 0.2 credits
        scene(words(75), {"type": "talking_photo", "talking_photo_id": TALKING_PHOTO_ANNA}),  # 30 s photo: 0.1
    ]
    before = await ok("get_remaining_quota", {})
    estimate = await ok("estimate_video", {"video_inputs": scenes})
    assert sim.count("GET", "/v2/user/remaining_quota") == 1 and len(sim.requests) == 1  # estimate sent nothing

    await ok("create_avatar_video", {"video_inputs": scenes, "wait_for_completion": True})
    after = await ok("get_remaining_quota", {})

    assert (before["remaining_quota"], before["credits"], before["details"]["api"]) == (60000, 1000.0, 60000)
    assert estimate["credits"] == {"avatar": 0.2, "photo_avatar": 0.1, "total": 0.3}
    assert after["credits"] == round(before["credits"] - estimate["credits"]["total"], 2)
    assert after["remaining_quota"] == before["remaining_quota"] - 18


async def test_remaining_quota_reports_a_refused_key(sim):
    message = await failure("get_remaining_quota", {}, auth=WRONG_KEY_AUTH)

    assert message.startswith("get_remaining_quota failed: HeyGen 401 (unauthorized) Unauthorized.")


# As these tests always were: the account's type is not checked (test_account_estimate_trigger checks it).
connected_account = functools.partial(helpers.connected_account, check_type=False)


async def test_connected_account_shows_the_simulated_user(sim):
    info = await connected_account(API_KEY_AUTH)

    assert (info.email, info.first_name, info.last_name) == ("sim.user@example.com", "Sim", "User")
    assert re.fullmatch(r"[0-9a-f]{32}", info.username) and info.user_id == info.username
    assert sim.count("GET", "/v3/users/me") == 1 and sim.count("GET", "/v1/user/me") == 0


async def test_connected_account_with_a_refused_key_is_empty_not_an_exception(sim):
    assert await connected_account(WRONG_KEY_AUTH) == ConnectedAccountInfo()
    assert sim.count("GET", "/v3/users/me") == 1 and sim.count("GET", "/v1/user/me") == 1


# ---------------------------------------------------------------- video_completed trigger


async def test_video_completed_fires_for_finished_videos_and_catches_one_that_was_still_rendering(monkeypatch):
    async with simulator(monkeypatch, time_scale=1.0) as sim:  # real-time jobs; sim.advance() skips ahead
        previous_poll = sim.state.now() - 5
        done = await ok("create_avatar_video", {"video_inputs": [scene("Finished soon.")], "callback_id": "a"})
        failed = await ok("create_avatar_video", {"video_inputs": [scene(f"Broken {FAILURE_TRIGGER}")]})
        sim.advance(120)
        running = await ok("create_avatar_video", {"video_inputs": [scene("Still rendering at the first poll.")]})
        first_poll = sim.state.now()

        first = await poll_video_completed({}, iso(previous_poll), auth=API_KEY_AUTH)

        # records come in the order the videos finished (v3 says when, to the second; these two may share one)
        by_id = {record["id"]: record["data"] for record in first}
        assert len(first) == 2 and set(by_id) == {done["video_id"], failed["video_id"]}
        completed, broken = by_id[done["video_id"]], by_id[failed["video_id"]]
        # HeyGen's v3 Video object carries no callback_id (its webhook delivery does): null on a status read
        assert (completed["status"], completed["callback_id"], completed["error"]) == ("completed", None, None)
        assert completed["video_url"].startswith(sim.url) and completed["duration"] > 0
        assert (broken["status"], broken["error"]["code"]) == ("failed", "40065")

        sim.advance(120)
        second = await poll_video_completed({}, iso(first_poll), auth=API_KEY_AUTH)
        # The video that was rendering at the first poll is caught; v3 says when the other two finished (before
        # the first poll), so they are not emitted again.
        assert [record["id"] for record in second] == [running["video_id"]]
        assert second[0]["data"]["status"] == "completed"

        only_completed = await poll_video_completed({"include_failed": False}, iso(first_poll), auth=API_KEY_AUTH)
        assert failed["video_id"] not in [record["id"] for record in only_completed]


async def test_video_completed_matches_get_video_status(sim):
    created = await ok("create_avatar_video", {"video_inputs": [scene("Hello there.")], "wait_for_completion": True})

    (record,) = await poll_video_completed({}, None, auth=API_KEY_AUTH)
    status = await ok("get_video_status", {"video_id": created["video_id"]})

    assert record["id"] == created["video_id"]
    signed = ("video_url", "thumbnail_url", "gif_url")  # fresh signed links on every call, as HeyGen's
    assert {k: v for k, v in record["data"].items() if k not in signed} == {
        k: v for k, v in status.items() if k not in signed + ("timed_out",)
    }
    assert all(record["data"][k].startswith(sim.url) for k in signed)


async def test_video_completed_in_a_folder_only(sim):
    await ok(
        "create_avatar_video",
        {"video_inputs": [scene("In a folder.")], "folder_id": "f-1", "wait_for_completion": True},
    )
    await ok("create_avatar_video", {"video_inputs": [scene("Elsewhere.")], "wait_for_completion": True})

    records = await poll_video_completed({"folder_id": "f-1"}, None, auth=API_KEY_AUTH)

    assert len(records) == 1
    assert [r.query.get("folder_id") for r in sim.requests_to("VideoList")] == ["f-1"]


async def test_video_completed_with_a_refused_key_emits_nothing(sim):
    assert await poll_video_completed({}, None, auth=WRONG_KEY_AUTH) == []
    # one list request, refused: v3's where the simulator serves it, else the legacy one
    assert sim.count("GET", v3("VideoList").path) + sim.count("GET", "/v1/video.list") == 1
