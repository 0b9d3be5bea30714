"""Small helpers for tests that talk to a running simulator over real HTTP (aiohttp client).

reply = await call(http, sim, "POST", "/v2/video/generate", json=studio_body("Hello"))
assert reply.status == 200 and reply.data["video_id"]
"""

from __future__ import annotations

import asyncio
import json as jsonlib
import time
from dataclasses import dataclass
from typing import Any

import aiohttp

from .catalogue import ANGELA_AVATAR_ID, MONICA_VOICE_ID
from .server import Simulator

API_KEY = "sim-test-key"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    raw: bytes
    body: Any  # parsed JSON, or None when the body is not JSON

    @property
    def data(self) -> Any:
        return self.body.get("data") if isinstance(self.body, dict) else None

    @property
    def error(self) -> Any:
        """The v2 ``error`` object, or the whole v1 body when it is an error."""
        if not isinstance(self.body, dict):
            return None
        if "error" in self.body:
            return self.body["error"]
        return None if self.body.get("code") == 100 else self.body


async def call(
    http: aiohttp.ClientSession,
    sim: Simulator,
    method: str,
    path: str,
    *,
    json: Any = None,
    params: dict | None = None,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    api_key: str | None = API_KEY,
    timeout: float | None = None,
) -> Reply:
    """One request; ``api_key=None`` sends no credential at all."""
    sent = {"X-Api-Key": api_key} if api_key is not None else {}
    sent |= headers or {}
    client_timeout = aiohttp.ClientTimeout(total=timeout) if timeout else None
    async with http.request(
        method, sim.url + path, json=json, params=params, data=data, headers=sent, timeout=client_timeout
    ) as resp:
        raw = await resp.read()
        try:
            body = jsonlib.loads(raw)
        except ValueError:
            body = None
        return Reply(resp.status, dict(resp.headers), raw, body)


async def poll(
    http: aiohttp.ClientSession, sim: Simulator, path: str, params: dict | None, until: set[str], timeout: float = 5.0
) -> Reply:
    """Repeat a GET until ``data.status`` is one of ``until``."""
    deadline = time.monotonic() + timeout
    while True:
        reply = await call(http, sim, "GET", path, params=params)
        if reply.data and reply.data.get("status") in until:
            return reply
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} still {reply.body} after {timeout}s")
        await asyncio.sleep(0.02)


def studio_body(text: str = "Hello there", **top_level: Any) -> dict:
    """A valid one-scene POST /v2/video/generate body."""
    scene = {
        "character": {"type": "avatar", "avatar_id": ANGELA_AVATAR_ID, "avatar_style": "normal"},
        "voice": {"type": "text", "voice_id": MONICA_VOICE_ID, "input_text": text},
        "background": {"type": "color", "value": "#1E3A5F"},
    }
    return {"video_inputs": [scene], "dimension": {"width": 1280, "height": 720}, **top_level}
