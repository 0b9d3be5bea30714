"""Every endpoint of the engine's API over real HTTP on loopback, with its fields, errors and files."""

import io
import os
import wave

import cv2
import numpy as np
import pytest
import skimage.data

from engine.speech import BUILT_IN_VOICES, SpeechWorker
from tests.engine_helpers import call, decode, engine_server, file_server, multipart, wait_for

pytestmark = pytest.mark.e2e


def _png(rgb: np.ndarray) -> bytes:
    return cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))[1].tobytes()


def _wav_of_speech() -> bytes:
    worker = SpeechWorker()
    try:
        speech = worker.speak("This is a sample of my voice. I speak clearly and at an even pace.", BUILT_IN_VOICES[1])
    finally:
        worker.close()
    out = io.BytesIO()
    with wave.open(out, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(speech.sample_rate)
        handle.writeframes((speech.audio * 32767).astype("<i2").tobytes())
    return out.getvalue()


def _clip() -> bytes:
    """Two seconds of a green picture, as a background video."""
    import tempfile

    from engine.encode import VideoWriter

    with tempfile.TemporaryDirectory() as folder:
        writer = VideoWriter(f"{folder}/clip.mp4", (320, 180))
        for _ in range(50):
            writer.add(np.full((180, 320, 3), (20, 200, 60), np.uint8))
        writer.finish(np.zeros(44100, np.float32), 22050)
        with open(f"{folder}/clip.mp4", "rb") as handle:
            return handle.read()


def _translation(request: dict) -> bytes:
    import json

    return json.dumps({"translatedText": f"[{request['target']}] {request['q']}"}).encode()


def _completion(request: dict) -> bytes:
    import json

    return json.dumps({"choices": [{"message": {"content": "Hola a todos. Hoy hablamos del futuro."}}]}).encode()


@pytest.fixture(scope="module")
def assets():
    backdrop = np.zeros((90, 160, 3), np.uint8)
    backdrop[:, :80] = (200, 40, 40)
    files = {
        "/astronaut.png": (200, {"Content-Type": "image/png"}, _png(skimage.data.astronaut())),
        "/wall.png": (200, {"Content-Type": "image/png"}, _png(np.full((200, 200, 3), 128, np.uint8))),
        "/backdrop.png": (200, {"Content-Type": "image/png"}, _png(backdrop)),
        "/broken.mp4": (200, {"Content-Type": "video/mp4"}, b"\x00\x00\x00\x18ftypmp42" + b"\x13" * 4000),
        "/clip.mp4": (200, {"Content-Type": "video/mp4"}, _clip()),
        "/voice.wav": (200, {"Content-Type": "audio/wav"}, _wav_of_speech()),
        "/redirect-private": (302, {"Location": "http://10.0.0.1/secret.png"}, b""),
        "POST /translate": (200, {}, _translation),
        "POST /v1/chat/completions": (200, {}, _completion),
    }
    with file_server(files) as base:
        yield base


@pytest.fixture(scope="module")
def api(assets, tmp_path_factory):
    data = tmp_path_factory.mktemp("engine-api")
    env = {"ENGINE_ALLOW_LOOPBACK_FETCH": "1", "ENGINE_SYNC_SECONDS": "6", "ENGINE_TRANSLATE_URL": assets}
    env |= {"OPENAI_BASE_URL": f"{assets}/v1", "OPENAI_API_KEY": "sk-test-not-real"}
    with engine_server(data, **env) as base:
        yield base, data


def _error(status, body, expected_status, field=None):
    assert status == expected_status, body
    assert set(body) == {"error", "error_code", "details", "timestamp"}
    if field:
        assert field in body["error"] and body["details"].get("field") == field, body


def test_health_lists_components_version_and_uptime(api):
    status, body, head = call("GET", f"{api[0]}/health")
    assert status == 200 and body["status"] == "healthy"
    assert {"avatar_manager", "voice_engine", "video_renderer", "script_generator"} <= set(body["components"])
    assert body["version"] == "1.0.0" and body["uptime"] >= 0
    assert int(head["X-RateLimit-Limit"]) > 0 and "X-RateLimit-Remaining" in head


def test_openapi_document_covers_every_endpoint(api):
    status, body, _ = call("GET", f"{api[0]}/openapi.json")
    assert status == 200 and body["openapi"].startswith("3.")
    for path in ("/health", "/videos/create", "/videos/batch", "/videos/{video_id}", "/voices", "/voices/clone"):
        assert path in body["paths"]
    for path in ("/avatars", "/avatars/create", "/scripts/generate", "/scripts/analyze", "/scripts/translate"):
        assert path in body["paths"]


def test_voices_and_avatars_have_the_documented_fields(api):
    _, voices, _ = call("GET", f"{api[0]}/voices")
    assert {
        "voice_id",
        "name",
        "language",
        "accent",
        "gender",
        "style",
        "sample_rate",
        "is_cloned",
        "characteristics",
    } <= set(voices[0])
    assert {v["language"] for v in voices} >= {"en", "es", "fr", "de", "it", "pt", "zh", "ja", "ko"}
    _, avatars, _ = call("GET", f"{api[0]}/avatars")
    fields = {
        "avatar_id",
        "name",
        "gender",
        "style",
        "age_range",
        "ethnicity",
        "image_url",
        "is_custom",
        "model_config",
    }
    assert fields <= set(avatars[0]) and len(avatars) >= 3
    status, png, head = call("GET", avatars[0]["image_url"])
    assert status == 200 and head["Content-Type"] == "image/png" and png.startswith(b"\x89PNG")


def test_a_short_video_completes_within_the_request_with_its_files(api):
    script = "Hello there. Welcome to the show."
    status, video, _ = call(
        "POST", f"{api[0]}/videos/create", {"script": script, "resolution": "360p", "voice_id": "en_us_01"}
    )
    assert status == 200 and video["status"] == "completed", video
    assert video["video_id"].startswith("video_") and video["file_size"] > 10000 and video["duration"] > 1.5
    assert (
        video["metadata"].items()
        >= {
            "avatar_id": "professional_female_01",
            "voice_id": "en_us_01",
            "language": "en",
            "resolution": "360p",
        }.items()
    )
    _, again, _ = call("GET", f"{api[0]}/videos/{video['video_id']}")
    assert again["output_url"] == video["output_url"] and again["status"] == "completed"
    status, data, head = call("GET", video["output_url"])
    assert status == 200 and len(data) == video["file_size"]
    frames, _, _, _ = decode(data)
    assert frames[0].shape == (360, 640, 3)
    _, jpeg, _ = call("GET", video["thumbnail_url"])
    _, gif, _ = call("GET", video["gif_url"])
    assert jpeg[:2] == b"\xff\xd8" and gif[:6] == b"GIF89a"
    _, srt, _ = call("GET", video["captions"]["srt"])
    _, vtt, _ = call("GET", video["captions"]["vtt"])
    assert b"Hello there" in srt and b" --> " in srt and b"," in srt.split(b"\n")[1]
    assert vtt.startswith(b"WEBVTT") and b"Welcome to the show" in vtt


def test_captions_burned_in_over_an_image_background_in_a_card(api, assets):
    body = {"script": "Captions on screen.", "resolution": "360p", "background": f"{assets}/backdrop.png"}
    body["custom_settings"] = {"captions": True, "layout": "card", "lighting": "studio"}
    status, video, _ = call("POST", f"{api[0]}/videos/create", body)
    assert status == 200 and video["status"] == "completed", video
    assert video["metadata"]["ignored_settings"] == ["lighting"]
    frames, _, _, _ = decode(call("GET", video["output_url"])[1])
    middle = frames[len(frames) // 2]
    assert middle[5, 5, 0] > 150 and middle[5, -5, 0] < 100  # the image background (red left half), cover-scaled
    strip = middle[280:345, 100:540]
    assert np.count_nonzero(strip.min(axis=2) > 220) > 40  # white caption letters near the bottom


def test_a_video_background_spanish_speech_and_1080p(api, assets):
    body = {"script": "Hola a todos.", "language": "es", "resolution": "1080p", "background": f"{assets}/clip.mp4"}
    status, video, _ = call("POST", f"{api[0]}/videos/create", body)
    assert status == 200 and video["status"] == "completed", video
    assert video["metadata"]["voice_id"] == "es_es_01"
    frames, audio, _, _ = decode(call("GET", video["output_url"])[1])
    assert frames[0].shape == (1080, 1920, 3) and np.abs(audio).max() > 0.3
    assert abs(frames[-1][10, 10].astype(int) - (20, 200, 60)).max() < 30  # the looping clip is behind the avatar


def test_two_scenes_are_joined_by_packet_copy_in_a_mov(api):
    scenes = [
        {"script": "This is the first scene.", "avatar_id": "professional_female_01", "voice_id": "en_us_01"},
        {
            "script": "And this is the second one.",
            "avatar_id": "casual_female_01",
            "voice_id": "en_us_02",
            "background": "#336699",
        },
    ]
    body = {"scenes": scenes, "resolution": "360p", "output_format": "mov"}
    status, video, _ = call("POST", f"{api[0]}/videos/create", body)
    assert status == 200 and video["status"] == "completed", video
    assert video["joined_by"] == "packet copy" and len(video["scenes"]) == 2 and video["output_url"].endswith(".mov")
    frames, audio, rate, fps = decode(call("GET", video["output_url"])[1])
    assert abs(len(frames) / fps - video["duration"]) <= 0.05 * video["duration"]
    second = frames[int((video["scenes"][1]["start"] + 0.5) * fps)]
    assert abs(second[5, 5].astype(int) - (0x33, 0x66, 0x99)).max() < 20  # the second scene's background


def test_transparent_background_gives_webm_with_alpha(api):
    body = {"script": "See through.", "resolution": "360p", "output_format": "webm", "background": "transparent"}
    status, video, _ = call("POST", f"{api[0]}/videos/create", body)
    assert status == 200 and video["status"] == "completed", video
    assert video["output_url"].endswith(".webm")
    import av

    with av.open(io.BytesIO(call("GET", video["output_url"])[1])) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "vp9" and stream.metadata.get("alpha_mode") == "1"
        assert container.streams.audio[0].codec_context.name == "opus"


def test_a_longer_script_is_pending_then_processing_then_completed(api):
    script = "This script is long enough to be rendered in the background. It takes a few seconds of speech to say."
    status, video, _ = call("POST", f"{api[0]}/videos/create", {"script": script, "resolution": "360p"})
    assert status == 202 and video["status"] in ("pending", "processing") and video["output_url"] is None
    done = wait_for(f"{api[0]}/videos/{video['video_id']}")
    assert done["status"] == "completed" and done["output_url"].endswith(".mp4")


def test_batch_queues_valid_items_and_names_the_field_of_a_bad_one(api):
    videos = [
        {
            "script": "First video content.",
            "avatar_id": "professional_male_01",
            "voice_id": "en_us_01",
            "resolution": "360p",
        },
        {
            "script": "Second video content.",
            "avatar_id": "professional_female_01",
            "voice_id": "en_us_02",
            "resolution": "360p",
        },
        {"script": "", "voice_id": "en_us_01"},
    ]
    status, batch, _ = call("POST", f"{api[0]}/videos/batch", {"videos": videos})
    assert status == 202 and batch["batch_id"].startswith("batch_")
    assert batch["total_count"] == 3 and batch["failed_count"] == 1
    assert batch["videos"][2]["error"]["field"] == "videos[2].script"
    for item in batch["videos"][:2]:
        wait_for(f"{api[0]}/videos/{item['video_id']}")
    _, again, _ = call("GET", f"{api[0]}/videos/batch/{batch['batch_id']}")
    assert again["completed_count"] == 2 and again["failed_count"] == 1


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"script": "   "}, 422, "script"),
        ({"script": "word " * 100000}, 422, "script"),
        ({"script": "Hi", "voice_id": "nobody_01"}, 422, "voice_id"),
        ({"script": "Hi", "avatar_id": "nobody_01"}, 422, "avatar_id"),
        ({"script": "Hi", "resolution": "4k"}, 422, "resolution"),
        ({"script": "Hi", "output_format": "avi"}, 422, "output_format"),
        ({"script": "Hi", "language": "es", "voice_id": "en_us_01"}, 422, "voice_id"),
        ({"script": "Hi", "background": "not a colour"}, 422, "background"),
        ({"script": "Hi", "background": "http://169.254.169.254/latest/meta-data"}, 422, "background"),
        ({"script": "Hi", "custom_settings": {"layout": "floating"}}, 422, "custom_settings.layout"),
    ],
)
def test_bad_video_requests_name_the_field(api, body, status, field):
    got, error, _ = call("POST", f"{api[0]}/videos/create", body)
    _error(got, error, status, field)


def test_a_failed_render_leaves_nothing_behind(api, assets):
    before = set(os.listdir(api[1] / "videos"))
    body = {"script": "Hi", "resolution": "360p", "background": f"{assets}/broken.mp4"}
    got, video, _ = call("POST", f"{api[0]}/videos/create", body)
    assert got == 200 and video["status"] == "failed" and "background" in video["error"]["error"], video
    assert set(os.listdir(api[1] / "videos")) == before


def test_unknown_ids_routes_and_bodies(api):
    _error(*call("GET", f"{api[0]}/videos/video_0000000000000000")[:2], 404)
    _error(*call("GET", f"{api[0]}/no/such/route")[:2], 404)
    _error(*call("POST", f"{api[0]}/videos/create", raw=b"{not json")[:2], 400, "body")
    _error(*call("POST", f"{api[0]}/videos/create", [1, 2])[:2], 400, "body")


def test_avatar_from_a_photo_url_and_from_an_upload(api, assets):
    status, avatar, _ = call("POST", f"{api[0]}/avatars/create", {"name": "Me", "image_url": f"{assets}/astronaut.png"})
    assert status == 201 and avatar["is_custom"] and avatar["avatar_id"].startswith("avatar_")
    raw, kind = multipart(
        {"name": "Uploaded", "style": "casual"}, {"image": ("me.png", _png(skimage.data.astronaut()))}
    )
    status, uploaded, _ = call("POST", f"{api[0]}/avatars/create", raw=raw, content_type=kind)
    assert status == 201 and uploaded["style"] == "casual"
    _, listed, _ = call("GET", f"{api[0]}/avatars")
    assert {avatar["avatar_id"], uploaded["avatar_id"]} <= {a["avatar_id"] for a in listed}
    status, video, _ = call(
        "POST",
        f"{api[0]}/videos/create",
        {"script": "Hi there.", "avatar_id": avatar["avatar_id"], "resolution": "360p"},
    )
    assert status == 200 and video["status"] == "completed", video


def test_avatar_without_a_face_or_from_a_private_address_is_refused_and_not_stored(api, assets):
    before = sorted(os.listdir(api[1] / "avatars"))
    _error(
        *call("POST", f"{api[0]}/avatars/create", {"name": "Wall", "image_url": f"{assets}/wall.png"})[:2], 422, "image"
    )
    for url in (
        "http://10.0.0.5/me.png",
        "http://192.168.1.1/me.png",
        "http://100.64.0.1/me.png",
        "http://[fd00::1]/me.png",
    ):
        _error(*call("POST", f"{api[0]}/avatars/create", {"name": "X", "image_url": url})[:2], 422, "image_url")
    _error(
        *call("POST", f"{api[0]}/avatars/create", {"name": "X", "image_url": f"{assets}/redirect-private"})[:2],
        422,
        "image_url",
    )
    _error(
        *call("POST", f"{api[0]}/avatars/create", {"name": "X", "image_url": "file:///etc/passwd"})[:2],
        422,
        "image_url",
    )
    _error(*call("POST", f"{api[0]}/avatars/create", {"image_url": f"{assets}/astronaut.png"})[:2], 422, "name")
    assert sorted(os.listdir(api[1] / "avatars")) == before


def test_voice_clone_is_a_labelled_pitch_and_rate_match(api, assets):
    body = {"voice_name": "My Voice", "audio_samples": [f"{assets}/voice.wav"], "description": "For tests"}
    status, voice, _ = call("POST", f"{api[0]}/voices/clone", body)
    assert status == 201 and voice["is_cloned"] and voice["method"] == "pitch_and_rate_match"
    assert 120 <= voice["measured"]["median_pitch_hz"] <= 350 and "timbre" in voice["note"]
    raw, kind = multipart(
        {"voice_name": "Uploaded"}, {"audio_samples": ("me.wav", call("GET", f"{assets}/voice.wav")[1])}
    )
    status, uploaded, _ = call("POST", f"{api[0]}/voices/clone", raw=raw, content_type=kind)
    assert status == 201 and uploaded["measured"] == voice["measured"]  # the same sample measures the same
    _, voices, _ = call("GET", f"{api[0]}/voices")
    assert voice["voice_id"] in {v["voice_id"] for v in voices}
    _error(
        *call("POST", f"{api[0]}/voices/clone", {"voice_name": "X", "audio_samples": [f"{assets}/wall.png"]})[:2],
        422,
        "audio_samples[0]",
    )
    _error(*call("POST", f"{api[0]}/voices/clone", {"voice_name": "X", "audio_samples": []})[:2], 422, "audio_samples")


def test_scripts_generate_offline_and_through_a_configured_endpoint(api):
    status, script, _ = call(
        "POST", f"{api[0]}/scripts/generate", {"topic": "Solar power", "style": "educational", "duration": "2 minutes"}
    )
    assert status == 200
    assert script["generator"] == "openai-compatible endpoint" and script["script"].startswith("Hola")
    _error(*call("POST", f"{api[0]}/scripts/generate", {"topic": ""})[:2], 422, "topic")
    _error(*call("POST", f"{api[0]}/scripts/generate", {"topic": "x", "duration": "forever"})[:2], 422, "duration")


def test_scripts_analyze_measures_the_text(api):
    happy = "I love this wonderful product! It is great, and it makes me happy."
    sad = "This is a terrible, awful failure. I hate how bad and sad it is."
    _, good, _ = call("POST", f"{api[0]}/scripts/analyze", {"script": happy})
    _, bad, _ = call("POST", f"{api[0]}/scripts/analyze", {"script": sad})
    assert good["script_id"].startswith("analysis_") and good["word_count"] == 13
    assert good["sentiment"]["overall"] == "positive" and bad["sentiment"]["overall"] == "negative"
    assert good["estimated_duration"] == round(13 / 150, 2)
    hard = (
        "Notwithstanding multitudinous considerations, institutional epistemological frameworks "
        "necessitate reconceptualisation."
    )
    _, complex_text, _ = call("POST", f"{api[0]}/scripts/analyze", {"script": hard})
    assert complex_text["readability_score"] < good["readability_score"]
    assert complex_text["complexity"]["vocabulary_level"] == "advanced" and complex_text["suggestions"]
    assert {"vocabulary_level", "sentence_complexity", "overall_complexity"} <= set(good["complexity"])


def test_scripts_translate_through_the_configured_backend(api):
    body = {"script": "Hello, welcome.", "target_language": "es", "source_language": "en"}
    status, translated, _ = call("POST", f"{api[0]}/scripts/translate", body)
    assert status == 200 and translated["translated_script"] == "[es] Hello, welcome."
    assert translated["translation_id"].startswith("translation_") and translated["target_language"] == "es"
    _error(
        *call("POST", f"{api[0]}/scripts/translate", {"script": "Hi", "target_language": "xx"})[:2],
        422,
        "target_language",
    )


def test_keys_rate_limits_and_unconfigured_backends(tmp_path):
    env = {"ENGINE_API_KEYS": "key-one-0123456789,key-two-9876543210", "ENGINE_RATE_LIMIT": "7"}
    with engine_server(tmp_path, **env) as base:
        assert call("GET", f"{base}/health")[0] == 200  # health stays open for monitors
        status, body, _ = call("GET", f"{base}/voices")
        _error(status, body, 401, "X-API-Key")
        status, body, _ = call("GET", f"{base}/voices", headers={"X-API-Key": "wrong-key"})
        assert status == 401 and "wrong-key" not in str(body)
        status, _, head = call("GET", f"{base}/voices", headers={"X-API-Key": "key-two-9876543210"})
        assert status == 200 and head["X-RateLimit-Remaining"] == "2"  # the start-up health check counted too
        body = {"script": "Hi", "target_language": "es"}
        status, error, _ = call("POST", f"{base}/scripts/translate", body, headers={"X-API-Key": "key-one-0123456789"})
        assert status == 501 and "ENGINE_TRANSLATE_URL" in error["error"]
        status, error, _ = call(
            "POST",
            f"{base}/scripts/generate",
            {"topic": "Tea", "duration": 1},
            headers={"X-API-Key": "key-one-0123456789"},
        )
        assert status == 200 and error["generator"] == "offline template" and 120 <= error["word_count"] <= 180
        status, error, head = call("GET", f"{base}/voices", headers={"X-API-Key": "key-one-0123456789"})
        assert status == 429 and head["X-RateLimit-Remaining"] == "0" and int(head["Retry-After"]) > 0
        _error(status, error, 429)
