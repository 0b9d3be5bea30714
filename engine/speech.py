"""Speech for the engine: the voice catalogue and a client for the speech worker process.

The worker (engine/speech_worker.py) holds the GPL-3 speech engines; this module only starts it,
sends it JSON and reads back audio and timings. One worker serves a whole engine process; a lock
keeps requests in order.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field

import numpy as np

from .errors import EngineError


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
    """The speech process, started on first use and restarted if it dies."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "engine.speech_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
            )
        return self._process

    def prewarm(self) -> threading.Thread:
        """Load the neural voice in the worker now (about 2 s), in the background."""

        def load() -> None:
            with self._lock:
                process = self._start()
                try:
                    process.stdin.write(json.dumps({"engine": "piper", "load_only": True}) + "\n")
                    process.stdin.flush()
                    process.stdout.readline()
                except OSError:
                    self.close()

        thread = threading.Thread(target=load, name="speech-prewarm", daemon=True)
        thread.start()
        return thread

    def speak(self, text: str, voice: Voice) -> Speech:
        with self._lock, tempfile.TemporaryDirectory(prefix="engine-speech-") as folder:
            path = os.path.join(folder, "audio.f32")
            request = {"engine": voice.engine, "voice": voice.espeak_voice, "text": text, "audio_path": path}
            request.update(rate=voice.rate, pitch=voice.pitch)
            process = self._start()
            try:
                process.stdin.write(json.dumps(request) + "\n")
                process.stdin.flush()
                answer = json.loads(process.stdout.readline() or "{}")
            except (OSError, ValueError) as error:
                self.close()
                raise EngineError(500, "SPEECH_FAILED", f"the speech worker stopped: {error}") from error
            if not answer.get("ok"):
                raise EngineError(500, "SPEECH_FAILED", f"speech failed: {answer.get('error', 'no answer')}")
            audio = np.fromfile(path, dtype=np.float32)
        return Speech(
            answer["sample_rate"], audio, [tuple(p) for p in answer["phonemes"]], [tuple(w) for w in answer["words"]]
        )

    def close(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                self._process.stdin.close()
                try:
                    self._process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
            self._process = None
