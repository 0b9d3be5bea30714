"""Hostile requests to the simulator over real HTTP on loopback (issue 9, item 9): every malformed request is
a 4xx in HeyGen's error envelope (never a 500), oversize bodies are 413, slow clients are cut off, and the
server keeps answering normal requests afterwards. Bounded: each case is one request with a short timeout."""

from __future__ import annotations

import asyncio
import copy
import gzip
import json
import random

import pytest

from heygen_core.paths import placeholders, v3, v3_endpoints
from simulator import ANGELA_AVATAR_ID, Simulator, SimulatorConfig
from simulator.config import MB
from simulator.testing import API_KEY, call, studio_body, v3_avatar_body, v3_studio_body

pytestmark = pytest.mark.e2e

DEEP = 20_001
HEADERS = {"Content-Type": "application/json"}


@pytest.fixture
async def sim():
    config = SimulatorConfig(
        time_scale=0.02,
        header_timeout_seconds=0.3,
        body_timeout_seconds=0.3,
        max_image_bytes=MB,
        max_video_bytes=MB,
        max_audio_bytes=MB,
    )
    async with Simulator(config) as server:
        yield server


def _studio_with(dimension: str) -> bytes:
    return json.dumps(studio_body()).replace('{"width": 1280, "height": 720}', dimension).encode()


V3_CREATE = v3("VideoCreate").path
CASES = {
    # name: (method, path, raw body, extra headers, query)
    "deep_json_v3": ("POST", V3_CREATE, b"[" * DEEP + b"]" * DEEP, {}, None),
    "deep_object_v2": ("POST", "/v2/video/generate", b'{"a":' * DEEP + b"1" + b"}" * DEEP, {}, None),
    "deep_but_parseable": ("POST", V3_CREATE, b'{"type":' + b"[" * 200 + b"]" * 200 + b"}", {}, None),
    "nan_dimension": ("POST", "/v2/video/generate", _studio_with('{"width": NaN, "height": 720}'), {}, None),
    "infinity_dimension": ("POST", "/v2/video/generate", _studio_with('{"width": Infinity, "height": 720}'), {}, None),
    "overflowing_float": ("POST", "/v2/video/generate", _studio_with('{"width": 1e999, "height": 720}'), {}, None),
    "nan_string_dimension": ("POST", "/v2/video/generate", _studio_with('{"width": "NaN", "height": 720}'), {}, None),
    "huge_int_dimension": (
        "POST",
        "/v2/video/generate",
        _studio_with('{"width": 1' + "0" * 400 + ', "height": 720}'),
        {},
        None,
    ),  # fmt: skip
    "nan_in_v3_speed": (
        "POST",
        V3_CREATE,
        json.dumps(v3_avatar_body()).replace("}", ', "voice_settings": {"speed": NaN}}').encode(),
        {},
        None,
    ),  # fmt: skip
    "superscript_page": ("GET", "/v2/avatar_group.list", b"", {}, {"page": "²"}),
    "arabic_digit_limit_v3": ("GET", v3("VoiceList").path, b"", {}, {"limit": "٣"}),
    "superscript_expires": ("GET", "/media/voices/x.mp3", b"", {}, {"Expires": "²"}),
    "fake_gzip": ("POST", V3_CREATE, json.dumps(v3_avatar_body()).encode(), {"Content-Encoding": "gzip"}, None),
    "fake_deflate_v2": ("POST", "/v2/video/generate", b"not deflate", {"Content-Encoding": "deflate"}, None),
    "bad_utf8": ("POST", V3_CREATE, b'{"type": "avatar", "avatar_id": "\xff\xfe"}', {}, None),
    "bad_utf8_v2": ("POST", "/v2/video/generate", b'{"title": "\xc3\x28"}', {}, None),
    "not_an_object": ("POST", V3_CREATE, b"[1, 2, 3]", {}, None),
    "truncated": ("POST", V3_CREATE, b'{"type": "avatar", "avatar_id": ', {}, None),
    "lone_surrogate_escape": (
        "POST",
        V3_CREATE,
        b'{"type": "avatar", "avatar_id": "\\ud800", "script": "x"}',
        {},
        None,
    ),
    "control_char_id": ("GET", v3("VideoGet").path.replace("{video_id}", "%00%01"), b"", {}, None),
    "dot_dot_id": ("GET", v3("VideoGet").path.replace("{video_id}", "%2E%2E"), b"", {}, None),
    "multipart_garbage": (
        "POST",
        v3("AssetCreate").path,
        b"--x\r\nnonsense",
        {"Content-Type": "multipart/form-data"},
        None,
    ),  # fmt: skip
    "wrong_method": ("PUT", V3_CREATE, b"{}", {}, None),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_a_hostile_request_gets_a_4xx_envelope_and_the_server_keeps_answering(sim, http, case):
    method, path, body, extra, query = CASES[case]
    reply = await call(http, sim, method, path, data=body, params=query, headers={**HEADERS, **extra}, timeout=5)

    assert 400 <= reply.status < 500, (case, reply.status, reply.raw[:200])
    if path.startswith("/media/"):
        assert reply.raw  # the CDN answers plain text, as S3/CloudFront do
    elif path.startswith(V3_CREATE.rsplit("/", 1)[0] + "/"):  # the v3 family
        assert isinstance(reply.body["error"]["code"], str) and reply.body["error"]["message"]
    else:
        assert reply.body and ("error" in reply.body or "code" in reply.body), reply.raw[:200]
    normal = await call(http, sim, "GET", v3("VoiceList").path, timeout=5)
    assert normal.status == 200


async def test_real_gzip_is_still_accepted(sim, http):
    raw = gzip.compress(json.dumps(v3_avatar_body()).encode())
    reply = await call(http, sim, "POST", V3_CREATE, data=raw, headers={**HEADERS, "Content-Encoding": "gzip"})
    assert reply.status == 200 and reply.data["video_id"]


async def test_a_body_past_the_size_limit_is_413(sim, http):
    reply = await call(http, sim, "POST", V3_CREATE, data=b"x" * (3 * MB), headers=HEADERS, timeout=10)
    legacy = await call(http, sim, "POST", "/v1/asset", data=b"x" * (3 * MB), headers={"Content-Type": "image/png"})

    assert reply.status == 413 and reply.body["error"]["code"] == "payload_too_large"
    assert legacy.status == 413
    assert (await call(http, sim, "GET", v3("VoiceList").path)).status == 200


async def _raw_exchange(sim: Simulator, payload: bytes, wait: float) -> tuple[bytes, float]:
    """Send ``payload`` on a fresh loopback connection, then read until the server closes (bounded)."""
    host, port = sim.url.removeprefix("http://").rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    loop = asyncio.get_running_loop()
    started = loop.time()
    writer.write(payload)
    await writer.drain()
    answer = b""
    try:
        while chunk := await asyncio.wait_for(reader.read(65536), wait):
            answer += chunk
    except TimeoutError:  # a kept-alive connection stays open: what arrived is the answer
        pass
    finally:
        writer.close()
    return answer, loop.time() - started


async def test_a_client_that_never_finishes_its_headers_is_answered_408_and_disconnected(sim, http):
    partial = f"GET {v3('VoiceList').path} HTTP/1.1\r\nHost: x\r\nX-Api-Key: k".encode()
    answer, took = await _raw_exchange(sim, partial, wait=3)

    assert answer.startswith(b"HTTP/1.1 408") and b'"request_timeout"' in answer and took < 2
    assert (await call(http, sim, "GET", v3("VoiceList").path)).status == 200


async def test_a_silent_connection_is_closed_after_the_header_timeout(sim):
    answer, took = await _raw_exchange(sim, b"", wait=3)
    assert answer.startswith(b"HTTP/1.1 408") and took < 2


async def test_a_client_that_stops_sending_its_body_is_answered_408(sim, http):
    head = f"POST {V3_CREATE} HTTP/1.1\r\nHost: x\r\nX-Api-Key: {API_KEY}\r\nContent-Type: application/json\r\n"
    answer, took = await _raw_exchange(sim, (head + "Content-Length: 1000\r\n\r\n{").encode(), wait=3)

    assert b" 408 " in answer.split(b"\r\n", 1)[0] and b"request_timeout" in answer and took < 2
    assert sim.jobs_created("VideoCreate") == 0
    assert (await call(http, sim, "GET", v3("VoiceList").path)).status == 200


async def test_a_kept_alive_connection_gets_a_second_answer(sim):
    one = f"GET {v3('VoiceList').path} HTTP/1.1\r\nHost: x\r\nX-Api-Key: {API_KEY}\r\n\r\n".encode()
    answer, _ = await _raw_exchange(sim, one + one, wait=1)
    assert answer.count(b"HTTP/1.1 200") == 2


@pytest.mark.parametrize(
    "garbage",
    [b"NOT HTTP AT ALL\r\n\r\n", b"GET / HTTP/1.1\r\nBad Header Line\r\n\r\n",
     f"POST {V3_CREATE} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".encode()],
    ids=["request_line", "header_line", "chunking"],
)  # fmt: skip
async def test_unparseable_http_is_a_json_400(sim, http, garbage):
    answer, _ = await _raw_exchange(sim, garbage, wait=2)
    head, _, body = answer.partition(b"\r\n\r\n")

    assert head.split(b"\r\n")[0].endswith(b" 400 Bad Request") and b"application/json" in head
    assert json.loads(body)["error"]["code"] == "invalid_parameter"
    assert (await call(http, sim, "GET", v3("VoiceList").path)).status == 200


# ------------------------------------------------------------------ a bounded, seeded fuzz of every v3 route

WEIRD_IDS = ["..", ".", "%00", "%2F", "a" * 300, "ü", "%F0%9F%98%80", "%ED%A0%80", "%FF", "null", "-1", "0x1f"]
WEIRD_VALUES = [None, True, 0, -1, 1.5, 2**70, "", "x" * 6000, "²", [], {}, [None], {"type": "url"}]
WEIRD_VALUES += [
    {"type": "asset_id", "asset_id": "missing"},
    {"type": "base64", "media_type": "image/png", "data": "!!"},
]
FUZZ_ROUNDS = 6


def _mutations(rng, schema: dict | None) -> list:
    """Bodies near the schema: each property replaced by odd values, required ones dropped, junk added."""
    props = {}
    for variant in (schema or {}).get("oneOf", [schema or {}]):
        props.update(variant.get("properties", {}))
    bodies: list = [{}, [], "text", {"type": rng.choice(["avatar", "studio", "image", "prompt", "photo", "x"])}]
    for _ in range(FUZZ_ROUNDS):
        body = {name: rng.choice(WEIRD_VALUES) for name in props if rng.random() < 0.6}
        if "type" in props:
            body["type"] = rng.choice(
                ["avatar", "image", "studio", "cinematic_avatar", "prompt", "photo", "digital_twin"]
            )
        bodies.append(body)
    return bodies


async def test_a_seeded_fuzz_of_every_served_v3_route_never_gets_a_5xx(sim, http):
    rng = random.Random(9)
    served = {(r.method, (res.get_info().get("path") or res.get_info().get("formatter")))
              for res in sim._runner.app.router.resources() for r in res}  # fmt: skip
    endpoints = [e for e in v3_endpoints().values() if (e.method, e.path) in served]
    sent = 0
    for endpoint in endpoints:
        for body in _mutations(rng, endpoint.request_schema) if endpoint.method in ("POST", "PATCH", "PUT") else [None]:
            path = endpoint.path
            for name in placeholders(path):
                path = path.replace("{" + name + "}", rng.choice(WEIRD_IDS))
            query = {
                "limit": rng.choice(["", "0", "5", "1000", "²", "-3", "1e3"]),
                "token": rng.choice(["", "zz", "%"]),
            }
            headers = {"Idempotency-Key": rng.choice(["ok-key", "bad key", "x" * 300])}
            reply = await call(http, sim, endpoint.method, path, json=body, params=query, headers=headers, timeout=5)
            sent += 1
            assert reply.status < 500, (endpoint.name, path, body, reply.status, reply.raw[:300])
            if reply.status >= 400:
                assert isinstance(reply.body["error"]["code"], str), (endpoint.name, reply.raw[:300])
    assert sent > 200


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from _leaves(sub, (*path, key))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _leaves(sub, (*path, i))
    else:
        yield path, value


def _replaced(value, path, new):
    out = copy.deepcopy(value)
    target = out
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = new
    return out


EXTREMES = {str: ["", " ", "x" * 5001, "..", "\u202e", "SIMULATE_FAILURE"], int: [0, -1, 2**63, 10**20],
            float: [0.0, -1e308, 1e308, 5e-324], bool: [True, False]}  # fmt: skip


async def test_valid_bodies_with_each_leaf_pushed_to_an_extreme_never_get_a_5xx(sim, http):
    samples = {
        "VideoCreate": [
            v3_avatar_body(voice_settings={"speed": 1.0, "pitch": 0.0}),
            v3_studio_body(resolution="720p"),
            {"type": "cinematic_avatar", "prompt": "p", "avatar_id": [ANGELA_AVATAR_ID], "duration": 8},
        ],
        "AvatarCreate": [{"type": "prompt", "name": "n", "prompt": "p", "avatar_id": ANGELA_AVATAR_ID}],
        "VoiceSpeechCreate": [{"text": "hello there", "voice_id": v3_avatar_body()["voice_id"], "speed": 1.0}],
        "AssetDirectUploadsCreate": [{"filename": "a.png", "content_type": "image/png", "size_bytes": 10}],
        "WebhookEndpointsCreate": [{"url": "https://example.com/h", "events": ["avatar_video.success"]}],
        "VideoTranslateCreate": [
            {"video": {"type": "url", "url": "https://e.com/v.mp4"}, "output_languages": ["French"], "speaker_num": 1}
        ],
    }
    sent = 0
    for name, bodies in samples.items():
        endpoint = v3(name)
        for body in bodies:
            for path, value in _leaves(body):
                for new in EXTREMES.get(type(value), []):
                    reply = await call(
                        http, sim, endpoint.method, endpoint.path, json=_replaced(body, path, new), timeout=5
                    )
                    sent += 1
                    assert reply.status < 500, (name, path, new, reply.raw[:300])
                    sim.advance(3600)  # keep the concurrency limit out of the way
    assert sent > 100


async def test_a_lone_surrogate_is_read_as_a_replacement_character_and_its_files_still_render(sim, http):
    body = json.dumps(v3_avatar_body("Hello \ud800 there", title="\udfff", caption={"file_format": "srt"}))
    made = await call(http, sim, "POST", V3_CREATE, data=body.encode(), headers=HEADERS)
    sim.advance(60)
    done = await call(http, sim, "GET", v3("VideoGet").url_path(video_id=made.data["video_id"]))
    subtitles = await call(http, sim, "GET", done.data["subtitle_url"].removeprefix(sim.url), api_key=None)

    assert made.status == 200 and done.data["title"] == "\ufffd"
    assert subtitles.status == 200 and "Hello \ufffd there" in subtitles.raw.decode()
