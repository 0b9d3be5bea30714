"""Idempotency-Key on the simulator's v3 job-creating POSTs, and the three ``--legacy`` modes of v1/v2,
over real HTTP on loopback."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from heygen_core.paths import v3
from simulator import Faults, Simulator, SimulatorConfig
from simulator.__main__ import config_from_args, parse_args
from simulator.config import LEGACY_VARIABLE
from simulator.testing import call, call_v3, studio_body, v3_avatar_body

pytestmark = pytest.mark.e2e


@pytest.fixture
async def sim():
    async with Simulator(SimulatorConfig(time_scale=1.0)) as server:
        yield server


async def test_the_same_key_and_body_replays_the_first_answer_and_makes_no_new_job(sim, http):
    first = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body(), idempotency_key="run-42:step.1")
    again = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body(), idempotency_key="run-42:step.1")

    assert first.status == again.status == 200 and again.data == first.data
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert again.headers["X-Request-Id"] != first.headers["X-Request-Id"]
    assert sim.jobs_created("VideoCreate") == 1 and len(sim.state.videos) == 1


async def test_without_a_key_every_post_is_a_new_job(sim, http):
    for _ in range(2):
        await call_v3(http, sim, "VideoCreate", json=v3_avatar_body())
    assert sim.jobs_created("VideoCreate") == 2


async def test_the_same_key_with_another_body_is_refused_not_replayed(sim, http):
    await call_v3(http, sim, "VideoCreate", json=v3_avatar_body("First"), idempotency_key="k-1")
    other = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body("Second"), idempotency_key="k-1")

    assert other.status == 422 and other.error["code"] == "idempotency_key_reused"
    assert other.error["param"] == "Idempotency-Key" and sim.jobs_created("VideoCreate") == 1


async def test_key_order_does_not_make_another_body(sim, http):
    body = v3_avatar_body()
    await call_v3(http, sim, "VideoCreate", json=body, idempotency_key="k-2")
    again = await call_v3(http, sim, "VideoCreate", json=dict(reversed(list(body.items()))), idempotency_key="k-2")
    assert again.status == 200 and sim.jobs_created("VideoCreate") == 1


async def test_a_resend_while_the_first_is_in_flight_is_409_and_then_replays(sim, http):
    sim.config.faults = Faults(hold_in_flight={v3("VideoCreate").path: 0.5})
    first = asyncio.create_task(call_v3(http, sim, "VideoCreate", json=v3_avatar_body(), idempotency_key="slow"))
    await asyncio.sleep(0.15)
    during = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body(), idempotency_key="slow")
    answered = await first
    after = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body(), idempotency_key="slow")

    assert during.status == 409 and during.error["code"] == "request_in_progress" and during.headers["Retry-After"]
    assert after.data == answered.data and sim.jobs_created("VideoCreate") == 1


async def test_an_answer_lost_after_processing_is_replayed_to_the_resend(sim, http):
    sim.config.faults = Faults(drop_after_processing=1)
    with pytest.raises(aiohttp.ClientError):
        await call_v3(http, sim, "VideoCreate", json=v3_avatar_body(), idempotency_key="dropped")
    resend = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body(), idempotency_key="dropped")

    assert resend.status == 200 and resend.headers["Idempotent-Replayed"] == "true"
    assert sim.jobs_created("VideoCreate") == 1


async def test_keys_expire_after_24_hours_of_the_simulated_clock(sim, http):
    first = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body(), idempotency_key="daily")
    sim.advance(24 * 3600 + 1)
    later = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body(), idempotency_key="daily")
    assert later.data["video_id"] != first.data["video_id"] and sim.jobs_created("VideoCreate") == 2


async def test_scope_is_the_route_and_its_path_parameters(sim, http):
    templates = sim.state.catalogue.templates
    body = {"variables": {}}
    a = await call_v3(http, sim, "TemplateGenerate", path={"template_id": templates[0].template_id}, json=body,
                      idempotency_key="shared")  # fmt: skip
    sim.advance(60)
    b = await call_v3(http, sim, "TemplateGenerate", path={"template_id": templates[1].template_id}, json=body,
                      idempotency_key="shared")  # fmt: skip
    sim.advance(60)
    c = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body(), idempotency_key="shared")

    assert len({a.data["id"], b.data["id"], c.data["video_id"]}) == 3
    assert sim.jobs_created("TemplateGenerate") == 2 and sim.jobs_created("VideoCreate") == 1


async def test_a_refused_request_is_not_remembered(sim, http):
    bad = await call_v3(http, sim, "VideoCreate", json={"type": "avatar"}, idempotency_key="fix-and-retry")
    good = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body(), idempotency_key="fix-and-retry")
    assert bad.status == 400 and good.status == 200 and sim.jobs_created("VideoCreate") == 1


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "slash/no", "ключ"])
async def test_malformed_keys_are_a_validation_error(sim, http, key):
    reply = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body(), idempotency_key=key)
    assert reply.status == 400 and reply.error["param"] == "Idempotency-Key"
    assert sim.jobs_created("VideoCreate") == 0


async def test_a_multipart_upload_resent_with_a_new_boundary_is_the_same_request(sim, http):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    replies = []
    for _ in range(2):
        form = aiohttp.FormData()
        form.add_field("file", png, filename="a.png", content_type="image/png")
        replies.append(await call_v3(http, sim, "AssetCreate", data=form, idempotency_key="upload-1"))
    assert replies[0].data == replies[1].data and sim.jobs_created("AssetCreate") == 1


# ------------------------------------------------------------------ --legacy


async def _legacy_answers(mode: str, http) -> tuple:
    async with Simulator(SimulatorConfig(time_scale=0.02, legacy=mode)) as sim:
        v2 = await call(http, sim, "POST", "/v2/video/generate", json=studio_body())
        v1 = await call(http, sim, "GET", "/v1/video.list")
        modern = await call_v3(http, sim, "VoiceList")
    return v2, v1, modern


async def test_served_legacy_answers_as_before(http):
    v2, v1, modern = await _legacy_answers("served", http)
    assert v2.status == 200 and v1.status == 200 and modern.status == 200
    assert "Deprecation" not in v2.headers and "warning" not in v2.body


async def test_deprecated_legacy_carries_headers_and_a_warning_naming_the_v3_endpoint(http):
    v2, v1, modern = await _legacy_answers("deprecated", http)
    for reply in (v2, v1):
        assert reply.status == 200 and reply.headers["Deprecation"] == "true"
        assert reply.headers["Sunset"] == "Sat, 31 Oct 2026 00:00:00 GMT"
        assert set(reply.body["warning"]) == {"message", "v3_endpoint", "docs_url", "sunset_date"}
        assert reply.body["warning"]["sunset_date"] == "2026-10-31"
    create, listing = v3("VideoCreate"), v3("VideoList")
    assert v2.body["warning"]["v3_endpoint"] == f"{create.method} {create.path}" and v2.data["video_id"]
    assert v1.body["warning"]["v3_endpoint"] == f"{listing.method} {listing.path}"
    assert "Deprecation" not in modern.headers


async def test_retired_legacy_is_404_v2_as_an_html_page_and_v3_still_works(http):
    v2, v1, modern = await _legacy_answers("retired", http)
    assert v2.status == 404 and v2.headers["Content-Type"].startswith("text/html") and b"retired" in v2.raw
    assert v1.status == 404 and v1.body["code"] == 404 and v3("VideoList").path in v1.body["message"]
    assert modern.status == 200


def test_the_command_line_takes_legacy_and_the_default_is_retired_as_heygen_is_today(monkeypatch):
    assert config_from_args(parse_args(["--legacy", "served"])).legacy == "served"
    monkeypatch.delenv(LEGACY_VARIABLE, raising=False)
    assert config_from_args(parse_args([])).legacy == "retired" == SimulatorConfig().legacy
    monkeypatch.setenv(LEGACY_VARIABLE, "deprecated")
    assert config_from_args(parse_args([])).legacy == "deprecated" == SimulatorConfig().legacy
    with pytest.raises(SystemExit):
        parse_args(["--legacy", "gone"])
    with pytest.raises(ValueError):
        SimulatorConfig(legacy="gone")
