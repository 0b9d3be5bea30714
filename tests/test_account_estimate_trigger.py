"""get_remaining_quota and the connected account at the wire; estimate_video offline; the video_completed trigger.

Actions run through Integration.execute_action, the account through Integration.get_connected_account and the
trigger through Integration.execute_polling_trigger, each with a real ExecutionContext.
"""

import functools
import logging
import time

import pytest
from autohive_integrations_sdk import ConnectedAccountInfo

import heygen
from heygen_actions import triggers
from tests import helpers
from tests.conftest import ACCESS_TOKEN, API, API_KEY_AUTH, OAUTH_AUTH, request_count, run_action, sent
from tests.helpers import (
    V3_ONLY_VIDEO_FIELDS,
    connected_account,
    data_of,
    error_of,
    iso,
    poll_video_completed,
    split,
    v1,
    v2,
    validation_error_of,
    words,
)

QUOTA = f"{API}/v2/user/remaining_quota"
V3_ME = f"{API}/v3/users/me"
V1_ME = f"{API}/v1/user/me"
VIDEO_LIST = f"{API}/v1/video.list"


# As these tests always were: a request without a body is not also checked for a missing Content-Type.
check_request = functools.partial(helpers.check_request, content_type_only_with_body=False)


# ---------------------------------------------------------------- get_remaining_quota

# Fields only v3 fills (how the account is billed); null on the legacy API.
V3_ONLY_QUOTA_FIELDS = {"billing_type": None, "currency": None, "remaining_balance": None, "plan": None}


async def test_get_remaining_quota_returns_quota_credits_and_heygens_breakdown(wire, auth):
    wire.get(QUOTA, payload=v2({"remaining_quota": 3000, "details": {"api": 3000, "streaming_avatar": 120}}))

    data = data_of(await run_action("get_remaining_quota", {}, auth=auth))

    assert data == {
        "remaining_quota": 3000,
        "credits": 50.0,
        "details": {"api": 3000, "streaming_avatar": 120},
        **V3_ONLY_QUOTA_FIELDS,
    }
    (call,) = sent(wire)
    check_request(call, "GET", QUOTA, auth)


async def test_get_remaining_quota_rounds_credits_to_two_decimals(wire):
    wire.get(QUOTA, payload=v2({"remaining_quota": 1234, "details": {}}))

    data = data_of(await run_action("get_remaining_quota", {}))

    assert data["credits"] == 20.57  # 1234 / 60 = 20.5666...


async def test_get_remaining_quota_what_heygen_did_not_send_is_null(wire):
    wire.get(QUOTA, payload=v2({"remaining_quota": "lots"}))

    assert data_of(await run_action("get_remaining_quota", {})) == {
        "remaining_quota": None,
        "credits": None,
        "details": None,
        **V3_ONLY_QUOTA_FIELDS,
    }


async def test_get_remaining_quota_refuses_inputs_before_sending(wire):
    assert "plan: is not a known field" in validation_error_of(await run_action("get_remaining_quota", {"plan": "pro"}))
    assert request_count(wire) == 0


async def test_get_remaining_quota_reports_heygens_error(wire):
    wire.get(QUOTA, status=403, payload={"error": {"code": 400599, "message": "Tier not supported"}, "data": None})

    message = error_of(await run_action("get_remaining_quota", {}))

    assert message.startswith(
        "get_remaining_quota failed: HeyGen 403 (400599) Tier not supported. Hint: Your HeyGen plan"
    )


# ---------------------------------------------------------------- connected account


PROFILE = {
    "username": "15ebafd83a8521f0b8d56a14c8a4bd72",
    "email": "jane.doe@example.com",
    "first_name": "Jane",
    "last_name": "Doe",
    "billing_type": "wallet",
    "wallet": {"currency": "usd", "remaining_balance": 42.5},
}


async def test_connected_account_shows_who_is_connected_from_v3(wire, auth):
    wire.get(V3_ME, payload={"data": PROFILE})

    info = await connected_account(auth)

    assert info == ConnectedAccountInfo(
        email="jane.doe@example.com",
        first_name="Jane",
        last_name="Doe",
        username="15ebafd83a8521f0b8d56a14c8a4bd72",
        user_id="15ebafd83a8521f0b8d56a14c8a4bd72",
    )
    (call,) = sent(wire)
    check_request(call, "GET", V3_ME, auth)


async def test_connected_account_falls_back_to_the_v1_profile(wire):
    wire.get(V3_ME, status=404, payload={"error": {"code": "not_found", "message": "Not found"}})
    wire.get(V1_ME, payload={"code": 100, "data": {**PROFILE, "email": None}, "msg": None, "message": None})

    info = await connected_account(OAUTH_AUTH)

    assert (info.username, info.first_name, info.email) == (PROFILE["username"], "Jane", None)
    assert [split(url)[2] for _, url, _ in sent(wire)] == ["/v3/users/me", "/v1/user/me"]


async def test_connected_account_is_empty_never_an_exception_when_heygen_refuses(wire, caplog):
    wire.get(V3_ME, status=401, payload={"error": {"code": "unauthorized", "message": f"bad token {ACCESS_TOKEN}"}})
    wire.get(V1_ME, status=500, payload={"code": 500, "message": "boom"})

    with caplog.at_level(logging.INFO, logger="heygen"):
        info = await connected_account(OAUTH_AUTH)

    assert info == ConnectedAccountInfo()
    assert ACCESS_TOKEN not in caplog.text and "unavailable" in caplog.text


async def test_connected_account_is_empty_when_heygen_cannot_be_reached(wire):
    info = await connected_account(API_KEY_AUTH)  # nothing registered: every request fails to connect

    assert info == ConnectedAccountInfo()


async def test_connected_account_without_credentials_sends_nothing(wire):
    info = await connected_account({"auth_type": "PlatformOauth2", "credentials": {}})

    assert info == ConnectedAccountInfo()
    assert request_count(wire) == 0


async def test_connected_account_ignores_fields_of_the_wrong_type(wire):
    wire.get(V3_ME, payload={"data": {"username": 12345, "email": ["a@b.c"], "first_name": "", "id": "u-9"}})

    assert await connected_account(OAUTH_AUTH) == ConnectedAccountInfo(user_id="u-9")


# ---------------------------------------------------------------- estimate_video

AVATAR = {"type": "avatar", "avatar_id": "Angela-inblackskirt-20220820"}
PHOTO = {"type": "talking_photo", "talking_photo_id": "3f6c1a0b2d9e4c7f"}
VOICE_ID = "1bd001e7ffe04520adf63141a163d1f8"


def text_scene(text, character=AVATAR, **voice):
    return {"character": character, "voice": {"type": "text", "voice_id": VOICE_ID, "input_text": text, **voice}}


async def estimate(wire, inputs):
    result = await run_action("estimate_video", inputs)
    assert request_count(wire) == 0  # offline: nothing is sent to HeyGen
    return data_of(result)


async def test_a_150_word_script_is_one_minute_and_one_avatar_credit(wire):
    data = await estimate(wire, {"script": words(150)})

    assert data == {
        "scenes": [
            {
                "index": 0,
                "kind": "text",
                "character_type": "avatar",
                "words": 150,
                "characters": 749,
                "seconds": 60.0,
                "warnings": [],
            }
        ],
        "total_seconds": 60.0,
        "known_seconds": 60.0,
        "credits": {"avatar": 1.0, "photo_avatar": 0.0, "total": 1.0},
        "plan": "pro",
        "plan_max_seconds": 300.0,
        "words_per_minute": 150.0,
        "warnings": [],
    }


async def test_speed_divides_the_speaking_time(wire):
    fast = await estimate(wire, {"script": words(150), "speed": 1.5})
    slow = await estimate(wire, {"script": words(150), "speed": 0.5})

    assert (fast["total_seconds"], slow["total_seconds"]) == (40.0, 120.0)
    assert (fast["credits"]["total"], slow["credits"]["total"]) == (0.67, 2.0)


async def test_a_script_spoken_by_a_talking_photo_costs_a_fifth(wire):
    data = await estimate(wire, {"script": words(300), "character_type": "talking_photo"})

    assert data["credits"] == {"avatar": 0.0, "photo_avatar": 0.4, "total": 0.4}
    assert data["scenes"][0]["character_type"] == "talking_photo"


async def test_credits_follow_each_scenes_character_type(wire):
    scenes = [
        text_scene(words(150)),  # 60 s avatar
        text_scene(words(75), PHOTO),  # 30 s talking photo
        {"character": PHOTO, "voice": {"type": "silence", "duration": 30.0}},  # 30 s talking photo
    ]

    data = await estimate(wire, {"video_inputs": scenes})

    assert [scene["seconds"] for scene in data["scenes"]] == [60.0, 30.0, 30.0]
    assert data["credits"] == {"avatar": 1.0, "photo_avatar": 0.2, "total": 1.2}
    assert data["total_seconds"] == 120.0


async def test_scene_speed_and_silence_lengths(wire):
    scenes = [
        text_scene(words(30), speed=1.2),  # 30 words at 150 wpm / 1.2 = 10 s
        {"character": AVATAR, "voice": {"type": "silence", "duration": 2.5}},
        {"character": AVATAR, "voice": {"type": "silence"}},  # HeyGen's default 1 s
    ]

    data = await estimate(wire, {"video_inputs": scenes})

    assert [(s["kind"], s["seconds"], s["words"]) for s in data["scenes"]] == [
        ("text", 10.0, 30),
        ("silence", 2.5, 0),
        ("silence", 1.0, 0),
    ]
    assert data["total_seconds"] == 13.5


AUDIO = {"character": AVATAR, "voice": {"type": "audio", "audio_url": "https://cdn.example.com/a.mp3"}}


async def test_an_audio_scene_of_unknown_length_leaves_the_total_unknown(wire):
    data = await estimate(wire, {"video_inputs": [text_scene(words(150)), AUDIO]})

    assert data["scenes"][1]["seconds"] is None
    assert (data["total_seconds"], data["known_seconds"]) == (None, 60.0)
    assert data["credits"]["total"] == 1.0  # a lower bound: the audio is not counted
    assert data["warnings"] == ["scene 1: audio length unknown: pass it in audio_seconds for a complete estimate"]


async def test_audio_seconds_gives_the_audio_scenes_length(wire):
    inputs = {"video_inputs": [text_scene(words(150)), AUDIO], "audio_seconds": [None, 42.5]}

    data = await estimate(wire, inputs)

    assert data["scenes"][1] == {
        "index": 1,
        "kind": "audio",
        "character_type": "avatar",
        "words": 0,
        "characters": 0,
        "seconds": 42.5,
        "warnings": [],
    }
    assert (data["total_seconds"], data["credits"]["avatar"], data["warnings"]) == (102.5, 1.71, [])


@pytest.mark.parametrize(
    "plan, seconds, warned",
    [("free", 220, True), ("pro", 220, False), ("pro", 320, True), ("scale", 1740, False), ("scale", 1920, True)],
)
async def test_length_over_the_plans_maximum_is_warned(wire, plan, seconds, warned):
    # Scenes of 100 s (250 words at 150 a minute), so no scene's text is over 5000 characters.
    scenes = [text_scene(words(250)) for _ in range(seconds // 100)] + [text_scene(words(seconds % 100 * 5 // 2))]
    data = await estimate(wire, {"video_inputs": scenes, "plan": plan})

    assert data["total_seconds"] == seconds
    if warned:
        limit = {"free": "3.0 min", "pro": "5.0 min", "scale": "30.0 min"}[plan]
        assert data["warnings"] == [
            f"about {seconds / 60:.1f} min: over the {plan} plan's {limit} maximum: HeyGen would fail the video "
            "(40119); shorten it, split it across videos, or upgrade"
        ]
    else:
        assert data["warnings"] == []


async def test_unknown_audio_after_a_too_long_part_still_warns_with_at_least(wire):
    inputs = {"video_inputs": [text_scene(words(500)), AUDIO], "plan": "free"}

    data = await estimate(wire, inputs)

    assert data["warnings"][1].startswith("at least 3.3 min: over the free plan's 3.0 min maximum")


async def test_test_mode_is_free_but_warned_over_60_seconds(wire):
    data = await estimate(wire, {"script": words(200), "test": True})

    assert data["credits"] == {"avatar": 0.0, "photo_avatar": 0.0, "total": 0.0}
    assert data["warnings"] == [
        "about 1.3 min: over test mode's 60 s limit: shorten it, or use test false (credits apply)"
    ]
    assert (await estimate(wire, {"script": words(100), "test": True}))["warnings"] == []


async def test_a_script_over_5000_characters_is_warned(wire):
    script = "abcd " * 1001  # 5005 characters, 1001 words

    data = await estimate(wire, {"script": script})

    assert data["scenes"][0]["characters"] == 5005
    assert data["warnings"][0] == (
        "scene 0: text is 5005 characters, over HeyGen's 5000 per scene: split it into scenes"
    )


@pytest.mark.parametrize(
    "inputs, words_expected",
    [
        ({}, "needs one of video_inputs or script"),
        ({"script": "Hi", "video_inputs": [text_scene("Hi")]}, "give only one of video_inputs or script, not both"),
        ({"video_inputs": [text_scene("Hi")], "speed": 1.2}, "script: is required when speed is given"),
        ({"script": "Hi", "audio_seconds": [3]}, "video_inputs: is required when audio_seconds is given"),
        ({"script": "Hi", "plan": "team"}, "plan: must be one of: free, pro, scale, enterprise"),
        ({"script": "Hi", "speed": 2}, "speed: must be at most 1.5"),
        ({"video_inputs": [{"character": AVATAR, "voice": {"type": "text"}}]}, "video_inputs[0].voice.input_text"),
        ({"video_inputs": [AUDIO], "audio_seconds": [601]}, "audio_seconds[0]: must be at most 600"),
    ],
)
async def test_estimate_video_refuses_bad_inputs(wire, inputs, words_expected):
    assert words_expected in validation_error_of(await run_action("estimate_video", inputs))
    assert request_count(wire) == 0


async def test_audio_seconds_for_a_scene_that_is_not_audio_is_refused(wire):
    inputs = {"video_inputs": [text_scene("Hi"), AUDIO], "audio_seconds": [3.0, 4.0]}

    message = validation_error_of(await run_action("estimate_video", inputs))

    assert message == "estimate_video: invalid input: audio_seconds[0]: scene 0 is not an audio scene: use null for it"
    assert request_count(wire) == 0


async def test_audio_seconds_longer_than_the_scenes_is_refused(wire):
    message = validation_error_of(
        await run_action("estimate_video", {"video_inputs": [AUDIO], "audio_seconds": [3, None]})
    )

    assert message == "estimate_video: invalid input: audio_seconds: has 2 entries but video_inputs has 1 scenes"


def test_estimate_video_takes_the_same_scenes_as_create_avatar_video():
    strict = heygen.integration.strict_inputs
    estimate_scenes = strict("estimate_video")["properties"]["video_inputs"]["items"]
    create_scenes = strict("create_avatar_video")["properties"]["video_inputs"]["items"]
    assert estimate_scenes == create_scenes
    batch_scenes = strict("create_avatar_video_batch")["properties"]["videos"]["items"]["properties"]["video_inputs"]
    assert batch_scenes["items"] == create_scenes


# ---------------------------------------------------------------- video_completed trigger

NOW = int(time.time())
T0 = NOW - 600  # the previous poll, ten minutes ago


def listed(video_id, status, created_at):
    return {"video_id": video_id, "status": status, "created_at": created_at, "type": "GENERATED"}


def status_url(video_id):
    return f"{API}/v1/video_status.get?video_id={video_id}"


def answer_status(wire, video_id, status, created_at, **fields):
    data = {"id": video_id, "status": status, "created_at": created_at, **fields}
    if status == "completed":
        data.update(video_url=f"https://files.heygen.ai/{video_id}.mp4", duration=12.5)
    if status == "failed":
        data["error"] = {"code": 40119, "message": "Video is too long", "detail": "Video is too long (> 300.0s)"}
    wire.get(status_url(video_id), payload=v1(data))


def list_url(**query):
    params = {"limit": 100, **query}
    return VIDEO_LIST + "?" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))


def paths(wire):
    return [(method, split(url)[2], dict(split(url)[3])) for method, url, _ in sent(wire)]


async def test_emits_completed_and_failed_videos_once_across_two_polls(wire):
    # Poll 1, since T0 (strict window): a completed and a failed video are new, one is still rendering,
    # one finished before the window.
    wire.get(
        list_url(),
        payload=v1(
            {
                "token": None,
                "videos": [
                    listed("vid-c", "processing", T0 + 30),
                    listed("vid-b", "failed", T0 + 20),
                    listed("vid-a", "completed", T0 + 10),
                    listed("vid-old", "completed", T0 - 100),
                ],
            }
        ),
    )
    answer_status(wire, "vid-a", "completed", T0 + 10, callback_id="order-1")
    answer_status(wire, "vid-b", "failed", T0 + 20)

    first = await poll_video_completed({"lookback_minutes": 0}, iso(T0))

    assert [record["id"] for record in first] == ["vid-a", "vid-b"]  # oldest first
    assert first[0]["data"] == {
        "video_id": "vid-a",
        "status": "completed",
        "raw_status": "completed",
        "error": None,
        "video_url": "https://files.heygen.ai/vid-a.mp4",
        "thumbnail_url": None,
        "gif_url": None,
        "caption_url": None,
        "video_url_caption": None,
        "duration": 12.5,
        "created_at": T0 + 10,
        "callback_id": "order-1",
        **V3_ONLY_VIDEO_FIELDS,
        "captioned_video_url": None,
    }
    assert first[1]["data"]["status"] == "failed"
    assert first[1]["data"]["error"] == {
        "code": "40119",
        "message": "Video is too long",
        "detail": "Video is too long (> 300.0s)",
    }
    status_reads = sorted(query["video_id"] for method, path, query in paths(wire) if path == "/v1/video_status.get")
    assert status_reads == ["vid-a", "vid-b"]  # nothing read for the rendering or the old video

    # Poll 2, since the first poll: only the video created since then is new.
    wire.requests.clear()
    t1 = T0 + 60
    wire.get(
        list_url(),
        payload=v1(
            {
                "token": None,
                "videos": [
                    listed("vid-e", "completed", t1 + 5),
                    listed("vid-c", "processing", T0 + 30),
                    listed("vid-b", "failed", T0 + 20),
                    listed("vid-a", "completed", T0 + 10),
                ],
            }
        ),
    )
    answer_status(wire, "vid-e", "completed", t1 + 5)

    second = await poll_video_completed({"lookback_minutes": 0}, iso(t1))

    assert [record["id"] for record in second] == ["vid-e"]


async def test_a_video_still_rendering_at_the_last_poll_is_caught_by_the_lookback(wire):
    wire.get(
        list_url(),
        payload=v1({"videos": [listed("vid-c", "processing", T0 + 30), listed("vid-a", "success", T0 + 10)]}),
    )
    answer_status(wire, "vid-a", "completed", T0 + 10)
    first = await poll_video_completed({}, iso(T0))

    wire.get(
        list_url(),
        payload=v1({"videos": [listed("vid-c", "completed", T0 + 30), listed("vid-a", "completed", T0 + 10)]}),
    )
    answer_status(wire, "vid-a", "completed", T0 + 10)
    answer_status(wire, "vid-c", "completed", T0 + 30)
    second = await poll_video_completed({}, iso(T0 + 60))  # vid-c was created before this poll's last_poll_ts

    assert [r["id"] for r in first] == ["vid-a"]
    assert [r["id"] for r in second] == ["vid-a", "vid-c"]
    # vid-a is found again with the same record id, which the platform has already fired: each video fires once.
    fired = {}
    for record in first + second:
        fired.setdefault(record["id"], record["data"])
    assert list(fired) == ["vid-a", "vid-c"]


async def test_include_failed_false_skips_failed_videos_without_reading_them(wire):
    wire.get(
        list_url(), payload=v1({"videos": [listed("vid-b", "failed", NOW - 5), listed("vid-a", "completed", NOW - 9)]})
    )
    answer_status(wire, "vid-a", "completed", NOW - 9)

    records = await poll_video_completed({"include_failed": False}, iso(T0))

    assert [r["id"] for r in records] == ["vid-a"]
    assert request_count(wire) == 2


async def test_folder_id_and_the_next_page_token_go_in_the_query_and_paging_stops_at_older_videos(wire):
    wire.get(
        list_url(folder_id="f-1"), payload=v1({"token": "page-2", "videos": [listed("vid-2", "completed", NOW - 5)]})
    )
    wire.get(
        list_url(folder_id="f-1", token="page-2"),
        payload=v1(
            {"token": "page-3", "videos": [listed("vid-1", "completed", NOW - 50), listed("old", "completed", 1)]}
        ),
    )
    answer_status(wire, "vid-1", "completed", NOW - 50)
    answer_status(wire, "vid-2", "completed", NOW - 5)

    records = await poll_video_completed({"folder_id": "f-1"}, iso(T0))

    assert [r["id"] for r in records] == ["vid-1", "vid-2"]
    lists = [query for method, path, query in paths(wire) if path == "/v1/video.list"]
    assert lists == [{"limit": "100", "folder_id": "f-1"}, {"limit": "100", "folder_id": "f-1", "token": "page-2"}]
    (first_call,) = [call for call in sent(wire) if "video.list" in call[1]][:1]
    check_request(first_call, "GET", list_url(folder_id="f-1"), OAUTH_AUTH)


async def test_paging_is_bounded(wire, monkeypatch):
    monkeypatch.setattr(triggers, "MAX_PAGES", 2)
    wire.get(list_url(), payload=v1({"token": "t2", "videos": [listed("v1", "processing", NOW)]}))
    wire.get(list_url(token="t2"), payload=v1({"token": "t3", "videos": [listed("v2", "processing", NOW)]}))

    assert await poll_video_completed({}, iso(T0)) == []
    assert request_count(wire) == 2


async def test_a_heygen_failure_emits_nothing_and_never_raises(wire, caplog):
    wire.get(list_url(), status=401, payload={"code": 401057, "message": f"bad token {ACCESS_TOKEN}"})

    with caplog.at_level(logging.WARNING, logger="heygen"):
        assert await poll_video_completed({}, iso(T0)) == []

    assert "video_completed: poll failed" in caplog.text and ACCESS_TOKEN not in caplog.text


async def test_an_unreachable_heygen_emits_nothing(wire):
    assert await poll_video_completed({}, iso(T0), auth=API_KEY_AUTH) == []  # nothing registered: connections fail


async def test_missing_credentials_emit_nothing(wire):
    assert await poll_video_completed({}, iso(T0), auth={"auth_type": "ApiKey", "credentials": {}}) == []
    assert request_count(wire) == 0


async def test_a_video_whose_status_cannot_be_read_is_left_for_the_next_poll(wire):
    wire.get(
        list_url(), payload=v1({"videos": [listed("gone", "completed", NOW - 5), listed("ok", "completed", NOW - 9)]})
    )
    answer_status(wire, "ok", "completed", NOW - 9)
    wire.get(status_url("gone"), status=404, payload={"code": 40104, "message": "Video not found"})

    assert [r["id"] for r in await poll_video_completed({}, iso(T0))] == ["ok"]


async def test_a_video_listed_as_finished_but_read_as_running_is_not_emitted(wire):
    wire.get(list_url(), payload=v1({"videos": [listed("v", "completed", NOW - 5)]}))
    answer_status(wire, "v", "processing", NOW - 5)

    assert await poll_video_completed({}, iso(T0)) == []


@pytest.mark.parametrize(
    "last_poll_ts",
    [None, "", "not a time", str(NOW), str(NOW * 1000), iso(NOW).replace("+00:00", "Z")],
    ids=["none", "empty", "unreadable", "unix_seconds", "unix_milliseconds", "iso_8601_z"],
)
async def test_last_poll_ts_forms_all_look_back_from_that_moment(wire, last_poll_ts):
    # With lookback 1 minute: a video from 30 s ago is in every window, one from 2 hours ago in none.
    wire.get(
        list_url(),
        payload=v1({"videos": [listed("new", "completed", NOW - 30), listed("old", "completed", NOW - 7200)]}),
    )
    answer_status(wire, "new", "completed", NOW - 30)

    records = await poll_video_completed({"lookback_minutes": 1}, last_poll_ts)

    assert [r["id"] for r in records] == ["new"]


async def test_the_trigger_refuses_unknown_inputs(wire):
    with pytest.raises(Exception, match="Additional properties"):
        await poll_video_completed({"status": "completed"}, None)
    assert request_count(wire) == 0


def test_polling_trigger_config_is_complete():
    trigger = heygen.integration.config.polling_triggers["video_completed"]
    assert trigger.polling_interval.total_seconds() == 300
    status_fields = list(heygen.integration.config.actions["get_video_status"].output_schema["properties"])
    assert trigger.output_schema["required"] == [field for field in status_fields if field != "timed_out"]
