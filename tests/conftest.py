"""Shared fixtures: actions run the way the platform runs them, HTTP faked at the wire or served by the simulator.

Plain assertion helpers (check_request, data_of, error_of, ...) live in tests/helpers.py.
"""

import contextlib
import functools

import aiohttp
import pytest
from aioresponses import aioresponses
from autohive_integrations_sdk import ExecutionContext

import heygen
from heygen_core import action as action_module
from heygen_core import client, jobs, routes
from simulator import Simulator, SimulatorConfig
from simulator.config import LEGACY_VARIABLE

API = "https://api.heygen.com"
UPLOAD = "https://upload.heygen.com"
API_KEY = "hg-test-api-key-0123456789abcdef"
ACCESS_TOKEN = "hg-test-oauth-token-fedcba9876543210"
API_KEY_AUTH = {"auth_type": "ApiKey", "credentials": {"api_key": API_KEY}}
OAUTH_AUTH = {"auth_type": "PlatformOauth2", "credentials": {"access_token": ACCESS_TOKEN}}
SECRETS = (API_KEY, ACCESS_TOKEN)


@pytest.fixture(autouse=True)
def default_hosts(monkeypatch):
    """Unit tests see the real default hosts (aioresponses intercepts everything, so nothing leaves).

    The wire tests written for the legacy API pin HEYGEN_API_VERSION=legacy; v3 tests take the `v3` fixture,
    and the simulator fixtures use the default (v3). Routes found missing in one test are forgotten for the next.
    """
    for variable in ("HEYGEN_API_URL", "HEYGEN_UPLOAD_URL", "HEYGEN_AUTH_URL", "HEYGEN_ALLOW_LOOPBACK_URLS"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("HEYGEN_API_VERSION", "legacy")
    routes.forget_missing_routes()


@pytest.fixture(autouse=True, scope="session")
def legacy_served_in_wire_tests():
    """The simulator's default is what HeyGen serves today (v1/v2 retired). Most tests here were written for
    the v1/v2 routes as well as v3, so the suite's simulators serve both; a test of today's HeyGen asks for
    `legacy="retired"` (or clears HEYGEN_SIM_LEGACY, as the demo's and the CLI's tests do)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(LEGACY_VARIABLE, "served")
        yield


@pytest.fixture
def v3(monkeypatch):
    """HeyGen's current API, as the plugin uses by default."""
    monkeypatch.delenv("HEYGEN_API_VERSION")


@pytest.fixture(autouse=True)
def fast_clock(monkeypatch):
    """Polling and retry delays shrink to milliseconds; their logic stays the same."""
    monkeypatch.setattr(jobs, "DEFAULT_SCHEDULE", jobs.PollSchedule(first=0.01, factor=1.5, cap=0.05, jitter=0.0))
    monkeypatch.setattr(client, "DEFAULT_RETRY", client.RetryPolicy(base_delay=0.01, max_delay=0.02, total_seconds=5))


@pytest.fixture
def wire():
    with aioresponses() as mocked:
        yield mocked


@pytest.fixture(params=[OAUTH_AUTH, API_KEY_AUTH], ids=["oauth", "api_key"])
def auth(request):
    """A test that takes `auth` runs once per way a workflow can connect HeyGen."""
    return request.param


@pytest.fixture
def virtual_clock(monkeypatch):
    """Waiting runs on virtual time: polls every 4 s, so a 10 s wait polls exactly three times (at 4, 8, 10 s)."""
    state = {"now": 0.0, "sleeps": []}

    async def sleep(seconds):
        state["sleeps"].append(seconds)
        state["now"] += seconds

    waiting = functools.partial(jobs.wait_for_job, clock=lambda: state["now"], sleep=sleep)
    monkeypatch.setattr(action_module, "wait_for_job", waiting)
    monkeypatch.setattr(jobs, "DEFAULT_SCHEDULE", jobs.PollSchedule(first=4.0, factor=1.0, cap=4.0, jitter=0.0))
    return state


async def run_action(name: str, inputs: dict, auth: dict | None = None, request_config: dict | None = None):
    """Runs one action through Integration.execute_action with a real ExecutionContext."""
    async with ExecutionContext(auth=auth or OAUTH_AUTH, request_config=request_config) as context:
        return await heygen.integration.execute_action(name, inputs, context)


def sent(wire) -> list:
    """Every request aioresponses saw, as (method, url, kwargs), in the order they were sent."""
    calls = [(key[0], str(key[1]), call.kwargs) for key, group in wire.requests.items() for call in group]
    return calls


def request_count(wire) -> int:
    return sum(len(group) for group in wire.requests.values())


# ---------------------------------------------------------------- the simulator over loopback


@contextlib.asynccontextmanager
async def simulator(monkeypatch, api_version: str | None = None, **settings):
    """A simulator that accepts only the tests' API key, with the plugin pointed at it (both hosts).

    Jobs run at time_scale 0.01 (an 8 s video takes 0.08 s) unless `settings` say otherwise. The plugin uses
    its default API (v3, falling back where needed) unless `api_version` pins one ("legacy" for v1/v2).
    """
    config = SimulatorConfig(**{"time_scale": 0.01, "api_keys": {API_KEY}, **settings})
    async with Simulator(config) as sim:
        if api_version:
            monkeypatch.setenv("HEYGEN_API_VERSION", api_version)
        else:
            monkeypatch.delenv("HEYGEN_API_VERSION", raising=False)
        monkeypatch.setenv("HEYGEN_API_URL", sim.url)
        monkeypatch.setenv("HEYGEN_UPLOAD_URL", sim.url)
        monkeypatch.setenv("HEYGEN_ALLOW_LOOPBACK_URLS", "1")  # the simulator serves its media on loopback
        yield sim


@pytest.fixture
def sim_settings() -> dict:
    """SimulatorConfig settings of the `sim` fixture; a test module overrides this fixture to change them."""
    return {}


@pytest.fixture
async def sim(request, monkeypatch, sim_settings):
    """The simulator of `simulator()`, with the plugin pointed at it, for one test.

    A test marked `legacy_api` runs on HeyGen's v1/v2 routes: the workflows that exist only there
    (e.g. photo generations whose image keys start a group) keep their end-to-end proof.
    """
    api_version = "legacy" if request.node.get_closest_marker("legacy_api") else None
    async with simulator(monkeypatch, api_version, **sim_settings) as server:
        yield server


@pytest.fixture
async def http():
    """A client session for tests that talk to the simulator directly (simulator.testing.call)."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture(autouse=True, scope="session")
def local_simulator_home(tmp_path_factory):
    """`--sim` starts a background simulator: the suite's lives in a temporary state folder (never the
    developer's .heygen-sim/) and is stopped when the session ends, so no process outlives the tests."""
    from heygen_cli import background_sim

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(background_sim.HOME_VARIABLE, str(tmp_path_factory.mktemp("sim-home")))
        try:
            yield
        finally:
            background_sim.stop()
