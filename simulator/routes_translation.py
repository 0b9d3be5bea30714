"""Video translation routes (heygen-api.md §11): target languages, translation jobs and their status.

A translation is a job ``pending -> running -> success`` (or ``failed``) whose result is a video in the
account's library (kind ``translation``), so its ``url`` serves a real MP4 from ``/media/videos/`` and
it appears in ``/v1/video.list`` like HeyGen's translated videos. When ``video_url`` points at one of
this simulator's own videos the translation keeps that video's length and size; any other URL counts
as a short clip. It costs 3 credits a minute (HeyGen's price list).

Documented test hooks:

- only the ``scale`` and ``enterprise`` plans may translate; others get 403 with code 400599
  (TIER_NOT_SUPPORT), as HeyGen's translation is a Scale/Enterprise feature;
- a ``video_url`` whose host ends in ``.invalid`` (a name that can never resolve, RFC 2606) cannot be
  downloaded: the job is accepted and then fails with a ``message`` saying so; ``SIMULATE_FAILURE``
  anywhere in ``video_url`` or ``title`` fails the job the same way.

Batch requests (``output_languages``) get one job for the whole batch, reported under the first
language: HeyGen's documentation shows no other answer shape than one ``video_translate_id``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlparse

from aiohttp import web

from . import validation as v
from .state import SimState, Video
from .timeline import PALETTE, Scene, Timeline
from .wire import ApiError, invalid, ok, read_json

LANGUAGES = [
    "English", "English (US)", "English (UK)", "Spanish", "Spanish (Mexico)", "Spanish (Spain)", "French",
    "French (France)", "French (Canada)", "German", "Italian", "Portuguese", "Portuguese (Brazil)", "Japanese",
    "Korean", "Chinese", "Hindi", "Dutch", "Polish", "Turkish",
]  # fmt: skip
TRANSLATING_PLANS = ("scale", "enterprise")
# Nominal seconds before time_scale: queued, then working per second of video.
QUEUE_SECONDS, BASE_SECONDS, PER_VIDEO_SECOND = 1.0, 3.0, 0.5
DEFAULT_CLIP_SECONDS = 5.0
CREDITS_PER_MINUTE = 3.0
HEYGEN_STATUS = {"waiting": "pending", "processing": "running", "completed": "success", "failed": "failed"}
MEDIA_VIDEO = re.compile(r"^/media/videos/(\w+)\.(mp4|webm)$")


@dataclass
class Translation:
    id: str
    video_id: str
    title: str | None
    output_language: str
    callback_id: str | None


def translation_status(state: SimState, translation: Translation) -> dict:
    video = state.videos.get(translation.video_id)
    status = HEYGEN_STATUS.get(video.job.status(state.now()), "running") if video else "failed"
    failed = status == "failed"
    return {
        "video_translate_id": translation.id,
        "title": translation.title,
        "output_language": translation.output_language,
        "status": status,
        "url": state.signed_url(f"videos/{video.id}.mp4") if status == "success" else None,
        "callback_id": translation.callback_id,
        "message": ((video.error or {}).get("message") if video else "The translated video was deleted")
        if failed
        else None,
    }


async def target_languages(state: SimState, request: web.Request) -> web.Response:
    return ok(request, {"languages": LANGUAGES})


def _languages(body: dict) -> list[str]:
    single, batch = body.get("output_language"), body.get("output_languages")
    if (single is None) == (batch is None):
        raise invalid("either output_language or output_languages needs to be provided")
    languages = [v.text(body, "output_language", "")] if single is not None else batch
    if not isinstance(languages, list) or not languages:
        raise invalid("output_languages: List should have at least 1 item after validation")
    for language in languages:
        if language not in LANGUAGES:
            raise invalid(f"Unsupported output language: {language}")
    return languages


def source_of(state: SimState, video_url: str) -> tuple[Timeline, tuple[int, int], str | None]:
    """The source video's timeline and size when it is one of ours, else a short clip; and why it cannot be read."""
    parsed = urlparse(video_url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise invalid("video_url: Input should be a valid URL")
    if parsed.hostname.endswith(".invalid"):
        return Timeline.of([]), (1280, 720), f"Failed to download the video from {video_url}"
    match = MEDIA_VIDEO.match(parsed.path) if video_url.startswith(state.base_url) else None
    source = state.videos.get(match.group(1)) if match else None
    if source is not None:
        return source.timeline, source.size, None
    return Timeline.of([Scene("text", DEFAULT_CLIP_SECONDS, "", PALETTE[4], "Source clip")]), (1280, 720), None


async def translate(state: SimState, translations: dict, request: web.Request) -> web.Response:
    plan = state.config.plan
    if plan.name not in TRANSLATING_PLANS:
        raise ApiError(403, 400599, f"Video translation is not supported on the {plan.name} plan (Scale or Enterprise)")
    body = await read_json(request)
    video_url = v.text(body, "video_url", "")
    languages = _languages(body)
    title = v.text(body, "title", "", required=False)
    v.flag(body, "translate_audio_only")
    speakers = body.get("speaker_num")
    if speakers is not None and (isinstance(speakers, bool) or not isinstance(speakers, int) or speakers < 1):
        raise invalid("speaker_num: Input should be a valid integer greater than or equal to 1")
    callback_id = v.text(body, "callback_id", "", required=False)
    folder_id = v.text(body, "folder_id", "", required=False)
    timeline, size, unreadable = source_of(state, video_url)
    if unreadable is None and state.wants_failure(video_url, title):
        unreadable = "Translation failed (simulated by SIMULATE_FAILURE)"
    if unreadable is None:
        state.charge(timeline.duration * CREDITS_PER_MINUTE * len(languages))
    working = 0.0 if unreadable else BASE_SECONDS + PER_VIDEO_SECOND * timeline.duration
    job = state.start_job(
        [("waiting", QUEUE_SECONDS), ("processing", working)], "failed" if unreadable else "completed"
    )
    error = {"code": 40065, "message": unreadable, "detail": unreadable} if unreadable else None
    video = Video(state.new_id(), "translation", title, job, state.now(), timeline, size,
                  callback_id=callback_id, folder_id=folder_id, error=error)  # fmt: skip
    state.videos[video.id] = video
    translation = Translation(state.new_id(), video.id, title, languages[0], callback_id)
    translations[translation.id] = translation
    return ok(request, {"video_translate_id": translation.id})


async def status(state: SimState, translations: dict, request: web.Request) -> web.Response:
    found = translations.get(request.match_info["video_translate_id"])
    if found is None:
        raise ApiError(404, "not_found", "Video translation not found")
    return ok(request, translation_status(state, found))


def register(router: web.UrlDispatcher, state: SimState) -> None:
    translations: dict[str, Translation] = {}
    router.add_get("/v2/video_translate/target_languages", partial(target_languages, state))
    router.add_post("/v2/video_translate", partial(translate, state, translations))
    router.add_get("/v2/video_translate/{video_translate_id}", partial(status, state, translations))
