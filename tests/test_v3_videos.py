"""Videos on HeyGen's v3 API, at the wire: the same inputs as on the legacy API become valid v3 requests, the
answers the same outputs; exact mappings or clear refusals; idempotency keys that make creates safe to resend;
the fallback between generations."""

import asyncio
import json
import re

import pytest
from aioresponses import CallbackResult

from heygen_core.paths import v3
from tests.conftest import API, API_KEY_AUTH, request_count, run_action, sent
from tests.helpers import (
    V3_ONLY_VIDEO_FIELDS,
    check_request,
    data_of,
    error_of,
    pending_video,
    v1,
    v2,
    validation_error_of,
)
from tests.v3_schemas import request_problems, response_problems

pytestmark = pytest.mark.usefixtures("v3")

VIDEOS = API + v3("VideoCreate").path
VIDEO_ID = "b9e8a1d2c3f44e5fa6b7c8d9e0f1a2b3"
STATUS = API + v3("VideoGet").path.format(video_id=VIDEO_ID)
LEGACY_GENERATE = f"{API}/v2/video/generate"
SCENE = {
    "character": {"type": "avatar", "avatar_id": "Angela-inblackskirt-20220820"},
    "voice": {
        "type": "text",
        "voice_id": "1bd001e7ffe04520adf63141a163d1f8",
        "input_text": "Hello there!",
        "speed": 1.1,
    },
    "background": {"type": "color", "value": "#112233"},
}
CREATED_ANSWER = {"data": {"video_id": VIDEO_ID, "status": "waiting", "output_format": "mp4"}}
V3_COMPLETED = {
    "data": {
        "id": VIDEO_ID,
        "status": "completed",
        "title": "Welcome",
        "duration": 4.2,
        "created_at": 1767225600,
        "completed_at": 1767225690,
        "video_url": "https://files.heygen.ai/v.mp4",
        "thumbnail_url": "https://files.heygen.ai/t.jpg",
        "gif_url": "https://files.heygen.ai/g.gif",
        "subtitle_url": "https://files.heygen.ai/c.srt",
        "captioned_video_url": "https://files.heygen.ai/vc.mp4",
        "video_page_url": "https://app.heygen.com/videos/x",
        "failure_code": None,
        "failure_message": None,
        "output_language": None,
        "folder_id": None,
    }
}


def body_of(call) -> dict:
    return json.loads(call[2]["data"])


def headers_of(call) -> dict:
    return call[2]["headers"]


async def test_create_avatar_video_sends_a_studio_video_valid_against_heygens_schema(wire, auth):
    wire.post(VIDEOS, payload=CREATED_ANSWER)
    inputs = {
        "video_inputs": [SCENE],
        "title": "Welcome",
        "dimension": {"width": 1920, "height": 1080},
        "caption": True,
    }

    result = await run_action("create_avatar_video", inputs, auth=auth)

    assert data_of(result) == pending_video(VIDEO_ID)
    (call,) = sent(wire)
    expected = {
        "type": "studio",
        "scenes": [
            {
                "type": "avatar_video",
                "input": {
                    "type": "avatar",
                    "avatar_id": "Angela-inblackskirt-20220820",
                    "script": "Hello there!",
                    "voice_id": "1bd001e7ffe04520adf63141a163d1f8",
                    "voice_settings": {"speed": 1.1},
                    "background": {"type": "color", "color": "#112233"},
                },
            }
        ],
        "resolution": "1080p",
        "aspect_ratio": "16:9",
        "title": "Welcome",
        "caption": {"file_format": "srt", "style": "default"},
    }
    check_request(call, "POST", VIDEOS, auth, expected)
    assert request_problems("VideoCreate", body_of(call)) == []
    assert re.fullmatch(r"[0-9a-f-]{36}", headers_of(call)["Idempotency-Key"])


async def test_get_video_status_reads_the_v3_video_into_the_same_output(wire, auth):
    assert response_problems("VideoGet", V3_COMPLETED) == []
    wire.get(STATUS, payload=V3_COMPLETED)

    output = data_of(await run_action("get_video_status", {"video_id": VIDEO_ID}, auth=auth))

    assert output == {
        **pending_video(VIDEO_ID),
        "status": "completed",
        "raw_status": "completed",
        "video_url": "https://files.heygen.ai/v.mp4",
        "thumbnail_url": "https://files.heygen.ai/t.jpg",
        "gif_url": "https://files.heygen.ai/g.gif",
        "caption_url": "https://files.heygen.ai/c.srt",
        "video_url_caption": "https://files.heygen.ai/vc.mp4",
        "captioned_video_url": "https://files.heygen.ai/vc.mp4",
        "subtitle_url": "https://files.heygen.ai/c.srt",
        "video_page_url": "https://app.heygen.com/videos/x",
        "completed_at": 1767225690,
        "duration": 4.2,
        "created_at": 1767225600,
    }
    (call,) = sent(wire)
    check_request(call, "GET", STATUS, auth)


async def test_a_failed_v3_video_carries_failure_code_and_message_in_error(wire):
    wire.get(
        STATUS,
        payload={
            "data": {
                "id": VIDEO_ID,
                "status": "failed",
                "failure_code": "avatar_not_found",
                "failure_message": "The avatar was deleted",
            }
        },
    )

    output = data_of(await run_action("get_video_status", {"video_id": VIDEO_ID}))

    assert output["status"] == "failed"
    assert output["error"] == {"code": "avatar_not_found", "message": "The avatar was deleted", "detail": None}


async def test_the_same_inputs_give_the_same_output_on_both_generations(wire, monkeypatch):
    legacy_answer = v1(
        {
            "id": VIDEO_ID,
            "status": "completed",
            "video_url": "https://files.heygen.ai/v.mp4",
            "duration": 4.2,
            "created_at": 1767225600,
        }
    )
    wire.get(
        STATUS,
        payload={
            "data": {
                "id": VIDEO_ID,
                "status": "completed",
                "video_url": "https://files.heygen.ai/v.mp4",
                "duration": 4.2,
                "created_at": 1767225600,
            }
        },
    )
    on_v3 = data_of(await run_action("get_video_status", {"video_id": VIDEO_ID}))
    monkeypatch.setenv("HEYGEN_API_VERSION", "legacy")
    wire.get(f"{API}/v1/video_status.get?video_id={VIDEO_ID}", payload=legacy_answer)

    on_legacy = data_of(await run_action("get_video_status", {"video_id": VIDEO_ID}))

    assert on_v3 == on_legacy
    assert [call[1].split("?")[0] for call in sent(wire)] == [STATUS, f"{API}/v1/video_status.get"]


async def test_photo_avatar_video_is_a_v3_image_video(wire):
    wire.post(VIDEOS, payload=CREATED_ANSWER)
    inputs = {
        "image_url": "https://cdn.example.com/me.png",
        "video_title": "Hi",
        "script": "Hello",
        "voice_id": "v1",
        "video_orientation": "portrait",
        "custom_motion_prompt": "nods",
        "expressiveness": "high",
    }

    data_of(await run_action("create_photo_avatar_video", inputs))

    body = body_of(sent(wire)[0])
    assert body == {
        "type": "image",
        "image": {"type": "url", "url": "https://cdn.example.com/me.png"},
        "title": "Hi",
        "script": "Hello",
        "voice_id": "v1",
        "motion_prompt": "nods",
        "aspect_ratio": "9:16",
        "expressiveness": "high",
    }
    assert request_problems("VideoCreate", body) == []


async def test_webm_video_is_a_v3_avatar_video_in_webm(wire):
    wire.post(VIDEOS, payload={"data": {"video_id": VIDEO_ID, "status": "waiting", "output_format": "webm"}})

    data_of(await run_action("create_webm_video", {"avatar_id": "look1", "input_text": "Hi", "voice_id": "v1"}))

    body = body_of(sent(wire)[0])
    assert body == {"type": "avatar", "avatar_id": "look1", "output_format": "webm", "script": "Hi", "voice_id": "v1"}
    assert request_problems("VideoCreate", body) == []


# ---------------------------------------------------------------- what v3 cannot say


@pytest.mark.parametrize(
    "change,field,words",
    [
        ({"test": True}, "test", "no free test mode"),
        ({"folder_id": "f1"}, "folder_id", "leave folder_id out"),
        ({"dimension": {"width": 1000, "height": 500}}, "dimension", "resolution and aspect_ratio"),
        (
            {"video_inputs": [{**SCENE, "character": {"type": "talking_photo", "talking_photo_id": "tp1"}}]},
            "video_inputs[0].character.talking_photo_id",
            "look id",
        ),
        (
            {"video_inputs": [{**SCENE, "background": {"type": "image", "url": "https://x.example/b.png"}}]},
            "video_inputs[0].background",
            "only a colour",
        ),
        (
            {"video_inputs": [{**SCENE, "voice": {"type": "silence", "duration": 2}}]},
            "video_inputs[0].voice",
            "still image",
        ),
        (
            {"video_inputs": [{**SCENE, "character": {**SCENE["character"], "scale": 1.5}}]},
            "video_inputs[0].character.scale",
            "no equivalent",
        ),
    ],
    ids=["test", "folder", "dimension", "talking_photo", "image_background", "silence", "scale"],
)
async def test_what_v3_cannot_express_goes_to_the_legacy_route_unchanged(wire, change, field, words):
    wire.post(LEGACY_GENERATE, payload=v2({"video_id": VIDEO_ID}))
    inputs = {"video_inputs": [SCENE], **change}

    data_of(await run_action("create_avatar_video", inputs))

    (call,) = sent(wire)
    assert call[1] == LEGACY_GENERATE
    assert body_of(call)["video_inputs"] == inputs["video_inputs"]
    assert "Idempotency-Key" not in headers_of(call)


async def test_test_mode_is_refused_when_the_legacy_route_is_gone_never_a_billed_render(wire):
    wire.post(LEGACY_GENERATE, status=404, body="<html><body>Not Found</body></html>", content_type="text/html")

    message = validation_error_of(await run_action("create_avatar_video", {"video_inputs": [SCENE], "test": True}))

    assert message.startswith("create_avatar_video: invalid input: test: HeyGen's v3 API has no free test mode")
    assert "no other route" in message
    assert [call[1] for call in sent(wire)] == [LEGACY_GENERATE]  # nothing was ever sent to /v3/videos


async def test_an_image_key_alone_names_what_v3_needs_when_legacy_is_gone(wire):
    wire.post(f"{API}/v2/video/av4/generate", status=410, payload={"error": {"code": "gone", "message": "Gone"}})

    message = validation_error_of(
        await run_action(
            "create_photo_avatar_video",
            {"image_key": "image/abc/original", "video_title": "t", "script": "Hi", "voice_id": "v"},
        )
    )

    assert "image_key: HeyGen's v3 API takes the photo as image_url or image_asset_id" in message


# ---------------------------------------------------------------- idempotency


async def test_a_create_that_timed_out_is_resent_with_the_same_key_and_heygen_replays(wire, monkeypatch):
    """HeyGen created the video, the answer never arrived: the resend carries the same key, one video exists."""
    seen_keys = []

    def slow_then_fine(url, **kwargs):
        seen_keys.append(kwargs["headers"]["Idempotency-Key"])
        if len(seen_keys) == 1:
            raise asyncio.TimeoutError()
        return CallbackResult(payload=CREATED_ANSWER)

    wire.post(VIDEOS, callback=slow_then_fine, repeat=True)

    output = data_of(await run_action("create_avatar_video", {"video_inputs": [SCENE]}))

    assert output["video_id"] == VIDEO_ID
    assert len(seen_keys) == 2 and seen_keys[0] == seen_keys[1]


async def test_a_workflow_key_is_sent_as_it_is(wire):
    wire.post(VIDEOS, payload=CREATED_ANSWER)

    data_of(await run_action("create_avatar_video", {"video_inputs": [SCENE], "idempotency_key": "run-42:step-3"}))

    assert headers_of(sent(wire)[0])["Idempotency-Key"] == "run-42:step-3"


async def test_409_request_in_progress_waits_and_gets_the_replayed_answer(wire):
    conflict = {"error": {"code": "request_in_progress", "message": "A request with this key is in progress"}}
    wire.post(VIDEOS, status=409, payload=conflict, headers={"Retry-After": "0"})
    wire.post(VIDEOS, payload=CREATED_ANSWER)

    output = data_of(await run_action("create_avatar_video", {"video_inputs": [SCENE]}))

    assert output["video_id"] == VIDEO_ID
    keys = {headers_of(call)["Idempotency-Key"] for call in sent(wire)}
    assert request_count(wire) == 2 and len(keys) == 1


async def test_a_key_reused_for_another_request_is_a_clear_error_and_is_not_retried(wire):
    reused = {"error": {"code": "idempotency_key_reused", "message": "Key used with a different body"}}
    wire.post(VIDEOS, status=422, payload=reused, headers={"X-Request-Id": "req-77"})

    message = error_of(await run_action("create_avatar_video", {"video_inputs": [SCENE], "idempotency_key": "k1"}))

    assert message.startswith("create_avatar_video failed: HeyGen 422 (idempotency_key_reused)")
    assert "Request id req-77." in message and "use a new key for a new request" in message
    assert request_count(wire) == 1


async def test_a_create_on_the_legacy_api_is_never_resent_after_a_timeout(wire, monkeypatch):
    monkeypatch.setenv("HEYGEN_API_VERSION", "legacy")
    wire.post(LEGACY_GENERATE, exception=asyncio.TimeoutError(), repeat=True)

    message = error_of(await run_action("create_avatar_video", {"video_inputs": [SCENE]}))

    assert "check get_video_status or list_videos" in message
    assert request_count(wire) == 1


# ---------------------------------------------------------------- generations and fallback


async def test_a_v3_route_that_is_not_served_falls_back_to_legacy_once_per_process(wire, caplog):
    wire.get(STATUS, status=404, body="404: Not Found", content_type="text/plain")
    wire.get(
        re.compile(rf"{API}/v1/video_status\.get.*"), payload=v1({"id": VIDEO_ID, "status": "processing"}), repeat=True
    )

    first = data_of(await run_action("get_video_status", {"video_id": VIDEO_ID}))
    second = data_of(await run_action("get_video_status", {"video_id": VIDEO_ID}))

    assert first["status"] == second["status"] == "processing"
    assert [call[1].split("?")[0] for call in sent(wire)] == [STATUS] + [f"{API}/v1/video_status.get"] * 2
    assert sum("does not serve GET /v3/videos/{video_id}" in r.message for r in caplog.records) == 1


async def test_a_resource_404_is_not_mistaken_for_a_missing_route(wire):
    wire.get(STATUS, status=404, payload={"error": {"code": "video_not_found", "message": "Video not found"}})

    message = error_of(await run_action("get_video_status", {"video_id": VIDEO_ID}))

    assert message.startswith("get_video_status failed: HeyGen 404 (video_not_found) Video not found.")
    assert request_count(wire) == 1


async def test_a_gone_legacy_only_route_says_it_is_gone(wire, monkeypatch):
    monkeypatch.setenv("HEYGEN_API_VERSION", "legacy")
    wire.get(STATUS, status=404, body="<html>gone</html>", content_type="text/html")
    wire.get(
        re.compile(rf"{API}/v1/video_status\.get.*"), status=404, body="<html>gone</html>", content_type="text/html"
    )

    message = error_of(await run_action("get_video_status", {"video_id": VIDEO_ID}, auth=API_KEY_AUTH))

    assert "HeyGen no longer serves GET /v1/video_status.get (legacy v1/v2)" in message


async def test_legacy_preference_uses_the_legacy_route_first(wire, monkeypatch):
    monkeypatch.setenv("HEYGEN_API_VERSION", "legacy")
    wire.post(LEGACY_GENERATE, payload=v2({"video_id": VIDEO_ID}))

    assert data_of(await run_action("create_avatar_video", {"video_inputs": [SCENE]}))["video_id"] == VIDEO_ID
    assert [call[1] for call in sent(wire)] == [LEGACY_GENERATE]


def test_new_output_fields_are_in_every_video_output_schema():
    from heygen import integration

    for name in ("get_video_status", "create_avatar_video", "create_photo_avatar_video", "create_webm_video"):
        properties = integration.config.actions[name].output_schema["properties"]
        assert set(V3_ONLY_VIDEO_FIELDS) | {"captioned_video_url"} <= set(properties), name
