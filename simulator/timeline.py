"""How long a script takes to say, scene by scene: the one duration model behind a video's job
time, its reported ``duration``, the rendered MP4 and its captions.

Text is spoken as heygen_core.speech_length says (150 words a minute, or per character for scripts
without spaces), divided by the voice ``speed`` (at least half a second per
scene); a silence lasts its ``duration``; an audio input (whose file the simulator does not
fetch) counts as ``AUDIO_INPUT_SECONDS``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from heygen_core.speech_length import speaking_seconds

AUDIO_INPUT_SECONDS = 4.0
MIN_TEXT_SECONDS = 0.5

PALETTE = [(32, 84, 147), (140, 48, 72), (36, 120, 90), (110, 80, 150), (170, 110, 30), (50, 50, 60)]


def speech_seconds(text: str, speed: float = 1.0) -> float:
    """The plugin's own model (heygen_core.speech_length), so estimate_video and the videos agree."""
    return max(MIN_TEXT_SECONDS, speaking_seconds(text, speed))


@dataclass(frozen=True)
class Scene:
    """One scene as the renderer needs it: what is said (kind text|audio|silence) and what is shown."""

    kind: str
    seconds: float
    text: str = ""
    colour: tuple[int, int, int] = PALETTE[0]
    label: str = ""


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    scene: Scene


@dataclass(frozen=True)
class Timeline:
    segments: tuple[Segment, ...]

    @classmethod
    def of(cls, scenes: list[Scene]) -> Timeline:
        segments, t = [], 0.0
        for scene in scenes:
            segments.append(Segment(t, t + scene.seconds, scene))
            t += scene.seconds
        return cls(tuple(segments))

    @property
    def duration(self) -> float:
        return self.segments[-1].end if self.segments else 0.0

    def capped(self, cap: float | None) -> Timeline:
        """The first ``cap`` seconds (what gets rendered when a script is long)."""
        if cap is None or self.duration <= cap:
            return self
        kept = [s for s in self.segments if s.start < cap]
        last = kept[-1]
        kept[-1] = replace(last, end=cap, scene=replace(last.scene, seconds=cap - last.start))
        return Timeline(tuple(kept))

    def at(self, t: float) -> Segment:
        for segment in self.segments:
            if t < segment.end:
                return segment
        return self.segments[-1]

    def cues(self, words_per_cue: int = 8) -> list[tuple[float, float, str]]:
        """Caption cues for the spoken text, each word getting an equal share of its scene."""
        cues = []
        for segment in self.segments:
            words = segment.scene.text.split() if segment.scene.kind == "text" else []
            if not words:
                continue
            per_word = (segment.end - segment.start) / len(words)
            for i in range(0, len(words), words_per_cue):
                chunk = words[i : i + words_per_cue]
                start = segment.start + i * per_word
                cues.append((start, start + len(chunk) * per_word, " ".join(chunk)))
        return cues
