"""What the avatar stands in front of: a colour, an image or a looping video, at the frame size."""

from __future__ import annotations

import io
import re

import av
import cv2
import numpy as np

from .errors import invalid

NAMED = {
    "white": (255, 255, 255),
    "black": (0, 0, 0),
    "green": (0, 177, 64),
    "blue": (40, 90, 200),
    "grey": (128, 128, 128),
}
HEX = re.compile(r"^#?([0-9a-fA-F]{6})$")
DEFAULT_COLOUR = (30, 41, 59)


def parse_colour(value: str) -> tuple[int, int, int] | None:
    if value.lower() in NAMED:
        return NAMED[value.lower()]
    match = HEX.match(value)
    if match:
        digits = match.group(1)
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    return None


def _cover(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Scale to fill the frame, cropping the overflow (like CSS background-size: cover)."""
    w, h = size
    scale = max(w / image.shape[1], h / image.shape[0])
    resized = cv2.resize(image, (max(w, round(image.shape[1] * scale)), max(h, round(image.shape[0] * scale))))
    top, left = (resized.shape[0] - h) // 2, (resized.shape[1] - w) // 2
    return np.ascontiguousarray(resized[top : top + h, left : left + w])


class Backdrop:
    def __init__(self, size: tuple[int, int], colour=DEFAULT_COLOUR, image: np.ndarray | None = None) -> None:
        self.size = size
        self.still = _cover(image, size) if image is not None else np.full((size[1], size[0], 3), colour, np.uint8)

    def frame(self, index: int) -> np.ndarray:
        return self.still


class VideoBackdrop(Backdrop):
    """Frames decoded as they are needed, the clip starting again when it ends (bounded memory)."""

    def __init__(self, size: tuple[int, int], data: bytes) -> None:
        super().__init__(size)
        self.data = data
        self._open()

    def _open(self) -> None:
        self.container = av.open(io.BytesIO(self.data))
        self.frames = self.container.decode(video=0)

    def frame(self, index: int) -> np.ndarray:
        for _ in range(2):
            try:
                return _cover(next(self.frames).to_ndarray(format="rgb24"), self.size)
            except StopIteration:
                self.container.close()
                self._open()
        return self.still


def backdrop_for(size: tuple[int, int], value: str | None, content: bytes | None, content_type: str = "") -> Backdrop:
    """A backdrop from a colour name/hex, or fetched bytes (an image or a video)."""
    if content is None:
        colour = parse_colour(value) if value else DEFAULT_COLOUR
        if colour is None:
            raise invalid("background", "is neither a colour (#RRGGBB or a name) nor an http(s) URL")
        return Backdrop(size, colour)
    decoded = cv2.imdecode(np.frombuffer(content, np.uint8), cv2.IMREAD_COLOR)
    if decoded is not None:
        return Backdrop(size, image=cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB))
    try:
        backdrop = VideoBackdrop(size, content)
        backdrop.frame(0)
        backdrop._open()
        return backdrop
    except (av.error.FFmpegError, StopIteration, IndexError) as error:
        raise invalid(
            "background", f"the URL's content is not an image or video this engine can read ({error})"
        ) from error
