"""Master-key rotation, the bound on how long another worker may still accept a revoked key, and key forms."""

import asyncio

import pytest

from proxy.auth import AuthError, authenticate, new_key, redact_secrets
from proxy.crypto import MasterKeyError, Vault, decode_master_key, new_master_key
from proxy.db import migrate, open_engine
from proxy.store import Store


@pytest.fixture
async def engine(tmp_path):
    engine = open_engine(f"sqlite+aiosqlite:///{tmp_path / 'k.sqlite3'}")
    await migrate(engine)
    yield engine
    await engine.dispose()


async def test_reencrypt_moves_every_credential_to_the_new_master_key(engine):
    old, new = decode_master_key(new_master_key()), decode_master_key(new_master_key())
    before = Store(engine, Vault(old))
    await before.add_org("acme", "api_key", "hg-acme-0123456789abcdef")
    await before.add_org("globex", "access_token", "hg-globex-fedcba9876543210")

    during = Store(engine, Vault(new, previous=(old,)))
    assert during.credential_of(await during.org("acme")) == "hg-acme-0123456789abcdef"
    assert await during.reencrypt() == 2
    assert await during.reencrypt() == 0

    after = Store(engine, Vault(new))
    assert after.credential_of(await after.org("globex")) == "hg-globex-fedcba9876543210"
    with pytest.raises(MasterKeyError, match="not loaded"):
        before.credential_of(await before.org("acme"))
    assert [a.event for a in await after.audit("acme")][0] == "credential.reencrypt"


async def test_a_key_revoked_by_another_worker_stops_working_within_the_cache_time(engine):
    vault = Vault(decode_master_key(new_master_key()))
    worker, admin = Store(engine, vault, key_cache_seconds=0.2), Store(engine, vault)
    await admin.add_org("acme", "api_key", "hg-acme-0123456789abcdef")
    row, key = new_key("acme", ["read"], 60, None)
    await admin.add_key(row)
    assert (await authenticate(worker, f"Api-Key {key}")).key_id == row.key_id

    await admin.revoke_key(row.key_id)
    await asyncio.sleep(0.25)

    with pytest.raises(AuthError) as refused:
        await authenticate(worker, f"Api-Key {key}")
    assert refused.value.code == "key_revoked"


def test_keys_have_an_id_a_secret_and_scopes_in_order():
    row, key = new_key("acme", ["generate", "read"], 60, 7)

    assert key.startswith(f"hgp_{row.key_id}_") and len(key) > 50
    assert row.scopes == "read,generate" and row.secret_hash != key and len(row.secret_hash) == 64
    with pytest.raises(ValueError, match="scopes must be some of"):
        new_key("acme", ["write"], 60, None)


def test_keys_and_tokens_are_recognised_in_any_text():
    _, key = new_key("acme", ["read"], 60, None)
    text = f"Authorization: Api-Key {key}; Bearer hgt_eyJvIjoiYSJ9.c2lnbmF0dXJl."

    cleaned = redact_secrets(text)

    assert key.split("_", 2)[2] not in cleaned and "c2lnbmF0dXJl" not in cleaned
    assert f"hgp_{key.split('_')[1]}_[redacted]" in cleaned


def test_a_shared_database_without_a_master_key_is_refused(tmp_path):
    from proxy.crypto import load_vault
    from proxy.settings import Settings

    shared = Settings(data_dir=tmp_path, database_url="postgresql+asyncpg://proxy@127.0.0.1:1/proxy")

    with pytest.raises(MasterKeyError, match="PROXY_MASTER_KEY"):
        load_vault(shared, create=True)
    assert not (tmp_path / "master.key").exists()
