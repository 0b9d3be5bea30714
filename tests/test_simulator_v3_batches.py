"""The simulator's v3 batches of translations, lipsyncs and direct uploads over real HTTP on loopback,
answers checked against HeyGen's response schemas by ``call_v3``."""

from __future__ import annotations

import pytest

from simulator import Simulator, SimulatorConfig
from simulator.testing import call_v3

pytestmark = pytest.mark.e2e

CLIP = {"type": "url", "url": "https://example.com/clip.mp4"}
AUDIO = {"type": "url", "url": "https://example.com/voice.mp3"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


@pytest.fixture
async def sim():
    async with Simulator(SimulatorConfig(time_scale=1.0)) as server:
        yield server


async def test_a_translation_batch_has_one_item_per_language_and_fails_bad_requests_alone(sim, http):
    made = await call_v3(
        http, sim, "VideoTranslateBatchesCreate",
        json={"video_translations": [{"video": CLIP, "output_languages": ["French", "German"]},
                                     {"video": CLIP, "output_languages": ["Klingon"]}], "title": "Launch"},
        idempotency_key="tb-1",
    )  # fmt: skip
    batch = {"batch_id": made.data["batch_id"]}
    early = await call_v3(http, sim, "VideoTranslateBatchesGet", path=batch)
    sim.advance(60)
    done = await call_v3(http, sim, "VideoTranslateBatchesGet", path=batch)
    translated = await call_v3(http, sim, "VideoGet", path={"video_id": done.data["items"][0]["video_id"]})

    assert made.status == 202 and made.data["total_items"] == 3
    assert [i["status"] for i in early.data["items"]] == ["queued", "queued", "failed"]
    assert early.data["items"][2]["error"]["code"] == "validation_error"
    assert done.data["status"] == "completed" and done.data["counts_by_status"] == {"completed": 2, "failed": 1}
    assert translated.data["output_language"] == "French"


async def test_a_lipsync_batch_reports_each_lipsync(sim, http):
    two = [{"video": CLIP, "audio": AUDIO}, {"video": CLIP, "audio": AUDIO}]
    made = await call_v3(http, sim, "LipsyncBatchesCreate", json={"lipsyncs": two})
    batch = {"batch_id": made.data["batch_id"]}
    sim.advance(60)
    done = await call_v3(http, sim, "LipsyncBatchesGet", path=batch, params={"limit": 1})
    first = await call_v3(http, sim, "LipsyncGet", path={"lipsync_id": done.data["items"][0]["video_id"]})
    missing = await call_v3(http, sim, "LipsyncBatchesGet", path={"batch_id": "nope"})

    assert done.data["total_items"] == 2 and done.data["has_more"] is True and len(done.data["items"]) == 1
    assert first.data["status"] == "completed" and missing.status == 404


async def test_a_direct_upload_batch_completes_the_files_that_arrived(sim, http):
    files = [{"filename": f"{n}.png", "content_type": "image/png", "size_bytes": len(PNG)} for n in ("a", "b")]
    made = await call_v3(http, sim, "AssetDirectUploadsBatchesCreate", json={"files": files}, idempotency_key="ub-1")
    slots = made.data["items"]
    async with http.put(slots[0]["upload_url"], data=PNG, headers=slots[0]["upload_headers"]) as put:
        assert put.status == 200
    batch = {"batch_id": made.data["batch_id"]}
    before = await call_v3(http, sim, "AssetBatchesGet", path=batch)
    completed = await call_v3(http, sim, "AssetCompleteBatchesCreate", json=batch)
    after = await call_v3(http, sim, "AssetBatchesGet", path=batch)
    asset = await call_v3(http, sim, "AssetGet", path={"asset_id": slots[0]["asset_id"]})

    assert [i["status"] for i in before.data["items"]] == ["queued", "queued"]
    assert completed.status == 202
    assert [i["status"] for i in after.data["items"]] == ["completed", "failed"]
    assert (
        after.data["items"][0]["video_id"] == slots[0]["asset_id"]
        and after.data["items"][1]["error"]["code"] == "conflict"
    )
    assert asset.data["type"] == "image"
