"""Storage: Alembic migrations up and down, and the same proxy on SQLite (always), on a real PostgreSQL
server, and with its limits and idempotency shared through a real redis-server (when they can start).
"""

import asyncio
import dataclasses
import secrets

import asyncpg
import pytest
from sqlalchemy import inspect, text

from proxy.auth import authenticate, new_key
from proxy.crypto import Vault, new_master_key, decode_master_key
from proxy.db import migrate, open_engine
from proxy.limits import RedisCounters
from proxy.operations import OPERATIONS
from proxy.service import Proxy
from proxy.store import Store
from tests.proxy.conftest import CREDENTIALS, proxy_settings, proxy_world
from tests.proxy.servers import postgres_server, redis_server
from tests.proxy.test_proxy_tokens_limits import GENERATE
from tests.proxy.test_proxy_wire import poll_status

pytestmark = pytest.mark.e2e
TABLES = {"orgs", "api_keys", "jobs", "audit"}


@pytest.fixture(scope="session")
def postgres_url():
    with postgres_server() as (url, error):
        if error:
            pytest.skip(error)
        yield url


@pytest.fixture(scope="session")
def redis_url():
    with redis_server() as (url, error):
        if error:
            pytest.skip(error)
        yield url


async def fresh_database(server_url: str) -> str:
    name = f"proxy_{secrets.token_hex(4)}"
    connection = await asyncpg.connect(server_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


async def tables_of(engine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))


async def check_migrations(url: str) -> None:
    engine = open_engine(url)
    try:
        await migrate(engine)
        assert TABLES <= await tables_of(engine)
        await migrate(engine, "base", down=True)
        assert not (TABLES & await tables_of(engine))
        await migrate(engine)
        await migrate(engine)  # already at head: nothing to do
        assert TABLES <= await tables_of(engine)
        async with engine.connect() as connection:
            assert (await connection.execute(text("select version_num from alembic_version"))).scalar() == "0001"
    finally:
        await engine.dispose()


async def test_migrations_up_and_down_on_sqlite(tmp_path):
    await check_migrations(f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite3'}")


async def test_migrations_up_and_down_on_postgresql(postgres_url):
    await check_migrations(await fresh_database(postgres_url))


async def check_store(url: str) -> None:
    engine = open_engine(url)
    await migrate(engine)
    store = Store(engine, Vault(decode_master_key(new_master_key())))
    try:
        await store.add_org("acme", "api_key", CREDENTIALS["acme"], monthly_cap=3)
        row, key = new_key("acme", ["read", "generate"], 60, 30)
        await store.add_key(row)
        caller = await authenticate(store, f"Api-Key {key}")
        assert caller.org.org_id == "acme" and caller.scopes == {"read", "generate"}
        await store.record_call("acme", row.key_id, "generate-video", 200, 12.5, [("video", "v1")], billed=True)
        assert await store.owner_of("video", "v1") == "acme" and await store.owner_of("video", "v2") is None
        assert await store.billed_this_month("acme") == 1
        assert store.credential_of(await store.org("acme")) == CREDENTIALS["acme"]
        async with engine.connect() as connection:
            dump = str((await connection.execute(text("select * from orgs"))).all())
            dump += str((await connection.execute(text("select * from api_keys"))).all())
        assert CREDENTIALS["acme"] not in dump and key not in dump
        assert [a.event for a in await store.audit("acme")] == ["call", "key.create", "org.add"]
    finally:
        await engine.dispose()


async def test_the_store_on_sqlite(tmp_path):
    await check_store(f"sqlite+aiosqlite:///{tmp_path / 's.sqlite3'}")


async def test_the_store_on_postgresql(postgres_url):
    await check_store(await fresh_database(postgres_url))


async def test_the_documents_workflow_and_isolation_on_postgresql(tmp_path, monkeypatch, postgres_url):
    database_url = await fresh_database(postgres_url)  # a shared database needs the master key given
    settings = proxy_settings(tmp_path, database_url=database_url, master_key=new_master_key())
    async with proxy_world(tmp_path, monkeypatch, settings) as world:
        created = await world.call("acme", "generate-video", GENERATE)
        final = await poll_status(world, "acme", created.data["video_id"])
        stolen = await world.call("globex", "video-status", {"query": {"video_id": created.data["video_id"]}})

    assert final["status"] == "completed"
    assert stolen.status == 404


async def test_redis_counters_are_shared_by_two_workers(redis_url):
    first, second = RedisCounters(redis_url, "t1:"), RedisCounters(redis_url, "t1:")
    try:
        waits = [await (first if i % 2 else second).hit("key:k", 5) for i in range(8)]
        assert waits[:5] == [None] * 5 and all(w is not None and 0 < w <= 60 for w in waits[5:])
        assert await first.acquire("gen", 1) and not await second.acquire("gen", 1)
        await first.release("gen")
        assert await second.acquire("gen", 1)
        assert await first.claim("idem", "fp") is None
        pending = await second.claim("idem", "fp")
        assert pending.fingerprint == "fp" and pending.status is None
        await first.remember("idem", "fp", 200, {"data": {"video_id": "v"}})
        assert (await second.claim("idem", "fp")).body == {"data": {"video_id": "v"}}
    finally:
        await first.close()
        await second.close()


async def test_two_proxies_sharing_redis_hold_one_rate_limit_and_one_idempotent_answer(
    tmp_path, monkeypatch, redis_url
):
    settings = proxy_settings(tmp_path, redis_url=redis_url)
    async with proxy_world(tmp_path, monkeypatch, settings) as world:
        other = Proxy(dataclasses.replace(settings), world.store)  # a second worker: same database, same Redis
        try:
            row, key = new_key("acme", ["read", "generate"], 4, None)
            await world.store.add_key(row)
            caller = await authenticate(world.store, f"Api-Key {key}")
            op = OPERATIONS["generate-video"]
            envelope = {"body": GENERATE["body"]}
            answers = []
            for worker in (world.proxy, other):
                answers.append(await worker.invoke(caller, op, envelope, "shared-key"))
            assert answers[0] == answers[1]
            assert world.videos_created == 1
            listing = OPERATIONS["list-templates"]
            await world.proxy.invoke(caller, listing, {}, None)
            await other.invoke(caller, listing, {}, None)
            with pytest.raises(Exception) as refused:
                await world.proxy.invoke(caller, listing, {}, None)
            assert getattr(refused.value, "status", None) == 429
        finally:
            await other.close()


async def test_serve_with_two_workers_shares_one_rate_limit_through_redis(tmp_path, redis_url):
    """`serve --workers 2`: two processes on one port; the key's 3 requests a minute hold across both."""
    import os
    import sys

    import aiohttp

    from simulator import Simulator, SimulatorConfig
    from tests.proxy.servers import free_port

    async with Simulator(SimulatorConfig(api_keys={CREDENTIALS["acme"]})) as sim:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PROXY_", "HEYGEN_"))}
        env |= {"PROXY_DATA_DIR": str(tmp_path / "data"), "PROXY_REDIS_URL": redis_url, "HEYGEN_API_URL": sim.url}

        async def cli(*args: str, credential: str | None = None) -> str:
            extra = {"HEYGEN_API_KEY": credential} if credential else {}
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "proxy", *args, env=env | extra, stdout=asyncio.subprocess.PIPE
            )
            out, _ = await process.communicate()
            assert process.returncode == 0
            return out.decode()

        await cli("org", "add", "acme", credential=CREDENTIALS["acme"])
        key = (await cli("key", "create", "acme", "--scope", "read", "--rpm", "3")).strip().splitlines()[-1]
        port = free_port()
        server = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "proxy", "serve", "--port", str(port), "--workers", "2", env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        statuses = []
        try:
            url = f"http://127.0.0.1:{port}/api/ai-proxy/orgs/acme/services/heygen/list-templates/"
            for _ in range(200):
                try:
                    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/healthz") as r:
                        if r.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)  # both workers listening
            for _ in range(5):
                async with aiohttp.ClientSession(headers={"Authorization": f"Api-Key {key}"}) as http:
                    async with http.post(url, json={}) as response:  # a new connection each: either worker
                        statuses.append(response.status)
        finally:
            server.terminate()
            await asyncio.wait_for(server.wait(), 20)

    assert statuses == [200, 200, 200, 429, 429]
