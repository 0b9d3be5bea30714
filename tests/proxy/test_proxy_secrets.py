"""Secrets stay secret: not in the database file, not in the logs, not in answers; the audit table
records key and credential changes and billed calls, and scripts only when configured to.
"""

import logging

import pytest

from tests.proxy.conftest import CREDENTIALS, proxy_settings, proxy_world
from tests.proxy.test_proxy_tokens_limits import BILLED, mint

pytestmark = pytest.mark.e2e


def database_bytes(tmp_path) -> bytes:
    folder = tmp_path / "data"
    return b"".join(path.read_bytes() for path in sorted(folder.glob("proxy.sqlite3*")))


async def busy_day(world) -> list[str]:
    """Calls that succeed and fail; returns every secret the day handled."""
    token = (await mint(world)).body["token"]
    await world.call("acme", "list-avatars", {}, key=f"Bearer {token}")
    await world.call("acme", "generate-video", BILLED, headers={"Idempotency-Key": "k1"})
    await world.call("globex", "list-voices", {})
    await world.call("acme", "list-templates", {}, key=world.keys[("acme", "rw")][:-3] + "xyz")
    await world.store.set_credential("globex", "api_key", "hg-globex-rotated-credential-777777")
    await world.call("globex", "list-voices", {})  # HeyGen refuses the new one: 502
    return [*CREDENTIALS.values(), "hg-globex-rotated-credential-777777", token, *world.keys.values()]


async def test_no_credential_key_or_token_is_in_the_database_file(tmp_path, monkeypatch):
    async with proxy_world(tmp_path, monkeypatch) as world:
        secrets = await busy_day(world)
        await world.store.engine.dispose()

    stored = database_bytes(tmp_path)
    for secret in secrets:
        assert secret.encode() not in stored
        assert secret[-16:].encode() not in stored  # not even a long tail of one
    assert b"v1." in stored  # the sealed credentials are there


async def test_no_credential_key_or_token_is_in_the_logs(tmp_path, monkeypatch, captured_logs):
    async with proxy_world(tmp_path, monkeypatch) as world:
        secrets = await busy_day(world)
        logging.getLogger("proxy").warning("a careless line: %s %s", world.keys[("acme", "admin")], CREDENTIALS["acme"])
        try:
            raise RuntimeError(f"upstream said {CREDENTIALS['globex']}")
        except RuntimeError:
            logging.getLogger("proxy").exception("and a careless traceback")

    text = captured_logs.getvalue()
    assert "POST /api/ai-proxy/orgs/acme/services/heygen/list-avatars/" in text  # the logs were read
    assert "careless line" in text and "careless traceback" in text
    for secret in secrets:
        assert secret not in text
        assert secret[-12:] not in text


async def test_answers_never_carry_the_credential(world):
    answer = await world.call("acme", "get-remaining-quota", {})
    described = await world.request(
        "GET",
        "/api/ai-proxy/orgs/acme/services/heygen/",
        headers={"Authorization": f"Api-Key {world.keys[('acme', 'read')]}"},
    )

    for body in (answer.body, described.body):
        assert CREDENTIALS["acme"] not in str(body)


async def test_the_audit_table_records_changes_and_billed_calls(world):
    await world.call("acme", "generate-video", BILLED)
    await world.call("acme", "list-avatars", {})  # a read: not audited
    await world.store.revoke_key(world.keys[("acme", "read")].split("_")[1])
    await world.store.set_credential("acme", "api_key", CREDENTIALS["acme"])

    rows = list(reversed(await world.store.audit("acme")))
    events = [row.event for row in rows]

    assert events[:1] == ["org.add"] and events.count("key.create") == 3
    assert events[-3:] == ["call", "key.revoke", "credential.set"]
    call = rows[-3]
    assert call.operation == "generate-video" and call.status == 200 and call.job_id and call.latency_ms > 0
    assert call.key_id == world.keys[("acme", "rw")].split("_")[1]
    assert call.detail is None  # scripts are not stored unless configured
    assert all(CREDENTIALS["acme"] not in (row.detail or "") for row in rows)


async def test_scripts_are_stored_only_when_configured(tmp_path, monkeypatch):
    async with proxy_world(tmp_path, monkeypatch, proxy_settings(tmp_path, store_scripts=True)) as world:
        await world.call("acme", "generate-video", BILLED)
        (call,) = [row for row in await world.store.audit("acme") if row.event == "call"]

    assert "Hello, this is a test video." in call.detail
