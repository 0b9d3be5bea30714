"""The Video Agent, lipsync and background removal at the wire (HeyGen's v3 faked with aioresponses): every
body passes HeyGen's request schema, creates carry one key per logical request (an Idempotency-Key; for
background removal the body's request_id) reused on a resend, and bad inputs are refused naming the field
before anything is sent."""

import asyncio
import json
import re
from pathlib import Path

import pytest
from heygen_core.app import integration
from heygen_core.inputs import input_problems

from tests.conftest import run_action, sent
from tests.helpers import data_of, error_of, validation_error_of
from tests.test_templates_assets import MP3, MP4, b64
from tests.v3_wire import answer, gone_page, sent_body, url

SESSION = "sess_1a2b3c"
VIDEO = "vid_9f8e7d"
LIPSYNC = "lip_42"
JOB = "bgr_77"
AGENTS = url("VideoAgentCreate")
SESSION_URL = url("VideoAgentGet", session_id=SESSION)
LIPSYNCS = url("LipsyncCreate")
REMOVALS = url("BackgroundRemovalCreate")
CLIP = "https://cdn.example.com/talk.mp4"
VOICE = "https://cdn.example.com/voice.mp3"


def session(status: str, **fields) -> dict:
    return answer("VideoAgentGet", {"session_id": SESSION, "status": status, "created_at": 1700000000, **fields})


def lipsync(status: str, **fields) -> dict:
    return answer("LipsyncGet", {"id": LIPSYNC, "status": status, **fields})


def removal(status: str, **fields) -> dict:
    return answer("BackgroundRemovalGet", {"id": JOB, "status": status, **fields})


def created_session() -> dict:
    data = {"session_id": SESSION, "status": "generating", "video_id": VIDEO, "created_at": 1700000000}
    return answer("VideoAgentCreate", data)


# ---------------------------------------------------------------- Video Agent


async def test_create_agent_video_sends_heygens_body_with_an_idempotency_key(wire, v3):
    wire.post(AGENTS, payload=created_session())
    inputs = {
        "prompt": "A welcome video",
        "mode": "chat",
        "avatar_id": "av_1",
        "voice_id": "vo_1",
        "style_id": "style_a",
        "orientation": "portrait",
        "file_urls": ["https://cdn.example.com/deck.pdf"],
        "file_asset_ids": ["ast_1"],
        "incognito_mode": True,
        "callback_id": "cb-1",
        "callback_url": "https://hooks.example.com/heygen",
        "idempotency_key": "run-1:agent",
    }

    result = data_of(await run_action("create_agent_video", inputs))

    assert (result["session_id"], result["video_id"], result["status"], result["raw_status"]) == (
        SESSION,
        VIDEO,
        "processing",
        "generating",
    )
    assert result["needs_input"] is False and result["timed_out"] is False and result["video_url"] is None
    ((_, _, kwargs),) = sent(wire)
    assert kwargs["headers"]["Idempotency-Key"] == "run-1:agent"
    body = sent_body("VideoAgentCreate", kwargs)
    assert body["files"] == [
        {"type": "url", "url": "https://cdn.example.com/deck.pdf"},
        {"type": "asset_id", "asset_id": "ast_1"},
    ]
    assert {k: body[k] for k in ("prompt", "mode", "orientation", "incognito_mode")} == {
        "prompt": "A welcome video",
        "mode": "chat",
        "orientation": "portrait",
        "incognito_mode": True,
    }


async def test_a_timed_out_agent_create_is_resent_with_the_same_key(wire, v3):
    wire.post(AGENTS, exception=asyncio.TimeoutError())
    wire.post(AGENTS, payload=created_session())

    assert data_of(await run_action("create_agent_video", {"prompt": "Hello"}))["session_id"] == SESSION

    first, second = sent(wire)
    assert first[2]["headers"]["Idempotency-Key"] == second[2]["headers"]["Idempotency-Key"]


async def test_waiting_for_an_agent_video_reads_its_links_once_it_is_completed(wire, v3):
    wire.post(AGENTS, payload=created_session())
    wire.get(SESSION_URL, payload=session("generating", video_id=VIDEO, progress=50))
    wire.get(SESSION_URL, payload=session("completed", video_id=VIDEO, progress=100, title="Welcome"))
    links = {"id": VIDEO, "status": "completed", "video_url": "https://files.heygen.ai/v.mp4", "duration": 12.5}
    wire.get(url("VideoGet", video_id=VIDEO), payload=answer("VideoGet", links))

    result = data_of(await run_action("create_agent_video", {"prompt": "Hello", "wait_for_completion": True}))

    assert (result["status"], result["video_url"], result["duration"], result["title"]) == (
        "completed",
        "https://files.heygen.ai/v.mp4",
        12.5,
        "Welcome",
    )
    assert [u for _, u, _ in sent(wire)].count(url("VideoGet", video_id=VIDEO)) == 1


async def test_a_failed_agent_video_is_an_error_with_the_videos_reason(wire, v3):
    wire.get(SESSION_URL, payload=session("failed", video_id=VIDEO))
    failed = {"id": VIDEO, "status": "failed", "failure_code": "moderation", "failure_message": "Prompt refused"}
    wire.get(url("VideoGet", video_id=VIDEO), payload=answer("VideoGet", failed))

    message = error_of(await run_action("get_agent_session", {"session_id": SESSION, "wait_for_completion": True}))

    assert message == f"get_agent_session failed: job {SESSION} ended as failed: (moderation) Prompt refused."


async def test_a_wait_on_a_chat_session_ends_when_the_agent_asks(wire, v3):
    question = {"role": "model", "type": "text", "content": "Which voice?", "created_at": 1700000001}
    wire.get(SESSION_URL, payload=session("waiting_for_input", messages=[question]))

    result = data_of(await run_action("get_agent_session", {"session_id": SESSION, "wait_for_completion": True}))

    assert (result["needs_input"], result["timed_out"], result["status"]) == (True, False, "processing")
    assert result["messages"] == [{**question, "resource_ids": None}]


async def test_send_agent_message_and_stop_send_heygens_bodies(wire, v3):
    wire.post(SESSION_URL, payload=answer("VideoAgentSend", {"session_id": SESSION, "run_id": "run_5"}))
    wire.get(SESSION_URL, payload=session("generating", video_id=VIDEO))
    stop = url("VideoAgentStop", session_id=SESSION)
    wire.post(stop, payload=answer("VideoAgentStop", {"session_id": SESSION}))
    inputs = {"session_id": SESSION, "message": "Use a calmer voice", "voice_id": "vo_2", "idempotency_key": "k-2"}

    replied = data_of(await run_action("send_agent_message", inputs))
    stopped = data_of(await run_action("stop_agent_session", {"session_id": SESSION}))

    assert (replied["run_id"], replied["video_id"], replied["status"]) == ("run_5", VIDEO, "processing")
    assert stopped == {"session_id": SESSION, "stopped": True}
    (post, _, stopping) = sent(wire)
    assert post[2]["headers"]["Idempotency-Key"] == "k-2"
    assert sent_body("VideoAgentSend", post[2]) == {"message": "Use a calmer voice", "voice_id": "vo_2"}
    assert sent_body("VideoAgentStop", stopping[2]) == {} and "Idempotency-Key" not in stopping[2]["headers"]


async def test_list_agent_styles_passes_tag_and_cursor(wire, v3):
    style = {"style_id": "st_1", "name": "Cinematic", "tags": ["cinematic"]}
    page = answer("VideoAgentStylesList", [style], has_more=True, next_token="n2")
    wire.get(url("VideoAgentStylesList") + "?limit=5&tag=cinematic&token=n1", payload=page)

    result = data_of(await run_action("list_agent_styles", {"tag": "cinematic", "limit": 5, "token": "n1"}))

    assert result == {
        "styles": [{**style, "aspect_ratio": None, "thumbnail_url": None, "preview_video_url": None}],
        "has_more": True,
        "next_token": "n2",
    }


@pytest.mark.parametrize(
    "name, inputs, field",
    [
        ("get_agent_session", {"session_id": ".."}, "session_id"),
        ("stop_agent_session", {"session_id": " "}, "session_id"),
        ("create_agent_video", {"prompt": ""}, "prompt"),
        ("create_agent_video", {"prompt": "Hi", "file_urls": ["ftp://x"]}, "file_urls"),
        ("send_agent_message", {"session_id": SESSION}, "message"),
        ("create_agent_video", {"prompt": "Hi", "file_urls": [CLIP] * 12, "file_asset_ids": ["a"] * 9}, "file_urls"),
    ],
)
async def test_bad_agent_inputs_are_refused_naming_the_field_with_nothing_sent(wire, v3, name, inputs, field):
    message = validation_error_of(await run_action(name, inputs))
    assert field in message
    assert sent(wire) == []


async def test_without_v3_the_agent_says_it_exists_only_there(wire, v3):
    wire.post(AGENTS, **gone_page())

    message = error_of(await run_action("create_agent_video", {"prompt": "Hello"}))

    assert "POST /v3/video-agents" in message and "only on HeyGen's v3 API" in message


# ---------------------------------------------------------------- lipsync


async def test_create_lipsync_by_url_and_asset_id_with_its_options(wire, v3):
    wire.post(LIPSYNCS, payload=answer("LipsyncCreate", {"lipsync_id": LIPSYNC}))
    inputs = {
        "video_url": CLIP,
        "audio_asset_id": "ast_voice",
        "title": "Dub",
        "mode": "precision",
        "start_time": 1.5,
        "end_time": 9,
        "enable_caption": True,
        "callback_id": "cb",
        "idempotency_key": "run-1:lip",
    }

    result = data_of(await run_action("create_lipsync", inputs))

    assert (result["lipsync_id"], result["status"], result["title"], result["callback_id"]) == (
        LIPSYNC,
        "pending",
        "Dub",
        "cb",
    )
    ((_, _, kwargs),) = sent(wire)
    assert kwargs["headers"]["Idempotency-Key"] == "run-1:lip"
    assert sent_body("LipsyncCreate", kwargs) == {
        "video": {"type": "url", "url": CLIP},
        "audio": {"type": "asset_id", "asset_id": "ast_voice"},
        "title": "Dub",
        "mode": "precision",
        "start_time": 1.5,
        "end_time": 9,
        "enable_caption": True,
        "callback_id": "cb",
    }


async def test_lipsync_files_are_uploaded_first_with_keys_derived_from_the_lipsyncs(wire, v3):
    for asset_id, mime in (("ast_v", "video/mp4"), ("ast_a", "audio/mpeg")):
        data = {"asset_id": asset_id, "url": f"https://resource.heygen.ai/{asset_id}", "mime_type": mime}
        wire.post(url("AssetCreate"), payload=answer("AssetCreate", {**data, "size_bytes": 10}))
    wire.post(LIPSYNCS, exception=asyncio.TimeoutError())
    wire.post(LIPSYNCS, payload=answer("LipsyncCreate", {"lipsync_id": LIPSYNC}))
    inputs = {
        "video_file": {"content": b64(MP4), "name": "talk.mp4"},
        "audio_file": {"content": b64(MP3), "name": "voice.mp3"},
        "idempotency_key": "run-2",
    }

    assert data_of(await run_action("create_lipsync", inputs))["lipsync_id"] == LIPSYNC

    video_upload, audio_upload, first, second = sent(wire)
    assert [video_upload[2]["headers"]["Idempotency-Key"], audio_upload[2]["headers"]["Idempotency-Key"]] == [
        "run-2:video",
        "run-2:audio",
    ]
    assert first[2]["headers"]["Idempotency-Key"] == second[2]["headers"]["Idempotency-Key"] == "run-2"
    assert sent_body("LipsyncCreate", second[2]) == {
        "video": {"type": "asset_id", "asset_id": "ast_v"},
        "audio": {"type": "asset_id", "asset_id": "ast_a"},
    }


async def test_an_audio_file_given_as_the_video_is_refused_before_the_lipsync(wire, v3):
    data = {"asset_id": "ast_a", "url": "https://resource.heygen.ai/ast_a", "mime_type": "audio/mpeg"}
    wire.post(url("AssetCreate"), payload=answer("AssetCreate", {**data, "size_bytes": 10}))
    inputs = {"video_file": {"content": b64(MP3), "name": "voice.mp3"}, "audio_url": VOICE}

    message = validation_error_of(await run_action("create_lipsync", inputs))

    assert "video_file: is an audio file (audio/mpeg); this input takes video" in message
    assert sent(wire) == []  # refused before the upload: neither the file nor a lipsync was sent


async def test_lipsync_status_waits_and_maps_failure_message(wire, v3):
    status = url("LipsyncGet", lipsync_id=LIPSYNC)
    wire.get(status, payload=lipsync("running"))
    wire.get(status, payload=lipsync("completed", video_url="https://files.heygen.ai/l.mp4", duration=8.0))
    wire.get(status, payload=lipsync("failed", failure_message="No face found"))

    done = data_of(await run_action("get_lipsync_status", {"lipsync_id": LIPSYNC, "wait_for_completion": True}))
    failed = data_of(await run_action("get_lipsync_status", {"lipsync_id": LIPSYNC}))

    assert (done["status"], done["video_url"], done["duration"]) == ("completed", "https://files.heygen.ai/l.mp4", 8.0)
    assert failed["error"] == {"code": None, "message": "No face found", "detail": None}


async def test_list_and_delete_lipsyncs(wire, v3):
    page = answer("LipsyncList", [{"id": LIPSYNC, "status": "completed"}], has_more=False, next_token=None)
    wire.get(url("LipsyncList") + "?limit=2", payload=page)
    wire.delete(url("LipsyncDelete", lipsync_id=LIPSYNC), payload=answer("LipsyncDelete", {"id": LIPSYNC}))

    listed = data_of(await run_action("list_lipsyncs", {"limit": 2}))
    deleted = data_of(await run_action("delete_lipsync", {"lipsync_id": LIPSYNC}))

    assert [(item["lipsync_id"], item["status"]) for item in listed["lipsyncs"]] == [(LIPSYNC, "completed")]
    assert (listed["has_more"], listed["next_token"]) == (False, None)
    assert deleted == {"lipsync_id": LIPSYNC, "deleted": True}


@pytest.mark.parametrize(
    "inputs, field",
    [
        ({"audio_url": VOICE}, "video_url"),
        ({"video_url": CLIP}, "audio_url"),
        ({"video_url": CLIP, "video_asset_id": "a1", "audio_url": VOICE}, "video_url"),
        ({"video_url": CLIP, "audio_url": VOICE, "audio_file": {"content": b64(MP3)}}, "audio_file"),
        ({"video_url": CLIP, "audio_url": VOICE, "start_time": 5, "end_time": 5}, "end_time"),
        ({"video_url": "not a url", "audio_url": VOICE}, "video_url"),
        ({"video_file": {"content": b64(b"not a video at all")}, "audio_url": VOICE}, "video_file"),
    ],
)
async def test_bad_lipsync_inputs_are_refused_naming_the_field_with_nothing_sent(wire, v3, inputs, field):
    message = validation_error_of(await run_action("create_lipsync", inputs))
    assert field in message
    assert sent(wire) == []


# ---------------------------------------------------------------- background removal


async def test_background_removal_sends_the_idempotency_key_as_request_id_and_resends_it(wire, v3):
    wire.post(REMOVALS, exception=asyncio.TimeoutError())
    wire.post(REMOVALS, payload=answer("BackgroundRemovalCreate", {"id": JOB, "status": "pending", "layers": {}}))
    inputs = {"video_asset_id": "ast_v", "layers": ["foreground", "mask"], "title": "T", "idempotency_key": "run-3"}

    result = data_of(await run_action("remove_video_background", inputs))

    assert (result["job_id"], result["status"], result["request_id"]) == (JOB, "pending", "run-3")
    assert result["layers"] == {"foreground": None, "mask": None, "background": None}
    first, second = sent(wire)
    assert (
        json.loads(first[2]["data"])
        == sent_body("BackgroundRemovalCreate", second[2])
        == {
            "video": {"type": "asset_id", "asset_id": "ast_v"},
            "request_id": "run-3",
            "layers": ["foreground", "mask"],
            "title": "T",
        }
    )
    assert "Idempotency-Key" not in second[2]["headers"]  # HeyGen ignores it here


async def test_each_background_removal_without_a_key_gets_its_own_request_id(wire, v3):
    for _ in range(2):
        wire.post(REMOVALS, payload=answer("BackgroundRemovalCreate", {"id": JOB, "status": "pending"}))

    ids = [data_of(await run_action("remove_video_background", {"video_url": CLIP}))["request_id"] for _ in range(2)]

    sent_ids = [sent_body("BackgroundRemovalCreate", kwargs)["request_id"] for _, _, kwargs in sent(wire)]
    assert sent_ids == ids and ids[0] != ids[1]


async def test_waiting_for_a_background_removal_gives_every_layer(wire, v3):
    wire.post(REMOVALS, payload=answer("BackgroundRemovalCreate", {"id": JOB, "status": "pending"}))
    layers = {name: f"https://files.heygen.ai/{name}.mp4" for name in ("foreground", "mask", "background")}
    status = url("BackgroundRemovalGet", job_id=JOB)
    wire.get(status, payload=removal("processing"))
    wire.get(status, payload=removal("completed", layers=layers, duration=4.0, completed_at=1700000100))

    result = data_of(await run_action("remove_video_background", {"video_url": CLIP, "wait_for_completion": True}))

    assert (result["status"], result["layers"], result["completed_at"]) == ("completed", layers, 1700000100)


async def test_a_failed_background_removal_is_an_error_when_waited_for(wire, v3):
    wire.get(url("BackgroundRemovalGet", job_id=JOB), payload=removal("failed", error="Video too long"))

    message = error_of(await run_action("get_background_removal", {"job_id": JOB, "wait_for_completion": True}))

    assert message == f"get_background_removal failed: job {JOB} ended as failed: Video too long."


@pytest.mark.parametrize(
    "name, inputs, field",
    [
        ("remove_video_background", {}, "video_url"),
        ("remove_video_background", {"video_url": CLIP, "video_asset_id": "a"}, "video_url"),
        ("remove_video_background", {"video_url": CLIP, "layers": ["sky"]}, "layers"),
        ("remove_video_background", {"video_url": CLIP, "layers": []}, "layers"),
        ("get_background_removal", {"job_id": "."}, "job_id"),
    ],
)
async def test_bad_background_removal_inputs_are_refused_with_nothing_sent(wire, v3, name, inputs, field):
    message = validation_error_of(await run_action(name, inputs))
    assert field in message
    assert sent(wire) == []


# ---------------------------------------------------------------- their definitions

ROOT = Path(__file__).resolve().parent.parent
# The v3 actions of this area, as config.json (built from schema/actions/agent.json) declares them;
# tests/test_tool_definitions.py checks every definition's size and portability.
AGENT_AREA = json.loads((ROOT / "schema" / "actions" / "agent.json").read_text(encoding="utf-8"))
DEFINITIONS = {
    name: entry
    for name, entry in json.loads((ROOT / "config.json").read_text(encoding="utf-8"))["actions"].items()
    if name in AGENT_AREA
}


def test_every_example_of_the_guide_passes_its_actions_input_schema():
    guide = (ROOT / "docs" / "video-agent-lipsync.md").read_text(encoding="utf-8")
    examples = re.findall(r"<!-- example: (\w+) -->\n```json\n(.*?)\n```", guide, flags=re.S)
    assert {name for name, _ in examples} >= {"create_agent_video", "create_lipsync", "remove_video_background"}
    for name, text in examples:
        problems = input_problems(integration.strict_inputs(name), json.loads(text))
        assert problems == [], (name, problems)
