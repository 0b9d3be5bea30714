"""The 21 core actions against the simulator over real HTTP on loopback.

Each test runs actions exactly as the platform does (Integration.execute_action with a real
ExecutionContext, API-key auth) while HEYGEN_API_URL / HEYGEN_UPLOAD_URL point at a Simulator on
127.0.0.1, and checks what came back: real ids, statuses, files that decode, HeyGen's own errors.
"""

import base64
import re
from pathlib import Path

import pytest

import heygen
from demo.media_check import inspect_mp4
from simulator import ANGELA_AVATAR_ID, FAILURE_TRIGGER, MONICA_VOICE_ID, TALKING_PHOTO_ANNA, TYLER_AVATAR_ID, Plan
from tests.conftest import simulator
from tests.helpers import failure, ok

pytestmark = pytest.mark.e2e

SCRIPT = "Hello there, welcome to the simulator. This video is short."  # 10 words: 4 s at 150 words a minute
WAIT = {"wait_for_completion": True, "timeout_seconds": 30}
PHOTO_REQUEST = {
    "name": "E2E Presenter",
    "age": "Young Adult",
    "gender": "Man",
    "ethnicity": "East Asian",
    "orientation": "square",
    "pose": "close_up",
    "style": "Realistic",
    "appearance": "A calm presenter in a dark sweater.",
}
LOOK_REQUEST = {"prompt": "Wearing a red scarf.", "orientation": "square", "pose": "close_up", "style": "Realistic"}


def scene(text: str = SCRIPT, **extra) -> dict:
    return {
        "character": {"type": "avatar", "avatar_id": ANGELA_AVATAR_ID},
        "voice": {"type": "text", "voice_id": MONICA_VOICE_ID, "input_text": text},
        **extra,
    }


async def finished_video(**extra) -> dict:
    return await ok("create_avatar_video", {"video_inputs": [scene()], **extra, **WAIT})


async def generation() -> dict:
    return await ok("generate_photo_avatar", {**PHOTO_REQUEST, **WAIT})


async def trained_group() -> tuple[dict, dict]:
    photos = await generation()
    group = await ok(
        "create_avatar_group",
        {"name": "E2E group", "image_key": photos["image_keys"][0], "generation_id": photos["generation_id"]},
    )
    await ok("train_avatar_group", {"group_id": group["group_id"], **WAIT})
    return photos, group


# Discovery ----------------------------------------------------------------------------------


async def test_list_voices_filters_and_pages_the_catalogue(sim):
    data = await ok("list_voices", {"language": "English", "limit": 2})
    assert [v["voice_id"] for v in data["voices"]] == [MONICA_VOICE_ID, "f38a635bee7a4d1f9b0a654a31d050d2"]
    assert all(v["language"] == "English" for v in data["voices"])
    assert data["has_more"] is True and data["total"] is None  # v3 pages by token and counts nothing
    assert sim.count_v3("VoiceList") == 1


async def test_list_voice_locales(sim):
    data = await ok("list_voice_locales", {})
    assert data["total"] == len(data["locales"]) > 0
    assert any(locale["locale"] == "en-US" for locale in data["locales"])


async def test_list_avatars_returns_the_seeded_avatars_and_talking_photos(sim):
    data = await ok("list_avatars", {"limit": 50})
    by_id = {avatar["avatar_id"]: avatar for avatar in data["avatars"]}
    assert by_id[ANGELA_AVATAR_ID]["default_voice_id"] == MONICA_VOICE_ID
    assert by_id[TALKING_PHOTO_ANNA]["type"] == "photo_avatar"  # v3 lists talking photos as photo-avatar looks
    assert data["talking_photos"] == [] and data["has_more"] is False
    assert data["total_avatars"] == len(data["avatars"])  # the whole list was read, so it is counted
    first = await ok("list_avatars", {"limit": 3})
    assert len(first["avatars"]) == 3 and first["has_more"] is True and first["next_page_token"]
    males = await ok("list_avatars", {"gender": "male", "limit": 50})
    assert TYLER_AVATAR_ID in [a["avatar_id"] for a in males["avatars"]]
    assert all(a["gender"] == "male" for a in males["avatars"]) and males["talking_photos"] == []


async def test_get_avatar_details_by_avatar_id_and_by_seed_id(sim):
    data = await ok("get_avatar_details", {"avatar_id": ANGELA_AVATAR_ID})
    assert data["avatar_id"] == ANGELA_AVATAR_ID and data["default_voice_id"] == MONICA_VOICE_ID
    assert (await ok("get_avatar_details", {"id": TYLER_AVATAR_ID}))["avatar_id"] == TYLER_AVATAR_ID
    message = await failure("get_avatar_details", {"avatar_id": "no-such-avatar"})
    assert "HeyGen 404 (avatar_not_found)" in message and "list_avatars" in message


# Videos -------------------------------------------------------------------------------------


async def test_create_avatar_video_returns_a_pending_video_then_status_waits_for_it(sim):
    created = await ok("create_avatar_video", {"video_inputs": [scene()], "title": "e2e"})
    assert created["status"] == "pending" and len(created["video_id"]) == 32 and created["timed_out"] is False
    (create,) = sim.requests_to("VideoCreate")  # HeyGen's v3 studio video, from the same inputs
    assert create.json["type"] == "studio" and create.json["scenes"][0]["input"]["script"] == SCRIPT
    status = await ok("get_video_status", {"video_id": created["video_id"], **WAIT})
    assert status["status"] == "completed" and status["raw_status"] == "completed" and status["error"] is None
    assert status["duration"] == pytest.approx(4.0, abs=0.5)
    assert status["video_url"].startswith(sim.url) and status["thumbnail_url"].startswith(sim.url)


async def test_create_avatar_video_waits_until_completed(sim):
    video = await finished_video(caption=True)
    assert video["status"] == "completed" and video["timed_out"] is False
    assert video["caption_url"] and video["video_url"]
    assert sim.count_v3("VideoCreate") == 1


async def test_get_video_status_without_waiting_and_for_an_unknown_video(sim):
    created = await ok("create_avatar_video", {"video_inputs": [scene()]})
    status = await ok("get_video_status", {"video_id": created["video_id"]})
    assert status["status"] in ("pending", "processing") and status["video_url"] is None
    message = await failure("get_video_status", {"video_id": "0" * 32})
    assert "HeyGen 404 (video_not_found) Video 00000000000000000000000000000000 not found" in message


async def test_download_video_gives_an_mp4_as_long_as_the_status_says(sim, tmp_path):
    video = await finished_video()
    data = await ok("download_video", {"video_id": video["video_id"]})
    assert data["file"]["name"] == f"{video['video_id']}.mp4" and data["file"]["contentType"] == "video/mp4"
    content = base64.b64decode(data["file"]["content"])
    assert len(content) == data["size_bytes"] > 1000
    path = tmp_path / data["file"]["name"]
    path.write_bytes(content)
    facts = inspect_mp4(path)
    assert facts.frames > 10 and facts.has_audio
    assert facts.seconds == pytest.approx(video["duration"], abs=0.25)
    assert data["duration"] == video["duration"]


async def test_download_video_thumbnail_and_waiting_download(sim):
    created = await ok("create_avatar_video", {"video_inputs": [scene()]})
    data = await ok("download_video", {"video_id": created["video_id"], "file_type": "thumbnail", **WAIT})
    assert data["file"]["contentType"] == "image/jpeg" and data["file"]["name"].endswith("_thumbnail.jpg")
    assert base64.b64decode(data["file"]["content"])[:2] == b"\xff\xd8"


async def test_download_video_of_an_unfinished_video_is_a_clear_error(sim):
    created = await ok("create_avatar_video", {"video_inputs": [scene()]})
    message = await failure("download_video", {"video_id": created["video_id"]})
    assert "has no video to download" in message and "wait_for_completion" in message


@pytest.mark.legacy_api
async def test_create_photo_avatar_video_from_a_generated_photo(sim):
    photos = await generation()
    body = {"image_key": photos["image_keys"][0], "video_title": "av4", "script": SCRIPT, "voice_id": MONICA_VOICE_ID}
    video = await ok("create_photo_avatar_video", {**body, "video_orientation": "portrait", **WAIT})
    assert video["status"] == "completed" and video["duration"] == pytest.approx(4.0, abs=0.5)
    sent = [r for r in sim.requests if r.path == "/v2/video/av4/generate"]
    assert len(sent) == 1 and sent[0].json == {**body, "video_orientation": "portrait"}


async def test_create_avatar_video_batch_creates_and_waits_for_each(sim):
    videos = [{"video_inputs": [scene(f"Video number {n} says hello.")]} for n in range(3)]
    data = await ok("create_avatar_video_batch", {"videos": videos, **WAIT})
    assert data["created"] == 3 and data["failed"] == 0 and data["timed_out"] is False
    assert [r["index"] for r in data["results"]] == [0, 1, 2]
    assert all(r["status"] == "completed" and r["video_url"] for r in data["results"])
    assert len({r["video_id"] for r in data["results"]}) == 3
    # one v3 batch, its statuses read for the whole batch per poll, each finished video's links read once
    assert sim.count_v3("VideoBatchesCreate") == 1 and sim.count_v3("VideoCreate") == 0
    assert data["batch_id"] and all(sim.count_v3("VideoGet", video_id=r["video_id"]) == 1 for r in data["results"])


# Photo avatars ------------------------------------------------------------------------------
# The legacy workflow (a generation's image keys start a group, which then trains) runs on HeyGen's v1/v2
# routes; its v3 counterpart (a generation is a look in a group of its own) is proved in test_v3_avatars_e2e.


@pytest.mark.legacy_api
async def test_generate_photo_avatar_then_check_generation_status(sim):
    started = await ok("generate_photo_avatar", PHOTO_REQUEST)
    assert started["status"] == "pending" and started["generation_id"]
    sent = next(r for r in sim.requests if r.path == "/v2/photo_avatar/photo/generate")
    assert sent.json == PHOTO_REQUEST
    done = await ok("check_generation_status", {"generation_id": started["generation_id"], **WAIT})
    assert done["status"] == "completed" and done["raw_status"] == "success"
    assert len(done["image_keys"]) == len(done["image_urls"]) == 4


@pytest.mark.legacy_api
async def test_create_avatar_group_and_add_looks(sim):
    photos = await generation()
    keys, generation_id = photos["image_keys"], photos["generation_id"]
    group = await ok("create_avatar_group", {"name": "Team", "image_key": keys[0], "generation_id": generation_id})
    assert group["group_id"] and group["id"] == group["group_id"] and group["name"] == "Team"
    assert group["business_type"] == "generated"
    looks = await ok(
        "add_looks_to_group",
        {"group_id": group["group_id"], "image_keys": keys[1:3], "name": "More", "generation_id": generation_id},
    )
    assert looks["count"] == 2 and all(look["group_id"] == group["group_id"] for look in looks["photo_avatar_list"])
    message = await failure("add_looks_to_group", {"group_id": group["group_id"], "image_keys": keys[3:], "name": "x"})
    assert "HeyGen 400" in message and "generation_id" in message


@pytest.mark.legacy_api
async def test_train_avatar_group_and_check_training_status(sim):
    photos = await generation()
    group = await ok(
        "create_avatar_group",
        {"name": "Train me", "image_key": photos["image_keys"][0], "generation_id": photos["generation_id"]},
    )
    started = await ok("train_avatar_group", {"group_id": group["group_id"]})
    assert started["status"] == "pending" and started["flow_id"]
    done = await ok("check_training_status", {"group_id": group["group_id"], **WAIT})
    assert done["status"] == "completed" and done["raw_status"] == "ready" and done["error"] is None


@pytest.mark.legacy_api
async def test_generate_avatar_look_on_a_trained_group(sim):
    _, group = await trained_group()
    look = await ok("generate_avatar_look", {"group_id": group["group_id"], **LOOK_REQUEST, **WAIT})
    assert look["status"] == "completed" and len(look["image_keys"]) == 4
    listed = await ok("list_avatars_in_group", {"group_id": group["group_id"]})
    assert listed["count"] == 5  # the group's first photo and the four new looks


@pytest.mark.legacy_api
async def test_generate_avatar_look_before_training_is_refused(sim):
    photos = await generation()
    group = await ok(
        "create_avatar_group",
        {"name": "Untrained", "image_key": photos["image_keys"][0], "generation_id": photos["generation_id"]},
    )
    message = await failure("generate_avatar_look", {"group_id": group["group_id"], **LOOK_REQUEST})
    assert "must be trained" in message


@pytest.mark.legacy_api
async def test_add_motion_then_sound_effect_then_details(sim):
    _, group = await trained_group()
    motion = await ok("add_motion_to_avatar", {"id": group["id"], "motion_type": "expressive", **WAIT})
    assert motion["status"] == "completed" and motion["id"] != group["id"] and motion["motion_preview_url"]
    sound = await ok("add_sound_effect_to_avatar", {"id": motion["id"]})
    assert sound["id"] == motion["id"] and sound["sound_effect_id"]
    details = await ok("get_photo_avatar_details", {"id": motion["id"]})
    assert details["is_motion"] is True and details["group_id"] == group["group_id"]
    assert details["background_sound_effect"]["sound_effect_id"] == sound["sound_effect_id"]


@pytest.mark.legacy_api
async def test_list_avatar_groups_and_list_avatars_in_group(sim):
    _, group = await trained_group()
    groups = await ok("list_avatar_groups", {})
    assert groups["total_count"] == 1
    assert groups["avatar_group_list"][0]["id"] == group["group_id"]
    assert groups["avatar_group_list"][0]["train_status"] == "ready"
    public = await ok("list_avatar_groups", {"include_public": True, "limit": 5})
    assert public["total_count"] == 31 and len(public["avatar_group_list"]) == 5
    looks = await ok("list_avatars_in_group", {"group_id": group["group_id"]})
    assert looks["group_id"] == group["group_id"] and [look["id"] for look in looks["avatar_list"]] == [group["id"]]


@pytest.mark.legacy_api
async def test_get_photo_avatar_details_of_a_group_photo(sim):
    _, group = await trained_group()
    details = await ok("get_photo_avatar_details", {"id": group["id"]})
    assert details["id"] == group["id"] and details["status"] == "completed" and details["is_motion"] is False


# HeyGen saying no ---------------------------------------------------------------------------


async def test_a_script_longer_than_the_plan_fails_with_40119_and_its_hint(monkeypatch):
    async with simulator(monkeypatch, plan=Plan(max_video_seconds=5.0)) as sim:
        long_script = " ".join(["word"] * 40)  # 16 s at 150 words a minute
        message = await failure("create_avatar_video", {"video_inputs": [scene(long_script)], **WAIT})
        assert "(40119)" in message and "Video is too long (> 5.0s)" in message
        assert "Hint: The video is longer than your plan allows" in message
        assert sim.count_v3("VideoCreate") == 1


async def test_a_failed_job_surfaces_heygens_reason(sim):
    message = await failure("generate_photo_avatar", {**PHOTO_REQUEST, "name": FAILURE_TRIGGER, **WAIT})
    assert "ended as failed" in message and "(generation_failed) Avatar creation failed" in message


async def test_the_plans_concurrency_limit_gives_429_and_the_creation_is_not_repeated(monkeypatch):
    async with simulator(monkeypatch, time_scale=1.0, plan=Plan(concurrent_jobs=1)) as sim:
        await ok("create_avatar_video", {"video_inputs": [scene(" ".join(["long"] * 60))]})
        message = await failure("create_avatar_video", {"video_inputs": [scene()]})
        assert "HeyGen 429" in message and "concurrent video jobs" in message
        assert "Hint: HeyGen's concurrency or rate limit was reached" in message
        assert sim.count_v3("VideoCreate") == 2  # Retry-After is longer than the retry budget


async def test_the_batch_waits_out_429s_from_the_concurrency_limit(monkeypatch):
    # without v3 batches the videos go one by one, each POST /v3/videos meeting the plan's limit
    async with simulator(
        monkeypatch, plan=Plan(concurrent_jobs=1), unserved_v3=frozenset({"VideoBatchesCreate"})
    ) as sim:
        videos = [{"video_inputs": [scene(f"Batch video {n}.")]} for n in range(2)]
        data = await ok("create_avatar_video_batch", {"videos": videos, "concurrency": 2, **WAIT})
        assert data["created"] == 2 and data["failed"] == 0
        assert sim.count_v3("VideoCreate") > 2  # at least one attempt was refused with 429


async def test_a_wrong_api_key_is_an_auth_error_that_never_shows_the_key(sim):
    wrong = {"auth_type": "ApiKey", "credentials": {"api_key": "hg-wrong-key-0000111122223333"}}
    message = await failure("list_voices", {}, auth=wrong)
    assert "HeyGen 401 (unauthorized)" in message and "HEYGEN_API_KEY" in message
    assert "hg-wrong-key" not in message and "0000111122223333" not in message
    assert sim.requests[-1].header("X-Api-Key") == "hg-wrong-key-0000111122223333"


def test_every_action_of_the_core_modules_is_exercised_here():
    """A new action in videos/photo_avatars/discovery/results needs an end-to-end test in this file."""
    modules = {f"heygen_actions.{area}" for area in ("videos", "photo_avatars", "discovery", "results")}
    core = {name for name, handler in heygen.integration._action_handlers.items() if handler.__module__ in modules}
    assert len(core) >= 21
    source = Path(__file__).read_text(encoding="utf-8")
    assert {name for name in core if not re.search(rf'ok\(\s*"{name}"', source)} == set()
