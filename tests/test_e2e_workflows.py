"""Seed 000's two workflows end to end through the plugin (the demo's own code), and `make demo` itself.

The workflow tests run the demo's path functions against an in-process simulator; the demo tests run
`demo.main()` offline into a temporary folder, live (HEYGEN_API_KEY set) against a simulator standing in
for HeyGen, and with a failing step. The input builders are checked without any server.
"""

import io
import re

import pytest

import heygen
from demo import main as demo_main
from demo import workflows
from demo.media_check import NotAVideo, inspect_mp4
from demo.runner import Runner
from demo.workflows import (
    avatar_iv_request,
    avatars_request,
    path1_video_request,
    run_path1,
    run_path2,
    scene_summary,
    voices_request,
)
from heygen_cli.credentials import api_key_auth
from heygen_cli.local_sim import SIM_API_KEY, local_simulator
from heygen_core.inputs import input_problems
from heygen_core.paths import v3, v3_endpoints
from simulator import ANGELA_AVATAR_ID, FAILURE_TRIGGER, MONICA_VOICE_ID, Simulator, SimulatorConfig
from simulator.config import LEGACY_VARIABLE
from tests.conftest import API_KEY

TIME_SCALE = 0.01
AVATAR = {"avatar_id": ANGELA_AVATAR_ID, "preview_image_url": "https://files.heygen.ai/avatar/angela.jpg"}
# literal paths first: /v3/avatars/looks is AvatarLooksList, not AvatarGet with group_id "looks"
V3_ENDPOINTS = sorted((v3(name) for name in v3_endpoints()), key=lambda endpoint: endpoint.path.count("{"))
PATH1_ENDPOINTS = ["VoiceList", "AvatarLooksList", "VideoCreate", "VideoGet"]
# v3: the generation is a look in a group of its own; the new group trains by itself (no train request);
# the new look is based on the group's first look; motion comes from the video's motion_prompt.
PATH2_V3_ENDPOINTS = [
    "AvatarCreate",
    "AvatarLooksGet",
    "AvatarCreate",
    "AvatarGet",
    "AvatarLooksList",
    "AvatarCreate",
    "AvatarLooksGet",
    "VideoCreate",
    "VideoGet",
]
PATH2_ENDPOINTS = [
    ("POST", "/v2/photo_avatar/photo/generate"),
    ("GET", "/v2/photo_avatar/generation/{generation}"),
    ("POST", "/v2/photo_avatar/avatar_group/create"),
    ("POST", "/v2/photo_avatar/train"),
    ("GET", "/v2/photo_avatar/train/status/{group}"),
    ("POST", "/v2/photo_avatar/look/generate"),
    ("GET", "/v2/photo_avatar/generation/{look}"),
    ("POST", "/v2/photo_avatar/add_motion"),
    ("GET", "/v2/photo_avatar/{motion}"),
    ("POST", "/v2/photo_avatar/add_sound_effect"),
    ("POST", "/v2/video/av4/generate"),
    ("GET", "/v1/video_status.get"),
    ("GET", "/media/videos/{video}.mp4"),
]


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """The demo goes live when HEYGEN_API_KEY is set: a developer's own key must not make these tests live.
    The demo runs as a user runs it: on the plugin's default API (v3) unless a test pins another."""
    monkeypatch.delenv("HEYGEN_API_KEY", raising=False)
    monkeypatch.delenv("HEYGEN_API_VERSION", raising=False)
    monkeypatch.delenv(LEGACY_VARIABLE, raising=False)  # the simulator as HeyGen is today: v1/v2 retired


def v3_endpoints_called(requests) -> list:
    """without_repeats() as v3 endpoints (media downloads left out); a call to anything else stays as it is."""
    named = []
    for method, path in without_repeats(requests):
        if path.startswith("/media/"):
            continue
        match = next((e for e in V3_ENDPOINTS if e.method == method and pattern_of(e.path).fullmatch(path)), None)
        named.append(match.name if match else f"{method} {path}")
    return named


def pattern_of(template: str) -> re.Pattern:
    return re.compile(re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(template)))


def new_runner(tmp_path, lines: list) -> Runner:
    return Runner(api_key_auth(SIM_API_KEY), tmp_path, write=lines.append, wait_seconds=30)


def without_repeats(requests) -> list[tuple[str, str]]:
    """The endpoints in the order first called, polls of the same job folded into one."""
    calls = []
    for request in requests:
        call = (request.method, request.path)
        if not calls or calls[-1] != call:
            calls.append(call)
    return calls


# the input builders -------------------------------------------------------------------------


def test_path1_lists_english_voices_and_five_avatars():
    assert voices_request() == {"language": "English", "limit": 5}
    assert avatars_request()["limit"] == 5


def test_path1_video_has_three_scenes_and_test_mode_only_when_live():
    offline_request = path1_video_request(AVATAR, MONICA_VOICE_ID, live=False)
    live_request = path1_video_request(AVATAR, MONICA_VOICE_ID, live=True)
    assert "test" not in offline_request and live_request["test"] is True
    assert {k: v for k, v in live_request.items() if k != "test"} == offline_request
    first, second, third = live_request["video_inputs"]
    assert first["background"] == {"type": "color", "value": "#0066CC"}
    assert second["background"] == {"type": "color", "value": "#1F7A4D"}
    assert third["voice"] == {"type": "silence", "duration": 1.0}  # v3 holds a still image for a silence:
    assert third["background"] == {"type": "image", "url": AVATAR["preview_image_url"], "fit": "cover"}
    assert all(s["character"]["avatar_id"] == ANGELA_AVATAR_ID for s in live_request["video_inputs"])
    assert all(s["voice"]["voice_id"] == MONICA_VOICE_ID for s in (first, second))
    assert scene_summary(live_request) == (
        "3 scenes: speech on color; speech on color; silence 1.0s on image (test mode)"
    )


def test_path1_video_falls_back_to_a_colour_without_a_preview_image():
    request = path1_video_request({"avatar_id": ANGELA_AVATAR_ID, "preview_image_url": None}, "v", live=True)
    assert request["video_inputs"][1]["background"]["type"] == "color"


def test_the_live_path1_request_passes_the_plugins_own_validation():
    schema = heygen.integration.strict_inputs("create_avatar_video")
    assert input_problems(schema, path1_video_request(AVATAR, MONICA_VOICE_ID, live=True)) == []
    av4_schema = heygen.integration.strict_inputs("create_photo_avatar_video")
    for photo in ({"image_key": "image/abc/original"}, {"image_url": "https://files.example.com/p.jpg"}):
        assert input_problems(av4_schema, avatar_iv_request(photo, MONICA_VOICE_ID, "Nods.")) == []


def test_a_file_that_is_not_a_video_is_refused(tmp_path):
    fake = tmp_path / "fake.mp4"
    fake.write_bytes(b"not a video at all" * 100)
    with pytest.raises(NotAVideo):
        inspect_mp4(fake)


# the workflows, end to end ------------------------------------------------------------------


@pytest.mark.e2e
async def test_path1_quick_video_with_a_public_avatar_on_v3(tmp_path):
    lines = []
    async with local_simulator(TIME_SCALE, legacy="retired") as sim:  # as HeyGen is now: v1/v2 gone
        result = await run_path1(new_runner(tmp_path, lines), live=False)
    assert result.voice_id == MONICA_VOICE_ID and result.avatar_id == ANGELA_AVATAR_ID
    assert v3_endpoints_called(sim.requests) == PATH1_ENDPOINTS
    (created,) = sim.requests_to("VideoCreate")
    scenes = created.json["scenes"] if "scenes" in created.json else created.json["video_inputs"]
    assert len(scenes) == 3 and created.json["title"] == "Autohive HeyGen demo: Path 1"
    assert inspect_mp4(result.video.path).frames > 10
    assert [line.split()[1] for line in lines if re.match(r"\s+\d+\. ", line)] == [
        "list_voices",
        "list_avatars",
        "create_avatar_video",
        "get_video_status",
        "download_video",
    ]


@pytest.mark.e2e
async def test_path1_quick_video_with_a_public_avatar_on_the_legacy_api(tmp_path, monkeypatch):
    monkeypatch.setenv("HEYGEN_API_VERSION", "legacy")
    lines = []
    async with local_simulator(TIME_SCALE, legacy="served") as sim:  # an account v1/v2 still serve
        result = await run_path1(new_runner(tmp_path, lines), live=False)
    assert result.voice_id == MONICA_VOICE_ID and result.avatar_id == ANGELA_AVATAR_ID
    assert without_repeats(sim.requests) == [
        ("GET", "/v2/voices"),
        ("GET", "/v2/avatars"),
        ("POST", "/v2/video/generate"),
        ("GET", "/v1/video_status.get"),
        ("GET", f"/media/videos/{result.video_id}.mp4"),
    ]
    created = next(r for r in sim.requests if r.path == "/v2/video/generate")
    assert created.json == path1_video_request(
        {"avatar_id": ANGELA_AVATAR_ID, "preview_image_url": created.json["video_inputs"][2]["background"]["url"]},
        MONICA_VOICE_ID,
        live=False,
    )
    assert all(r.header("X-Api-Key") == SIM_API_KEY for r in sim.requests if not r.path.startswith("/media/"))
    saved = result.video
    assert saved.path == tmp_path / f"path1_{result.video_id}.mp4"
    assert inspect_mp4(saved.path).frames == saved.facts.frames > 10
    assert saved.facts.seconds == pytest.approx(saved.reported_seconds, abs=0.25)
    assert [line.split()[1] for line in lines if re.match(r"\s+\d+\. ", line)] == [
        "list_voices",
        "list_avatars",
        "create_avatar_video",
        "get_video_status",
        "download_video",
    ]


@pytest.mark.e2e
async def test_path2_custom_photo_avatar_with_a_new_look_and_a_moving_avatar_iv_video_on_v3(tmp_path):
    lines = []
    async with local_simulator(TIME_SCALE, legacy="retired") as sim:
        result = await run_path2(new_runner(tmp_path, lines), voice_id=MONICA_VOICE_ID)
    assert v3_endpoints_called(sim.requests) == PATH2_V3_ENDPOINTS
    (video,) = sim.requests_to("VideoCreate")
    assert video.json["motion_prompt"] == workflows.MOTION_PROMPT and video.json["type"] == "image"
    assert (result.motion_avatar_id, result.sound_effect_id) == (None, None)
    facts = inspect_mp4(result.video.path)
    assert facts.frames > 10 and facts.seconds == pytest.approx(result.video.reported_seconds, abs=0.25)
    assert sum(1 for line in lines if re.match(r"\s+\d+\. ", line)) == 9


@pytest.mark.e2e
async def test_path2_custom_photo_avatar_trained_with_look_motion_sound_on_the_legacy_api(tmp_path, monkeypatch):
    monkeypatch.setenv("HEYGEN_API_VERSION", "legacy")
    lines = []
    async with local_simulator(TIME_SCALE, legacy="served") as sim:
        result = await run_path2(new_runner(tmp_path, lines), voice_id=MONICA_VOICE_ID)
    ids = {
        "generation": result.generation_id,
        "group": result.group_id,
        "look": result.look_generation_id,
        "motion": result.motion_avatar_id,
        "video": result.video_id,
    }
    assert without_repeats(sim.requests) == [(m, p.format(**ids)) for m, p in PATH2_ENDPOINTS]
    bodies = {r.path: r.json for r in sim.requests if r.method == "POST"}
    image_key = bodies["/v2/photo_avatar/avatar_group/create"]["image_key"]
    assert bodies["/v2/photo_avatar/avatar_group/create"]["generation_id"] == result.generation_id
    assert bodies["/v2/photo_avatar/add_motion"]["id"] == result.group_id  # the group's first look
    assert bodies["/v2/photo_avatar/add_sound_effect"] == {"id": result.motion_avatar_id}
    assert bodies["/v2/video/av4/generate"] == avatar_iv_request({"image_key": image_key}, MONICA_VOICE_ID)
    assert result.sound_effect_id
    facts = inspect_mp4(result.video.path)
    assert facts.frames > 10 and facts.seconds == pytest.approx(result.video.reported_seconds, abs=0.25)
    assert sum(1 for line in lines if re.match(r"\s+\d+\. ", line)) == 11


# the demo itself ----------------------------------------------------------------------------


@pytest.mark.e2e
def test_demo_main_offline_writes_two_decodable_mp4s(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    code = demo_main(["--out", str(tmp_path), "--time-scale", str(TIME_SCALE)], stdout=out, stderr=err)
    report = out.getvalue()
    assert code == 0, err.getvalue()
    assert report.startswith("HeyGen plugin demo, offline:") and err.getvalue() == ""
    videos = sorted(tmp_path.glob("*.mp4"))
    assert [video.name.split("_")[0] for video in videos] == ["path1", "path2"]
    for video in videos:
        facts = inspect_mp4(video)
        assert facts.frames > 10 and facts.seconds > 1
        assert f"{video.name}  ({facts.seconds:.1f} s, {facts.frames} frames, decoded OK)" in report
    assert "14 steps through the plugin, all succeeded" in report  # v3: no motion or sound steps


@pytest.mark.e2e
def test_demo_with_an_api_key_runs_path1_live_in_test_mode(monkeypatch, tmp_path):
    """A simulator stands in for HeyGen (HEYGEN_API_URL): the live path is exactly what would reach HeyGen."""
    # test mode (free, watermarked) exists only on the v1/v2 route: an account HeyGen still serves it on
    config = SimulatorConfig(time_scale=TIME_SCALE, api_keys={API_KEY}, legacy="served")
    with Simulator.running_in_thread(config) as heygen_stand_in:
        monkeypatch.setenv("HEYGEN_API_KEY", API_KEY)
        monkeypatch.setenv("HEYGEN_API_URL", heygen_stand_in.url)
        monkeypatch.setenv("HEYGEN_UPLOAD_URL", heygen_stand_in.url)
        monkeypatch.setenv("HEYGEN_ALLOW_LOOPBACK_URLS", "1")  # the simulator serves its media on loopback
        out, err = io.StringIO(), io.StringIO()
        code = demo_main(["--out", str(tmp_path)], stdout=out, stderr=err)
    report = out.getvalue()
    assert code == 0, err.getvalue()
    first_line = report.splitlines()[0]
    assert "LIVE" in first_line and "test mode (test: true" in first_line and heygen_stand_in.url in first_line
    assert API_KEY not in report + err.getvalue()
    created = [r for r in heygen_stand_in.requests if r.path == "/v2/video/generate"]
    assert len(created) == 1 and created[0].json["test"] is True
    assert created[0].header("X-Api-Key") == API_KEY
    assert not any(r.path.startswith("/v2/photo_avatar") for r in heygen_stand_in.requests)  # Path 1 only
    assert [video.name.split("_")[0] for video in tmp_path.glob("*.mp4")] == ["path1"]


@pytest.mark.e2e
def test_demo_names_the_failed_step_and_exits_1(monkeypatch, tmp_path):
    monkeypatch.setitem(workflows.PHOTO_AVATAR_REQUEST, "appearance", f"{FAILURE_TRIGGER}: a rejected prompt")
    out, err = io.StringIO(), io.StringIO()
    code = demo_main(["--out", str(tmp_path), "--time-scale", str(TIME_SCALE)], stdout=out, stderr=err)
    assert code == 1
    message = err.getvalue()
    assert message.startswith("Demo FAILED: Path 2 step 2 (check_generation_status) failed:")
    assert "ended as failed" in message and "Avatar creation failed" in message and message.count("\n") == 1
    assert "Done in" not in out.getvalue()
