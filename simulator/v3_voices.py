"""v3 voices (heygen-v3.md §7.2): the catalogue's public voices, the account's designed and cloned
(private) voices, text to speech with a real MP3 behind ``audio_url``, and delete.

A clone is ``processing`` for ``durations.training_pending`` seconds, then ``complete`` (``failed`` with
SIMULATE_FAILURE in its name); designed voices are complete at once. Deleting a voice twice is 404
``voice_not_found``. Speech lasts as long as the script takes to say (timeline.speech_seconds).
"""

from __future__ import annotations

from aiohttp import web

from .state import SimState
from .timeline import speech_seconds
from .v3_common import asset_ref, body_of, invalid, listed, ok, path_id, query_choice, query_text, route
from .v3_store import Voice, store
from .wire import ApiError

MAX_SPEECH = 5000
DESIGNED_PER_CALL = 3
CLONE_STATUS = {"processing": "processing", "complete": "complete", "failed": "failed"}


def _public(state: SimState, v: dict) -> dict:
    return {
        "voice_id": v["voice_id"],
        "name": v["name"],
        "gender": v["gender"],
        "language": v["language"],
        "type": "public",
        "support_pause": v["support_pause"],
        "support_locale": v["support_locale"],
        "preview_audio_url": v["preview_audio"],
    }


def _private(state: SimState, voice: Voice) -> dict:
    return {
        "voice_id": voice.voice_id,
        "name": voice.name,
        "gender": voice.gender,
        "language": voice.language,
        "type": "private",
        "support_pause": True,
        "support_locale": False,
        "preview_audio_url": state.media_url(f"speech/{voice.voice_id}.mp3"),
    }


def voice_of(state: SimState, voice_id: str, *, usable: bool = False, param: str = "voice_id") -> dict:
    """A voice as GET /v3/voices/{id} answers it; 404 ``voice_not_found``; with ``usable`` a clone must be complete."""
    public = state.catalogue.voices_by_id.get(voice_id)
    if public is not None:
        return {**_public(state, public), "support_interactive_avatar": public["support_interactive_avatar"],
                "created_at": None, "status": None, "failure_message": None}  # fmt: skip
    voice = store(state).voices.get(voice_id)
    if voice is None:
        raise ApiError(404, "voice_not_found", f"Voice {voice_id} not found", param=param)
    status = voice.job.status(state.now())
    if usable and status != "complete":
        raise ApiError(400, "voice_not_usable", f"Voice {voice_id} is {status}, not complete", param=param)
    described = _private(state, voice)
    return {**described, "support_interactive_avatar": False, "created_at": int(voice.created_at),
            "status": status, "failure_message": voice.failure_message if status == "failed" else None}  # fmt: skip


async def list_(state: SimState, request: web.Request) -> web.Response:
    kind = query_choice(request, "type", ["public", "private"]) or "public"
    language, gender = query_text(request, "language"), query_text(request, "gender")
    engine = query_text(request, "engine")
    if kind == "public":
        voices = [_public(state, v) for v in state.catalogue.voices]
    else:
        voices = [_private(state, v) for v in store(state).voices.values()]
    chosen = [
        v
        for v in voices
        if (language is None or v["language"].lower() == language.lower())
        and (gender is None or v["gender"].lower() == gender.lower())
        and (engine is None or engine == "starfish")  # every simulated voice is a Starfish voice
    ]
    return listed(request, "VoiceList", chosen)


async def get(state: SimState, request: web.Request) -> web.Response:
    voice = voice_of(state, path_id(request, "voice_id"))
    return ok({k: voice[k] for k in voice if k not in ("type", "support_locale")})


async def delete(state: SimState, request: web.Request) -> web.Response:
    voice_id = path_id(request, "voice_id")
    if voice_id in state.catalogue.voices_by_id:
        raise ApiError(403, "forbidden", f"Voice {voice_id} is a public voice and cannot be deleted")
    if store(state).voices.pop(voice_id, None) is None:
        raise ApiError(404, "voice_not_found", f"Voice {voice_id} not found")
    return ok({"voice_id": voice_id})


async def design(state: SimState, request: web.Request) -> web.Response:
    body = await body_of(request, "VoiceCreate")
    gender = body.get("gender") or "female"
    seed = body.get("seed") or 0
    made = []
    for i in range(DESIGNED_PER_CALL):
        voice = Voice(state.new_id(), f"Designed voice {seed}-{i + 1}", gender, "English", state.now(),
                      state.start_job([], "complete"))  # fmt: skip
        store(state).voices[voice.voice_id] = voice
        described = _private(state, voice)
        made.append(described)
    return ok({"seed": seed, "voices": made})


async def clone(state: SimState, request: web.Request) -> web.Response:
    body = await body_of(request, "VoiceCloneCreate")
    asset_ref(state, "audio", body["audio"], "audio")
    failed = state.wants_failure(body["voice_name"])
    job = state.start_job([("processing", state.config.durations.training_pending)], "failed" if failed else "complete")
    voice = Voice(state.new_id(), body["voice_name"], "female", body.get("language") or "English", state.now(), job,
                  "Voice cloning failed (simulated by SIMULATE_FAILURE)" if failed else None)  # fmt: skip
    store(state).voices[voice.voice_id] = voice
    return ok({"voice_clone_id": voice.voice_id})


async def speech(state: SimState, request: web.Request) -> web.Response:
    body = await body_of(request, "VoiceSpeechCreate")
    text = body["text"]
    if not text.strip() or len(text) > MAX_SPEECH:
        raise invalid("text", f"must be 1 to {MAX_SPEECH} characters")
    speed = body.get("speed") or 1.0
    if not 0.5 <= speed <= 2.0:
        raise invalid("speed", "must be between 0.5 and 2")
    voice_of(state, body["voice_id"], usable=True)
    speech_id = state.new_id()
    seconds = round(speech_seconds(text, speed), 3)
    store(state).speeches[speech_id] = seconds
    words, t = [], 0.0
    per_word = seconds / max(1, len(text.split()))
    for word in text.split():
        words.append({"word": word, "start": round(t, 3), "end": round(t + per_word, 3)})
        t += per_word
    data = {"audio_url": state.signed_url(f"speech/{speech_id}.mp3"), "duration": seconds, "request_id": speech_id,
            "word_timestamps": words}  # fmt: skip
    return ok(data)


def register(router: web.UrlDispatcher, state: SimState) -> None:
    route(router, state, "VoiceList", list_)
    route(router, state, "VoiceCreate", design, job=True)
    route(router, state, "VoiceCloneCreate", clone, job=True)
    route(router, state, "VoiceSpeechCreate", speech, job=True)
    route(router, state, "VoiceGet", get)
    route(router, state, "VoiceDelete", delete)
