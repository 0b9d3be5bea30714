"""Avatar groups on HeyGen's v3 API at the wire: create_avatar_group, add_looks_to_group, train_avatar_group,
check_training_status, list_avatar_groups, list_avatars_in_group, get_photo_avatar_details, and the two
legacy-only actions (add_motion_to_avatar, add_sound_effect_to_avatar) once HeyGen no longer serves them.
"""

import json
import re

from heygen_actions.avatar_requests import part_key
from heygen_actions.cursor_pages import Cursor, encode
from tests.conftest import API, request_count, run_action, sent
from tests.helpers import check_request, data_of, error_of, split, v2, validation_error_of
from tests.v3_schemas import request_problems, response_problems

AVATARS = f"{API}/v3/avatars"
GROUPS = re.compile(r"^https://api\.heygen\.com/v3/avatars(\?.*)?$")
LOOKS = re.compile(r"^https://api\.heygen\.com/v3/avatars/looks(\?.*)?$")
GROUP_ID = "grp_7d1e"
GONE_PAGE = "<html><body>404 Not Found</body></html>"
PHOTO_URL = "https://example.com/photos/anna.jpg"


def group(status="processing", **extra) -> dict:
    return {"id": GROUP_ID, "name": "Sales team", "created_at": 1764700000, "looks_count": 1, "status": status, **extra}


def look(look_id="look_1", **extra) -> dict:
    return {
        "id": look_id,
        "name": "Sales team",
        "avatar_type": "photo_avatar",
        "group_id": GROUP_ID,
        "status": "processing",
        "preview_image_url": f"https://files.heygen.ai/look/{look_id}.webp",
        "default_voice_id": "voice_1",
        **extra,
    }


def look_out(look_id="look_1", created_at=None) -> dict:
    return {
        "id": look_id,
        "group_id": GROUP_ID,
        "name": "Sales team",
        "status": "processing",
        "image_url": f"https://files.heygen.ai/look/{look_id}.webp",
        "created_at": created_at,
        "is_motion": None,
        "motion_preview_url": None,
        "business_type": None,
        "upscaled": None,
        "background_sound_effect": None,
    }


def created(item, grp=None) -> dict:
    body = {"data": {"avatar_item": item, "avatar_group": grp}}
    assert response_problems("AvatarCreate", body) == []
    return body


def body_of(call) -> dict:
    body = json.loads(call[2]["data"])
    assert request_problems("AvatarCreate", body) == []
    return body


def paths(wire) -> list[str]:
    return [f"{method} {split(url)[2]}" for method, url, _ in sent(wire)]


# ---------------------------------------------------------------- create_avatar_group


async def test_create_avatar_group_from_an_image_url(v3, wire, auth):
    wire.post(AVATARS, payload=created(look(), group()))

    inputs = {"name": "Sales team", "image_url": PHOTO_URL, "idempotency_key": "run-1"}
    result = await run_action("create_avatar_group", inputs, auth=auth)

    assert data_of(result) == {"group_id": GROUP_ID, **look_out(created_at=1764700000)}
    (call,) = sent(wire)
    body = {"type": "photo", "name": "Sales team", "file": {"type": "url", "url": PHOTO_URL}}
    check_request(call, "POST", AVATARS, auth, body)
    assert body_of(call) == body and call[2]["headers"]["Idempotency-Key"] == "run-1"


async def test_create_avatar_group_from_an_asset_id(v3, wire):
    wire.post(AVATARS, payload=created(look(), group()))

    await run_action("create_avatar_group", {"name": "Sales team", "image_asset_id": "asset_9"})

    assert body_of(sent(wire)[0])["file"] == {"type": "asset_id", "asset_id": "asset_9"}


async def test_create_avatar_group_image_key_only_takes_the_legacy_route(v3, wire):
    wire.post(f"{API}/v2/photo_avatar/avatar_group/create", payload=v2({"id": GROUP_ID, "group_id": GROUP_ID}))

    result = data_of(await run_action("create_avatar_group", {"name": "Sales team", "image_key": "photo/a.jpg"}))

    assert result["group_id"] == GROUP_ID
    assert paths(wire) == ["POST /v2/photo_avatar/avatar_group/create"]


async def test_create_avatar_group_image_key_only_is_refused_once_legacy_is_gone(v3, wire):
    wire.post(f"{API}/v2/photo_avatar/avatar_group/create", status=404, body=GONE_PAGE, content_type="text/html")

    message = validation_error_of(await run_action("create_avatar_group", {"name": "Sales team", "image_key": "k"}))

    assert "image_key" in message and "image_url" in message and "image_asset_id" in message


async def test_create_avatar_group_needs_an_image(v3, wire):
    message = validation_error_of(await run_action("create_avatar_group", {"name": "Sales team"}))

    assert "image_key" in message and request_count(wire) == 0


async def test_create_avatar_group_refuses_two_images(v3, wire):
    inputs = {"name": "Sales team", "image_url": PHOTO_URL, "image_asset_id": "asset_9"}

    message = validation_error_of(await run_action("create_avatar_group", inputs))

    assert "not both" in message and request_count(wire) == 0


# ---------------------------------------------------------------- add_looks_to_group


async def test_add_looks_to_group_one_create_per_image_with_derived_keys(v3, wire, auth):
    wire.post(AVATARS, payload=created(look("look_1")))
    wire.post(AVATARS, payload=created(look("look_2")))
    inputs = {
        "group_id": GROUP_ID,
        "name": "Sales team",
        "image_urls": [PHOTO_URL],
        "image_asset_ids": ["asset_9"],
        "idempotency_key": "run-7",
    }

    result = await run_action("add_looks_to_group", inputs, auth=auth)

    assert data_of(result) == {
        "group_id": GROUP_ID,
        "photo_avatar_list": [look_out("look_1"), look_out("look_2")],
        "count": 2,
    }
    first, second = sent(wire)
    assert body_of(first) == {
        "type": "photo",
        "name": "Sales team",
        "file": {"type": "url", "url": PHOTO_URL},
        "avatar_group_id": GROUP_ID,
    }
    assert body_of(second)["file"] == {"type": "asset_id", "asset_id": "asset_9"}
    keys = [first[2]["headers"]["Idempotency-Key"], second[2]["headers"]["Idempotency-Key"]]
    assert keys == ["run-7", part_key("run-7", 1)] and keys[0] != keys[1]
    assert part_key("run-7", 1) == part_key("run-7", 1)  # a rerun resends the same keys


async def test_add_looks_to_group_names_the_looks_already_added_when_one_fails(v3, wire):
    wire.post(AVATARS, payload=created(look("look_1")))
    wire.post(AVATARS, status=400, payload={"error": {"code": "invalid_parameter", "message": "Image too small"}})

    inputs = {"group_id": GROUP_ID, "name": "Sales team", "image_urls": [PHOTO_URL, PHOTO_URL + "?2"]}
    message = error_of(await run_action("add_looks_to_group", inputs))

    assert "image 2 failed after 1 look(s) were added (look_1)" in message and "Image too small" in message


async def test_add_looks_to_group_image_keys_take_the_legacy_route(v3, wire):
    wire.post(f"{API}/v2/photo_avatar/avatar_group/add", payload=v2({"photo_avatar_list": [{"id": "look_k"}]}))

    inputs = {"group_id": GROUP_ID, "name": "Sales team", "image_keys": ["photo/a.jpg"]}
    result = data_of(await run_action("add_looks_to_group", inputs))

    assert [item["id"] for item in result["photo_avatar_list"]] == ["look_k"]
    assert json.loads(sent(wire)[0][2]["data"]) == {
        "group_id": GROUP_ID,
        "image_keys": ["photo/a.jpg"],
        "name": "Sales team",
    }


# ---------------------------------------------------------------- training


def training(status: str, raw: str | None, error=None) -> dict:
    return {
        "group_id": GROUP_ID,
        "status": status,
        "raw_status": raw,
        "error": error,
        "created_at": 1764700000,
        "updated_at": None,
    }


async def test_train_avatar_group_on_v3_only_reads_the_groups_status(v3, wire, auth):
    body = {"data": group("processing")}
    assert response_problems("AvatarGet", body) == []
    wire.get(f"{AVATARS}/{GROUP_ID}", payload=body)

    result = await run_action("train_avatar_group", {"group_id": GROUP_ID}, auth=auth)

    assert data_of(result) == {**training("processing", "processing"), "flow_id": None, "timed_out": False}
    (call,) = sent(wire)
    check_request(call, "GET", f"{AVATARS}/{GROUP_ID}", auth)  # nothing is started: v3 trains by itself


async def test_train_avatar_group_waits_for_the_group(v3, wire):
    wire.get(f"{AVATARS}/{GROUP_ID}", payload={"data": group("processing")})
    wire.get(f"{AVATARS}/{GROUP_ID}", payload={"data": group("completed")})

    result = await run_action("train_avatar_group", {"group_id": GROUP_ID, "wait_for_completion": True})

    assert data_of(result)["status"] == "completed"
    assert paths(wire) == [f"GET /v3/avatars/{GROUP_ID}"] * 2


async def test_check_training_status_statuses_and_failure(v3, wire):
    failed = group("failed", error={"code": "training_failed", "message": "Too few photos"})
    for answer in (group("pending_consent"), group("completed"), failed):
        wire.get(f"{AVATARS}/{GROUP_ID}", payload={"data": answer})

    results = [data_of(await run_action("check_training_status", {"group_id": GROUP_ID})) for _ in range(3)]

    assert [(r["status"], r["raw_status"]) for r in results] == [
        ("processing", "pending_consent"),
        ("completed", "completed"),
        ("failed", "failed"),
    ]
    assert results[2]["error"] == {"code": "training_failed", "message": "Too few photos", "detail": None}


async def test_train_avatar_group_legacy_route_when_v3_is_not_served(v3, wire):
    wire.get(f"{AVATARS}/{GROUP_ID}", status=404, body=GONE_PAGE, content_type="text/html")
    wire.post(f"{API}/v2/photo_avatar/train", payload=v2({"flow_id": "flow-1"}))

    result = data_of(await run_action("train_avatar_group", {"group_id": GROUP_ID}))

    assert (result["status"], result["flow_id"]) == ("pending", "flow-1")
    assert paths(wire) == [f"GET /v3/avatars/{GROUP_ID}", "POST /v2/photo_avatar/train"]


# ---------------------------------------------------------------- motion and sound effects: legacy only


async def test_add_motion_once_legacy_is_gone_points_at_motion_prompt(v3, wire):
    wire.post(f"{API}/v2/photo_avatar/add_motion", status=404, body=GONE_PAGE, content_type="text/html")

    message = error_of(await run_action("add_motion_to_avatar", {"id": "look_1"}))

    assert "no longer serves POST /v2/photo_avatar/add_motion" in message
    assert "motion_prompt on create_avatar_video or create_photo_avatar_video" in message


async def test_add_motion_still_works_where_legacy_is_served(v3, wire):
    wire.post(f"{API}/v2/photo_avatar/add_motion", payload=v2({"id": "motion_1"}))

    result = data_of(await run_action("add_motion_to_avatar", {"id": "look_1", "prompt": "wave"}))

    assert (result["id"], result["status"]) == ("motion_1", "pending")


async def test_add_sound_effect_once_legacy_is_gone_says_v3_has_none(v3, wire):
    wire.post(f"{API}/v2/photo_avatar/add_sound_effect", status=410, body="gone")

    message = error_of(await run_action("add_sound_effect_to_avatar", {"id": "motion_1"}))

    assert "no sound effects" in message


# ---------------------------------------------------------------- listing groups and looks, details


def groups_page(count: int, start: int = 0, next_token=None) -> dict:
    items = [{**group(), "id": f"grp_{i}", "name": f"Group {i}"} for i in range(start, start + count)]
    body = {"data": items, "has_more": next_token is not None, "next_token": next_token}
    assert response_problems("AvatarList", body) == []
    return body


async def test_list_avatar_groups_private_by_default_and_paged_here(v3, wire, auth):
    wire.get(GROUPS, payload=groups_page(50, next_token="g2"))

    result = data_of(await run_action("list_avatar_groups", {"page": 2, "limit": 20}, auth=auth))

    assert [g["id"] for g in result["avatar_group_list"]] == [f"grp_{i}" for i in range(20, 40)]
    assert result["avatar_group_list"][0] == {
        "id": "grp_20",
        "name": "Group 20",
        "created_at": 1764700000,
        "num_looks": 1,
        "preview_image": None,
        "group_type": None,
        "train_status": "processing",
        "default_voice_id": None,
    }
    assert (result["total_count"], result["has_more"]) == (None, True)
    assert result["next_page_token"] == encode(Cursor(page=3, skip=40))
    check_request(sent(wire)[0], "GET", f"{AVATARS}?ownership=private&limit=50", auth)


async def test_list_avatar_groups_include_public_lists_both_and_counts_a_whole_list(v3, wire):
    wire.get(GROUPS, payload=groups_page(3))

    result = data_of(await run_action("list_avatar_groups", {"include_public": True}))

    assert (result["total_count"], result["has_more"], result["next_page_token"]) == (3, False, None)
    assert split(sent(wire)[0][1])[3] == [("limit", "50")]


async def test_list_avatars_in_group_reads_every_page(v3, wire, auth):
    first = {"data": [look("look_1")], "has_more": True, "next_token": "p2"}
    second = {"data": [look("look_2")], "has_more": False, "next_token": None}
    assert response_problems("AvatarLooksList", first) == [] == response_problems("AvatarLooksList", second)
    wire.get(LOOKS, payload=first)
    wire.get(LOOKS, payload=second)

    result = await run_action("list_avatars_in_group", {"group_id": GROUP_ID}, auth=auth)

    assert data_of(result) == {
        "group_id": GROUP_ID,
        "avatar_list": [
            {**look_out("look_1"), "default_voice_id": "voice_1"},
            {**look_out("look_2"), "default_voice_id": "voice_1"},
        ],
        "count": 2,
        "has_more": False,
        "next_page_token": None,
    }
    assert [split(url)[3] for _, url, _ in sent(wire)] == [
        [("group_id", GROUP_ID), ("limit", "50")],
        [("group_id", GROUP_ID), ("limit", "50"), ("token", "p2")],
    ]


async def test_get_photo_avatar_details_reads_the_look(v3, wire, auth):
    wire.get(f"{API}/v3/avatars/looks/look_1", payload={"data": look("look_1", status="completed")})

    result = data_of(await run_action("get_photo_avatar_details", {"id": "look_1"}, auth=auth))

    assert result == {**look_out("look_1"), "status": "completed"}
    check_request(sent(wire)[0], "GET", f"{API}/v3/avatars/looks/look_1", auth)
