"""Video routes: studio generate (v2), Avatar IV (v2), WebM (v1), status, list and delete (v1).

``submit_video`` is the one way a video job comes to exist (concurrency check, length limit,
credits, job phases); later route modules that create videos (templates, translation) call it too.
"""

from __future__ import annotations

import base64
from functools import partial

from aiohttp import web

from . import validation as v
from .state import SimState, Video
from .timeline import PALETTE, Scene, Timeline, speech_seconds
from .wire import V1_BAD_PARAMS, ApiError, invalid, ok, query_param, read_json

ORIENTATIONS = {"landscape": (1280, 720), "portrait": (720, 1280), "square": (720, 720)}
LIST_LIMIT = 100
# Outputs of v3 lipsyncs, background removals and AI clipping are files of those jobs, not library videos.
HIDDEN_KINDS = {"lipsync", "layer", "clip"}


def submit_video(
    state: SimState,
    kind: str,
    scenes: list[Scene],
    dimension: tuple[int, int],
    cost_seconds: float,
    *,
    title: str | None = None,
    test: bool = False,
    caption: bool = False,
    callback_id: str | None = None,
    callback_url: str | None = None,
    folder_id: str | None = None,
    batched: bool = False,
) -> Video:
    """Create a video job the way HeyGen accepts one: refuse over the concurrency limit (429) unless
    ``batched`` (v3 batches queue their items server-side), accept a too-long script but let the job
    fail with 40119, charge credits unless ``test``."""
    if not batched:
        state.check_video_capacity()
    timeline = Timeline.of(scenes)
    d = state.config.durations
    limit = state.config.plan.max_video_seconds
    error = None
    if timeline.duration > limit:
        detail = f"Video is too long (> {limit:.1f}s). Please upgrade your plan to generate longer videos"
        error = {"code": 40119, "detail": detail, "message": detail}
    elif state.wants_failure(title, *(s.text for s in scenes)):
        detail = "Video rendering failed (simulated by SIMULATE_FAILURE)"
        error = {"code": 40065, "detail": detail, "message": detail}
    if error is None and not test:
        state.charge(cost_seconds)
    processing = d.video_base + (0.0 if error else d.video_per_output_second * timeline.duration)
    job = state.start_job([("waiting", d.video_queue), ("processing", processing)], "failed" if error else "completed")
    video = Video(
        id=state.new_id(),
        kind=kind,
        title=title,
        job=job,
        created_at=state.now(),
        timeline=timeline,
        size=dimension,
        caption=caption,
        test=test,
        callback_id=callback_id,
        callback_url=callback_url,
        folder_id=folder_id,
        error=error,
    )
    state.videos[video.id] = video
    return video


def video_status(state: SimState, video: Video) -> dict:
    status = video.job.status(state.now())
    done = status == "completed"

    def url(suffix: str, wanted: bool = True) -> str | None:
        return state.signed_url(f"videos/{video.id}{suffix}") if done and wanted else None

    return {
        "id": video.id,
        "status": status,
        "video_url": url(f".{video.ext}"),
        "thumbnail_url": url(".jpg"),
        "gif_url": url(".gif"),
        "caption_url": url(".vtt", video.caption),
        "video_url_caption": url("_caption.mp4", video.caption),
        "callback_id": video.callback_id,
        "duration": round(video.timeline.duration, 3) if done else None,
        "created_at": int(video.created_at),
        "error": video.error if status == "failed" else None,
    }


async def generate_studio(state: SimState, request: web.Request) -> web.Response:
    req = v.parse_studio_video(state, await read_json(request))
    video = submit_video(
        state,
        "studio",
        req.scenes,
        req.dimension,
        req.cost_seconds,
        title=req.title,
        test=req.test,
        caption=req.caption,
        callback_id=req.callback_id,
        callback_url=req.callback_url,
        folder_id=req.folder_id,
    )
    return ok(request, {"video_id": video.id})


def _script_or_audio(state: SimState, body: dict, text_key: str, audio_keys: tuple[str, ...]) -> tuple[str, float, str]:
    """(kind, seconds, text) for the single-shot endpoints: a script read by voice_id, or an audio file."""
    script = v.text(body, text_key, "", required=False, max_len=v.MAX_INPUT_TEXT)
    if script is not None:
        v.voice_exists(state, v.text(body, "voice_id", ""))
        return "text", speech_seconds(script), script
    if not any(body.get(k) for k in audio_keys):
        raise invalid(f"either {text_key} with voice_id or {' or '.join(audio_keys)} needs to be provided")
    if len(audio_keys) == 2:
        _, asset_id = v.one_source(body, *audio_keys)
        if asset_id:
            state.asset(asset_id, "audio", audio_keys[1])
    return "audio", v.AUDIO_INPUT_SECONDS, ""


async def generate_av4(state: SimState, request: web.Request) -> web.Response:
    body = await read_json(request)
    state.image_ref(v.text(body, "image_key", ""))
    title = v.text(body, "video_title", "")
    orientation = v.choice(body, "video_orientation", list(ORIENTATIONS), "") or "landscape"
    v.choice(body, "fit", ["cover", "contain"], "")
    v.text(body, "custom_motion_prompt", "", required=False, max_len=1000)
    v.flag(body, "enhance_custom_motion_prompt")
    kind, seconds, said = _script_or_audio(state, body, "script", ("audio_url", "audio_asset_id"))
    scene = Scene(kind, seconds, said, PALETTE[3], "Avatar IV")
    video = submit_video(state, "av4", [scene], ORIENTATIONS[orientation], seconds * v.AVATAR_RATE, title=title)
    return ok(request, {"video_id": video.id})


async def generate_webm(state: SimState, request: web.Request) -> web.Response:
    body = await read_json(request)
    avatar_id = v.text(body, "avatar_pose_id", "")
    v.choice(body, "avatar_style", ["normal", "closeUp"], "")
    dims = v.dimension(state, body)
    v.avatar_exists(state, avatar_id)
    kind, seconds, said = _script_or_audio(state, body, "input_text", ("input_audio",))
    label = state.catalogue.avatars_by_id[avatar_id]["avatar_name"]
    video = submit_video(state, "webm", [Scene(kind, seconds, said, PALETTE[5], label)], dims, seconds * v.AVATAR_RATE)
    return ok(request, {"video_id": video.id})


async def get_status(state: SimState, request: web.Request) -> web.Response:
    return ok(request, video_status(state, state.video(query_param(request, "video_id"))))


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        prefix, _, number = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        if prefix == "offset" and int(number) >= 0:
            return int(number)
    except ValueError:
        pass
    raise ApiError(400, 400, V1_BAD_PARAMS)


async def list_videos(state: SimState, request: web.Request) -> web.Response:
    try:
        limit = int(request.query.get("limit") or LIST_LIMIT)
    except ValueError:
        raise ApiError(400, 400, V1_BAD_PARAMS) from None
    if not 0 <= limit <= LIST_LIMIT:
        raise ApiError(400, 400, V1_BAD_PARAMS)
    limit = limit or LIST_LIMIT
    start = _offset(request.query.get("token"))
    folder, title = request.query.get("folder_id"), request.query.get("title")
    now = state.now()
    chosen = [
        video
        for video in sorted(state.videos.values(), key=lambda x: x.created_at, reverse=True)
        if video.kind not in HIDDEN_KINDS
        and (not folder or video.folder_id == folder)
        and (not title or title.lower() in (video.title or "").lower())
    ]
    page = chosen[start : start + limit]
    videos = [
        {
            "video_id": x.id,
            "video_title": x.title,
            "status": x.job.status(now),
            "created_at": int(x.created_at),
            "type": "GENERATED",
        }
        for x in page
    ]
    token = _cursor(start + limit) if start + limit < len(chosen) else None
    return ok(request, {"token": token, "videos": videos})


async def delete_video(state: SimState, request: web.Request) -> web.Response:
    video = state.video(query_param(request, "video_id"))
    del state.videos[video.id]
    return ok(request, None)


def register(router: web.UrlDispatcher, state: SimState) -> None:
    router.add_post("/v2/video/generate", partial(generate_studio, state))
    router.add_post("/v2/video/av4/generate", partial(generate_av4, state))
    router.add_post("/v1/video.webm", partial(generate_webm, state))
    router.add_get("/v1/video_status.get", partial(get_status, state))
    router.add_get("/v1/video.list", partial(list_videos, state))
    router.add_delete("/v1/video.delete", partial(delete_video, state))
