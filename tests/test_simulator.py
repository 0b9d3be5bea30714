"""The simulator's own behaviour over real HTTP on loopback: auth, envelopes, catalogue,
video jobs and their media, validation and plan limits."""

from __future__ import annotations

import copy
import io
import re

import av
import pytest
from PIL import Image

from simulator import (
    ANGELA_AVATAR_ID,
    MONICA_VOICE_ID,
    TALKING_PHOTO_ANNA,
    VOICE_IDS_BY_LANGUAGE,
    Plan,
    Simulator,
    SimulatorConfig,
)
from simulator.testing import call, poll, studio_body

pytestmark = pytest.mark.e2e

SCRIPT = "Hello there, welcome to the simulator. This video is short."  # 10 words: 4.0 s at 150 wpm


@pytest.fixture
async def sim():
    """A bare simulator (any key, plugin not pointed at it) at time_scale 0.02; replaces conftest's sim."""
    async with Simulator(SimulatorConfig(time_scale=0.02)) as server:
        yield server


@pytest.fixture
async def slow_sim():
    """time_scale 1.0: jobs only move when the test calls sim.advance()."""
    async with Simulator(SimulatorConfig(time_scale=1.0)) as server:
        yield server


async def create_video(http, sim, body=None):
    reply = await call(http, sim, "POST", "/v2/video/generate", json=body or studio_body(SCRIPT))
    assert reply.status == 200, reply.body
    return reply.data["video_id"]


async def fetch(http, url):
    async with http.get(url) as resp:
        return resp.status, resp.content_type, await resp.read()


# auth and envelopes -----------------------------------------------------------------------------


async def test_missing_credentials_get_heygens_401_per_family(http, sim):
    v2 = await call(http, sim, "GET", "/v2/avatars", api_key=None)
    v1 = await call(http, sim, "GET", "/v1/video.list", api_key=None)
    empty = await call(http, sim, "GET", "/v2/voices", api_key="")
    assert (v2.status, v2.body) == (401, {"error": {"code": 400112, "message": "Unauthorized"}, "data": None})
    assert (v1.status, v1.body) == (401, {"code": 400112, "message": "Unauthorized"})
    assert empty.status == 401
    assert v2.headers["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(("token", "code"), [("expired-token", 401056), ("invalid-token", 401057)])
async def test_bad_bearer_tokens(http, sim, token, code):
    reply = await call(http, sim, "GET", "/v2/avatars", api_key=None, headers={"Authorization": f"Bearer {token}"})
    assert reply.status == 401
    assert reply.error["code"] == code


async def test_configured_keys_are_the_only_ones_accepted(http):
    async with Simulator(SimulatorConfig(api_keys={"good"})) as sim:
        assert (await call(http, sim, "GET", "/v2/voices", api_key="bad")).status == 401
        assert (await call(http, sim, "GET", "/v2/voices", api_key="good")).status == 200
        bearer = await call(http, sim, "GET", "/v2/voices", api_key=None, headers={"Authorization": "Bearer good"})
        assert bearer.status == 200


async def test_envelopes_per_family(http, sim):
    v2 = await call(http, sim, "GET", "/v2/user/remaining_quota")
    v1 = await call(http, sim, "GET", "/v1/video.list")
    v1_missing = await call(http, sim, "GET", "/v1/video_status.get", params={"video_id": "nope"})
    v2_missing = await call(http, sim, "GET", "/v2/avatar/nobody/details")
    assert set(v2.body) == {"error", "data"} and v2.body["error"] is None
    assert v2.data == {"remaining_quota": 60000, "details": {"api": 60000, "streaming_avatar": 600}}
    assert v1.body == {"code": 100, "data": {"token": None, "videos": []}, "message": "Success"}
    assert (v1_missing.status, v1_missing.body) == (404, {"code": 40104, "message": "Video not found"})
    assert v2_missing.status == 404 and v2_missing.body["data"] is None
    assert v2_missing.error["code"] == 400144


async def test_every_request_is_recorded(http, sim):
    await call(http, sim, "GET", "/v2/voices", headers={"User-Agent": "AutoHive/1.0"})
    await call(http, sim, "POST", "/v2/video/generate", json=studio_body(SCRIPT))
    recorded = sim.requests[-1]
    assert sim.count("GET", "/v2/voices") == 1 and sim.count("POST", "/v2/video/generate") == 1
    assert sim.requests[0].header("user-agent") == "AutoHive/1.0"
    assert recorded.json["video_inputs"][0]["voice"]["input_text"] == SCRIPT
    assert recorded.body_size > 100 and recorded.header("X-Api-Key")


# catalogue ------------------------------------------------------------------------------------


async def test_catalogue_contents(http, sim):
    avatars = (await call(http, sim, "GET", "/v2/avatars")).data
    voices = (await call(http, sim, "GET", "/v2/voices")).data["voices"]
    locales = (await call(http, sim, "GET", "/v2/voices/locales")).data["locales"]
    assert len(avatars["avatars"]) == 30 and len(avatars["talking_photos"]) == 10 and len(voices) == 60
    angela = avatars["avatars"][0]
    assert angela["avatar_id"] == ANGELA_AVATAR_ID and angela["gender"] == "female" and angela["type"] == "avatar"
    assert angela["default_voice_id"] == MONICA_VOICE_ID
    assert avatars["talking_photos"][0]["talking_photo_id"] == TALKING_PHOTO_ANNA
    monica = voices[0]
    assert (monica["voice_id"], monica["name"], monica["language"], monica["gender"]) == (
        MONICA_VOICE_ID,
        "Monica",
        "English",
        "female",
    )
    assert set(monica) == {
        "voice_id",
        "language",
        "gender",
        "name",
        "preview_audio",
        "support_pause",
        "emotion_support",
        "support_interactive_avatar",
        "support_locale",
    }
    assert all(re.fullmatch(r"[0-9a-f]{32}", v["voice_id"]) for v in voices)
    languages = {v["language"] for v in voices}
    assert {"English", "Spanish", "French", "German", "Japanese", "Portuguese"} <= languages
    for language in ("Spanish", "Japanese"):
        assert {v["gender"] for v in voices if v["language"] == language} == {"female", "male"}
        assert next(v for v in voices if v["voice_id"] == VOICE_IDS_BY_LANGUAGE[language])["language"] == language
    assert {"en-US", "es-ES", "ja-JP"} <= {loc["locale"] for loc in locales}


async def test_avatar_details_and_preview_files(http, sim):
    details = (await call(http, sim, "GET", f"/v2/avatar/{ANGELA_AVATAR_ID}/details")).data
    assert details["id"] == ANGELA_AVATAR_ID and details["type"] == "avatar" and details["is_public"] is True
    status, content_type, jpeg = await fetch(http, details["preview_image_url"])
    assert (status, content_type, jpeg[:2]) == (200, "image/jpeg", b"\xff\xd8")
    voices = (await call(http, sim, "GET", "/v2/voices")).data["voices"]
    status, content_type, mp3 = await fetch(http, voices[0]["preview_audio"])
    assert status == 200 and content_type == "audio/mpeg" and len(mp3) > 500


async def test_catalogue_is_deterministic_and_can_be_heygen_sized(http):
    async with Simulator(SimulatorConfig(voices_count=2000)) as big, Simulator() as small:
        big_voices = (await call(http, big, "GET", "/v2/voices")).data["voices"]
        small_voices = (await call(http, small, "GET", "/v2/voices")).data["voices"]
    assert len(big_voices) == 2000 and len({v["voice_id"] for v in big_voices}) == 2000
    assert [v["voice_id"] for v in big_voices[:60]] == [v["voice_id"] for v in small_voices]


# video jobs -----------------------------------------------------------------------------------


async def test_video_moves_waiting_processing_completed(http, slow_sim):
    sim = slow_sim
    video_id = await create_video(http, sim)
    statuses = []
    for step in (0.0, 1.5, 5.0):  # waiting 1 s, processing 2 + 0.5 x 4 s
        sim.advance(step)
        statuses.append((await call(http, sim, "GET", "/v1/video_status.get", params={"video_id": video_id})).data)
    assert [s["status"] for s in statuses] == ["waiting", "processing", "completed"]
    assert statuses[0]["video_url"] is None and statuses[0]["duration"] is None
    done = statuses[2]
    assert done["id"] == video_id and done["duration"] == 4.0 and done["error"] is None
    again = (await call(http, sim, "GET", "/v1/video_status.get", params={"video_id": video_id})).data
    assert "Expires=" in done["video_url"] and "Signature=" in done["video_url"]
    assert again["video_url"] != done["video_url"]
    assert done["caption_url"] is None


async def test_completed_video_is_a_real_mp4_of_the_script_length(http, sim):
    video_id = await create_video(http, sim, studio_body(SCRIPT, caption=True, title="Quarterly update"))
    status = (await poll(http, sim, "/v1/video_status.get", {"video_id": video_id}, {"completed"})).data
    code, content_type, mp4 = await fetch(http, status["video_url"])
    assert (code, content_type) == (200, "video/mp4")
    with av.open(io.BytesIO(mp4)) as container:
        codecs = sorted(s.codec_context.name for s in container.streams)
        duration = container.duration / 1_000_000
        frames = sum(1 for _ in container.decode(video=0))
    assert codecs == ["aac", "h264"]
    assert abs(duration - 4.0) < 0.1 and status["duration"] == 4.0
    assert abs(frames - 48) <= 1
    _, _, thumbnail = await fetch(http, status["thumbnail_url"])
    assert Image.open(io.BytesIO(thumbnail)).format == "JPEG"
    _, _, gif = await fetch(http, status["gif_url"])
    assert Image.open(io.BytesIO(gif)).n_frames > 1
    _, vtt_type, vtt = await fetch(http, status["caption_url"])
    assert vtt_type == "text/vtt" and vtt.startswith(b"WEBVTT") and b"welcome to the simulator" in vtt


async def test_script_longer_than_the_plan_fails_with_40119(http):
    config = SimulatorConfig(time_scale=0.02, plan=Plan(max_video_seconds=10.0))
    async with Simulator(config) as sim:
        video_id = await create_video(http, sim, studio_body("word " * 40))  # 16 s
        status = (await poll(http, sim, "/v1/video_status.get", {"video_id": video_id}, {"completed", "failed"})).data
        quota = (await call(http, sim, "GET", "/v2/user/remaining_quota")).data["remaining_quota"]
    assert status["status"] == "failed" and status["video_url"] is None
    message = "Video is too long (> 10.0s). Please upgrade your plan to generate longer videos"
    assert status["error"] == {"code": 40119, "detail": message, "message": message}
    assert quota == 60000  # failed videos cost nothing


async def test_list_pages_with_token_and_delete(http, slow_sim):
    sim = slow_sim
    ids = [await create_video(http, sim, studio_body(SCRIPT, test=True, title=f"v{i}")) for i in range(3)]
    first = (await call(http, sim, "GET", "/v1/video.list", params={"limit": "2"})).data
    second = (await call(http, sim, "GET", "/v1/video.list", params={"limit": "2", "token": first["token"]})).data
    listed = [v["video_id"] for v in first["videos"] + second["videos"]]
    assert sorted(listed) == sorted(ids) and second["token"] is None
    assert set(first["videos"][0]) == {"video_id", "video_title", "status", "created_at", "type"}
    assert [v["video_title"] for v in first["videos"]] == ["v2", "v1"]
    deleted = await call(http, sim, "DELETE", "/v1/video.delete", params={"video_id": ids[0]})
    assert deleted.body == {"code": 100, "data": None, "message": "Success"}
    gone = await call(http, sim, "GET", "/v1/video_status.get", params={"video_id": ids[0]})
    again = await call(http, sim, "DELETE", "/v1/video.delete", params={"video_id": ids[0]})
    assert gone.status == again.status == 404 and again.body["code"] == 40104
    bad = await call(http, sim, "GET", "/v1/video.list", params={"limit": "101"})
    assert bad.body == {"code": 400, "message": "Invlid parameters"}


async def test_talking_photo_video_and_test_mode_costs(http, slow_sim):
    sim = slow_sim
    photo = studio_body(SCRIPT)
    photo["video_inputs"][0]["character"] = {"type": "talking_photo", "talking_photo_id": TALKING_PHOTO_ANNA}
    spent = []
    for body in (photo, studio_body(SCRIPT, test=True), studio_body(SCRIPT)):
        before = sim.state.quota_seconds
        await create_video(http, sim, body)
        spent.append(round(before - sim.state.quota_seconds, 3))
        sim.advance(60)
    reported = (await call(http, sim, "GET", "/v2/user/remaining_quota")).data["remaining_quota"]
    assert spent == [0.8, 0.0, 4.0]  # 4 s at 0.2 credit/min (photo), free (test), 1 credit/min (avatar)
    assert reported == int(60000 - 4.8)


async def test_expired_media_link_is_refused(http, sim):
    video_id = await create_video(http, sim)
    url = (await poll(http, sim, "/v1/video_status.get", {"video_id": video_id}, {"completed"})).data["video_url"]
    expired = re.sub(r"Expires=\d+", "Expires=1000", url)
    assert (await fetch(http, expired))[0] == 403
    assert (await fetch(http, url))[0] == 200


# validation -----------------------------------------------------------------------------------


def edited(change):
    body = copy.deepcopy(studio_body(SCRIPT))
    change(body["video_inputs"][0], body)
    return body


def _set(key, value):
    return lambda scene, body: scene.__setitem__(key, value)


def _voice(**fields):
    return lambda scene, body: scene["voice"].update(fields)


EITHER_IMAGE = "either url or image_asset_id needs to be provided"
EITHER_AUDIO = "either audio_url or audio_asset_id needs to be provided"
VALIDATION_CASES = {
    "short colour": (
        _set("background", {"type": "color", "value": "#FFF"}),
        "invalid_parameter",
        "String should match pattern '^#[0-9a-fA-F]{6}$'",
    ),
    "named colour": (
        _set("background", {"type": "color", "value": "red"}),
        "invalid_parameter",
        "String should match pattern '^#[0-9a-fA-F]{6}$'",
    ),
    "image neither": (_set("background", {"type": "image"}), "invalid_parameter", EITHER_IMAGE),
    "image both": (
        _set("background", {"type": "image", "url": "https://x/a.png", "image_asset_id": "a1"}),
        "invalid_parameter",
        EITHER_IMAGE,
    ),
    "video neither": (
        _set("background", {"type": "video"}),
        "invalid_parameter",
        "either url or video_asset_id needs to be provided",
    ),
    "audio neither": (_set("voice", {"type": "audio"}), "invalid_parameter", EITHER_AUDIO),
    "audio both": (
        _set("voice", {"type": "audio", "audio_url": "https://x/a.mp3", "audio_asset_id": "a1"}),
        "invalid_parameter",
        EITHER_AUDIO,
    ),
    "unknown avatar": (
        lambda s, b: s["character"].update(avatar_id="Nobody-20200101"),
        400144,
        "Avatar not found: Nobody-20200101",
    ),
    "unknown voice": (_voice(voice_id="0" * 32), 400116, f"Voice not found: {'0' * 32}"),
    "no scenes": (
        lambda s, b: b.update(video_inputs=[]),
        "invalid_parameter",
        "video_inputs: List should have at least 1 item after validation, not 0",
    ),
    "51 scenes": (
        lambda s, b: b.update(video_inputs=[s] * 51),
        "invalid_parameter",
        "video_inputs: List should have at most 50 items after validation, not 51",
    ),
    "text too long": (
        _voice(input_text="a" * 5001),
        "invalid_parameter",
        "video_inputs.0.voice.input_text: String should have at most 5000 characters",
    ),
    "speed too fast": (
        _voice(speed=2.0),
        "invalid_parameter",
        "video_inputs.0.voice.speed: Input should be less than or equal to 1.5",
    ),
    "missing voice id": (_voice(voice_id=None), "invalid_parameter", "video_inputs.0.voice.voice_id: Field required"),
}


@pytest.mark.parametrize("case", list(VALIDATION_CASES))
async def test_video_generate_validation(http, sim, case):
    change, code, message = VALIDATION_CASES[case]
    reply = await call(http, sim, "POST", "/v2/video/generate", json=edited(change))
    assert reply.status == 400
    assert reply.body == {"error": {"code": code, "message": message}, "data": None}
    assert not sim.state.videos


async def test_5000_characters_is_still_accepted(http, sim):
    reply = await call(http, sim, "POST", "/v2/video/generate", json=edited(_voice(input_text="a" * 5000)))
    assert reply.status == 200


# plan limits ----------------------------------------------------------------------------------


async def test_concurrent_jobs_over_the_plan_get_429_with_retry_after(http):
    async with Simulator(SimulatorConfig(time_scale=1.0, plan=Plan(concurrent_jobs=2))) as sim:
        await create_video(http, sim)
        await create_video(http, sim)
        refused = await call(http, sim, "POST", "/v2/video/generate", json=studio_body(SCRIPT))
        sim.advance(10)
        accepted = await call(http, sim, "POST", "/v2/video/generate", json=studio_body(SCRIPT))
    assert refused.status == 429 and refused.error["code"] == "rate_limit_exceeded"
    assert 1 <= int(refused.headers["Retry-After"]) <= 5
    assert accepted.status == 200
    assert sim.count("POST", "/v2/video/generate") == 4 and len(sim.state.videos) == 3


async def test_resolution_above_the_plan_is_refused(http):
    async with Simulator(SimulatorConfig(plan=Plan.named("free"))) as sim:
        hd = await call(
            http, sim, "POST", "/v2/video/generate", json=studio_body(SCRIPT, dimension={"width": 1920, "height": 1080})
        )
        portrait = await call(
            http, sim, "POST", "/v2/video/generate", json=studio_body(SCRIPT, dimension={"width": 720, "height": 1280})
        )
    assert hd.status == 400 and hd.error["code"] == "RESOLUTION_NOT_ALLOWED"
    assert "1920x1080" in hd.error["message"]
    assert portrait.status == 200
