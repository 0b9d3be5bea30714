"""The simulator's v3 lipsync, background removal and Video Agent over real HTTP on loopback, answers
checked against HeyGen's response schemas by ``call_v3``; their outputs are real video files."""

from __future__ import annotations

import io

import av
import pytest

from simulator import ANGELA_AVATAR_ID, Simulator, SimulatorConfig
from simulator.testing import call, call_v3, v3_avatar_body

pytestmark = pytest.mark.e2e

CLIP = {"type": "url", "url": "https://example.com/clip.mp4"}
AUDIO = {"type": "url", "url": "https://example.com/voice.mp3"}


@pytest.fixture
async def sim():
    async with Simulator(SimulatorConfig(time_scale=1.0)) as server:
        yield server


async def _seconds(http, sim, url: str) -> float:
    file = await call(http, sim, "GET", url.removeprefix(sim.url), api_key=None)
    assert file.status == 200
    with av.open(io.BytesIO(file.raw)) as container:
        return container.duration / 1e6


async def test_a_lipsync_runs_pending_running_completed_and_keeps_the_source_length(sim, http):
    source = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body("One two three four five six seven eight"))
    sim.advance(60)
    own = {"type": "url", "url": f"{sim.url}/media/videos/{source.data['video_id']}.mp4"}
    made = await call_v3(http, sim, "LipsyncCreate", json={"video": own, "audio": AUDIO, "title": "Dub"},
                         idempotency_key="lip-1")  # fmt: skip
    job = {"lipsync_id": made.data["lipsync_id"]}
    seen = [(await call_v3(http, sim, "LipsyncGet", path=job)).data["status"]]
    sim.advance(1.5)
    seen.append((await call_v3(http, sim, "LipsyncGet", path=job)).data["status"])
    sim.advance(60)
    done = await call_v3(http, sim, "LipsyncGet", path=job)
    listed = await call_v3(http, sim, "LipsyncList")
    renamed = await call_v3(http, sim, "LipsyncUpdate", path=job, json={"title": "Dub 2"})
    bulk = await call_v3(http, sim, "LipsyncStatusesList", params={"lipsync_ids": f"{job['lipsync_id']},nope"})
    library = await call_v3(http, sim, "VideoList")
    seconds = await _seconds(http, sim, done.data["video_url"])
    deleted = await call_v3(http, sim, "LipsyncDelete", path=job)
    gone = await call_v3(http, sim, "LipsyncGet", path=job)

    assert seen == ["pending", "running"] and done.data["status"] == "completed"
    assert seconds == pytest.approx(3.2, abs=0.3)
    assert [j["id"] for j in listed.data] == [job["lipsync_id"]] and renamed.data["title"] == "Dub 2"
    assert [s["status"] for s in bulk.data] == ["completed", "not_found"]
    assert [v["id"] for v in library.data] == [source.data["video_id"]]  # the dub is not a library video
    assert deleted.data == {"id": job["lipsync_id"]} and gone.status == 404


async def test_background_removal_dedups_on_request_id_and_ignores_idempotency_keys(sim, http):
    body = {"video": CLIP, "layers": ["foreground", "mask"], "request_id": "req-7"}
    first = await call_v3(http, sim, "BackgroundRemovalCreate", json=body)
    same = await call_v3(http, sim, "BackgroundRemovalCreate", json=body, idempotency_key="ignored")
    other = await call_v3(http, sim, "BackgroundRemovalCreate", json={"video": CLIP}, idempotency_key="k")
    again = await call_v3(http, sim, "BackgroundRemovalCreate", json={"video": CLIP}, idempotency_key="k")
    bad = await call_v3(http, sim, "BackgroundRemovalCreate", json={"video": CLIP, "layers": ["sky"]})
    sim.advance(60)
    done = await call_v3(http, sim, "BackgroundRemovalGet", path={"job_id": first.data["id"]})
    mask_seconds = await _seconds(http, sim, done.data["layers"]["mask"])
    listed = await call_v3(http, sim, "BackgroundRemovalList")
    deleted = await call_v3(http, sim, "BackgroundRemovalDelete", path={"job_id": first.data["id"]})
    fresh = await call_v3(http, sim, "BackgroundRemovalCreate", json=body)

    assert first.data["status"] == "pending" and same.data["id"] == first.data["id"]
    assert other.data["id"] != again.data["id"]  # no Idempotency-Key replay on this endpoint
    assert sim.jobs_created("BackgroundRemovalCreate") == 4 and bad.error["param"] == "layers[0]"
    assert done.data["status"] == "completed" and set(done.data["layers"]) == {"foreground", "mask"}
    assert mask_seconds == pytest.approx(5.0, abs=0.3) and len(listed.data) == 3
    assert deleted.data == {"id": first.data["id"], "deleted": True} and fresh.data["id"] != first.data["id"]


async def test_a_generate_session_makes_a_video_readable_on_get_video(sim, http):
    styles = await call_v3(http, sim, "VideoAgentStylesList", params={"tag": "business"})
    made = await call_v3(
        http, sim, "VideoAgentCreate",
        json={"prompt": "A short welcome for new customers", "avatar_id": ANGELA_AVATAR_ID,
              "style_id": styles.data[0]["style_id"]},
        idempotency_key="agent-1",
    )  # fmt: skip
    session = {"session_id": made.data["session_id"]}
    early = await call_v3(http, sim, "VideoAgentGet", path=session)
    sim.advance(60)
    done = await call_v3(http, sim, "VideoAgentGet", path=session)
    video = await call_v3(http, sim, "VideoGet", path={"video_id": made.data["video_id"]})
    sessions = await call_v3(http, sim, "VideoAgentList")
    videos = await call_v3(http, sim, "VideoAgentVideosList", path=session)

    assert len(styles.data) == 2 and made.data["status"] == "generating" and early.data["status"] == "generating"
    assert done.data["status"] == "completed" and done.data["progress"] == 100
    assert video.data["status"] == "completed" and video.data["video_url"]
    assert [s["session_id"] for s in sessions.data] == [session["session_id"]]
    assert [v["id"] for v in videos.data] == [made.data["video_id"]]


async def test_a_chat_session_thinks_waits_for_input_and_a_message_starts_the_video(sim, http):
    made = await call_v3(http, sim, "VideoAgentCreate", json={"prompt": "Explain our pricing", "mode": "chat"})
    session = {"session_id": made.data["session_id"]}
    too_early = await call_v3(http, sim, "VideoAgentSend", path=session, json={"message": "Go"})
    sim.advance(3)
    waiting = await call_v3(http, sim, "VideoAgentGet", path=session)
    sent = await call_v3(http, sim, "VideoAgentSend", path=session, json={"message": "Yes, keep it short"})
    resource_id = sent_video = (await call_v3(http, sim, "VideoAgentGet", path=session)).data["video_id"]
    resource = await call_v3(http, sim, "VideoAgentResourcesGet", path=session | {"resource_id": resource_id})
    stranger = await call_v3(http, sim, "VideoAgentResourcesGet", path=session | {"resource_id": "other"})
    stopped = await call_v3(http, sim, "VideoAgentStop", path=session, json={})
    after = await call_v3(http, sim, "VideoAgentGet", path=session)
    missing = await call_v3(http, sim, "VideoAgentGet", path={"session_id": "nope"})

    assert made.data["status"] == "thinking" and made.data["video_id"] is None
    assert too_early.status == 400
    assert waiting.data["status"] == "waiting_for_input" and waiting.data["messages"][0]["role"] == "model"
    assert sent.data["session_id"] == session["session_id"] and sent.data["run_id"]
    assert resource.data["resource_type"] == "video" and resource.data["resource_id"] == sent_video
    assert stranger.status == 404
    assert [(m["role"], m["type"]) for m in after.data["messages"]] == [  # newest first, as HeyGen lists them
        ("model", "resource"),
        ("user", "text"),
        ("model", "text"),
        ("user", "text"),
    ]
    assert after.data["messages"][0]["resource_ids"] == [sent_video]
    assert stopped.data == session and after.data["status"] == "failed" and missing.status == 404
