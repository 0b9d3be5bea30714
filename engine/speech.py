"""Speech for the engine: the voice catalogue and a client for the speech worker process.

The worker (engine/speech_worker.py) holds the GPL-3 speech engines; this module only starts it,
sends it JSON and reads back audio and timings. One worker serves a whole engine process; a lock
keeps requests in order.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field

import numpy as np

from .workers import JsonWorker


@dataclass(frozen=True)
class Voice:
    voice_id: str
    name: str
    language: str
    accent: str
    gender: str
    engine: str  # "piper" or "espeak"
    espeak_voice: str = ""
    style: str = "professional"
    pitch: float = 50.0
    rate: float = 1.0
    is_cloned: bool = False
    description: str = ""

    def public(self) -> dict:
        return {
            "voice_id": self.voice_id,
            "name": self.name,
            "language": self.language,
            "accent": self.accent,
            "gender": self.gender,
            "style": self.style,
            "sample_rate": 22050,
            "is_cloned": self.is_cloned,
            "characteristics": {
                "pitch": "low" if self.pitch < 40 else "high" if self.pitch > 60 else "medium",
                "speed": "slow" if self.rate < 0.9 else "fast" if self.rate > 1.1 else "normal",
                "clarity": "high" if self.engine == "piper" else "medium",
            },
            "engine": "piper (neural)" if self.engine == "piper" else "espeak-ng (formant)",
            "description": self.description,
        }


def _espeak(voice_id: str, name: str, language: str, accent: str, gender: str, espeak_voice: str) -> Voice:
    return Voice(voice_id, name, language, accent, gender, "espeak", espeak_voice, description="espeak-ng, robotic")


BUILT_IN_VOICES = [
    Voice("en_us_01", "American Male (Joe)", "en", "us", "male", "piper", description="Piper neural voice"),
    _espeak("en_us_02", "American Female", "en", "us", "female", "en-us+f3"),
    _espeak("en_gb_01", "British Male", "en", "gb", "male", "en-gb"),
    _espeak("es_es_01", "Spanish", "es", "es", "male", "es"),
    _espeak("fr_fr_01", "French", "fr", "fr", "male", "fr"),
    _espeak("de_de_01", "German", "de", "de", "male", "de"),
    _espeak("it_it_01", "Italian", "it", "it", "male", "it"),
    _espeak("pt_br_01", "Brazilian Portuguese", "pt", "br", "male", "pt-br"),
    _espeak("zh_cn_01", "Mandarin Chinese", "zh", "cn", "male", "cmn"),
    _espeak("ja_jp_01", "Japanese", "ja", "jp", "male", "ja"),
    _espeak("ko_kr_01", "Korean", "ko", "kr", "male", "ko"),
]


@dataclass
class Speech:
    """Mono float32 audio and what was said when (seconds)."""

    sample_rate: int
    audio: np.ndarray
    phonemes: list[tuple[str, float, float]] = field(default_factory=list)
    words: list[tuple[str, float, float]] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return len(self.audio) / self.sample_rate


class SpeechWorker:
    """The speech process (engine/speech_worker.py)."""

    def __init__(self) -> None:
        self.worker = JsonWorker("engine.speech_worker", "SPEECH_FAILED")

    def prewarm(self):
        """Load the neural voice now (about 2 s), in the background."""
        return self.worker.prewarm({"engine": "piper", "load_only": True})

    def speak(self, text: str, voice: Voice) -> Speech:
        with tempfile.TemporaryDirectory(prefix="engine-speech-") as folder:
            path = os.path.join(folder, "audio.f32")
            request = {"engine": voice.engine, "voice": voice.espeak_voice, "text": text, "audio_path": path}
            answer = self.worker.ask(request | {"rate": voice.rate, "pitch": voice.pitch})
            audio = np.fromfile(path, dtype=np.float32)
        phonemes, words = [tuple(p) for p in answer["phonemes"]], [tuple(w) for w in answer["words"]]
        return Speech(answer["sample_rate"], audio, phonemes, words)

    def close(self) -> None:
        self.worker.close()
