"""Video actions (create_avatar_video, create_photo_avatar_video, get_video_status) at the wire.

Each test runs the action through Integration.execute_action with a real ExecutionContext and checks the exact
request HeyGen receives and the flat output the workflow gets back.
"""

import functools

import pytest

from tests import helpers
from tests.conftest import API, OAUTH_AUTH, SECRETS, request_count, run_action, sent
from tests.helpers import V3_ONLY_VIDEO_FIELDS, check_request, data_of, pending_video, v1, v2

GENERATE = f"{API}/v2/video/generate"
AV4 = f"{API}/v2/video/av4/generate"
VIDEO_ID = "7a2c9e1b5f3d4a6e8b0c2d4f6a8b0c1d"
STATUS = f"{API}/v1/video_status.get?video_id={VIDEO_ID}"

AVATAR = {"type": "avatar", "avatar_id": "Angela-inblackskirt-20220820", "avatar_style": "normal"}
TEXT_VOICE = {
    "type": "text",
    "voice_id": "1bd001e7ffe04520adf63141a163d1f8",
    "input_text": "Welcome to our product tour!",
}
SCENE = {"character": AVATAR, "voice": TEXT_VOICE}

CREATED = pending_video(VIDEO_ID)

COMPLETED_DATA = {
    "id": VIDEO_ID,
    "status": "completed",
    "video_url": "https://files.heygen.ai/video/abc.mp4?Expires=1700604800",
    "thumbnail_url": "https://files.heygen.ai/thumb/abc.jpeg",
    "gif_url": "https://files.heygen.ai/gif/abc.gif",
    "caption_url": "https://files.heygen.ai/caption/abc.ass",
    "video_url_caption": "https://files.heygen.ai/video/abc_caption.mp4",
    "callback_id": "order-42",
    "duration": 12.345,
    "created_at": 1700000000,
    "error": None,
}
COMPLETED = {
    "video_id": VIDEO_ID,
    "status": "completed",
    "raw_status": "completed",
    "error": None,
    "video_url": "https://files.heygen.ai/video/abc.mp4?Expires=1700604800",
    "thumbnail_url": "https://files.heygen.ai/thumb/abc.jpeg",
    "gif_url": "https://files.heygen.ai/gif/abc.gif",
    "caption_url": "https://files.heygen.ai/caption/abc.ass",
    "video_url_caption": "https://files.heygen.ai/video/abc_caption.mp4",
    "duration": 12.345,
    "created_at": 1700000000,
    "callback_id": "order-42",
    **V3_ONLY_VIDEO_FIELDS,
    "captioned_video_url": "https://files.heygen.ai/video/abc_caption.mp4",
    "timed_out": False,
}
TOO_LONG = "Video is too long (> 3600.0s). Please upgrade your plan to generate longer videos"
FAILED_DATA = {
    "id": VIDEO_ID,
    "status": "failed",
    "video_url": None,
    "thumbnail_url": None,
    "gif_url": None,
    "caption_url": None,
    "duration": None,
    "callback_id": None,
    "created_at": 1700000000,
    "error": {"code": 40119, "detail": TOO_LONG, "message": "Video is too long (> 3600.0s)."},
}
FAILED_MESSAGE = (
    f"{{action}} failed: job {VIDEO_ID} ended as failed: (40119) {TOO_LONG}. Hint: The video is longer than your "
    "plan allows: shorten the script, split it across videos, or upgrade."
)


def status_of(status, **fields):
    return v1({"id": VIDEO_ID, "status": status, **fields})


# As these tests always were: their failure messages are not checked for credentials (test_errors checks that).
error_of = functools.partial(helpers.error_of, check_secrets=False)


# ---------------------------------------------------------------- create_avatar_video


async def test_create_avatar_video_sends_the_scene_and_returns_the_new_video(wire, auth):
    wire.post(GENERATE, payload=v2({"video_id": VIDEO_ID}))

    result = await run_action("create_avatar_video", {"video_inputs": [SCENE]}, auth=auth)

    assert data_of(result) == CREATED
    (call,) = sent(wire)
    check_request(call, "POST", GENERATE, auth, {"video_inputs": [SCENE]})


SCENES = {
    "avatar_every_option": {
        "character": {
            "type": "avatar",
            "avatar_id": "Tyler-incasualsuit-20220721",
            "avatar_style": "circle",
            "scale": 1.25,
            "offset": {"x": 0.1, "y": -0.2},
            "matting": True,
            "circle_background_color": "#112233",
        },
        "voice": TEXT_VOICE,
    },
    "avatar_close_up": {"character": {**AVATAR, "avatar_style": "closeUp"}, "voice": TEXT_VOICE},
    "talking_photo": {
        "character": {
            "type": "talking_photo",
            "talking_photo_id": "3f6c1a0b2d9e4c7f8a5b6c7d8e9f0a1b",
            "talking_photo_style": "circle",
            "talking_style": "expressive",
            "expression": "happy",
            "super_resolution": True,
            "scale": 0.8,
            "matting": False,
        },
        "voice": TEXT_VOICE,
    },
    "text_voice_every_option": {
        "character": AVATAR,
        "voice": {**TEXT_VOICE, "speed": 1.1, "pitch": -10, "emotion": "Friendly", "locale": "en-US"},
    },
    "audio_voice_url": {
        "character": AVATAR,
        "voice": {"type": "audio", "audio_url": "https://cdn.example.com/speech.mp3"},
    },
    "audio_voice_asset": {
        "character": AVATAR,
        "voice": {"type": "audio", "audio_asset_id": "c1a7f0d2e3b4"},
    },
    "silence_voice": {"character": AVATAR, "voice": {"type": "silence", "duration": 2.5}},
    "color_background": {
        "character": AVATAR,
        "voice": TEXT_VOICE,
        "background": {"type": "color", "value": "#0066CC"},
    },
    "image_background_url": {
        "character": AVATAR,
        "voice": TEXT_VOICE,
        "background": {"type": "image", "url": "https://cdn.example.com/office.jpg", "fit": "cover"},
    },
    "image_background_asset": {
        "character": AVATAR,
        "voice": TEXT_VOICE,
        "background": {"type": "image", "image_asset_id": "a9b8c7d6e5f4", "fit": "contain"},
    },
    "video_background_url": {
        "character": AVATAR,
        "voice": TEXT_VOICE,
        "background": {
            "type": "video",
            "url": "https://cdn.example.com/loop.mp4",
            "play_style": "loop",
            "fit": "crop",
        },
    },
    "video_background_asset": {
        "character": AVATAR,
        "voice": TEXT_VOICE,
        "background": {"type": "video", "video_asset_id": "f0e1d2c3b4a5", "play_style": "fit_to_scene"},
    },
    "text_overlay": {
        "character": AVATAR,
        "voice": TEXT_VOICE,
        "text": {
            "type": "text",
            "text": "Spring sale",
            "font_family": "Arial",
            "font_size": 48,
            "font_weight": "bold",
            "color": "#FFFFFF",
            "position": {"x": 0.5, "y": 0.9},
            "text_align": "center",
            "line_height": 1.2,
            "width": 800,
        },
    },
}


@pytest.mark.parametrize("scene", list(SCENES.values()), ids=list(SCENES))
async def test_create_avatar_video_passes_every_scene_type_through_unchanged(wire, scene):
    wire.post(GENERATE, payload=v2({"video_id": VIDEO_ID}))

    result = await run_action("create_avatar_video", {"video_inputs": [scene]})

    assert data_of(result) == CREATED
    (call,) = sent(wire)
    check_request(call, "POST", GENERATE, OAUTH_AUTH, {"video_inputs": [scene]})


async def test_create_avatar_video_sends_several_scenes_in_order(wire):
    scenes = [SCENES["color_background"], SCENES["talking_photo"], SCENES["silence_voice"]]
    wire.post(GENERATE, payload=v2({"video_id": VIDEO_ID}))

    result = await run_action("create_avatar_video", {"video_inputs": scenes})

    assert data_of(result)["video_id"] == VIDEO_ID
    (call,) = sent(wire)
    check_request(call, "POST", GENERATE, OAUTH_AUTH, {"video_inputs": scenes})


async def test_create_avatar_video_sends_every_top_level_option(wire, auth):
    inputs = {
        "video_inputs": [SCENE],
        "title": "Q3 update",
        "caption": True,
        "dimension": {"width": 1920, "height": 1080},
        "folder_id": "fld_77",
        "callback_id": "order-42",
        "callback_url": "https://hooks.example.com/heygen",
        "test": True,
    }
    wire.post(GENERATE, payload=v2({"video_id": VIDEO_ID}))

    result = await run_action("create_avatar_video", inputs, auth=auth)

    assert data_of(result) == {**CREATED, "callback_id": "order-42"}
    (call,) = sent(wire)
    check_request(call, "POST", GENERATE, auth, inputs)


async def test_create_avatar_video_does_not_send_the_wait_settings(wire):
    wire.post(GENERATE, payload=v2({"video_id": VIDEO_ID}))
    wire.get(STATUS, payload=status_of("completed"))

    await run_action(
        "create_avatar_video", {"video_inputs": [SCENE], "wait_for_completion": True, "timeout_seconds": 60}
    )

    check_request(sent(wire)[0], "POST", GENERATE, OAUTH_AUTH, {"video_inputs": [SCENE]})


async def test_create_avatar_video_without_video_id_in_the_answer_is_an_error(wire):
    wire.post(GENERATE, payload=v2({}))

    result = await run_action("create_avatar_video", {"video_inputs": [SCENE]})

    assert error_of(result) == (
        "create_avatar_video failed: HeyGen accepted the request but its answer has no video_id. Hint: HeyGen may "
        "have received the request and started the job: check get_video_status or list_videos before trying again, "
        "so the job (and its charge) is not doubled."
    )
    assert request_count(wire) == 1


async def test_create_avatar_video_waits_until_completed(wire, auth):
    wire.post(GENERATE, payload=v2({"video_id": VIDEO_ID}))
    wire.get(STATUS, payload=status_of("waiting"))
    wire.get(STATUS, payload=status_of("processing"))
    wire.get(STATUS, payload=v1(COMPLETED_DATA))

    result = await run_action("create_avatar_video", {"video_inputs": [SCENE], "wait_for_completion": True}, auth=auth)

    assert data_of(result) == COMPLETED
    calls = sent(wire)
    assert len(calls) == 4
    check_request(calls[0], "POST", GENERATE, auth, {"video_inputs": [SCENE]})
    for call in calls[1:]:
        check_request(call, "GET", STATUS, auth)


async def test_create_avatar_video_failed_job_is_an_error_with_the_id_and_reason(wire, auth):
    wire.post(GENERATE, payload=v2({"video_id": VIDEO_ID}))
    wire.get(STATUS, payload=status_of("processing"))
    wire.get(STATUS, payload=v1(FAILED_DATA))

    result = await run_action("create_avatar_video", {"video_inputs": [SCENE], "wait_for_completion": True}, auth=auth)

    message = error_of(result)
    assert message == FAILED_MESSAGE.format(action="create_avatar_video")
    assert request_count(wire) == 3
    assert not any(secret in message for secret in SECRETS)


async def test_create_avatar_video_wait_timeout_returns_the_latest_status(wire, virtual_clock):
    wire.post(GENERATE, payload=v2({"video_id": VIDEO_ID}))
    wire.get(STATUS, payload=status_of("processing", created_at=1700000000), repeat=True)

    inputs = {"video_inputs": [SCENE], "wait_for_completion": True, "timeout_seconds": 10}
    result = await run_action("create_avatar_video", inputs)

    assert data_of(result) == {
        **CREATED,
        "status": "processing",
        "raw_status": "processing",
        "created_at": 1700000000,
        "timed_out": True,
    }
    assert request_count(wire) == 4  # the POST, then polls at 4, 8 and 10 virtual seconds
    assert virtual_clock["sleeps"] == [4.0, 4.0, 2.0]


# ---------------------------------------------------------------- create_photo_avatar_video


async def test_create_photo_avatar_video_with_script(wire, auth):
    inputs = {
        "image_key": "image/9f8e7d6c5b4a/original",
        "video_title": "Welcome",
        "script": "Hello and welcome aboard!",
        "voice_id": "1bd001e7ffe04520adf63141a163d1f8",
        "video_orientation": "portrait",
        "fit": "cover",
        "custom_motion_prompt": "nods and smiles",
        "enhance_custom_motion_prompt": True,
    }
    wire.post(AV4, payload=v2({"video_id": VIDEO_ID}))

    result = await run_action("create_photo_avatar_video", inputs, auth=auth)

    assert data_of(result) == CREATED
    (call,) = sent(wire)
    check_request(call, "POST", AV4, auth, inputs)


@pytest.mark.parametrize(
    "audio",
    [{"audio_url": "https://cdn.example.com/speech.mp3"}, {"audio_asset_id": "c1a7f0d2e3b4"}],
    ids=["audio_url", "audio_asset_id"],
)
async def test_create_photo_avatar_video_with_audio(wire, auth, audio):
    inputs = {"image_key": "image/9f8e7d6c5b4a/original", "video_title": "Welcome", **audio}
    wire.post(AV4, payload=v2({"video_id": VIDEO_ID}))

    result = await run_action("create_photo_avatar_video", inputs, auth=auth)

    assert data_of(result) == CREATED
    (call,) = sent(wire)
    check_request(call, "POST", AV4, auth, inputs)


async def test_create_photo_avatar_video_waits_until_completed(wire):
    inputs = {
        "image_key": "image/9f8e7d6c5b4a/original",
        "video_title": "Welcome",
        "audio_asset_id": "c1a7f0d2e3b4",
        "wait_for_completion": True,
    }
    wire.post(AV4, payload=v2({"video_id": VIDEO_ID}))
    wire.get(STATUS, payload=status_of("pending"))
    wire.get(STATUS, payload=v1(COMPLETED_DATA))

    result = await run_action("create_photo_avatar_video", inputs)

    assert data_of(result) == COMPLETED
    check_request(
        sent(wire)[0],
        "POST",
        AV4,
        OAUTH_AUTH,
        {"image_key": "image/9f8e7d6c5b4a/original", "video_title": "Welcome", "audio_asset_id": "c1a7f0d2e3b4"},
    )
    assert request_count(wire) == 3


async def test_create_photo_avatar_video_failed_job_is_an_error(wire):
    inputs = {
        "image_key": "image/9f8e7d6c5b4a/original",
        "video_title": "Welcome",
        "audio_url": "https://cdn.example.com/speech.mp3",
        "wait_for_completion": True,
    }
    wire.post(AV4, payload=v2({"video_id": VIDEO_ID}))
    wire.get(STATUS, payload=v1(FAILED_DATA))

    result = await run_action("create_photo_avatar_video", inputs)

    assert error_of(result) == FAILED_MESSAGE.format(action="create_photo_avatar_video")


async def test_create_photo_avatar_video_wait_timeout_is_not_an_error(wire, virtual_clock):
    inputs = {
        "image_key": "image/9f8e7d6c5b4a/original",
        "video_title": "Welcome",
        "audio_url": "https://cdn.example.com/speech.mp3",
        "wait_for_completion": True,
        "timeout_seconds": 10,
    }
    wire.post(AV4, payload=v2({"video_id": VIDEO_ID}))
    wire.get(STATUS, payload=status_of("waiting"), repeat=True)

    result = await run_action("create_photo_avatar_video", inputs)

    assert data_of(result) == {**CREATED, "raw_status": "waiting", "timed_out": True}
    assert request_count(wire) == 4
    assert virtual_clock["sleeps"] == [4.0, 4.0, 2.0]


# ---------------------------------------------------------------- get_video_status


async def test_get_video_status_completed(wire, auth):
    wire.get(STATUS, payload=v1(COMPLETED_DATA))

    result = await run_action("get_video_status", {"video_id": VIDEO_ID}, auth=auth)

    assert data_of(result) == COMPLETED
    (call,) = sent(wire)
    check_request(call, "GET", STATUS, auth)


async def test_get_video_status_failed_without_waiting_reports_the_reason(wire):
    wire.get(STATUS, payload=v1(FAILED_DATA))

    result = await run_action("get_video_status", {"video_id": VIDEO_ID})

    assert data_of(result) == {
        **CREATED,
        "status": "failed",
        "raw_status": "failed",
        "error": {"code": "40119", "message": "Video is too long (> 3600.0s).", "detail": TOO_LONG},
        "created_at": 1700000000,
    }


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("waiting", "pending"),
        ("pending", "pending"),
        ("queued", "pending"),
        ("processing", "processing"),
        ("rendering", "processing"),
        ("Uploading_To_CDN", "processing"),
    ],
)
async def test_get_video_status_maps_every_status_word(wire, raw, status):
    wire.get(STATUS, payload=status_of(raw))

    result = await run_action("get_video_status", {"video_id": VIDEO_ID})

    assert data_of(result) == {**CREATED, "status": status, "raw_status": raw}


async def test_get_video_status_missing_fields_are_none(wire):
    wire.get(STATUS, payload=v1({"status": "processing"}))

    result = await run_action("get_video_status", {"video_id": VIDEO_ID})

    assert data_of(result) == {**CREATED, "status": "processing", "raw_status": "processing"}


async def test_get_video_status_failed_without_a_reason_has_error_none(wire):
    wire.get(STATUS, payload=v1({"id": VIDEO_ID, "status": "failed", "error": None}))

    result = await run_action("get_video_status", {"video_id": VIDEO_ID})

    assert data_of(result) == {**CREATED, "status": "failed", "raw_status": "failed"}


async def test_get_video_status_escapes_the_id_in_the_query(wire):
    url = f"{API}/v1/video_status.get?video_id=a%26b%3Dc"
    wire.get(url, payload=status_of("processing"))

    result = await run_action("get_video_status", {"video_id": "a&b=c"})

    assert data_of(result)["video_id"] == "a&b=c"
    (call,) = sent(wire)
    assert call[2]["params"] == {"video_id": "a&b=c"}


async def test_get_video_status_waits_through_unknown_statuses_until_completed(wire, auth):
    wire.get(STATUS, payload=status_of("queued"))
    wire.get(STATUS, payload=status_of("rendering"))
    wire.get(STATUS, payload=status_of("processing"))
    wire.get(STATUS, payload=v1(COMPLETED_DATA))

    result = await run_action("get_video_status", {"video_id": VIDEO_ID, "wait_for_completion": True}, auth=auth)

    assert data_of(result) == COMPLETED
    calls = sent(wire)
    assert len(calls) == 4
    for call in calls:
        check_request(call, "GET", STATUS, auth)


async def test_get_video_status_wait_on_failed_job_is_an_error(wire):
    wire.get(STATUS, payload=status_of("processing"))
    wire.get(STATUS, payload=v1(FAILED_DATA))

    result = await run_action("get_video_status", {"video_id": VIDEO_ID, "wait_for_completion": True})

    assert error_of(result) == FAILED_MESSAGE.format(action="get_video_status")
    assert request_count(wire) == 2


async def test_get_video_status_wait_timeout_returns_timed_out(wire, virtual_clock):
    wire.get(STATUS, payload=status_of("processing", duration=None), repeat=True)

    result = await run_action(
        "get_video_status", {"video_id": VIDEO_ID, "wait_for_completion": True, "timeout_seconds": 10}
    )

    assert data_of(result) == {**CREATED, "status": "processing", "raw_status": "processing", "timed_out": True}
    assert request_count(wire) == 4  # the first status, then polls at 4, 8 and 10 virtual seconds
    assert virtual_clock["sleeps"] == [4.0, 4.0, 2.0]
