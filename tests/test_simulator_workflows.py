"""Simulator workflows beyond studio videos: photo avatars end to end, uploads and where their
ids are accepted, Avatar IV and WebM videos."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request

import av
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import ANGELA_AVATAR_ID, MONICA_VOICE_ID, FAILURE_TRIGGER, Simulator, SimulatorConfig
from simulator.testing import call, poll, studio_body
from tests.helpers import solid_png

pytestmark = pytest.mark.e2e

PHOTO_REQUEST = {
    "name": "CEO Avatar",
    "age": "Early Middle Age",
    "gender": "Man",
    "ethnicity": "Asian American",
    "orientation": "horizontal",
    "pose": "half_body",
    "style": "Realistic",
    "appearance": "Professional executive in a navy suit, modern office background",
}


@pytest.fixture
async def sim():
    """A bare simulator (any key, plugin not pointed at it) in real time; replaces conftest's sim."""
    async with Simulator(SimulatorConfig(time_scale=1.0)) as server:
        yield server


async def upload(http, sim, data: bytes, content_type: str):
    return await call(http, sim, "POST", "/v1/asset", data=data, headers={"Content-Type": content_type})


async def get(http, sim, path, **params):
    return (await call(http, sim, "GET", path, params=params or None)).data


async def post(http, sim, path, body):
    reply = await call(http, sim, "POST", path, json=body)
    assert reply.status == 200, reply.body
    return reply.data


# photo avatars --------------------------------------------------------------------------------


async def test_photo_generation_gives_four_images_and_keys(http, sim):
    gen_id = (await post(http, sim, "/v2/photo_avatar/photo/generate", PHOTO_REQUEST))["generation_id"]
    pending = await get(http, sim, f"/v2/photo_avatar/generation/{gen_id}")
    sim.advance(9)
    done = await get(http, sim, f"/v2/photo_avatar/generation/{gen_id}")
    assert (pending["status"], pending["image_key_list"]) == ("in_progress", None)
    assert done["id"] == gen_id and done["status"] == "success"
    assert len(done["image_url_list"]) == len(done["image_key_list"]) == 4
    async with http.get(done["image_url_list"][0]) as resp:
        assert resp.content_type == "image/jpeg" and (await resp.read())[:2] == b"\xff\xd8"


async def test_photo_generation_validates_enums_and_can_fail(http, sim):
    bad = await call(http, sim, "POST", "/v2/photo_avatar/photo/generate", json=PHOTO_REQUEST | {"pose": "sitting"})
    assert bad.status == 400
    assert bad.error == {
        "code": "invalid_parameter",
        "message": "pose: Input should be 'half_body', 'close_up' or 'full_body'",
    }
    failing = PHOTO_REQUEST | {"appearance": f"a person {FAILURE_TRIGGER}"}
    gen_id = (await post(http, sim, "/v2/photo_avatar/photo/generate", failing))["generation_id"]
    sim.advance(9)
    status = await get(http, sim, f"/v2/photo_avatar/generation/{gen_id}")
    assert status["status"] == "failed" and "rejected" in status["msg"]


async def test_photo_avatar_group_train_looks_motion_sound_upscale(http, sim):
    gen_id = (await post(http, sim, "/v2/photo_avatar/photo/generate", PHOTO_REQUEST))["generation_id"]
    sim.advance(9)
    keys = (await get(http, sim, f"/v2/photo_avatar/generation/{gen_id}"))["image_key_list"]

    group = await post(
        http,
        sim,
        "/v2/photo_avatar/avatar_group/create",
        {"name": "CEO", "image_key": keys[0], "generation_id": gen_id},
    )
    group_id = group["group_id"]
    assert group["id"] == group_id and group["business_type"] == "generated" and group["is_motion"] is False
    no_gen = await call(
        http, sim, "POST", "/v2/photo_avatar/avatar_group/add", json={"group_id": group_id, "image_keys": keys[1:3]}
    )
    assert no_gen.status == 400
    added = await post(
        http,
        sim,
        "/v2/photo_avatar/avatar_group/add",
        {"group_id": group_id, "image_keys": keys[1:3], "name": "CEO", "generation_id": gen_id},
    )
    assert len(added["photo_avatar_list"]) == 2

    untrained = await call(http, sim, "GET", f"/v2/photo_avatar/train/status/{group_id}")
    early_look = await call(
        http, sim, "POST", "/v2/photo_avatar/look/generate", json={"group_id": group_id, "prompt": "in a red jacket"}
    )
    assert untrained.status == 400 and early_look.status == 400
    flow_id = (await post(http, sim, "/v2/photo_avatar/train", {"group_id": group_id}))["flow_id"]
    training = []
    for step in (0, 3, 20):  # pending 2 s, training 18 s
        sim.advance(step)
        training.append(await get(http, sim, f"/v2/photo_avatar/train/status/{group_id}"))
    assert [t["status"] for t in training] == ["pending", "training", "ready"]
    assert training[2]["updated_at"] > training[2]["created_at"] and training[2]["error_msg"] is None
    assert (await post(http, sim, "/v2/photo_avatar/train", {"group_id": group_id}))["flow_id"] == flow_id

    await post(http, sim, "/v2/photo_avatar/look/generate", {"group_id": group_id, "prompt": "in a red jacket"})
    sim.advance(9)
    looks = (await get(http, sim, f"/v2/avatar_group/{group_id}/avatars"))["avatar_list"]
    assert len(looks) == 7 and all("default_voice_id" in look for look in looks)
    listed = await get(http, sim, "/v2/avatar_group.list", include_public="false")
    assert listed["total_count"] == 1
    assert listed["avatar_group_list"][0] | {"created_at": 0} == {
        "id": group_id,
        "name": "CEO",
        "created_at": 0,
        "num_looks": 7,
        "group_type": "PHOTO",
        "preview_image": group["image_url"],
        "train_status": "ready",
        "default_voice_id": None,
    }

    motion_id = (await post(http, sim, "/v2/photo_avatar/add_motion", {"id": group_id, "motion_type": "expressive"}))[
        "id"
    ]
    pending = await get(http, sim, f"/v2/photo_avatar/{motion_id}")
    sim.advance(11)
    motion = await get(http, sim, f"/v2/photo_avatar/{motion_id}")
    assert pending["status"] == "pending" and pending["motion_preview_url"] is None
    assert motion["status"] == "completed" and motion["is_motion"] is True and motion["group_id"] == group_id
    async with http.get(motion["motion_preview_url"]) as resp:
        with av.open(io.BytesIO(await resp.read())) as clip:
            assert clip.streams.video[0].codec_context.name == "h264"

    sound_id = (await post(http, sim, "/v2/photo_avatar/add_sound_effect", {"id": motion_id}))["sound_effect_id"]
    assert (await get(http, sim, f"/v2/photo_avatar/{motion_id}"))["background_sound_effect"][
        "sound_effect_id"
    ] == sound_id

    refused = await call(http, sim, "POST", "/v2/photo_avatar/upscale", json={"id": group_id})
    assert refused.status == 400
    assert motion["upscale_availability"] == {"available": True, "reason": None}
    await post(http, sim, "/v2/photo_avatar/upscale", {"id": motion_id})
    sim.advance(6)
    assert (await get(http, sim, f"/v2/photo_avatar/{motion_id}"))["upscaled"] is True

    photo_video = studio_body("Hi from my photo avatar")
    photo_video["video_inputs"][0]["character"] = {"type": "talking_photo", "talking_photo_id": group_id}
    assert (await call(http, sim, "POST", "/v2/video/generate", json=photo_video)).status == 200
    talking = (await get(http, sim, "/v2/avatars"))["talking_photos"]
    assert group_id in {t["talking_photo_id"] for t in talking}


async def test_unknown_group_and_avatar_are_404(http, sim):
    assert (await call(http, sim, "GET", "/v2/photo_avatar/train/status/nope")).status == 404
    assert (await call(http, sim, "GET", "/v2/photo_avatar/nope")).status == 404
    assert (await call(http, sim, "GET", "/v2/photo_avatar/generation/nope")).status == 404


# uploads --------------------------------------------------------------------------------------


async def test_uploaded_image_feeds_a_group_and_avatar_iv(http):
    async with Simulator(SimulatorConfig(time_scale=0.02)) as sim:
        png = solid_png(64, 64, (200, 120, 40))
        reply = await upload(http, sim, png, "image/png")
        asset = reply.data
        assert reply.body["code"] == 100 and reply.body["message"] == "Success"
        assert asset["file_type"] == "image" and asset["image_key"] and isinstance(asset["created_ts"], int)
        async with http.get(asset["url"]) as resp:
            assert resp.content_type == "image/png" and await resp.read() == png

        group = await post(
            http, sim, "/v2/photo_avatar/avatar_group/create", {"name": "Me", "image_key": asset["image_key"]}
        )
        assert group["business_type"] == "user_upload" and group["image_url"] == asset["url"]

        av4 = {
            "image_key": asset["image_key"],
            "video_title": "Avatar IV",
            "script": "Hello from Avatar four",
            "voice_id": MONICA_VOICE_ID,
            "video_orientation": "portrait",
        }
        video_id = (await post(http, sim, "/v2/video/av4/generate", av4))["video_id"]
        status = (await poll(http, sim, "/v1/video_status.get", {"video_id": video_id}, {"completed"})).data
        async with http.get(status["video_url"]) as resp:
            with av.open(io.BytesIO(await resp.read())) as container:
                stream = container.streams.video[0]
                assert stream.codec_context.height > stream.codec_context.width  # portrait
        unknown_key = await call(http, sim, "POST", "/v2/video/av4/generate", json=av4 | {"image_key": "image/x"})
        assert unknown_key.status == 400


async def test_asset_ids_are_checked_by_type_in_video_inputs(http, sim):
    audio = (await upload(http, sim, b"ID3" + bytes(2000), "audio/mpeg")).data
    image = (await upload(http, sim, solid_png(64, 64, (200, 120, 40)), "image/png")).data
    assert audio["file_type"] == "audio" and audio["image_key"] is None

    body = studio_body()
    body["video_inputs"][0]["voice"] = {"type": "audio", "audio_asset_id": audio["id"]}
    body["video_inputs"][0]["background"] = {"type": "image", "image_asset_id": image["id"], "fit": "cover"}
    assert (await call(http, sim, "POST", "/v2/video/generate", json=body)).status == 200
    body["video_inputs"][0]["voice"] = {"type": "audio", "audio_asset_id": image["id"]}
    wrong = await call(http, sim, "POST", "/v2/video/generate", json=body)
    assert wrong.status == 400 and "audio asset" in wrong.error["message"]


async def test_upload_refuses_unsupported_types_and_oversize(http):
    async with Simulator(SimulatorConfig(max_image_bytes=1000)) as sim:
        text = await upload(http, sim, b"hello", "text/plain")
        big = await upload(http, sim, bytes(1001), "image/jpeg")
        empty = await upload(http, sim, b"", "image/jpeg")
        unauthorised = await call(http, sim, "POST", "/v1/asset", data=b"x", api_key=None)
    assert text.status == 400 and text.body["code"] == 400175 and "text/plain" in text.body["message"]
    assert big.status == 413 and "over the 1000 bytes limit" in big.body["message"] and big.body["code"] == 400175
    assert empty.status == 400
    assert unauthorised.body == {"code": 400112, "message": "Unauthorized"}
    assert sim.count("POST", "/v1/asset") == 4 and sim.requests[1].body_size == 1001


# WebM -----------------------------------------------------------------------------------------


async def test_webm_video_is_vp8_and_uses_the_v1_envelope(http):
    async with Simulator(SimulatorConfig(time_scale=0.02)) as sim:
        body = {
            "avatar_pose_id": ANGELA_AVATAR_ID,
            "avatar_style": "normal",
            "input_text": "Transparent hello",
            "voice_id": MONICA_VOICE_ID,
            "dimension": {"width": 1280, "height": 720},
        }
        created = await call(http, sim, "POST", "/v1/video.webm", json=body)
        unknown = await call(http, sim, "POST", "/v1/video.webm", json=body | {"avatar_pose_id": "nobody"})
        video_id = created.data["video_id"]
        status = (await poll(http, sim, "/v1/video_status.get", {"video_id": video_id}, {"completed"})).data
        async with http.get(status["video_url"]) as resp:
            payload = await resp.read()
            assert resp.content_type == "video/webm"
    assert created.body["code"] == 100
    assert unknown.status == 400 and unknown.body == {"code": 400144, "message": "Avatar not found: nobody"}
    with av.open(io.BytesIO(payload)) as container:
        assert container.streams.video[0].codec_context.name == "vp8"


# robustness -----------------------------------------------------------------------------------

JOB_POSTS = [
    "/v2/video/generate",
    "/v2/video/av4/generate",
    "/v1/video.webm",
    "/v2/photo_avatar/photo/generate",
    "/v2/photo_avatar/avatar_group/create",
    "/v2/photo_avatar/avatar_group/add",
    "/v2/photo_avatar/train",
    "/v2/photo_avatar/look/generate",
    "/v2/photo_avatar/add_motion",
    "/v2/photo_avatar/upscale",
]
FIELD_NAMES = [
    "type",
    "value",
    "url",
    "voice_id",
    "input_text",
    "avatar_id",
    "character",
    "voice",
    "background",
    "video_inputs",
    "dimension",
    "width",
    "height",
    "image_key",
    "image_keys",
    "group_id",
    "id",
    "script",
    "speed",
    "duration",
    "test",
    "caption",
    "prompt",
    "audio_url",
    "audio_asset_id",
]
LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-5, 6000)
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(["#FFFFFF", "text", "avatar", "audio", "image", "video", "color", "talking_photo", "silence"])
)
JSON_VALUES = st.recursive(
    LEAVES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELD_NAMES), inner, max_size=5)
)


def test_malformed_bodies_never_crash_the_server():
    """Whatever JSON arrives, the answer is HeyGen's 4xx, never a 500 from a handler bug."""
    with Simulator.running_in_thread(SimulatorConfig(time_scale=0.01)) as sim:

        @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
        @given(path=st.sampled_from(JOB_POSTS), body=JSON_VALUES)
        def check(path, body):
            request = urllib.request.Request(
                sim.url + path,
                data=json.dumps(body).encode(),
                method="POST",
                headers={"X-Api-Key": "k", "Content-Type": "application/json"},
            )
            try:
                with urllib.request.urlopen(request, timeout=5) as resp:
                    status = resp.status
            except urllib.error.HTTPError as err:
                status = err.code
            assert status < 500, (path, body)

        check()
