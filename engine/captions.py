"""Captions from word timings: cues, SRT and WebVTT files, and cue strips burned into frames."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_FILES = ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
MAX_WORDS, MAX_GAP = 7, 0.35


def cues(words: list[tuple[str, float, float]]) -> list[tuple[float, float, str]]:
    """Words grouped into cues of at most MAX_WORDS, broken at pauses and sentence ends."""
    out, current = [], []
    for word in words:
        if current and (len(current) >= MAX_WORDS or word[1] - current[-1][2] > MAX_GAP):
            out.append((current[0][1], current[-1][2], " ".join(w[0] for w in current)))
            current = []
        current.append(word)
        if word[0][-1:] in ".!?":
            out.append((current[0][1], current[-1][2], " ".join(w[0] for w in current)))
            current = []
    if current:
        out.append((current[0][1], current[-1][2], " ".join(w[0] for w in current)))
    return out


def _stamp(seconds: float, separator: str) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}{separator}{ms % 1000:03d}"


def srt(cue_list) -> str:
    blocks = [f"{n}\n{_stamp(s, ',')} --> {_stamp(e, ',')}\n{text}\n" for n, (s, e, text) in enumerate(cue_list, 1)]
    return "\n".join(blocks)


def vtt(cue_list) -> str:
    return "WEBVTT\n\n" + "\n".join(f"{_stamp(s, '.')} --> {_stamp(e, '.')}\n{text}\n" for s, e, text in cue_list)


def font(size: int) -> ImageFont.ImageFont:
    for path in FONT_FILES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


class CaptionBurner:
    """Each cue drawn once into a strip; frames in the cue's time get it blended near the bottom."""

    def __init__(self, cue_list, size: tuple[int, int], fps: int) -> None:
        self.size, self.fps, self.cues = size, fps, cue_list
        self.strips: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.font = font(max(12, size[1] // 22))

    def _strip(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if n not in self.strips:
            text = self.cues[n][2]
            left, top, right, bottom = self.font.getbbox(text)
            pad = max(4, self.size[1] // 90)
            width, height = min(self.size[0], right - left + 2 * pad), bottom - top + 2 * pad
            image = Image.new("RGBA", (width, height), (0, 0, 0, 170))
            ImageDraw.Draw(image).text((pad - left, pad - top), text, font=self.font, fill=(255, 255, 255, 255))
            rgba = np.asarray(image).astype(np.float32)
            self.strips[n] = (rgba[..., :3], rgba[..., 3:] / 255.0)
        return self.strips[n]

    def burn(self, frame: np.ndarray, index: int) -> None:
        t = index / self.fps
        for n, (start, end, _) in enumerate(self.cues):
            if start <= t < end:
                colour, alpha = self._strip(n)
                h, w = alpha.shape[:2]
                x, y = (self.size[0] - w) // 2, self.size[1] - h - self.size[1] // 14
                region = frame[y : y + h, x : x + w].astype(np.float32)
                frame[y : y + h, x : x + w] = (region * (1 - alpha) + colour * alpha).astype(np.uint8)
                return
