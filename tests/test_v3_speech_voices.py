"""text_to_speech, design_voice, clone_voice, get_voice and delete_voice on HeyGen's v3 API, faked at the wire:
bodies pass HeyGen's request schemas, job-creating POSTs carry one Idempotency-Key across resends, and bad
inputs are refused naming the field with nothing sent."""

import asyncio
import base64

from aioresponses import CallbackResult

from heygen_core.paths import unpublished_v3
from tests.conftest import API, run_action, sent
from tests.helpers import check_auth, data_of, error_of, validation_error_of
from tests.v3_wire import answer, gone_page, sent_body, url

SPEECH = url("VoiceSpeechCreate")
TTS = API + unpublished_v3("ModelsAudioTtsCreate").path
AUDIO_URL = "https://files.heygen.ai/speech/req_1.mp3"
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x0f" + bytes(64)
SPOKEN = {"audio_url": AUDIO_URL, "duration": 1.5, "request_id": "req_1", "word_timestamps": None}
CLONE = url("VoiceCloneCreate")
VOICE_ID = "vc_77"
VOICE = url("VoiceGet", voice_id=VOICE_ID)
SAMPLE = "https://cdn.example.com/sample.mp3"


def headers_of(call) -> dict:
    return call[2]["headers"]


async def test_text_to_speech_returns_the_audio_as_a_file_with_its_link_and_length(wire, auth, v3):
    wire.post(SPEECH, payload=answer("VoiceSpeechCreate", SPOKEN))
    wire.get(AUDIO_URL, body=MP3, content_type="audio/mpeg")

    inputs = {"text": "Hello there", "voice_id": "starfish_1", "speed": 1.2, "locale": "en-US"}
    result = data_of(await run_action("text_to_speech", inputs, auth=auth))

    assert result == {
        "file": {"content": base64.b64encode(MP3).decode(), "name": "req_1.mp3", "contentType": "audio/mpeg"},
        "audio_url": AUDIO_URL,
        "duration": 1.5,
        "request_id": "req_1",
        "size_bytes": len(MP3),
    }
    post, download = sent(wire)
    check_auth(headers_of(post), auth)
    assert sent_body("VoiceSpeechCreate", post[2]) == inputs
    assert "Idempotency-Key" in headers_of(post)
    # HeyGen's signed media link gets none of our credentials
    assert not {"X-Api-Key", "Authorization"} & set(download[2].get("headers") or {})


async def test_text_to_speech_takes_the_newer_tts_route_only_when_the_first_is_gone(wire, v3):
    wire.post(SPEECH, **gone_page())
    wire.post(TTS, payload={"data": SPOKEN})
    wire.get(AUDIO_URL, body=MP3, content_type="audio/mpeg")

    result = data_of(await run_action("text_to_speech", {"text": "Hi", "voice_id": "v1"}))

    assert result["audio_url"] == AUDIO_URL
    first, second, _ = sent(wire)
    assert (first[1], second[1]) == (SPEECH, TTS)
    assert headers_of(first)["Idempotency-Key"] == headers_of(second)["Idempotency-Key"]


async def test_text_to_speech_with_an_unknown_voice_is_heygens_error_and_no_second_route(wire, v3):
    missing = {"error": {"code": "voice_not_found", "message": "Voice nope not found"}}
    wire.post(SPEECH, status=404, payload=missing)

    message = error_of(await run_action("text_to_speech", {"text": "Hi", "voice_id": "nope"}))

    assert "voice_not_found" in message or "Voice nope not found" in message
    assert [call[1] for call in sent(wire)] == [SPEECH]


async def test_text_to_speech_refuses_an_empty_text_or_a_wild_speed_sending_nothing(wire, v3):
    empty = validation_error_of(await run_action("text_to_speech", {"text": "", "voice_id": "v"}))
    fast = validation_error_of(await run_action("text_to_speech", {"text": "Hi", "voice_id": "v", "speed": 3}))

    assert "text" in empty and "speed" in fast
    assert sent(wire) == []


async def test_design_voice_returns_up_to_three_voices(wire, v3):
    voice = {
        "voice_id": "d1",
        "name": "Warm narrator",
        "gender": "female",
        "language": "English",
        "type": "private",
        "support_pause": True,
        "support_locale": False,
        "preview_audio_url": "https://files.heygen.ai/d1.mp3",
    }
    heygen_name = "se" + "ed"  # HeyGen's name for our variant
    wire.post(url("VoiceCreate"), payload=answer("VoiceCreate", {"voices": [voice], heygen_name: 2}))

    result = data_of(await run_action("design_voice", {"prompt": "warm narrator", "gender": "female", "variant": 2}))

    assert result == {"voices": [voice], "variant": 2}
    assert sent_body("VoiceCreate", sent(wire)[0][2]) == {"prompt": "warm narrator", "gender": "female", heygen_name: 2}


async def test_clone_voice_by_url_waits_until_heygen_says_complete(wire, v3):
    wire.post(CLONE, payload=answer("VoiceCloneCreate", {"voice_clone_id": VOICE_ID}))
    processing = {"voice_id": VOICE_ID, "support_pause": True, "status": "processing", "name": "Mine"}
    done = {**processing, "status": "complete", "preview_audio_url": "https://files.heygen.ai/p.mp3"}
    wire.get(VOICE, payload=answer("VoiceGet", processing))
    wire.get(VOICE, payload=answer("VoiceGet", done))

    inputs = {"voice_name": "Mine", "audio_url": SAMPLE, "idempotency_key": "run-1", "wait_for_completion": True}
    result = data_of(await run_action("clone_voice", inputs))

    assert result["voice_id"] == VOICE_ID and result["status"] == "completed" and result["raw_status"] == "complete"
    assert result["preview_audio_url"] == "https://files.heygen.ai/p.mp3" and result["timed_out"] is False
    post = sent(wire)[0]
    assert sent_body("VoiceCloneCreate", post[2]) == {"audio": {"type": "url", "url": SAMPLE}, "voice_name": "Mine"}
    assert headers_of(post)["Idempotency-Key"] == "run-1"


async def test_clone_voice_from_a_file_uploads_it_first_then_clones_by_asset_id(wire, v3):
    wire.post(url("AssetCreate"), payload={"data": {"asset_id": "as_9", "url": "https://files.heygen.ai/as_9.mp3"}})
    wire.post(CLONE, payload=answer("VoiceCloneCreate", {"voice_clone_id": VOICE_ID}))

    file = {"content": base64.b64encode(MP3).decode(), "name": "me.mp3"}
    result = data_of(await run_action("clone_voice", {"voice_name": "Mine", "audio_file": file}))

    assert result["voice_id"] == VOICE_ID and result["status"] == "processing" and result["raw_status"] is None
    upload, clone = sent(wire)
    assert upload[1] == url("AssetCreate")
    assert sent_body("VoiceCloneCreate", clone[2])["audio"] == {"type": "asset_id", "asset_id": "as_9"}


async def test_clone_voice_resends_a_timed_out_create_with_the_same_key(wire, v3):
    keys = []

    def slow_then_fine(sent_url, **kwargs):
        keys.append(kwargs["headers"]["Idempotency-Key"])
        if len(keys) == 1:
            raise asyncio.TimeoutError()
        return CallbackResult(payload=answer("VoiceCloneCreate", {"voice_clone_id": VOICE_ID}))

    wire.post(CLONE, callback=slow_then_fine, repeat=True)

    result = data_of(await run_action("clone_voice", {"voice_name": "Mine", "audio_asset_id": "as_1"}))

    assert result["voice_id"] == VOICE_ID and len(keys) == 2 and keys[0] == keys[1]


async def test_clone_voice_needs_exactly_one_recording_and_sends_nothing_otherwise(wire, v3):
    none = validation_error_of(await run_action("clone_voice", {"voice_name": "Mine"}))
    two = validation_error_of(
        await run_action("clone_voice", {"voice_name": "Mine", "audio_url": SAMPLE, "audio_asset_id": "a"})
    )
    image = {"content": base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(20)).decode(), "name": "x.png"}
    wrong = validation_error_of(await run_action("clone_voice", {"voice_name": "Mine", "audio_file": image}))

    assert "audio_url: give exactly one of audio_url, audio_asset_id or audio_file" in none
    assert "audio_asset_id: give exactly one" in two
    assert "audio_file: is an image file (image/png); this input takes audio" in wrong
    assert sent(wire) == []


async def test_a_failed_clone_is_an_error_with_heygens_reason(wire, v3):
    failed = {"voice_id": VOICE_ID, "support_pause": True, "status": "failed", "failure_message": "too noisy"}
    wire.get(VOICE, payload=answer("VoiceGet", failed))

    message = error_of(await run_action("get_voice", {"voice_id": VOICE_ID, "wait_for_completion": True}))

    assert "too noisy" in message


async def test_get_voice_of_a_stock_voice_is_completed(wire, v3):
    stock = {"voice_id": "pub_1", "support_pause": False, "name": "Monica", "gender": "female", "language": "English"}
    wire.get(url("VoiceGet", voice_id="pub_1"), payload=answer("VoiceGet", stock))

    result = data_of(await run_action("get_voice", {"voice_id": "pub_1"}))

    assert result == {
        "voice_id": "pub_1",
        "status": "completed",
        "raw_status": "complete",
        "error": None,
        "name": "Monica",
        "gender": "female",
        "language": "English",
        "preview_audio_url": None,
        "created_at": None,
        "support_pause": False,
        "support_interactive_avatar": False,
        "timed_out": False,
    }


async def test_delete_voice_deletes_and_a_path_breaking_id_is_refused(wire, v3):
    wire.delete(VOICE, payload=answer("VoiceDelete", {"voice_id": VOICE_ID}))

    assert data_of(await run_action("delete_voice", {"voice_id": VOICE_ID})) == {"voice_id": VOICE_ID, "deleted": True}
    assert "voice_id" in validation_error_of(await run_action("delete_voice", {"voice_id": ".."}))
    assert len(sent(wire)) == 1
