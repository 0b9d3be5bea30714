"""upload_asset on HeyGen's v3 API: multipart POST /v3/assets up to 32 MB, the direct upload above that, the
types only v3 takes (refused clearly by the legacy route), and the same output as the legacy upload host's.
"""

import hashlib

import aiohttp
import pytest

from heygen_actions import asset_uploads
from tests.conftest import API_KEY_AUTH, run_action, sent
from tests.helpers import check_auth, data_of, error_of, validation_error_of
from tests.test_templates_assets import ASSET, MP4, PNG, asset_answer, b64, uploaded
from tests.v3_wire import answer, gone_page, sent_body, url

V3_ASSETS = url("AssetCreate")
SLOTS = url("AssetDirectUploadsCreate")
ASSET_ID = "ast_7f3e9b21"
COMPLETE = url("AssetCompleteCreate", asset_id=ASSET_ID)
STORAGE = "https://heygen-uploads.s3.us-west-2.amazonaws.com/ast_7f3e9b21?X-Amz-Signature=abc"
STORAGE_HEADERS = {"Content-Type": "video/mp4", "x-amz-checksum-sha256": "c2hh"}
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(32)


def v3_asset(mime_type: str = "image/png", size: int = len(PNG)) -> dict:
    data = {"asset_id": ASSET_ID, "url": f"https://resource.heygen.ai/{ASSET_ID}", "mime_type": mime_type}
    return answer("AssetCreate", {**data, "size_bytes": size})


def v3_uploaded(content_type: str, size: int, name, file_type: str, **fields) -> dict:
    """The legacy output's fields from a v3 answer: what v3 does not say (image_key, folder, time) is null."""
    return {
        "asset_id": ASSET_ID,
        "name": name,
        "file_type": file_type,
        "url": f"https://resource.heygen.ai/{ASSET_ID}",
        "image_key": None,
        "folder_id": None,
        "created_ts": None,
        "content_type": content_type,
        "size_bytes": size,
        "mime_type": content_type,
        "status": None,
        **fields,
    }


def form_fields(kwargs) -> list:
    """(field name, file name, Content-Type, bytes) of each part of the multipart body sent."""
    form = kwargs["data"]
    assert isinstance(form, aiohttp.FormData)
    return [
        (options["name"], options.get("filename"), headers.get("Content-Type"), value)
        for options, headers, value in form._fields
    ]


def mp4_of(size: int) -> bytes:
    return MP4 + bytes(size - len(MP4))


async def test_upload_asset_posts_the_file_as_multipart_to_v3(wire, auth, v3):
    wire.post(V3_ASSETS, payload=v3_asset())

    result = await run_action("upload_asset", {"file": {"content": b64(PNG), "name": "logo.png"}}, auth=auth)

    assert data_of(result) == v3_uploaded("image/png", len(PNG), "logo.png", "image")
    ((method, sent_url, kwargs),) = sent(wire)
    assert (method, sent_url) == ("POST", V3_ASSETS)
    check_auth(kwargs["headers"], auth)
    assert kwargs["headers"]["Idempotency-Key"]
    assert "Content-Type" not in kwargs["headers"]  # aiohttp sets multipart/form-data with its boundary
    assert form_fields(kwargs) == [("file", "logo.png", "image/png", PNG)]


async def test_the_same_upload_on_the_legacy_api_gives_the_same_fields(wire, v3, monkeypatch):
    wire.post(V3_ASSETS, payload=v3_asset())
    on_v3 = data_of(await run_action("upload_asset", {"file": {"content": b64(PNG), "name": "logo.png"}}))
    monkeypatch.setenv("HEYGEN_API_VERSION", "legacy")
    wire.post(ASSET, payload=asset_answer())
    on_legacy = data_of(await run_action("upload_asset", {"file": {"content": b64(PNG), "name": "logo.png"}}))

    assert on_legacy == uploaded("image/png", len(PNG))
    assert set(on_v3) == set(on_legacy)
    assert (on_v3["content_type"], on_v3["size_bytes"]) == (on_legacy["content_type"], on_legacy["size_bytes"])


async def test_a_file_of_exactly_32_mb_still_goes_as_one_multipart_post(wire, v3):
    data = mp4_of(asset_uploads.MULTIPART_LIMIT)
    wire.post(V3_ASSETS, payload=v3_asset("video/mp4", len(data)))

    result = data_of(await run_action("upload_asset", {"file": {"content": b64(data), "name": "intro.mp4"}}))

    assert (result["size_bytes"], result["file_type"], result["status"]) == (32_000_000, "video", None)
    ((_, sent_url, kwargs),) = sent(wire)
    assert sent_url == V3_ASSETS and form_fields(kwargs)[0][3] == data


async def test_one_byte_over_32_mb_goes_by_direct_upload(wire, auth, v3):
    data = mp4_of(asset_uploads.MULTIPART_LIMIT + 1)
    checksum = hashlib.sha256(data).hexdigest()
    slot = {
        "asset_id": ASSET_ID,
        "upload_url": STORAGE,
        "upload_headers": STORAGE_HEADERS,
        "expires_in_seconds": 900,
        "max_bytes": len(data),
        "status": "pending_upload",
    }
    wire.post(SLOTS, payload=answer("AssetDirectUploadsCreate", slot))
    wire.put(STORAGE, status=200)
    done = {"asset_id": ASSET_ID, "url": f"https://resource.heygen.ai/{ASSET_ID}", "mime_type": "video/mp4"}
    wire.post(
        COMPLETE, payload=answer("AssetCompleteCreate", {**done, "size_bytes": len(data), "status": "processing"})
    )

    result = await run_action("upload_asset", {"file": {"content": b64(data), "name": "intro.mp4"}}, auth=auth)

    assert data_of(result) == v3_uploaded("video/mp4", len(data), "intro.mp4", "video", status="processing")
    (create, put, complete) = sent(wire)
    assert create[:2] == ("POST", SLOTS) and create[2]["headers"]["Idempotency-Key"]
    assert sent_body("AssetDirectUploadsCreate", create[2]) == {
        "filename": "intro.mp4",
        "content_type": "video/mp4",
        "size_bytes": 32_000_001,
        "checksum_sha256": checksum,
    }
    # the storage URL is HeyGen's, signed for this upload: its headers verbatim, none of our credentials
    assert put[:2] == ("PUT", STORAGE)
    assert {name: value for name, value in put[2]["headers"].items() if name != "User-Agent"} == STORAGE_HEADERS
    assert put[2]["data"] == data
    assert complete[:2] == ("POST", COMPLETE)
    assert sent_body("AssetCompleteCreate", complete[2]) == {"checksum_sha256": checksum}
    check_auth(complete[2]["headers"], auth)


async def direct_upload_slot(wire, data: bytes, **changes):
    slot = {
        "asset_id": ASSET_ID,
        "upload_url": STORAGE,
        "upload_headers": {},
        "expires_in_seconds": 900,
        "max_bytes": len(data),
        "status": "pending_upload",
        **changes,
    }
    wire.post(SLOTS, payload=answer("AssetDirectUploadsCreate", slot))


@pytest.fixture
def big_video():
    return mp4_of(asset_uploads.MULTIPART_LIMIT + 10)


async def test_a_storage_failure_is_retried_then_the_upload_completes(wire, v3, big_video):
    await direct_upload_slot(wire, big_video)
    wire.put(STORAGE, status=503)
    wire.put(STORAGE, status=200)
    done = {"asset_id": ASSET_ID, "url": "https://r/x", "mime_type": "video/mp4", "size_bytes": 1, "status": "ready"}
    wire.post(COMPLETE, payload=answer("AssetCompleteCreate", done))

    result = data_of(await run_action("upload_asset", {"file": {"content": b64(big_video), "name": "v.mp4"}}))

    assert result["status"] == "ready"
    assert [call[0] for call in sent(wire)] == ["POST", "PUT", "PUT", "POST"]


async def test_an_expired_storage_slot_is_an_error_saying_to_upload_again(wire, v3, big_video):
    await direct_upload_slot(wire, big_video)
    wire.put(STORAGE, status=403, body="<Error><Code>AccessDenied</Code></Error>")

    message = error_of(await run_action("upload_asset", {"file": {"content": b64(big_video), "name": "v.mp4"}}))

    assert "HeyGen's storage refused the upload (HTTP 403)" in message and "Upload again" in message
    assert [call[0] for call in sent(wire)] == ["POST", "PUT"]  # never completed


async def test_a_slot_smaller_than_the_file_is_refused_before_any_byte_is_sent(wire, v3, big_video):
    await direct_upload_slot(wire, big_video, max_bytes=1000)

    message = error_of(await run_action("upload_asset", {"file": {"content": b64(big_video), "name": "v.mp4"}}))

    assert "more than HeyGen's upload slot takes (1000)" in message
    assert [call[0] for call in sent(wire)] == ["POST"]


async def test_wav_goes_to_v3_which_takes_it(wire, v3):
    wire.post(V3_ASSETS, payload=v3_asset("audio/wav", len(WAV)))

    result = data_of(await run_action("upload_asset", {"file": {"content": b64(WAV), "name": "voice.wav"}}))

    assert (result["content_type"], result["file_type"]) == ("audio/wav", "audio")
    assert form_fields(sent(wire)[0][2]) == [("file", "voice.wav", "audio/wav", WAV)]


@pytest.mark.parametrize(
    "file, words",
    [
        ({"content": b64(WAV), "name": "voice.wav"}, "file.name: is audio/wav: HeyGen's legacy upload takes only"),
        ({"content": b64(b"%PDF-1.7 ...")}, "file: is application/pdf: HeyGen's legacy upload takes only"),
        (
            {"content": b64(b"1\n00:00:01,000 --> 00:00:02,000\nHi\n"), "name": "captions.srt"},
            "file.name: is application/x-subrip: HeyGen's legacy upload takes only",
        ),
    ],
    ids=["wav", "pdf", "srt"],
)
async def test_types_only_v3_takes_are_refused_clearly_where_v3_is_gone(wire, v3, file, words):
    wire.post(V3_ASSETS, **gone_page())
    wire.post(SLOTS, **gone_page())

    message = validation_error_of(await run_action("upload_asset", {"file": file}, auth=API_KEY_AUTH))

    assert words in message and "(and no other route of HeyGen's answers)" in message
    assert [call[1] for call in sent(wire)] == [V3_ASSETS, SLOTS]  # nothing went to the legacy upload host


async def test_the_legacy_preference_still_sends_v3_only_types_to_v3(wire):
    wire.post(V3_ASSETS, payload=v3_asset("audio/wav", len(WAV)))

    result = data_of(await run_action("upload_asset", {"file": {"content": b64(WAV), "name": "voice.wav"}}))

    assert result["asset_id"] == ASSET_ID
    assert [call[1] for call in sent(wire)] == [V3_ASSETS]


async def test_a_retired_v3_upload_falls_back_to_the_legacy_upload_host(wire, v3):
    wire.post(V3_ASSETS, **gone_page())
    wire.post(SLOTS, **gone_page())
    wire.post(ASSET, payload=asset_answer())

    result = data_of(await run_action("upload_asset", {"file": {"content": b64(PNG), "name": "logo.png"}}))

    assert result == uploaded("image/png", len(PNG))
    (_, _, (_, legacy_url, kwargs)) = sent(wire)
    assert legacy_url == ASSET and kwargs["data"] == PNG and kwargs["headers"]["Content-Type"] == "image/png"
