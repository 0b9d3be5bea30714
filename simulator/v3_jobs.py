"""v3 jobs with no v1/v2 counterpart (heygen-v3.md §7.3, §7.9): lipsync, background removal and the
Video Agent. Each result is a real video file: the job's output is a ``Video`` record (rendered on first
download by routes_media), kept out of the video library (``routes_videos.HIDDEN_KINDS``): HeyGen lists
those jobs apart.

- Lipsync: ``pending`` -> ``running`` -> ``completed`` | ``failed``; a video-job slot (429 over the plan's
  concurrency). The output keeps the source's length when the source is one of this simulator's videos.
- Background removal: ``pending`` -> ``processing`` -> ``completed``; ``layers`` maps each requested layer
  (foreground, mask, background; default all three) to its own video. It does NOT honour Idempotency-Key:
  it deduplicates on the body's ``request_id`` instead (the same request_id returns the same job).
- Video Agent: ``mode: generate`` starts a video at once (session ``generating`` -> ``completed``, the
  video readable with GET /v3/videos/{id}); ``mode: chat`` first answers (``thinking`` ->
  ``waiting_for_input``) and a sent message starts the video. Stop ends a session: ``completed`` when its
  video finished, else ``failed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from .routes_translation import source_of
from .routes_videos import submit_video
from .state import SimState, Video
from .timeline import PALETTE, Scene, Timeline, speech_seconds
from .v3_common import asset_ref, body_of, invalid, listed, not_found, ok, path_id, query_text, route
from .v3_avatars import usable_look
from .v3_store import store
from .v3_videos import video_object
from .v3_voices import voice_of
from .validation import AVATAR_RATE

LAYERS = ("foreground", "mask", "background")
LIPSYNC_STATUS = {"waiting": "pending", "processing": "running"}
REMOVAL_STATUS = {"waiting": "pending"}
THINKING_SECONDS = 2.0
CLIP_SECONDS = 5.0
MAX_MESSAGES = 40
STYLES = [
    ("style_clean_explainer", "Clean explainer", "16:9", ["business", "explainer"]),
    ("style_social_vertical", "Social vertical", "9:16", ["social"]),
    ("style_product_demo", "Product demo", "16:9", ["product", "business"]),
]


@dataclass
class Lipsync:
    id: str
    video_id: str
    title: str | None
    callback_id: str | None
    created_at: float


@dataclass
class Removal:
    id: str
    layer_videos: dict[str, str]  # layer -> video id
    request_id: str | None
    created_at: float


@dataclass
class AgentSession:
    id: str
    prompt: str
    mode: str
    created_at: float
    title: str
    video_id: str | None = None
    thinking_until: float = 0.0
    stopped: bool = False
    messages: list[dict] = field(default_factory=list)
    video_ids: list[str] = field(default_factory=list)  # every video the session made, oldest first


@dataclass
class JobStore:
    lipsyncs: dict[str, Lipsync] = field(default_factory=dict)
    removals: dict[str, Removal] = field(default_factory=dict)
    removal_by_request: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, AgentSession] = field(default_factory=dict)


def jobs_of(state: SimState) -> JobStore:
    """One JobStore per simulator, kept beside the other v3 records."""
    v3 = store(state)
    if v3.jobs is None:
        v3.jobs = JobStore()
    return v3.jobs


def source_video(state: SimState, ref: dict, param: str) -> tuple[Timeline, tuple[int, int], str | None]:
    source = asset_ref(state, param, ref, "video")
    if source.url is not None:
        return source_of(state, source.url)
    return Timeline.of([Scene("text", CLIP_SECONDS, "", PALETTE[4], "Source clip")]), (1280, 720), None


def output_video(state: SimState, kind: str, timeline: Timeline, size, title, failure: str | None, queue: float,
            per_second: float) -> Video:  # fmt: skip
    working = 0.0 if failure else 2.0 + per_second * timeline.duration
    job = state.start_job([("waiting", queue), ("processing", working)], "failed" if failure else "completed")
    error = {"code": "download_failed", "message": failure} if failure else None
    video = Video(state.new_id(), kind, title, job, state.now(), timeline, size, error=error)
    state.videos[video.id] = video
    return video


def _clock(state: SimState, video: Video | None, mapping: dict) -> str:
    raw = video.job.status(state.now()) if video else "failed"
    return mapping.get(raw, raw)


# lipsync ------------------------------------------------------------------------------------


def lipsync_object(state: SimState, job: Lipsync) -> dict:
    video = state.videos.get(job.video_id)
    status = _clock(state, video, LIPSYNC_STATUS)
    done = status == "completed"
    return {
        "id": job.id,
        "status": status,
        "title": job.title,
        "callback_id": job.callback_id,
        "created_at": int(job.created_at),
        "duration": round(video.timeline.duration, 3) if done else None,
        "video_url": state.signed_url(f"videos/{video.id}.mp4") if done else None,
        "caption_url": None,
        "failure_message": (video.error or {}).get("message") if video and status == "failed" else None,
    }


def _lipsync(state: SimState, request: web.Request) -> Lipsync:
    lipsync_id = path_id(request, "lipsync_id")
    found = jobs_of(state).lipsyncs.get(lipsync_id)
    if found is None:
        raise not_found("not_found", "Lipsync", lipsync_id)
    return found


def start_lipsync(state: SimState, body: dict, loc: str = "", *, batched: bool = False) -> Lipsync:
    """The lipsync of one LipsyncCreate body, checked and started (a video-job slot unless ``batched``)."""
    asset_ref(state, f"{loc}audio", body["audio"], "audio")
    timeline, size, failure = source_video(state, body["video"], f"{loc}video")
    if failure is None and state.wants_failure(body.get("title")):
        failure = "Lipsync failed (simulated by SIMULATE_FAILURE)"
    if not batched:
        state.check_video_capacity()
    if failure is None:
        state.charge(timeline.duration * AVATAR_RATE)
    video = output_video(state, "lipsync", timeline, size, body.get("title"), failure, 1.0, 0.5)
    video.watermark = bool(body.get("enable_watermark"))
    job = Lipsync(state.new_id(), video.id, body.get("title"), body.get("callback_id"), state.now())
    jobs_of(state).lipsyncs[job.id] = job
    return job


async def create_lipsync(state: SimState, request: web.Request) -> web.Response:
    body = await body_of(request, "LipsyncCreate")
    return ok({"lipsync_id": start_lipsync(state, body).id})


async def get_lipsync(state: SimState, request: web.Request) -> web.Response:
    return ok(lipsync_object(state, _lipsync(state, request)))


async def list_lipsyncs(state: SimState, request: web.Request) -> web.Response:
    chosen = sorted(jobs_of(state).lipsyncs.values(), key=lambda j: -j.created_at)
    return listed(request, "LipsyncList", chosen, lambda j: lipsync_object(state, j))


async def delete_lipsync(state: SimState, request: web.Request) -> web.Response:
    job = _lipsync(state, request)
    del jobs_of(state).lipsyncs[job.id]
    state.videos.pop(job.video_id, None)
    return ok({"id": job.id})


# background removal -------------------------------------------------------------------------


def removal_object(state: SimState, job: Removal) -> dict:
    videos = {layer: state.videos.get(vid) for layer, vid in job.layer_videos.items()}
    statuses = {_clock(state, v, REMOVAL_STATUS) for v in videos.values()}
    status = next((s for s in ("failed", "pending", "processing") if s in statuses), "completed")
    done = status == "completed"
    first = next(iter(videos.values()))
    return {
        "id": job.id,
        "status": status,
        "created_at": int(job.created_at),
        "completed_at": int(first.job.finished_at) if first and status in ("completed", "failed") else None,
        "duration": round(first.timeline.duration, 3) if done else None,
        "layers": {layer: state.signed_url(f"videos/{v.id}.mp4") for layer, v in videos.items()} if done else {},
        "error": (first.error or {}).get("message") if first and status == "failed" else None,
    }


async def create_removal(state: SimState, request: web.Request) -> web.Response:
    body = await body_of(request, "BackgroundRemovalCreate")
    jobs = jobs_of(state)
    request_id = body.get("request_id")
    if request_id and request_id in jobs.removal_by_request:  # HeyGen's dedup: keyed on request_id, not a header
        return ok(removal_object(state, jobs.removals[jobs.removal_by_request[request_id]]))
    layers = body.get("layers") or list(LAYERS)  # HeyGen's default: all three
    for i, layer in enumerate(layers):
        if layer not in LAYERS:
            raise invalid(f"layers[{i}]", f"must be one of {', '.join(LAYERS)}")
    timeline, size, failure = source_video(state, body["video"], "video")
    made = {}
    for layer in dict.fromkeys(layers):
        shown = Timeline.of(
            [Scene(s.scene.kind, s.scene.seconds, "", PALETTE[5], layer.title()) for s in timeline.segments]
        )
        made[layer] = output_video(
            state, "layer", shown, size, f"{body.get('title') or 'Video'} ({layer})", failure, 1.0, 0.3
        ).id
    job = Removal(state.new_id(), made, request_id, state.now())
    jobs.removals[job.id] = job
    if request_id:
        jobs.removal_by_request[request_id] = job.id
    state.jobs_created["BackgroundRemovalCreate"] += 1
    return ok(removal_object(state, job))


async def get_removal(state: SimState, request: web.Request) -> web.Response:
    job_id = path_id(request, "job_id")
    found = jobs_of(state).removals.get(job_id)
    if found is None:
        raise not_found("not_found", "Background removal", job_id)
    return ok(removal_object(state, found))


# video agent --------------------------------------------------------------------------------


def _agent_video(state: SimState, session: AgentSession, text: str, body: dict) -> None:
    look = usable_look(state, body["avatar_id"], "avatar_id") if body.get("avatar_id") else None
    if body.get("voice_id"):
        voice_of(state, body["voice_id"], usable=True)
    seconds = speech_seconds(text)
    size = (720, 1280) if body.get("orientation") == "portrait" else (1280, 720)
    label = look["name"] if look else "Video Agent"
    video = submit_video(state, "agent", [Scene("text", seconds, text, PALETTE[1], label)], size, seconds * AVATAR_RATE,
                         title=session.title, callback_id=body.get("callback_id"),
                         callback_url=body.get("callback_url"))  # fmt: skip
    session.video_id = video.id
    session.video_ids.append(video.id)
    session.messages.append({"role": "model", "type": "resource", "content": "Your video is being generated.",
                             "created_at": int(state.now()), "resource_ids": [video.id]})  # fmt: skip


def session_status(state: SimState, session: AgentSession) -> str:
    video = state.videos.get(session.video_id) if session.video_id else None
    if video is not None:
        raw = video.job.status(state.now())
        if raw in ("completed", "failed"):
            return raw
        return "failed" if session.stopped else "generating"
    if session.stopped:
        return "failed"
    return "thinking" if state.now() < session.thinking_until else "waiting_for_input"


def session_object(state: SimState, session: AgentSession) -> dict:
    status = session_status(state, session)
    progress = {"completed": 100, "generating": 50}.get(status, 0)
    planned = any(m["type"] == "text" and m["role"] == "model" for m in session.messages)
    if session.mode == "chat" and not planned and state.now() >= session.thinking_until:
        # the agent's first answer, due once its thinking time is over; it follows the opening prompt
        reply = "Here is a plan for your video. Shall I go on?"
        session.messages.insert(1, {"role": "model", "type": "text", "content": reply,
                                    "created_at": int(session.thinking_until), "resource_ids": []})  # fmt: skip
    return {
        "session_id": session.id,
        "status": status,
        "title": session.title,
        "video_id": session.video_id,
        "created_at": int(session.created_at),
        "progress": progress,
        "messages": list(reversed(session.messages))[:MAX_MESSAGES],  # HeyGen: the latest 40, newest first
    }


def _session(state: SimState, request: web.Request) -> AgentSession:
    session_id = path_id(request, "session_id")
    found = jobs_of(state).sessions.get(session_id)
    if found is None:
        raise not_found("not_found", "Video agent session", session_id)
    return found


async def create_agent(state: SimState, request: web.Request) -> web.Response:
    body = await body_of(request, "VideoAgentCreate")
    prompt = body["prompt"].strip()
    if not prompt:
        raise invalid("prompt", "describe the video you want")
    if body.get("style_id") and body["style_id"] not in {s[0] for s in STYLES}:
        raise invalid("style_id", "unknown style; see the video agent styles")
    for i, ref in enumerate(body.get("files") or []):
        asset_ref(state, f"files[{i}]", ref)
    session = AgentSession(state.new_id(), prompt, body.get("mode") or "generate", state.now(), prompt[:60])
    session.messages.append({"role": "user", "type": "text", "content": prompt, "created_at": int(state.now()),
                             "resource_ids": []})  # fmt: skip
    if session.mode == "generate":
        _agent_video(state, session, prompt, body)
    else:
        session.thinking_until = state.now() + THINKING_SECONDS * state.config.time_scale
    jobs_of(state).sessions[session.id] = session
    data = session_object(state, session)
    return ok({k: data[k] for k in ("session_id", "status", "video_id", "created_at")})


async def get_agent(state: SimState, request: web.Request) -> web.Response:
    return ok(session_object(state, _session(state, request)))


async def send_agent(state: SimState, request: web.Request) -> web.Response:
    session = _session(state, request)
    body = await body_of(request, "VideoAgentSend")
    status = session_status(state, session)
    if status not in ("waiting_for_input", "completed"):
        raise invalid("message", f"the session is {status}; send a message when it waits for input", "conflict")
    session.messages.append({"role": "user", "type": "text", "content": body["message"],
                             "created_at": int(state.now()), "resource_ids": []})  # fmt: skip
    _agent_video(state, session, f"{session.prompt} {body['message']}", body)
    return ok({"session_id": session.id, "run_id": state.new_id(), "title": session.title})


async def agent_resource(state: SimState, request: web.Request) -> web.Response:
    """A session's resources are the videos it made (their ids appear in the messages' ``resource_ids``)."""
    session = _session(state, request)
    resource_id = path_id(request, "resource_id")
    video = state.videos.get(resource_id) if resource_id in session.video_ids else None
    if video is None:
        raise not_found("not_found", "Resource", resource_id)
    done = video.job.status(state.now()) == "completed"
    data = {"resource_id": video.id, "resource_type": "video", "source_type": "generated",
            "created_at": int(video.created_at), "metadata": {"title": video.title},
            "url": state.signed_url(f"videos/{video.id}.mp4") if done else None,
            "thumbnail_url": state.signed_url(f"videos/{video.id}.jpg") if done else None,
            "preview_url": state.signed_url(f"videos/{video.id}.gif") if done else None}  # fmt: skip
    return ok(data)


async def stop_agent(state: SimState, request: web.Request) -> web.Response:
    session = _session(state, request)
    session.stopped = True
    return ok({"session_id": session.id})


async def styles(state: SimState, request: web.Request) -> web.Response:
    tag = query_text(request, "tag")
    chosen = [s for s in STYLES if tag is None or tag in s[3]]
    return listed(request, "VideoAgentStylesList", chosen, lambda s: {
        "style_id": s[0], "name": s[1], "aspect_ratio": s[2], "tags": s[3],
        "thumbnail_url": state.media_url(f"templates/{s[0]}.jpg"), "preview_video_url": None})  # fmt: skip


async def list_agents(state: SimState, request: web.Request) -> web.Response:
    chosen = sorted(jobs_of(state).sessions.values(), key=lambda s: -s.created_at)
    shape = lambda s: {"session_id": s.id, "title": s.title, "created_at": int(s.created_at)}  # noqa: E731
    return listed(request, "VideoAgentList", chosen, shape)


async def agent_videos(state: SimState, request: web.Request) -> web.Response:
    session = _session(state, request)
    made = [state.videos[i] for i in session.video_ids if i in state.videos]
    return ok([video_object(state, v) for v in made], has_more=False, next_token=None)


async def rename_lipsync(state: SimState, request: web.Request) -> web.Response:
    job = _lipsync(state, request)
    job.title = (await body_of(request, "LipsyncUpdate"))["title"]
    return ok(lipsync_object(state, job))


async def lipsync_statuses(state: SimState, request: web.Request) -> web.Response:
    ids = [i.strip() for i in (query_text(request, "lipsync_ids") or "").split(",") if i.strip()]
    if not ids or len(ids) > 100:
        raise invalid("lipsync_ids", "give 1 to 100 comma-separated ids")
    jobs = jobs_of(state).lipsyncs
    rows = [{"video_id": i, "status": lipsync_object(state, jobs[i])["status"] if i in jobs else "not_found",
             "error": None, "batch_id": None, "item_index": None} for i in ids]  # fmt: skip
    return ok(rows, has_more=False, next_token=None)


async def list_removals(state: SimState, request: web.Request) -> web.Response:
    chosen = sorted(jobs_of(state).removals.values(), key=lambda j: -j.created_at)
    return listed(request, "BackgroundRemovalList", chosen, lambda j: removal_object(state, j))


async def delete_removal(state: SimState, request: web.Request) -> web.Response:
    job_id = path_id(request, "job_id")
    jobs = jobs_of(state)
    found = jobs.removals.pop(job_id, None)
    if found is None:
        raise not_found("not_found", "Background removal", job_id)
    for video_id in found.layer_videos.values():
        state.videos.pop(video_id, None)
    if found.request_id:
        jobs.removal_by_request.pop(found.request_id, None)
    return ok({"id": job_id, "deleted": True})


def register(router: web.UrlDispatcher, state: SimState) -> None:
    route(router, state, "LipsyncCreate", create_lipsync, job=True)
    route(router, state, "LipsyncList", list_lipsyncs)
    route(router, state, "LipsyncStatusesList", lipsync_statuses)
    route(router, state, "LipsyncUpdate", rename_lipsync)
    route(router, state, "LipsyncGet", get_lipsync)
    route(router, state, "LipsyncDelete", delete_lipsync)
    route(router, state, "BackgroundRemovalCreate", create_removal)  # dedup by request_id, not Idempotency-Key
    route(router, state, "BackgroundRemovalGet", get_removal)
    route(router, state, "BackgroundRemovalList", list_removals)
    route(router, state, "BackgroundRemovalDelete", delete_removal)
    route(router, state, "VideoAgentList", list_agents)
    route(router, state, "VideoAgentVideosList", agent_videos)
    route(router, state, "VideoAgentCreate", create_agent, job=True)
    route(router, state, "VideoAgentStylesList", styles)
    route(router, state, "VideoAgentGet", get_agent)
    route(router, state, "VideoAgentSend", send_agent, job=True)
    route(router, state, "VideoAgentStop", stop_agent)
    route(router, state, "VideoAgentResourcesGet", agent_resource)
