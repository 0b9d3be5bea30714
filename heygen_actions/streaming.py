"""Interactive (streaming) avatar sessions: token, create, start, speak, interrupt, keep alive, stop, list.

A session is a LiveKit room in which HeyGen's avatar streams live video. The workflow holds the API key and
drives the session over REST; a front end joins the room with the session's `url` and `access_token` (or opens
its own session with a token from create_streaming_token) and never sees the key.

Lifecycle (HeyGen's own words, plus `closed`):
    new         created by streaming.new; nothing streams yet and tasks are refused
    connecting  streaming.start was accepted; the avatar is joining the room
    connected   the avatar streams; tasks are spoken
    closed      stopped, idle past activity_idle_timeout, or past session_duration_limit; never reopens
HeyGen's v1 list shows open sessions only, so `closed` appears in our outputs, not in HeyGen's list.

Resending after a dropped connection: start, interrupt, keep_alive and stop change nothing when repeated, so they
are sent with safe_to_retry; a token is free and single-use, so it is too. streaming.new (a session that counts
and bills) and streaming.task (the avatar would say it twice) are sent once.

Error codes (heygen_core.errors.HINTS): 10003 "avatar version is deprecated" is HeyGen's (heygen-api.md §12).
HeyGen documents no others; the simulator answers the session-state codes a HeyGen client's table gives
(10001 not started, 10004 closing, 10005 closed, 10006 not found, 10007 concurrent limit, 10015 trial limit).
"""

from heygen_core.action import HeyGenAction
from heygen_core.app import integration
from heygen_core.errors import MAYBE_CREATED_HINT, HeyGenError
from heygen_core.inputs import reject
from heygen_core.shapes import as_dict, body_of, list_of, pick

NEW_SESSION_OPTIONS = (
    "avatar_id",
    "language",
    "knowledge_base",
    "knowledge_base_id",
    "video_encoding",
    "activity_idle_timeout",
    "disable_idle_timeout",
)
SESSION_FIELDS = ("url", "access_token", "session_duration_limit", "is_paid", "realtime_endpoint")
DEFAULT_QUALITY = "medium"
# HeyGen's REST API calls the knowledge-base answer "chat"; its JS SDK calls it "talk".
TASK_TYPES = {"repeat": "repeat", "talk": "chat", "chat": "chat"}
# Codes meaning the session is already over: a repeated stop has nothing left to do.
CLOSED_CODES = frozenset({"10004", "10005"})
CLOSED_WORDS = {"closing": "closed", "closed": "closed", "stopped": "closed", "stop": "closed"}
MAYBE_OPENED_HINT = (
    "HeyGen may have opened the session anyway: check list_streaming_sessions (and stop any you do not use) "
    "before creating another, so it is not left open and billing."
)
MAYBE_SPOKEN_HINT = (
    "HeyGen may have received the task: the avatar may be saying it already, so do not resend it blindly."
)


def session_body(inputs: dict) -> dict:
    return {"session_id": inputs["session_id"]}


def voice_body(voice: dict | None) -> dict | None:
    """The voice as HeyGen spells it: emotion capitalized, whatever case the user typed."""
    if not voice:
        return None
    body = dict(voice)
    if body.get("emotion"):
        body["emotion"] = body["emotion"].capitalize()
    return body


def session_status(raw) -> str:
    word = str(raw or "").strip().lower()
    return CLOSED_WORDS.get(word, word)


async def post_once(api, path: str, body: dict, hint: str):
    """A POST that must not be repeated; when its answer was lost, the hint says what to check instead."""
    try:
        return await api.post(path, body)
    except HeyGenError as error:
        if error.hint == MAYBE_CREATED_HINT:
            error.hint = hint
        raise


def answered(data, field: str, hint: str) -> str:
    """A field the answer must carry; without it the call failed, whatever HeyGen's status said."""
    value = as_dict(data).get(field)
    if value in (None, ""):
        raise HeyGenError(f"HeyGen accepted the request but its answer has no {field}", hint=hint)
    return str(value)


async def start_session(api, session_id: str) -> None:
    await api.post("/v1/streaming.start", {"session_id": session_id}, safe_to_retry=True)


@integration.action("create_streaming_token")
class CreateStreamingToken(HeyGenAction):
    async def run(self, api, inputs):
        data = await api.post("/v1/streaming.create_token", {}, safe_to_retry=True)
        token = answered(data, "token", "Try again: a token costs nothing and an unused one expires.")
        return {"token": token, "expires_in": as_dict(data).get("expires_in")}


@integration.action("create_streaming_session")
class CreateStreamingSession(HeyGenAction):
    async def run(self, api, inputs):
        if inputs.get("disable_idle_timeout") and inputs.get("activity_idle_timeout") is not None:
            raise reject("disable_idle_timeout", "give either activity_idle_timeout or disable_idle_timeout, not both")
        body = {
            "quality": inputs.get("quality", DEFAULT_QUALITY),
            **body_of(inputs, NEW_SESSION_OPTIONS),
            "version": inputs.get("version", "v2"),
        }
        voice = voice_body(inputs.get("voice"))
        if voice:
            body["voice"] = voice
        data = await post_once(api, "/v1/streaming.new", body, MAYBE_OPENED_HINT)
        session_id = answered(data, "session_id", MAYBE_OPENED_HINT)
        started = bool(inputs.get("start"))
        if started:
            try:
                await start_session(api, session_id)
            except HeyGenError as error:  # the session exists (and counts): the user needs its id to retry or stop
                error.subject = f"session {session_id} was created but not started (start or stop it):"
                raise
        return {
            "session_id": session_id,
            **pick(data, SESSION_FIELDS),
            "started": started,
            "status": "connecting" if started else "new",
        }


@integration.action("start_streaming_session")
class StartStreamingSession(HeyGenAction):
    async def run(self, api, inputs):
        await start_session(api, inputs["session_id"])
        return {"session_id": inputs["session_id"], "started": True, "status": "connecting"}


@integration.action("send_streaming_task")
class SendStreamingTask(HeyGenAction):
    async def run(self, api, inputs):
        if not inputs["text"].strip():
            raise reject("text", "must contain something to say, not only spaces")
        task_type = TASK_TYPES[inputs.get("task_type", "repeat")]
        body = {**session_body(inputs), "text": inputs["text"], "task_type": task_type}
        if inputs.get("task_mode"):
            body["task_mode"] = inputs.get("task_mode")
        data = await post_once(api, "/v1/streaming.task", body, MAYBE_SPOKEN_HINT)
        task_id = as_dict(data).get("task_id")
        return {
            "session_id": inputs["session_id"],
            "task_id": None if task_id is None else str(task_id),
            "duration_ms": as_dict(data).get("duration_ms"),
            "task_type": task_type,
        }


@integration.action("interrupt_streaming_task")
class InterruptStreamingTask(HeyGenAction):
    async def run(self, api, inputs):
        await api.post("/v1/streaming.interrupt", session_body(inputs), safe_to_retry=True)
        return {"session_id": inputs["session_id"], "interrupted": True}


@integration.action("keep_streaming_session_alive")
class KeepStreamingSessionAlive(HeyGenAction):
    async def run(self, api, inputs):
        await api.post("/v1/streaming.keep_alive", session_body(inputs), safe_to_retry=True)
        return {"session_id": inputs["session_id"], "kept_alive": True}


@integration.action("stop_streaming_session")
class StopStreamingSession(HeyGenAction):
    async def run(self, api, inputs):
        try:
            await api.post("/v1/streaming.stop", session_body(inputs), safe_to_retry=True)
        except HeyGenError as error:
            if error.code not in CLOSED_CODES:
                raise
            return {"session_id": inputs["session_id"], "status": "closed", "already_closed": True}
        return {"session_id": inputs["session_id"], "status": "closed", "already_closed": False}


@integration.action("list_streaming_sessions")
class ListStreamingSessions(HeyGenAction):
    async def run(self, api, inputs):
        sessions = [
            {
                "session_id": str(session.get("session_id")),
                "status": session_status(session.get("status")),
                "created_at": session.get("created_at"),
            }
            for session in list_of(await api.get("/v1/streaming.list"), "sessions")
            if session.get("session_id")
        ]
        return {"sessions": sessions, "total": len(sessions)}
