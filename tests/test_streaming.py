"""Streaming (interactive avatar) actions at the wire: the exact requests HeyGen receives, the flat outputs,
inputs refused before anything is sent, HeyGen's errors with their hints, and which POSTs may be resent."""

import asyncio
import json

import aiohttp
import pytest

from heygen_actions.streaming import MAYBE_OPENED_HINT, MAYBE_SPOKEN_HINT
from heygen_core.errors import HINTS
from tests.conftest import API, API_KEY_AUTH, OAUTH_AUTH, request_count, run_action, sent
from tests.helpers import check_auth, data_of, error_of, v1, validation_error_of

pytestmark = pytest.mark.unit

TOKEN_URL = f"{API}/v1/streaming.create_token"
NEW = f"{API}/v1/streaming.new"
START = f"{API}/v1/streaming.start"
TASK = f"{API}/v1/streaming.task"
INTERRUPT = f"{API}/v1/streaming.interrupt"
KEEP_ALIVE = f"{API}/v1/streaming.keep_alive"
STOP = f"{API}/v1/streaming.stop"
LIST = f"{API}/v1/streaming.list"

SESSION_ID = "c4c4a1c4-2a6b-11f0-9b1e-5e3a7c9d1f20"
LIVEKIT_URL = "wss://heygen-feapbkvq.livekit.cloud"
LIVEKIT_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJ2aWRlbyI6eyJyb29tIjoiYzRjNCJ9fQ.c2lnbmF0dXJl"
NEW_SESSION_DATA = {
    "session_id": SESSION_ID,
    "url": LIVEKIT_URL,
    "access_token": LIVEKIT_TOKEN,
    "session_duration_limit": 600,
    "is_paid": False,
    "realtime_endpoint": "wss://webrtc-signaling.heygen.io/v2-alpha/interactive-avatar/session/c4c4a1c4",
}
SESSION = {"session_id": SESSION_ID}


def v1_error(code, message):
    return {"code": code, "message": message}


def posted(call, url, auth):
    """The JSON body of one POST, after checking its URL and headers (the caller's one credential, User-Agent)."""
    method, sent_url, kwargs = call
    assert (method, sent_url) == ("POST", url)
    check_auth(kwargs["headers"], auth)
    assert kwargs["headers"]["Content-Type"] == "application/json"
    return json.loads(kwargs["data"])


# ---------------------------------------------------------------- create_streaming_token


async def test_create_streaming_token_posts_nothing_and_returns_the_token_for_the_front_end(wire, auth):
    wire.post(TOKEN_URL, payload=v1({"token": "c2Vzc2lvbi10b2tlbg=="}))

    result = await run_action("create_streaming_token", {}, auth=auth)

    assert data_of(result) == {"token": "c2Vzc2lvbi10b2tlbg==", "expires_in": None}
    (call,) = sent(wire)
    assert posted(call, TOKEN_URL, auth) == {}


async def test_create_streaming_token_passes_expires_in_when_heygen_sends_it(wire):
    wire.post(TOKEN_URL, payload={"error": None, "data": {"token": "dG9rZW4=", "expires_in": 3600}})

    assert data_of(await run_action("create_streaming_token", {})) == {"token": "dG9rZW4=", "expires_in": 3600}


async def test_create_streaming_token_without_a_token_in_the_answer_is_an_error(wire):
    wire.post(TOKEN_URL, payload=v1({}))

    assert error_of(await run_action("create_streaming_token", {})) == (
        "create_streaming_token failed: HeyGen accepted the request but its answer has no token. "
        "Hint: Try again: a token costs nothing and an unused one expires."
    )


async def test_create_streaming_session_without_a_session_id_says_to_look_for_an_opened_one(wire):
    wire.post(NEW, payload=v1({"url": LIVEKIT_URL}))

    assert error_of(await run_action("create_streaming_session", {"start": True})) == (
        "create_streaming_session failed: HeyGen accepted the request but its answer has no session_id. "
        f"Hint: {MAYBE_OPENED_HINT}"
    )
    assert request_count(wire) == 1


# ---------------------------------------------------------------- create_streaming_session


async def test_create_streaming_session_sends_every_option_as_heygen_names_it(wire, auth):
    wire.post(NEW, payload=v1(NEW_SESSION_DATA))
    inputs = {
        "avatar_id": "Ann_Therapist_public",
        "quality": "low",
        "voice": {"voice_id": "1bd001e7ffe04520adf63141a163d1f8", "rate": 1.2, "emotion": "FRIENDLY"},
        "language": "en",
        "knowledge_base": "You are Ann, a calm guide to our clinic's opening hours.",
        "video_encoding": "H264",
        "activity_idle_timeout": 300,
    }

    result = await run_action("create_streaming_session", inputs, auth=auth)

    assert data_of(result) == {**NEW_SESSION_DATA, "started": False, "status": "new"}
    (call,) = sent(wire)
    assert posted(call, NEW, auth) == {
        "quality": "low",
        "avatar_id": "Ann_Therapist_public",
        "voice": {"voice_id": "1bd001e7ffe04520adf63141a163d1f8", "rate": 1.2, "emotion": "Friendly"},
        "language": "en",
        "knowledge_base": "You are Ann, a calm guide to our clinic's opening hours.",
        "video_encoding": "H264",
        "activity_idle_timeout": 300,
        "version": "v2",
    }


async def test_create_streaming_session_defaults_to_medium_quality_and_version_v2(wire):
    wire.post(NEW, payload=v1({"session_id": SESSION_ID, "url": LIVEKIT_URL, "access_token": LIVEKIT_TOKEN}))

    result = await run_action("create_streaming_session", {})

    assert data_of(result) == {
        "session_id": SESSION_ID,
        "url": LIVEKIT_URL,
        "access_token": LIVEKIT_TOKEN,
        "session_duration_limit": None,
        "is_paid": None,
        "realtime_endpoint": None,
        "started": False,
        "status": "new",
    }
    (call,) = sent(wire)
    assert posted(call, NEW, OAUTH_AUTH) == {"quality": "medium", "version": "v2"}


@pytest.mark.parametrize(
    "typed, sent_as",
    [("excited", "Excited"), ("SERIOUS", "Serious"), ("Soothing", "Soothing"), ("broadcaster", "Broadcaster")],
)
async def test_emotion_in_any_letter_case_is_sent_capitalized(wire, typed, sent_as):
    wire.post(NEW, payload=v1(NEW_SESSION_DATA))

    data_of(await run_action("create_streaming_session", {"voice": {"emotion": typed}}))

    (call,) = sent(wire)
    assert posted(call, NEW, OAUTH_AUTH)["voice"] == {"emotion": sent_as}


async def test_knowledge_base_id_and_disabled_idle_timeout_are_passed_through(wire):
    wire.post(NEW, payload=v1(NEW_SESSION_DATA))

    data_of(
        await run_action(
            "create_streaming_session",
            {"knowledge_base_id": "kb_8f2e", "disable_idle_timeout": True, "video_encoding": "VP8"},
        )
    )

    (call,) = sent(wire)
    assert posted(call, NEW, OAUTH_AUTH) == {
        "quality": "medium",
        "knowledge_base_id": "kb_8f2e",
        "video_encoding": "VP8",
        "disable_idle_timeout": True,
        "version": "v2",
    }


async def test_start_true_sends_exactly_new_then_start(wire, auth):
    wire.post(NEW, payload=v1(NEW_SESSION_DATA))
    wire.post(START, payload=v1(None))

    result = await run_action("create_streaming_session", {"avatar_id": "Ann_Therapist_public", "start": True}, auth)

    assert data_of(result) == {**NEW_SESSION_DATA, "started": True, "status": "connecting"}
    new_call, start_call = sent(wire)
    assert posted(new_call, NEW, auth) == {"quality": "medium", "avatar_id": "Ann_Therapist_public", "version": "v2"}
    assert posted(start_call, START, auth) == SESSION


async def test_a_failed_start_after_new_names_the_session_so_it_can_be_stopped(wire):
    wire.post(NEW, payload=v1(NEW_SESSION_DATA))
    wire.post(START, status=400, payload=v1_error(10005, "session state wrong: closed"))

    result = await run_action("create_streaming_session", {"start": True})

    assert error_of(result) == (
        f"create_streaming_session failed: session {SESSION_ID} was created but not started (start or stop it): "
        f"HeyGen 400 (10005) session state wrong: closed. Hint: {HINTS['10005']}"
    )
    assert [url for _, url, _ in sent(wire)] == [NEW, START]


async def test_streaming_new_is_not_resent_after_a_timeout(wire):
    wire.post(NEW, exception=asyncio.TimeoutError())
    wire.post(NEW, payload=v1(NEW_SESSION_DATA))

    message = error_of(await run_action("create_streaming_session", {"start": True}))

    assert request_count(wire) == 1
    assert message.startswith("create_streaming_session failed: no answer from HeyGen within 30 s.")
    assert message.endswith(f"Hint: {MAYBE_OPENED_HINT}")


async def test_streaming_new_is_not_resent_after_a_dropped_connection(wire):
    wire.post(NEW, exception=aiohttp.ServerDisconnectedError())
    wire.post(NEW, payload=v1(NEW_SESSION_DATA))

    message = error_of(await run_action("create_streaming_session", {}))

    assert request_count(wire) == 1
    assert "list_streaming_sessions" in message


async def test_streaming_new_is_sent_again_when_heygen_refused_it_with_429(wire):
    wire.post(NEW, status=429, headers={"Retry-After": "0"}, payload=v1_error(429, "Too many requests"))
    wire.post(NEW, payload=v1(NEW_SESSION_DATA))

    assert data_of(await run_action("create_streaming_session", {}))["session_id"] == SESSION_ID
    assert request_count(wire) == 2


@pytest.mark.parametrize(
    "code, message",
    [
        (10007, "Concurrent limit reached"),
        (10003, "avatar version is deprecated, please update to v3+"),
        (10015, "Trial API limit reached"),
        (10013, "Avatar not allowed"),
    ],
)
async def test_create_streaming_session_errors_carry_heygens_code_and_a_hint(wire, code, message):
    wire.post(NEW, status=400, payload=v1_error(code, message))

    result = await run_action("create_streaming_session", {"avatar_id": "Wayne_20240711"}, auth=API_KEY_AUTH)

    assert error_of(result) == (
        f"create_streaming_session failed: HeyGen 400 ({code}) {message}. Hint: {HINTS[str(code)]}"
    )
    assert request_count(wire) == 1


def test_the_streaming_hints_say_what_to_do():
    assert "trial tokens: 3" in HINTS["10007"] and "list_streaming_sessions" in HINTS["10007"]
    assert "v3" in HINTS["10003"]
    assert "10 minutes" in HINTS["10005"] and "10 minutes" in HINTS["10015"]
    assert "start_streaming_session" in HINTS["10001"]


# ---------------------------------------------------------------- inputs refused before sending


@pytest.mark.parametrize(
    "action, inputs, words",
    [
        ("create_streaming_session", {"voice": {"rate": 0.4}}, "voice.rate: must be at least 0.5 (got 0.4)"),
        ("create_streaming_session", {"voice": {"rate": 1.6}}, "voice.rate: must be at most 1.5 (got 1.6)"),
        ("create_streaming_session", {"activity_idle_timeout": 29}, "activity_idle_timeout: must be at least 30"),
        ("create_streaming_session", {"activity_idle_timeout": 3601}, "activity_idle_timeout: must be at most 3600"),
        (
            "create_streaming_session",
            {"activity_idle_timeout": 120, "disable_idle_timeout": True},
            "disable_idle_timeout: give either activity_idle_timeout or disable_idle_timeout, not both",
        ),
        ("create_streaming_session", {"voice": {"emotion": "Happy"}}, "voice.emotion: must be one of: Excited"),
        ("create_streaming_session", {"quality": "ultra"}, "quality: must be one of: high, medium, low"),
        ("create_streaming_session", {"video_encoding": "h265"}, "video_encoding: must be one of: H264, VP8"),
        ("create_streaming_session", {"version": "v1"}, "version: must be one of: v2"),
        ("create_streaming_session", {"avatar_name": "Ann"}, "avatar_name: is not a known field"),
        ("send_streaming_task", {"session_id": SESSION_ID, "text": ""}, "text: must not be empty"),
        ("send_streaming_task", {"session_id": SESSION_ID, "text": "  \n"}, "text: must contain something to say"),
        ("send_streaming_task", {"text": "Hi"}, "session_id: is required"),
        ("send_streaming_task", {**SESSION, "text": "Hi", "task_type": "ask"}, "task_type: must be one of"),
        ("send_streaming_task", {**SESSION, "text": "Hi", "task_mode": "later"}, "task_mode: must be one of"),
        ("stop_streaming_session", {"session_id": ""}, "session_id: must not be empty"),
        ("keep_streaming_session_alive", {}, "session_id: is required"),
    ],
)
async def test_bad_inputs_are_refused_with_nothing_sent(wire, action, inputs, words):
    assert words in validation_error_of(await run_action(action, inputs))
    assert request_count(wire) == 0


async def test_disabling_the_idle_timeout_explicitly_off_goes_with_an_idle_timeout(wire):
    wire.post(NEW, payload=v1(NEW_SESSION_DATA))

    data_of(await run_action("create_streaming_session", {"activity_idle_timeout": 60, "disable_idle_timeout": False}))

    (call,) = sent(wire)
    body = posted(call, NEW, OAUTH_AUTH)
    assert (body["activity_idle_timeout"], body["disable_idle_timeout"]) == (60, False)


# ---------------------------------------------------------------- start, task, interrupt, keep alive, stop


async def test_start_streaming_session(wire, auth):
    wire.post(START, payload=v1(None))

    result = await run_action("start_streaming_session", SESSION, auth=auth)

    assert data_of(result) == {"session_id": SESSION_ID, "started": True, "status": "connecting"}
    (call,) = sent(wire)
    assert posted(call, START, auth) == SESSION


@pytest.mark.parametrize(
    "task_type, sent_as", [(None, "repeat"), ("repeat", "repeat"), ("talk", "chat"), ("chat", "chat")]
)
async def test_send_streaming_task_maps_talk_to_heygens_chat(wire, auth, task_type, sent_as):
    wire.post(TASK, payload=v1({"duration_ms": 2140.5, "task_id": "task_91f2"}))
    inputs = {**SESSION, "text": "Welcome to the clinic!"}
    if task_type:
        inputs["task_type"] = task_type

    result = await run_action("send_streaming_task", inputs, auth=auth)

    assert data_of(result) == {
        "session_id": SESSION_ID,
        "task_id": "task_91f2",
        "duration_ms": 2140.5,
        "task_type": sent_as,
    }
    (call,) = sent(wire)
    assert posted(call, TASK, auth) == {
        "session_id": SESSION_ID,
        "text": "Welcome to the clinic!",
        "task_type": sent_as,
    }


async def test_send_streaming_task_passes_task_mode_and_tolerates_a_bare_answer(wire):
    wire.post(TASK, payload=v1(None))

    result = await run_action("send_streaming_task", {**SESSION, "text": "One moment.", "task_mode": "async"})

    assert data_of(result) == {"session_id": SESSION_ID, "task_id": None, "duration_ms": None, "task_type": "repeat"}
    (call,) = sent(wire)
    assert posted(call, TASK, OAUTH_AUTH) == {
        "session_id": SESSION_ID,
        "text": "One moment.",
        "task_type": "repeat",
        "task_mode": "async",
    }


@pytest.mark.parametrize(
    "code, message",
    [(10005, "session state wrong: closed"), (10001, "session state wrong: new"), (10006, "Session not found")],
)
async def test_send_streaming_task_errors_carry_a_hint(wire, code, message):
    wire.post(TASK, status=400, payload=v1_error(code, message))

    result = await run_action("send_streaming_task", {**SESSION, "text": "Hello?"})

    assert error_of(result) == f"send_streaming_task failed: HeyGen 400 ({code}) {message}. Hint: {HINTS[str(code)]}"


async def test_a_task_is_not_resent_after_a_dropped_connection(wire):
    wire.post(TASK, exception=aiohttp.ServerDisconnectedError())
    wire.post(TASK, payload=v1({"duration_ms": 900, "task_id": "t2"}))

    message = error_of(await run_action("send_streaming_task", {**SESSION, "text": "Hi"}))

    assert request_count(wire) == 1
    assert message.endswith(f"Hint: {MAYBE_SPOKEN_HINT}")


IDEMPOTENT = [
    ("start_streaming_session", START, {"session_id": SESSION_ID, "started": True, "status": "connecting"}),
    ("interrupt_streaming_task", INTERRUPT, {"session_id": SESSION_ID, "interrupted": True}),
    ("keep_streaming_session_alive", KEEP_ALIVE, {"session_id": SESSION_ID, "kept_alive": True}),
    ("stop_streaming_session", STOP, {"session_id": SESSION_ID, "status": "closed", "already_closed": False}),
]


@pytest.mark.parametrize("action, url, output", IDEMPOTENT, ids=[a for a, _, _ in IDEMPOTENT])
async def test_session_commands_send_the_session_id(wire, auth, action, url, output):
    wire.post(url, payload=v1(None))

    assert data_of(await run_action(action, SESSION, auth=auth)) == output
    (call,) = sent(wire)
    assert posted(call, url, auth) == SESSION


@pytest.mark.parametrize("action, url, output", IDEMPOTENT, ids=[a for a, _, _ in IDEMPOTENT])
async def test_idempotent_session_commands_are_resent_after_a_dropped_connection(wire, action, url, output):
    wire.post(url, exception=aiohttp.ServerDisconnectedError())
    wire.post(url, payload=v1(None))

    assert data_of(await run_action(action, SESSION)) == output
    assert request_count(wire) == 2


async def test_create_streaming_token_is_resent_after_a_dropped_connection(wire):
    wire.post(TOKEN_URL, exception=aiohttp.ServerDisconnectedError())
    wire.post(TOKEN_URL, payload=v1({"token": "dG9rZW4="}))

    assert data_of(await run_action("create_streaming_token", {}))["token"] == "dG9rZW4="
    assert request_count(wire) == 2


@pytest.mark.parametrize(
    "code, message", [(10005, "session state wrong: closed"), (10004, "session state wrong: closing")]
)
async def test_stopping_a_session_that_is_already_closed_succeeds(wire, code, message):
    wire.post(STOP, status=400, payload=v1_error(code, message))

    result = await run_action("stop_streaming_session", SESSION)

    assert data_of(result) == {"session_id": SESSION_ID, "status": "closed", "already_closed": True}


async def test_stopping_an_unknown_session_is_an_error(wire):
    wire.post(STOP, status=404, payload=v1_error(10006, "Session not found"))

    assert error_of(await run_action("stop_streaming_session", SESSION)) == (
        f"stop_streaming_session failed: HeyGen 404 (10006) Session not found. Hint: {HINTS['10006']}"
    )


async def test_keep_alive_on_a_timed_out_session_says_to_create_a_new_one(wire):
    wire.post(KEEP_ALIVE, status=400, payload=v1_error(10005, "session state wrong: closed"))

    message = error_of(await run_action("keep_streaming_session_alive", SESSION))

    assert message == (
        f"keep_streaming_session_alive failed: HeyGen 400 (10005) session state wrong: closed. Hint: {HINTS['10005']}"
    )


# ---------------------------------------------------------------- list_streaming_sessions


async def test_list_streaming_sessions(wire, auth):
    wire.get(
        LIST,
        payload=v1(
            {
                "sessions": [
                    {"session_id": SESSION_ID, "status": "connected", "created_at": 1731900000.5},
                    {"session_id": "s-2", "status": "NEW", "created_at": 1731900100},
                    {"session_id": "s-3", "status": "closing"},
                    {"status": "connecting"},
                ]
            }
        ),
    )

    result = await run_action("list_streaming_sessions", {}, auth=auth)

    assert data_of(result) == {
        "sessions": [
            {"session_id": SESSION_ID, "status": "connected", "created_at": 1731900000.5},
            {"session_id": "s-2", "status": "new", "created_at": 1731900100},
            {"session_id": "s-3", "status": "closed", "created_at": None},
        ],
        "total": 3,
    }
    ((method, url, kwargs),) = sent(wire)
    assert (method, url, kwargs["data"]) == ("GET", LIST, None)
    assert kwargs["headers"]["User-Agent"] == "AutoHive/1.0"


async def test_list_streaming_sessions_when_none_are_open(wire):
    wire.get(LIST, payload=v1({"sessions": []}))

    assert data_of(await run_action("list_streaming_sessions", {})) == {"sessions": [], "total": 0}
