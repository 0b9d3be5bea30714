"""The files behind every URL the simulator hands out (``/media/<kind>/<name>``): rendered
videos, thumbnails, GIFs, captions, generated photos, catalogue previews and uploaded assets.

No auth is needed, as with HeyGen's CDN links. Signed URLs carry ``Expires`` and ``Signature``;
the signature is not checked, but an ``Expires`` in the past gets 403. Files are rendered on first
request in a worker thread, then cached, so a status poll never pays for rendering.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial

from aiohttp import web

from . import media
from .state import SimState
from .timeline import Scene, Timeline
from .wire import ApiError, ascii_int

CONTENT_TYPES = {
    "mp4": "video/mp4",
    "webm": "video/webm",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "vtt": "text/vtt",
    "mp3": "audio/mpeg",
    "png": "image/png",
    "srt": "application/x-subrip",
    "wav": "audio/wav",
    "pdf": "application/pdf",
}
VOICE_TONES = {"female": 330.0, "male": 196.0}

Producer = Callable[[], bytes]


class MediaCache:
    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def get(self, key: str, produce: Producer) -> bytes:
        if key in self._files:
            return self._files[key]
        async with self._locks.setdefault(key, asyncio.Lock()):
            if key not in self._files:
                self._files[key] = await asyncio.get_running_loop().run_in_executor(None, produce)
        return self._files[key]


def _missing() -> ApiError:
    return ApiError(404, "NoSuchKey", "The specified key does not exist.")


def _video_file(state: SimState, stem: str, ext: str) -> Producer:
    video_id, _, variant = stem.partition("_")
    video = state.videos.get(video_id)
    if video is None or video.job.status(state.now()) != "completed":
        raise _missing()
    title = video.title or "HeyGen video"
    size = media.render_size(*video.size, state.config.render_long_side)
    marked = video.watermarked
    if ext == video.ext:
        shown = video.timeline.capped(state.config.render_cap_seconds)
        return partial(media.render_video, shown, title, size, video.ext, variant == "caption", marked)
    if variant:
        raise _missing()
    if ext == "jpg":
        return partial(media.thumbnail_jpeg, video.timeline, title, size, marked)
    if ext == "gif":
        return partial(media.animated_gif, video.timeline, title, size, watermark=marked)
    if ext == "vtt" and video.caption:
        return partial(media.webvtt, video.timeline)
    if ext == "srt" and video.caption:
        return partial(subrip, video.timeline)
    raise _missing()


def rendered_headers(state: SimState, kind: str, stem: str, ext: str) -> dict[str, str]:
    """Where a video file departs from what HeyGen would send, the answer says so: a file cut at
    ``render_cap_seconds`` (X-Simulator-Rendered-Seconds; the video's ``duration`` is the whole script) and
    one smaller than the asked size (X-Simulator-Rendered-Size, asked size in X-Simulator-Asked-Size)."""
    video = state.videos.get(stem.partition("_")[0]) if kind == "videos" else None
    if video is None or ext not in (video.ext, "jpg", "gif"):
        return {}
    headers = {}
    cap = state.config.render_cap_seconds
    if ext == video.ext and cap is not None and video.timeline.duration > cap:
        headers["X-Simulator-Rendered-Seconds"] = f"{cap:g}"
    size = media.render_size(*video.size, state.config.render_long_side)
    if size != tuple(video.size):
        headers["X-Simulator-Rendered-Size"] = "{}x{}".format(*size)
        headers["X-Simulator-Asked-Size"] = "{}x{}".format(*video.size)
    return headers


def _srt_time(t: float) -> str:
    ms = round(t * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def subrip(timeline) -> bytes:
    """SRT captions (v3's ``subtitle_url``) from the same cues as the WebVTT file."""
    lines = []
    for n, (start, end, text) in enumerate(timeline.cues(), 1):
        lines += [str(n), f"{_srt_time(start)} --> {_srt_time(end)}", text, ""]
    return "\n".join(lines).encode()


def _proofread_file(state: SimState, stem: str) -> Producer:
    """The SRT of a v3 translation proofread: numbered lines in its output language."""
    proofread = (state.v3.editing or {}).get("proofreads", {}).get(stem) if state.v3 is not None else None
    if proofread is None:
        raise _missing()
    lines = [Scene("text", 2.0, f"({proofread.output_language}) translated line {n}") for n in range(1, 4)]
    return partial(subrip, Timeline.of(lines))


def _look_file(state: SimState, stem: str, ext: str) -> Producer:
    """Images and clips of looks made on v3 (POST /v3/avatars)."""
    look = state.photo_avatars.get(stem)
    if look is None or ext not in ("jpg", "mp4"):
        raise _missing()
    if ext == "jpg":
        return partial(media.card_jpeg, look.name, len(stem))
    return partial(media.preview_video, look.name, len(stem))


def _speech_file(state: SimState, stem: str) -> Producer:
    """v3 speech, private voices' previews and audio-only translations, as MP3."""
    v3 = state.v3
    seconds = v3.speeches.get(stem) if v3 is not None else None
    if seconds is not None:
        return partial(media.mp3_tone, seconds, 220.0)
    if v3 is not None and stem in v3.voices:
        return partial(media.mp3_tone, 1.0, 300.0)
    video = state.videos.get(stem)
    if video is not None and video.job.status(state.now()) == "completed":
        return partial(media.mp3_tone, max(0.5, video.timeline.duration), 220.0)
    raise _missing()


def _generated_photo(state: SimState, stem: str) -> Producer:
    gen_id, _, index = stem.rpartition("_")
    gen = state.generations.get(gen_id)
    number = ascii_int(index)
    if gen is None or number is None or gen.job.status(state.now()) != "success":
        raise _missing()
    return partial(media.card_jpeg, f"Generated photo {number + 1}", number)


def _motion_preview(state: SimState, stem: str) -> Producer:
    pa = state.photo_avatars.get(stem)
    if pa is None or not pa.is_motion or pa.job.status(state.now()) != "completed":
        raise _missing()
    return partial(media.preview_video, f"{pa.name} (motion)", 2)


def _catalogue_file(state: SimState, kind: str, stem: str, ext: str) -> Producer:
    c = state.catalogue
    if kind == "voices":
        voice = c.voices_by_id.get(stem)
        if voice is None or ext != "mp3":
            raise _missing()
        return partial(media.mp3_tone, 1.0, VOICE_TONES[voice["gender"]])
    found = c.avatars_by_id.get(stem) or c.talking_photos_by_id.get(stem)
    label = (found or {}).get("avatar_name") or (found or {}).get("talking_photo_name") or stem.replace("_", " ")
    if kind in ("avatars", "talking_photos") and found is None:
        raise _missing()
    if ext == "jpg":
        return partial(media.card_jpeg, label, len(stem))
    if ext == "mp4":
        return partial(media.preview_video, label, len(stem))
    if ext == "mp3":
        return partial(media.mp3_tone, 3.0, 262.0)
    raise _missing()


def producer_for(state: SimState, kind: str, stem: str, ext: str) -> Producer:
    if kind == "videos":
        return _video_file(state, stem, ext)
    if kind == "generations" and ext == "jpg":
        return _generated_photo(state, stem)
    if kind == "photo_avatars" and ext == "mp4":
        return _motion_preview(state, stem)
    if kind == "looks":
        return _look_file(state, stem, ext)
    if kind == "proofreads" and ext == "srt":
        return _proofread_file(state, stem)
    if kind == "speech" and ext == "mp3":
        return _speech_file(state, stem)
    if kind == "sound_effects" and ext == "mp3":
        return partial(media.mp3_tone, 2.0, 523.0)
    if kind in ("avatars", "talking_photos", "voices", "templates"):
        return _catalogue_file(state, kind, stem, ext)
    raise _missing()


async def serve(state: SimState, cache: MediaCache, request: web.Request) -> web.Response:
    expires = request.query.get("Expires")
    if expires is not None and (ascii_int(expires) is None or ascii_int(expires) < state.now()):
        raise ApiError(403, "AccessDenied", "Access denied: the signed URL has expired")
    kind, name = request.match_info["kind"], request.match_info["name"]
    stem, _, ext = name.rpartition(".")
    if ext not in CONTENT_TYPES:
        raise _missing()
    if kind == "assets":  # uploads are already bytes: serve them as they came, uncached
        asset = state.assets.get(stem)
        if asset is None:
            raise _missing()
        return web.Response(body=asset.data, content_type=asset.content_type)
    data = await cache.get(f"{kind}/{name}", producer_for(state, kind, stem, ext))
    headers = rendered_headers(state, kind, stem, ext)
    return web.Response(body=data, content_type=CONTENT_TYPES[ext], headers=headers)


def register(router: web.UrlDispatcher, state: SimState) -> None:
    router.add_get("/media/{kind}/{name}", partial(serve, state, MediaCache()))
