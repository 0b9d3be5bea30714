"""One connection pool per event loop, shared by every action run, wait, batch and download in the process.

A new aiohttp session per action run means a new connection per run, and on the real host a new TLS
handshake: `get_video_status` cost ×3.4 a keep-alive request. The pool keeps connections open across runs.
Sessions belong to an event loop, so there is one per loop; it closes itself when its loop shuts down
(asyncio.run and the platform's runners finalise async generators, which is the hook used here), or when
`close_pools()` is called.
"""

import asyncio
import weakref

import aiohttp

USER_AGENT = "AutoHive/1.0"
CONNECTIONS_PER_HOST = 32

_sessions: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aiohttp.ClientSession]" = weakref.WeakKeyDictionary()
_keepers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, object]" = weakref.WeakKeyDictionary()


async def shared_session() -> aiohttp.ClientSession:
    """The running loop's session (made on first use); headers other than the User-Agent are per request."""
    loop = asyncio.get_running_loop()
    session = _sessions.get(loop)
    if session is None or session.closed:
        connector = aiohttp.TCPConnector(limit_per_host=CONNECTIONS_PER_HOST, keepalive_timeout=30)
        session = aiohttp.ClientSession(connector=connector, headers={"User-Agent": USER_AGENT})
        _sessions[loop] = session
        keeper = _close_at_shutdown(session)
        await keeper.__anext__()  # now suspended: the loop finalises it (closing the session) when it shuts down
        _keepers[loop] = keeper
    return session


async def _close_at_shutdown(session: aiohttp.ClientSession):
    try:
        yield
    finally:
        if not session.closed:
            await session.close()


async def close_pools() -> None:
    """Closes the running loop's session now (servers and the CLI call this when they stop)."""
    loop = asyncio.get_running_loop()
    session = _sessions.pop(loop, None)
    keeper = _keepers.pop(loop, None)
    if session is not None and not session.closed:
        await session.close()
    if keeper is not None:
        await keeper.aclose()
