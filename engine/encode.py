"""Writing files with PyAV: H.264 + AAC MP4, VP9 (with alpha) + Opus WebM, scenes joined by packet
copy, a JPEG thumbnail and a GIF preview."""

from __future__ import annotations

import os
from fractions import Fraction

import av
import numpy as np
from PIL import Image

FPS = 25
AAC_RATE = 22050


class VideoWriter:
    """Frames in, one file out: H.264 + AAC in mp4 or mov, VP9 + Opus in webm (alpha=True adds an alpha
    plane, for a transparent background)."""

    def __init__(self, path: str, size: tuple[int, int], fmt: str = "mp4", alpha: bool = False, fast: bool = False):
        self.fmt, self.alpha, self.index = fmt, alpha, 0
        self.container = av.open(path, mode="w", format=fmt)
        if fmt in ("mp4", "mov"):
            self.video = self.container.add_stream("libx264", rate=FPS)
            self.video.pix_fmt = "yuv420p"
            # no B-frames: every packet's dts equals its pts, so scenes join by packet copy cleanly
            self.video.options = {"preset": "ultrafast" if fast else "veryfast", "crf": "23", "bf": "0"}
            self.audio_rate = AAC_RATE
            self.audio = self.container.add_stream("aac", rate=self.audio_rate)
        else:
            self.video = self.container.add_stream("libvpx-vp9", rate=FPS)
            self.video.pix_fmt = "yuva420p" if alpha else "yuv420p"
            self.video.options = {"deadline": "realtime", "cpu-used": "8", "row-mt": "1", "crf": "34", "b": "0"}
            self.audio_rate = 48000
            self.audio = self.container.add_stream("libopus", rate=self.audio_rate)
        self.video.width, self.video.height = size
        self.audio.layout = "mono"

    def add(self, rgb: np.ndarray, alpha: np.ndarray | None = None) -> None:
        if self.alpha:
            rgba = np.dstack([rgb, (np.clip(alpha, 0, 1) * 255).astype(np.uint8)])
            frame = av.VideoFrame.from_ndarray(rgba, format="rgba")
        else:
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
        frame.pts, frame.time_base = self.index, Fraction(1, FPS)
        self.index += 1
        for packet in self.video.encode(frame):
            self.container.mux(packet)

    def finish(self, audio: np.ndarray, sample_rate: int) -> None:
        for packet in self.video.encode():
            self.container.mux(packet)
        video_samples = round(self.index / FPS * sample_rate)
        if len(audio) < video_samples:  # the picture's last frame ends up to 40 ms after the speech: pad the sound
            audio = np.concatenate([audio, np.zeros(video_samples - len(audio), np.float32)])
        if sample_rate != self.audio_rate:
            positions = np.arange(0, len(audio) * self.audio_rate / sample_rate) * sample_rate / self.audio_rate
            audio = np.interp(positions, np.arange(len(audio)), audio).astype(np.float32)
        chunk = self.audio.codec_context.frame_size or 1024
        for start in range(0, len(audio), chunk):
            piece = np.ascontiguousarray(audio[start : start + chunk], dtype=np.float32)
            frame = av.AudioFrame.from_ndarray(piece[None, :], format="flt", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = self.audio_rate, start, Fraction(1, self.audio_rate)
            for packet in self.audio.encode(frame):
                self.container.mux(packet)
        for packet in self.audio.encode():
            self.container.mux(packet)
        self.container.close()

    def abandon(self) -> None:
        try:
            self.container.close()
        except Exception:  # closing a half-written file can fail; the caller deletes it anyway
            pass


def join(paths: list[str], target: str) -> bool:
    """Scenes of one size and codec joined by copying packets (no re-encoding); False if they differ.
    Each stream continues where the previous scene's ended, so timestamps only ever grow."""
    inputs = [av.open(p) for p in paths]
    try:
        video_shapes = {(c.streams.video[0].width, c.streams.video[0].height) for c in inputs}
        codecs = {(c.streams.video[0].codec_context.name, c.streams.audio[0].codec_context.name) for c in inputs}
        if len(video_shapes) != 1 or len(codecs) != 1:
            return False
        output = av.open(target, mode="w", format=os.path.splitext(target)[1].lstrip(".") or "mp4")
        streams = {
            kind: output.add_stream_from_template(getattr(inputs[0].streams, kind)[0]) for kind in ("video", "audio")
        }
        next_start = {"video": Fraction(0), "audio": Fraction(0)}
        for container in inputs:
            first: dict[str, Fraction] = {}
            ends = dict(next_start)
            for packet in container.demux():
                if packet.dts is None:
                    continue
                kind, base = packet.stream.type, packet.stream.time_base
                dts = packet.dts * base
                first.setdefault(kind, dts)
                shift = next_start[kind] - first[kind]
                pts = (packet.pts * base if packet.pts is not None else dts) + shift
                packet.dts, packet.pts = round((dts + shift) / base), round(pts / base)
                ends[kind] = max(ends[kind], dts + shift + (packet.duration or 0) * base)
                packet.stream = streams[kind]
                output.mux(packet)
            next_start = ends
        output.close()
        return True
    finally:
        for container in inputs:
            container.close()


def thumbnail(rgb: np.ndarray, path: str, width: int = 640) -> None:
    image = Image.fromarray(rgb)
    image.thumbnail((width, width))
    image.save(path, format="JPEG", quality=85)


def gif(frames: list[np.ndarray], path: str, frame_ms: int) -> None:
    images = [Image.fromarray(f).quantize(colors=128, method=Image.Quantize.FASTOCTREE) for f in frames]
    images[0].save(path, format="GIF", save_all=True, append_images=images[1:], duration=frame_ms, loop=0)
