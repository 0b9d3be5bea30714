"""The video library (list_videos, delete_video, create_webm_video) and translation at the wire.

Each test runs the action through Integration.execute_action with a real ExecutionContext and checks the exact
request HeyGen receives (or that nothing was sent) and the flat output the workflow gets back.
"""

import aiohttp
import pytest

from tests.conftest import API, OAUTH_AUTH, request_count, run_action, sent
from tests.helpers import check_request, data_of, error_of, pending_video, v1, v2, validation_error_of

VIDEO_ID = "5d1f3b7a9c2e4f6a8b0d1c3e5f7a9b2c"
LIST = f"{API}/v1/video.list"
DELETE = f"{API}/v1/video.delete?video_id={VIDEO_ID}"
WEBM = f"{API}/v1/video.webm"
STATUS = f"{API}/v1/video_status.get?video_id={VIDEO_ID}"
TRANSLATE_ID = "c0ffee1234567890abcdef0123456789"
LANGUAGES = f"{API}/v2/video_translate/target_languages"
TRANSLATE = f"{API}/v2/video_translate"
TRANSLATION = f"{API}/v2/video_translate/{TRANSLATE_ID}"
CREATED = pending_video(VIDEO_ID)


# ---------------------------------------------------------------- list_videos

LISTED = {
    "token": "b2Zmc2V0OjM=",
    "videos": [
        {"video_id": "v1", "status": "completed", "created_at": 1700000300, "type": "GENERATED"},
        {"video_id": "v2", "status": "waiting", "created_at": 1700000200, "type": "GENERATED", "video_title": "Promo"},
        {"video_id": "v3", "status": "queued", "created_at": "1700000100", "type": "TRANSLATED"},
        {"video_id": "v4", "status": "failed", "created_at": None},
        {"status": "completed"},
    ],
}


async def test_list_videos_returns_the_page_in_the_status_vocabulary(wire, auth):
    wire.get(LIST, payload=v1(LISTED))

    result = await run_action("list_videos", {}, auth=auth)

    assert data_of(result) == {
        "videos": [
            {
                "video_id": "v1",
                "status": "completed",
                "raw_status": "completed",
                "created_at": 1700000300,
                "type": "GENERATED",
                "title": None,
            },
            {
                "video_id": "v2",
                "status": "pending",
                "raw_status": "waiting",
                "created_at": 1700000200,
                "type": "GENERATED",
                "title": "Promo",
            },
            {
                "video_id": "v3",
                "status": "pending",
                "raw_status": "queued",
                "created_at": 1700000100.0,
                "type": "TRANSLATED",
                "title": None,
            },
            {
                "video_id": "v4",
                "status": "failed",
                "raw_status": "failed",
                "created_at": None,
                "type": None,
                "title": None,
            },
        ],
        "next_token": "b2Zmc2V0OjM=",
        "has_more": True,
    }
    (call,) = sent(wire)
    check_request(call, "GET", LIST, auth)


async def test_list_videos_sends_paging_and_filters_as_query(wire):
    url = f"{LIST}?limit=3&token=b2Zmc2V0OjM%3D&folder_id=fld_1&title=Promo"
    wire.get(url, payload=v1({"token": None, "videos": []}))

    inputs = {"limit": 3, "token": "b2Zmc2V0OjM=", "folder_id": "fld_1", "title": "Promo"}
    result = await run_action("list_videos", inputs)

    assert data_of(result) == {"videos": [], "next_token": None, "has_more": False}
    (call,) = sent(wire)
    check_request(call, "GET", url, OAUTH_AUTH)


@pytest.mark.parametrize("last", [{"token": ""}, {}], ids=["empty_token", "no_token"])
async def test_list_videos_last_page_has_a_null_next_token(wire, last):
    wire.get(LIST, payload=v1({"videos": [], **last}))

    assert data_of(await run_action("list_videos", {}))["next_token"] is None


@pytest.mark.parametrize(("limit", "words"), [(0, "limit: must be at least 1"), (101, "limit: must be at most 100")])
async def test_list_videos_limit_out_of_range_is_refused_before_sending(wire, limit, words):
    assert words in validation_error_of(await run_action("list_videos", {"limit": limit}))
    assert request_count(wire) == 0


async def test_list_videos_heygen_refusal_is_an_error(wire):
    wire.get(f"{LIST}?token=garbage", status=400, payload={"code": 400, "message": "Invlid parameters"})

    message = error_of(await run_action("list_videos", {"token": "garbage"}))

    assert message == "list_videos failed: HeyGen 400 Invlid parameters."


# ---------------------------------------------------------------- delete_video


async def test_delete_video_sends_the_id_as_query(wire, auth):
    wire.delete(DELETE, payload={"code": 100, "data": None, "message": "Success"})

    result = await run_action("delete_video", {"video_id": VIDEO_ID}, auth=auth)

    assert data_of(result) == {"video_id": VIDEO_ID, "deleted": True}
    (call,) = sent(wire)
    check_request(call, "DELETE", DELETE, auth)


async def test_delete_video_of_an_unknown_id_is_an_error_with_a_hint(wire, auth):
    wire.delete(DELETE, status=404, payload={"code": 40104, "message": "Video not found"})

    message = error_of(await run_action("delete_video", {"video_id": VIDEO_ID}, auth=auth))

    assert message == (
        "delete_video failed: HeyGen 404 (40104) Video not found. Hint: No video has that id on this account: it may "
        "have been deleted; list_videos shows what exists."
    )
    assert request_count(wire) == 1


async def test_delete_video_is_retried_when_heygen_is_briefly_unavailable(wire):
    wire.delete(DELETE, status=503, payload={"code": 503, "message": "Service Unavailable"})
    wire.delete(DELETE, payload={"code": 100, "data": None, "message": "Success"})

    assert data_of(await run_action("delete_video", {"video_id": VIDEO_ID}))["deleted"] is True
    assert request_count(wire) == 2


async def test_delete_video_needs_a_video_id(wire):
    assert "video_id: must not be empty" in validation_error_of(await run_action("delete_video", {"video_id": ""}))
    assert request_count(wire) == 0


# ---------------------------------------------------------------- create_webm_video

WEBM_TEXT = {
    "avatar_pose_id": "Angela-inblackskirt-20220820",
    "avatar_style": "closeUp",
    "input_text": "Hi there, I float over your footage.",
    "voice_id": "1bd001e7ffe04520adf63141a163d1f8",
    "dimension": {"width": 1280, "height": 720},
}


async def test_create_webm_video_sends_text_and_voice(wire, auth):
    wire.post(WEBM, payload=v1({"video_id": VIDEO_ID}))

    result = await run_action("create_webm_video", WEBM_TEXT, auth=auth)

    assert data_of(result) == CREATED
    (call,) = sent(wire)
    check_request(call, "POST", WEBM, auth, WEBM_TEXT)


async def test_create_webm_video_sends_audio_instead_of_text(wire):
    inputs = {"avatar_pose_id": "Tyler-incasualsuit-20220721", "input_audio": "https://cdn.example.com/line.mp3"}
    wire.post(WEBM, payload=v1({"video_id": VIDEO_ID}))

    assert data_of(await run_action("create_webm_video", inputs)) == CREATED

    check_request(sent(wire)[0], "POST", WEBM, OAUTH_AUTH, inputs)


async def test_create_webm_video_waits_until_completed(wire):
    wire.post(WEBM, payload=v1({"video_id": VIDEO_ID}))
    wire.get(STATUS, payload=v1({"id": VIDEO_ID, "status": "processing"}))
    done = {"id": VIDEO_ID, "status": "completed", "video_url": "https://files.heygen.ai/v.webm", "duration": 3.0}
    wire.get(STATUS, payload=v1(done))

    result = await run_action("create_webm_video", {**WEBM_TEXT, "wait_for_completion": True, "timeout_seconds": 30})

    assert data_of(result) == {
        **CREATED,
        "status": "completed",
        "raw_status": "completed",
        "video_url": "https://files.heygen.ai/v.webm",
        "duration": 3.0,
    }
    post, *polls = sent(wire)
    check_request(post, "POST", WEBM, OAUTH_AUTH, WEBM_TEXT)  # the wait settings are not sent
    assert len(polls) == 2


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"input_audio": "https://cdn.example.com/line.mp3"}, "give only one of input_text or input_audio, not both"),
        ({"input_text": None, "voice_id": None}, "needs one of input_text or input_audio"),
        ({"voice_id": None}, "voice_id: is required when input_text is given"),
        ({"avatar_style": "circle"}, "avatar_style: must be one of: normal, closeUp"),
        (
            {"avatar_pose_id": None},
            "avatar_id: is required: an avatar look id (or avatar_pose_id on HeyGen's legacy API)",
        ),
        ({"input_text": "x" * 5001}, "input_text: must be at most 5000 characters"),
        ({"dimension": {"width": 1280}}, "dimension.height: is required"),
    ],
    ids=[
        "text_and_audio",
        "neither",
        "text_without_voice",
        "bad_style",
        "no_avatar",
        "text_too_long",
        "half_dimension",
    ],
)
async def test_create_webm_video_bad_inputs_are_refused_before_sending(wire, change, words):
    inputs = {k: v for k, v in {**WEBM_TEXT, **change}.items() if v is not None}

    assert words in validation_error_of(await run_action("create_webm_video", inputs))
    assert request_count(wire) == 0


async def test_create_webm_video_with_a_custom_avatar_is_heygens_error(wire):
    wire.post(WEBM, status=400, payload={"code": 400144, "message": "Avatar not found"})

    message = error_of(await run_action("create_webm_video", {**WEBM_TEXT, "avatar_pose_id": "my_photo_avatar"}))

    assert message == (
        "create_webm_video failed: HeyGen 400 (400144) Avatar not found. Hint: No avatar has that id: call "
        "list_avatars (or list_avatar_groups for your own) for valid ids."
    )
    assert request_count(wire) == 1


async def test_create_webm_video_is_not_resent_when_the_connection_breaks(wire):
    wire.post(WEBM, exception=aiohttp.ServerDisconnectedError())

    message = error_of(await run_action("create_webm_video", WEBM_TEXT))

    assert "check get_video_status or list_videos before trying again" in message
    assert request_count(wire) == 1


# ---------------------------------------------------------------- list_translation_languages


async def test_list_translation_languages_returns_the_names_and_total(wire, auth):
    languages = ["English", "Spanish (Mexico)", "Japanese"]
    wire.get(LANGUAGES, payload=v2({"languages": languages}))

    result = await run_action("list_translation_languages", {}, auth=auth)

    assert data_of(result) == {"languages": languages, "total": 3}
    (call,) = sent(wire)
    check_request(call, "GET", LANGUAGES, auth)


async def test_list_translation_languages_without_the_plan_is_an_error(wire):
    wire.get(LANGUAGES, status=403, payload={"error": {"code": 400599, "message": "Tier not supported"}, "data": None})

    message = error_of(await run_action("list_translation_languages", {}))

    assert message == (
        "list_translation_languages failed: HeyGen 403 (400599) Tier not supported. Hint: Your HeyGen plan does not "
        "include this feature: upgrade the plan or use another option."
    )


# ---------------------------------------------------------------- translate_video

SOURCE_VIDEO = "https://files.heygen.ai/video/source.mp4"
# Translation outputs fields only v3 fills; on the legacy API they are null.
V3_ONLY_TRANSLATION_FIELDS = dict.fromkeys(
    ("input_language", "audio_url", "srt_caption_url", "vtt_caption_url", "duration")
)
PENDING_TRANSLATION = {
    "video_translate_id": TRANSLATE_ID,
    "status": "pending",
    "raw_status": None,
    "error": None,
    "url": None,
    "title": None,
    "output_language": "Spanish",
    **V3_ONLY_TRANSLATION_FIELDS,
    "timed_out": False,
    "video_translate_ids": [TRANSLATE_ID],
}


async def test_translate_video_sends_the_request_and_returns_the_job(wire, auth):
    wire.post(TRANSLATE, payload=v2({"video_translate_id": TRANSLATE_ID}))

    result = await run_action("translate_video", {"video_url": SOURCE_VIDEO, "output_language": "Spanish"}, auth=auth)

    assert data_of(result) == PENDING_TRANSLATION
    (call,) = sent(wire)
    check_request(call, "POST", TRANSLATE, auth, {"video_url": SOURCE_VIDEO, "output_language": "Spanish"})


async def test_translate_video_sends_every_option(wire):
    inputs = {
        "video_url": SOURCE_VIDEO,
        "output_languages": ["Spanish", "French (France)"],
        "title": "Launch (international)",
        "translate_audio_only": True,
        "speaker_num": 2,
        "callback_id": "tr-9",
        "folder_id": "fld_2",
    }
    wire.post(TRANSLATE, payload=v2({"video_translate_id": TRANSLATE_ID}))

    result = await run_action("translate_video", inputs)

    assert data_of(result) == {**PENDING_TRANSLATION, "title": "Launch (international)", "output_language": None}
    check_request(sent(wire)[0], "POST", TRANSLATE, OAUTH_AUTH, inputs)


async def test_translate_video_waits_until_completed(wire):
    wire.post(TRANSLATE, payload=v2({"video_translate_id": TRANSLATE_ID}))
    wire.get(TRANSLATION, payload=v2({"video_translate_id": TRANSLATE_ID, "status": "running"}))
    done = {
        "video_translate_id": TRANSLATE_ID,
        "status": "success",
        "url": "https://files.heygen.ai/translate/es.mp4",
        "title": "source (Spanish)",
        "output_language": "Spanish",
        "message": None,
    }
    wire.get(TRANSLATION, payload=v2(done))

    inputs = {"video_url": SOURCE_VIDEO, "output_language": "Spanish", "wait_for_completion": True}
    result = await run_action("translate_video", inputs)

    assert data_of(result) == {
        **PENDING_TRANSLATION,
        "status": "completed",
        "raw_status": "success",
        "url": "https://files.heygen.ai/translate/es.mp4",
        "title": "source (Spanish)",
    }
    post, *polls = sent(wire)
    check_request(post, "POST", TRANSLATE, OAUTH_AUTH, {"video_url": SOURCE_VIDEO, "output_language": "Spanish"})
    for poll in polls:
        check_request(poll, "GET", TRANSLATION, OAUTH_AUTH)
    assert len(polls) == 2


async def test_translate_video_failure_while_waiting_is_an_error_with_heygens_message(wire):
    wire.post(TRANSLATE, payload=v2({"video_translate_id": TRANSLATE_ID}))
    failed = {"video_translate_id": TRANSLATE_ID, "status": "failed", "message": "Could not download the video"}
    wire.get(TRANSLATION, payload=v2(failed))

    inputs = {"video_url": SOURCE_VIDEO, "output_language": "Spanish", "wait_for_completion": True}
    message = error_of(await run_action("translate_video", inputs))

    assert message == f"translate_video failed: job {TRANSLATE_ID} ended as failed: Could not download the video."


@pytest.mark.parametrize(
    ("inputs", "words"),
    [
        ({"video_url": SOURCE_VIDEO}, "needs one of output_language or output_languages"),
        (
            {"video_url": SOURCE_VIDEO, "output_language": "Spanish", "output_languages": ["French"]},
            "give only one of output_language or output_languages, not both",
        ),
        ({"video_url": SOURCE_VIDEO, "output_languages": []}, "output_languages: must have at least 1 item"),
        ({"video_url": "files/source.mp4", "output_language": "Spanish"}, "video_url: must be a URL"),
        ({"output_language": "Spanish"}, "video_url: is required"),
        (
            {"video_url": SOURCE_VIDEO, "output_language": "Spanish", "speaker_num": 0},
            "speaker_num: must be at least 1",
        ),
    ],
    ids=["no_language", "both_language_fields", "empty_languages", "bad_url", "no_url", "zero_speakers"],
)
async def test_translate_video_bad_inputs_are_refused_before_sending(wire, inputs, words):
    assert words in validation_error_of(await run_action("translate_video", inputs))
    assert request_count(wire) == 0


async def test_translate_video_without_the_plan_is_an_error(wire):
    wire.post(TRANSLATE, status=403, payload={"error": {"code": 400599, "message": "Tier not supported"}})

    message = error_of(await run_action("translate_video", {"video_url": SOURCE_VIDEO, "output_language": "Spanish"}))

    assert message.startswith("translate_video failed: HeyGen 403 (400599) Tier not supported. Hint: Your HeyGen plan")
    assert request_count(wire) == 1


async def test_translate_video_answer_without_an_id_is_an_error(wire):
    wire.post(TRANSLATE, payload=v2({}))

    message = error_of(await run_action("translate_video", {"video_url": SOURCE_VIDEO, "output_language": "Spanish"}))

    assert message.startswith(
        "translate_video failed: HeyGen accepted the request but its answer has no video_translate_id"
    )


# ---------------------------------------------------------------- get_translation_status


@pytest.mark.parametrize(
    ("raw", "status"),
    [("pending", "pending"), ("running", "processing"), ("success", "completed"), ("something_new", "processing")],
)
async def test_get_translation_status_speaks_the_status_vocabulary(wire, auth, raw, status):
    wire.get(TRANSLATION, payload=v2({"video_translate_id": TRANSLATE_ID, "status": raw, "message": None}))

    result = await run_action("get_translation_status", {"video_translate_id": TRANSLATE_ID}, auth=auth)

    assert data_of(result) == {
        "video_translate_id": TRANSLATE_ID,
        "status": status,
        "raw_status": raw,
        "error": None,
        "url": None,
        "title": None,
        "output_language": None,
        **V3_ONLY_TRANSLATION_FIELDS,
        "timed_out": False,
    }
    (call,) = sent(wire)
    check_request(call, "GET", TRANSLATION, auth)


async def test_get_translation_status_of_a_failed_job_carries_heygens_message(wire):
    failed = {"video_translate_id": TRANSLATE_ID, "status": "failed", "message": "No speech found in the video"}
    wire.get(TRANSLATION, payload=v2(failed))

    result = await run_action("get_translation_status", {"video_translate_id": TRANSLATE_ID})

    assert data_of(result)["status"] == "failed"
    assert data_of(result)["error"] == {"code": None, "message": "No speech found in the video", "detail": None}


async def test_get_translation_status_waits_until_completed(wire):
    wire.get(TRANSLATION, payload=v2({"video_translate_id": TRANSLATE_ID, "status": "pending"}))
    done = {"video_translate_id": TRANSLATE_ID, "status": "success", "url": "https://files.heygen.ai/t/fr.mp4"}
    wire.get(TRANSLATION, payload=v2(done))

    inputs = {"video_translate_id": TRANSLATE_ID, "wait_for_completion": True}
    result = await run_action("get_translation_status", inputs)

    assert data_of(result)["status"] == "completed"
    assert data_of(result)["url"] == "https://files.heygen.ai/t/fr.mp4"
    assert request_count(wire) == 2


async def test_get_translation_status_of_an_unknown_id_is_an_error(wire):
    wire.get(TRANSLATION, status=404, payload={"error": {"code": "not_found", "message": "Translation not found"}})

    message = error_of(await run_action("get_translation_status", {"video_translate_id": TRANSLATE_ID}))

    assert message.startswith("get_translation_status failed: HeyGen 404 (not_found) Translation not found.")
