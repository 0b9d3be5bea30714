"""Opening the proxy's state: the settings, the master key, the database (migrated to the latest schema)."""

import contextlib

from proxy.crypto import load_vault
from proxy.db import migrate, open_engine
from proxy.service import Proxy
from proxy.settings import Settings
from proxy.store import Store


async def open_store(settings: Settings, *, create: bool = True, upgrade: bool = True) -> Store:
    """The store, created and migrated on first use for the embedded default (`create`)."""
    vault = load_vault(settings, create=create)
    engine = open_engine(settings.database_url)
    if upgrade:
        await migrate(engine)
    return Store(engine, vault, settings.key_cache_seconds)


@contextlib.asynccontextmanager
async def opened(settings: Settings, **options):
    store = await open_store(settings, **options)
    try:
        yield store
    finally:
        await store.engine.dispose()


async def open_proxy(settings: Settings) -> Proxy:
    return Proxy(settings, await open_store(settings))
