"""Retries and duplicate protection of the one HTTP layer, over real HTTP against the simulator's faults.

Each test says what the user gets AND how many requests HeyGen (the simulator) saw, and for requests that
create something, how many jobs exist afterwards: a creation is sent again only when HeyGen certainly did not
take it (a 429, or a connection never established).
"""

import socket
import time

import pytest
from autohive_integrations_sdk import ResultType

from heygen_core import client
from heygen_core.errors import HINTS, MAYBE_CREATED_HINT
from simulator import Faults, Simulator, SimulatorConfig
from simulator.testing import studio_body
from tests.conftest import API_KEY, API_KEY_AUTH, SECRETS, run_action

pytestmark = pytest.mark.e2e

GENERATE = "/v2/video/generate"
STATUS = "/v1/video_status.get"
ATTEMPTS = client.RetryPolicy().attempts
MAYBE_CREATED = f"Hint: {MAYBE_CREATED_HINT}"
UNAVAILABLE = f"Hint: {HINTS['503']}"
BROKE = "create_avatar_video failed: the connection to HeyGen broke before its answer arrived ("


def simulator(**settings) -> Simulator:
    return Simulator(SimulatorConfig(**{"time_scale": 0.02, "api_keys": {API_KEY}, **settings}))


def point_plugin_at(monkeypatch, url: str) -> None:
    monkeypatch.setenv("HEYGEN_API_URL", url)
    monkeypatch.setenv("HEYGEN_UPLOAD_URL", url)
    monkeypatch.setenv("HEYGEN_ALLOW_LOOPBACK_URLS", "1")  # the simulator serves its media on loopback


@pytest.fixture
async def sim(monkeypatch):
    async with simulator() as server:
        point_plugin_at(monkeypatch, server.url)
        yield server


@pytest.fixture
async def video_id(sim):
    """A finished video, made before any fault is switched on."""
    created = await run("create_avatar_video", studio_body("Hello there"))
    sim.advance(60)
    return data_of(created)["video_id"]


async def run(name: str, inputs: dict, **request_config):
    return await run_action(name, inputs, auth=API_KEY_AUTH, request_config=request_config or None)


def data_of(result) -> dict:
    assert result.type == ResultType.ACTION, result.result
    return result.result.data


def message_of(result, action: str) -> str:
    """The ActionError's text: names the action, never carries a credential."""
    assert result.type == ResultType.ACTION_ERROR, result.result
    message = result.result.message
    assert message.startswith(f"{action} failed: ")
    assert not any(secret in message for secret in SECRETS)
    return message


def arrival_gaps(sim: Simulator, method: str, path: str) -> list[float]:
    times = [r.time for r in sim.requests if r.method == method and r.path == path]
    return [later - earlier for earlier, later in zip(times, times[1:])]


def closed_port() -> int:
    """A loopback port nobody listens on: connecting to it is refused, so nothing is ever sent."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ----------------------------------------------------------------------------- slow creations


async def test_post_slower_than_the_timeout_is_reported_with_advice_and_never_resent(sim):
    sim.config.faults = Faults(slow_paths={GENERATE: 1.5})

    started = time.monotonic()
    result = await run("create_avatar_video", studio_body("Hello there"), timeout=1)

    message = message_of(result, "create_avatar_video")
    assert message == f"create_avatar_video failed: no answer from HeyGen within 1 s. {MAYBE_CREATED}"
    assert time.monotonic() - started < 1.5
    assert sim.count("POST", GENERATE) == 1
    assert len(sim.state.videos) == 1  # HeyGen made the video although the caller never heard back

    sim.config.faults = Faults()
    listed = data_of(await run("list_videos", {}))  # the advice works: the one video is there to be found
    assert [video["video_id"] for video in listed["videos"]] == list(sim.state.videos)


# ----------------------------------------------------------------------------- 429


@pytest.mark.parametrize(("form", "burst", "retry_after"), [("seconds", 2, 1), ("http-date", 1, 2)])
async def test_get_429_burst_is_retried_after_retry_after_then_succeeds(sim, video_id, form, burst, retry_after):
    sim.config.faults = Faults(burst_429=burst, retry_after=retry_after, retry_after_form=form, method="GET")

    result = await run("get_video_status", {"video_id": video_id})

    assert data_of(result)["status"] == "completed"
    assert sim.count("GET", STATUS) == burst + 1
    # Retry-After was honoured: 1 s, or an HTTP date "2 s from now" in whole seconds, i.e. 1 to 2 s away
    assert all(gap >= 0.95 for gap in arrival_gaps(sim, "GET", STATUS))


@pytest.mark.parametrize("form", ["seconds", "http-date"])
async def test_post_429_is_retried_because_heygen_refused_it_and_creates_one_video(sim, form):
    sim.config.faults = Faults(burst_429=2, retry_after=1, retry_after_form=form, method="POST")

    result = await run("create_avatar_video", studio_body("Hello there"))

    assert data_of(result)["video_id"] in sim.state.videos
    assert sim.count("POST", GENERATE) == 3
    assert len(sim.state.videos) == 1


async def test_429_asking_for_longer_than_the_cap_is_a_clear_error_at_once(sim, video_id):
    sim.config.faults = Faults(burst_429=1, retry_after=600, method="GET")

    started = time.monotonic()
    result = await run("get_video_status", {"video_id": video_id})

    message = message_of(result, "get_video_status")
    assert message == (
        f"get_video_status failed: HeyGen 429 Too many requests, please retry later. Hint: {HINTS['429']}"
    )
    assert time.monotonic() - started < 1
    assert sim.count("GET", STATUS) == 1


# ----------------------------------------------------------------------------- 503 and 502 pages


async def test_get_503_is_retried_then_succeeds(sim, video_id):
    sim.config.faults = Faults(status_503=2)

    result = await run("get_video_status", {"video_id": video_id})

    assert data_of(result)["video_id"] == video_id
    assert sim.count("GET", STATUS) == 3


async def test_get_503_that_persists_is_a_clear_error_after_a_bounded_number_of_attempts(sim, video_id):
    sim.config.faults = Faults(status_503=100)

    result = await run("get_video_status", {"video_id": video_id})

    message = message_of(result, "get_video_status")
    assert message == f"get_video_status failed: HeyGen 503 Service temporarily unavailable. {UNAVAILABLE}"
    assert sim.count("GET", STATUS) == ATTEMPTS


async def test_post_503_is_not_resent(sim):
    sim.config.faults = Faults(status_503=1)

    result = await run("create_avatar_video", studio_body("Hello there"))

    message = message_of(result, "create_avatar_video")
    assert message == (
        f"create_avatar_video failed: HeyGen 503 (service_unavailable) Service temporarily unavailable. {UNAVAILABLE}"
    )
    assert sim.count("POST", GENERATE) == 1
    assert sim.state.videos == {}


async def test_get_html_502_page_is_retried_then_succeeds(sim, video_id):
    sim.config.faults = Faults(html_error=1)

    result = await run("get_video_status", {"video_id": video_id})

    assert data_of(result)["status"] == "completed"
    assert sim.count("GET", STATUS) == 2


async def test_get_html_502_page_that_persists_is_a_clear_error(sim, video_id):
    sim.config.faults = Faults(html_error=100)

    result = await run("get_video_status", {"video_id": video_id})

    message = message_of(result, "get_video_status")
    assert message == (
        f"get_video_status failed: HeyGen 502 HeyGen answered with a web page instead of JSON. Hint: {HINTS['502']}"
    )
    assert sim.count("GET", STATUS) == ATTEMPTS


async def test_post_html_502_page_is_not_resent_and_advises_checking_first(sim):
    sim.config.faults = Faults(html_error=1)

    result = await run("create_avatar_video", studio_body("Hello there"))

    message = message_of(result, "create_avatar_video")
    assert message == (
        f"create_avatar_video failed: HeyGen 502 HeyGen answered with a web page instead of JSON. {MAYBE_CREATED}"
    )
    assert sim.count("POST", GENERATE) == 1
    assert sim.state.videos == {}  # this gateway refused it; another may have passed it on, hence the advice


# ----------------------------------------------------------------------------- dropped connections


@pytest.mark.parametrize("fault", ["drop_before_processing", "drop_after_processing"])
async def test_get_whose_connection_dropped_is_retried_then_succeeds(sim, video_id, fault):
    sim.config.faults = Faults(**{fault: 1})

    result = await run("get_video_status", {"video_id": video_id})

    assert data_of(result)["status"] == "completed"
    assert sim.count("GET", STATUS) == 2


async def test_post_dropped_before_processing_is_not_resent(sim):
    """The connection was made and the request sent: the plugin cannot know HeyGen did nothing with it."""
    sim.config.faults = Faults(drop_before_processing=1)

    result = await run("create_avatar_video", studio_body("Hello there"))

    message = message_of(result, "create_avatar_video")
    assert message.startswith(BROKE) and message.endswith(f"). {MAYBE_CREATED}")
    assert sim.count("POST", GENERATE) == 1
    assert sim.state.videos == {}


async def test_post_dropped_after_processing_is_not_resent_and_exactly_one_video_exists(sim):
    sim.config.faults = Faults(drop_after_processing=1)

    result = await run("create_avatar_video", studio_body("Hello there"))

    message = message_of(result, "create_avatar_video")
    assert message.startswith(BROKE) and message.endswith(f"). {MAYBE_CREATED}")
    assert sim.count("POST", GENERATE) == 1
    assert len(sim.state.videos) == 1


async def test_post_to_a_closed_port_is_retried_then_a_clear_error(monkeypatch):
    point_plugin_at(monkeypatch, f"http://127.0.0.1:{closed_port()}")
    attempts = []
    send_once = client.HeyGenClient._send_once

    async def counted(self, method, *args):
        attempts.append(method)
        return await send_once(self, method, *args)

    monkeypatch.setattr(client.HeyGenClient, "_send_once", counted)

    result = await run("create_avatar_video", studio_body("Hello there"))

    message = message_of(result, "create_avatar_video")
    assert message == (
        "create_avatar_video failed: could not connect to HeyGen (ClientConnectorError). "
        "Hint: Check the network, or HEYGEN_API_URL when using a local server."
    )
    assert attempts == ["POST"] * ATTEMPTS  # never connected, so never received: every retry was safe


async def test_post_refused_at_connect_is_sent_again_once_heygen_is_up_and_creates_one_video(monkeypatch):
    port = closed_port()
    point_plugin_at(monkeypatch, f"http://127.0.0.1:{port}")
    late = simulator(port=port)
    send_once = client.HeyGenClient._send_once

    async def heygen_comes_up_after_the_first_refusal(self, *args):
        try:
            return await send_once(self, *args)
        except Exception:
            if not late.url:
                await late.start()
            raise

    monkeypatch.setattr(client.HeyGenClient, "_send_once", heygen_comes_up_after_the_first_refusal)
    try:
        result = await run("create_avatar_video", studio_body("Hello there"))
        assert list(late.state.videos) == [data_of(result)["video_id"]]
        assert late.count("POST", GENERATE) == 1
    finally:
        await late.stop()


# ----------------------------------------------------------------------------- truncated JSON


async def test_get_truncated_json_is_retried_then_succeeds(sim, video_id):
    sim.config.faults = Faults(broken_json=1)

    result = await run("get_video_status", {"video_id": video_id})

    assert data_of(result)["status"] == "completed"
    assert sim.count("GET", STATUS) == 2


async def test_get_truncated_json_that_persists_is_a_clear_error(sim, video_id):
    sim.config.faults = Faults(broken_json=100)

    result = await run("get_video_status", {"video_id": video_id})

    message = message_of(result, "get_video_status")
    assert (
        message == "get_video_status failed: HeyGen 200 HeyGen's answer was not valid JSON (it may have been cut off)."
    )
    assert sim.count("GET", STATUS) == ATTEMPTS


async def test_post_truncated_json_is_not_resent_and_the_video_it_made_is_the_only_one(sim):
    sim.config.faults = Faults(broken_json=1)

    result = await run("create_avatar_video", studio_body("Hello there"))

    message = message_of(result, "create_avatar_video")
    assert message == (
        "create_avatar_video failed: HeyGen 200 HeyGen's answer was not valid JSON (it may have been cut off). "
        f"{MAYBE_CREATED}"
    )
    assert sim.count("POST", GENERATE) == 1
    assert len(sim.state.videos) == 1


# ----------------------------------------------------------------------------- bounded in total time


async def test_get_retries_stop_at_the_policys_total_time(sim, video_id, monkeypatch):
    monkeypatch.setattr(client, "DEFAULT_RETRY", client.RetryPolicy(attempts=100, total_seconds=1.5))
    sim.config.faults = Faults(burst_429=100, retry_after=1, method="GET")

    started = time.monotonic()
    result = await run("get_video_status", {"video_id": video_id})

    assert message_of(result, "get_video_status").startswith("get_video_status failed: HeyGen 429 ")
    assert time.monotonic() - started < 2.5
    assert sim.count("GET", STATUS) == 2  # at 0 s and 1 s; a third after 2 s would pass the 1.5 s budget
