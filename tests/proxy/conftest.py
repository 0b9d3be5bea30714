"""The proxy's test world: a simulator on loopback (two HeyGen accounts), the proxy served on loopback over
a fresh SQLite file and master key in a temp folder, and two organisations with keys of every scope.
"""

import contextlib
import dataclasses
import io
import json
import logging
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from proxy import logs
from proxy.auth import new_key
from proxy.runtime import open_proxy
from proxy.settings import Settings
from proxy.web import build_app
from simulator import Simulator, SimulatorConfig

CREDENTIALS = {"acme": "hg-acme-credential-0123456789abcdef", "globex": "hg-globex-credential-fedcba9876543210"}
KEY_SCOPES = {"admin": ["read", "generate", "admin"], "rw": ["read", "generate"], "read": ["read"]}


def proxy_settings(tmp_path, **overrides) -> Settings:
    base = Settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'data' / 'proxy.sqlite3'}",
        allow_private_fetch=True,  # the simulator's media is on loopback
    )
    return dataclasses.replace(base, **overrides)


@dataclasses.dataclass
class Answer:
    status: int
    body: object
    headers: dict

    @property
    def data(self):
        return self.body.get("data") if isinstance(self.body, dict) else None

    @property
    def error(self):
        return self.body.get("error") if isinstance(self.body, dict) else None


@dataclasses.dataclass
class World:
    sim: Simulator
    url: str
    proxy: object
    http: aiohttp.ClientSession
    keys: dict  # (org, scope name) -> key

    @property
    def store(self):
        return self.proxy.store

    async def request(self, method: str, path: str, *, json_body=None, data=None, headers=None) -> Answer:
        async with self.http.request(method, self.url + path, json=json_body, data=data, headers=headers) as r:
            raw = await r.read()
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw
            return Answer(r.status, body, dict(r.headers))

    async def call(self, org: str, operation: str, envelope=None, *, key=None, headers=None, raw=None) -> Answer:
        """POST …/services/heygen/{operation}/ with the document's headers; `key` defaults to org's rw key."""
        key = key if key is not None else self.keys[(org, "rw")]
        sent = {"Content-Type": "application/json"}
        if key:
            sent["Authorization"] = key if key.startswith(("Api-Key ", "Bearer ")) else f"Api-Key {key}"
        sent |= headers or {}
        body = raw if raw is not None else json.dumps(envelope if envelope is not None else {})
        return await self.request(
            "POST", f"/api/ai-proxy/orgs/{org}/services/heygen/{operation}/", data=body, headers=sent
        )

    def heygen_keys_seen(self, since: int = 0) -> list[str]:
        """The HeyGen credential of every authenticated request the simulator received (its media are public)."""
        seen = [r.header("X-Api-Key") or r.header("Authorization") for r in self.sim.requests[since:]]
        return [credential for credential in seen if credential]

    @property
    def videos_created(self) -> int:
        return len(self.sim.state.videos)


@contextlib.asynccontextmanager
async def proxy_world(tmp_path, monkeypatch, settings: Settings | None = None, sim_settings: dict | None = None):
    config = SimulatorConfig(**{"time_scale": 0.01, "api_keys": set(CREDENTIALS.values()), **(sim_settings or {})})
    async with Simulator(config) as sim:
        monkeypatch.setenv("HEYGEN_API_URL", sim.url)
        monkeypatch.setenv("HEYGEN_UPLOAD_URL", sim.url)
        proxy = await open_proxy(settings or proxy_settings(tmp_path))
        keys = {}
        for org, credential in CREDENTIALS.items():
            await proxy.store.add_org(org, "api_key", credential)
            for name, scopes in KEY_SCOPES.items():
                row, key = new_key(org, scopes, 10_000, None)
                await proxy.store.add_key(row)
                keys[(org, name)] = key
        runner = web.AppRunner(build_app(proxy), access_log=logging.getLogger("aiohttp.access"))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        try:
            async with aiohttp.ClientSession() as http:
                yield World(sim, f"http://127.0.0.1:{port}", proxy, http, keys)
        finally:
            await runner.cleanup()


@pytest.fixture
async def world(tmp_path, monkeypatch):
    async with proxy_world(tmp_path, monkeypatch) as built:
        yield built


@pytest.fixture
def captured_logs():
    """Every log record, through the proxy's redacting filter, as text."""
    stream = io.StringIO()
    handler = logs.install(logging.DEBUG, stream)
    yield stream
    logging.getLogger().removeHandler(handler)


def pytest_collection_modifyitems(session, config, items):
    """The proxy's tests run after the plugin's: they take the longest, and some plugin tests compare the
    clock with a moment taken when their module was collected."""
    proxy_folder = str(Path(__file__).parent)
    items.sort(key=lambda item: str(item.path).startswith(proxy_folder))
