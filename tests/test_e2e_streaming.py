"""Streaming sessions end to end: the plugin's actions over real HTTP against the simulator.

Time runs at scale 1 and is skipped with ``sim.advance()``, so idle timeouts and the trial's duration
limit are exact. Run with ``-s`` to see the session walk-through printed step by step.
"""

import base64
import json

import aiohttp
import pytest

from heygen_actions.streaming import MAYBE_OPENED_HINT
from heygen_core.errors import HINTS
from simulator import MONICA_VOICE_ID, Faults
from simulator.routes_streaming import DEPRECATED_AVATAR_IDS
from simulator.testing import call
from tests.conftest import API_KEY, simulator
from tests.helpers import failure, ok

pytestmark = pytest.mark.e2e

AVATAR = "Ann_Therapist_public"
GREETING = "Hello and welcome! I am Ann, and I will walk you through our clinic today."  # 15 words: 6 s
QUESTION = "What are your opening hours on Saturdays?"


@pytest.fixture
def sim_settings() -> dict:
    """Real-time jobs and sessions: time moves only when a test calls sim.advance()."""
    return {"time_scale": 1.0}


def show(step: str, output) -> None:
    """One readable line per step; the LiveKit token is shortened (it is long, and only the front end needs it)."""
    if isinstance(output, dict) and output.get("access_token"):
        output = {**output, "access_token": output["access_token"][:16] + "..."}
    text = output if isinstance(output, str) else json.dumps(output)
    print(f"\n{step}\n    {text}")


async def open_sessions() -> list:
    return (await ok("list_streaming_sessions", {}))["sessions"]


async def started_session(**inputs) -> str:
    created = await ok("create_streaming_session", {"avatar_id": AVATAR, "start": True, **inputs})
    return created["session_id"]


async def test_a_whole_session_from_create_to_stop(sim):
    created = await ok(
        "create_streaming_session",
        {
            "avatar_id": AVATAR,
            "quality": "medium",
            "voice": {"voice_id": MONICA_VOICE_ID, "rate": 1.0, "emotion": "friendly"},
            "knowledge_base": "You are Ann, front desk of a dental clinic open 9-17 on weekdays, 9-12 on Saturdays.",
            "activity_idle_timeout": 300,
            "start": True,
        },
    )
    show("1. create_streaming_session (start: true)", created)
    session = {"session_id": created["session_id"]}
    assert created["status"] == "connecting" and created["started"] is True
    assert created["url"].startswith("wss://") and created["access_token"].count(".") == 2
    assert (created["session_duration_limit"], created["is_paid"]) == (600, False)
    assert [r.path for r in sim.requests] == ["/v1/streaming.new", "/v1/streaming.start"]
    assert sim.requests[0].json["voice"]["emotion"] == "Friendly"

    sim.advance(2.5)
    listed = await ok("list_streaming_sessions", {})
    show("2. list_streaming_sessions (2.5 s later)", listed)
    (listed_session,) = listed["sessions"]
    assert listed["total"] == 1
    assert (listed_session["session_id"], listed_session["status"]) == (session["session_id"], "connected")
    assert abs(listed_session["created_at"] - sim.requests[0].time) < 2

    spoken = await ok("send_streaming_task", {**session, "text": GREETING})
    show("3. send_streaming_task (repeat)", spoken)
    assert spoken["duration_ms"] == 6000.0 and spoken["task_type"] == "repeat" and spoken["task_id"]

    answered = await ok("send_streaming_task", {**session, "text": QUESTION, "task_type": "talk"})
    show("4. send_streaming_task (talk)", answered)
    assert answered["task_type"] == "chat" and sim.requests[-1].json["task_type"] == "chat"

    interrupted = await ok("interrupt_streaming_task", session)
    show("5. interrupt_streaming_task", interrupted)
    assert interrupted == {**session, "interrupted": True}

    kept = await ok("keep_streaming_session_alive", session)
    show("6. keep_streaming_session_alive", kept)
    assert kept == {**session, "kept_alive": True}

    stopped = await ok("stop_streaming_session", session)
    show("7. stop_streaming_session", stopped)
    assert stopped == {**session, "status": "closed", "already_closed": False}

    after = await ok("list_streaming_sessions", {})
    show("8. list_streaming_sessions (HeyGen lists open sessions only)", after)
    assert after == {"sessions": [], "total": 0}

    late = await failure("keep_streaming_session_alive", session)
    show("9. keep_streaming_session_alive on the closed session", late)
    assert late == (
        f"keep_streaming_session_alive failed: HeyGen 400 (10005) session state wrong: closed. Hint: {HINTS['10005']}"
    )

    again = await ok("stop_streaming_session", session)
    show("10. stop_streaming_session again", again)
    assert again == {**session, "status": "closed", "already_closed": True}


async def test_the_concurrent_session_limit_and_how_to_free_a_slot(sim):
    first, *_ = [await started_session() for _ in range(3)]

    message = await failure("create_streaming_session", {"avatar_id": AVATAR})

    assert (
        message
        == f"create_streaming_session failed: HeyGen 400 (10007) Concurrent limit reached. Hint: {HINTS['10007']}"
    )
    assert len(await open_sessions()) == 3
    await ok("stop_streaming_session", {"session_id": first})
    assert (await ok("create_streaming_session", {"avatar_id": AVATAR}))["status"] == "new"


async def test_the_concurrent_limit_is_a_simulator_setting(monkeypatch):
    async with simulator(monkeypatch, time_scale=1.0, streaming_concurrent_sessions=1):
        await started_session()
        assert "(10007)" in await failure("create_streaming_session", {})


async def test_an_idle_session_closes_and_keep_alive_holds_it_open(sim):
    session = {"session_id": await started_session(activity_idle_timeout=30)}

    sim.advance(25)
    await ok("keep_streaming_session_alive", session)
    sim.advance(25)
    spoken = await ok("send_streaming_task", {**session, "text": GREETING})
    sim.advance(spoken["duration_ms"] / 1000 + 25)  # the idle timer waits for the avatar to finish speaking
    assert [s["status"] for s in await open_sessions()] == ["connected"]

    sim.advance(6)

    assert await open_sessions() == []
    message = await failure("send_streaming_task", {**session, "text": "Are you still there?"})
    assert message == (
        f"send_streaming_task failed: HeyGen 400 (10005) session state wrong: closed. Hint: {HINTS['10005']}"
    )


async def test_the_default_idle_timeout_is_two_minutes(sim):
    await started_session()

    sim.advance(119)
    assert len(await open_sessions()) == 1
    sim.advance(2)
    assert await open_sessions() == []


async def test_a_trial_session_ends_after_ten_minutes_even_without_idle_timeout(sim):
    session = {"session_id": await started_session(disable_idle_timeout=True)}

    sim.advance(599)
    assert len(await open_sessions()) == 1
    sim.advance(2)

    message = await failure("send_streaming_task", {**session, "text": "Still here?"})
    assert message.startswith("send_streaming_task failed: HeyGen 400 (10015) Trial API limit reached")
    assert message.endswith(f"Hint: {HINTS['10015']}")
    assert (await ok("stop_streaming_session", session))["already_closed"] is True


async def test_a_deprecated_avatar_version_is_refused_and_opens_nothing(sim):
    avatar = sorted(DEPRECATED_AVATAR_IDS)[0]

    message = await failure("create_streaming_session", {"avatar_id": avatar, "start": True})

    assert message == (
        "create_streaming_session failed: HeyGen 400 (10003) avatar version is deprecated, please update to v3+. "
        f"Hint: {HINTS['10003']}"
    )
    assert await open_sessions() == []
    assert sim.count("POST", "/v1/streaming.start") == 0


async def test_a_task_before_start_is_refused_until_the_session_is_started(sim):
    created = await ok("create_streaming_session", {"avatar_id": AVATAR})
    session = {"session_id": created["session_id"]}

    message = await failure("send_streaming_task", {**session, "text": "Hello?"})
    assert message == f"send_streaming_task failed: HeyGen 400 (10001) session state wrong: new. Hint: {HINTS['10001']}"

    assert (await ok("start_streaming_session", session))["status"] == "connecting"
    assert (await ok("start_streaming_session", session))["status"] == "connecting"  # a resent start changes nothing
    assert (await ok("send_streaming_task", {**session, "text": "Hello?"}))["duration_ms"] == 500.0


async def test_duration_follows_the_text_and_the_voice_rate(sim):
    session = {"session_id": await started_session(voice={"rate": 1.5})}

    spoken = await ok("send_streaming_task", {**session, "text": GREETING})

    assert spoken["duration_ms"] == 4000.0  # 15 words at 150 words a minute, 1.5 times faster


async def test_an_unknown_session_id_is_not_found(sim):
    message = await failure("interrupt_streaming_task", {"session_id": "no-such-session"})

    assert message == (f"interrupt_streaming_task failed: HeyGen 404 (10006) Session not found. Hint: {HINTS['10006']}")


async def test_streaming_new_is_not_resent_when_the_answer_is_lost(sim):
    sim.config.faults = Faults(drop_after_processing=1, path_prefix="/v1/streaming.new")

    message = await failure("create_streaming_session", {"avatar_id": AVATAR})

    assert message.endswith(f"Hint: {MAYBE_OPENED_HINT}")
    assert sim.count("POST", "/v1/streaming.new") == 1
    (opened,) = await open_sessions()  # HeyGen did open it: the hint sends the user here to stop it
    assert (await ok("stop_streaming_session", {"session_id": opened["session_id"]}))["already_closed"] is False


async def test_a_stop_whose_answer_was_lost_is_resent_and_still_succeeds(sim):
    session = {"session_id": await started_session()}
    sim.config.faults = Faults(drop_after_processing=1, path_prefix="/v1/streaming.stop")

    stopped = await ok("stop_streaming_session", session)

    assert stopped == {**session, "status": "closed", "already_closed": True}
    assert sim.count("POST", "/v1/streaming.stop") == 2
    assert await open_sessions() == []


async def test_create_streaming_token(sim):
    token = await ok("create_streaming_token", {})

    assert len(token["token"]) > 32 and token["expires_in"] is None
    assert API_KEY not in token["token"]


# ---------------------------------------------------------------- the simulator's own rules (routes_streaming.py)


async def test_tasks_queue_and_the_idle_timer_waits_for_the_avatar_to_finish(sim):
    session = {"session_id": await started_session(activity_idle_timeout=30)}
    await ok("send_streaming_task", {**session, "text": GREETING})
    await ok("send_streaming_task", {**session, "text": GREETING})  # spoken after the first: 12 s of speech

    sim.advance(12 + 29)
    assert len(await open_sessions()) == 1
    sim.advance(2)
    assert await open_sessions() == []


async def test_interrupt_cuts_the_speech_and_is_a_no_op_when_the_avatar_is_silent(sim):
    session = {"session_id": await started_session(activity_idle_timeout=30)}
    await ok("send_streaming_task", {**session, "text": GREETING * 4})  # 60 words: 24 s of speech

    await ok("interrupt_streaming_task", session)
    await ok("interrupt_streaming_task", session)  # silent by now: still a success

    sim.advance(31)  # without the interrupt the avatar would still be speaking
    assert await open_sessions() == []


@pytest.mark.parametrize(
    "body, message",
    [
        ({"voice": {"emotion": "friendly"}}, "voice.emotion: Input should be 'Excited', 'Friendly'"),
        ({"voice": {"rate": 2}}, "voice.rate: Input should be less than or equal to 1.5"),
        ({"version": None}, "version: Field required"),
        ({"activity_idle_timeout": 29}, "activity_idle_timeout: Input should be between 30 and 3600"),
        ({"activity_idle_timeout": 60, "disable_idle_timeout": True}, "cannot be used together"),
        ({"quality": "ultra"}, "quality: Input should be 'high', 'medium' or 'low'"),
    ],
)
async def test_the_simulator_checks_streaming_new_like_heygen_documents_it(sim, body, message):
    async with aiohttp.ClientSession() as http:
        reply = await call(http, sim, "POST", "/v1/streaming.new", json={"version": "v2", **body}, api_key=API_KEY)

    assert reply.status == 400 and message in reply.body["message"]
    assert await open_sessions() == []


async def test_the_livekit_token_names_the_session_room(sim):
    created = await ok("create_streaming_session", {"avatar_id": AVATAR})

    header, claims, signature = created["access_token"].split(".")
    decoded = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    assert decoded["video"]["room"] == created["session_id"] and signature
    assert created["url"].endswith(".invalid")  # never a real host
