"""v3 videos (heygen-v3.md §7.3): create (``type`` avatar | image | studio | cinematic_avatar), get, list,
delete, bulk statuses and batches. Videos live in ``SimState.videos`` beside the v1/v2 ones and are made by
``routes_videos.submit_video`` (concurrency 429, credits 402, plan resolution, SIMULATE_FAILURE), so a video
created on one generation is read, listed and deleted on the other.

Statuses: create answers ``waiting``; GET says ``pending`` (queued) -> ``processing`` -> ``completed`` |
``failed``; statuses and batch items say ``queued`` for the first phase, as HeyGen does.
Checks beyond the schema, each a 400 ``validation_error`` naming the field: exactly one audio source
(``script`` | ``audio_url`` | ``audio_asset_id``), a script of at most 5,000 characters, voice settings in
range, no ``background`` with ``output_format: webm``, ``avatar_iii`` without motion_prompt/expressiveness,
1-50 studio scenes. Unknown looks and voices are 404 ``avatar_not_found`` / ``voice_not_found``.
"""

from __future__ import annotations

from aiohttp import web

from . import v3_avatars
from .routes_videos import HIDDEN_KINDS, submit_video
from .state import SimState, Video
from .timeline import AUDIO_INPUT_SECONDS, PALETTE, Scene, speech_seconds
from .v3_common import (
    Source,
    asset_ref,
    batch_accepted,
    batch_view,
    body_of,
    flat_source,
    invalid,
    listed,
    not_found,
    ok,
    path_id,
    query_text,
    route,
    run_items,
)
from .v3_store import Batch, store
from .v3_voices import voice_of
from .validation import AVATAR_RATE, PHOTO_RATE

MAX_SCRIPT = 5000
MAX_SCENES = 50
MAX_IDS = 100
SHORT_SIDE = {"720p": 720, "1080p": 1080, "4k": 2160}
RATIOS = {"16:9": (16, 9), "9:16": (9, 16), "4:5": (4, 5), "5:4": (5, 4), "1:1": (1, 1), "auto": (16, 9)}
VOICE_RANGES = {"speed": (0.5, 1.5), "pitch": (-50.0, 50.0), "volume": (0.0, 1.0)}
GET_STATUS = {"waiting": "pending"}
QUEUE_STATUS = {"waiting": "queued"}
CINEMATIC_SECONDS = 8


def canvas(state: SimState, body: dict) -> tuple[int, int]:
    resolution = body.get("resolution") or "720p"
    across, down = RATIOS[body.get("aspect_ratio") or "16:9"]
    short = SHORT_SIDE[resolution]
    size = (
        (round(short * across / down / 2) * 2, short)
        if across >= down
        else (short, round(short * down / across / 2) * 2)
    )
    plan = state.config.plan
    if max(size) > max(plan.max_width, plan.max_height) or min(size) > min(plan.max_width, plan.max_height):
        raise invalid("resolution", f"{resolution} is not available on the {plan.name} plan", "RESOLUTION_NOT_ALLOWED")
    return size


def _voice_settings(loc: str, settings: dict | None) -> float:
    for key, (lo, hi) in VOICE_RANGES.items():
        value = (settings or {}).get(key)
        if value is not None and not lo <= value <= hi:
            raise invalid(f"{loc}voice_settings.{key}", f"must be between {lo:g} and {hi:g}")
    return (settings or {}).get("speed") or 1.0


def speech(state: SimState, loc: str, body: dict, default_voice: str | None, *, required: bool = True):
    """(kind, seconds, text) of one narration: a script read by a voice, or one audio source."""
    script = body.get("script")
    audio = flat_source(state, body, "audio_url", "audio_asset_id", "audio")
    if script and audio:
        raise invalid(f"{loc}script", "is mutually exclusive with audio_url and audio_asset_id")
    speed = _voice_settings(loc, body.get("voice_settings"))
    if audio is not None:
        return "audio", AUDIO_INPUT_SECONDS, ""
    if not script:
        if required:
            raise invalid(f"{loc}script", "give script (with voice_id) or audio_url or audio_asset_id")
        return None
    if len(script) > MAX_SCRIPT:
        raise invalid(f"{loc}script", f"must be at most {MAX_SCRIPT} characters")
    voice_id = body.get("voice_id") or default_voice
    if not voice_id:
        raise invalid(f"{loc}voice_id", "is required with script (this look has no default voice)")
    voice_of(state, voice_id, usable=True)
    return "text", speech_seconds(script, speed), script


def _engine_rules(loc: str, body: dict, look: dict) -> None:
    """heygen-v3.md §7.3: avatar_iii takes neither motion_prompt nor expressiveness; a video avatar takes a
    motion_prompt only with avatar_v; expressiveness is for photo avatars on Avatar IV (the default engine)."""
    engine = (body.get("engine") or {}).get("type")
    photo = look["avatar_type"] == "photo_avatar"
    if engine is not None and engine not in look["supported_api_engines"]:
        raise invalid(f"{loc}engine.type", f"look {look['id']} does not support {engine}")
    if engine == "avatar_iii":
        for key in ("motion_prompt", "expressiveness"):
            if body.get(key):
                raise invalid(f"{loc}{key}", "is not supported by the avatar_iii engine")
    if body.get("motion_prompt") and not photo and engine != "avatar_v":
        raise invalid(f"{loc}motion_prompt", "needs engine avatar_v for a video avatar")
    if body.get("expressiveness") and (not photo or engine not in (None, "avatar_iv")):
        raise invalid(f"{loc}expressiveness", "applies to photo avatars on the avatar_iv engine only")


def _image_source(state: SimState, param: str, ref: dict) -> Source:
    return asset_ref(state, param, ref, "image")


def _avatar_scene(state: SimState, loc: str, body: dict, colour) -> tuple[Scene, float]:
    look = v3_avatars.usable_look(state, body["avatar_id"], f"{loc}avatar_id")
    _engine_rules(loc, body, look)
    kind, seconds, said = speech(state, loc, body, look["default_voice_id"])
    rate = PHOTO_RATE if look["avatar_type"] == "photo_avatar" else AVATAR_RATE
    return Scene(kind, seconds, said, colour, look["name"]), seconds * rate


def _image_scene(state: SimState, loc: str, body: dict, key: str, colour) -> tuple[Scene, float]:
    _image_source(state, f"{loc}{key}", body[key])
    kind, seconds, said = speech(state, loc, body, None)
    return Scene(kind, seconds, said, colour, "Photo"), seconds * PHOTO_RATE


def _studio_scene(state: SimState, index: int, scene: dict) -> tuple[Scene, float]:
    loc = f"scenes[{index}]."
    colour = PALETTE[index % len(PALETTE)]
    if scene["type"] == "avatar_video":
        given = scene["input"]
        if given["type"] == "avatar":
            return _avatar_scene(state, f"{loc}input.", given, colour)
        return _image_scene(state, f"{loc}input.", given, "image", colour)
    if scene["type"] == "video":
        asset_ref(state, f"{loc}source", scene["source"], "video")
        volume = (scene.get("playback") or {}).get("volume")
        if volume is not None and not 0 <= volume <= 1:
            raise invalid(f"{loc}playback.volume", "must be between 0 and 1")
        return Scene("audio", AUDIO_INPUT_SECONDS, "", colour, "Video clip"), 0.0
    _image_source(state, f"{loc}source", scene["source"])
    narrated = speech(state, loc, scene, None, required=False)
    if narrated is not None:
        kind, seconds, said = narrated
        return Scene(kind, seconds, said, colour, "Image"), 0.0
    duration = scene.get("duration")
    if duration is None or not 0 < duration <= 300:
        raise invalid(f"{loc}duration", "a silent image scene needs a duration from 0 to 300 seconds")
    return Scene("silence", float(duration), "", colour, "Image"), 0.0


def _plan(state: SimState, body: dict, loc: str = "") -> tuple[str, list[Scene], float]:
    """(video kind, scenes, cost in quota seconds) of one POST /v3/videos body, checked."""
    kind = body["type"]
    if kind in ("avatar", "image"):
        if body.get("output_format") == "webm" and body.get("background"):
            raise invalid(f"{loc}background", "cannot be combined with output_format webm (transparent output)")
        if kind == "avatar":
            scene, cost = _avatar_scene(state, loc, body, PALETTE[5])
        else:
            scene, cost = _image_scene(state, loc, body, "image", PALETTE[3])
        return ("webm" if body.get("output_format") == "webm" else kind), [scene], cost
    if kind == "studio":
        scenes = body["scenes"]
        if not 1 <= len(scenes) <= MAX_SCENES:
            raise invalid(f"{loc}scenes", f"must hold 1 to {MAX_SCENES} scenes")
        made = [_studio_scene(state, i, s) for i, s in enumerate(scenes)]
        return "studio", [s for s, _ in made], sum(c for _, c in made)
    looks = body["avatar_id"]
    if not 1 <= len(looks) <= 3:
        raise invalid(f"{loc}avatar_id", "must name 1 to 3 looks")
    for i, look_id in enumerate(looks):
        v3_avatars.usable_look(state, look_id, f"{loc}avatar_id[{i}]")
    seconds = float(body.get("duration") or CINEMATIC_SECONDS)
    return "cinematic", [Scene("text", seconds, body["prompt"][:200], PALETTE[1], "Cinematic")], seconds * AVATAR_RATE


def create_one(state: SimState, body: dict, loc: str = "", *, batched: bool = False) -> Video:
    kind, scenes, cost = _plan(state, body, loc)
    caption = body.get("caption") is not None
    return submit_video(
        state,
        kind,
        scenes,
        canvas(state, body),
        cost,
        title=body.get("title"),
        caption=caption,
        callback_id=body.get("callback_id"),
        callback_url=body.get("callback_url"),
        batched=batched,
    )


def video_object(state: SimState, video: Video) -> dict:
    """The v3 Video object (GET /v3/videos/{id} and list items)."""
    now = state.now()
    raw = video.job.status(now)
    status = GET_STATUS.get(raw, raw)
    done, failed = status == "completed", status == "failed"

    def url(suffix: str, wanted: bool = True) -> str | None:
        return state.signed_url(f"videos/{video.id}{suffix}") if done and wanted else None

    v3 = store(state)
    translation = v3.translations.get(v3.translation_of_video.get(video.id, ""))
    error = video.error or {}
    return {
        "id": video.id,
        "status": status,
        "title": video.title,
        "duration": round(video.timeline.duration, 3) if done else None,
        "created_at": int(video.created_at),
        "completed_at": int(video.job.finished_at) if done or failed else None,
        "folder_id": video.folder_id,
        "video_url": url(f".{video.ext}"),
        "captioned_video_url": url("_caption.mp4", video.caption),
        "subtitle_url": url(".srt", video.caption),
        "thumbnail_url": url(".jpg"),
        "gif_url": url(".gif"),
        "video_page_url": f"https://app.heygen.com/videos/{video.id}",
        "failure_code": str(error.get("code")) if failed and error else None,
        "failure_message": error.get("message") if failed else None,
        "output_language": translation.output_language if translation else None,
    }


def video_or_404(state: SimState, video_id: str) -> Video:
    found = state.videos.get(video_id)
    if found is None:
        raise not_found("video_not_found", "Video", video_id)
    return found


async def create(state: SimState, request: web.Request) -> web.Response:
    body = await body_of(request, "VideoCreate")
    video = create_one(state, body)
    return ok({"video_id": video.id, "status": "waiting", "output_format": "webm" if video.ext == "webm" else "mp4"})


async def get(state: SimState, request: web.Request) -> web.Response:
    return ok(video_object(state, video_or_404(state, path_id(request, "video_id"))))


async def list_(state: SimState, request: web.Request) -> web.Response:
    folder, title = query_text(request, "folder_id"), query_text(request, "title")
    chosen = [
        v
        for v in sorted(state.videos.values(), key=lambda x: x.created_at, reverse=True)
        if v.kind not in HIDDEN_KINDS
        and (not folder or v.folder_id == folder)
        and (not title or title.lower() in (v.title or "").lower())
    ]
    return listed(request, "VideoList", chosen, lambda v: video_object(state, v))


async def delete(state: SimState, request: web.Request) -> web.Response:
    video = video_or_404(state, path_id(request, "video_id"))
    del state.videos[video.id]
    return ok({"id": video.id, "deleted": True})


def _ids(request: web.Request, name: str) -> list[str]:
    ids = [i.strip() for i in (query_text(request, name) or "").split(",") if i.strip()]
    if len(ids) > MAX_IDS:
        raise invalid(name, f"at most {MAX_IDS} ids per request")
    return ids


def item_status(state: SimState, video_id: str | None) -> str:
    """A video as a batch or bulk-status item sees it: queued, processing, completed, failed (or not_found)."""
    video = state.videos.get(video_id) if video_id else None
    if video is None:
        return "failed" if video_id is None else "not_found"
    raw = video.job.status(state.now())
    return QUEUE_STATUS.get(raw, raw)


async def statuses(state: SimState, request: web.Request) -> web.Response:
    video_ids, batch_ids = _ids(request, "video_ids"), _ids(request, "batch_ids")
    if not video_ids and not batch_ids:
        raise invalid("video_ids", "give video_ids or batch_ids")
    rows = []
    for video_id in video_ids:
        status = item_status(state, video_id)
        video = state.videos.get(video_id)
        error = video.error if video is not None and status == "failed" else None
        rows.append({"video_id": video_id, "status": status, "error": error, "batch_id": None, "item_index": None})
    for batch_id in batch_ids:
        batch = store(state).video_batches.get(batch_id)
        for index, (video_id, error) in enumerate(batch.items if batch else []):
            status = item_status(state, video_id)
            rows.append(
                {"video_id": video_id, "status": status, "error": error, "batch_id": batch_id, "item_index": index}
            )
    return ok(rows, has_more=False, next_token=None)


async def create_batch(state: SimState, request: web.Request) -> web.Response:
    body = await body_of(request, "VideoBatchesCreate")
    videos = body["videos"]
    if not 1 <= len(videos) <= MAX_IDS:
        raise invalid("videos", f"must hold 1 to {MAX_IDS} videos")
    items = run_items(videos, lambda i, one: create_one(state, one, f"videos[{i}].", batched=True).id)
    batch = Batch(state.new_id(), body.get("title"), state.now(), items)
    store(state).video_batches[batch.id] = batch
    return batch_accepted(batch)


async def get_batch(state: SimState, request: web.Request) -> web.Response:
    batch_id = path_id(request, "batch_id")
    batch = store(state).video_batches.get(batch_id)
    if batch is None:
        raise not_found("not_found", "Video batch", batch_id)
    return ok(batch_view(request, "VideoBatchesGet", batch, lambda video_id: item_status(state, video_id)))


def register(router: web.UrlDispatcher, state: SimState) -> None:
    route(router, state, "VideoCreate", create, job=True)
    route(router, state, "VideoStatusesList", statuses)
    route(router, state, "VideoBatchesCreate", create_batch, job=True)
    route(router, state, "VideoBatchesGet", get_batch)
    route(router, state, "VideoList", list_)
    route(router, state, "VideoGet", get)
    route(router, state, "VideoDelete", delete)
