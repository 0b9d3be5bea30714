"""Real media files for the simulator's URLs: MP4/WebM videos, JPEG stills, animated GIFs,
WebVTT captions and MP3 tones, built with PyAV and Pillow (there is no ffmpeg binary).

Everything is small on purpose (320 px on the long side by default, in the asked aspect ratio, 12 fps,
mono audio) so a one-minute video renders in about a second (about five at 1280x720). Functions are
synchronous and pure; the media route runs them in a worker thread and caches the bytes. Videos made in
test mode (``watermark``) carry a "HeyGen TEST" band across every frame, as HeyGen watermarks test videos.
"""

from __future__ import annotations

import array
import io
import math
import textwrap
from fractions import Fraction

import av
from PIL import Image, ImageDraw

from . import engine_media
from .fonts import draw_line, draw_lines, font_for
from .timeline import PALETTE, Scene, Timeline

FPS = 12
LONG_SIDE = 320
TONE_AMPLITUDE = 0.08
WATERMARK = "HeyGen TEST"


def render_size(width: int, height: int, long_side: int | None = LONG_SIDE) -> tuple[int, int]:
    """The requested aspect ratio at ``long_side`` pixels (None: the requested size itself), with even
    sides (yuv420p needs them)."""
    scale = 1.0 if long_side is None else long_side / max(width, height, 1)
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def stamp(image: Image.Image) -> Image.Image:
    """The test-mode watermark: a dark band across the middle with "HeyGen TEST" in white, drawn in place."""
    w, h = image.size
    size = max(10, min(w, h) // 8)
    draw = ImageDraw.Draw(image)
    top = h // 2 - size
    draw.rectangle([0, top, w, top + 2 * size], fill=(20, 20, 20))
    width = draw.textlength(WATERMARK, font=font_for("H", size))
    draw_line(draw, (max(2, int((w - width) / 2)), top + size // 2), WATERMARK, size, (255, 255, 255))
    return image


def _lighter(colour: tuple[int, int, int], amount: int = 70) -> tuple[int, int, int]:
    return tuple(min(255, c + amount) for c in colour)


def still(
    size: tuple[int, int], colour: tuple[int, int, int], title: str, text: str = "", label: str = ""
) -> Image.Image:
    """A presenter-style card: background, a simple silhouette, the title and some of the script."""
    w, h = size
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    figure = _lighter(colour)
    cx, head = int(w * 0.72), max(6, min(w, h) // 7)
    draw.ellipse([cx - head, h // 2 - 2 * head, cx + head, h // 2], fill=figure)
    draw.ellipse([cx - 2 * head, h // 2 + head // 4, cx + 2 * head, h + 2 * head], fill=figure)
    font_size = max(9, min(w, h) // 12)
    draw_line(draw, (8, 6), title[:40], font_size, (255, 255, 255))
    if text:
        lines = textwrap.wrap(text, width=max(10, int(w * 0.55 / (font_size * 0.5))))[:4]
        draw_lines(draw, (8, 10 + 2 * font_size), lines, max(8, font_size - 3), (235, 235, 235))
    if label:
        draw_line(draw, (8, h - 8 - font_size), label[:40], max(8, font_size - 3), (220, 220, 220))
    return image


def _scene_still(size: tuple[int, int], scene: Scene, title: str, watermark: bool = False) -> Image.Image:
    shown = scene.text if scene.kind == "text" else f"[{scene.kind}]"
    image = still(size, scene.colour, title, shown, scene.label)
    return stamp(image) if watermark else image


def jpeg(image: Image.Image, quality: int = 80) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def card_jpeg(label: str, index: int = 0, size: tuple[int, int] = (240, 320)) -> bytes:
    """A portrait-ish still for catalogue previews and generated photos."""
    return jpeg(still(size, PALETTE[index % len(PALETTE)], label))


def thumbnail_jpeg(timeline: Timeline, title: str, size: tuple[int, int], watermark: bool = False) -> bytes:
    return jpeg(_scene_still(size, timeline.segments[0].scene, title, watermark))


def animated_gif(
    timeline: Timeline, title: str, size: tuple[int, int], frames: int = 6, watermark: bool = False
) -> bytes:
    small = (max(2, size[0] // 2), max(2, size[1] // 2))
    images = []
    for i in range(frames):
        t = timeline.duration * i / frames
        image = _scene_still(small, timeline.at(t).scene, title, watermark)
        ImageDraw.Draw(image).rectangle([0, small[1] - 3, int(small[0] * (i + 1) / frames), small[1]], fill="white")
        images.append(image.convert("P", palette=Image.Palette.ADAPTIVE))
    out = io.BytesIO()
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:], duration=250, loop=0)
    return out.getvalue()


def _vtt_time(t: float) -> str:
    ms = round(t * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def webvtt(timeline: Timeline) -> bytes:
    lines = ["WEBVTT", ""]
    for n, (start, end, text) in enumerate(timeline.cues(), 1):
        lines += [str(n), f"{_vtt_time(start)} --> {_vtt_time(end)}", text, ""]
    return "\n".join(lines).encode()


def _tone(seconds: float, rate: int, freq: float) -> array.array:
    count = round(seconds * rate)
    if freq <= 0:
        return array.array("f", bytes(4 * count))
    period = [TONE_AMPLITUDE * math.sin(2 * math.pi * freq * i / rate) for i in range(rate)]
    one_second = array.array("f", period)
    whole, rest = divmod(count, rate)
    return one_second * whole + one_second[:rest]


def _soundtrack(timeline: Timeline, rate: int) -> array.array:
    """A quiet tone while someone speaks, a different one for audio inputs, nothing for silences."""
    samples = array.array("f")
    freq = {"text": 220.0, "audio": 330.0, "silence": 0.0}
    for segment in timeline.segments:
        samples.extend(_tone(segment.end - segment.start, rate, freq[segment.scene.kind]))
    total = round(timeline.duration * rate)
    return samples[:total] + array.array("f", bytes(4 * max(0, total - len(samples))))


def _encode_audio(container, stream, samples: array.array, rate: int) -> None:
    chunk = stream.codec_context.frame_size or 1024
    for start in range(0, len(samples), chunk):
        piece = samples[start : start + chunk]
        frame = av.AudioFrame(format="flt", layout="mono", samples=len(piece))
        frame.planes[0].update(piece.tobytes())
        frame.sample_rate = rate
        frame.pts = start
        frame.time_base = Fraction(1, rate)
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)


def render_video(
    timeline: Timeline,
    title: str,
    size: tuple[int, int],
    fmt: str = "mp4",
    captions: bool = False,
    watermark: bool = False,
) -> bytes:
    """A playable video whose length is the timeline's: H.264 + AAC in MP4, or VP8 + Opus in WebM.
    With SIMULATOR_RENDERER=engine, the local engine renders a face speaking the script instead
    (without the test-mode watermark)."""
    if engine_media.enabled() and (rendered := engine_media.render_video(timeline, size, fmt, captions)) is not None:
        return rendered
    out = io.BytesIO()
    video_codec, audio_codec, rate = ("libx264", "aac", 24000) if fmt == "mp4" else ("libvpx", "libopus", 48000)
    container = av.open(out, mode="w", format=fmt)
    video = container.add_stream(video_codec, rate=FPS)
    video.width, video.height, video.pix_fmt = size[0], size[1], "yuv420p"
    video.options = {"preset": "ultrafast"} if fmt == "mp4" else {"deadline": "realtime", "cpu-used": "8"}
    audio = container.add_stream(audio_codec, rate=rate)
    audio.layout = "mono"

    cues = timeline.cues() if captions else []
    stills: dict[int, Image.Image] = {}
    frames = max(1, round(timeline.duration * FPS))
    for i in range(frames):
        t = i / FPS
        segment = timeline.at(t)
        index = timeline.segments.index(segment)
        if index not in stills:
            stills[index] = _scene_still(size, segment.scene, title, watermark)
        image = stills[index].copy()
        draw = ImageDraw.Draw(image)
        draw.rectangle([0, size[1] - 4, int(size[0] * (i + 1) / frames), size[1]], fill=(255, 255, 255))
        caption = next((text for start, end, text in cues if start <= t < end), None)
        if caption:
            draw.rectangle([0, size[1] - 24, size[0], size[1] - 5], fill=(0, 0, 0))
            draw_line(draw, (6, size[1] - 22), caption, 11, (255, 255, 0))
        frame = av.VideoFrame.from_image(image)
        frame.pts = i
        frame.time_base = Fraction(1, FPS)
        for packet in video.encode(frame):
            container.mux(packet)
    for packet in video.encode():
        container.mux(packet)
    _encode_audio(container, audio, _soundtrack(timeline, rate), rate)
    container.close()
    return out.getvalue()


def mp3_tone(seconds: float = 1.0, freq: float = 440.0) -> bytes:
    """A short tone (voice previews, sound effects, template music)."""
    out = io.BytesIO()
    rate = 24000
    container = av.open(out, mode="w", format="mp3")
    stream = container.add_stream("libmp3lame", rate=rate)
    stream.layout = "mono"
    _encode_audio(container, stream, _tone(seconds, rate, freq), rate)
    container.close()
    return out.getvalue()


def preview_video(label: str, index: int = 0, seconds: float = 2.0, size: tuple[int, int] = (320, 180)) -> bytes:
    """A short clip for catalogue preview_video_url and motion avatars' motion_preview_url."""
    scene = Scene("text", seconds, label, PALETTE[index % len(PALETTE)], label)
    return render_video(Timeline.of([scene]), label, size)
