"""Fault injection, the thread runner and the command line of the simulator."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from email.utils import parsedate_to_datetime
from pathlib import Path

import aiohttp
import pytest

from simulator import Faults, Simulator, SimulatorConfig
from simulator.__main__ import config_from_args, parse_args
from simulator.testing import API_KEY, call, studio_body

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
GENERATE = "/v2/video/generate"


@pytest.fixture
async def sim():
    """A bare simulator (any key, plugin not pointed at it) in real time; replaces conftest's sim."""
    async with Simulator(SimulatorConfig(time_scale=1.0)) as server:
        yield server


async def generate(http, sim, **kwargs):
    return await call(http, sim, "POST", GENERATE, json=studio_body("Fault test"), **kwargs)


async def test_error_rate_answers_500_in_the_family_envelope(http, sim):
    sim.config.faults = Faults(error_rate=1.0)
    v2 = await call(http, sim, "GET", "/v2/voices")
    v1 = await call(http, sim, "GET", "/v1/video.list")
    created = await generate(http, sim)
    assert (v2.status, v2.body) == (
        500,
        {"error": {"code": "internal_error", "message": "Internal server error"}, "data": None},
    )
    assert (v1.status, v1.body) == (500, {"code": 500, "message": "Internal server error"})
    assert created.status == 500 and not sim.state.videos and sim.count("POST", GENERATE) == 1


async def test_latency_is_added(http, sim):
    sim.config.faults = Faults(latency_ms=250)
    started = time.monotonic()
    assert (await call(http, sim, "GET", "/v2/voices")).status == 200
    assert time.monotonic() - started >= 0.25


async def test_burst_429_then_recovery(http, sim):
    sim.config.faults = Faults(burst_429=2, retry_after=3)
    replies = [await call(http, sim, "GET", "/v2/avatars") for _ in range(3)]
    assert [r.status for r in replies] == [429, 429, 200]
    assert replies[0].headers["Retry-After"] == "3" and replies[0].error["code"] == "rate_limit_exceeded"
    assert sim.config.faults.burst_429 == 0


async def test_retry_after_as_http_date(http, sim):
    sim.config.faults = Faults(burst_429=1, retry_after=30, retry_after_form="http-date")
    reply = await call(http, sim, "GET", "/v2/voices")
    when = parsedate_to_datetime(reply.headers["Retry-After"]).timestamp()
    assert reply.status == 429 and 25 <= when - time.time() <= 31


async def test_slow_path_processes_before_the_client_gives_up(http, sim):
    sim.config.faults = Faults(slow_paths={GENERATE: 0.6})
    with pytest.raises(asyncio.TimeoutError):
        await generate(http, sim, timeout=0.2)
    assert len(sim.state.videos) == 1 and sim.count("POST", GENERATE) == 1
    assert (await call(http, sim, "GET", "/v2/voices", timeout=0.2)).status == 200  # other paths stay fast


async def test_503_is_not_processed(http, sim):
    sim.config.faults = Faults(status_503=1)
    refused, accepted = await generate(http, sim), await generate(http, sim)
    assert refused.status == 503 and refused.error["code"] == "service_unavailable"
    assert accepted.status == 200 and len(sim.state.videos) == 1


@pytest.mark.parametrize(("mode", "videos_created"), [("drop_before_processing", 0), ("drop_after_processing", 1)])
async def test_dropped_connections(http, sim, mode, videos_created):
    sim.config.faults = Faults(**{mode: 1})
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await generate(http, sim)
    assert len(sim.state.videos) == videos_created and sim.count("POST", GENERATE) == 1
    assert (await generate(http, sim)).status == 200


async def test_broken_json_is_truncated_but_labelled_json(http, sim):
    sim.config.faults = Faults(broken_json=1)
    broken, whole = await call(http, sim, "GET", "/v2/voices"), await call(http, sim, "GET", "/v2/voices")
    assert broken.status == 200 and broken.headers["Content-Type"].startswith("application/json")
    assert broken.body is None and whole.raw.startswith(broken.raw) and len(broken.raw) < len(whole.raw)
    with pytest.raises(ValueError):
        json.loads(broken.raw)


async def test_html_gateway_error(http, sim):
    sim.config.faults = Faults(html_error=1)
    reply = await generate(http, sim)
    assert reply.status == 502 and reply.headers["Content-Type"].startswith("text/html")
    assert b"502 Bad Gateway" in reply.raw and not sim.state.videos


async def test_faults_can_be_scoped_to_a_method_and_path(http, sim):
    sim.config.faults = Faults(status_503=5, path_prefix=GENERATE, method="POST")
    assert (await call(http, sim, "GET", "/v2/voices")).status == 200
    assert (await call(http, sim, "GET", GENERATE)).status == 405
    assert (await generate(http, sim)).status == 503
    assert sim.config.faults.status_503 == 4


async def test_auth_failures_and_unknown_paths_still_get_faults(http, sim):
    sim.config.faults = Faults(html_error=1)
    assert (await call(http, sim, "GET", "/v2/voices", api_key=None)).status == 502
    assert (await call(http, sim, "GET", "/v2/voices", api_key=None)).status == 401
    assert sim.count("GET", "/v2/voices") == 2


def test_thread_runner_serves_synchronous_callers():
    with Simulator.running_in_thread(SimulatorConfig(voices_count=5)) as sim:
        request = urllib.request.Request(f"{sim.url}/v2/voices", headers={"X-Api-Key": API_KEY})
        with urllib.request.urlopen(request, timeout=5) as resp:
            voices = json.load(resp)["data"]["voices"]
        assert len(voices) == 5 and sim.count("GET", "/v2/voices") == 1
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{sim.url}/v2/voices", timeout=1)


def test_cli_flags_map_onto_the_config():
    args = parse_args(
        [
            "--port",
            "0",
            "--plan",
            "free",
            "--time-scale",
            "0.1",
            "--burst-429",
            "2",
            "--retry-after-form",
            "http-date",
            "--slow-path",
            "/v2/video/generate=1.5",
            "--fault-method",
            "POST",
            "--api-key",
            "a",
            "--api-key",
            "b",
            "--voices-count",
            "2000",
        ]
    )
    config = config_from_args(args)
    assert (config.plan.name, config.plan.concurrent_jobs, config.time_scale) == ("free", 1, 0.1)
    assert config.faults.burst_429 == 2 and config.faults.retry_after_form == "http-date"
    assert config.faults.slow_paths == {GENERATE: 1.5} and config.faults.method == "POST"
    assert config.api_keys == {"a", "b"} and config.voices_count == 2000


def test_cli_serves_until_sigterm():
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--port", "0", "--time-scale", "0.1"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    try:
        line = proc.stdout.readline()
        url = line.split()[4]
        request = urllib.request.Request(f"{url}/v2/user/remaining_quota", headers={"X-Api-Key": "k"})
        with urllib.request.urlopen(request, timeout=5) as resp:
            assert json.load(resp)["data"]["remaining_quota"] == 60000
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert line.startswith("HeyGen simulator listening on http://127.0.0.1:")
