"""Browser tokens, rate limits, the generation cap, the monthly cap, test-only, and Idempotency-Key."""

import asyncio
import time

import pytest

from proxy.auth import new_key
from tests.proxy.conftest import proxy_settings, proxy_world
from tests.proxy.test_proxy_errors import check_error
from tests.proxy.test_proxy_wire import document_generate_body
from simulator import ANGELA_AVATAR_ID, MONICA_VOICE_ID

pytestmark = pytest.mark.e2e

GENERATE = document_generate_body(ANGELA_AVATAR_ID, MONICA_VOICE_ID)
BILLED = {"body": {**GENERATE["body"], "test": False}}


async def mint(world, key=None, **body):
    key = key or world.keys[("acme", "rw")]
    headers = {"Authorization": key if key.startswith("Bearer ") else f"Api-Key {key}"}
    return await world.request("POST", "/api/ai-proxy/orgs/acme/tokens/", json_body=body, headers=headers)


async def key_with(world, scopes, rpm=120) -> str:
    row, key = new_key("acme", scopes, rpm, None)
    await world.store.add_key(row)
    return key


async def test_a_minted_token_runs_the_documents_calls_from_a_browser(world):
    minted = await mint(world, scopes=["read", "generate"], ttl_seconds=600)

    assert minted.status == 201 and minted.body["expires_in"] == 600 and minted.body["scopes"] == ["generate", "read"]
    token = f"Bearer {minted.body['token']}"
    assert (await world.call("acme", "list-avatars", {}, key=token)).status == 200
    assert (await world.call("acme", "generate-video", GENERATE, key=token)).status == 200


async def test_a_token_cannot_mint_another(world):
    token = f"Bearer {(await mint(world)).body['token']}"

    check_error(await mint(world, key=token), 403, "tokens_cannot_mint")


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"ttl_seconds": 901}, 400, "ttl_seconds"),
        ({"ttl_seconds": 0}, 400, "ttl_seconds"),
        ({"scopes": ["admin"]}, 400, "scopes"),
        ({"scopes": "read"}, 400, "scopes"),
        ({"lifetime": 5}, 400, "lifetime"),
    ],
)
async def test_token_requests_are_bounded(world, body, status, field):
    answer = await mint(world, key=world.keys[("acme", "admin")], **body)

    assert answer.status == status and answer.error["field"] == field


async def test_a_token_cannot_carry_a_scope_its_key_lacks(world):
    check_error(await mint(world, key=world.keys[("acme", "read")], scopes=["generate"]), 403, "missing_scope")


async def test_a_read_token_cannot_generate(world):
    token = f"Bearer {(await mint(world, scopes=['read'])).body['token']}"

    check_error(await world.call("acme", "generate-video", GENERATE, key=token), 403, "missing_scope")


async def test_an_expired_token_is_401(world, monkeypatch):
    token = f"Bearer {(await mint(world, ttl_seconds=1)).body['token']}"
    later = time.time() + 5
    monkeypatch.setattr("proxy.auth.time.time", lambda: later)

    check_error(await world.call("acme", "list-templates", {}, key=token), 401, "token_expired")


async def test_revoking_the_minting_key_ends_its_tokens(world):
    key = world.keys[("acme", "rw")]
    token = f"Bearer {(await mint(world, key=key)).body['token']}"
    await world.store.revoke_key(key.split("_")[1])

    check_error(await world.call("acme", "list-templates", {}, key=token), 401, "key_revoked")


async def test_a_tampered_token_is_401(world):
    token = (await mint(world)).body["token"]
    body, signature = token.split(".")
    forged = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + signature

    assert (await world.call("acme", "list-templates", {}, key=f"Bearer {forged}")).status == 401


def mid_minute(world) -> None:
    """The limiter's clock stands still in the middle of a minute: no window boundary falls inside a test."""
    world.proxy.counters._clock = lambda: 60_000_030.0


async def test_the_per_key_rate_limit_answers_429_with_retry_after(world):
    mid_minute(world)
    key = await key_with(world, ["read"], rpm=3)

    answers = [await world.call("acme", "list-templates", {}, key=key) for _ in range(4)]

    assert [a.status for a in answers] == [200, 200, 200, 429]
    check_error(answers[-1], 429, "rate_limited")
    assert answers[-1].headers["Retry-After"] == "30"  # the rest of this minute
    assert (await world.call("acme", "list-templates", {}, key=world.keys[("acme", "read")])).status == 200


async def test_the_per_organisation_rate_limit_spans_its_keys(tmp_path, monkeypatch):
    async with proxy_world(tmp_path, monkeypatch, proxy_settings(tmp_path, org_rpm=4)) as world:
        mid_minute(world)
        statuses = [
            (await world.call("acme", "list-templates", {}, key=world.keys[("acme", k)])).status
            for k in ("rw", "read", "admin", "rw", "read")
        ]
        other = await world.call("globex", "list-templates", {})

    assert statuses == [200, 200, 200, 200, 429]
    assert other.status == 200


async def test_generations_beyond_the_concurrency_cap_are_429(tmp_path, monkeypatch):
    settings = proxy_settings(tmp_path, generation_concurrency=1)
    async with proxy_world(tmp_path, monkeypatch, settings) as world:
        world.sim.state.config.faults.latency_ms = 300
        first, second = await asyncio.gather(
            world.call("acme", "generate-video", GENERATE), world.call("acme", "generate-video", GENERATE)
        )
        statuses = sorted([first.status, second.status])
        world.sim.state.config.faults.latency_ms = 0
        after = await world.call("acme", "generate-video", GENERATE)

    assert statuses == [200, 429]
    assert after.status == 200  # the slot was given back


async def test_the_monthly_cap_counts_billed_generations_only(world):
    await world.store.set_org("acme", monthly_cap=1)

    first = await world.call("acme", "generate-video", BILLED)
    free = await world.call("acme", "generate-video", GENERATE)  # test mode is free
    second = await world.call("acme", "generate-video", BILLED)

    assert first.status == 200 and free.status == 200
    check_error(second, 429, "monthly_cap_reached")
    assert int(second.headers["Retry-After"]) > 0
    assert (await world.call("globex", "generate-video", BILLED)).status == 200


async def test_test_only_forces_heygens_free_test_mode_or_refuses(world):
    await world.store.set_org("acme", test_only=True)

    answer = await world.call("acme", "generate-video", BILLED)
    photo = await world.call("acme", "create-photo-avatar-video", {"body": {"image_key": "k", "video_title": "t"}})

    assert answer.status == 200 and world.sim.state.videos[answer.data["video_id"]].test is True
    check_error(photo, 403, "test_only")


async def test_the_same_idempotency_key_and_body_answer_the_first_answer(world):
    headers = {"Idempotency-Key": "order-42"}

    first = await world.call("acme", "generate-video", GENERATE, headers=headers)
    again = await world.call("acme", "generate-video", GENERATE, headers=headers)

    assert first.status == again.status == 200 and first.body == again.body
    assert world.videos_created == 1


async def test_an_idempotency_key_with_another_body_is_422(world):
    headers = {"Idempotency-Key": "order-43"}
    await world.call("acme", "generate-video", GENERATE, headers=headers)
    other = document_generate_body(ANGELA_AVATAR_ID, MONICA_VOICE_ID, "Another script")

    check_error(await world.call("acme", "generate-video", other, headers=headers), 422, "idempotency_key_reused")
    assert world.videos_created == 1


async def test_idempotency_keys_of_two_organisations_do_not_meet(world):
    headers = {"Idempotency-Key": "same"}

    acme = await world.call("acme", "generate-video", GENERATE, headers=headers)
    globex = await world.call("globex", "generate-video", GENERATE, headers=headers)

    assert acme.data["video_id"] != globex.data["video_id"]


async def test_a_second_call_while_the_first_runs_is_409(world):
    world.sim.state.config.faults.latency_ms = 300
    headers = {"Idempotency-Key": "slow"}

    first, second = await asyncio.gather(
        world.call("acme", "generate-video", GENERATE, headers=headers),
        world.call("acme", "generate-video", GENERATE, headers=headers),
    )

    assert sorted([first.status, second.status]) == [200, 409]
    assert world.videos_created == 1


async def test_a_new_minute_opens_a_new_window_and_idempotent_answers_expire_after_a_day():
    from proxy.limits import IDEMPOTENCY_SECONDS, MemoryCounters

    now = [120.0]
    counters = MemoryCounters(clock=lambda: now[0])
    assert [await counters.hit("k", 2) for _ in range(3)] == [None, None, 60.0]
    now[0] = 180.0
    assert await counters.hit("k", 2) is None

    assert await counters.claim("i", "fp") is None
    await counters.remember("i", "fp", 200, {"data": {}})
    assert (await counters.claim("i", "fp")).status == 200
    now[0] += IDEMPOTENCY_SECONDS + 1
    assert await counters.claim("i", "fp") is None  # a day later the key may be used afresh
