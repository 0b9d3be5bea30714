"""What a viewer would check, measured on the decoded MP4 the API serves: the audio is speech, the mouth
follows it and is shut in silences, a face is in every frame, and the length is the script's."""

import numpy as np
import pytest

from tests.engine_helpers import audio_rms, call, decode, engine_server, face_box, mouth_darkness

pytestmark = pytest.mark.e2e

SCRIPT = (
    "Hello and welcome to the local avatar engine. "
    "Every word you hear was spoken on this computer. "
    "Thank you for watching, and have a wonderful day!"
)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    with engine_server(tmp_path_factory.mktemp("engine-quality")) as base:
        status, video, _ = call("POST", f"{base}/videos/create", {"script": SCRIPT, "resolution": "360p"})
        assert status == 200, video
        assert video["status"] == "completed", video
        _, data, head = call("GET", video["output_url"])
        assert head["Content-Type"] == "video/mp4"
        frames, audio, rate, fps = decode(data)
        faces = [face_box(frame) for frame in frames]
        darkness = np.array([mouth_darkness(f, b) if b is not None else -1 for f, b in zip(frames, faces)], dtype=float)
        yield {
            "video": video,
            "frames": frames,
            "audio": audio,
            "rate": rate,
            "fps": fps,
            "faces": faces,
            "darkness": darkness,
        }


def _speech_mask(rendered):
    times = (np.arange(len(rendered["frames"])) + 0.5) / rendered["fps"]
    rms = audio_rms(rendered["audio"], rendered["rate"], times)
    return rms, rms > 0.05 * np.percentile(rms, 95)


def test_length_matches_the_script_speech(rendered):
    spoken = rendered["video"]["duration"]
    assert spoken > 5  # three sentences of speech, not a stub
    assert abs(len(rendered["frames"]) / rendered["fps"] - spoken) <= 0.05 * spoken
    assert abs(len(rendered["audio"]) / rendered["rate"] - spoken) <= 0.05 * spoken
    words = len(SCRIPT.split())
    assert 1.5 <= words / spoken <= 4.5  # a human speaking rate in words per second


def test_audio_is_speech_with_pauses_between_sentences(rendered):
    audio, rate = rendered["audio"], rendered["rate"]
    hop = int(0.01 * rate)
    envelope = np.array([np.sqrt(np.mean(audio[i : i + hop] ** 2)) for i in range(0, len(audio) - hop, hop)])
    loud = envelope > 0.1 * np.percentile(envelope, 95)
    rises = np.count_nonzero(loud[1:] & ~loud[:-1])
    seconds = len(audio) / rate
    assert rises / seconds >= 1.0  # loudness rises and falls many times (syllables, words)
    quiet_runs, run = [], 0
    for is_loud in loud:
        run = 0 if is_loud else run + 1
        if run == 30:  # 0.3 s of silence
            quiet_runs.append(True)
    assert len(quiet_runs) >= 2 + 2  # the lead-in, two breaks between sentences, the tail
    spectrum = np.abs(np.fft.rfft(audio[: rate * 4]))
    assert spectrum.max() / spectrum.sum() < 0.02  # not a tone: energy spread over many frequencies


def test_a_face_is_found_in_every_frame(rendered):
    missing = [i for i, box in enumerate(rendered["faces"]) if box is None]
    assert not missing, f"no face in frames {missing[:10]}"


def test_mouth_opening_follows_the_audio(rendered):
    rms, _ = _speech_mask(rendered)
    darkness = rendered["darkness"]
    assert darkness.max() > 20  # the mouth visibly opens
    correlation = np.corrcoef(darkness, rms)[0, 1]
    print(f"mouth/audio correlation {correlation:.3f}")
    assert correlation >= 0.6, correlation
    shifted = np.corrcoef(darkness[6:], rms[:-6])[0, 1]
    assert shifted < correlation - 0.2  # out of sync scores clearly lower: the metric can fail


def test_mouth_is_shut_in_every_silence_longer_than_a_third_of_a_second(rendered):
    rms, speaking = _speech_mask(rendered)
    fps = rendered["fps"]
    darkness = rendered["darkness"]
    rest = np.percentile(darkness, 5)  # the shut mouth's own dark pixels (lip line, corners)
    open_level = np.percentile(darkness[speaking], 90)
    checked, start = 0, None
    for i, is_speaking in enumerate(list(speaking) + [True]):
        if not is_speaking and start is None:
            start = i
        elif is_speaking and start is not None:
            if (i - start) / fps > 0.3:
                inner = darkness[start + 2 : i - 2]
                assert np.all(inner <= rest + 0.1 * (open_level - rest)), (start, i, inner)
                checked += 1
            start = None
    assert checked >= 3
