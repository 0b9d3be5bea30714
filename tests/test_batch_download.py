"""download_video and create_avatar_video_batch against the simulator over real HTTP (plus two HTTP-layer checks).

Downloads: the file comes back whole in Autohive's file convention, from a URL fetched just before, and a file
over the cap is a clear error. Batches: every video is created exactly once under the plan's concurrency limit,
429s only slow the batch down, and results come back per item in input order.
"""

import base64
import contextlib
import json

import aiohttp
import pytest
from aiohttp import web
from autohive_integrations_sdk import ResultType

from heygen_core import client
from heygen_core.errors import HINTS, MAYBE_CREATED_HINT, HeyGenError
from simulator import FAILURE_TRIGGER, Faults, Plan, Simulator, SimulatorConfig, media
from simulator.testing import studio_body
from tests.conftest import API, API_KEY, API_KEY_AUTH, SECRETS, run_action

GENERATE = "/v2/video/generate"
STATUS = "/v1/video_status.get"
FOUR_SECOND_SCRIPT = "One two three four five"  # a 4 s job at time_scale 1
NEVER_TAKEN = "HeyGen never took this video: send it again (once running jobs have finished) to create it."
SIZE_HINT = "Hint: Raise max_megabytes (within its limit) or use the URL from get_video_status instead."


async def run(name: str, inputs: dict, **request_config):
    return await run_action(name, inputs, auth=API_KEY_AUTH, request_config=request_config or None)


def data_of(result) -> dict:
    assert result.type == ResultType.ACTION, result.result
    return result.result.data


def message_of(result) -> str:
    assert result.type == ResultType.ACTION_ERROR, result.result
    assert not any(secret in result.result.message for secret in SECRETS)
    return result.result.message


@contextlib.asynccontextmanager
async def simulator(monkeypatch, **settings):
    async with Simulator(SimulatorConfig(**{"time_scale": 0.02, "api_keys": {API_KEY}, **settings})) as sim:
        monkeypatch.setenv("HEYGEN_API_URL", sim.url)
        monkeypatch.setenv("HEYGEN_UPLOAD_URL", sim.url)
        monkeypatch.setenv("HEYGEN_ALLOW_LOOPBACK_URLS", "1")  # the simulator serves its media on loopback
        yield sim


def media_requests(sim: Simulator) -> list:
    return [r for r in sim.requests if r.path.startswith("/media/")]


def seen_since(sim: Simulator, start: int) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in sim.requests[start:]]


# ============================================================================== download_video


@pytest.fixture
async def sim(monkeypatch):
    async with simulator(monkeypatch) as server:
        yield server


@pytest.fixture
async def video_id(sim):
    """A finished video made with captions, so every kind of file exists."""
    created = data_of(await run("create_avatar_video", studio_body("Hello there", caption=True, title="Launch")))
    sim.advance(60)
    return created["video_id"]


FILES = {
    "video": (lambda b: b[4:8] == b"ftyp", ".mp4", "video/mp4", ".mp4"),
    "thumbnail": (lambda b: b[:3] == b"\xff\xd8\xff", "_thumbnail.jpg", "image/jpeg", ".jpg"),
    "gif": (lambda b: b[:6] == b"GIF89a", ".gif", "image/gif", ".gif"),
    "captions": (lambda b: b.startswith(b"WEBVTT"), ".vtt", "text/vtt", ".vtt"),
    "video_with_captions": (lambda b: b[4:8] == b"ftyp", "_captioned.mp4", "video/mp4", "_caption.mp4"),
}


@pytest.mark.e2e
@pytest.mark.parametrize("file_type", list(FILES))
async def test_download_video_returns_the_file_from_a_fresh_link(sim, video_id, file_type):
    looks_right, suffix, content_type, served_as = FILES[file_type]
    before = len(sim.requests)

    output = data_of(await run("download_video", {"video_id": video_id, "file_type": file_type}))

    content = base64.b64decode(output["file"]["content"], validate=True)
    assert looks_right(content)
    assert output == {
        "file": {"content": output["file"]["content"], "name": f"{video_id}{suffix}", "contentType": content_type},
        "video_id": video_id,
        "file_type": file_type,
        "size_bytes": len(content),
        "duration": 0.8,
    }
    # a status call for a fresh signed link, then exactly one download of it
    assert seen_since(sim, before) == [("GET", STATUS), ("GET", f"/media/videos/{video_id}{served_as}")]
    async with aiohttp.ClientSession() as http:  # byte for byte what HeyGen's CDN holds
        async with http.get(f"{sim.url}/media/videos/{video_id}{served_as}") as served:
            assert await served.read() == content


@pytest.mark.e2e
async def test_download_video_over_the_size_cap_is_a_clear_error_and_under_it_succeeds(sim, video_id, monkeypatch):
    monkeypatch.setattr(media, "render_video", lambda *args, **kwargs: b"\0" * 2_100_000)  # a 2.1 MB "video"

    refused = await run("download_video", {"video_id": video_id, "max_megabytes": 2})
    output = data_of(await run("download_video", {"video_id": video_id, "max_megabytes": 3}))

    assert message_of(refused) == (
        f"download_video failed: the file is 2.1 MB, over the 2 MB this action returns. {SIZE_HINT}"
    )
    assert output["size_bytes"] == 2_100_000 and len(base64.b64decode(output["file"]["content"])) == 2_100_000
    assert sim.count("GET", STATUS) == 2 and len(media_requests(sim)) == 2  # the refusal was not retried


@pytest.mark.e2e
async def test_download_video_of_an_unfinished_video_is_a_clear_error_and_downloads_nothing(sim):
    created = data_of(await run("create_avatar_video", studio_body("Hello there")))

    message = message_of(await run("download_video", {"video_id": created["video_id"]}))

    assert message == (
        f"download_video failed: video {created['video_id']} has no video to download (status waiting). "
        "Hint: Wait for the video to complete (wait_for_completion true), or check get_video_status."
    )
    assert sim.count("GET", STATUS) == 1 and media_requests(sim) == []


@pytest.mark.e2e
async def test_download_video_captions_of_a_video_made_without_them_say_why(sim):
    created = data_of(await run("create_avatar_video", studio_body("Hello there")))
    sim.advance(60)

    message = message_of(await run("download_video", {"video_id": created["video_id"], "file_type": "captions"}))

    assert message == (
        f"download_video failed: video {created['video_id']} has no captions to download (status completed). "
        "Hint: HeyGen made no such file for this video (captions exist only for videos created with caption true)."
    )
    assert media_requests(sim) == []


@pytest.mark.e2e
async def test_download_video_can_wait_for_the_video_first(sim):
    created = data_of(await run("create_avatar_video", studio_body("Hello there")))

    output = data_of(await run("download_video", {"video_id": created["video_id"], "wait_for_completion": True}))

    assert base64.b64decode(output["file"]["content"])[4:8] == b"ftyp"
    assert sim.count("GET", STATUS) >= 2 and len(media_requests(sim)) == 1


@pytest.mark.e2e
async def test_download_retries_a_503_from_the_file_host(sim, video_id):
    sim.config.faults = Faults(status_503=1, path_prefix="/media/")

    output = data_of(await run("download_video", {"video_id": video_id, "file_type": "thumbnail"}))

    assert output["file"]["contentType"] == "image/jpeg"
    assert len(media_requests(sim)) == 2


@pytest.mark.e2e
async def test_download_does_not_sleep_through_a_retry_after_past_the_cap(sim, video_id):
    sim.config.faults = Faults(burst_429=1, retry_after=3600, path_prefix="/media/")

    message = message_of(await run("download_video", {"video_id": video_id}))

    assert message == f"download_video failed: HeyGen 429 too many requests. Hint: {HINTS['429']}"
    assert len(media_requests(sim)) == 1


async def test_a_streamed_download_is_cut_off_at_the_cap_without_reading_the_rest(monkeypatch):
    """No Content-Length: the cap is enforced while streaming, and the rest is never read."""
    monkeypatch.setenv("HEYGEN_ALLOW_LOOPBACK_URLS", "1")
    sent = {"bytes": 0}
    total = 64 * 1024 * 1024

    async def endless(request):
        response = web.StreamResponse(headers={"Content-Type": "video/mp4"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        chunk = b"\0" * 65536
        with contextlib.suppress(ConnectionError):
            while sent["bytes"] < total:
                await response.write(chunk)
                sent["bytes"] += len(chunk)
        return response

    app = web.Application()
    app.router.add_get("/file.mp4", endless)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        async with client.HeyGenClient(API_KEY_AUTH) as api:
            with pytest.raises(HeyGenError) as caught:
                await api.download(f"http://{host}:{port}/file.mp4", max_bytes=1_000_000)
    finally:
        await runner.cleanup()

    assert caught.value.message == "the file is larger than the 1 MB this action returns"
    assert caught.value.retryable is False
    assert sent["bytes"] < total // 2


# ============================================================================== create_avatar_video_batch


def batch_of(count: int, **extra) -> list[dict]:
    return [{**studio_body(FOUR_SECOND_SCRIPT), "title": f"video {i}", **extra} for i in range(count)]


def created_posts(sim: Simulator) -> int:
    return len(sim.state.videos)


@pytest.mark.e2e
async def test_batch_of_ten_under_a_plan_limit_of_two_creates_each_video_exactly_once_in_input_order(monkeypatch):
    async with simulator(monkeypatch, time_scale=0.075, plan=Plan(concurrent_jobs=2)) as sim:  # 0.3 s videos
        inputs = {"videos": batch_of(10), "concurrency": 3, "wait_for_completion": True, "timeout_seconds": 120}

        output = data_of(await run("create_avatar_video_batch", inputs))

        results = output["results"]
        ids = [r["video_id"] for r in results]
        assert (output["created"], output["failed"], output["timed_out"]) == (10, 0, False)
        assert [r["index"] for r in results] == list(range(10))
        assert len(set(ids)) == 10 and set(ids) == set(sim.state.videos)
        assert [sim.state.videos[i].title for i in ids] == [f"video {n}" for n in range(10)]  # input order
        assert all(r["status"] == "completed" and r["video_url"] and r["error"] is None for r in results)
        refused = sim.count("POST", GENERATE) - created_posts(sim)
        assert created_posts(sim) == 10 and refused > 0  # 429s happened, and failed nothing


@pytest.mark.e2e
async def test_batch_item_heygen_rejects_is_reported_alone_and_nothing_is_resent(sim):
    videos = batch_of(3)
    videos[1]["video_inputs"][0]["character"]["avatar_id"] = "no-such-avatar"

    output = data_of(await run("create_avatar_video_batch", {"videos": videos}))

    results = output["results"]
    assert (output["created"], output["failed"], output["timed_out"]) == (2, 1, False)
    assert results[1] == {
        "index": 1,
        "video_id": None,
        "status": "failed",
        "raw_status": None,
        "video_url": None,
        "thumbnail_url": None,
        "duration": None,
        "error": {"code": "400144", "message": "Avatar not found: no-such-avatar", "detail": HINTS["400144"]},
    }
    assert [results[i]["video_id"] in sim.state.videos for i in (0, 2)] == [True, True]
    assert sim.count("POST", GENERATE) == 3 and created_posts(sim) == 2


@pytest.mark.e2e
async def test_batch_item_whose_job_fails_while_waited_on_is_reported_alone(sim):
    videos = batch_of(3)
    videos[2]["title"] = f"video 2 {FAILURE_TRIGGER}"

    output = data_of(await run("create_avatar_video_batch", {"videos": videos, "wait_for_completion": True}))

    results = output["results"]
    assert (output["created"], output["failed"], output["timed_out"]) == (3, 1, False)
    assert [r["status"] for r in results] == ["completed", "completed", "failed"]
    assert results[2]["video_id"] in sim.state.videos
    assert results[2]["error"] == {
        "code": "40065",
        "message": "Video rendering failed (simulated by SIMULATE_FAILURE)",
        "detail": None,
    }
    assert sim.count("POST", GENERATE) == 3


async def test_batch_item_that_breaks_the_schema_is_a_validation_error_naming_it_and_nothing_is_sent(sim):
    videos = batch_of(3)
    videos[1]["video_inputs"][0]["background"]["value"] = "#FFF"

    result = await run("create_avatar_video_batch", {"videos": videos})

    assert result.type == ResultType.VALIDATION_ERROR
    assert result.result["property"] == "videos[1].video_inputs[0].background.value"
    assert sim.requests == []


@pytest.mark.e2e
async def test_batch_items_whose_answer_never_came_carry_the_advice_and_are_not_resent(sim):
    sim.config.faults = Faults(slow_paths={GENERATE: 1.3})

    output = data_of(await run("create_avatar_video_batch", {"videos": batch_of(2)}, timeout=1))

    assert (output["created"], output["failed"]) == (0, 2)
    assert [r["error"] for r in output["results"]] == [
        {"code": None, "message": "no answer from HeyGen within 1 s", "detail": MAYBE_CREATED_HINT}
    ] * 2
    assert sim.count("POST", GENERATE) == 2 and created_posts(sim) == 2  # made once each, never twice


@pytest.mark.e2e
async def test_batch_that_cannot_wait_out_the_plans_limit_reports_the_rest_as_never_taken(monkeypatch):
    async with simulator(monkeypatch, time_scale=10.0, plan=Plan(concurrent_jobs=1)) as sim:  # 40 s videos
        output = data_of(await run("create_avatar_video_batch", {"videos": batch_of(3), "timeout_seconds": 10}))

        results = output["results"]
        assert (output["created"], output["failed"], output["timed_out"]) == (1, 2, True)
        assert results[0]["video_id"] in sim.state.videos
        for refused in results[1:]:
            assert refused["video_id"] is None and refused["status"] == "failed"
            assert refused["error"]["code"] == "rate_limit_exceeded" and refused["error"]["detail"] == NEVER_TAKEN
        assert sim.count("POST", GENERATE) == 3 and created_posts(sim) == 1


async def test_batch_item_errors_never_carry_a_credential(wire):
    wire.post(
        f"{API}{GENERATE}",
        status=400,
        payload={"error": {"code": "invalid_parameter", "message": f"bad key {API_KEY} in request"}, "data": None},
        repeat=True,
    )

    output = data_of(await run("create_avatar_video_batch", {"videos": batch_of(2)}))

    assert API_KEY not in json.dumps(output)
    assert output["results"][0]["error"]["message"] == "bad key [redacted] in request"
