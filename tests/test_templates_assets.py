"""Templates (list_templates, get_template, generate_template_video) and upload_asset at the wire.

Each test runs the action through Integration.execute_action with a real ExecutionContext and checks the exact
request HeyGen receives (or that nothing was sent) and the flat output the workflow gets back.
"""

import asyncio
import base64
import json

import aiohttp
import pytest

from tests.conftest import API, OAUTH_AUTH, UPLOAD, request_count, run_action, sent
from tests.helpers import check_auth, check_request, data_of, error_of, pending_video, v1, v2, validation_error_of

VIDEO_ID = "5d1f3b7a9c2e4f6a8b0d1c3e5f7a9b2c"
TEMPLATE_ID = "b4c1a9e2f3d54e6f8a7b9c0d1e2f3a4b"
TEMPLATES = f"{API}/v2/templates"
TEMPLATE = f"{API}/v2/template/{TEMPLATE_ID}"
GENERATE = f"{TEMPLATE}/generate"
STATUS = f"{API}/v1/video_status.get?video_id={VIDEO_ID}"
ASSET = f"{UPLOAD}/v1/asset"

CREATED = pending_video(VIDEO_ID)


# ---------------------------------------------------------------- list_templates

TEMPLATE_LIST = {
    "templates": [
        {"template_id": "t1", "name": "Product Launch", "thumbnail_image_url": "https://cdn.heygen.com/t1.jpg"},
        {"template_id": "t2", "name": "Weekly Update", "thumbnail_image_url": None, "aspect_ratio": "16:9"},
        {"template_id": "t3", "name": "Product FAQ"},
    ]
}


async def test_list_templates_returns_each_template_and_the_total(wire, auth):
    wire.get(TEMPLATES, payload=v2(TEMPLATE_LIST))

    result = await run_action("list_templates", {}, auth=auth)

    assert data_of(result) == {
        "templates": [
            {"template_id": "t1", "name": "Product Launch", "thumbnail_image_url": "https://cdn.heygen.com/t1.jpg"},
            {"template_id": "t2", "name": "Weekly Update", "thumbnail_image_url": None},
            {"template_id": "t3", "name": "Product FAQ", "thumbnail_image_url": None},
        ],
        "total": 3,
        "next_page_token": None,
        "has_more": False,
    }
    (call,) = sent(wire)
    check_request(call, "GET", TEMPLATES, auth)


async def test_list_templates_filters_by_name_in_any_case(wire):
    wire.get(TEMPLATES, payload=v2(TEMPLATE_LIST))

    result = await run_action("list_templates", {"name_contains": "product"})

    assert [t["template_id"] for t in data_of(result)["templates"]] == ["t1", "t3"]
    assert data_of(result)["total"] == 2
    (call,) = sent(wire)
    check_request(call, "GET", TEMPLATES, OAUTH_AUTH)  # the filter is applied here, not sent


async def test_list_templates_of_an_account_without_templates(wire):
    wire.get(TEMPLATES, payload=v2({"templates": []}))

    assert data_of(await run_action("list_templates", {})) == {
        "templates": [],
        "total": 0,
        "next_page_token": None,
        "has_more": False,
    }


async def test_list_templates_heygen_refusal_is_an_error_without_credentials(wire, auth):
    wire.get(TEMPLATES, status=401, payload={"error": {"code": 400112, "message": "Unauthorized"}, "data": None})

    message = error_of(await run_action("list_templates", {}, auth=auth))

    assert message == (
        "list_templates failed: HeyGen 401 (400112) Unauthorized. Hint: HeyGen did not accept the credentials: "
        "reconnect HeyGen in Autohive (locally, check HEYGEN_API_KEY)."
    )


# ---------------------------------------------------------------- get_template

TEMPLATE_DETAILS = {
    "template_id": TEMPLATE_ID,
    "variables": {
        "headline": {"name": "headline", "type": "text", "properties": {"content": "Nimbus One"}},
        "logo": {
            "name": "logo",
            "type": "image",
            "properties": {"url": "https://cdn.example.com/logo.png", "asset_id": None, "fit": "contain"},
        },
        "intro": {
            "name": "intro",
            "type": "video",
            "properties": {"url": None, "asset_id": "vid_1", "play_style": "loop", "fit": "cover"},
        },
        "presenter": {
            "name": "presenter",
            "type": "character",
            "properties": {"character_id": "Angela-inblackskirt-20220820", "type": "avatar"},
        },
        "narrator": {
            "name": "narrator",
            "type": "voice",
            "properties": {"voice_id": "1bd001e7ffe04520adf63141a163d1f8"},
        },
        "music": {"name": "music", "type": "audio", "properties": {"url": "https://cdn.example.com/m.mp3"}},
        "chart": {"name": "chart", "type": "sticker", "properties": {"sticker_id": "s9"}},
    },
}
TEMPLATE_VARIABLES = [
    {"name": "headline", "type": "text", "raw_type": "text", "properties": {"content": "Nimbus One"}},
    {
        "name": "logo",
        "type": "image",
        "raw_type": "image",
        "properties": {"url": "https://cdn.example.com/logo.png", "fit": "contain"},
    },
    {
        "name": "intro",
        "type": "video",
        "raw_type": "video",
        "properties": {"asset_id": "vid_1", "play_style": "loop", "fit": "cover"},
    },
    {
        "name": "presenter",
        "type": "character",
        "raw_type": "character",
        "properties": {"character_id": "Angela-inblackskirt-20220820", "type": "avatar"},
    },
    {
        "name": "narrator",
        "type": "voice",
        "raw_type": "voice",
        "properties": {"voice_id": "1bd001e7ffe04520adf63141a163d1f8"},
    },
    {"name": "music", "type": "audio", "raw_type": "audio", "properties": {"url": "https://cdn.example.com/m.mp3"}},
    {"name": "chart", "type": "other", "raw_type": "sticker", "properties": {"sticker_id": "s9"}},
]


async def test_get_template_lists_typed_variables_in_heygens_order(wire, auth):
    wire.get(TEMPLATE, payload=v2(TEMPLATE_DETAILS))

    result = await run_action("get_template", {"template_id": TEMPLATE_ID}, auth=auth)

    assert data_of(result) == {"template_id": TEMPLATE_ID, "variables": TEMPLATE_VARIABLES}
    (call,) = sent(wire)
    check_request(call, "GET", TEMPLATE, auth)


async def test_get_template_names_a_variable_by_its_key_when_heygen_leaves_name_out(wire):
    wire.get(TEMPLATE, payload=v2({"variables": {"tagline": {"type": "text", "properties": None}}}))

    result = await run_action("get_template", {"template_id": TEMPLATE_ID})

    assert data_of(result)["variables"] == [{"name": "tagline", "type": "text", "raw_type": "text", "properties": None}]


async def test_get_template_escapes_the_id_in_the_path(wire):
    wire.get(f"{API}/v2/template/a%2F..%2Fb", payload=v2({"variables": {}}))

    result = await run_action("get_template", {"template_id": "a/../b"})

    assert data_of(result) == {"template_id": "a/../b", "variables": []}


async def test_get_template_unknown_id_is_an_error(wire):
    wire.get(TEMPLATE, status=404, payload={"error": {"code": "not_found", "message": "Template not found"}})

    message = error_of(await run_action("get_template", {"template_id": TEMPLATE_ID}))

    assert message.startswith("get_template failed: HeyGen 404 (not_found) Template not found. Hint: ")


async def test_get_template_requires_a_template_id(wire):
    message = validation_error_of(await run_action("get_template", {}))

    assert "template_id: is required" in message
    assert request_count(wire) == 0


# ---------------------------------------------------------------- generate_template_video

VARIABLES = {
    "headline": {"type": "text", "properties": {"content": "Meet Nimbus Two"}},
    "logo": {"type": "image", "properties": {"asset_id": "a1b2c3", "fit": "cover"}},
    "intro": {"type": "video", "properties": {"url": "https://cdn.example.com/intro.mp4", "play_style": "once"}},
    "presenter": {"type": "character", "properties": {"character_id": "tp_42", "type": "talking_photo"}},
    "narrator": {"type": "voice", "properties": {"voice_id": "f38a635bee7a4d1f9b0a654a31d050d2"}},
    "music": {"type": "audio", "properties": {"asset_id": "aud_7"}},
}
SENT_VARIABLES = {name: {**variable, "name": name} for name, variable in VARIABLES.items()}


async def test_generate_template_video_checks_the_template_then_sends_the_variables(wire, auth):
    wire.get(TEMPLATE, payload=v2(TEMPLATE_DETAILS))
    wire.post(GENERATE, payload=v2({"video_id": VIDEO_ID}))

    result = await run_action(
        "generate_template_video", {"template_id": TEMPLATE_ID, "variables": VARIABLES}, auth=auth
    )

    assert data_of(result) == CREATED
    get, post = sent(wire)
    check_request(get, "GET", TEMPLATE, auth)
    check_request(post, "POST", GENERATE, auth, {"variables": SENT_VARIABLES})


async def test_generate_template_video_sends_every_option(wire, auth):
    options = {
        "title": "Launch video",
        "caption": True,
        "dimension": {"width": 1080, "height": 1920},
        "test": True,
        "callback_id": "launch-7",
        "callback_url": "https://hooks.example.com/heygen",
        "folder_id": "fld_3",
        "brand_voice_id": "bv_9",
    }
    wire.post(GENERATE, payload=v2({"video_id": VIDEO_ID}))
    inputs = {"template_id": TEMPLATE_ID, "variables": VARIABLES, "validate_against_template": False, **options}

    result = await run_action("generate_template_video", inputs, auth=auth)

    assert data_of(result) == {**CREATED, "callback_id": "launch-7"}
    (call,) = sent(wire)
    check_request(call, "POST", GENERATE, auth, {"variables": SENT_VARIABLES, **options})


async def test_generate_template_video_accepts_a_name_equal_to_its_key(wire):
    wire.post(GENERATE, payload=v2({"video_id": VIDEO_ID}))
    variables = {"headline": {"name": "headline", "type": "text", "properties": {"content": "Hi"}}}

    inputs = {"template_id": TEMPLATE_ID, "variables": variables, "validate_against_template": False}
    assert data_of(await run_action("generate_template_video", inputs))["video_id"] == VIDEO_ID

    check_request(sent(wire)[0], "POST", GENERATE, OAUTH_AUTH, {"variables": variables})


async def test_generate_template_video_takes_get_templates_properties_as_they_are(wire):
    """get_template's output, with only the values changed, is a valid generate_template_video input."""
    wire.get(TEMPLATE, payload=v2(TEMPLATE_DETAILS), repeat=True)
    wire.post(GENERATE, payload=v2({"video_id": VIDEO_ID}))
    listed = data_of(await run_action("get_template", {"template_id": TEMPLATE_ID}))["variables"]
    variables = {v["name"]: {"type": v["type"], "properties": v["properties"]} for v in listed if v["type"] != "other"}

    result = await run_action("generate_template_video", {"template_id": TEMPLATE_ID, "variables": variables})

    assert data_of(result)["video_id"] == VIDEO_ID


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (
            {"slogan": {"type": "text", "properties": {"content": "x"}}},
            "variables.slogan",
            "is not a variable of template",
        ),
        (
            {"logo": {"type": "video", "properties": {"asset_id": "a1b2c3"}}},
            "variables.logo.type",
            "is video, but the template's logo is image",
        ),
    ],
    ids=["unknown_name", "different_type"],
)
async def test_generate_template_video_refuses_what_the_template_would_not_take(wire, change, path, words):
    wire.get(TEMPLATE, payload=v2(TEMPLATE_DETAILS))

    inputs = {"template_id": TEMPLATE_ID, "variables": {**VARIABLES, **change}}
    message = validation_error_of(await run_action("generate_template_video", inputs))

    assert f"{path}: {words}" in message
    (call,) = sent(wire)  # only the template was read: nothing was generated
    check_request(call, "GET", TEMPLATE, OAUTH_AUTH)


async def test_generate_template_video_sends_a_call_that_leaves_variables_out(wire):
    """As on HeyGen, a variable the call leaves out keeps the template's own value: nothing refuses it."""
    wire.get(TEMPLATE, payload=v2(TEMPLATE_DETAILS))
    wire.post(GENERATE, payload=v2({"video_id": "vid_partial"}))
    variables = {name: v for name, v in VARIABLES.items() if name != "narrator"}

    video = data_of(await run_action("generate_template_video", {"template_id": TEMPLATE_ID, "variables": variables}))

    assert video["video_id"] == "vid_partial"
    (_, (_, url, kwargs)) = sent(wire)
    assert url == GENERATE
    assert "narrator" not in json.loads(kwargs["data"])["variables"]


async def test_generate_template_video_names_every_mismatch_at_once(wire):
    wire.get(TEMPLATE, payload=v2(TEMPLATE_DETAILS))
    variables = {**VARIABLES, "slogan": {"type": "text", "properties": {"content": "x"}}}
    variables["music"] = {"type": "voice", "properties": {"voice_id": "v"}}
    del variables["headline"]

    message = validation_error_of(
        await run_action("generate_template_video", {"template_id": TEMPLATE_ID, "variables": variables})
    )

    for path in ("variables.slogan", "variables.music.type"):
        assert path in message
    assert "variables.headline" not in message  # left out: it keeps the template's value
    assert request_count(wire) == 1


async def test_generate_template_video_unknown_template_is_an_error_and_nothing_is_generated(wire):
    wire.get(TEMPLATE, status=404, payload={"error": {"code": "not_found", "message": "Template not found"}})

    message = error_of(
        await run_action("generate_template_video", {"template_id": TEMPLATE_ID, "variables": VARIABLES})
    )

    assert message.startswith("generate_template_video failed: HeyGen 404 (not_found) Template not found.")
    assert request_count(wire) == 1


async def test_generate_template_video_refuses_a_name_that_differs_from_its_key(wire):
    variables = {"headline": {"name": "title", "type": "text", "properties": {"content": "Hi"}}}

    message = validation_error_of(
        await run_action("generate_template_video", {"template_id": TEMPLATE_ID, "variables": variables})
    )

    assert "variables.headline.name: must equal its key 'headline'" in message
    assert request_count(wire) == 0


@pytest.mark.parametrize(
    ("variables", "words"),
    [
        ({}, "variables: must have at least 1 field"),
        ({"headline": {"type": "text", "properties": {}}}, "variables.headline.properties.content: is required"),
        (
            {"logo": {"type": "image", "properties": {"url": "https://a.example/x.png", "asset_id": "a1"}}},
            "variables.logo.properties: give only one of url or asset_id, not both",
        ),
        ({"logo": {"type": "image", "properties": {"fit": "cover"}}}, "variables.logo.properties: needs one of url"),
        ({"intro": {"type": "video", "properties": {}}}, "variables.intro.properties: needs one of url or asset_id"),
        ({"music": {"type": "audio", "properties": {}}}, "variables.music.properties: needs one of url or asset_id"),
        (
            {"logo": {"type": "image", "properties": {"url": "ftp://a.example/x.png"}}},
            "variables.logo.properties.url: must be a URL starting with http:// or https://",
        ),
        (
            {"intro": {"type": "video", "properties": {"asset_id": "v", "play_style": "bounce"}}},
            "variables.intro.properties.play_style: must be one of: fit_to_scene",
        ),
        (
            {"presenter": {"type": "character", "properties": {"character_id": "x"}}},
            "variables.presenter.properties.type: is required",
        ),
        (
            {"presenter": {"type": "character", "properties": {"character_id": "x", "type": "robot"}}},
            "variables.presenter.properties.type: must be one of: avatar, talking_photo",
        ),
        ({"narrator": {"type": "voice", "properties": {}}}, "variables.narrator.properties.voice_id: is required"),
        (
            {"narrator": {"type": "voice", "properties": {"voice_id": "v", "speed": 1.2}}},
            "variables.narrator.properties.speed: is not a known field",
        ),
        ({"chart": {"type": "sticker", "properties": {}}}, "variables.chart.type: must be one of: text, image"),
        ({"headline": {"type": "text"}}, "variables.headline.properties: is required"),
        ({"headline": "Hello"}, "variables.headline: must be an object"),
    ],
    ids=[
        "empty",
        "text_without_content",
        "image_url_and_asset",
        "image_without_source",
        "video_without_source",
        "audio_without_source",
        "image_bad_url",
        "video_bad_play_style",
        "character_without_type",
        "character_bad_type",
        "voice_without_id",
        "voice_extra_field",
        "unknown_variable_type",
        "no_properties",
        "not_an_object",
    ],
)
async def test_generate_template_video_invalid_variables_are_refused_before_sending(wire, variables, words):
    message = validation_error_of(
        await run_action("generate_template_video", {"template_id": TEMPLATE_ID, "variables": variables})
    )

    assert words in message
    assert request_count(wire) == 0


async def test_generate_template_video_invalid_dimension_is_refused_before_sending(wire):
    inputs = {"template_id": TEMPLATE_ID, "variables": VARIABLES, "dimension": {"width": 1081, "height": 1920}}

    message = validation_error_of(await run_action("generate_template_video", inputs))

    assert "dimension.width: must be an even number" in message
    assert request_count(wire) == 0


COMPLETED_DATA = {
    "id": VIDEO_ID,
    "status": "completed",
    "video_url": "https://files.heygen.ai/video/t.mp4",
    "thumbnail_url": "https://files.heygen.ai/thumb/t.jpeg",
    "gif_url": None,
    "caption_url": None,
    "duration": 9.5,
    "created_at": 1700000000,
    "callback_id": None,
    "error": None,
}


async def test_generate_template_video_waits_until_completed(wire):
    wire.post(GENERATE, payload=v2({"video_id": VIDEO_ID}))
    wire.get(STATUS, payload=v1({"id": VIDEO_ID, "status": "waiting"}))
    wire.get(STATUS, payload=v1(COMPLETED_DATA))
    inputs = {"template_id": TEMPLATE_ID, "variables": VARIABLES, "validate_against_template": False}

    result = await run_action("generate_template_video", {**inputs, "wait_for_completion": True})

    assert data_of(result) == {
        **CREATED,
        "status": "completed",
        "raw_status": "completed",
        "video_url": "https://files.heygen.ai/video/t.mp4",
        "thumbnail_url": "https://files.heygen.ai/thumb/t.jpeg",
        "duration": 9.5,
        "created_at": 1700000000,
    }
    post, *polls = sent(wire)
    check_request(post, "POST", GENERATE, OAUTH_AUTH, {"variables": SENT_VARIABLES})
    assert len(polls) == 2
    for poll in polls:
        check_request(poll, "GET", STATUS, OAUTH_AUTH)


async def test_generate_template_video_heygen_refusal_is_an_error(wire):
    wire.post(
        GENERATE,
        status=400,
        payload={"error": {"code": 400116, "message": "Voice not found: f38a"}, "data": None},
    )
    inputs = {"template_id": TEMPLATE_ID, "variables": VARIABLES, "validate_against_template": False}

    message = error_of(await run_action("generate_template_video", inputs))

    assert message == (
        "generate_template_video failed: HeyGen 400 (400116) Voice not found: f38a. Hint: No voice has that id: "
        "call list_voices for valid voice ids."
    )


async def test_generate_template_video_is_not_resent_when_the_answer_is_lost(wire):
    wire.post(GENERATE, exception=aiohttp.ServerDisconnectedError())
    inputs = {"template_id": TEMPLATE_ID, "variables": VARIABLES, "validate_against_template": False}

    message = error_of(await run_action("generate_template_video", inputs))

    assert "check get_video_status or list_videos before trying again" in message
    assert request_count(wire) == 1


# ---------------------------------------------------------------- upload_asset

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(64))
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(64)
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01" + bytes(64)
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x0f" + bytes(64)
MP3_FRAME = b"\xff\xfb\x90\x64" + bytes(64)
SAMPLES = {"image/png": PNG, "image/jpeg": JPEG, "video/mp4": MP4, "video/webm": WEBM, "audio/mpeg": MP3}
KINDS = {
    "image/png": "image",
    "image/jpeg": "image",
    "video/mp4": "video",
    "video/webm": "video",
    "audio/mpeg": "audio",
}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def asset_answer(file_type="image", **fields):
    data = {
        "id": "f1e2d3c4b5a6",
        "name": "f1e2d3c4b5a6",
        "file_type": file_type,
        "folder_id": "",
        "url": "https://resource.heygen.ai/image/f1e2d3c4b5a6/original.png",
        "image_key": "image/f1e2d3c4b5a6/original" if file_type == "image" else None,
        "created_ts": 1700000123,
    }
    return v1({**data, **fields})


def check_upload(call, auth, data: bytes, content_type: str):
    """The upload: a POST to the upload host whose body is the raw file and whose Content-Type says its type."""
    method, url, kwargs = call
    assert (method, url) == ("POST", ASSET)
    check_auth(kwargs["headers"], auth)
    assert kwargs["headers"]["Content-Type"] == content_type
    assert kwargs["data"] == data


def uploaded(content_type: str, size: int, **fields) -> dict:
    output = {
        "asset_id": "f1e2d3c4b5a6",
        "name": "f1e2d3c4b5a6",
        "file_type": KINDS[content_type],
        "url": "https://resource.heygen.ai/image/f1e2d3c4b5a6/original.png",
        "image_key": "image/f1e2d3c4b5a6/original" if KINDS[content_type] == "image" else None,
        "folder_id": None,
        "created_ts": 1700000123,
        "content_type": content_type,
        "size_bytes": size,
        "mime_type": None,  # v3 only
        "status": None,  # v3 direct uploads only
    }
    return {**output, **fields}


async def test_upload_asset_sends_the_raw_file_to_the_upload_host(wire, auth):
    wire.post(ASSET, payload=asset_answer())

    file = {"content": b64(PNG), "name": "logo.png", "contentType": "image/png"}
    result = await run_action("upload_asset", {"file": file}, auth=auth)

    assert data_of(result) == uploaded("image/png", len(PNG))
    (call,) = sent(wire)
    check_upload(call, auth, PNG, "image/png")


@pytest.mark.parametrize("content_type", list(SAMPLES))
async def test_upload_asset_takes_each_allowed_type_from_content_type(wire, content_type):
    wire.post(ASSET, payload=asset_answer(KINDS[content_type]))
    data = SAMPLES[content_type]

    result = await run_action("upload_asset", {"file": {"content": b64(data), "contentType": content_type}})

    assert data_of(result) == uploaded(content_type, len(data), name="f1e2d3c4b5a6")
    check_upload(sent(wire)[0], OAUTH_AUTH, data, content_type)


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("photo.JPG", "image/jpeg"),
        ("photo.jpeg", "image/jpeg"),
        ("clip.webm", "video/webm"),
        ("voice.mp3", "audio/mpeg"),
    ],
)
async def test_upload_asset_infers_the_type_from_the_file_name(wire, name, content_type):
    wire.post(ASSET, payload=asset_answer(KINDS[content_type]))

    result = await run_action("upload_asset", {"file": {"content": b64(b"opaque bytes"), "name": name}})

    assert data_of(result)["content_type"] == content_type
    check_upload(sent(wire)[0], OAUTH_AUTH, b"opaque bytes", content_type)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (MP4, "video/mp4"),
        (WEBM, "video/webm"),
        (MP3, "audio/mpeg"),
        (MP3_FRAME, "audio/mpeg"),
    ],  # fmt: skip
    ids=["png", "jpeg", "mp4", "webm", "mp3_id3", "mp3_frame"],
)
async def test_upload_asset_detects_the_type_from_the_bytes_when_nothing_says_it(wire, data, content_type):
    wire.post(ASSET, payload=asset_answer(KINDS[content_type]))

    file = {"content": b64(data), "name": "upload", "contentType": "application/octet-stream"}
    result = await run_action("upload_asset", {"file": file})

    assert data_of(result)["content_type"] == content_type
    check_upload(sent(wire)[0], OAUTH_AUTH, data, content_type)


async def test_upload_asset_content_type_input_overrides_the_files_own(wire):
    wire.post(ASSET, payload=asset_answer("image"))

    file = {"content": b64(JPEG), "name": "photo.png", "contentType": "image/png"}
    result = await run_action("upload_asset", {"file": file, "content_type": "image/jpeg"})

    assert data_of(result)["content_type"] == "image/jpeg"
    check_upload(sent(wire)[0], OAUTH_AUTH, JPEG, "image/jpeg")


@pytest.mark.parametrize(("declared", "sent_as"), [("image/jpg", "image/jpeg"), ("audio/mp3; q=1", "audio/mpeg")])
async def test_upload_asset_understands_common_aliases(wire, declared, sent_as):
    wire.post(ASSET, payload=asset_answer(KINDS[sent_as]))

    result = await run_action("upload_asset", {"file": {"content": b64(b"data"), "contentType": declared}})

    assert data_of(result)["content_type"] == sent_as
    check_upload(sent(wire)[0], OAUTH_AUTH, b"data", sent_as)


async def test_upload_asset_accepts_a_data_url(wire):
    wire.post(ASSET, payload=asset_answer())

    result = await run_action("upload_asset", {"file": {"content": "data:image/png;base64," + b64(PNG)}})

    assert data_of(result)["size_bytes"] == len(PNG)
    check_upload(sent(wire)[0], OAUTH_AUTH, PNG, "image/png")


async def test_upload_asset_of_a_video_has_no_image_key(wire):
    wire.post(ASSET, payload=asset_answer("video", image_key="", folder_id="fld_1", name="intro"))

    result = await run_action("upload_asset", {"file": {"content": b64(MP4), "name": "intro.mp4"}})

    assert data_of(result) == uploaded("video/mp4", len(MP4), image_key=None, folder_id="fld_1", name="intro")


@pytest.mark.parametrize(
    ("file", "words"),
    [
        ({"content": b64(b"GIF89a...."), "contentType": "image/gif"}, "file.contentType: is image/gif: HeyGen accepts"),
        ({"content": b64(b"GIF89a...."), "name": "anim.gif"}, "file.name: is image/gif: HeyGen accepts"),
        ({"content": b64(b"just some text")}, "file: is not a type this integration recognises: give content_type"),
        ({"content": "", "name": "a.png"}, "file.content: must not be empty"),
        ({"content": "data:image/png;base64,", "name": "a.png"}, "file: is empty"),
        ({"content": "not base64!", "name": "a.png"}, "file.content: must be the file's bytes in base64"),
    ],
    ids=["gif_content_type", "gif_name", "unknown_bytes", "empty_content", "empty_file", "bad_base64"],
)
async def test_upload_asset_refuses_files_heygen_would_not_take_before_sending(wire, file, words):
    message = validation_error_of(await run_action("upload_asset", {"file": file}))

    assert words in message
    assert request_count(wire) == 0


async def test_upload_asset_refuses_an_image_over_50_mb_before_sending(wire):
    image = PNG + bytes(50_000_001 - len(PNG))

    message = validation_error_of(
        await run_action("upload_asset", {"file": {"content": b64(image), "name": "big.png"}})
    )

    assert "file: is 50.0 MB: HeyGen accepts image files up to 50 MB" in message
    assert request_count(wire) == 0


async def test_upload_asset_allows_a_video_over_the_image_limit(wire):
    video = MP4 + bytes(50_000_001 - len(MP4))
    wire.post(ASSET, payload=asset_answer("video"))

    result = await run_action("upload_asset", {"file": {"content": b64(video), "name": "long.mp4"}})

    assert data_of(result)["size_bytes"] == 50_000_001
    check_upload(sent(wire)[0], OAUTH_AUTH, video, "video/mp4")


@pytest.mark.parametrize(
    "inputs",
    [{}, {"file": {"content": b64(PNG)}, "url": "https://cdn.example.com/a.png"}],
    ids=["neither", "both"],
)
async def test_upload_asset_needs_exactly_one_of_file_and_url(wire, inputs):
    message = validation_error_of(await run_action("upload_asset", inputs))

    assert "file or url" in message
    assert request_count(wire) == 0


async def test_upload_asset_refuses_an_unlisted_content_type(wire):
    message = validation_error_of(
        await run_action("upload_asset", {"file": {"content": b64(PNG)}, "content_type": "image/gif"})
    )

    assert "content_type: must be one of: image/png, image/jpeg, video/mp4, video/webm, audio/mpeg" in message
    assert request_count(wire) == 0


SOURCE = "https://cdn.example.com/media/team%20photo.jpg?sig=abc"


async def test_upload_asset_from_a_url_downloads_without_heygen_credentials_then_uploads(wire, auth):
    wire.get(SOURCE, body=JPEG, headers={"Content-Type": "image/jpeg"})
    wire.post(ASSET, payload=asset_answer(name="team photo.jpg"))

    result = await run_action("upload_asset", {"url": SOURCE}, auth=auth)

    assert data_of(result) == uploaded("image/jpeg", len(JPEG), name="team photo.jpg")
    download, upload = sent(wire)
    assert download[:2] == ("GET", SOURCE)
    headers = download[2].get("headers") or {}
    assert "X-Api-Key" not in headers and "Authorization" not in headers
    check_upload(upload, auth, JPEG, "image/jpeg")


async def test_upload_asset_from_a_url_names_the_file_after_the_link_when_heygen_does_not(wire):
    wire.get(SOURCE, body=JPEG, headers={"Content-Type": "image/jpeg"})
    wire.post(ASSET, payload=asset_answer(name=None))

    assert data_of(await run_action("upload_asset", {"url": SOURCE}))["name"] == "team photo.jpg"


@pytest.mark.parametrize(
    ("url", "served_as", "data", "content_type"),
    [
        ("https://cdn.example.com/clip.mp4", "application/octet-stream", MP4, "video/mp4"),
        ("https://cdn.example.com/download?id=7", "binary/octet-stream", WEBM, "video/webm"),
        ("https://cdn.example.com/download?id=8", "text/plain", MP3, "audio/mpeg"),
        ("https://cdn.example.com/file.bin", "audio/mpeg", b"opaque", "audio/mpeg"),
    ],
    ids=["url_extension", "bytes", "bytes_over_a_wrong_label", "served_type"],
)
async def test_upload_asset_from_a_url_finds_the_type(wire, url, served_as, data, content_type):
    wire.get(url, body=data, headers={"Content-Type": served_as})
    wire.post(ASSET, payload=asset_answer(KINDS[content_type]))

    result = await run_action("upload_asset", {"url": url})

    assert data_of(result)["content_type"] == content_type
    check_upload(sent(wire)[1], OAUTH_AUTH, data, content_type)


async def test_upload_asset_from_a_url_that_serves_a_web_page_is_refused(wire):
    wire.get(SOURCE, body=b"<html>Please log in</html>", headers={"Content-Type": "text/html; charset=utf-8"})

    message = validation_error_of(await run_action("upload_asset", {"url": SOURCE}))

    assert "url: is text/html: HeyGen accepts only PNG or JPEG images, MP4 or WebM videos, MP3 audio" in message
    assert request_count(wire) == 1  # the download only


async def test_upload_asset_from_a_url_stops_downloading_past_the_limit(wire):
    wire.get(SOURCE, body=JPEG, headers={"Content-Type": "image/jpeg", "Content-Length": "50000001"})

    message = validation_error_of(await run_action("upload_asset", {"url": SOURCE}))

    assert "url: the file is over 50 MB, more than HeyGen accepts" in message
    assert request_count(wire) == 1


async def test_upload_asset_from_a_url_that_cannot_be_downloaded_is_an_error(wire):
    wire.get(SOURCE, status=404, body=b"Not Found")

    message = error_of(await run_action("upload_asset", {"url": SOURCE}))

    assert message == (
        "upload_asset failed: could not download url (HTTP 404). Hint: The link must be public (it should open in a "
        "private browser window without logging in)."
    )
    assert request_count(wire) == 1


async def test_upload_asset_heygen_refusal_is_an_error(wire, auth):
    wire.post(ASSET, status=400, payload={"code": 400175, "message": "Unsupported content type"})

    message = error_of(await run_action("upload_asset", {"file": {"content": b64(PNG)}}, auth=auth))

    assert message == "upload_asset failed: HeyGen 400 (400175) Unsupported content type."


async def test_upload_asset_is_not_resent_after_a_timeout(wire):
    wire.post(ASSET, exception=asyncio.TimeoutError())

    message = error_of(await run_action("upload_asset", {"file": {"content": b64(PNG)}}))

    assert message.startswith("upload_asset failed: no answer from HeyGen within 300 s.")
    assert request_count(wire) == 1


async def test_upload_asset_is_resent_when_heygen_refused_it_with_429(wire):
    wire.post(ASSET, status=429, headers={"Retry-After": "0"}, payload={"code": 429, "message": "Too many requests"})
    wire.post(ASSET, payload=asset_answer())

    result = await run_action("upload_asset", {"file": {"content": b64(PNG)}})

    assert data_of(result)["asset_id"] == "f1e2d3c4b5a6"
    first, second = wire.requests[("POST", aiohttp.client.URL(ASSET))]
    assert first.kwargs["data"] == second.kwargs["data"] == PNG


async def test_upload_asset_answer_without_an_id_is_an_error(wire):
    wire.post(ASSET, payload=v1({"name": "x"}))

    message = error_of(await run_action("upload_asset", {"file": {"content": b64(PNG)}}))

    assert message.startswith("upload_asset failed: HeyGen accepted the request but its answer has no id.")
