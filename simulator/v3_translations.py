"""v3 video translation (heygen-v3.md §7.8): languages, create (one id per output language), get, list.

Each translation is a video in the account's library (kind ``translation``, with ``output_language``), so
its ``video_url`` is a real MP4 and it shows in GET /v3/videos. Statuses: ``pending`` -> ``running`` ->
``completed`` | ``failed``. The source (AssetRef ``video``) keeps its length and size when it is one of this
simulator's own videos (a /media/videos URL or an uploaded asset); a URL whose host ends in ``.invalid``
cannot be downloaded and its translations fail, as does SIMULATE_FAILURE in the URL or title. Unlike the v2
route, every plan may translate on v3 (HeyGen sells v3 translation to API wallets). 3 credits a minute per
language.
"""

from __future__ import annotations

from aiohttp import web

from .routes_translation import CREDITS_PER_MINUTE, LANGUAGES, source_of
from .state import SimState, Video
from .timeline import PALETTE, Scene, Timeline
from .v3_common import asset_ref, body_of, invalid, listed, not_found, ok, path_id, route
from .v3_store import Translation, store

STATUS = {"waiting": "pending", "processing": "running"}
QUEUE_SECONDS, BASE_SECONDS, PER_VIDEO_SECOND = 1.0, 3.0, 0.5
ASSET_CLIP_SECONDS = 5.0


def translation_object(state: SimState, t: Translation) -> dict:
    video = state.videos.get(t.video_id)
    raw = video.job.status(state.now()) if video else "failed"
    status = STATUS.get(raw, raw)
    done = status == "completed"
    failure = (
        ((video.error or {}).get("message") if video else "The translated video was deleted")
        if status == "failed"
        else None
    )
    return {
        "id": t.id,
        "status": status,
        "title": t.title,
        "callback_id": t.callback_id,
        "created_at": int(t.created_at),
        "duration": round(video.timeline.duration, 3) if done else None,
        "input_language": t.input_language,
        "output_language": t.output_language,
        "translate_audio_only": t.translate_audio_only,
        "video_url": state.signed_url(f"videos/{video.id}.mp4") if done and not t.translate_audio_only else None,
        "audio_url": state.signed_url(f"speech/{video.id}.mp3") if done and t.translate_audio_only else None,
        "srt_caption_url": None,
        "vtt_caption_url": state.signed_url(f"videos/{video.id}.vtt") if done and video.caption else None,
        "failure_message": failure,
    }


async def languages(state: SimState, request: web.Request) -> web.Response:
    return ok({"languages": LANGUAGES})


def _timeline(state: SimState, body: dict, loc: str) -> tuple[Timeline, tuple[int, int], str | None]:
    source = asset_ref(state, f"{loc}video", body["video"], "video")
    if source.url is not None:
        return source_of(state, source.url)
    clip = Scene("text", ASSET_CLIP_SECONDS, "", PALETTE[4], "Source clip")
    return Timeline.of([clip]), (1280, 720), None


def start_translations(state: SimState, body: dict, loc: str = "", *, batched: bool = False) -> list[Translation]:
    """The translations of one VideoTranslateCreate body (one per output language), checked and started."""
    wanted = body["output_languages"]
    if not wanted:
        raise invalid(f"{loc}output_languages", "give at least one language")
    for i, language in enumerate(wanted):
        if language not in LANGUAGES:
            raise invalid(f"{loc}output_languages[{i}]", f"unsupported language {language!r}; see the languages list")
    if body.get("speaker_num") is not None and body["speaker_num"] < 1:
        raise invalid(f"{loc}speaker_num", "must be at least 1")
    timeline, size, unreadable = _timeline(state, body, loc)
    title = body.get("title")
    if unreadable is None and state.wants_failure(title, (body["video"] or {}).get("url")):
        unreadable = "Translation failed (simulated by SIMULATE_FAILURE)"
    if not batched:  # translations count toward the plan's concurrent video jobs (HeyGen's usage limits)
        state.check_video_capacity()
    if unreadable is None:
        state.charge(timeline.duration * CREDITS_PER_MINUTE * len(wanted))
    made = []
    for language in dict.fromkeys(wanted):
        working = 0.0 if unreadable else BASE_SECONDS + PER_VIDEO_SECOND * timeline.duration
        job = state.start_job(
            [("waiting", QUEUE_SECONDS), ("processing", working)], "failed" if unreadable else "completed"
        )
        error = {"code": "download_failed" if unreadable else None, "message": unreadable} if unreadable else None
        video = Video(state.new_id(), "translation", title, job, state.now(), timeline, size,
                      callback_id=body.get("callback_id"), folder_id=body.get("folder_id"), error=error,
                      watermark=bool(body.get("enable_watermark")))  # fmt: skip
        state.videos[video.id] = video
        t = Translation(state.new_id(), video.id, language, body.get("input_language"), title, body.get("callback_id"),
                        bool(body.get("translate_audio_only")), state.now())  # fmt: skip
        store(state).translations[t.id] = t
        store(state).translation_of_video[video.id] = t.id
        made.append(t)
    return made


async def create(state: SimState, request: web.Request) -> web.Response:
    body = await body_of(request, "VideoTranslateCreate")
    return ok({"video_translation_ids": [t.id for t in start_translations(state, body)]})


def _translation(state: SimState, request: web.Request) -> Translation:
    translation_id = path_id(request, "video_translation_id")
    found = store(state).translations.get(translation_id)
    if found is None:
        raise not_found("not_found", "Video translation", translation_id)
    return found


async def get(state: SimState, request: web.Request) -> web.Response:
    return ok(translation_object(state, _translation(state, request)))


async def list_(state: SimState, request: web.Request) -> web.Response:
    chosen = sorted(store(state).translations.values(), key=lambda t: -t.created_at)
    return listed(request, "VideoTranslateList", chosen, lambda t: translation_object(state, t))


async def rename(state: SimState, request: web.Request) -> web.Response:
    t = _translation(state, request)
    t.title = (await body_of(request, "VideoTranslateUpdate"))["title"]
    return ok(translation_object(state, t))


async def delete(state: SimState, request: web.Request) -> web.Response:
    t = _translation(state, request)
    del store(state).translations[t.id]
    store(state).translation_of_video.pop(t.video_id, None)
    state.videos.pop(t.video_id, None)
    return ok({"id": t.id})


async def statuses(state: SimState, request: web.Request) -> web.Response:
    """Bulk statuses in HeyGen's shared statuses shape: the translation id is reported as ``video_id``."""
    ids = [i.strip() for i in (request.query.get("video_translation_ids") or "").split(",") if i.strip()]
    if not ids or len(ids) > 100:
        raise invalid("video_translation_ids", "give 1 to 100 comma-separated ids")
    known = store(state).translations
    rows = [{"video_id": i, "status": translation_object(state, known[i])["status"] if i in known else "not_found",
             "error": None, "batch_id": None, "item_index": None} for i in ids]  # fmt: skip
    return ok(rows, has_more=False, next_token=None)


def register(router: web.UrlDispatcher, state: SimState) -> None:
    route(router, state, "VideoTranslateLanguagesList", languages)
    route(router, state, "VideoTranslateCreate", create, job=True)
    route(router, state, "VideoTranslateList", list_)
    route(router, state, "VideoTranslateStatusesList", statuses)
    route(router, state, "VideoTranslateUpdate", rename)
    route(router, state, "VideoTranslateDelete", delete)
    route(router, state, "VideoTranslateGet", get)
