"""The isolation matrix: for every operation, organisation acme's key and token against globex's path,
globex's ids and globex's HeyGen credential. The simulator shares one state between the two HeyGen
accounts, so only the proxy's own records keep globex's videos from acme.
"""

import base64

import pytest

from proxy.auth import mint_token
from proxy.crypto import MasterKeyError
from proxy.operations import OPERATIONS
from tests.proxy.conftest import CREDENTIALS
from tests.proxy.test_proxy_wire import document_generate_body, poll_status
from simulator import ANGELA_AVATAR_ID, MONICA_VOICE_ID

pytestmark = pytest.mark.e2e

OWNED = [(name, field, kind) for name, op in OPERATIONS.items() for field, kind in op.owned.items()]


async def globex_ids(world) -> dict:
    """One id of every kind, created by globex: a real video, and recorded ids of the other kinds."""
    video = await world.call("globex", "generate-video", document_generate_body(ANGELA_AVATAR_ID, MONICA_VOICE_ID))
    assert video.status == 200, video.body
    ids = {"video": video.data["video_id"]}
    recorded = []
    for kind in {kind for _, _, kind in OWNED} - {"video"}:
        ids[kind] = f"globex-{kind}-1"
        recorded.append((kind, ids[kind]))
    await world.store.record_call("globex", "test", "test", 200, 0.0, recorded, billed=False)
    return ids


async def acme_token(world) -> str:
    from proxy.auth import authenticate

    caller = await authenticate(world.store, f"Api-Key {world.keys[('acme', 'admin')]}")
    token, _ = mint_token(world.store, caller, ["read", "generate"], 300)
    return f"Bearer {token}"


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
async def test_acmes_key_on_globexs_path_is_403(world, operation):
    answer = await world.call("globex", operation, {}, key=world.keys[("acme", "admin")])

    assert answer.status == 403 and answer.error["code"] == "wrong_organisation"
    assert world.heygen_keys_seen() == []


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
async def test_acmes_token_on_globexs_path_is_403(world, operation):
    answer = await world.call("globex", operation, {}, key=await acme_token(world))

    assert answer.status == 403 and answer.error["code"] == "wrong_organisation"
    assert world.heygen_keys_seen() == []


@pytest.mark.parametrize("operation, field, kind", OWNED, ids=[f"{o}-{f}" for o, f, _ in OWNED])
async def test_acme_naming_globexs_id_is_404(world, operation, field, kind):
    ids = await globex_ids(world)
    before = len(world.sim.requests)
    envelope = {"query": {field: ids[kind]}} if operation == "video-status" else {"body": {field: ids[kind]}}

    answer = await world.call("acme", operation, envelope, key=world.keys[("acme", "admin")])

    assert answer.status == 404 and answer.error["code"] == "not_found", answer.body
    assert answer.error["field"] == (f"query.{field}" if operation == "video-status" else f"body.{field}")
    assert len(world.sim.requests) == before  # refused before HeyGen was asked


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
async def test_acmes_calls_carry_only_acmes_credential(world, operation):
    await globex_ids(world)
    before = len(world.sim.requests)

    await world.call("acme", operation, {}, key=world.keys[("acme", "admin")])

    assert set(world.heygen_keys_seen(since=before)) <= {CREDENTIALS["acme"]}


async def test_globexs_real_video_stays_invisible_and_undeleted_for_acme(world):
    video_id = (await globex_ids(world))["video"]
    acme = world.keys[("acme", "admin")]

    for operation in ("video-status", "get-video-status", "download-video", "delete-video"):
        envelope = (
            {"query": {"video_id": video_id}} if operation == "video-status" else {"body": {"video_id": video_id}}
        )
        answer = await world.call("acme", operation, envelope, key=acme)
        assert answer.status == 404, (operation, answer.body)

    assert (await poll_status(world, "globex", video_id))["status"] == "completed"
    assert video_id in world.sim.state.videos


async def test_acmes_own_video_is_visible_to_acme(world):
    """The matrix's other half: the same calls on acme's own id are answered, so the 404s mean something."""
    created = await world.call("acme", "generate-video", document_generate_body(ANGELA_AVATAR_ID, MONICA_VOICE_ID))

    final = await poll_status(world, "acme", created.data["video_id"])

    assert final["status"] == "completed"


async def test_a_credential_sealed_for_globex_does_not_open_as_acmes(world):
    globex = await world.store.org("globex")

    with pytest.raises(MasterKeyError):
        world.store.vault.open("acme", globex.credential_sealed)
    assert world.store.vault.open("globex", globex.credential_sealed) == CREDENTIALS["globex"]


async def test_photo_avatar_ids_an_organisation_creates_are_its_own(world):
    """Ids inside outputs are recorded too: a group's first look, and each look added to it."""
    from tests.helpers import solid_png

    acme = world.keys[("acme", "admin")]
    upload = {"body": {"file": {"content": base64.b64encode(solid_png()).decode(), "name": "face.png"}}}
    image_key = (await world.call("acme", "upload-asset", upload, key=acme)).data["image_key"]
    group = await world.call(
        "acme", "create-avatar-group", {"body": {"name": "Team", "image_key": image_key}}, key=acme
    )
    assert group.status == 200, group.body
    look = {"body": {"group_id": group.data["group_id"], "image_keys": [image_key], "name": "Second look"}}
    added = await world.call("acme", "add-looks-to-group", look, key=acme)
    assert added.status == 200, added.body
    looks = [group.data["id"]] + [entry["id"] for entry in added.data["photo_avatar_list"]]

    for look_id in looks:
        mine = await world.call("acme", "get-photo-avatar-details", {"body": {"id": look_id}}, key=acme)
        theirs = await world.call("globex", "get-photo-avatar-details", {"body": {"id": look_id}})
        assert mine.status == 200 and mine.data["id"] == look_id
        assert theirs.status == 404 and theirs.error["field"] == "body.id"
    listed = await world.call("globex", "list-avatars-in-group", {"body": {"group_id": group.data["group_id"]}})
    assert listed.status == 404
