"""Speech, voices, digital twins, v3 video batches and webhook events end to end: the plugin against the
simulator's v3 API over loopback, with real media where the answer is media (an MP3 for speech)."""

import base64
import hashlib
import hmac
import io
import json
import time

import av
import pytest

from simulator import ANGELA_AVATAR_ID, FAILURE_TRIGGER, MONICA_VOICE_ID
from simulator.media import mp3_tone
from tests.helpers import failure, ok

pytestmark = pytest.mark.e2e

WAIT = {"wait_for_completion": True, "timeout_seconds": 60}
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(4000)


@pytest.fixture
def sim_settings() -> dict:
    """Every v3 answer the simulator gives in these tests is checked against HeyGen's response schema."""
    return {"check_answers": True}


@pytest.fixture(autouse=True)
async def answers_match_heygens_schemas(sim):
    yield
    assert sim.answer_problems == []


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def scene(text: str) -> dict:
    return {
        "character": {"type": "avatar", "avatar_id": ANGELA_AVATAR_ID},
        "voice": {"type": "text", "voice_id": MONICA_VOICE_ID, "input_text": text},
    }


def audio_seconds(data: bytes) -> float:
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        return float(stream.duration * stream.time_base) if stream.duration else float(container.duration) / 1e6


async def test_text_to_speech_returns_a_playable_mp3_as_long_as_heygen_says(sim):
    script = "Hello there, this sentence is spoken by the simulator's voice."
    spoken = await ok("text_to_speech", {"text": script, "voice_id": MONICA_VOICE_ID, "speed": 1.0})

    audio = base64.b64decode(spoken["file"]["content"])
    assert spoken["file"]["contentType"] == "audio/mpeg" and spoken["file"]["name"].endswith(".mp3")
    assert spoken["size_bytes"] == len(audio) and spoken["duration"] > 1
    assert audio_seconds(audio) == pytest.approx(spoken["duration"], abs=0.3)
    assert sim.count_v3("VoiceSpeechCreate") == 1


async def test_design_get_and_delete_a_voice(sim):
    designed = await ok("design_voice", {"prompt": "calm documentary narrator", "gender": "male"})
    voice_id = designed["voices"][0]["voice_id"]

    details = await ok("get_voice", {"voice_id": voice_id})
    deleted = await ok("delete_voice", {"voice_id": voice_id})
    again = await failure("delete_voice", {"voice_id": voice_id})

    assert 1 <= len(designed["voices"]) <= 3 and designed["variant"] == 0
    assert details["status"] == "completed" and details["voice_id"] == voice_id
    assert deleted == {"voice_id": voice_id, "deleted": True}
    assert "voice_not_found" in again


async def test_clone_voice_from_a_file_waits_until_complete_then_speaks(sim):
    sample = {"content": b64(mp3_tone(2.0)), "name": "me.mp3"}
    cloned = await ok("clone_voice", {"voice_name": "My voice", "audio_file": sample, **WAIT})

    spoken = await ok("text_to_speech", {"text": "Now in my own voice.", "voice_id": cloned["voice_id"]})

    assert (cloned["status"], cloned["raw_status"], cloned["timed_out"]) == ("completed", "complete", False)
    assert sim.count_v3("AssetCreate") == 1 and sim.count_v3("VoiceCloneCreate") == 1
    assert spoken["size_bytes"] > 0


async def test_a_clone_heygen_fails_is_an_error_with_its_reason(sim):
    sample = {"content": b64(mp3_tone(1.0)), "name": "me.mp3"}
    message = await failure("clone_voice", {"voice_name": f"x {FAILURE_TRIGGER}", "audio_file": sample, **WAIT})

    assert "Voice cloning failed" in message


async def test_a_digital_twin_trains_waits_for_consent_then_can_be_renamed_and_deleted(sim):
    footage = {"content": b64(MP4), "name": "me.mp4"}
    twin = await ok("create_digital_twin", {"name": "My twin", "footage_file": footage, **WAIT})

    consent = await ok("request_avatar_consent", {"group_id": twin["group_id"]})
    renamed = await ok("rename_avatar_look", {"look_id": twin["avatar_id"], "name": "Renamed twin"})
    deleted = await ok("delete_avatar_look", {"look_id": twin["avatar_id"]})

    assert (twin["status"], twin["raw_status"], twin["consent_required"]) == ("completed", "pending_consent", True)
    assert consent["consent_url"] and consent["group_id"] == twin["group_id"]
    assert renamed["name"] == "Renamed twin" and renamed["avatar_type"] == "digital_twin"
    assert deleted == {"look_id": twin["avatar_id"], "deleted": True}


async def test_consent_for_an_avatar_that_is_not_a_twin_is_heygens_refusal(sim):
    image = await ok("generate_photo_avatar", {"name": "Not a twin", "age": "Young Adult", "gender": "Woman"} | {
        "ethnicity": "East Asian", "orientation": "square", "pose": "half_body", "style": "Realistic",
        "appearance": "Smiling", **WAIT})  # fmt: skip
    look = await ok("get_photo_avatar_details", {"id": image["generation_id"]})

    message = await failure("request_avatar_consent", {"group_id": look["group_id"]})

    assert "only to digital twin" in message


async def test_a_batch_of_videos_is_one_request_and_get_video_batch_reports_it(sim):
    videos = [{"video_inputs": [scene(f"Batch video number {n}.")], "title": f"batch {n}"} for n in range(5)]
    made = await ok("create_avatar_video_batch", {"videos": videos, "title": "e2e batch", **WAIT})

    batch = await ok("get_video_batch", {"batch_id": made["batch_id"]})

    assert made["created"] == 5 and made["failed"] == 0 and made["timed_out"] is False
    assert all(r["status"] == "completed" and r["video_url"] and r["duration"] for r in made["results"])
    assert sim.count_v3("VideoBatchesCreate") == 1 and sim.count_v3("VideoCreate") == 0
    assert batch["status"] == "completed" and batch["total_items"] == 5 and batch["title"] == "e2e batch"
    assert [i["video_id"] for i in batch["items"]] == [r["video_id"] for r in made["results"]]


async def test_rotate_a_secret_list_the_events_and_verify_a_v3_delivery(sim):
    endpoint = await ok("add_webhook_endpoint", {"url": "https://hooks.example.com/heygen"})
    rotated = await ok("rotate_webhook_secret", {"endpoint_id": endpoint["endpoint_id"]})
    video = await ok("create_avatar_video", {"video_inputs": [scene("An event for the webhook.")], **WAIT})

    events = await ok("list_webhook_events", {"event_type": "avatar_video.success", "entity_id": video["video_id"]})
    body = json.dumps({"event_type": "avatar_video.success", "event_data": events["events"][0]["event_data"]})
    signature = hmac.new(rotated["secret"].encode(), body.encode(), hashlib.sha256).hexdigest()
    checked = await ok(
        "verify_webhook_signature",
        {"payload": body, "signature": signature, "secret": rotated["secret"], "timestamp": str(int(time.time()))},
    )
    old = await ok("verify_webhook_signature", {"payload": body, "signature": signature, "secret": endpoint["secret"]})

    assert rotated["endpoint_id"] == endpoint["endpoint_id"] and rotated["secret"] != endpoint["secret"]
    assert events["total"] == 1 and events["events"][0]["event_data"]["video_id"] == video["video_id"]
    assert checked["valid"] is True and checked["event_type"] == "avatar_video.success"
    assert old["valid"] is False
