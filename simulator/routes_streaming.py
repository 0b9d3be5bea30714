"""Streaming (Interactive Avatar) routes (heygen-api.md §12): token, new, start, task, interrupt,
keep_alive, stop and list, all v1 envelopes.

The simulated account plays a TRIAL token: ``is_paid`` false, ``session_duration_limit`` 600 s,
and at most ``SimulatorConfig.streaming_concurrent_sessions`` (default 3) open sessions.

Lifecycle (HeyGen's words; ``closed`` sessions leave the list, as HeyGen's v1 list shows open ones only):
    new         streaming.new answered; tasks and interrupts are refused (10001)
    connecting  streaming.start answered; lasts CONNECT_SECONDS, then
    connected   (tasks are accepted while connecting too: both count as started)
    closed      stopped, idle past the idle timeout, or past the duration limit; never reopens

Time: every duration below is nominal seconds multiplied by ``time_scale`` on the simulated clock, and
read off that clock on each request (no background tasks), so ``Simulator.advance()`` skips time.
- A task's ``duration_ms`` follows its text: 150 words per minute divided by the session voice's rate
  (at least half a second), reported unscaled like HeyGen's; the avatar "speaks" that long (scaled),
  after any speech still running (tasks queue). A chat (talk) task is timed on its own text: no LLM here.
- Activity = any streaming call on the session (start, task, interrupt, keep_alive); the idle timer also
  waits for the avatar to finish speaking. A session whose last activity is older than its
  ``activity_idle_timeout`` (default 120) closes, unless ``disable_idle_timeout`` was true.
- A session closes ``session_duration_limit`` after it was created, whatever the activity.

Choices where HeyGen's behaviour is not documented (documented here instead):
- start on a started session and interrupt while the avatar is silent are no-op successes (they are
  idempotent: a client may resend them); sync and async tasks both answer at once.
- ``activity_idle_timeout`` together with ``disable_idle_timeout: true`` is a 400.
- voice.emotion must be spelled as HeyGen documents it (Excited, Serious, Friendly, Soothing, Broadcaster);
  ``version`` must be "v2"; any avatar id is accepted except those in DEPRECATED_AVATAR_IDS.

Error codes: 10003 is HeyGen's (heygen-api.md); the rest follow the code table of a third-party HeyGen
client (HeyGen documents none), with HTTP 400 unless noted:
    10001 "session state wrong: new"        task or interrupt before streaming.start
    10003 "avatar version is deprecated, please update to v3+"   streaming.new with a deprecated avatar
    10005 "session state wrong: closed"     any call on a stopped or idle-closed session (stop included)
    10006 "Session not found"               unknown session id (HTTP 404)
    10007 "Concurrent limit reached"        streaming.new with the limit of open sessions reached
    10015 "Trial API limit reached"         a call other than stop on a session past its duration limit
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from functools import partial

from aiohttp import web

from . import validation as v
from .state import SimState
from .timeline import speech_seconds
from .wire import ApiError, invalid, ok, read_json

TRIAL_DURATION_LIMIT = 600
DEFAULT_IDLE_TIMEOUT = 120
CONNECT_SECONDS = 2.0
# Avatars whose version HeyGen retired for streaming (v1/v2): streaming.new answers 10003.
DEPRECATED_AVATAR_IDS = frozenset({"josh_lite3_20230714", "Kristin_public_2_20240108"})
QUALITIES = ["high", "medium", "low"]
ENCODINGS = ["H264", "VP8"]
TASK_TYPES = ["repeat", "chat", "talk"]
TASK_MODES = ["sync", "async"]
SIGNING_KEY = b"heygen-simulator-livekit"


@dataclass
class StreamingSession:
    id: str
    avatar_id: str | None
    created_at: float
    rate: float
    idle_timeout: float | None  # scaled seconds; None when disabled
    duration_limit: float  # scaled seconds
    connect_delay: float  # scaled seconds
    last_activity: float
    started_at: float | None = None
    speaking_until: float = 0.0
    stopped_at: float | None = None

    def ended(self, now: float) -> tuple[str, float] | None:
        """(why, when) once the session is over: stopped, idle or duration."""
        endings = [("duration", self.created_at + self.duration_limit)]
        if self.stopped_at is not None:
            endings.append(("stopped", self.stopped_at))
        if self.idle_timeout is not None:
            endings.append(("idle", max(self.last_activity, self.speaking_until) + self.idle_timeout))
        why, when = min(endings, key=lambda ending: ending[1])
        return (why, when) if when <= now else None

    def status(self, now: float) -> str:
        if self.ended(now):
            return "closed"
        if self.started_at is None:
            return "new"
        return "connecting" if now < self.started_at + self.connect_delay else "connected"


class StreamingDesk:
    """The account's streaming sessions and the rules every route checks."""

    def __init__(self, state: SimState):
        self.state = state
        self.sessions: dict[str, StreamingSession] = {}

    def scaled(self, seconds: float) -> float:
        return seconds * self.state.config.time_scale

    def open_sessions(self, now: float) -> list[StreamingSession]:
        return [s for s in self.sessions.values() if s.status(now) != "closed"]

    def limit(self) -> int:
        return self.state.config.streaming_concurrent_sessions

    def find(self, body: dict) -> StreamingSession:
        session_id = v.text(body, "session_id", "")
        found = self.sessions.get(session_id)
        if found is None:
            raise ApiError(404, 10006, "Session not found")
        return found

    def open_one(self, body: dict, now: float) -> StreamingSession:
        """The session, refusing a closed one the way its ending calls for."""
        session = self.find(body)
        ended = session.ended(now)
        if ended and ended[0] == "duration":
            raise ApiError(400, 10015, f"Trial API limit reached: the {TRIAL_DURATION_LIMIT} s session limit is over")
        if ended:
            raise ApiError(400, 10005, "session state wrong: closed")
        return session

    def started_one(self, body: dict, now: float) -> StreamingSession:
        session = self.open_one(body, now)
        if session.started_at is None:
            raise ApiError(400, 10001, "session state wrong: new")
        return session


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def livekit_token(session_id: str, issued_at: float) -> str:
    """A JWT-shaped LiveKit room token (HS256 over a fixed simulator key): looks right, opens nothing."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {
        "iss": "heygen-simulator",
        "sub": f"viewer-{session_id[:8]}",
        "iat": int(issued_at),
        "exp": int(issued_at) + TRIAL_DURATION_LIMIT,
        "video": {"room": session_id, "roomJoin": True, "canPublish": False, "canSubscribe": True},
    }
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = _b64(hmac.new(SIGNING_KEY, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"


def session_uuid(state: SimState) -> str:
    raw = state.new_id()
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


async def create_token(desk: StreamingDesk, request: web.Request) -> web.Response:
    return ok(request, {"token": _b64(secrets.token_bytes(48))})


def _voice(body: dict) -> float:
    """Checks voice like HeyGen's documentation spells it; returns the speaking rate."""
    raw = body.get("voice")
    if raw is None:
        return 1.0
    voice = v.obj(raw, "voice")
    v.text(voice, "voice_id", "voice.", required=False)
    v.choice(voice, "emotion", v.EMOTIONS, "voice.")
    return v.number(voice, "rate", 0.5, 1.5, "voice.", default=1.0)


async def new_session(desk: StreamingDesk, request: web.Request) -> web.Response:
    body = await read_json(request)
    v.choice(body, "quality", QUALITIES, "")
    v.choice(body, "version", ["v2"], "", required=True)
    v.choice(body, "video_encoding", ENCODINGS, "")
    for key in ("language", "knowledge_base", "knowledge_base_id"):
        v.text(body, key, "", required=False)
    rate = _voice(body)
    disabled = v.flag(body, "disable_idle_timeout")
    idle = DEFAULT_IDLE_TIMEOUT
    if body.get("activity_idle_timeout") is not None:
        if disabled:
            raise invalid("activity_idle_timeout and disable_idle_timeout cannot be used together")
        idle = v.integer(body, "activity_idle_timeout", "")
        if not 30 <= idle <= 3600:
            raise invalid("activity_idle_timeout: Input should be between 30 and 3600")
    avatar_id = v.text(body, "avatar_id", "", required=False)
    if avatar_id in DEPRECATED_AVATAR_IDS:
        raise ApiError(400, 10003, "avatar version is deprecated, please update to v3+")
    now = desk.state.now()
    if len(desk.open_sessions(now)) >= desk.limit():
        raise ApiError(400, 10007, "Concurrent limit reached")
    session = StreamingSession(
        id=session_uuid(desk.state),
        avatar_id=avatar_id,
        created_at=now,
        rate=rate,
        idle_timeout=None if disabled else desk.scaled(idle),
        duration_limit=desk.scaled(TRIAL_DURATION_LIMIT),
        connect_delay=desk.scaled(CONNECT_SECONDS),
        last_activity=now,
    )
    desk.sessions[session.id] = session
    return ok(
        request,
        {
            "session_id": session.id,
            "url": f"wss://{session.id[:8]}.livekit.heygen-simulator.invalid",
            "access_token": livekit_token(session.id, now),
            "session_duration_limit": TRIAL_DURATION_LIMIT,
            "is_paid": False,
            "realtime_endpoint": f"wss://realtime.heygen-simulator.invalid/v1/ws/streaming.chat?session_id={session.id}",
        },
    )


async def start_session(desk: StreamingDesk, request: web.Request) -> web.Response:
    now = desk.state.now()
    session = desk.open_one(await read_json(request), now)
    if session.started_at is None:
        session.started_at = now
    session.last_activity = now
    return ok(request, None)


async def send_task(desk: StreamingDesk, request: web.Request) -> web.Response:
    body = await read_json(request)
    said = v.text(body, "text", "")
    if not said.strip():
        raise invalid("text: String should have at least 1 character")
    v.choice(body, "task_type", TASK_TYPES, "")
    v.choice(body, "task_mode", TASK_MODES, "")
    now = desk.state.now()
    session = desk.started_one(body, now)
    seconds = speech_seconds(said, session.rate)
    session.speaking_until = max(now, session.speaking_until) + desk.scaled(seconds)
    session.last_activity = now
    return ok(request, {"duration_ms": round(seconds * 1000, 1), "task_id": desk.state.new_id()})


async def interrupt(desk: StreamingDesk, request: web.Request) -> web.Response:
    now = desk.state.now()
    session = desk.started_one(await read_json(request), now)
    session.speaking_until = min(session.speaking_until, now)
    session.last_activity = now
    return ok(request, None)


async def keep_alive(desk: StreamingDesk, request: web.Request) -> web.Response:
    now = desk.state.now()
    desk.open_one(await read_json(request), now).last_activity = now
    return ok(request, None)


async def stop_session(desk: StreamingDesk, request: web.Request) -> web.Response:
    now = desk.state.now()
    session = desk.find(await read_json(request))
    if session.status(now) == "closed":
        raise ApiError(400, 10005, "session state wrong: closed")
    session.stopped_at = now
    return ok(request, None)


async def list_sessions(desk: StreamingDesk, request: web.Request) -> web.Response:
    now = desk.state.now()
    listed = [
        {"session_id": s.id, "status": s.status(now), "created_at": int(s.created_at)}
        for s in sorted(desk.open_sessions(now), key=lambda s: s.created_at)
    ]
    return ok(request, {"sessions": listed})


def register(router: web.UrlDispatcher, state: SimState) -> None:
    desk = StreamingDesk(state)
    router.add_post("/v1/streaming.create_token", partial(create_token, desk))
    router.add_post("/v1/streaming.new", partial(new_session, desk))
    router.add_post("/v1/streaming.start", partial(start_session, desk))
    router.add_post("/v1/streaming.task", partial(send_task, desk))
    router.add_post("/v1/streaming.interrupt", partial(interrupt, desk))
    router.add_post("/v1/streaming.keep_alive", partial(keep_alive, desk))
    router.add_post("/v1/streaming.stop", partial(stop_session, desk))
    router.add_get("/v1/streaming.list", partial(list_sessions, desk))
