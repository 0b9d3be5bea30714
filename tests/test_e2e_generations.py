"""The same workflow on every combination of what HeyGen serves and what the plugin prefers, over real HTTP.

The simulator's `legacy` mode is what v1/v2 do (served, deprecated with HeyGen's headers and body warning,
retired); HEYGEN_API_VERSION is the plugin's preference. Whatever the combination, the workflow's outputs
are the same, and the requests go where they should.
"""

import logging

import pytest

from heygen_core.paths import v3
from simulator import ANGELA_AVATAR_ID, MONICA_VOICE_ID
from tests.conftest import simulator
from tests.helpers import ok

pytestmark = pytest.mark.e2e

SCENE = {
    "character": {"type": "avatar", "avatar_id": ANGELA_AVATAR_ID},
    "voice": {"type": "text", "voice_id": MONICA_VOICE_ID, "input_text": "Hello there, this is a short video."},
}
COMBINATIONS = [
    ("v3", "retired"),
    ("v3", "deprecated"),
    ("v3", "served"),
    ("legacy", "served"),
    ("legacy", "deprecated"),
    ("legacy", "retired"),
]


async def video_workflow() -> dict:
    created = await ok("create_avatar_video", {"video_inputs": [SCENE], "title": "generations"})
    status = await ok("get_video_status", {"video_id": created["video_id"], "wait_for_completion": True})
    listed = await ok("list_videos", {"limit": 10})
    webm_id = created["video_id"]
    deleted = await ok("delete_video", {"video_id": webm_id})
    return {"created": created, "status": status, "listed": listed, "deleted": deleted}


def shape(outputs: dict) -> dict:
    """What must not differ between generations: the output fields and the job's course."""
    status = outputs["status"]
    return {
        "created_fields": sorted(outputs["created"]),
        "created_status": outputs["created"]["status"],
        "status_fields": sorted(status),
        "final": (status["status"], status["raw_status"], status["error"], status["timed_out"]),
        "has_file": bool(status["video_url"]) and status["duration"] > 0,
        "listed_fields": sorted(outputs["listed"]),
        "listed_ids": [video["video_id"] for video in outputs["listed"]["videos"]] == [outputs["created"]["video_id"]],
        "deleted": outputs["deleted"],
    }


@pytest.mark.parametrize("preference,legacy", COMBINATIONS, ids=[f"{p}-prefers-{m}-legacy" for p, m in COMBINATIONS])
async def test_the_video_workflow_is_the_same_on_every_generation(monkeypatch, caplog, preference, legacy):
    caplog.set_level(logging.WARNING, logger="heygen")
    async with simulator(monkeypatch, legacy=legacy) as sim:
        monkeypatch.setenv("HEYGEN_API_VERSION", preference)
        outputs = await video_workflow()
        v3_creates = sim.count_v3("VideoCreate")
        legacy_creates = sim.count("POST", "/v2/video/generate")

    assert shape(outputs)["final"] == ("completed", "completed", None, False)
    assert shape(outputs)["has_file"] and shape(outputs)["listed_ids"]
    assert shape(outputs)["deleted"] == {"video_id": outputs["created"]["video_id"], "deleted": True}
    if preference == "legacy" and legacy == "retired":
        assert (v3_creates, legacy_creates) == (1, 1)  # the legacy route answered 404, once; then v3
    elif preference == "v3":
        assert (v3_creates, legacy_creates) == (1, 0)
    else:
        assert (v3_creates, legacy_creates) == (0, 1)
    warnings = [record.message for record in caplog.records]
    if preference == "legacy" and legacy == "deprecated":
        assert sum("deprecated" in message for message in warnings) >= 1
        assert len(warnings) == len(set(warnings))  # each route's notice once
    if preference == "legacy" and legacy == "retired":
        assert any("does not serve POST /v2/video/generate" in message for message in warnings)


async def test_outputs_are_identical_in_shape_across_generations(monkeypatch):
    shapes = []
    for preference, legacy in (("v3", "retired"), ("legacy", "served")):
        async with simulator(monkeypatch, legacy=legacy):
            monkeypatch.setenv("HEYGEN_API_VERSION", preference)
            shapes.append(shape(await video_workflow()))
    first, second = shapes
    assert first == second


def test_the_studio_route_is_heygens_v3_create():
    assert (v3("VideoCreate").method, v3("VideoCreate").path) == ("POST", "/v3/videos")
