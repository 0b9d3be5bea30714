"""The Video Agent, lipsync and background removal through the plugin against the simulator over loopback:
create, wait, finished, with media files that decode; HeyGen's errors for unknown ids; and the
video_completed trigger emitting a finished agent video (agent videos are videos: GET /v3/videos lists them)."""

import base64
import io
import time

import av
import pytest

from simulator.media import mp3_tone
from tests.conftest import API_KEY_AUTH
from tests.helpers import failure, iso, ok, poll_video_completed

pytestmark = pytest.mark.e2e

WAIT = {"wait_for_completion": True, "timeout_seconds": 30}
CLIP_URL = "https://example.com/clip.mp4"
VOICE_URL = "https://example.com/voice.mp3"
UNKNOWN = "0" * 32


async def decoded_seconds(http, url: str) -> float:
    """The length of the video file at `url`, decoded frame by frame (a file that does not decode fails)."""
    async with http.get(url) as response:
        assert response.status == 200
        raw = await response.read()
    with av.open(io.BytesIO(raw)) as container:
        frames = sum(1 for _ in container.decode(video=0))
        seconds = container.duration / 1e6
    assert frames > 5
    return seconds


# ---------------------------------------------------------------- Video Agent


async def test_a_prompt_becomes_a_finished_agent_video_that_the_trigger_emits(sim, http):
    started = time.time() - 1
    created = await ok("create_agent_video", {"prompt": "A short welcome to our product", **WAIT})

    assert (created["status"], created["raw_status"], created["needs_input"]) == ("completed", "completed", False)
    assert created["video_id"] and created["timed_out"] is False
    assert await decoded_seconds(http, created["video_url"]) == pytest.approx(created["duration"], abs=0.25)
    assert sim.count_v3("VideoGet", video_id=created["video_id"]) == 1  # its links are read once, at the end

    records = await poll_video_completed({"lookback_minutes": 5}, iso(started), auth=API_KEY_AUTH)
    emitted = {record["id"]: record["data"] for record in records}
    assert created["video_id"] in emitted
    assert emitted[created["video_id"]]["video_url"] and emitted[created["video_id"]]["status"] == "completed"


async def test_a_chat_session_waits_for_input_then_makes_the_video_after_a_message(sim, http):
    styles = await ok("list_agent_styles", {"tag": "social"})
    assert [style["style_id"] for style in styles["styles"]] == ["style_social_vertical"]
    assert styles["has_more"] is False and styles["next_token"] is None
    inputs = {"prompt": "A teaser for our launch", "mode": "chat", "orientation": "portrait"}
    session = await ok("create_agent_video", {**inputs, "style_id": "style_social_vertical", **WAIT})

    assert (session["raw_status"], session["needs_input"], session["timed_out"]) == ("waiting_for_input", True, False)
    assert [message["role"] for message in session["messages"]] == ["model", "user"]  # newest first
    replied = await ok("send_agent_message", {"session_id": session["session_id"], "message": "Yes, go on", **WAIT})

    assert replied["status"] == "completed" and replied["run_id"] and replied["video_url"]
    assert await decoded_seconds(http, replied["video_url"]) > 0
    again = await ok("get_agent_session", {"session_id": session["session_id"]})
    assert again["video_id"] == replied["video_id"] and "Yes, go on" in [m["content"] for m in again["messages"]]


async def test_stopping_a_session_that_is_still_rendering_fails_it(sim):
    created = await ok("create_agent_video", {"prompt": "A long explainer about our roadmap"})
    assert created["status"] == "processing" and created["raw_status"] == "generating"

    stopped = await ok("stop_agent_session", {"session_id": created["session_id"]})
    status = await ok("get_agent_session", {"session_id": created["session_id"]})

    assert stopped == {"session_id": created["session_id"], "stopped": True}
    assert status["status"] == "failed" and status["error"]["message"]


async def test_unknown_sessions_and_styles_are_heygens_errors(sim):
    assert "HeyGen 404" in await failure("get_agent_session", {"session_id": UNKNOWN})
    assert "HeyGen 404" in await failure("send_agent_message", {"session_id": UNKNOWN, "message": "Hi"})
    assert "HeyGen 404" in await failure("stop_agent_session", {"session_id": UNKNOWN})
    message = await failure("create_agent_video", {"prompt": "Hello", "style_id": "no_such_style"})
    assert "style_id" in message


# ---------------------------------------------------------------- lipsync


async def test_a_lipsync_by_url_finishes_as_a_video_and_can_be_listed_and_deleted(sim, http):
    made = await ok("create_lipsync", {"video_url": CLIP_URL, "audio_url": VOICE_URL, "title": "Dub", **WAIT})

    assert (made["status"], made["raw_status"], made["title"]) == ("completed", "completed", "Dub")
    assert await decoded_seconds(http, made["video_url"]) == pytest.approx(made["duration"], abs=0.25)
    status = await ok("get_lipsync_status", {"lipsync_id": made["lipsync_id"]})
    assert status["video_url"] and status["status"] == "completed"
    listed = await ok("list_lipsyncs", {"limit": 10})
    assert made["lipsync_id"] in [item["lipsync_id"] for item in listed["lipsyncs"]]

    deleted = await ok("delete_lipsync", {"lipsync_id": made["lipsync_id"]})
    assert deleted == {"lipsync_id": made["lipsync_id"], "deleted": True}
    assert "HeyGen 404" in await failure("get_lipsync_status", {"lipsync_id": made["lipsync_id"]})
    assert "HeyGen 404" in await failure("delete_lipsync", {"lipsync_id": UNKNOWN})


async def test_lipsync_files_are_uploaded_first_and_used_by_asset_id(sim, http):
    source = await ok("create_lipsync", {"video_url": CLIP_URL, "audio_url": VOICE_URL, **WAIT})
    async with http.get(source["video_url"]) as response:
        video_bytes = await response.read()
    inputs = {
        "video_file": {"content": base64.b64encode(video_bytes).decode(), "name": "talk.mp4"},
        "audio_file": {"content": base64.b64encode(mp3_tone(2.0)).decode(), "name": "voice.mp3"},
        "idempotency_key": "run-1:lipsync",
    }

    made = await ok("create_lipsync", {**inputs, **WAIT})

    assert made["status"] == "completed" and await decoded_seconds(http, made["video_url"]) > 0
    assert sim.count_v3("AssetCreate") == 2
    (create,) = [r for r in sim.requests if r.method == "POST" and r.path == "/v3/lipsyncs"][1:]
    assert create.headers["Idempotency-Key"] == "run-1:lipsync"


async def test_a_lipsync_whose_video_cannot_be_read_fails_with_heygens_reason(sim):
    message = await failure(
        "create_lipsync", {"video_url": "https://gone.invalid/x.mp4", "audio_url": VOICE_URL, **WAIT}
    )
    assert "ended as failed" in message and "Failed to download" in message


# ---------------------------------------------------------------- background removal


async def test_background_removal_makes_three_layer_videos_and_dedups_by_request_id(sim, http):
    inputs = {"video_url": CLIP_URL, "title": "Talk", "idempotency_key": "run-1:layers"}
    done = await ok("remove_video_background", {**inputs, **WAIT})

    assert done["status"] == "completed" and done["request_id"] == "run-1:layers"
    assert set(done["layers"]) == {"foreground", "mask", "background"}
    for link in done["layers"].values():
        assert await decoded_seconds(http, link) == pytest.approx(done["duration"], abs=0.25)
    again = await ok("remove_video_background", inputs)
    assert again["job_id"] == done["job_id"] and sim.jobs_created("BackgroundRemovalCreate") == 1
    status = await ok("get_background_removal", {"job_id": done["job_id"]})
    assert {k: v.split("?")[0] for k, v in status["layers"].items()} == {
        k: v.split("?")[0] for k, v in done["layers"].items()
    }  # the same files (signed afresh)


async def test_background_removal_of_one_layer_and_an_unknown_job(sim):
    one = await ok("remove_video_background", {"video_url": CLIP_URL, "layers": ["mask"], **WAIT})
    assert one["layers"]["mask"] and one["layers"]["foreground"] is None and one["layers"]["background"] is None
    assert "HeyGen 404" in await failure("get_background_removal", {"job_id": UNKNOWN})
