"""create_digital_twin, request_avatar_consent, rename_avatar_look and delete_avatar_look on HeyGen's v3 API,
faked at the wire: bodies pass HeyGen's request schemas, and a twin's wait ends at completed, failed or
pending_consent (which says what consent is needed)."""

from tests.conftest import run_action, sent
from tests.helpers import data_of, error_of, validation_error_of
from tests.v3_wire import answer, sent_body, url

AVATARS = url("AvatarCreate")
GROUP_ID = "grp_1"
LOOK_ID = "look_1"
GROUP = url("AvatarGet", group_id=GROUP_ID)
FOOTAGE = "https://cdn.example.com/me.mp4"


def group(status: str, consent: str | None = "pending") -> dict:
    return {"id": GROUP_ID, "name": "Me", "created_at": 1764763200, "looks_count": 1, "status": status} | {
        "consent_status": consent
    }


LOOK = {"id": LOOK_ID, "name": "Me", "avatar_type": "digital_twin", "group_id": GROUP_ID, "status": "processing"}


async def test_create_digital_twin_posts_the_footage_and_its_wait_ends_at_pending_consent(wire, v3):
    wire.post(AVATARS, payload=answer("AvatarCreate", {"avatar_group": group("processing"), "avatar_item": LOOK}))
    wire.get(GROUP, payload=answer("AvatarGet", group("processing")))
    wire.get(GROUP, payload=answer("AvatarGet", group("pending_consent")))

    inputs = {"name": "Me", "footage_url": FOOTAGE, "idempotency_key": "twin-1", "wait_for_completion": True}
    result = data_of(await run_action("create_digital_twin", inputs))

    assert result["group_id"] == GROUP_ID and result["avatar_id"] == LOOK_ID
    assert (result["status"], result["raw_status"]) == ("completed", "pending_consent")
    assert result["consent_required"] is True and "request_avatar_consent" in result["next_step"]
    post = sent(wire)[0]
    body = sent_body("AvatarCreate", post[2])
    assert body == {"type": "digital_twin", "name": "Me", "file": {"type": "url", "url": FOOTAGE}}
    assert post[2]["headers"]["Idempotency-Key"] == "twin-1"
    assert len(sent(wire)) == 3  # create, then polls until HeyGen said pending_consent


async def test_create_digital_twin_without_waiting_returns_processing(wire, v3):
    wire.post(AVATARS, payload=answer("AvatarCreate", {"avatar_group": group("processing"), "avatar_item": LOOK}))

    result = data_of(await run_action("create_digital_twin", {"name": "Me", "footage_asset_id": "as_1"}))

    assert (result["status"], result["consent_required"], result["timed_out"]) == ("processing", False, False)
    assert sent_body("AvatarCreate", sent(wire)[0][2])["file"] == {"type": "asset_id", "asset_id": "as_1"}


async def test_a_failed_twin_is_an_error_with_heygens_reason(wire, v3):
    failed = {**group("failed"), "error": {"code": "bad_footage", "message": "No face found"}}
    wire.post(AVATARS, payload=answer("AvatarCreate", {"avatar_group": group("processing"), "avatar_item": LOOK}))
    wire.get(GROUP, payload=answer("AvatarGet", failed))

    message = error_of(
        await run_action("create_digital_twin", {"name": "Me", "footage_url": FOOTAGE, "wait_for_completion": True})
    )

    assert "No face found" in message


async def test_create_digital_twin_needs_footage_and_sends_nothing_without_it(wire, v3):
    message = validation_error_of(await run_action("create_digital_twin", {"name": "Me"}))

    assert "footage_url: give exactly one of footage_url, footage_asset_id or footage_file" in message
    assert sent(wire) == []


async def test_request_avatar_consent_returns_heygens_consent_page(wire, v3):
    consent = url("AvatarConsentCreate", group_id=GROUP_ID)
    page = "https://app.heygen.com/consent/grp_1"
    wire.post(consent, payload=answer("AvatarConsentCreate", {"avatar_group": group("pending_consent"), "url": page}))

    inputs = {"group_id": GROUP_ID, "reroute_url": "https://example.com/thanks"}
    result = data_of(await run_action("request_avatar_consent", inputs))

    expected = {"group_id": GROUP_ID, "consent_url": page, "consent_status": "pending", "status": "pending_consent"}
    assert result == expected
    call = sent(wire)[0]
    assert sent_body("AvatarConsentCreate", call[2]) == {"reroute_url": "https://example.com/thanks"}
    assert "Idempotency-Key" in call[2]["headers"]


async def test_consent_text_with_markup_is_refused_before_sending(wire, v3):
    message = validation_error_of(
        await run_action("request_avatar_consent", {"group_id": GROUP_ID, "consent_text": "<b>I agree</b>"})
    )

    assert "consent_text" in message and sent(wire) == []


async def test_rename_and_delete_an_avatar_look(wire, v3):
    look = url("AvatarLooksUpdate", look_id=LOOK_ID)
    renamed = {**LOOK, "name": "New name", "status": "completed"}
    wire.patch(look, payload=answer("AvatarLooksUpdate", renamed))
    wire.delete(look, payload=answer("AvatarLooksDelete", {"id": LOOK_ID}))

    result = data_of(await run_action("rename_avatar_look", {"look_id": LOOK_ID, "name": "New name"}))
    deleted = data_of(await run_action("delete_avatar_look", {"look_id": LOOK_ID}))

    assert result == {**renamed, "preview_image_url": None, "preview_video_url": None}
    assert deleted == {"look_id": LOOK_ID, "deleted": True}
    assert sent_body("AvatarLooksUpdate", sent(wire)[0][2]) == {"name": "New name"}


async def test_rename_needs_a_name(wire, v3):
    message = validation_error_of(await run_action("rename_avatar_look", {"look_id": LOOK_ID, "name": ""}))

    assert "name" in message and sent(wire) == []
