"""The upload host's ``POST /v1/asset`` (heygen-api.md §9): the raw file is the body and its
Content-Type says what it is. Images get an ``image_key`` usable for photo avatars and Avatar IV;
every asset id is usable as ``image_asset_id`` / ``video_asset_id`` / ``audio_asset_id``.
"""

from __future__ import annotations

from functools import partial

from aiohttp import web

from .config import MB
from .state import Asset, ImageRef, SimState
from .wire import ApiError, ok

INVALID_PARAMETER = 400175
# content type -> (file_type, extension)
CONTENT_TYPES = {
    "image/png": ("image", "png"),
    "image/jpeg": ("image", "jpg"),
    "video/mp4": ("video", "mp4"),
    "video/webm": ("video", "webm"),
    "audio/mpeg": ("audio", "mp3"),
}


def size_limit(state: SimState, file_type: str) -> int:
    c = state.config
    return {"image": c.max_image_bytes, "video": c.max_video_bytes, "audio": c.max_audio_bytes}[file_type]


def _size(n: int) -> str:
    return f"{n // MB} MB" if n >= MB and n % MB == 0 else f"{n} bytes"


async def upload(state: SimState, request: web.Request) -> web.Response:
    content_type = request.content_type
    if content_type not in CONTENT_TYPES:
        raise ApiError(
            400,
            INVALID_PARAMETER,
            f"Unsupported content type {content_type or '(none)'}; use {', '.join(CONTENT_TYPES)}",
        )
    file_type, ext = CONTENT_TYPES[content_type]
    data = await request.read()
    if not data:
        raise ApiError(400, INVALID_PARAMETER, "The uploaded file is empty")
    limit = size_limit(state, file_type)
    if len(data) > limit:
        raise ApiError(
            413,
            INVALID_PARAMETER,
            f"File too large: {len(data)} bytes is over the {_size(limit)} limit for {file_type} uploads",
        )
    asset_id = state.new_id()
    image_key = f"image/{asset_id}/original" if file_type == "image" else None
    url = state.media_url(f"assets/{asset_id}.{ext}")
    asset = Asset(asset_id, content_type, file_type, data, int(state.now()), image_key)
    state.assets[asset_id] = asset
    if image_key:
        state.image_keys[image_key] = ImageRef(image_key, url)
    return ok(
        request,
        {
            "id": asset_id,
            "name": request.query.get("name") or asset_id,
            "file_type": file_type,
            "folder_id": request.query.get("folder_id", ""),
            "url": url,
            "image_key": image_key,
            "created_ts": asset.created_ts,
        },
    )


def register(router: web.UrlDispatcher, state: SimState) -> None:
    router.add_post("/v1/asset", partial(upload, state))
