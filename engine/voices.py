"""The voices a render may use: the built-in ones and offline "clones".

A clone here is honest about what it is: espeak-ng set to the median pitch and the speaking rate
measured in the samples. It does not copy the speaker's timbre, and says so in its description.
"""

from __future__ import annotations

import io
import json
import os
import threading
import uuid
from dataclasses import asdict, replace

import av
import numpy as np

from .errors import invalid
from .speech import BUILT_IN_VOICES, Voice

NORMAL_SYLLABLES_PER_SECOND = 4.0


def decode_audio(data: bytes, field: str) -> tuple[np.ndarray, int]:
    """Mono float samples from any container/codec PyAV reads (WAV, MP3, OGG, ...)."""
    try:
        with av.open(io.BytesIO(data)) as container:
            stream = container.streams.audio[0]
            rate = stream.rate
            resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
            chunks = [
                f.to_ndarray().reshape(-1) for frame in container.decode(stream) for f in resampler.resample(frame)
            ]
    except (av.error.FFmpegError, IndexError) as error:
        raise invalid(field, f"is not audio this engine can read ({type(error).__name__})") from error
    if not chunks:
        raise invalid(field, "holds no audio")
    return np.concatenate(chunks).astype(np.float32), rate


def pitch_and_rate(audio: np.ndarray, rate: int) -> tuple[float, float]:
    """Median fundamental frequency (autocorrelation over voiced 40 ms frames) and syllables per second
    (peaks of the loudness envelope)."""
    frame = int(0.04 * rate)
    estimates, loudness = [], []
    for start in range(0, len(audio) - frame, frame // 2):
        piece = audio[start : start + frame] - np.mean(audio[start : start + frame])
        energy = float(np.sqrt(np.mean(piece**2)))
        loudness.append(energy)
        if energy < 0.02:
            continue
        corr = np.correlate(piece, piece, mode="full")[frame - 1 :]
        low, high = int(rate / 400), int(rate / 60)
        lag = low + int(np.argmax(corr[low:high]))
        if corr[lag] > 0.3 * corr[0]:
            estimates.append(rate / lag)
    if len(estimates) < 5:
        raise invalid("audio_samples", "too little voiced speech to measure (give at least 3 s of clear speech)")
    env = np.array(loudness)
    threshold = 0.3 * np.percentile(env, 90)
    peaks = sum(
        1 for i in range(1, len(env) - 1) if env[i] > threshold and env[i] >= env[i - 1] and env[i] > env[i + 1]
    )
    voiced_seconds = max(0.5, float(np.sum(env > threshold)) * frame / 2 / rate)
    return float(np.median(estimates)), peaks / voiced_seconds


class VoiceBook:
    def __init__(self, data_dir: str) -> None:
        self.folder = os.path.join(data_dir, "voices")
        os.makedirs(self.folder, exist_ok=True)
        self._lock = threading.Lock()
        self.voices = {v.voice_id: v for v in BUILT_IN_VOICES}
        for name in sorted(os.listdir(self.folder)):
            if name.endswith(".json"):
                with open(os.path.join(self.folder, name)) as handle:
                    voice = Voice(**json.load(handle))
                self.voices[voice.voice_id] = voice

    def get(self, voice_id: str, field: str = "voice_id", status: int = 422) -> Voice:
        if voice_id not in self.voices:
            raise invalid(field, f"no voice {voice_id!r} (GET /voices lists them)", status)
        return self.voices[voice_id]

    def for_language(self, language: str) -> Voice:
        return next(
            (v for v in self.voices.values() if v.language == language and not v.is_cloned), self.voices["en_us_01"]
        )

    def clone(self, name: str, samples: list[bytes], description: str, language: str = "en") -> tuple[Voice, dict]:
        audio = [decode_audio(data, f"audio_samples[{n}]") for n, data in enumerate(samples)]
        measured = [pitch_and_rate(a, r) for a, r in audio]
        f0 = float(np.median([m[0] for m in measured]))
        syllables = float(np.median([m[1] for m in measured]))
        base = self.for_language(language)
        espeak_voice = (base.espeak_voice or "en-us").split("+")[0] + ("+f3" if f0 > 165 else "")
        voice = replace(
            base,
            voice_id=f"clone_{uuid.uuid4().hex[:10]}",
            name=name,
            engine="espeak",
            espeak_voice=espeak_voice,
            gender="female" if f0 > 165 else "male",
            pitch=float(np.clip((f0 - (165 if f0 > 165 else 85)) / 1.6 + 40, 0, 99)),
            rate=float(np.clip(syllables / NORMAL_SYLLABLES_PER_SECOND, 0.6, 1.6)),
            is_cloned=True,
            description=(
                f"{description} (pitch and rate matched: {f0:.0f} Hz, {syllables:.1f} syllables/s; "
                "espeak-ng timbre, not the speaker's)"
            ).strip(),
        )
        record = os.path.join(self.folder, f"{voice.voice_id}.json")
        with open(record + ".part", "w") as handle:
            json.dump(asdict(voice), handle)
        os.replace(record + ".part", record)
        with self._lock:
            self.voices[voice.voice_id] = voice
        return voice, {"median_pitch_hz": round(f0, 1), "syllables_per_second": round(syllables, 2)}
