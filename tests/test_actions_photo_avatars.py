"""Photo-avatar actions at the wire: the exact request HeyGen receives and the flat output returned."""

import functools
import json

import pytest

from heygen_actions.cursor_pages import Cursor, encode
from tests import helpers
from tests.conftest import API, OAUTH_AUTH, request_count, run_action, sent
from tests.helpers import check_request, data_of, v2

GENERATION_ID = "0b5e7c2a9d4f41b3a6c8e0f2d4b6a8c0"
GROUP_ID = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
LOOK_ID = "f1e2d3c4b5a697887766554433221100"
MOTION_ID = "9d8c7b6a5f4e3d2c1b0a998877665544"
GENERATION_URL = f"{API}/v2/photo_avatar/generation/{GENERATION_ID}"
TRAIN_STATUS_URL = f"{API}/v2/photo_avatar/train/status/{GROUP_ID}"
MOTION_URL = f"{API}/v2/photo_avatar/{MOTION_ID}"

IMAGE_URLS = [
    "https://resource.heygen.ai/photo_generation/a.jpg",
    "https://resource.heygen.ai/photo_generation/b.jpg",
]
IMAGE_KEYS = ["photo_generation/a.jpg", "photo_generation/b.jpg"]
NO_MORE = {"has_more": False, "next_page_token": None}  # list outputs' paging: a whole list in one page

GENERATION_PENDING = {
    "generation_id": GENERATION_ID,
    "status": "pending",
    "raw_status": None,
    "error": None,
    "image_urls": None,
    "image_keys": None,
    "timed_out": False,
}
GENERATION_DONE = {
    "generation_id": GENERATION_ID,
    "status": "completed",
    "raw_status": "success",
    "error": None,
    "image_urls": IMAGE_URLS,
    "image_keys": IMAGE_KEYS,
    "timed_out": False,
}
TRAINING_PENDING = {
    "group_id": GROUP_ID,
    "status": "pending",
    "raw_status": None,
    "error": None,
    "created_at": None,
    "updated_at": None,
    "timed_out": False,
}
MOTION_PENDING = {
    "id": MOTION_ID,
    "status": "pending",
    "raw_status": None,
    "error": None,
    "motion_preview_url": None,
    "timed_out": False,
}

# HeyGen's photo-avatar object, as documented, and the flat output the actions make of it.
PHOTO_AVATAR = {
    "id": LOOK_ID,
    "image_url": "https://resource.heygen.ai/photo_avatar/look.jpg",
    "created_at": 1731401234.567,
    "name": "CEO Avatar",
    "status": "completed",
    "group_id": GROUP_ID,
    "is_motion": False,
    "motion_preview_url": None,
    "business_type": "generated",
    "upscale_availability": {"available": True, "reason": None},
    "upscaled": False,
    "background_sound_effect": None,
}
PHOTO_AVATAR_OUT = {
    "id": LOOK_ID,
    "group_id": GROUP_ID,
    "name": "CEO Avatar",
    "status": "completed",
    "image_url": "https://resource.heygen.ai/photo_avatar/look.jpg",
    "created_at": 1731401234.567,
    "is_motion": False,
    "motion_preview_url": None,
    "business_type": "generated",
    "upscaled": False,
    "background_sound_effect": None,
}
PHOTO_AVATAR_NONE = {field: None for field in PHOTO_AVATAR_OUT}

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
LOOK_INPUTS = {
    "group_id": GROUP_ID,
    "prompt": "Wearing a white lab coat in a bright laboratory",
    "orientation": "vertical",
    "pose": "close_up",
    "style": "Cinematic",
}


# As these tests always were: their failure messages are not checked for credentials (test_errors checks that).
error_of = functools.partial(helpers.error_of, check_secrets=False)


# ---------------------------------------------------------------- generate_photo_avatar


async def test_generate_photo_avatar_sends_every_field(wire, auth):
    inputs = {**GENERATE_INPUTS, "callback_url": "https://hooks.example.com/gen", "callback_id": "gen-7"}
    wire.post(f"{API}/v2/photo_avatar/photo/generate", payload=v2({"generation_id": GENERATION_ID}))

    result = await run_action("generate_photo_avatar", inputs, auth=auth)

    assert data_of(result) == GENERATION_PENDING
    (call,) = sent(wire)
    check_request(call, "POST", f"{API}/v2/photo_avatar/photo/generate", auth, inputs)


@pytest.mark.parametrize("ethnicity", ["Hispanic", "Pacific"])
async def test_generate_photo_avatar_sends_the_other_ethnicity_spelling_as_given(wire, ethnicity):
    wire.post(f"{API}/v2/photo_avatar/photo/generate", payload=v2({"generation_id": GENERATION_ID}))

    await run_action("generate_photo_avatar", {**GENERATE_INPUTS, "ethnicity": ethnicity})

    (call,) = sent(wire)
    assert json.loads(call[2]["data"])["ethnicity"] == ethnicity


async def test_generate_photo_avatar_waits_until_success(wire, auth):
    wire.post(f"{API}/v2/photo_avatar/photo/generate", payload=v2({"generation_id": GENERATION_ID}))
    wire.get(GENERATION_URL, payload=v2({"id": GENERATION_ID, "status": "in_progress", "msg": None}))
    wire.get(GENERATION_URL, payload=v2({"id": GENERATION_ID, "status": "in_progress", "msg": None}))
    done = {"id": GENERATION_ID, "status": "success", "msg": None, "image_url_list": IMAGE_URLS}
    wire.get(GENERATION_URL, payload=v2({**done, "image_key_list": IMAGE_KEYS}))

    result = await run_action("generate_photo_avatar", {**GENERATE_INPUTS, "wait_for_completion": True}, auth=auth)

    assert data_of(result) == GENERATION_DONE
    calls = sent(wire)
    assert len(calls) == 4
    check_request(calls[0], "POST", f"{API}/v2/photo_avatar/photo/generate", auth, GENERATE_INPUTS)
    for call in calls[1:]:
        check_request(call, "GET", GENERATION_URL, auth)


async def test_generate_photo_avatar_failed_generation_is_an_error_with_id_and_reason(wire):
    wire.post(f"{API}/v2/photo_avatar/photo/generate", payload=v2({"generation_id": GENERATION_ID}))
    wire.get(GENERATION_URL, payload=v2({"id": GENERATION_ID, "status": "in_progress", "msg": None}))
    failed = {"id": GENERATION_ID, "status": "failed", "msg": "The appearance violates the content policy"}
    wire.get(GENERATION_URL, payload=v2({**failed, "image_url_list": None, "image_key_list": None}))

    result = await run_action("generate_photo_avatar", {**GENERATE_INPUTS, "wait_for_completion": True})

    assert error_of(result) == (
        f"generate_photo_avatar failed: job {GENERATION_ID} ended as failed: "
        "The appearance violates the content policy."
    )
    assert request_count(wire) == 3


async def test_generate_photo_avatar_wait_timeout_is_not_an_error(wire, virtual_clock):
    wire.post(f"{API}/v2/photo_avatar/photo/generate", payload=v2({"generation_id": GENERATION_ID}))
    wire.get(GENERATION_URL, payload=v2({"id": GENERATION_ID, "status": "in_progress"}), repeat=True)

    inputs = {**GENERATE_INPUTS, "wait_for_completion": True, "timeout_seconds": 10}
    result = await run_action("generate_photo_avatar", inputs)

    assert data_of(result) == {
        **GENERATION_PENDING,
        "status": "processing",
        "raw_status": "in_progress",
        "timed_out": True,
    }
    assert request_count(wire) == 4
    assert virtual_clock["sleeps"] == [4.0, 4.0, 2.0]


# ---------------------------------------------------------------- check_generation_status


async def test_check_generation_status_success(wire, auth):
    done = {"id": GENERATION_ID, "status": "success", "msg": None, "image_url_list": IMAGE_URLS}
    wire.get(GENERATION_URL, payload=v2({**done, "image_key_list": IMAGE_KEYS}))

    result = await run_action("check_generation_status", {"generation_id": GENERATION_ID}, auth=auth)

    assert data_of(result) == GENERATION_DONE
    (call,) = sent(wire)
    check_request(call, "GET", GENERATION_URL, auth)


async def test_check_generation_status_in_progress_with_missing_fields(wire):
    wire.get(GENERATION_URL, payload=v2({"status": "in_progress"}))

    result = await run_action("check_generation_status", {"generation_id": GENERATION_ID})

    assert data_of(result) == {**GENERATION_PENDING, "status": "processing", "raw_status": "in_progress"}


async def test_check_generation_status_failed_carries_the_reason(wire):
    wire.get(GENERATION_URL, payload=v2({"id": GENERATION_ID, "status": "failed", "msg": "No face found"}))

    result = await run_action("check_generation_status", {"generation_id": GENERATION_ID})

    assert data_of(result) == {
        **GENERATION_PENDING,
        "status": "failed",
        "raw_status": "failed",
        "error": {"code": None, "message": "No face found", "detail": None},
    }


async def test_check_generation_status_unknown_status_is_processing(wire):
    wire.get(GENERATION_URL, payload=v2({"id": GENERATION_ID, "status": "queued_for_gpu"}))

    result = await run_action("check_generation_status", {"generation_id": GENERATION_ID})

    assert data_of(result) == {**GENERATION_PENDING, "status": "processing", "raw_status": "queued_for_gpu"}


async def test_check_generation_status_escapes_the_id_in_the_path(wire):
    wire.get(f"{API}/v2/photo_avatar/generation/..%2Fvoices", payload=v2({"status": "in_progress"}))

    result = await run_action("check_generation_status", {"generation_id": "../voices"})

    assert data_of(result)["generation_id"] == "../voices"
    (call,) = sent(wire)
    assert call[1] == f"{API}/v2/photo_avatar/generation/..%2Fvoices"


async def test_check_generation_status_waits_until_success(wire):
    wire.get(GENERATION_URL, payload=v2({"id": GENERATION_ID, "status": "in_progress"}))
    done = {"id": GENERATION_ID, "status": "success", "msg": None, "image_url_list": IMAGE_URLS}
    wire.get(GENERATION_URL, payload=v2({**done, "image_key_list": IMAGE_KEYS}))

    result = await run_action("check_generation_status", {"generation_id": GENERATION_ID, "wait_for_completion": True})

    assert data_of(result) == GENERATION_DONE
    assert request_count(wire) == 2


# ---------------------------------------------------------------- create_avatar_group


async def test_create_avatar_group(wire, auth):
    inputs = {"name": "Sales team", "image_key": IMAGE_KEYS[0], "generation_id": GENERATION_ID}
    created = {**PHOTO_AVATAR, "id": GROUP_ID, "name": "Sales team", "status": "pending"}
    wire.post(f"{API}/v2/photo_avatar/avatar_group/create", payload=v2(created))

    result = await run_action("create_avatar_group", inputs, auth=auth)

    assert data_of(result) == {
        **PHOTO_AVATAR_OUT,
        "group_id": GROUP_ID,
        "id": GROUP_ID,
        "name": "Sales team",
        "status": "pending",
    }
    (call,) = sent(wire)
    check_request(call, "POST", f"{API}/v2/photo_avatar/avatar_group/create", auth, inputs)


async def test_create_avatar_group_without_group_id_uses_id_and_missing_fields_are_none(wire):
    wire.post(f"{API}/v2/photo_avatar/avatar_group/create", payload=v2({"id": GROUP_ID}))

    result = await run_action("create_avatar_group", {"name": "Sales team", "image_key": IMAGE_KEYS[0]})

    assert data_of(result) == {**PHOTO_AVATAR_NONE, "group_id": GROUP_ID, "id": GROUP_ID}
    (call,) = sent(wire)
    assert json.loads(call[2]["data"]) == {"name": "Sales team", "image_key": IMAGE_KEYS[0]}


# ---------------------------------------------------------------- add_looks_to_group


async def test_add_looks_to_group(wire, auth):
    inputs = {"group_id": GROUP_ID, "image_keys": IMAGE_KEYS, "name": "Office", "generation_id": GENERATION_ID}
    second = {**PHOTO_AVATAR, "id": "look-2", "image_url": "https://resource.heygen.ai/photo_avatar/b.jpg"}
    wire.post(f"{API}/v2/photo_avatar/avatar_group/add", payload=v2({"photo_avatar_list": [PHOTO_AVATAR, second]}))

    result = await run_action("add_looks_to_group", inputs, auth=auth)

    assert data_of(result) == {
        "group_id": GROUP_ID,
        "photo_avatar_list": [
            PHOTO_AVATAR_OUT,
            {**PHOTO_AVATAR_OUT, "id": "look-2", "image_url": "https://resource.heygen.ai/photo_avatar/b.jpg"},
        ],
        "count": 2,
    }
    (call,) = sent(wire)
    check_request(call, "POST", f"{API}/v2/photo_avatar/avatar_group/add", auth, inputs)


async def test_add_looks_to_group_with_sparse_looks(wire):
    wire.post(f"{API}/v2/photo_avatar/avatar_group/add", payload=v2({"photo_avatar_list": [{"id": LOOK_ID}]}))

    result = await run_action("add_looks_to_group", {"group_id": GROUP_ID, "image_keys": ["k1"], "name": "Office"})

    assert data_of(result) == {
        "group_id": GROUP_ID,
        "photo_avatar_list": [{**PHOTO_AVATAR_NONE, "id": LOOK_ID}],
        "count": 1,
    }


# ---------------------------------------------------------------- train_avatar_group / check_training_status


@pytest.mark.parametrize(
    ("answer", "flow_id"), [({}, None), ({"flow_id": "flow_123"}, "flow_123")], ids=["ack", "flow"]
)
async def test_train_avatar_group(wire, auth, answer, flow_id):
    wire.post(f"{API}/v2/photo_avatar/train", payload=v2(answer))

    result = await run_action("train_avatar_group", {"group_id": GROUP_ID}, auth=auth)

    assert data_of(result) == {**TRAINING_PENDING, "flow_id": flow_id}
    (call,) = sent(wire)
    check_request(call, "POST", f"{API}/v2/photo_avatar/train", auth, {"group_id": GROUP_ID})


async def test_train_avatar_group_waits_until_ready(wire, auth):
    wire.post(f"{API}/v2/photo_avatar/train", payload=v2({}))
    wire.get(TRAIN_STATUS_URL, payload=v2({"status": "pending", "error_msg": None}))
    wire.get(TRAIN_STATUS_URL, payload=v2({"status": "training", "error_msg": None}))
    ready = {"status": "ready", "error_msg": None, "created_at": 1731400000.0, "updated_at": 1731400900.5}
    wire.get(TRAIN_STATUS_URL, payload=v2(ready))

    result = await run_action("train_avatar_group", {"group_id": GROUP_ID, "wait_for_completion": True}, auth=auth)

    assert data_of(result) == {
        "group_id": GROUP_ID,
        "status": "completed",
        "raw_status": "ready",
        "error": None,
        "created_at": 1731400000.0,
        "updated_at": 1731400900.5,
        "flow_id": None,
        "timed_out": False,
    }
    calls = sent(wire)
    assert len(calls) == 4
    check_request(calls[0], "POST", f"{API}/v2/photo_avatar/train", auth, {"group_id": GROUP_ID})
    for call in calls[1:]:
        check_request(call, "GET", TRAIN_STATUS_URL, auth)


async def test_train_avatar_group_failed_training_is_an_error_with_id_and_reason(wire):
    wire.post(f"{API}/v2/photo_avatar/train", payload=v2({}))
    wire.get(TRAIN_STATUS_URL, payload=v2({"status": "training", "error_msg": None}))
    wire.get(TRAIN_STATUS_URL, payload=v2({"status": "failed", "error_msg": "Not enough usable photos"}))

    result = await run_action("train_avatar_group", {"group_id": GROUP_ID, "wait_for_completion": True})

    assert error_of(result) == f"train_avatar_group failed: job {GROUP_ID} ended as failed: Not enough usable photos."
    assert request_count(wire) == 3


async def test_train_avatar_group_wait_timeout_is_not_an_error(wire, virtual_clock):
    wire.post(f"{API}/v2/photo_avatar/train", payload=v2({"flow_id": "flow_123"}))
    wire.get(TRAIN_STATUS_URL, payload=v2({"status": "training", "created_at": 1731400000.0}), repeat=True)

    result = await run_action(
        "train_avatar_group", {"group_id": GROUP_ID, "wait_for_completion": True, "timeout_seconds": 10}
    )

    assert data_of(result) == {
        **TRAINING_PENDING,
        "status": "processing",
        "raw_status": "training",
        "created_at": 1731400000.0,
        "flow_id": "flow_123",
        "timed_out": True,
    }
    assert request_count(wire) == 4
    assert virtual_clock["sleeps"] == [4.0, 4.0, 2.0]


@pytest.mark.parametrize(
    ("raw", "status"),
    [("pending", "pending"), ("training", "processing"), ("ready", "completed"), ("warming", "processing")],
)
async def test_check_training_status(wire, auth, raw, status):
    wire.get(
        TRAIN_STATUS_URL,
        payload=v2({"status": raw, "error_msg": None, "created_at": 1731400000.0, "updated_at": 1731400100.0}),
    )

    result = await run_action("check_training_status", {"group_id": GROUP_ID}, auth=auth)

    assert data_of(result) == {
        **TRAINING_PENDING,
        "status": status,
        "raw_status": raw,
        "created_at": 1731400000.0,
        "updated_at": 1731400100.0,
    }
    (call,) = sent(wire)
    check_request(call, "GET", TRAIN_STATUS_URL, auth)


async def test_check_training_status_failed_carries_the_reason(wire):
    wire.get(TRAIN_STATUS_URL, payload=v2({"status": "failed", "error_msg": "No face detected in 3 photos"}))

    result = await run_action("check_training_status", {"group_id": GROUP_ID})

    assert data_of(result) == {
        **TRAINING_PENDING,
        "status": "failed",
        "raw_status": "failed",
        "error": {"code": None, "message": "No face detected in 3 photos", "detail": None},
    }


async def test_check_training_status_waits_and_fails(wire):
    wire.get(TRAIN_STATUS_URL, payload=v2({"status": "training"}))
    wire.get(TRAIN_STATUS_URL, payload=v2({"status": "failed", "error_msg": "No face detected in 3 photos"}))

    result = await run_action("check_training_status", {"group_id": GROUP_ID, "wait_for_completion": True})

    assert error_of(result) == (
        f"check_training_status failed: job {GROUP_ID} ended as failed: No face detected in 3 photos."
    )
    assert request_count(wire) == 2


# ---------------------------------------------------------------- generate_avatar_look


async def test_generate_avatar_look(wire, auth):
    wire.post(f"{API}/v2/photo_avatar/look/generate", payload=v2({"generation_id": GENERATION_ID}))

    result = await run_action("generate_avatar_look", LOOK_INPUTS, auth=auth)

    assert data_of(result) == GENERATION_PENDING
    (call,) = sent(wire)
    check_request(call, "POST", f"{API}/v2/photo_avatar/look/generate", auth, LOOK_INPUTS)


async def test_generate_avatar_look_waits_on_the_generation(wire):
    wire.post(f"{API}/v2/photo_avatar/look/generate", payload=v2({"generation_id": GENERATION_ID}))
    wire.get(GENERATION_URL, payload=v2({"id": GENERATION_ID, "status": "in_progress"}))
    done = {"id": GENERATION_ID, "status": "success", "msg": None, "image_url_list": IMAGE_URLS}
    wire.get(GENERATION_URL, payload=v2({**done, "image_key_list": IMAGE_KEYS}))

    result = await run_action("generate_avatar_look", {**LOOK_INPUTS, "wait_for_completion": True})

    assert data_of(result) == GENERATION_DONE
    assert request_count(wire) == 3


# ---------------------------------------------------------------- add_motion_to_avatar


async def test_add_motion_to_avatar(wire, auth):
    inputs = {"id": LOOK_ID, "prompt": "waves hello, then nods", "motion_type": "consistent_gen_3"}
    wire.post(f"{API}/v2/photo_avatar/add_motion", payload=v2({"id": MOTION_ID}))

    result = await run_action("add_motion_to_avatar", inputs, auth=auth)

    assert data_of(result) == MOTION_PENDING
    (call,) = sent(wire)
    check_request(call, "POST", f"{API}/v2/photo_avatar/add_motion", auth, inputs)


async def test_add_motion_to_avatar_waits_until_the_motion_avatar_is_completed(wire, auth):
    wire.post(f"{API}/v2/photo_avatar/add_motion", payload=v2({"id": MOTION_ID}))
    wire.get(MOTION_URL, payload=v2({**PHOTO_AVATAR, "id": MOTION_ID, "status": "pending", "is_motion": True}))
    preview = "https://resource.heygen.ai/motion/preview.mp4"
    done = {**PHOTO_AVATAR, "id": MOTION_ID, "status": "completed", "is_motion": True, "motion_preview_url": preview}
    wire.get(MOTION_URL, payload=v2(done))

    result = await run_action("add_motion_to_avatar", {"id": LOOK_ID, "wait_for_completion": True}, auth=auth)

    assert data_of(result) == {
        "id": MOTION_ID,
        "status": "completed",
        "raw_status": "completed",
        "error": None,
        "motion_preview_url": preview,
        "timed_out": False,
    }
    calls = sent(wire)
    assert len(calls) == 3
    check_request(calls[0], "POST", f"{API}/v2/photo_avatar/add_motion", auth, {"id": LOOK_ID})
    for call in calls[1:]:
        check_request(call, "GET", MOTION_URL, auth)


async def test_add_motion_to_avatar_failed_without_reason_is_an_error(wire):
    wire.post(f"{API}/v2/photo_avatar/add_motion", payload=v2({"id": MOTION_ID}))
    wire.get(MOTION_URL, payload=v2({"id": MOTION_ID, "status": "failed"}))

    result = await run_action("add_motion_to_avatar", {"id": LOOK_ID, "wait_for_completion": True})

    assert error_of(result) == f"add_motion_to_avatar failed: job {MOTION_ID} ended as failed: HeyGen gave no reason."


async def test_add_motion_to_avatar_failed_with_a_coded_reason(wire):
    wire.post(f"{API}/v2/photo_avatar/add_motion", payload=v2({"id": MOTION_ID}))
    reason = {"code": 400599, "message": "Tier not support", "detail": "Motion needs a paid plan"}
    wire.get(MOTION_URL, payload=v2({"id": MOTION_ID, "status": "failed", "error": reason}))

    result = await run_action("add_motion_to_avatar", {"id": LOOK_ID, "wait_for_completion": True})

    assert error_of(result) == (
        f"add_motion_to_avatar failed: job {MOTION_ID} ended as failed: (400599) Motion needs a paid plan. "
        "Hint: Your HeyGen plan does not include this feature: upgrade the plan or use another option."
    )


async def test_add_motion_to_avatar_wait_timeout_is_not_an_error(wire, virtual_clock):
    wire.post(f"{API}/v2/photo_avatar/add_motion", payload=v2({"id": MOTION_ID}))
    wire.get(MOTION_URL, payload=v2({"id": MOTION_ID, "status": "processing"}), repeat=True)

    result = await run_action(
        "add_motion_to_avatar", {"id": LOOK_ID, "wait_for_completion": True, "timeout_seconds": 10}
    )

    assert data_of(result) == {**MOTION_PENDING, "status": "processing", "raw_status": "processing", "timed_out": True}
    assert request_count(wire) == 4
    assert virtual_clock["sleeps"] == [4.0, 4.0, 2.0]


async def test_add_motion_to_avatar_without_id_in_the_answer_is_an_error(wire):
    wire.post(f"{API}/v2/photo_avatar/add_motion", payload=v2({}))

    result = await run_action("add_motion_to_avatar", {"id": LOOK_ID})

    assert error_of(result).startswith(
        "add_motion_to_avatar failed: HeyGen accepted the request but its answer has no id. Hint: HeyGen may have"
    )


# ---------------------------------------------------------------- add_sound_effect_to_avatar


@pytest.mark.parametrize(
    ("answer", "sound_id"), [({"sound_effect_id": "sfx_55"}, "sfx_55"), ({}, None)], ids=["id", "ack"]
)
async def test_add_sound_effect_to_avatar(wire, auth, answer, sound_id):
    wire.post(f"{API}/v2/photo_avatar/add_sound_effect", payload=v2(answer))

    result = await run_action("add_sound_effect_to_avatar", {"id": MOTION_ID}, auth=auth)

    assert data_of(result) == {"id": MOTION_ID, "sound_effect_id": sound_id}
    (call,) = sent(wire)
    check_request(call, "POST", f"{API}/v2/photo_avatar/add_sound_effect", auth, {"id": MOTION_ID})


# ---------------------------------------------------------------- list_avatar_groups

GROUP = {
    "id": GROUP_ID,
    "name": "Sales team",
    "created_at": 1731400000.0,
    "num_looks": 3,
    "preview_image": "https://resource.heygen.ai/group/preview.jpg",
    "group_type": "GENERATED_PHOTO",
    "train_status": "ready",
    "default_voice_id": "1bd001e7ffe04520adf63141a163d1f8",
}


async def test_list_avatar_groups_defaults_to_private_groups(wire, auth):
    url = f"{API}/v2/avatar_group.list?include_public=false"
    wire.get(url, payload=v2({"total_count": 1, "avatar_group_list": [GROUP]}))

    result = await run_action("list_avatar_groups", {}, auth=auth)

    assert data_of(result) == {"total_count": 1, "avatar_group_list": [GROUP], **NO_MORE}
    (call,) = sent(wire)
    check_request(call, "GET", url, auth)


async def test_list_avatar_groups_sends_page_limit_and_include_public(wire):
    url = f"{API}/v2/avatar_group.list?include_public=true&page=3&limit=10"
    wire.get(url, payload=v2({"total_count": 41, "avatar_group_list": [{"id": "g-public", "extra": 1}]}))

    result = await run_action("list_avatar_groups", {"page": 3, "limit": 10, "include_public": True})

    assert data_of(result) == {
        "total_count": 41,
        "avatar_group_list": [
            {
                "id": "g-public",
                "name": None,
                "created_at": None,
                "num_looks": None,
                "preview_image": None,
                "group_type": None,
                "train_status": None,
                "default_voice_id": None,
            }
        ],
        "has_more": True,  # pages 1-3 of 10 hold 30 of the 41 groups
        "next_page_token": encode(Cursor(page=4, skip=30)),
    }
    (call,) = sent(wire)
    check_request(call, "GET", url, OAUTH_AUTH)


async def test_list_avatar_groups_without_total_count_counts_the_list(wire):
    wire.get(f"{API}/v2/avatar_group.list?include_public=false", payload=v2({"avatar_group_list": [GROUP, GROUP]}))

    result = await run_action("list_avatar_groups", {})

    assert data_of(result) == {"total_count": 2, "avatar_group_list": [GROUP, GROUP], **NO_MORE}


# ---------------------------------------------------------------- list_avatars_in_group


async def test_list_avatars_in_group(wire, auth):
    url = f"{API}/v2/avatar_group/{GROUP_ID}/avatars"
    look = {**PHOTO_AVATAR, "default_voice_id": "1bd001e7ffe04520adf63141a163d1f8"}
    wire.get(url, payload=v2({"avatar_list": [look, {"id": "look-bare"}]}))

    result = await run_action("list_avatars_in_group", {"group_id": GROUP_ID}, auth=auth)

    assert data_of(result) == {
        "group_id": GROUP_ID,
        "avatar_list": [
            {**PHOTO_AVATAR_OUT, "default_voice_id": "1bd001e7ffe04520adf63141a163d1f8"},
            {**PHOTO_AVATAR_NONE, "id": "look-bare", "default_voice_id": None},
        ],
        "count": 2,
        **NO_MORE,
    }
    (call,) = sent(wire)
    check_request(call, "GET", url, auth)


async def test_list_avatars_in_group_empty(wire):
    wire.get(f"{API}/v2/avatar_group/{GROUP_ID}/avatars", payload=v2({"avatar_list": []}))

    result = await run_action("list_avatars_in_group", {"group_id": GROUP_ID})

    assert data_of(result) == {"group_id": GROUP_ID, "avatar_list": [], "count": 0, **NO_MORE}


# ---------------------------------------------------------------- get_photo_avatar_details


async def test_get_photo_avatar_details(wire, auth):
    wire.get(f"{API}/v2/photo_avatar/{LOOK_ID}", payload=v2(PHOTO_AVATAR))

    result = await run_action("get_photo_avatar_details", {"id": LOOK_ID}, auth=auth)

    assert data_of(result) == PHOTO_AVATAR_OUT
    (call,) = sent(wire)
    check_request(call, "GET", f"{API}/v2/photo_avatar/{LOOK_ID}", auth)


async def test_get_photo_avatar_details_motion_avatar_with_sound(wire):
    motion = {
        **PHOTO_AVATAR,
        "id": MOTION_ID,
        "is_motion": True,
        "motion_preview_url": "https://resource.heygen.ai/motion/preview.mp4",
        "upscaled": True,
        "background_sound_effect": {"sound_effect_id": "sfx_55", "status": "completed"},
    }
    wire.get(f"{API}/v2/photo_avatar/{MOTION_ID}", payload=v2(motion))

    result = await run_action("get_photo_avatar_details", {"id": MOTION_ID})

    assert data_of(result) == {
        **PHOTO_AVATAR_OUT,
        "id": MOTION_ID,
        "is_motion": True,
        "motion_preview_url": "https://resource.heygen.ai/motion/preview.mp4",
        "upscaled": True,
        "background_sound_effect": {"sound_effect_id": "sfx_55", "status": "completed"},
    }


async def test_get_photo_avatar_details_missing_fields_are_none(wire):
    wire.get(f"{API}/v2/photo_avatar/{LOOK_ID}", payload=v2({"id": LOOK_ID, "status": "pending"}))

    result = await run_action("get_photo_avatar_details", {"id": LOOK_ID})

    assert data_of(result) == {**PHOTO_AVATAR_NONE, "id": LOOK_ID, "status": "pending"}
