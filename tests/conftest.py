"""Shared fixtures: actions run the way the platform runs them, HTTP faked at the wire."""

import pytest
from aioresponses import aioresponses
from autohive_integrations_sdk import ExecutionContext

import heygen
from heygen_core import client, jobs

API = "https://api.heygen.com"
UPLOAD = "https://upload.heygen.com"
API_KEY = "hg-test-api-key-0123456789abcdef"
ACCESS_TOKEN = "hg-test-oauth-token-fedcba9876543210"
API_KEY_AUTH = {"auth_type": "ApiKey", "credentials": {"api_key": API_KEY}}
OAUTH_AUTH = {"auth_type": "PlatformOauth2", "credentials": {"access_token": ACCESS_TOKEN}}
SECRETS = (API_KEY, ACCESS_TOKEN)


@pytest.fixture(autouse=True)
def default_hosts(monkeypatch):
    """Unit tests see the real default hosts (aioresponses intercepts everything, so nothing leaves)."""
    for variable in ("HEYGEN_API_URL", "HEYGEN_UPLOAD_URL", "HEYGEN_AUTH_URL"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture(autouse=True)
def fast_clock(monkeypatch):
    """Polling and retry delays shrink to milliseconds; their logic stays the same."""
    monkeypatch.setattr(jobs, "DEFAULT_SCHEDULE", jobs.PollSchedule(first=0.01, factor=1.5, cap=0.05, jitter=0.0))
    monkeypatch.setattr(client, "DEFAULT_RETRY", client.RetryPolicy(base_delay=0.01, max_delay=0.02, total_seconds=5))


@pytest.fixture
def wire():
    with aioresponses() as mocked:
        yield mocked


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
