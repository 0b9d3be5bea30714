"""`python -m proxy` as an administrator runs it: real processes, a fresh data folder, the simulator on loopback."""

import asyncio
import os
import socket
import stat
import sys

import aiohttp
import pytest

from proxy.crypto import decode_master_key
from simulator import Simulator, SimulatorConfig

pytestmark = pytest.mark.e2e

GOOD = "hg-cli-credential-0123456789abcdef"


@pytest.fixture
async def heygen():
    async with Simulator(SimulatorConfig(time_scale=0.01, api_keys={GOOD})) as sim:
        yield sim


@pytest.fixture
def env(tmp_path, heygen):
    variables = {k: v for k, v in os.environ.items() if not k.startswith(("PROXY_", "HEYGEN_"))}
    return variables | {
        "PROXY_DATA_DIR": str(tmp_path / "data"),
        "HEYGEN_API_URL": heygen.url,
        "HEYGEN_UPLOAD_URL": heygen.url,
    }


async def proxy_cli(env, *args, stdin: str = "", credential: str | None = None) -> tuple[int, str, str]:
    environment = dict(env) | ({"HEYGEN_API_KEY": credential} if credential else {})
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "proxy",
        *args,
        env=environment,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(stdin.encode()), 60)
    return process.returncode, out.decode(), err.decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_org_add_checks_the_credential_and_key_create_prints_the_key_last(env, tmp_path):
    code, out, err = await proxy_cli(env, "org", "add", "acme", credential=GOOD)
    assert code == 0, err
    key_file = tmp_path / "data" / "master.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(decode_master_key(key_file.read_text())) == 32

    code, out, err = await proxy_cli(env, "key", "create", "acme", "--scope", "read,generate", "--rpm", "30")
    assert code == 0, err
    lines = out.strip().splitlines()
    key_id, key = lines[0].removeprefix("key id: "), lines[-1]
    assert key.startswith(f"hgp_{key_id}_") and " " not in key

    code, listed, _ = await proxy_cli(env, "key", "list", "acme")
    assert key_id in listed and key not in listed and "read,generate" in listed and "30/min" in listed
    code, orgs, _ = await proxy_cli(env, "org", "list")
    assert "acme" in orgs and GOOD not in orgs and "…cdef" in orgs

    code, out, _ = await proxy_cli(env, "key", "revoke", key_id)
    assert code == 0 and "revoked" in out
    code, listed, _ = await proxy_cli(env, "key", "list", "acme")
    assert "revoked" in listed
    code, audit, _ = await proxy_cli(env, "audit", "acme")
    assert [line.split("\t")[2] for line in audit.strip().splitlines()] == ["org.add", "key.create", "key.revoke"]
    assert GOOD not in audit and key not in audit


async def test_a_credential_heygen_refuses_saves_nothing(env):
    code, out, err = await proxy_cli(env, "org", "add", "acme", credential="hg-wrong-credential-000000000000")

    assert code == 1 and "HeyGen refused this credential" in err and "nothing was saved" in err
    assert "hg-wrong-credential-000000000000" not in out + err
    _, orgs, _ = await proxy_cli(env, "org", "list")
    assert "acme" not in orgs
    code, _, err = await proxy_cli(
        env, "org", "add", "acme", "--no-check", credential="hg-wrong-credential-000000000000"
    )
    assert code == 0, err


async def test_the_credential_comes_from_standard_input_never_an_argument(env):
    code, out, err = await proxy_cli(env, "org", "add", "acme", stdin=GOOD + "\n")
    assert code == 0, err

    code, _, err = await proxy_cli(env, "org", "add", "globex", GOOD)
    assert code == 2  # no positional credential exists


async def test_set_credential_disable_and_limits(env):
    await proxy_cli(env, "org", "add", "acme", credential=GOOD)

    assert (await proxy_cli(env, "org", "set-credential", "acme", credential=GOOD))[0] == 0
    assert (await proxy_cli(env, "org", "set", "acme", "--monthly-cap", "10", "--test-only", "yes"))[0] == 0
    assert (await proxy_cli(env, "org", "disable", "acme"))[0] == 0
    _, orgs, _ = await proxy_cli(env, "org", "list")
    assert "disabled" in orgs and "monthly cap 10" in orgs and "test only True" in orgs
    code, _, err = await proxy_cli(env, "org", "disable", "nobody")
    assert code == 1 and "no organisation nobody" in err


async def test_master_key_prints_a_new_key_each_time(env):
    (_, first, _), (_, second, _) = await proxy_cli(env, "master-key"), await proxy_cli(env, "master-key")

    assert first != second and len(decode_master_key(first.strip())) == 32


async def test_several_workers_without_redis_are_refused(env):
    code, _, err = await proxy_cli(env, "serve", "--workers", "2")

    assert code == 1 and "PROXY_REDIS_URL" in err


async def test_serve_answers_the_documents_calls_with_a_key_from_the_cli(env):
    await proxy_cli(env, "org", "add", "acme", credential=GOOD)
    key = (await proxy_cli(env, "key", "create", "acme", "--scope", "read"))[1].strip().splitlines()[-1]
    port = free_port()
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "proxy",
        "serve",
        "--port",
        str(port),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(200):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as r:
                        if r.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
            url = f"http://127.0.0.1:{port}/api/ai-proxy/orgs/acme/services/heygen/list-templates/"
            async with http.post(url, json={}, headers={"Authorization": f"Api-Key {key}"}) as r:
                status, body = r.status, await r.json()
    finally:
        server.terminate()
        _, err = await asyncio.wait_for(server.communicate(), 20)

    assert status == 200 and body["data"]["templates"]
    assert key not in err.decode() and GOOD not in err.decode()
