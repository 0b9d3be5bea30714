"""Opt-in: the simulator's videos rendered by the local talking-avatar engine (engine/), so a face speaks
each text scene's script. On with SIMULATOR_RENDERER=engine (`make demo` sets it); tests keep the fast
slide-and-tone path. The picture is SIMULATOR_ENGINE_HEIGHT pixels tall (default 720) at the video's
aspect ratio, and the file lasts as long as the speech does."""

from __future__ import annotations

import atexit
import os
import shutil
import threading
import uuid

from .timeline import Timeline

AVATARS = ("professional_female_01", "professional_male_01", "casual_female_01")
_lock = threading.Lock()
_renderer = None


def enabled() -> bool:
    return os.environ.get("SIMULATOR_RENDERER", "") == "engine"


def _engine():
    global _renderer
    if _renderer is None:
        from engine.render import Renderer

        root = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "out", "simulator-engine")
        _renderer = Renderer(root)
        atexit.register(_renderer.close)
    return _renderer


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def render_video(timeline: Timeline, size: tuple[int, int], fmt: str, captions: bool) -> bytes | None:
    """The engine's MP4/WebM for the timeline's text scenes, or None when nothing is spoken."""
    texts = [(s.scene.text.strip(), s.scene.colour) for s in timeline.segments if s.scene.kind == "text"]
    texts = [(text, colour) for text, colour in texts if text]
    if not texts:
        return None
    if fmt != "mp4":  # WebM scenes cannot be joined by packet copy: one scene says it all
        texts = [(" ".join(text for text, _ in texts), texts[0][1])]
    height = int(os.environ.get("SIMULATOR_ENGINE_HEIGHT", "720"))
    scale = height / min(size)
    scenes = [
        {
            "script": text,
            "voice_id": "en_us_01",
            "avatar_id": AVATARS[n % len(AVATARS)],
            "background": "#%02x%02x%02x" % colour,
            "layout": "cutout",
            "language": "en",
        }
        for n, (text, colour) in enumerate(texts)
    ]
    spec = {"scenes": scenes, "size": [_even(size[0] * scale), _even(size[1] * scale)], "captions": captions}
    spec |= {"output_format": "mp4" if fmt == "mp4" else "webm", "resolution": f"{height}p"}
    with _lock:
        renderer = _engine()
        video_id = f"sim_{uuid.uuid4().hex[:12]}"
        result = renderer.render(video_id, spec)
        folder = os.path.join(renderer.videos_dir, video_id)
        try:
            with open(os.path.join(folder, result["file"]), "rb") as handle:
                return handle.read()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
