"""wait_for_completion / timeout_seconds: how soon a finished job is noticed, how many status calls it costs,
and what the user gets when a job fails, time runs out, or HeyGen pushes back while we wait.

Most tests run on virtual time: every wait is a jump of a virtual clock that moves the simulator's clock by
the same amount, so a 10-minute video takes milliseconds and the real PollSchedule is what is measured. One
test runs on the wall clock to show the same thing for real.
"""

import functools
import json
import random
import time
from pathlib import Path

import pytest
from autohive_integrations_sdk import ResultType
from hypothesis import given, settings
from hypothesis import strategies as st

from heygen_actions import results as results_module
from heygen_core import action as action_module
from heygen_core import jobs
from heygen_core.client import RetryPolicy
from heygen_core.errors import HINTS
from simulator import Faults, Plan, Simulator, SimulatorConfig
from simulator.testing import studio_body
from tests.conftest import API_KEY, API_KEY_AUTH, SECRETS, run_action

pytestmark = pytest.mark.e2e

GENERATE = "/v2/video/generate"
STATUS = "/v1/video_status.get"
FOUR_SECOND_SCRIPT = "One two three four five"  # queue 1 s + base 2 s + 0.5 x 2 s of speech = 4 s at time_scale 1
STATUS_FIELDS = json.loads(Path(__file__).resolve().parent.parent.joinpath("config.json").read_text())["actions"][
    "get_video_status"
]["output_schema"]["properties"]
WAITING_ACTIONS = (
    "create_avatar_video",
    "create_photo_avatar_video",
    "create_webm_video",
    "generate_template_video",
    "create_avatar_video_batch",
    "get_video_status",
    "download_video",
    "generate_photo_avatar",
    "generate_avatar_look",
    "check_generation_status",
    "train_avatar_group",
    "check_training_status",
    "add_motion_to_avatar",
    "translate_video",
    "get_translation_status",
)


@pytest.fixture
def plan():
    return Plan()


@pytest.fixture
async def sim(monkeypatch, plan):
    async with Simulator(SimulatorConfig(time_scale=1.0, plan=plan, api_keys={API_KEY})) as server:
        monkeypatch.setenv("HEYGEN_API_URL", server.url)
        monkeypatch.setenv("HEYGEN_UPLOAD_URL", server.url)
        monkeypatch.setenv("HEYGEN_ALLOW_LOOPBACK_URLS", "1")  # the simulator serves its media on loopback
        yield server


@pytest.fixture
def virtual_time(monkeypatch, sim):
    """Waiting sleeps on a virtual clock that also moves the simulator's clock; the real PollSchedule."""
    clock = {"now": 0.0, "sleeps": []}

    async def sleep(seconds):
        clock["sleeps"].append(seconds)
        clock["now"] += seconds
        sim.advance(seconds)

    waiting = functools.partial(jobs.wait_for_job, clock=lambda: clock["now"], sleep=sleep)
    monkeypatch.setattr(action_module, "wait_for_job", waiting)
    monkeypatch.setattr(results_module, "wait_for_job", waiting)
    monkeypatch.setattr(jobs, "DEFAULT_SCHEDULE", jobs.PollSchedule())
    return clock


def video_of(seconds: float, sim: Simulator) -> dict:
    """create_avatar_video inputs whose job takes `seconds` on this simulator."""
    sim.config.time_scale = seconds / 4.0
    return studio_body(FOUR_SECOND_SCRIPT)


async def run(name: str, inputs: dict):
    return await run_action(name, inputs, auth=API_KEY_AUTH)


def data_of(result) -> dict:
    assert result.type == ResultType.ACTION, result.result
    return result.result.data


def message_of(result) -> str:
    assert result.type == ResultType.ACTION_ERROR, result.result
    assert not any(secret in result.result.message for secret in SECRETS)
    return result.result.message


def status_calls(sim: Simulator) -> list:
    return [r for r in sim.requests if r.method == "GET" and r.path == STATUS]


def notice_delay(sim: Simulator) -> float:
    """From the moment the only video finished to the status call that saw it finished."""
    (video,) = sim.state.videos.values()
    return status_calls(sim)[-1].time - video.job.finished_at


# ----------------------------------------------------------------------------- noticing completion


async def test_a_four_second_job_is_noticed_within_three_seconds_on_the_wall_clock(sim, monkeypatch):
    monkeypatch.setattr(jobs, "DEFAULT_SCHEDULE", jobs.PollSchedule())  # the real schedule, not conftest's
    inputs = {**video_of(4.0, sim), "wait_for_completion": True}

    started = time.monotonic()
    output = data_of(await run("create_avatar_video", inputs))

    assert output["status"] == "completed" and output["timed_out"] is False
    assert sorted(output) == sorted(STATUS_FIELDS)  # every get_video_status field, filled in
    assert output["video_url"] and output["thumbnail_url"] and output["gif_url"] and output["duration"] == 2.0
    assert 0 <= notice_delay(sim) <= 3.0
    assert time.monotonic() - started <= 4.0 + 3.0
    assert sim.count("POST", GENERATE) == 1
    assert 1 <= len(status_calls(sim)) <= 10


@pytest.mark.parametrize(("seconds", "most_calls"), [(4, 10), (60, 12), (600, 36)])
async def test_jobs_are_noticed_soon_and_cheaply_on_virtual_time(sim, virtual_time, seconds, most_calls):
    inputs = {**video_of(seconds, sim), "wait_for_completion": True, "timeout_seconds": 900}

    output = data_of(await run("create_avatar_video", inputs))

    assert output["status"] == "completed" and output["video_url"] and output["timed_out"] is False
    assert sim.count("POST", GENERATE) == 1
    assert len(status_calls(sim)) <= most_calls
    assert 0 <= notice_delay(sim) <= (3.0 if seconds <= 4 else 33.0)  # never more than one capped poll late


@settings(max_examples=200, deadline=None)
@given(seconds=st.floats(min_value=0.1, max_value=900), seed=st.integers(0, 2**32 - 1))
async def test_the_poll_schedule_keeps_its_promises_for_any_job_length_and_jitter(seconds, seed):
    """Pure schedule arithmetic: a 4 s job within 3 s and 10 calls; any job at most one capped poll late."""
    random.seed(seed)
    clock = {"now": 0.0, "calls": 0}

    async def check():
        clock["calls"] += 1
        return {"status": "completed" if clock["now"] >= seconds else "processing"}

    async def sleep(delay):
        clock["now"] += delay

    await jobs.wait_for_job(
        check,
        job_id="v",
        first={"status": "pending"},
        timeout_seconds=900,
        schedule=jobs.PollSchedule(),
        clock=lambda: clock["now"],
        sleep=sleep,
    )
    late = clock["now"] - seconds
    assert 0 <= late <= 30 * 1.1
    assert clock["calls"] <= 10 + seconds / 27
    if seconds <= 4:
        assert late <= 3 and clock["calls"] <= 10


# ----------------------------------------------------------------------------- failing and timing out


@pytest.mark.parametrize("plan", [Plan(max_video_seconds=5.0)])
@pytest.mark.parametrize("action", ["create_avatar_video", "get_video_status"])
async def test_a_job_failing_while_waited_on_is_an_error_with_its_id_and_heygens_reason(sim, virtual_time, action):
    too_long = studio_body(" ".join(["word"] * 20))  # 8 s of speech on a plan allowing 5 s: HeyGen fails it (40119)
    if action == "get_video_status":
        video_id = data_of(await run("create_avatar_video", too_long))["video_id"]
        inputs = {"video_id": video_id, "wait_for_completion": True}
    else:
        inputs = {**too_long, "wait_for_completion": True}

    message = message_of(await run(action, inputs))

    (video_id,) = sim.state.videos
    assert message == (
        f"{action} failed: job {video_id} ended as failed: (40119) Video is too long (> 5.0s). "
        f"Please upgrade your plan to generate longer videos. Hint: {HINTS['40119']}"
    )
    assert sim.count("POST", GENERATE) == 1
    assert 1 <= len(status_calls(sim)) <= 5  # fails after 1 + 2 s (time_scale 1): the third poll sees it


async def test_running_out_of_timeout_is_not_an_error_but_the_latest_status(sim, virtual_time):
    inputs = {**video_of(600, sim), "wait_for_completion": True, "timeout_seconds": 10}

    output = data_of(await run("create_avatar_video", inputs))

    assert output["timed_out"] is True
    assert (output["status"], output["raw_status"], output["video_url"], output["error"]) == (
        "pending",
        "waiting",
        None,
        None,
    )
    assert sorted(output) == sorted(STATUS_FIELDS)
    assert sum(virtual_time["sleeps"]) == pytest.approx(10.0)
    assert len(status_calls(sim)) == len(virtual_time["sleeps"]) <= 6
    assert sim.count("POST", GENERATE) == 1


async def test_an_unknown_video_is_an_error_at_once_not_a_wait(sim, virtual_time):
    message = message_of(await run("get_video_status", {"video_id": "no-such-video", "wait_for_completion": True}))

    assert message == f"get_video_status failed: HeyGen 404 (40104) Video not found. Hint: {HINTS['40104']}"
    assert len(status_calls(sim)) == 1 and virtual_time["sleeps"] == []


# ----------------------------------------------------------------------------- HeyGen pushing back


async def test_waiting_honours_retry_after_from_a_429_on_the_status_get(sim):
    """conftest's fast schedule polls every few ms: only Retry-After can explain a 2 s gap."""
    created = data_of(await run("create_avatar_video", video_of(0.5, sim)))
    sim.config.faults = Faults(burst_429=1, retry_after=2, method="GET")

    output = data_of(await run("get_video_status", {"video_id": created["video_id"], "wait_for_completion": True}))

    assert output["status"] == "completed"
    refused, answered = status_calls(sim)[:2]
    assert answered.time - refused.time >= 1.95
    assert sim.config.faults.burst_429 == 0


async def test_a_retry_after_longer_than_the_http_layer_waits_is_still_honoured_by_the_wait(sim, virtual_time):
    sim.config.faults = Faults(burst_429=1, retry_after=45, method="GET")
    inputs = {**video_of(4, sim), "wait_for_completion": True}

    output = data_of(await run("create_avatar_video", inputs))

    assert output["status"] == "completed"
    assert len(status_calls(sim)) == 2  # the refused poll at ~1 s, then one 45 s later that sees it done
    assert virtual_time["sleeps"][1] >= 45


async def test_an_outage_while_waiting_does_not_end_the_wait(sim, virtual_time):
    outage = RetryPolicy().attempts + 2  # outlasts one status call's own retries
    sim.config.faults = Faults(status_503=outage, method="GET")
    inputs = {**video_of(60, sim), "wait_for_completion": True}

    output = data_of(await run("create_avatar_video", inputs))

    assert output["status"] == "completed" and output["timed_out"] is False
    assert sim.config.faults.status_503 == 0
    assert len(status_calls(sim)) <= outage + 12


# ----------------------------------------------------------------------------- the inputs


@pytest.mark.parametrize("name", WAITING_ACTIONS)
def test_every_job_starting_and_status_action_takes_the_bounded_wait_inputs(name):
    properties = json.loads(Path(__file__).resolve().parent.parent.joinpath("config.json").read_text())["actions"][
        name
    ]["input_schema"]["properties"]
    assert properties["wait_for_completion"]["type"] == "boolean"
    assert properties["wait_for_completion"]["default"] is False
    timeout = properties["timeout_seconds"]
    assert (timeout["type"], timeout["default"], timeout["maximum"]) == ("integer", 600, 900)
    assert 1 <= timeout["minimum"] <= 60


async def test_a_timeout_past_the_bound_is_refused_before_anything_is_sent(sim):
    result = await run("get_video_status", {"video_id": "v", "wait_for_completion": True, "timeout_seconds": 901})

    assert result.type == ResultType.VALIDATION_ERROR
    assert "timeout_seconds" in result.result["message"] and "900" in result.result["message"]
    assert sim.requests == []
