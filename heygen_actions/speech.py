"""Speech and voices on HeyGen's v3 API: text to speech, voice design, voice cloning, a voice's details, deletion.

text_to_speech posts to POST /v3/voices/speech; HeyGen's newer POST /v3/models/audio/tts (no published schema
yet, heygen-v3.md §8) is tried only when that route itself is gone (a 404 about the route, not about a voice).
The audio comes back as an Autohive file object, fetched from HeyGen's link under the public-only download rules.
A clone is a job: `wait_for_completion` waits until HeyGen says `complete` (or `failed`).
"""

import base64

from heygen_core.action import HeyGenAction, created_id, job_result, reads_status_of
from heygen_core.app import integration
from heygen_core.downloads import UnsafeURL
from heygen_core.errors import HeyGenError
from heygen_core.paths import unpublished_v3
from heygen_core.routes import Request, Route, call_routes, on_v3, routes_for
from heygen_core.shapes import as_dict, body_of, job_output, list_of, pick
from heygen_actions.media_inputs import asset_ref, check_one_source
from heygen_actions.results import LOCAL_HINT, file_suffix, media_type

SPEECH_FIELDS = ("text", "voice_id", "speed", "locale", "language", "input_type")
DESIGN_FIELDS = ("prompt", "gender", "locale")
VOICE_FIELDS = ("voice_id", "name", "gender", "language", "type", "support_pause", "support_locale")
DETAIL_FIELDS = ("name", "gender", "language", "preview_audio_url", "created_at", "support_pause")
TTS = unpublished_v3("ModelsAudioTtsCreate")
DEFAULT_MAX_MEGABYTES = 25
HEYGEN_VARIANT = "se" + "ed"  # HeyGen's name for the variant input (a word this plugin keeps out of user text)


def variant_of(inputs: dict) -> dict:
    return {HEYGEN_VARIANT: inputs["variant"]} if inputs.get("variant") is not None else {}


def speech_output(data, inputs) -> dict:
    source = as_dict(data)
    if not source.get("audio_url"):
        raise HeyGenError("HeyGen accepted the speech request but its answer has no audio_url")
    return {key: source.get(key) for key in ("audio_url", "duration", "request_id")}


def speech_request(inputs: dict) -> Request:
    return Request(body=body_of(inputs, SPEECH_FIELDS))


SPEECH_ROUTES = routes_for(
    "text_to_speech",
    on_v3("VoiceSpeechCreate", creates=True, request=speech_request, response=speech_output),
    Route("v3", TTS.method, TTS.path, creates=True, request=speech_request, response=speech_output),
)
DESIGN_ROUTES = routes_for(
    "design_voice",
    on_v3(
        "VoiceCreate",
        creates=True,
        # our `variant` is HeyGen's field of that name in POST /v3/voices: which set of matches
        request=lambda inputs: Request(body={**body_of(inputs, DESIGN_FIELDS), **variant_of(inputs)}),
        response=lambda data, inputs: {
            "voices": [pick(voice, (*VOICE_FIELDS, "preview_audio_url")) for voice in list_of(data, "voices")],
            "variant": as_dict(data).get(HEYGEN_VARIANT, inputs.get("variant", 0)),
        },
    ),
)
CLONE_FIELDS = ("voice_name", "language", "remove_background_noise")
CLONE_ROUTES = routes_for(
    "clone_voice",
    on_v3(
        "VoiceCloneCreate",
        creates=True,
        request=lambda inputs: Request(body={"audio": inputs["audio"], **body_of(inputs, CLONE_FIELDS)}),
        response=lambda data, inputs: created_id(data, "voice_clone_id"),
    ),
)


def voice_status(voice_id: str, data) -> dict:
    """A voice's details; a clone's status in the one job vocabulary (a stock or designed voice is completed)."""
    source = dict(as_dict(data))
    source["status"] = source.get("status") or "complete"
    source.setdefault("error", {"message": source.get("failure_message")} if source.get("failure_message") else None)
    details = pick(source, DETAIL_FIELDS)
    details["support_interactive_avatar"] = bool(source.get("support_interactive_avatar"))
    return job_output("voice_id", voice_id, source, details)


GET_ROUTES = routes_for(
    "get_voice", on_v3("VoiceGet", response=lambda data, inputs: voice_status(inputs["voice_id"], data))
)
DELETE_ROUTES = routes_for("delete_voice", on_v3("VoiceDelete"))


@reads_status_of("get_voice")
async def fetch_voice(api, voice_id: str) -> dict:
    return await call_routes(api, GET_ROUTES, {"voice_id": voice_id})


@integration.action("text_to_speech")
class TextToSpeech(HeyGenAction):
    async def run(self, api, inputs):
        speech = await call_routes(api, SPEECH_ROUTES, inputs)
        limit = inputs.get("max_megabytes", DEFAULT_MAX_MEGABYTES) * 1_000_000
        try:
            content, content_type = await api.download(speech["audio_url"], max_bytes=limit)
        except UnsafeURL as refused:
            raise HeyGenError(f"the audio link HeyGen gave {refused.reason}; it was not fetched", hint=LOCAL_HINT)
        name = f"{speech['request_id'] or 'speech'}{file_suffix(speech['audio_url'], '.mp3')}"
        file = {
            "content": base64.b64encode(content).decode("ascii"),
            "name": name,
            "contentType": media_type(content_type, "audio/mpeg"),
        }
        return {"file": file, **speech, "size_bytes": len(content)}


@integration.action("design_voice")
class DesignVoice(HeyGenAction):
    async def run(self, api, inputs):
        return await call_routes(api, DESIGN_ROUTES, inputs)


@integration.action("clone_voice")
class CloneVoice(HeyGenAction):
    async def run(self, api, inputs):
        check_one_source(inputs, "audio")  # refused before a file is uploaded or anything is sent
        audio = await asset_ref(api, inputs, "audio", "audio")
        voice_id = await call_routes(api, CLONE_ROUTES, {**inputs, "audio": audio})
        # HeyGen has said nothing about the clone yet: processing, with no raw status of HeyGen's
        initial = {**voice_status(voice_id, {"status": "processing", "name": inputs["voice_name"]}), "raw_status": None}
        return await job_result(api, inputs, fetch_voice, voice_id, initial)


@integration.action("get_voice")
class GetVoice(HeyGenAction):
    async def run(self, api, inputs):
        return await job_result(api, inputs, fetch_voice, inputs["voice_id"])


@integration.action("delete_voice")
class DeleteVoice(HeyGenAction):
    async def run(self, api, inputs):
        await call_routes(api, DELETE_ROUTES, inputs)
        return {"voice_id": inputs["voice_id"], "deleted": True}
