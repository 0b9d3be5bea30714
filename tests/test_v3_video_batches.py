"""create_avatar_video_batch as one v3 batch (POST /v3/videos/batches) and its waiting (one GET /v3/videos/statuses
per poll for the whole batch, each finished video's links read once), its fallback to one create per video,
and get_video_batch; faked at the wire."""

import json

from tests.conftest import API, run_action, sent
from tests.helpers import data_of, validation_error_of
from tests.v3_wire import answer, gone_page, sent_body, url

BATCHES = url("VideoBatchesCreate")
BATCH_ID = "batch_1"
STATUSES = url("VideoStatusesList") + f"?batch_ids={BATCH_ID}"
SCENE = {
    "character": {"type": "avatar", "avatar_id": "Angela-inblackskirt-20220820"},
    "voice": {"type": "text", "voice_id": "1bd001e7ffe04520adf63141a163d1f8", "input_text": "Hello there!"},
}
VIDEOS = [{"video_inputs": [SCENE], "title": f"video {n}"} for n in range(3)]
ACCEPTED = {"data": {"batch_id": BATCH_ID, "status": "processing", "total_items": 3}}


def rows(*statuses, failed_error=None) -> dict:
    items = [
        {
            "video_id": f"vid_{n}",
            "status": status,
            "error": failed_error if status == "failed" else None,
            "batch_id": BATCH_ID,
            "item_index": n,
        }
        for n, status in enumerate(statuses)
    ]
    return answer("VideoStatusesList", items, has_more=False, next_token=None)


def video(video_id: str) -> dict:
    data = {"id": video_id, "status": "completed", "title": "t", "duration": 4.2, "created_at": 1767225600}
    data |= {
        "video_url": f"https://files.heygen.ai/{video_id}.mp4",
        "thumbnail_url": f"https://files.heygen.ai/{video_id}.jpg",
    }
    return answer("VideoGet", data)


def calls_to(wire, target: str) -> int:
    return sum(1 for _, sent_url, _ in sent(wire) if sent_url == target)


async def test_the_batch_is_one_request_and_its_videos_ids_come_from_one_statuses_call(wire, v3):
    wire.post(BATCHES, payload=ACCEPTED)
    wire.get(STATUSES, payload=rows("waiting", "waiting", "processing"))

    inputs = {
        "videos": VIDEOS,
        "title": "December",
        "callback_url": "https://hooks.example.com/all",
        "idempotency_key": "b-1",
    }
    result = data_of(await run_action("create_avatar_video_batch", inputs))

    assert result["batch_id"] == BATCH_ID and result["created"] == 3 and result["failed"] == 0
    assert [r["video_id"] for r in result["results"]] == ["vid_0", "vid_1", "vid_2"]
    assert [r["status"] for r in result["results"]] == ["pending", "pending", "processing"]
    post = sent(wire)[0]
    body = sent_body("VideoBatchesCreate", post[2])
    assert body["title"] == "December" and body["callback_url"] == "https://hooks.example.com/all"
    assert [item["title"] for item in body["videos"]] == ["video 0", "video 1", "video 2"]
    assert all(item["type"] == "studio" for item in body["videos"])
    assert post[2]["headers"]["Idempotency-Key"] == "b-1"
    assert len(sent(wire)) == 2


async def test_waiting_polls_the_statuses_once_per_round_and_reads_each_finished_video_once(wire, v3):
    wire.post(BATCHES, payload=ACCEPTED)
    wire.get(STATUSES, payload=rows("waiting", "processing", "processing"))
    wire.get(
        STATUSES, payload=rows("completed", "processing", "failed", failed_error={"code": "40001", "message": "bad"})
    )
    wire.get(STATUSES, payload=rows("completed", "completed", "failed"))
    for n in (0, 1):
        wire.get(url("VideoGet", video_id=f"vid_{n}"), payload=video(f"vid_{n}"))

    result = data_of(await run_action("create_avatar_video_batch", {"videos": VIDEOS, "wait_for_completion": True}))

    first, second, third = result["results"]
    assert first["status"] == second["status"] == "completed" and first["video_url"].endswith("vid_0.mp4")
    assert second["thumbnail_url"].endswith("vid_1.jpg") and second["duration"] == 4.2
    assert third["status"] == "failed" and third["error"] == {"code": "40001", "message": "bad", "detail": None}
    assert result["failed"] == 1 and result["timed_out"] is False
    assert calls_to(wire, STATUSES) == 3  # one request per poll for the whole batch
    assert all(calls_to(wire, url("VideoGet", video_id=f"vid_{n}")) == 1 for n in (0, 1))
    assert calls_to(wire, url("VideoGet", video_id="vid_2")) == 0


async def test_a_resent_batch_carries_the_same_key(wire, v3):
    conflict = {"error": {"code": "request_in_progress", "message": "A request with this key is in progress"}}
    wire.post(BATCHES, status=409, payload=conflict, headers={"Retry-After": "0"})
    wire.post(BATCHES, payload=ACCEPTED)
    wire.get(STATUSES, payload=rows("waiting", "waiting", "waiting"))

    result = data_of(await run_action("create_avatar_video_batch", {"videos": VIDEOS}))

    keys = [kwargs["headers"]["Idempotency-Key"] for method, sent_url, kwargs in sent(wire) if sent_url == BATCHES]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert result["batch_id"] == BATCH_ID and result["created"] == 3


async def test_without_v3_batches_the_videos_are_created_one_by_one(wire, v3):
    wire.post(BATCHES, **gone_page())
    for n in range(3):
        wire.post(url("VideoCreate"), payload={"data": {"video_id": f"one_{n}", "status": "waiting"}})

    result = data_of(await run_action("create_avatar_video_batch", {"videos": VIDEOS}))

    assert result["batch_id"] is None and sorted(r["video_id"] for r in result["results"]) == [
        "one_0",
        "one_1",
        "one_2",
    ]
    assert calls_to(wire, url("VideoCreate")) == 3


async def test_an_item_only_the_legacy_api_can_say_sends_the_videos_one_by_one(wire, v3):
    wire.post(f"{API}/v2/video/generate", payload={"error": None, "data": {"video_id": "legacy_1"}})

    videos = [{"video_inputs": [SCENE], "test": True}]
    result = data_of(await run_action("create_avatar_video_batch", {"videos": videos}))

    assert result["batch_id"] is None and result["results"][0]["video_id"] == "legacy_1"
    assert calls_to(wire, BATCHES) == 0
    assert json.loads(sent(wire)[0][2]["data"])["test"] is True


async def test_more_than_100_videos_are_refused_sending_nothing(wire, v3):
    message = validation_error_of(await run_action("create_avatar_video_batch", {"videos": VIDEOS * 34}))

    assert "videos" in message and sent(wire) == []


async def test_get_video_batch_gives_each_items_status_and_the_counts(wire, v3):
    data = {
        "batch_id": BATCH_ID,
        "status": "processing",
        "title": "December",
        "total_items": 2,
        "counts_by_status": {"completed": 1, "queued": 1},
        "created_at": 1767225600,
        "items": [
            {"item_index": 0, "status": "completed", "video_id": "vid_0", "error": None},
            {"item_index": 1, "status": "queued", "video_id": None, "error": None},
        ],
        "has_more": False,
        "next_token": None,
    }
    wire.get(url("VideoBatchesGet", batch_id=BATCH_ID) + "?limit=100", payload=answer("VideoBatchesGet", data))

    result = data_of(await run_action("get_video_batch", {"batch_id": BATCH_ID}))

    assert result == {
        "batch_id": BATCH_ID,
        "status": "processing",
        "raw_status": "processing",
        "title": "December",
        "total_items": 2,
        "counts_by_status": {"completed": 1, "queued": 1},
        "created_at": 1767225600,
        "items": [
            {"index": 0, "video_id": "vid_0", "status": "completed", "raw_status": "completed", "error": None},
            {"index": 1, "video_id": None, "status": "pending", "raw_status": "queued", "error": None},
        ],
    }
