"""The simulator's v3 avatars, voices, assets, templates, webhooks, account and translations over real
HTTP on loopback; every answer checked against its response schema by ``call_v3``."""

from __future__ import annotations

import base64
import hashlib

import aiohttp
import pytest

from simulator import ANGELA_AVATAR_ID, MONICA_VOICE_ID, TALKING_PHOTO_ANNA, Plan, Simulator, SimulatorConfig
from simulator.catalogue import TEMPLATE_SLUGS
from simulator.config import MB
from simulator.testing import call, call_v3, poll_v3, v3_avatar_body

pytestmark = pytest.mark.e2e

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200
MP3 = b"ID3" + b"\x00" * 200


@pytest.fixture
async def sim():
    async with Simulator(SimulatorConfig(time_scale=1.0)) as server:
        yield server


async def upload(http, sim, data: bytes, filename: str = "f.bin") -> str:
    form = aiohttp.FormData()
    form.add_field("file", data, filename=filename, content_type="application/octet-stream")
    reply = await call_v3(http, sim, "AssetCreate", data=form)
    assert reply.status == 200, reply.body
    return reply.data["asset_id"]


# ------------------------------------------------------------------ avatars


async def test_looks_cover_stock_avatars_and_talking_photos_with_filters(sim, http):
    angela = await call_v3(http, sim, "AvatarLooksGet", path={"look_id": ANGELA_AVATAR_ID})
    photo = await call_v3(http, sim, "AvatarLooksGet", path={"look_id": TALKING_PHOTO_ANNA})
    photos = await call_v3(http, sim, "AvatarLooksList", params={"avatar_type": "photo_avatar", "limit": 50})
    public = await call_v3(http, sim, "AvatarLooksList", params={"ownership": "public"})
    groups = await call_v3(http, sim, "AvatarList", params={"ownership": "public", "limit": 50})
    group = await call_v3(http, sim, "AvatarGet", path={"group_id": ANGELA_AVATAR_ID})
    missing = await call_v3(http, sim, "AvatarLooksGet", path={"look_id": "nobody"})

    assert angela.data["avatar_type"] == "studio_avatar" and angela.data["default_voice_id"] == MONICA_VOICE_ID
    assert photo.data["avatar_type"] == "photo_avatar"
    assert {look["avatar_type"] for look in photos.data} == {"photo_avatar"} and len(photos.data) == 10
    assert len(public.data) == 20 and public.body["has_more"] is True
    assert len(groups.data) == 30 and group.data["looks_count"] == 1
    assert missing.status == 404 and missing.error["code"] == "avatar_not_found"


async def test_a_photo_avatar_is_processing_then_completed_and_usable_in_a_video(sim, http):
    asset_id = await upload(http, sim, PNG, "me.png")
    created = await call_v3(
        http,
        sim,
        "AvatarCreate",
        json={"type": "photo", "name": "Me", "file": {"type": "asset_id", "asset_id": asset_id}},
    )
    look_id = created.data["avatar_item"]["id"]
    group_id = created.data["avatar_group"]["id"]
    early = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body(avatar_id=look_id))
    sim.advance(10)
    group = await call_v3(http, sim, "AvatarGet", path={"group_id": group_id})
    video = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body(avatar_id=look_id))
    legacy = await call(http, sim, "GET", f"/v2/photo_avatar/{look_id}")

    assert created.data["avatar_item"]["status"] == "processing" and created.data["avatar_group"]["looks_count"] == 1
    assert early.status == 400 and early.error["param"] == "avatar_id"
    assert group.data["status"] == "completed" and video.status == 200
    assert legacy.status == 200 and legacy.data["id"] == look_id  # one account on both generations


async def test_a_digital_twin_waits_for_consent(sim, http):
    footage = await upload(http, sim, MP4, "me.mp4")
    twin = await call_v3(
        http, sim, "AvatarCreate",
        json={"type": "digital_twin", "name": "Twin", "file": {"type": "asset_id", "asset_id": footage}},
    )  # fmt: skip
    group = {"group_id": twin.data["avatar_group"]["id"]}
    sim.advance(60)
    waiting = await call_v3(http, sim, "AvatarGet", path=group)
    consent = await call_v3(http, sim, "AvatarConsentCreate", path=group, json={}, idempotency_key="consent-1")
    sim.advance(5)
    done = await call_v3(http, sim, "AvatarGet", path=group)

    assert twin.data["avatar_item"]["avatar_type"] == "digital_twin"
    assert waiting.data["status"] == "pending_consent" and waiting.data["consent_status"] == "pending"
    assert consent.data["url"].startswith("https://")
    assert done.data["status"] == "completed" and done.data["consent_status"] == "approved"


async def test_prompt_avatars_checks_and_look_rename_and_delete(sim, http):
    long = await call_v3(http, sim, "AvatarCreate", json={"type": "prompt", "name": "A", "prompt": "x" * 1001})
    bad_ref = await call_v3(
        http, sim, "AvatarCreate", json={"type": "prompt", "name": "A", "prompt": "p", "avatar_id": "nope"}
    )
    made = await call_v3(http, sim, "AvatarCreate", json={"type": "prompt", "name": "Woman, 30s", "prompt": "smiling"})
    look = {"look_id": made.data["avatar_item"]["id"]}
    renamed = await call_v3(http, sim, "AvatarLooksUpdate", path=look, json={"name": "Renamed"})
    stock = await call_v3(http, sim, "AvatarLooksDelete", path={"look_id": ANGELA_AVATAR_ID})
    deleted = await call_v3(http, sim, "AvatarLooksDelete", path=look)
    group = await call_v3(http, sim, "AvatarGet", path={"group_id": made.data["avatar_group"]["id"]})

    assert long.status == 400 and long.error["param"] == "prompt"
    assert bad_ref.status == 404 and bad_ref.error["code"] == "avatar_not_found"
    assert renamed.data["name"] == "Renamed" and stock.status == 403
    assert deleted.data == {"id": look["look_id"]}
    assert group.status == 404  # the last look took its group with it


# ------------------------------------------------------------------ voices


async def test_voice_filters_get_and_unknown(sim, http):
    spanish = await call_v3(http, sim, "VoiceList", params={"language": "spanish", "gender": "male", "limit": 100})
    monica = await call_v3(http, sim, "VoiceGet", path={"voice_id": MONICA_VOICE_ID})
    missing = await call_v3(http, sim, "VoiceGet", path={"voice_id": "nope"})

    assert spanish.data and {(v["language"], v["gender"]) for v in spanish.data} == {("Spanish", "male")}
    assert monica.data["name"] == "Monica" and missing.error["code"] == "voice_not_found"


async def test_a_clone_goes_processing_then_complete_and_deleting_twice_is_404(sim, http):
    sample = {"type": "base64", "media_type": "audio/mpeg", "data": base64.b64encode(MP3).decode()}
    clone = await call_v3(http, sim, "VoiceCloneCreate", json={"voice_name": "Mine", "audio": sample})
    voice = {"voice_id": clone.data["voice_clone_id"]}
    early = await call_v3(http, sim, "VoiceGet", path=voice)
    sim.advance(5)
    done = await call_v3(http, sim, "VoiceGet", path=voice)
    private = await call_v3(http, sim, "VoiceList", params={"type": "private"})
    first = await call_v3(http, sim, "VoiceDelete", path=voice)
    second = await call_v3(http, sim, "VoiceDelete", path=voice)

    assert early.data["status"] == "processing" and done.data["status"] == "complete"
    assert [v["voice_id"] for v in private.data] == [voice["voice_id"]]
    assert first.data == voice and second.status == 404 and second.error["code"] == "voice_not_found"


async def test_speech_is_a_real_mp3_as_long_as_the_script(sim, http):
    text = "Ten words spoken at one hundred fifty words per minute"
    reply = await call_v3(http, sim, "VoiceSpeechCreate", json={"text": text, "voice_id": MONICA_VOICE_ID})
    audio = await call(http, sim, "GET", reply.data["audio_url"].removeprefix(sim.url), api_key=None)
    designed = await call_v3(http, sim, "VoiceCreate", json={"prompt": "warm narrator", "seed": 3})

    assert reply.data["duration"] == pytest.approx(4.0) and len(reply.data["word_timestamps"]) == 10
    assert audio.status == 200 and audio.headers["Content-Type"] == "audio/mpeg" and len(audio.raw) > 1000
    assert designed.data["seed"] == 3 and len(designed.data["voices"]) == 3


# ------------------------------------------------------------------ assets


async def test_multipart_upload_detects_the_type_and_the_asset_serves_both_generations(sim, http):
    asset_id = await upload(http, sim, PNG, "x.bin")
    got = await call_v3(http, sim, "AssetGet", path={"asset_id": asset_id})
    image_key = sim.state.assets[asset_id].image_key  # v2's photo-avatar routes take it
    file = await call(http, sim, "GET", got.data["url"].removeprefix(sim.url), api_key=None)
    no_file = await call_v3(http, sim, "AssetCreate", data=aiohttp.FormData({"other": "x"}))
    unknown = await call_v3(http, sim, "AssetGet", path={"asset_id": "nope"})
    bulk = await call_v3(http, sim, "AssetStatusesList", params={"asset_ids": f"{asset_id},nope"})
    deleted = await call_v3(http, sim, "AssetDelete", path={"asset_id": asset_id})
    after = await call_v3(http, sim, "AssetGet", path={"asset_id": asset_id})

    assert got.data["type"] == "image" and file.raw == PNG
    assert image_key == f"image/{asset_id}/original"
    assert no_file.status == 400 and no_file.error["param"] == "file" and unknown.status == 404
    assert deleted.data == {"id": asset_id} and after.status == 404
    assert [s["status"] for s in bulk.data] == ["completed", "not_found"]


async def test_an_upload_past_the_asset_limit_is_413(http):
    assert SimulatorConfig().max_asset_bytes == 32 * MB
    async with Simulator(SimulatorConfig(max_asset_bytes=1000)) as sim:
        form = aiohttp.FormData()
        form.add_field("file", PNG + b"\x00" * 1000, filename="big.png")
        reply = await call_v3(http, sim, "AssetCreate", data=form)
    assert reply.status == 413 and reply.error["code"] == "payload_too_large"


async def test_the_direct_upload_flow_puts_bytes_then_completes(sim, http):
    data = MP4 * 50
    slot = await call_v3(
        http, sim, "AssetDirectUploadsCreate",
        json={"filename": "clip.mp4", "content_type": "video/mp4", "size_bytes": len(data),
              "checksum_sha256": hashlib.sha256(data).hexdigest()},
    )  # fmt: skip
    asset = {"asset_id": slot.data["asset_id"]}
    early = await call_v3(http, sim, "AssetCompleteCreate", path=asset, json={})
    async with http.put(slot.data["upload_url"], data=data, headers=slot.data["upload_headers"]) as put:
        assert put.status == 200
    done = await call_v3(http, sim, "AssetCompleteCreate", path=asset, json={})
    again = await call_v3(http, sim, "AssetCompleteCreate", path=asset, json={})
    used = await call_v3(
        http, sim, "VideoTranslateCreate",
        json={"video": {"type": "asset_id", "asset_id": asset["asset_id"]}, "output_languages": ["French"]},
    )  # fmt: skip

    assert slot.data["status"] == "pending_upload" and slot.data["upload_url"].startswith(sim.url)
    assert early.status == 409
    assert done.data["status"] == "processing" and done.data["size_bytes"] == len(data)
    assert again.data == done.data and used.status == 200


async def test_a_direct_upload_with_the_wrong_checksum_is_refused(sim, http):
    slot = await call_v3(
        http, sim, "AssetDirectUploadsCreate",
        json={"filename": "a.png", "content_type": "image/png", "size_bytes": len(PNG), "checksum_sha256": "0" * 64},
    )  # fmt: skip
    async with http.put(slot.data["upload_url"], data=PNG) as put:
        assert put.status == 200
    done = await call_v3(http, sim, "AssetCompleteCreate", path={"asset_id": slot.data["asset_id"]}, json={})
    assert done.status == 400 and done.error["param"] == "checksum_sha256"


# ------------------------------------------------------------------ templates


async def test_templates_list_get_and_generate_a_video(sim, http):
    listed = await call_v3(http, sim, "TemplateList")
    template = {"template_id": listed.data[0]["id"]}
    details = await call_v3(http, sim, "TemplateGet", path=template)
    made = await call_v3(http, sim, "TemplateGenerate", path=template, json={"variables": {"product_name": "Orbit"}})
    unknown_var = await call_v3(http, sim, "TemplateGenerate", path=template, json={"variables": {"nope": "x"}})
    missing = await call_v3(http, sim, "TemplateGet", path={"template_id": "nope"})
    sim.advance(60)
    video = await call_v3(http, sim, "VideoGet", path={"video_id": made.data["id"]})

    assert len(listed.data) == len(TEMPLATE_SLUGS) and details.data["scenes"][0]["variables"]
    assert (
        made.data["status"] == "pending"
        and "Orbit" in sim.state.videos[made.data["id"]].timeline.segments[0].scene.text
    )
    assert unknown_var.status == 400 and unknown_var.error["param"] == "variables.nope"
    assert missing.status == 404 and video.data["status"] == "completed"


# ------------------------------------------------------------------ webhooks


async def test_webhook_endpoints_crud_rotate_and_the_v1_registry_sees_them(sim, http):
    made = await call_v3(
        http,
        sim,
        "WebhookEndpointsCreate",
        json={"url": "https://example.com/hook", "events": ["avatar_video.success"]},
    )
    endpoint = {"endpoint_id": made.data["endpoint_id"]}
    plain_http = await call_v3(http, sim, "WebhookEndpointsCreate", json={"url": "http://example.com/hook"})
    bad_event = await call_v3(http, sim, "WebhookEndpointsCreate", json={"url": "https://e.com", "events": ["nope"]})
    listed = await call_v3(http, sim, "WebhookEndpointsList")
    legacy = await call(http, sim, "GET", "/v1/webhook/endpoint.list")
    updated = await call_v3(http, sim, "WebhookEndpointsUpdate", path=endpoint, json={"events": None})
    rotated = await call_v3(http, sim, "WebhookEndpointsRotateSecret", path=endpoint)
    types = await call_v3(http, sim, "WebhookEventTypesList")
    deleted = await call_v3(http, sim, "WebhookEndpointsDelete", path=endpoint)
    gone = await call_v3(http, sim, "WebhookEndpointsUpdate", path=endpoint, json={"url": "https://x.com"})

    assert made.data["secret"].startswith("whsec_") and listed.data[0]["secret"] is None
    assert plain_http.error["param"] == "url" and bad_event.error["param"] == "events[0]"
    assert [e["endpoint_id"] for e in legacy.data] == [endpoint["endpoint_id"]]
    assert updated.data["events"] is None and rotated.data["secret"] != made.data["secret"]
    assert "batch.finished" in {t["event_type"] for t in types.data}
    assert deleted.body == {"data": {}, "error": None} and gone.status == 404


async def test_webhook_events_list_what_finished(sim, http):
    made = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body())
    before = await call_v3(http, sim, "WebhookEventsList")
    sim.advance(60)
    after = await call_v3(http, sim, "WebhookEventsList", params={"event_type": "avatar_video.success"})

    assert before.data == [] and [e["event_data"]["video_id"] for e in after.data] == [made.data["video_id"]]


# ------------------------------------------------------------------ account


async def test_users_me_shows_the_wallet_for_an_api_key_and_the_subscription_for_a_token(sim, http):
    key = await call_v3(http, sim, "UserMeGet")
    token = await call_v3(http, sim, "UserMeGet", api_key=None, headers={"Authorization": "Bearer tok"})

    assert key.data["billing_type"] == "wallet" and key.data["wallet"]["remaining_balance"] == 1000.0
    assert key.data["subscription"] is None
    assert token.data["billing_type"] == "subscription" and token.data["subscription"]["plan"] == "pro"
    assert token.data["subscription"]["credits"]["premium_credits"]["remaining"] == 1000


# ------------------------------------------------------------------ translations


async def test_a_translation_gets_one_id_per_language_and_moves_pending_running_completed(http):
    async with Simulator(SimulatorConfig(time_scale=1.0, plan=Plan.named("pro"))) as sim:
        languages = await call_v3(http, sim, "VideoTranslateLanguagesList")
        made = await call_v3(
            http, sim, "VideoTranslateCreate",
            json={"video": {"type": "url", "url": "https://e.com/v.mp4"}, "output_languages": ["French", "German"]},
            idempotency_key="translate-1",
        )  # fmt: skip
        one = {"video_translation_id": made.data["video_translation_ids"][0]}
        seen = [(await call_v3(http, sim, "VideoTranslateGet", path=one)).data["status"]]
        sim.advance(2)
        seen.append((await call_v3(http, sim, "VideoTranslateGet", path=one)).data["status"])
        sim.advance(60)
        done = await call_v3(http, sim, "VideoTranslateGet", path=one)
        videos = await call_v3(http, sim, "VideoList")
        bad = await call_v3(
            http, sim, "VideoTranslateCreate",
            json={"video": {"type": "url", "url": "https://e.com/v.mp4"}, "output_languages": ["Klingon"]},
        )  # fmt: skip
        broken = await call_v3(
            http, sim, "VideoTranslateCreate",
            json={"video": {"type": "url", "url": "https://gone.invalid/v.mp4"}, "output_languages": ["French"]},
        )  # fmt: skip
        renamed = await call_v3(http, sim, "VideoTranslateUpdate", path=one, json={"title": "French cut"})
        bulk = await call_v3(
            http,
            sim,
            "VideoTranslateStatusesList",
            params={"video_translation_ids": f"{one['video_translation_id']},x"},
        )
        sim.advance(10)
        failed = await poll_v3(
            http,
            sim,
            "VideoTranslateGet",
            {"video_translation_id": broken.data["video_translation_ids"][0]},
            {"failed"},
        )

    assert "French" in languages.data["languages"] and len(made.data["video_translation_ids"]) == 2
    assert seen == ["pending", "running"] and done.data["status"] == "completed" and done.data["video_url"]
    assert {v["output_language"] for v in videos.data} == {"French", "German"}
    assert renamed.data["title"] == "French cut" and [s["status"] for s in bulk.data] == ["completed", "not_found"]
    assert bad.error["param"] == "output_languages[0]" and "download" in failed.data["failure_message"].lower()


# ------------------------------------------------------------------ libraries


async def test_audio_search_scores_filters_and_serves_real_mp3s(sim, http):
    effects = await call_v3(http, sim, "AudioSoundsList", params={"query": "sound effect", "type": "sound_effects"})
    music = await call_v3(http, sim, "AudioSoundsList", params={"query": "calm piano", "min_score": "0.9"})
    no_query = await call_v3(http, sim, "AudioSoundsList")
    file = await call(http, sim, "GET", effects.data[0]["audio_url"].removeprefix(sim.url), api_key=None)

    assert len(effects.data) == 4 and {s["type"] for s in effects.data} == {"sound_effects"}
    assert [s["name"] for s in music.data] == ["Calm piano"] and no_query.error["param"] == "query"
    assert file.status == 200 and file.headers["Content-Type"] == "audio/mpeg"


async def test_the_image_and_icon_catalogue_is_searched_by_word_and_paged(sim, http):
    icons = await call_v3(http, sim, "AssetSearch", params={"query": "check", "type": "icon", "limit": 5})
    more = await call_v3(
        http, sim, "AssetSearch", params={"query": "check", "type": "icon", "token": icons.body["next_token"]}
    )
    no_type = await call_v3(http, sim, "AssetSearch", params={"query": "check"})
    file = await call(http, sim, "GET", icons.data[0]["url"].removeprefix(sim.url), api_key=None)

    assert len(icons.data) == 5 and {i["type"] for i in icons.data + more.data} == {"icon"}
    assert len(icons.data + more.data) == 8 and no_type.error["param"] == "type"
    assert file.status == 200 and file.headers["Content-Type"] == "image/jpeg"


async def test_brand_lists_are_empty_and_the_asset_list_needs_the_accounts_username(sim, http):
    kits = await call_v3(http, sim, "BrandKitsList")
    glossaries = await call_v3(http, sim, "BrandGlossariesList")
    asset_id = await upload(http, sim, PNG)
    me = await call_v3(http, sim, "UserMeGet")
    mine = await call_v3(http, sim, "AssetList", params={"username": me.data["username"]})
    theirs = await call_v3(http, sim, "AssetList", params={"username": "someone-else"})
    missing = await call_v3(http, sim, "AssetList")

    assert kits.data == [] and glossaries.data == [] and kits.body["has_more"] is False
    assert [a["id"] for a in mine.data] == [asset_id] and theirs.data == [] and missing.error["param"] == "username"
