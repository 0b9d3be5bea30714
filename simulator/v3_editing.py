"""v3 editing jobs (heygen-v3.md §7.8, §7.9): AI clipping (a long video becomes short clips) and translation
proofreads (a translation whose SRT can be reviewed and replaced before the dub is generated).

AI clipping: ``pending`` -> ``running`` -> ``completed``; one clip per requested ``duration_types`` value (30,
60, 180 seconds or ``long``; at most the source's length), each a real video kept out of the library.
Proofreads: one per output language, ``processing`` then ``completed``; the SRT is a real file; PUT .../srt
takes a replacement (its URL or an uploaded SRT asset); ``generate`` starts the translation (a normal
VideoTranslate record, polled with GET) once, and answers the same translation afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from .state import SimState, Video
from .timeline import PALETTE, Scene, Timeline
from .v3_common import asset_ref, body_of, invalid, listed, not_found, ok, path_id, route
from .v3_jobs import output_video, source_video
from .v3_store import store
from .v3_translations import LANGUAGES, start_translations

DEFAULT_DURATIONS = ["30", "60"]  # seconds, or "long"
CLIP_STATUS = {"waiting": "pending", "processing": "running"}
PROOFREAD_SECONDS = 3.0


@dataclass
class Clipping:
    id: str
    title: str | None
    callback_id: str | None
    input_language: str | None
    settings: dict
    source_seconds: float
    clip_ids: list[str]
    created_at: float


@dataclass
class Proofread:
    id: str
    body: dict  # the create body, reused when the translation is generated
    output_language: str
    created_at: float
    ready_at: float
    srt_url: str | None = None
    translation_id: str | None = None


def _records(state: SimState) -> dict:
    v3 = store(state)
    if v3.editing is None:
        v3.editing = {"clippings": {}, "proofreads": {}}
    return v3.editing


# AI clipping --------------------------------------------------------------------------------


def clipping_object(state: SimState, job: Clipping) -> dict:
    clips = [state.videos.get(i) for i in job.clip_ids]
    raw = {c.job.status(state.now()) if c else "failed" for c in clips}
    status = next((CLIP_STATUS.get(s, s) for s in ("waiting", "processing", "failed") if s in raw), "completed")
    ratio = job.settings.get("aspect_ratio") or "portrait"

    def clip(video: Video | None, index: int) -> dict:
        done = video is not None and video.job.status(state.now()) == "completed"
        return {"id": video.id if video else f"{job.id}-{index}", "title": f"{job.title or 'Clip'} #{index + 1}",
                "status": "completed" if done else ("failed" if status == "failed" else "pending"),
                "aspect_ratio": ratio, "duration_seconds": round(video.timeline.duration, 3) if done else None,
                "video_url": state.signed_url(f"videos/{video.id}.mp4") if done else None,
                "thumbnail_url": state.signed_url(f"videos/{video.id}.jpg") if done else None,
                "virality_score": 90 - 7 * index, "failure_message": None}  # fmt: skip

    return {
        "id": job.id,
        "status": status,
        "title": job.title,
        "callback_id": job.callback_id,
        "created_at": int(job.created_at),
        "input_language": job.input_language,
        "output_settings": {
            "aspect_ratio": ratio,
            "captions": job.settings.get("captions", True),
            "duration_types": job.settings.get("duration_types") or [],
            "caption_style": job.settings.get("caption_style"),
            "prompt": job.settings.get("prompt"),
        },  # fmt: skip
        "progress": {"pending": 0, "running": 50}.get(status, 100),
        "source_duration": round(job.source_seconds, 3),
        "clips": [clip(v, i) for i, v in enumerate(clips)],
        "failure_message": (clips[0].error or {}).get("message") if status == "failed" and clips[0] else None,
    }


async def create_clipping(state: SimState, request: web.Request) -> web.Response:
    body = await body_of(request, "AiClippingCreate")
    timeline, size, failure = source_video(state, body["video"], "video")
    settings = body.get("output_settings") or {}
    portrait = (settings.get("aspect_ratio") or "portrait") == "portrait"
    shape = (size[1], size[0]) if portrait and size[0] > size[1] else size
    clips = []
    for i, target in enumerate(dict.fromkeys(settings.get("duration_types") or DEFAULT_DURATIONS)):
        wanted = timeline.duration if target == "long" else float(target)
        length = max(1.0, min(wanted, timeline.duration))
        scene = Scene("text", length, "", PALETTE[i % len(PALETTE)], f"Clip {i + 1} ({target})")
        clips.append(output_video(state, "clip", Timeline.of([scene]), shape, body.get("title"), failure, 1.0, 0.5).id)
    job = Clipping(state.new_id(), body.get("title"), body.get("callback_id"), body.get("input_language"), settings,
                   timeline.duration, clips, state.now())  # fmt: skip
    _records(state)["clippings"][job.id] = job
    return ok(clipping_object(state, job))


def _clipping(state: SimState, request: web.Request) -> Clipping:
    job_id = path_id(request, "job_id")
    found = _records(state)["clippings"].get(job_id)
    if found is None:
        raise not_found("not_found", "AI clipping job", job_id)
    return found


async def get_clipping(state: SimState, request: web.Request) -> web.Response:
    return ok(clipping_object(state, _clipping(state, request)))


async def list_clippings(state: SimState, request: web.Request) -> web.Response:
    chosen = sorted(_records(state)["clippings"].values(), key=lambda j: -j.created_at)
    return listed(request, "AiClippingList", chosen, lambda j: clipping_object(state, j))


async def delete_clipping(state: SimState, request: web.Request) -> web.Response:
    job = _clipping(state, request)
    del _records(state)["clippings"][job.id]
    for clip_id in job.clip_ids:
        state.videos.pop(clip_id, None)
    return ok({"id": job.id})


# proofreads ---------------------------------------------------------------------------------


def proofread_object(state: SimState, p: Proofread) -> dict:
    status = "completed" if state.now() >= p.ready_at else "processing"
    return {"id": p.id, "status": status, "title": p.body.get("title"), "created_at": int(p.created_at),
            "input_language": p.body.get("input_language"), "output_language": p.output_language,
            "submitted_for_review": p.translation_id is not None, "failure_message": None}  # fmt: skip


async def create_proofreads(state: SimState, request: web.Request) -> web.Response:
    body = await body_of(request, "VideoTranslateProofreadsCreate")
    wanted = body["output_languages"]
    if not wanted:
        raise invalid("output_languages", "give at least one language")
    for i, language in enumerate(wanted):
        if language not in LANGUAGES:
            raise invalid(f"output_languages[{i}]", f"unsupported language {language!r}; see the languages list")
    asset_ref(state, "video", body["video"], "video")
    made = []
    for language in dict.fromkeys(wanted):
        ready = state.now() + PROOFREAD_SECONDS * state.config.time_scale
        p = Proofread(state.new_id(), body, language, state.now(), ready)
        _records(state)["proofreads"][p.id] = p
        made.append(p.id)
    return ok({"proofread_ids": made, "status": "processing"})


def _proofread(state: SimState, request: web.Request, ready: bool = False) -> Proofread:
    proofread_id = path_id(request, "proofread_id")
    found = _records(state)["proofreads"].get(proofread_id)
    if found is None:
        raise not_found("not_found", "Proofread", proofread_id)
    if ready and state.now() < found.ready_at:
        raise invalid("proofread_id", "the proofread is still processing", "conflict")
    return found


async def get_proofread(state: SimState, request: web.Request) -> web.Response:
    return ok(proofread_object(state, _proofread(state, request)))


async def get_srt(state: SimState, request: web.Request) -> web.Response:
    p = _proofread(state, request, ready=True)
    original = state.media_url(f"proofreads/{p.id}.srt")
    return ok({"srt_url": p.srt_url or original, "original_srt_url": original})


async def put_srt(state: SimState, request: web.Request) -> web.Response:
    p = _proofread(state, request, ready=True)
    source = asset_ref(state, "srt", (await body_of(request, "VideoTranslateProofreadsSrtUpdate"))["srt"])
    if source.asset is not None and source.asset.content_type != "application/x-subrip":
        raise invalid("srt.asset_id", "is not an SRT file")
    p.srt_url = source.url or state.media_url(f"assets/{source.asset.id}.srt")
    return ok(proofread_object(state, p))


async def generate(state: SimState, request: web.Request) -> web.Response:
    p = _proofread(state, request, ready=True)
    options = await body_of(request, "VideoTranslateProofreadsGenerate")
    if p.translation_id is None:
        body = {**p.body, "output_languages": [p.output_language], **options}
        p.translation_id = start_translations(state, body)[0].id
    return ok({"video_translation_id": p.translation_id, "status": "processing"})


def register(router: web.UrlDispatcher, state: SimState) -> None:
    route(router, state, "AiClippingCreate", create_clipping, job=True)
    route(router, state, "AiClippingList", list_clippings)
    route(router, state, "AiClippingGet", get_clipping)
    route(router, state, "AiClippingDelete", delete_clipping)
    route(router, state, "VideoTranslateProofreadsCreate", create_proofreads, job=True)
    route(router, state, "VideoTranslateProofreadsGet", get_proofread)
    route(router, state, "VideoTranslateProofreadsSrtGet", get_srt)
    route(router, state, "VideoTranslateProofreadsSrtUpdate", put_srt)
    route(router, state, "VideoTranslateProofreadsGenerate", generate, job=True)
