"""Video translation and the video_completed trigger on HeyGen's v3 API: the same inputs and outputs as on the
legacy API, through /v3/video-translations... and GET /v3/videos (whose completed_at makes windows exact)."""

import asyncio
import time

from tests.conftest import OAUTH_AUTH, run_action, sent
from tests.helpers import V3_ONLY_VIDEO_FIELDS, check_auth, check_request, data_of, error_of, iso, poll_video_completed
from tests.test_library_translation import PENDING_TRANSLATION, SOURCE_VIDEO, TRANSLATE_ID
from tests.v3_wire import answer, gone_page, sent_body, url

LANGUAGES = url("VideoTranslateLanguagesList")
TRANSLATIONS = url("VideoTranslateCreate")
SECOND_ID = "d00d1234567890abcdef0123456789ab"


def translation(translate_id: str = TRANSLATE_ID, **fields) -> dict:
    return answer("VideoTranslateGet", {"id": translate_id, "status": "pending", **fields})


def translation_url(translate_id: str = TRANSLATE_ID) -> str:
    return url("VideoTranslateGet", video_translation_id=translate_id)


# ---------------------------------------------------------------- translation


async def test_list_translation_languages_on_v3(wire, auth, v3):
    body = answer("VideoTranslateLanguagesList", {"languages": ["English", "Spanish (Spain)"]})
    wire.get(LANGUAGES, payload=body)

    result = data_of(await run_action("list_translation_languages", {}, auth=auth))

    assert result == {"languages": ["English", "Spanish (Spain)"], "total": 2}
    (call,) = sent(wire)
    check_request(call, "GET", LANGUAGES, auth)


async def test_translate_video_sends_the_video_as_an_asset_ref_and_gives_the_legacy_output(wire, auth, v3):
    wire.post(TRANSLATIONS, payload=answer("VideoTranslateCreate", {"video_translation_ids": [TRANSLATE_ID]}))

    result = await run_action("translate_video", {"video_url": SOURCE_VIDEO, "output_language": "Spanish"}, auth=auth)

    assert data_of(result) == PENDING_TRANSLATION  # exactly the legacy route's output
    ((method, sent_url, kwargs),) = sent(wire)
    assert (method, sent_url) == ("POST", TRANSLATIONS)
    check_auth(kwargs["headers"], auth)
    assert kwargs["headers"]["Idempotency-Key"]
    body = sent_body("VideoTranslateCreate", kwargs)
    assert body == {"video": {"type": "url", "url": SOURCE_VIDEO}, "output_languages": ["Spanish"]}


async def test_translate_video_into_several_languages_gives_one_id_each(wire, v3):
    wire.post(
        TRANSLATIONS, payload=answer("VideoTranslateCreate", {"video_translation_ids": [TRANSLATE_ID, SECOND_ID]})
    )
    inputs = {
        "video_url": SOURCE_VIDEO,
        "output_languages": ["Spanish", "French (France)"],
        "title": "Launch (international)",
        "translate_audio_only": True,
        "speaker_num": 2,
        "callback_id": "tr-9",
        "folder_id": "fld_1",
        "idempotency_key": "run-7:translate",
    }

    result = data_of(await run_action("translate_video", inputs))

    assert result == {
        **PENDING_TRANSLATION,
        "title": "Launch (international)",
        "output_language": "Spanish",  # the first id is the first language's
        "video_translate_ids": [TRANSLATE_ID, SECOND_ID],
    }
    ((_, _, kwargs),) = sent(wire)
    assert kwargs["headers"]["Idempotency-Key"] == "run-7:translate"
    assert sent_body("VideoTranslateCreate", kwargs) == {
        "video": {"type": "url", "url": SOURCE_VIDEO},
        "output_languages": ["Spanish", "French (France)"],
        "title": "Launch (international)",
        "translate_audio_only": True,
        "speaker_num": 2,
        "callback_id": "tr-9",
        "folder_id": "fld_1",
    }


async def test_a_timed_out_translation_is_resent_with_the_same_key(wire, v3):
    wire.post(TRANSLATIONS, exception=asyncio.TimeoutError())
    wire.post(TRANSLATIONS, payload=answer("VideoTranslateCreate", {"video_translation_ids": [TRANSLATE_ID]}))

    result = data_of(await run_action("translate_video", {"video_url": SOURCE_VIDEO, "output_language": "Spanish"}))

    assert result["video_translate_ids"] == [TRANSLATE_ID]
    first, second = sent(wire)
    assert first[2]["headers"]["Idempotency-Key"] == second[2]["headers"]["Idempotency-Key"]


async def test_translate_video_waits_through_v3_statuses(wire, v3):
    wire.post(TRANSLATIONS, payload=answer("VideoTranslateCreate", {"video_translation_ids": [TRANSLATE_ID]}))
    wire.get(translation_url(), payload=translation(status="running"))
    done = {
        "status": "completed",
        "video_url": "https://files.heygen.ai/translate/es.mp4",
        "title": "source (Spanish)",
        "output_language": "es",
        "input_language": "en",
        "duration": 31.5,
        "srt_caption_url": "https://files.heygen.ai/translate/es.srt",
    }
    wire.get(translation_url(), payload=translation(**done))
    inputs = {"video_url": SOURCE_VIDEO, "output_language": "Spanish", "wait_for_completion": True}

    result = data_of(await run_action("translate_video", inputs))

    assert result == {
        **PENDING_TRANSLATION,
        "status": "completed",
        "raw_status": "completed",
        "url": "https://files.heygen.ai/translate/es.mp4",
        "title": "source (Spanish)",
        "output_language": "es",
        "input_language": "en",
        "duration": 31.5,
        "srt_caption_url": "https://files.heygen.ai/translate/es.srt",
    }
    post, *polls = sent(wire)
    for poll in polls:
        check_request(poll, "GET", translation_url(), OAUTH_AUTH)


async def test_get_translation_status_maps_v3_statuses_and_failure_message(wire, v3):
    wire.get(translation_url(), payload=translation(status="running"))
    wire.get(translation_url(), payload=translation(status="failed", failure_message="No speech found in the video"))

    running = data_of(await run_action("get_translation_status", {"video_translate_id": TRANSLATE_ID}))
    failed = data_of(await run_action("get_translation_status", {"video_translate_id": TRANSLATE_ID}))

    assert (running["status"], running["raw_status"], running["error"]) == ("processing", "running", None)
    assert (failed["status"], failed["error"]) == (
        "failed",
        {"code": None, "message": "No speech found in the video", "detail": None},
    )


async def test_waiting_on_a_failed_v3_translation_is_an_error_with_heygens_reason(wire, v3):
    wire.get(translation_url(), payload=translation(status="failed", failure_message="Could not download the video"))

    inputs = {"video_translate_id": TRANSLATE_ID, "wait_for_completion": True}
    message = error_of(await run_action("get_translation_status", inputs))

    assert (
        message == f"get_translation_status failed: job {TRANSLATE_ID} ended as failed: Could not download the video."
    )


async def test_translation_status_falls_back_to_v2_when_v3_is_gone(wire, v3):
    wire.get(translation_url(), **gone_page())
    legacy = {"video_translate_id": TRANSLATE_ID, "status": "success", "url": "https://files.heygen.ai/t/fr.mp4"}
    wire.get(f"https://api.heygen.com/v2/video_translate/{TRANSLATE_ID}", payload={"error": None, "data": legacy})

    result = data_of(await run_action("get_translation_status", {"video_translate_id": TRANSLATE_ID}))

    assert (result["status"], result["url"]) == ("completed", "https://files.heygen.ai/t/fr.mp4")


# ---------------------------------------------------------------- video_completed on GET /v3/videos

NOW = int(time.time())
LAST_POLL = NOW - 600
VIDEOS = url("VideoList")


def video(video_id: str, status: str, created_at: int, completed_at: int | None = None) -> dict:
    return {"id": video_id, "status": status, "created_at": created_at, "completed_at": completed_at}


def answer_video(wire, video_id: str, status: str, created_at: int, completed_at: int | None = None):
    data = {**video(video_id, status, created_at, completed_at), "video_url": f"https://files.heygen.ai/{video_id}.mp4"}
    if status == "failed":
        data.update(video_url=None, failure_code="too_long", failure_message="Video is too long")
    wire.get(url("VideoGet", video_id=video_id), payload=answer("VideoGet", data))


async def test_video_completed_takes_a_video_once_by_when_it_finished(wire, v3):
    listed = [
        video("vid-new", "completed", LAST_POLL - 1200, completed_at=LAST_POLL + 60),  # long render, done since
        video("vid-seen", "completed", LAST_POLL - 300, completed_at=LAST_POLL - 30),  # the last poll had it
        video("vid-fail", "failed", LAST_POLL + 10),  # no completed_at: the creation-time window decides
        video("vid-busy", "processing", LAST_POLL + 20),
    ]
    listed.sort(key=lambda item: -item["created_at"])
    wire.get(VIDEOS + "?limit=100", payload=answer("VideoList", listed, has_more=False, next_token=None))
    answer_video(wire, "vid-new", "completed", LAST_POLL - 1200, LAST_POLL + 60)
    answer_video(wire, "vid-fail", "failed", LAST_POLL + 10)

    records = await poll_video_completed({"lookback_minutes": 30}, iso(LAST_POLL))

    assert [record["id"] for record in records] == ["vid-fail", "vid-new"]  # by finish (or creation) time
    new = next(record["data"] for record in records if record["id"] == "vid-new")
    assert (new["status"], new["video_url"], new["completed_at"]) == (
        "completed",
        "https://files.heygen.ai/vid-new.mp4",
        LAST_POLL + 60,
    )
    failed = next(record["data"] for record in records if record["id"] == "vid-fail")
    assert failed["error"] == {"code": "too_long", "message": "Video is too long", "detail": None}
    assert set(V3_ONLY_VIDEO_FIELDS) <= set(new)
    reads = sorted(sent_url for method, sent_url, _ in sent(wire) if "/v3/videos/" in sent_url)
    assert reads == [url("VideoGet", video_id="vid-fail"), url("VideoGet", video_id="vid-new")]  # never vid-seen


async def test_video_completed_follows_the_v3_cursor_until_older_videos(wire, v3):
    first = [video("vid-2", "completed", LAST_POLL + 30, LAST_POLL + 40)]
    second = [video("vid-1", "completed", LAST_POLL + 5, LAST_POLL + 20), video("vid-0", "completed", LAST_POLL - 9)]
    wire.get(VIDEOS + "?limit=100&folder_id=fld_1", payload=answer("VideoList", first, has_more=True, next_token="k2"))
    wire.get(VIDEOS + "?limit=100&folder_id=fld_1&token=k2", payload=answer("VideoList", second, has_more=True))
    answer_video(wire, "vid-1", "completed", LAST_POLL + 5, LAST_POLL + 20)
    answer_video(wire, "vid-2", "completed", LAST_POLL + 30, LAST_POLL + 40)

    records = await poll_video_completed({"lookback_minutes": 0, "folder_id": "fld_1"}, iso(LAST_POLL))

    assert [record["id"] for record in records] == ["vid-1", "vid-2"]
    lists = [sent_url for method, sent_url, _ in sent(wire) if "/v3/videos?" in sent_url]
    assert len(lists) == 2  # stopped at vid-0, older than the window, though has_more was still true
