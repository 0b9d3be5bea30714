"""The simulator's v3 AI clipping and translation proofreads over real HTTP on loopback, answers checked
against HeyGen's response schemas by ``call_v3``; clips and SRT files are real files."""

from __future__ import annotations

import pytest

from simulator import Simulator, SimulatorConfig
from simulator.testing import call, call_v3

pytestmark = pytest.mark.e2e

CLIP = {"type": "url", "url": "https://example.com/talk.mp4"}


@pytest.fixture
async def sim():
    async with Simulator(SimulatorConfig(time_scale=1.0)) as server:
        yield server


async def test_ai_clipping_makes_short_real_clips_kept_out_of_the_library(sim, http):
    settings = {"aspect_ratio": "portrait", "duration_types": ["30", "long"]}
    made = await call_v3(
        http, sim, "AiClippingCreate", json={"video": CLIP, "title": "Talk", "output_settings": settings}
    )
    job = {"job_id": made.data["id"]}
    sim.advance(60)
    done = await call_v3(http, sim, "AiClippingGet", path=job)
    clip = await call(http, sim, "GET", done.data["clips"][0]["video_url"].removeprefix(sim.url), api_key=None)
    listed = await call_v3(http, sim, "AiClippingList")
    library = await call_v3(http, sim, "VideoList")
    deleted = await call_v3(http, sim, "AiClippingDelete", path=job)
    gone = await call_v3(http, sim, "AiClippingGet", path=job)

    assert made.data["status"] == "pending" and len(made.data["clips"]) == 2
    assert done.data["status"] == "completed" and {c["status"] for c in done.data["clips"]} == {"completed"}
    assert [c["duration_seconds"] for c in done.data["clips"]] == [5.0, 5.0]  # the source clip is 5 s
    assert clip.status == 200 and clip.headers["Content-Type"] == "video/mp4"
    assert [j["id"] for j in listed.data] == [job["job_id"]] and library.data == []
    assert deleted.data == {"id": job["job_id"]} and gone.status == 404


async def test_a_proofread_gives_an_srt_takes_a_replacement_and_generates_the_translation(sim, http):
    made = await call_v3(
        http, sim, "VideoTranslateProofreadsCreate",
        json={"video": CLIP, "output_languages": ["French", "German"], "title": "Review"},
    )  # fmt: skip
    proofread = {"proofread_id": made.data["proofread_ids"][0]}
    early = await call_v3(http, sim, "VideoTranslateProofreadsSrtGet", path=proofread)
    sim.advance(5)
    srt = await call_v3(http, sim, "VideoTranslateProofreadsSrtGet", path=proofread)
    file = await call(http, sim, "GET", srt.data["srt_url"].removeprefix(sim.url), api_key=None)
    replaced = await call_v3(http, sim, "VideoTranslateProofreadsSrtUpdate", path=proofread,
                             json={"srt": {"type": "url", "url": "https://example.com/fixed.srt"}})  # fmt: skip
    generated = await call_v3(http, sim, "VideoTranslateProofreadsGenerate", path=proofread, json={})
    again = await call_v3(http, sim, "VideoTranslateProofreadsGenerate", path=proofread, json={})
    sim.advance(60)
    translation = await call_v3(
        http, sim, "VideoTranslateGet", path={"video_translation_id": generated.data["video_translation_id"]}
    )
    after = await call_v3(http, sim, "VideoTranslateProofreadsSrtGet", path=proofread)

    assert len(made.data["proofread_ids"]) == 2 and early.status == 400
    assert file.status == 200 and file.raw.decode().startswith("1\n00:00:00,000 --> ") and b"(French)" in file.raw
    assert replaced.data["status"] == "completed"
    assert again.data["video_translation_id"] == generated.data["video_translation_id"]
    assert translation.data["status"] == "completed" and translation.data["output_language"] == "French"
    assert after.data["srt_url"] == "https://example.com/fixed.srt"
