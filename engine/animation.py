"""Per-frame motion curves from speech: mouth opening and width (visemes, smoothed, scaled by loudness,
shut in silence), blinks and a small head sway. Everything is deterministic for a given input."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .speech import Speech

# Viseme targets (opening 0..1, width 0..1) by the first letter of a phoneme symbol (IPA or espeak-ng's).
CLOSED, LABIODENTAL, OPEN, MID, SPREAD, ROUND, OTHER = (
    (0.0, 0.5),
    (0.1, 0.6),
    (1.0, 0.8),
    (0.65, 0.85),
    (0.4, 1.0),
    (0.55, 0.4),
    (0.3, 0.7),
)
VISEMES = {
    **dict.fromkeys("pbmPBM", CLOSED),
    **dict.fromkeys("fvFV", LABIODENTAL),
    **dict.fromkeys("aɑæʌɐAa&", OPEN),
    **dict.fromkeys("eɛəɜɚE@3", MID),
    **dict.fromkeys("iɪjIy", SPREAD),
    **dict.fromkeys("oɔuʊwɒOUQ0", ROUND),
}
SILENCE_FLOOR = 0.06  # frames quieter than this share of the loud level count as silence: mouth shut


@dataclass
class Motion:
    mouth_open: np.ndarray  # 0..1 per frame
    mouth_width: np.ndarray
    blink: np.ndarray  # 0 open .. 1 closed
    head: np.ndarray  # (frames, 3): dx, dy (fraction of frame height), angle (degrees)
    loudness: np.ndarray  # 0..1 per frame (for the thumbnail's choice of frame)


def loudness_per_frame(speech: Speech, fps: int, frames: int) -> np.ndarray:
    """RMS of the audio in a 40 ms window centred on each frame, scaled so loud speech is about 1."""
    sr, audio = speech.sample_rate, speech.audio
    half = int(0.02 * sr)
    centres = ((np.arange(frames) + 0.5) * sr / fps).astype(int)
    squares = np.concatenate([[0.0], np.cumsum(audio.astype(np.float64) ** 2)])
    lo, hi = np.clip(centres - half, 0, len(audio)), np.clip(centres + half, 0, len(audio))
    rms = np.sqrt((squares[hi] - squares[lo]) / np.maximum(1, hi - lo))
    level = np.percentile(rms[rms > 0], 90) if np.any(rms > 0) else 1.0
    return np.clip(rms / max(level, 1e-6), 0.0, 1.2)


def _smooth(values: np.ndarray, sigma_frames: float) -> np.ndarray:
    radius = max(1, int(3 * sigma_frames))
    kernel = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma_frames) ** 2)
    padded = np.pad(values, radius, mode="edge")
    return np.convolve(padded, kernel / kernel.sum(), mode="valid")


def _viseme_targets(speech: Speech, fps: int, frames: int) -> tuple[np.ndarray, np.ndarray]:
    opening, width = np.zeros(frames), np.full(frames, 0.5)
    for symbol, start, end in speech.phonemes:
        target = VISEMES.get(symbol[:1], OTHER)
        a, b = int(start * fps), max(int(start * fps) + 1, int(round(end * fps)))
        opening[a:b] = np.maximum(opening[a:b], target[0])
        width[a:b] = target[1]
    return opening, width


def _blinks(frames: int, fps: int, seed: int) -> np.ndarray:
    """A blink (about 0.2 s) every 2.5-5 s, at times fixed by the seed."""
    rng = np.random.default_rng(seed)
    curve, t = np.zeros(frames), 1.2 + rng.uniform(0, 1.5)
    shape = np.array([0.5, 1.0, 1.0, 0.6, 0.25])
    while t * fps < frames:
        start = int(t * fps)
        piece = shape[: frames - start]
        curve[start : start + len(piece)] = piece
        t += rng.uniform(2.5, 5.0)
    return curve


def motion_for(speech: Speech, fps: int, frames: int, seed: int = 7) -> Motion:
    loud = loudness_per_frame(speech, fps, frames)
    opening, width = _viseme_targets(speech, fps, frames)
    opening = _smooth(opening, 0.8)
    shaped = np.clip(0.35 * opening + 0.85 * _smooth(loud, 0.6), 0.0, 1.0) * np.clip(loud * 4, 0, 1)
    silent = loud < SILENCE_FLOOR
    shaped[silent] = 0.0
    t = np.arange(frames) / fps
    sway = np.stack(
        [
            0.006 * np.sin(2 * np.pi * t / 6.3 + 0.4),
            0.004 * np.sin(2 * np.pi * t / 4.1) + 0.003 * _smooth(loud, 4.0),
            1.1 * np.sin(2 * np.pi * t / 5.2) + 0.4 * np.sin(2 * np.pi * t / 2.3 + 1.0),
        ],
        axis=1,
    )
    return Motion(shaped, np.clip(_smooth(width, 1.5), 0.3, 1.0), _blinks(frames, fps, seed), sway, loud)
