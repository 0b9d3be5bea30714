"""v3 assets (heygen-v3.md §7.5): multipart upload (field ``file``, at most ``max_asset_bytes`` = 32 MB,
413 ``payload_too_large`` above), the direct-upload flow for larger files, and GET.

Direct upload: POST /v3/assets/direct-uploads {filename, content_type, size_bytes, checksum_sha256?} answers
a slot whose ``upload_url`` is on this server (``/uploads/<asset_id>``, outside /v3 like HeyGen's storage
host); PUT the exact bytes there with ``upload_headers``; POST /v3/assets/{id}/complete checks size and
checksum and makes the asset usable (``status: processing``; GET shows it at once). The PUT is read in
chunks (body_timeout_seconds per chunk), so it is not bound by the server's client_max_size.

Uploaded assets are ``SimState.assets`` records, so an asset id works as an AssetRef ``asset_id`` and as v2's
``*_asset_id``; the MIME type is detected from the bytes, as HeyGen does.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from functools import partial

from aiohttp import web

from .routes_webhooks import SPACE_ID, registry_of
from .state import Asset, ImageRef, SimState
from .v3_common import body_of, invalid, listed, not_found, ok, path_id, route
from .v3_store import Upload, store
from .wire import ApiError

UPLOAD_PREFIX = "/uploads/"
UPLOAD_TTL_SECONDS = 3600
CHUNK = 256 * 1024
# (magic bytes at offset, offset) -> (mime type, file type, extension)
SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", 0, ("image/png", "image", "png")),
    (b"\xff\xd8\xff", 0, ("image/jpeg", "image", "jpg")),
    (b"ftyp", 4, ("video/mp4", "video", "mp4")),
    (b"\x1a\x45\xdf\xa3", 0, ("video/webm", "video", "webm")),
    (b"ID3", 0, ("audio/mpeg", "audio", "mp3")),
    (b"\xff\xfb", 0, ("audio/mpeg", "audio", "mp3")),
    (b"\xff\xf3", 0, ("audio/mpeg", "audio", "mp3")),
    (b"RIFF", 0, ("audio/wav", "audio", "wav")),
    (b"%PDF", 0, ("application/pdf", "document", "pdf")),
]
SRT_START = b"1\n00:"
FIELD_NAME = re.compile(rb'name="([^"]*)"')


def multipart_field(content_type_header: str, raw: bytes, name: str) -> bytes | None:
    """The bytes of form field ``name`` in a multipart body that was already read whole (the record
    middleware reads every body, so aiohttp's streaming multipart reader has nothing left to read)."""
    boundary = content_type_header.partition("boundary=")[2].split(";")[0].strip().strip('"')
    if not boundary:
        raise invalid("file", "multipart body without a boundary")
    for part in raw.split(b"--" + boundary.encode())[1:]:
        if part.startswith(b"--"):
            break
        head, found, content = part.partition(b"\r\n\r\n")
        if not found:
            continue
        disposition = next(
            (line for line in head.split(b"\r\n") if line.lower().startswith(b"content-disposition")), b""
        )
        match = FIELD_NAME.search(disposition)
        if match and match.group(1) == name.encode():
            return content[:-2] if content.endswith(b"\r\n") else content
    return None


def sniff(data: bytes) -> tuple[str, str, str] | None:
    for magic, offset, kind in SIGNATURES:
        if data[offset : offset + len(magic)] == magic:
            return kind
    if data.lstrip(b"\xef\xbb\xbf").replace(b"\r\n", b"\n").startswith(SRT_START):
        return "application/x-subrip", "document", "srt"
    return None


def _store_asset(state: SimState, data: bytes, asset_id: str | None = None) -> Asset:
    kind = sniff(data)
    if kind is None:
        raise invalid("file", "unsupported file type; upload png, jpeg, mp4, webm, mp3, wav, pdf or srt")
    mime, file_type, ext = kind
    asset_id = asset_id or state.new_id()
    image_key = f"image/{asset_id}/original" if file_type == "image" else None
    asset = Asset(asset_id, mime, file_type, data, int(state.now()), image_key)
    state.assets[asset_id] = asset
    if image_key:  # usable by the v2 photo-avatar routes too
        state.image_keys[image_key] = ImageRef(image_key, _url(state, asset))
    return asset


def _url(state: SimState, asset: Asset) -> str:
    ext = next((k[2] for _, _, k in SIGNATURES if k[0] == asset.content_type), "srt")
    return state.media_url(f"assets/{asset.id}.{ext}")


def _answer(state: SimState, asset: Asset) -> dict:
    return {"asset_id": asset.id, "url": _url(state, asset), "mime_type": asset.content_type,
            "size_bytes": len(asset.data)}  # fmt: skip


async def create(state: SimState, request: web.Request) -> web.Response:
    if not request.content_type.startswith("multipart/"):
        raise invalid("file", "send multipart/form-data with the file in field 'file'")
    limit = state.config.max_asset_bytes
    data = multipart_field(request.headers.get("Content-Type", ""), await request.read(), "file")
    if data is None:
        raise invalid("file", "is required (multipart field 'file')")
    if len(data) > limit:
        raise ApiError(413, "payload_too_large", f"file: {len(data)} bytes is over the {limit} byte limit",
                       param="file")  # fmt: skip
    if not data:
        raise invalid("file", "is empty")
    return ok(_answer(state, _store_asset(state, data)))


async def get(state: SimState, request: web.Request) -> web.Response:
    asset_id = path_id(request, "asset_id")
    asset = state.assets.get(asset_id)
    if asset is None:
        raise not_found("not_found", "Asset", asset_id)
    return ok(_described(state, asset))


async def list_(state: SimState, request: web.Request) -> web.Response:
    """HeyGen's Beta asset list: ``username`` is required and must be the account's (GET /v3/users/me)."""
    username = request.query.get("username") or ""
    if not username:
        raise invalid("username", "is required (the account's username from the user profile)")
    if username != registry_of(state).username():
        return listed(request, "AssetList", [])
    chosen = sorted(state.assets.values(), key=lambda a: -a.created_ts)
    return listed(request, "AssetList", chosen, lambda a: _described(state, a))


def _described(state: SimState, asset: Asset) -> dict:
    return {"id": asset.id, "name": asset.id, "type": asset.file_type, "url": _url(state, asset),
            "uploaded_at": asset.created_ts, "owner": registry_of(state).username(), "space_id": SPACE_ID,
            "folder_id": None}  # fmt: skip


def open_slot(state: SimState, body: dict, loc: str = "") -> dict:
    """A direct-upload slot for one file ({filename, content_type, size_bytes, checksum_sha256?})."""
    size, limit = body["size_bytes"], state.config.max_direct_upload_bytes
    if not 1 <= size <= limit:
        raise invalid(f"{loc}size_bytes", f"must be from 1 to {limit}")
    checksum = body.get("checksum_sha256")
    if checksum is not None and (len(checksum) != 64 or any(c not in "0123456789abcdef" for c in checksum.lower())):
        raise invalid(f"{loc}checksum_sha256", "must be 64 hexadecimal characters")
    asset_id = state.new_id()
    slot = Upload(asset_id, body["filename"], body["content_type"], size, checksum, state.now() + UPLOAD_TTL_SECONDS)
    store(state).uploads[asset_id] = slot
    return {
        "asset_id": asset_id,
        "upload_url": f"{state.base_url}{UPLOAD_PREFIX}{asset_id}",
        "upload_headers": {"Content-Type": slot.content_type},
        "max_bytes": size,
        "expires_in_seconds": UPLOAD_TTL_SECONDS,
        "status": "pending_upload",
    }


async def direct_upload(state: SimState, request: web.Request) -> web.Response:
    return ok(open_slot(state, await body_of(request, "AssetDirectUploadsCreate")))


async def put_bytes(state: SimState, request: web.Request) -> web.Response:
    """The storage side of a direct upload (no API key: the URL is the credential, as with presigned URLs)."""
    slot = store(state).uploads.get(request.match_info["asset_id"])
    if slot is None or slot.completed or state.now() > slot.expires_at:
        return web.Response(status=403, text="Upload URL is invalid or has expired")
    declared = request.content_length
    if declared is not None and declared != slot.size_bytes:
        return web.Response(status=400, text=f"Content-Length must be exactly {slot.size_bytes}")
    chunks, total = [], 0
    timeout = state.config.body_timeout_seconds
    while True:
        try:
            chunk = await asyncio.wait_for(request.content.read(CHUNK), timeout)
        except TimeoutError:
            response = web.Response(status=408, text="Upload body was not received in time")
            response.force_close()
            return response
        if not chunk:
            break
        total += len(chunk)
        if total > slot.size_bytes:
            response = web.Response(status=413, text=f"Upload is larger than the declared {slot.size_bytes} bytes")
            response.force_close()
            return response
        chunks.append(chunk)
    slot.data = b"".join(chunks)
    return web.Response(status=200, headers={"ETag": f'"{hashlib.md5(slot.data).hexdigest()}"'})


async def complete(state: SimState, request: web.Request) -> web.Response:
    asset_id = path_id(request, "asset_id")
    slot = store(state).uploads.get(asset_id)
    if slot is None:
        raise not_found("not_found", "Upload", asset_id)
    body = await body_of(request, "AssetCompleteCreate")
    finish_slot(state, slot, body.get("checksum_sha256"))
    return ok(_answer(state, state.assets[asset_id]) | {"status": "processing"})


def finish_slot(state: SimState, slot: Upload, checksum: str | None = None) -> None:
    """Make an uploaded slot an asset (idempotent): all its bytes must have arrived and match its checksum."""
    if slot.completed:
        return
    if slot.data is None or len(slot.data) != slot.size_bytes:
        got = 0 if slot.data is None else len(slot.data)
        raise ApiError(409, "conflict", f"Upload incomplete: {got} of {slot.size_bytes} bytes received")
    digest = hashlib.sha256(slot.data).hexdigest()
    for given in (slot.checksum_sha256, checksum):
        if given is not None and given.lower() != digest:
            raise invalid("checksum_sha256", "does not match the uploaded bytes")
    _store_asset(state, slot.data, slot.asset_id)
    slot.completed = True


async def delete(state: SimState, request: web.Request) -> web.Response:
    asset_id = path_id(request, "asset_id")
    asset = state.assets.pop(asset_id, None)
    if asset is None:
        raise not_found("not_found", "Asset", asset_id)
    if asset.image_key:
        state.image_keys.pop(asset.image_key, None)
    return ok({"id": asset_id})


SEARCH_WORDS = ["office", "city", "nature", "team", "product", "abstract", "arrow", "check", "star", "chart"]


async def search(state: SimState, request: web.Request) -> web.Response:
    """HeyGen's public image and icon catalogue: results whose name shares a word with the query."""
    query = (request.query.get("query") or "").strip().lower()
    if not query:
        raise invalid("query", "is required")
    kind = request.query.get("type")
    if kind not in ("image", "icon"):
        raise invalid("type", "must be image or icon")
    words = [w for w in SEARCH_WORDS if w in query.split()] or SEARCH_WORDS[:3]
    found = [
        {"type": kind, "id": f"{kind}_{word}_{n}", "url": state.media_url(f"templates/{kind}_{word}_{n}.jpg"),
         "width": 512 if kind == "icon" else 1920, "height": 512 if kind == "icon" else 1080,
         "orientation": "square" if kind == "icon" else "landscape", "is_transparent": kind == "icon"}
        for word in words
        for n in range(1, 9)
    ]  # fmt: skip
    return listed(request, "AssetSearch", found)


async def statuses(state: SimState, request: web.Request) -> web.Response:
    """Bulk asset statuses in HeyGen's shared statuses shape (the asset id is reported as ``video_id``)."""
    ids = [i.strip() for i in (request.query.get("asset_ids") or "").split(",") if i.strip()]
    if not ids or len(ids) > 100:
        raise invalid("asset_ids", "give 1 to 100 comma-separated ids")
    uploads = store(state).uploads

    def status(asset_id: str) -> str:
        if asset_id in state.assets:
            return "completed"
        return "queued" if asset_id in uploads else "not_found"

    rows = [{"video_id": i, "status": status(i), "error": None, "batch_id": None, "item_index": None} for i in ids]
    return ok(rows, has_more=False, next_token=None)


def register(router: web.UrlDispatcher, state: SimState) -> None:
    route(router, state, "AssetCreate", create, job=True)
    route(router, state, "AssetDirectUploadsCreate", direct_upload, job=True)
    route(router, state, "AssetGet", get)
    route(router, state, "AssetList", list_)
    route(router, state, "AssetSearch", search)
    route(router, state, "AssetStatusesList", statuses)
    route(router, state, "AssetDelete", delete)
    route(router, state, "AssetCompleteCreate", complete)
    router.add_put(UPLOAD_PREFIX + "{asset_id}", partial(put_bytes, state))
