"""Small helpers for tests that talk to a running simulator over real HTTP (aiohttp client).

reply = await call(http, sim, "POST", "/v2/video/generate", json=studio_body("Hello"))
assert reply.status == 200 and reply.data["video_id"]

reply = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body("Hello"), idempotency_key="k1")
# v3 endpoints are named as in HeyGen's schema file; every answer is checked against its response schema
"""

from __future__ import annotations

import asyncio
import json as jsonlib
import time
from dataclasses import dataclass
from typing import Any

import aiohttp

from heygen_core.paths import v3

from .catalogue import ANGELA_AVATAR_ID, MONICA_VOICE_ID
from .openapi import response_errors
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


# v3 -------------------------------------------------------------------------------------------


def check_v3_answer(name: str, reply: Reply) -> None:
    """What every v3 answer must be: an X-Request-Id, and a body valid against the endpoint's response
    schema (2xx) or HeyGen's v3 error envelope (anything else)."""
    assert reply.headers.get("X-Request-Id"), f"{name}: no X-Request-Id"
    if 200 <= reply.status < 300:
        problems = response_errors(name, reply.body)
        assert not problems, f"{name} answer breaks its response schema: {problems} in {reply.body}"
        return
    error = reply.body.get("error") if isinstance(reply.body, dict) else None
    assert isinstance(error, dict) and isinstance(error.get("code"), str) and isinstance(error.get("message"), str), (
        f"{name}: {reply.status} without a v3 error envelope: {reply.raw[:300]!r}"
    )
    assert error.get("doc_url", "").startswith("https://developers.heygen.com/"), error


async def call_v3(
    http: aiohttp.ClientSession,
    sim: Simulator,
    name: str,
    *,
    path: dict | None = None,
    json: Any = None,
    params: dict | None = None,
    data: Any = None,
    headers: dict[str, str] | None = None,
    api_key: str | None = API_KEY,
    idempotency_key: str | None = None,
    timeout: float | None = None,
) -> Reply:
    """One request to v3 endpoint ``name`` (a schema-file name such as "VideoGet"; path and method from
    heygen_core.paths), checked with ``check_v3_answer``. ``api_key=None`` sends no X-Api-Key (pass an
    ``Authorization`` header to use a Bearer token)."""
    endpoint = v3(name)
    sent = dict(headers or {})
    if idempotency_key is not None:
        sent["Idempotency-Key"] = idempotency_key
    url_path = endpoint.url_path(**(path or {}))
    reply = await call(http, sim, endpoint.method, url_path, json=json, params=params, data=data, headers=sent,
                       api_key=api_key, timeout=timeout)  # fmt: skip
    check_v3_answer(name, reply)
    return reply


async def poll_v3(
    http: aiohttp.ClientSession, sim: Simulator, name: str, path: dict, until: set[str], timeout: float = 5.0
) -> Reply:
    """Repeat a v3 GET until ``data.status`` is one of ``until``."""
    deadline = time.monotonic() + timeout
    while True:
        reply = await call_v3(http, sim, name, path=path)
        if reply.data and reply.data.get("status") in until:
            return reply
        if time.monotonic() > deadline:
            raise AssertionError(f"{name} still {reply.body} after {timeout}s")
        await asyncio.sleep(0.02)


def v3_avatar_body(text: str = "Hello there", **fields: Any) -> dict:
    """A valid POST /v3/videos body of type avatar (the catalogue's Angela, Monica's voice)."""
    return {"type": "avatar", "avatar_id": ANGELA_AVATAR_ID, "script": text, "voice_id": MONICA_VOICE_ID, **fields}


def v3_studio_body(text: str = "Hello there", **fields: Any) -> dict:
    """A valid POST /v3/videos body of type studio: an avatar scene and a silent image scene."""
    avatar = {"type": "avatar", "avatar_id": ANGELA_AVATAR_ID, "script": text, "voice_id": MONICA_VOICE_ID}
    image = {"type": "url", "url": "https://example.com/slide.png"}
    scenes = [{"type": "avatar_video", "input": avatar}, {"type": "image", "source": image, "duration": 2}]
    return {"type": "studio", "scenes": scenes, **fields}
