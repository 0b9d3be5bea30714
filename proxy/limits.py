"""Rate limits, the cap on concurrent generations and Idempotency-Key answers, in one process or shared.

`MemoryCounters` is exact for one process. Several processes (or machines) must share `RedisCounters`
(PROXY_REDIS_URL): counters kept per process would let N workers through N times the limit.
Rate limits are fixed one-minute windows: cheap (one INCR), and at most twice the limit across a boundary.
"""

import asyncio
import json
import time
from dataclasses import dataclass

WINDOW_SECONDS = 60
IDEMPOTENCY_SECONDS = 24 * 3600
PENDING_SECONDS = 600  # an answer still being made is given up after this (a crashed worker)


@dataclass(frozen=True)
class Remembered:
    fingerprint: str
    status: int | None  # None while the first call is still running
    body: dict | None


class MemoryCounters:
    def __init__(self, clock=time.time):
        self._clock = clock
        self._windows: dict[str, tuple[int, int]] = {}
        self._running: dict[str, int] = {}
        self._remembered: dict[str, tuple[float, Remembered]] = {}
        self._lock = asyncio.Lock()

    async def hit(self, bucket: str, limit: int) -> float | None:
        """Counts one request; the seconds to wait when `limit` per minute is already used, else None."""
        now = self._clock()
        window = int(now // WINDOW_SECONDS)
        start, count = self._windows.get(bucket, (window, 0))
        if start != window:
            count = 0
        if count >= limit:
            return (window + 1) * WINDOW_SECONDS - now
        self._windows[bucket] = (window, count + 1)
        if len(self._windows) > 100_000:  # old windows of keys no longer calling
            self._windows = {k: v for k, v in self._windows.items() if v[0] == window}
        return None

    async def acquire(self, bucket: str, cap: int) -> bool:
        if self._running.get(bucket, 0) >= cap:
            return False
        self._running[bucket] = self._running.get(bucket, 0) + 1
        return True

    async def release(self, bucket: str) -> None:
        self._running[bucket] = max(0, self._running.get(bucket, 0) - 1)

    async def claim(self, key: str, fingerprint: str) -> Remembered | None:
        """Reserves `key` for a first call (None), or returns what is remembered under it."""
        async with self._lock:
            now = self._clock()
            found = self._remembered.get(key)
            if found and found[0] > now:
                return found[1]
            self._remembered[key] = (now + PENDING_SECONDS, Remembered(fingerprint, None, None))
            return None

    async def remember(self, key: str, fingerprint: str, status: int, body: dict) -> None:
        self._remembered[key] = (self._clock() + IDEMPOTENCY_SECONDS, Remembered(fingerprint, status, body))

    async def forget(self, key: str) -> None:
        self._remembered.pop(key, None)

    async def close(self) -> None:
        return None


class RedisCounters:
    """The same operations on a Redis server shared by every worker and machine."""

    def __init__(self, url: str, prefix: str = "heygen-proxy:"):
        import redis.asyncio as redis  # only when configured

        self._redis = redis.from_url(url, decode_responses=True)
        self._prefix = prefix

    async def hit(self, bucket: str, limit: int) -> float | None:
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        key = f"{self._prefix}rate:{bucket}:{window}"
        async with self._redis.pipeline(transaction=True) as pipe:
            count, _ = await pipe.incr(key).expire(key, WINDOW_SECONDS * 2).execute()
        if count > limit:
            return (window + 1) * WINDOW_SECONDS - now
        return None

    async def acquire(self, bucket: str, cap: int) -> bool:
        key = f"{self._prefix}running:{bucket}"
        async with self._redis.pipeline(transaction=True) as pipe:
            count, _ = await pipe.incr(key).expire(key, PENDING_SECONDS).execute()
        if count > cap:
            await self._redis.decr(key)
            return False
        return True

    async def release(self, bucket: str) -> None:
        await self._redis.decr(f"{self._prefix}running:{bucket}")

    async def claim(self, key: str, fingerprint: str) -> Remembered | None:
        name = f"{self._prefix}idem:{key}"
        pending = json.dumps({"f": fingerprint, "s": None, "b": None})
        if await self._redis.set(name, pending, nx=True, ex=PENDING_SECONDS):
            return None
        raw = await self._redis.get(name)
        if raw is None:  # expired in between: try once more
            return await self.claim(key, fingerprint)
        stored = json.loads(raw)
        return Remembered(stored["f"], stored["s"], stored["b"])

    async def remember(self, key: str, fingerprint: str, status: int, body: dict) -> None:
        value = json.dumps({"f": fingerprint, "s": status, "b": body})
        await self._redis.set(f"{self._prefix}idem:{key}", value, ex=IDEMPOTENCY_SECONDS)

    async def forget(self, key: str) -> None:
        await self._redis.delete(f"{self._prefix}idem:{key}")

    async def close(self) -> None:
        await self._redis.aclose()


def counters_for(redis_url: str):
    return RedisCounters(redis_url) if redis_url else MemoryCounters()
