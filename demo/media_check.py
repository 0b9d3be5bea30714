"""Proof that a downloaded MP4 is a real video: PyAV opens it, decodes every frame and reads its length."""

from dataclasses import dataclass
from pathlib import Path

import av


@dataclass(frozen=True)
class VideoFacts:
    frames: int
    seconds: float
    width: int
    height: int
    codec: str
    has_audio: bool

    def describe(self) -> str:
        sound = "with audio" if self.has_audio else "no audio"
        return f"{self.frames} frames, {self.seconds:.2f} s, {self.width}x{self.height} {self.codec}, {sound}"


class NotAVideo(Exception):
    pass


def inspect_mp4(path: Path) -> VideoFacts:
    """Decodes the whole video stream; raises NotAVideo when the file is not a playable video."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise NotAVideo(f"{path.name} has no video stream")
            stream = container.streams.video[0]
            frames = 0
            last_end = 0.0
            for frame in container.decode(stream):
                frames += 1
                if frame.time is not None:
                    last_end = max(last_end, frame.time + float(frame.duration or 0) * float(stream.time_base or 0))
            if frames == 0:
                raise NotAVideo(f"{path.name} has a video stream with no frames")
            seconds = container.duration / av.time_base if container.duration else last_end
            return VideoFacts(
                frames=frames,
                seconds=float(seconds),
                width=stream.codec_context.width,
                height=stream.codec_context.height,
                codec=stream.codec_context.name,
                has_audio=bool(container.streams.audio),
            )
    except av.FFmpegError as error:
        raise NotAVideo(f"{path.name} does not decode as a video: {error}") from None
