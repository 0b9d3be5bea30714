"""Photo-avatar generation on HeyGen's v3 API at the wire: generate_photo_avatar, generate_avatar_look and
check_generation_status (POST /v3/avatars type prompt; the generation is the new look).

Every body sent passes HeyGen's request schema; every faked answer passes its response schema. Where the
inputs cannot be said on v3, the legacy route is used while HeyGen serves it, and a clear refusal follows
once it does not.
"""

import asyncio
import json
import re

from heygen_actions.avatar_requests import PROMPT_LIMIT
from tests.conftest import API, request_count, run_action, sent
from tests.helpers import check_request, data_of, error_of, split, v2, validation_error_of
from tests.v3_schemas import request_problems, response_problems

AVATARS = f"{API}/v3/avatars"
LOOKS = re.compile(r"^https://api\.heygen\.com/v3/avatars/looks(\?.*)?$")
GROUP_ID = "grp_7d1e"
LOOK_ID = "look_91ab"
GONE_PAGE = "<html><body>404 Not Found</body></html>"

GENERATE_INPUTS = {
    "name": "CEO Avatar",
    "age": "Early Middle Age",
    "gender": "Woman",
    "ethnicity": "South East Asian",
    "orientation": "square",
    "pose": "half_body",
    "style": "Realistic",
    "appearance": "Professional executive in a navy suit, confident smile, modern office",
}
FOLDED = (
    "Woman, Early Middle Age, South East Asian, Realistic style, half-body shot, square framing. "
    "Professional executive in a navy suit, confident smile, modern office"
)
LOOK_INPUTS = {
    "group_id": GROUP_ID,
    "prompt": "Wearing a white lab coat in a bright laboratory",
    "orientation": "vertical",
    "pose": "close_up",
    "style": "Cinematic",
}


def new_look(status="processing", **extra) -> dict:
    return {
        "id": LOOK_ID,
        "name": "CEO Avatar",
        "avatar_type": "photo_avatar",
        "group_id": GROUP_ID,
        "status": status,
        "preview_image_url": "https://files.heygen.ai/look/91ab.webp",
        **extra,
    }


def created(look=None, group=None) -> dict:
    body = {"data": {"avatar_item": look or new_look(), "avatar_group": group}}
    assert response_problems("AvatarCreate", body) == []
    return body


def generation(status: str, raw: str | None, image_urls=None, error=None) -> dict:
    return {
        "generation_id": LOOK_ID,
        "status": status,
        "raw_status": raw,
        "error": error,
        "image_urls": image_urls,
        "image_keys": None,
        "timed_out": False,
    }


def body_of(call) -> dict:
    body = json.loads(call[2]["data"])
    assert request_problems("AvatarCreate", body) == []
    return body


# ---------------------------------------------------------------- generate_photo_avatar


async def test_generate_photo_avatar_folds_the_attributes_into_the_prompt(v3, wire, auth):
    wire.post(AVATARS, payload=created())

    result = await run_action(
        "generate_photo_avatar", {**GENERATE_INPUTS, "idempotency_key": "run-42:step-3"}, auth=auth
    )

    assert data_of(result) == generation("processing", "processing", ["https://files.heygen.ai/look/91ab.webp"])
    (call,) = sent(wire)
    body = {"type": "prompt", "name": "CEO Avatar", "prompt": FOLDED}
    check_request(call, "POST", AVATARS, auth, body)
    assert body_of(call) == body
    assert call[2]["headers"]["Idempotency-Key"] == "run-42:step-3"


async def test_generate_photo_avatar_unspecified_attributes_are_left_out(v3, wire):
    wire.post(AVATARS, payload=created())
    inputs = {**GENERATE_INPUTS, "age": "Unspecified", "ethnicity": "Unspecified", "style": "Unspecified"}

    await run_action("generate_photo_avatar", inputs)

    prompt = body_of(sent(wire)[0])["prompt"]
    assert prompt == "Woman, half-body shot, square framing. " + GENERATE_INPUTS["appearance"]


async def test_generate_photo_avatar_same_output_shape_on_the_legacy_route(v3, wire, monkeypatch):
    wire.post(AVATARS, payload=created(new_look(status=None)))
    on_v3 = data_of(await run_action("generate_photo_avatar", GENERATE_INPUTS))

    monkeypatch.setenv("HEYGEN_API_VERSION", "legacy")
    wire.post(f"{API}/v2/photo_avatar/photo/generate", payload=v2({"generation_id": LOOK_ID}))
    on_legacy = data_of(await run_action("generate_photo_avatar", GENERATE_INPUTS))

    assert on_legacy == generation("pending", None)
    assert on_v3 == generation("pending", None, ["https://files.heygen.ai/look/91ab.webp"])
    legacy_call = sent(wire)[1]
    assert split(legacy_call[1])[2] == "/v2/photo_avatar/photo/generate"
    assert json.loads(legacy_call[2]["data"]) == GENERATE_INPUTS
    assert "Idempotency-Key" not in legacy_call[2]["headers"]  # v1/v2 have no idempotency


async def test_generate_photo_avatar_too_long_for_v3_takes_the_legacy_route(v3, wire):
    long_inputs = {**GENERATE_INPUTS, "appearance": "x" * 1000}
    wire.post(f"{API}/v2/photo_avatar/photo/generate", payload=v2({"generation_id": "gen-legacy"}))

    result = await run_action("generate_photo_avatar", long_inputs)

    assert data_of(result)["generation_id"] == "gen-legacy"
    assert [split(url)[2] for _, url, _ in sent(wire)] == ["/v2/photo_avatar/photo/generate"]


async def test_generate_photo_avatar_too_long_is_refused_once_legacy_is_gone(v3, wire):
    wire.post(f"{API}/v2/photo_avatar/photo/generate", status=404, body=GONE_PAGE, content_type="text/html")

    message = validation_error_of(
        await run_action("generate_photo_avatar", {**GENERATE_INPUTS, "appearance": "x" * 1000})
    )

    over = len(FOLDED) - len(GENERATE_INPUTS["appearance"]) + 1000 - PROMPT_LIMIT
    assert "appearance" in message and f"at most {PROMPT_LIMIT}" in message and f"by {over} characters" in message
    assert request_count(wire) == 1  # nothing reached v3


async def test_generate_photo_avatar_callback_is_refused_on_v3(v3, wire):
    wire.post(f"{API}/v2/photo_avatar/photo/generate", status=410, body="gone")

    inputs = {**GENERATE_INPUTS, "callback_url": "https://example.com/hook"}
    message = validation_error_of(await run_action("generate_photo_avatar", inputs))

    assert "callback_url" in message and "check_generation_status" in message


async def test_generate_photo_avatar_waits_on_the_look(v3, wire):
    wire.post(AVATARS, payload=created())
    done = {"data": new_look(status="completed")}
    assert response_problems("AvatarLooksGet", done) == []
    wire.get(f"{API}/v3/avatars/looks/{LOOK_ID}", payload={"data": new_look()})
    wire.get(f"{API}/v3/avatars/looks/{LOOK_ID}", payload=done)

    result = await run_action("generate_photo_avatar", {**GENERATE_INPUTS, "wait_for_completion": True})

    assert data_of(result) == generation("completed", "completed", ["https://files.heygen.ai/look/91ab.webp"])
    assert request_count(wire) == 3


async def test_generate_photo_avatar_answer_without_a_look_is_an_error(v3, wire):
    wire.post(AVATARS, payload={"data": {"avatar_item": None, "avatar_group": None}})

    message = error_of(await run_action("generate_photo_avatar", GENERATE_INPUTS))

    assert "no id" in message


# ---------------------------------------------------------------- check_generation_status


async def test_check_generation_status_reads_the_look(v3, wire, auth):
    wire.get(f"{API}/v3/avatars/looks/{LOOK_ID}", payload={"data": new_look(status="completed")})

    result = await run_action("check_generation_status", {"generation_id": LOOK_ID}, auth=auth)

    assert data_of(result) == generation("completed", "completed", ["https://files.heygen.ai/look/91ab.webp"])
    check_request(sent(wire)[0], "GET", f"{API}/v3/avatars/looks/{LOOK_ID}", auth)


async def test_check_generation_status_failed_look_carries_its_reason(v3, wire):
    failed = new_look(status="failed", error={"code": "face_not_found", "message": "No face found"})
    wire.get(f"{API}/v3/avatars/looks/{LOOK_ID}", payload={"data": failed})

    result = data_of(await run_action("check_generation_status", {"generation_id": LOOK_ID}))

    assert result["status"] == "failed"
    assert result["error"] == {"code": "face_not_found", "message": "No face found", "detail": None}


async def test_check_generation_status_unknown_id_explains_v3_generation_ids(v3, wire):
    error = {"error": {"code": "avatar_not_found", "message": "Avatar not found"}}
    wire.get(f"{API}/v3/avatars/looks/gen-old", status=404, payload=error)

    message = error_of(await run_action("check_generation_status", {"generation_id": "gen-old"}))

    assert "HeyGen 404 (avatar_not_found)" in message
    assert "generation_id is the new look's id" in message


async def test_check_generation_status_legacy_route_when_preferred(wire):
    wire.get(f"{API}/v2/photo_avatar/generation/{LOOK_ID}", payload=v2({"status": "in_progress"}))

    result = data_of(await run_action("check_generation_status", {"generation_id": LOOK_ID}))

    assert (result["status"], result["raw_status"]) == ("processing", "in_progress")


# ---------------------------------------------------------------- generate_avatar_look


async def test_generate_avatar_look_with_a_named_base_look(v3, wire, auth):
    wire.post(AVATARS, payload=created())
    inputs = {**LOOK_INPUTS, "avatar_id": "look_base", "name": "Lab", "idempotency_key": "k-1"}

    result = await run_action("generate_avatar_look", inputs, auth=auth)

    assert data_of(result) == generation("processing", "processing", ["https://files.heygen.ai/look/91ab.webp"])
    (call,) = sent(wire)
    assert body_of(call) == {
        "type": "prompt",
        "name": "Lab",
        "prompt": "close-up, portrait framing, Cinematic style. Wearing a white lab coat in a bright laboratory",
        "avatar_id": "look_base",
        "avatar_group_id": GROUP_ID,
    }
    assert call[2]["headers"]["Idempotency-Key"] == "k-1"


async def test_generate_avatar_look_bases_it_on_the_groups_first_look(v3, wire):
    first = {
        "data": [{"id": "look_first", "name": "First", "avatar_type": "photo_avatar"}],
        "has_more": True,
        "next_token": "t",
    }
    assert response_problems("AvatarLooksList", first) == []
    wire.get(LOOKS, payload=first)
    wire.post(AVATARS, payload=created())

    await run_action("generate_avatar_look", LOOK_INPUTS)

    listing, create = sent(wire)
    assert split(listing[1])[2:] == ("/v3/avatars/looks", [("group_id", GROUP_ID), ("limit", "50")])
    body = body_of(create)
    assert (body["avatar_id"], body["name"]) == ("look_first", LOOK_INPUTS["prompt"])


async def test_generate_avatar_look_group_without_looks_is_refused_once_legacy_is_gone(v3, wire):
    wire.get(LOOKS, payload={"data": [], "has_more": False, "next_token": None})
    wire.post(f"{API}/v2/photo_avatar/look/generate", status=404, body=GONE_PAGE, content_type="text/html")

    message = validation_error_of(await run_action("generate_avatar_look", LOOK_INPUTS))

    assert "avatar_id" in message and "list_avatars_in_group" in message


async def test_generate_avatar_look_on_legacy_sends_no_look_lookup(wire):
    wire.post(f"{API}/v2/photo_avatar/look/generate", payload=v2({"generation_id": "gen-1"}))

    result = data_of(await run_action("generate_avatar_look", LOOK_INPUTS))

    assert result["generation_id"] == "gen-1"
    (call,) = sent(wire)
    assert json.loads(call[2]["data"]) == LOOK_INPUTS


# ---------------------------------------------------------------- safe resends of a create


async def test_a_create_whose_answer_timed_out_is_resent_with_the_same_key(v3, wire):
    wire.post(AVATARS, exception=asyncio.TimeoutError())
    wire.post(AVATARS, payload=created())  # HeyGen replays the first create's answer for the same key

    result = await run_action("generate_photo_avatar", GENERATE_INPUTS)

    assert data_of(result)["generation_id"] == LOOK_ID
    keys = [call[2]["headers"]["Idempotency-Key"] for call in sent(wire)]
    assert len(keys) == 2 and keys[0] == keys[1]


async def test_a_create_still_in_progress_is_waited_for(v3, wire):
    in_progress = {"error": {"code": "request_in_progress", "message": "Still working on it"}}
    wire.post(AVATARS, status=409, payload=in_progress, headers={"Retry-After": "0"})
    wire.post(AVATARS, payload=created())

    result = await run_action(
        "generate_avatar_look", {**LOOK_INPUTS, "avatar_id": "look_base", "idempotency_key": "k-9"}
    )

    assert data_of(result)["generation_id"] == LOOK_ID
    assert [call[2]["headers"]["Idempotency-Key"] for call in sent(wire)] == ["k-9", "k-9"]
