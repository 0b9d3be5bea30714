"""A wait that cannot reach HeyGen at all ends with a clear error; a busy HeyGen (5xx, 429) never ends it."""

import asyncio

import pytest

from heygen_core import jobs
from heygen_core.errors import HeyGenError
from simulator import ANGELA_AVATAR_ID, MONICA_VOICE_ID
from tests.conftest import API_KEY_AUTH, simulator
from tests.conftest import run_action
from tests.helpers import error_of

REFUSED = HeyGenError("could not connect to HeyGen (ClientConnectorError)", retryable=True, not_received=True)
BUSY = HeyGenError("Service Unavailable", status=503, retryable=True)
THROTTLED = HeyGenError("too many requests", status=429, retryable=True, not_received=True)


def virtual():
    state = {"now": 0.0}

    async def sleep(seconds):
        state["now"] += seconds

    return state, (lambda: state["now"]), sleep


async def wait_with(answers, timeout=600):
    state, clock, sleep = virtual()
    answers = iter(answers)

    async def check():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    schedule = jobs.PollSchedule(first=5, factor=1, cap=5, jitter=0)
    result = await jobs.wait_for_job(
        check,
        job_id="v1",
        first={"status": "processing"},
        timeout_seconds=timeout,
        schedule=schedule,
        clock=clock,
        sleep=sleep,
        status_action="get_video_status",
    )
    return result, state["now"]


async def test_a_sustained_outage_ends_the_wait_with_since_when_and_what_to_check():
    with pytest.raises(HeyGenError) as caught:
        await wait_with([REFUSED] * 200)

    message = caught.value.describe("get_video_status")
    assert "HeyGen could not be reached since" in message and "UTC (30 s, 7 status checks in a row)" in message
    assert "The job may still be running at HeyGen: check it with get_video_status and id v1" in message


async def test_a_short_outage_does_not_end_the_wait():
    done = {"status": "completed"}
    result, _ = await wait_with([REFUSED, REFUSED, REFUSED, REFUSED, done])

    assert result["status"] == "completed" and result["timed_out"] is False


async def test_an_answer_in_between_starts_the_outage_count_again():
    processing = {"status": "processing"}
    answers = ([REFUSED] * 5 + [processing]) * 10 + [{"status": "completed"}]

    result, _ = await wait_with(answers)

    assert result["status"] == "completed"


@pytest.mark.parametrize("busy", [BUSY, THROTTLED], ids=["503", "429"])
async def test_a_busy_heygen_never_ends_the_wait(busy):
    result, waited = await wait_with([busy] * 500, timeout=600)

    assert result["timed_out"] is True and waited >= 600


@pytest.mark.e2e
async def test_a_simulator_that_stops_mid_wait_ends_the_wait_with_a_clear_error(monkeypatch):
    monkeypatch.setattr(jobs, "UNREACHABLE_SECONDS", 0.3)
    monkeypatch.setattr(jobs, "DEFAULT_SCHEDULE", jobs.PollSchedule(first=0.05, factor=1.0, cap=0.05, jitter=0.0))
    scene = {
        "character": {"type": "avatar", "avatar_id": ANGELA_AVATAR_ID},
        "voice": {"type": "text", "voice_id": MONICA_VOICE_ID, "input_text": " ".join(["long"] * 200)},
    }
    server = simulator(monkeypatch, time_scale=1.0)
    sim = await server.__aenter__()
    waiting = asyncio.create_task(
        run_action(
            "create_avatar_video",
            {"video_inputs": [scene], "wait_for_completion": True, "timeout_seconds": 60},
            auth=API_KEY_AUTH,
        )
    )
    while not sim.count_v3("VideoGet"):  # the wait has begun polling
        assert not waiting.done(), waiting.result()  # it ended before it polled: say why, do not spin
        await asyncio.sleep(0.02)
    await server.__aexit__(None, None, None)  # HeyGen goes away mid-wait

    message = error_of(await asyncio.wait_for(waiting, 30))

    assert message.startswith("create_avatar_video failed: HeyGen could not be reached since")
    assert "The job may still be running at HeyGen: check it with get_video_status and id " in message
