"""Sending an asset's bytes to HeyGen: v3's multipart POST /v3/assets (up to 32 MB), v3's direct upload beyond
that (reserve a slot, PUT the bytes to the storage URL HeyGen gives, then complete), and the legacy upload host.

The storage URL and its headers come from HeyGen's answer, never from the user, and get none of our
credentials: HeyGen signs them for that one upload. Its failures are retried like any PUT (it is idempotent).
"""

import asyncio
import hashlib

import aiohttp
import yarl

from heygen_core.errors import HeyGenError
from heygen_core.pool import shared_session
from heygen_core.routes import NotExpressible, Request, call_routes, on_legacy, on_v3, routes_for
from heygen_core.shapes import as_dict

MB = 1_000_000
# POST /v3/assets takes up to 32 MB; counted in decimal megabytes, so a file near the line never meets a
# stricter reading of "32 MB" (32 MiB is larger): anything above goes by direct upload, which takes any size.
MULTIPART_LIMIT = 32 * MB
UPLOAD_TIMEOUT_SECONDS = 600.0  # HeyGen's own CLI allows 10 minutes for an upload
# Types HeyGen takes only on v3 (the legacy upload host refuses them).
V3_ONLY_TYPES = frozenset({"audio/wav", "application/pdf", "application/x-subrip"})
LEGACY_WORDS = "PNG or JPEG images, MP4 or WebM videos, MP3 audio"


def upload_file_name(upload: dict) -> str:
    return upload["name"] or "upload"


def multipart_request(upload: dict) -> Request:
    if len(upload["data"]) > MULTIPART_LIMIT:
        raise NotExpressible(upload["field"], f"is over {MULTIPART_LIMIT // MB} MB, more than POST /v3/assets takes")

    def form() -> aiohttp.FormData:
        body = aiohttp.FormData()
        body.add_field("file", upload["data"], filename=upload_file_name(upload), content_type=upload["content_type"])
        return body

    return Request(form=form)


def slot_request(upload: dict) -> Request:
    """Any size: reached for files over 32 MB, or for smaller ones where POST /v3/assets is not served."""
    body = {
        "filename": upload_file_name(upload),
        "content_type": upload["content_type"],
        "size_bytes": len(upload["data"]),
        "checksum_sha256": upload["sha256"],
    }
    return Request(body=body)


def legacy_request(upload: dict) -> Request:
    if upload["content_type"] in V3_ONLY_TYPES:
        raise NotExpressible(
            upload["type_field"],
            f"is {upload['content_type']}: HeyGen's legacy upload takes only {LEGACY_WORDS}; "
            "this type needs HeyGen's v3 upload (POST /v3/assets)",
        )
    return Request(raw=upload["data"], content_type=upload["content_type"])


UPLOAD_ROUTES = routes_for(
    "upload_asset",
    on_v3(
        "AssetCreate",
        creates=True,
        request=multipart_request,
        response=lambda data, upload: ("v3", data),
        timeout=UPLOAD_TIMEOUT_SECONDS,
    ),
    on_v3("AssetDirectUploadsCreate", creates=True, request=slot_request, response=lambda data, upload: ("slot", data)),
    on_legacy(
        "POST",
        "/v1/asset",
        host="upload",
        creates=True,
        request=legacy_request,
        response=lambda data, upload: ("legacy", data),
        timeout=300.0,
    ),
)
COMPLETE_ROUTES = routes_for(
    "upload_asset",
    on_v3(
        "AssetCompleteCreate",
        creates=True,
        request=lambda upload: Request(
            params={"asset_id": upload["asset_id"]}, body={"checksum_sha256": upload["sha256"]}
        ),
        response=lambda data, upload: ("v3", data),
    ),
)


async def put_bytes(api, slot: dict, data: bytes) -> None:
    """Step 2 of a direct upload: the bytes to HeyGen's storage, with HeyGen's headers exactly as given."""
    url, headers = slot.get("upload_url"), as_dict(slot.get("upload_headers"))
    if not isinstance(url, str) or not url.lower().startswith(("https://", "http://")):
        raise HeyGenError("HeyGen's direct upload answer has no usable upload_url")
    if isinstance(slot.get("max_bytes"), int) and len(data) > slot["max_bytes"]:
        raise HeyGenError(f"the file is {len(data)} bytes, more than HeyGen's upload slot takes ({slot['max_bytes']})")
    session = await shared_session()
    headers = {str(name): str(value) for name, value in headers.items()}
    policy = api.retry
    for attempt in range(1, policy.attempts + 1):
        try:
            async with session.put(
                yarl.URL(url, encoded=True),
                data=data,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=UPLOAD_TIMEOUT_SECONDS),
            ) as response:
                if response.status < 300:
                    return
                error = HeyGenError(
                    f"HeyGen's storage refused the upload (HTTP {response.status})",
                    status=response.status,
                    retryable=response.status in (429, 500, 502, 503, 504),
                    hint="Upload again: the upload slot may have expired." if response.status == 403 else None,
                )
        except (aiohttp.ClientError, asyncio.TimeoutError, ConnectionError) as failure:
            error = HeyGenError(f"the upload to HeyGen's storage broke ({type(failure).__name__})", retryable=True)
        if not error.retryable or attempt == policy.attempts:
            raise error
        await asyncio.sleep(policy.backoff(attempt))


async def send_asset(api, upload: dict) -> tuple[str, dict]:
    """('v3' | 'legacy', HeyGen's asset) for the bytes in `upload`, by the first route that can take them."""
    upload = {**upload, "sha256": hashlib.sha256(upload["data"]).hexdigest()}
    generation, data = await call_routes(api, UPLOAD_ROUTES, upload)
    if generation != "slot":
        return generation, as_dict(data)
    slot = as_dict(data)
    if not slot.get("asset_id"):
        raise HeyGenError("HeyGen's direct upload answer has no asset_id")
    await put_bytes(api, slot, upload["data"])
    return await call_routes(api, COMPLETE_ROUTES, {**upload, "asset_id": str(slot["asset_id"])})
