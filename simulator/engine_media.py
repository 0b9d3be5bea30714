"""Opt-in: the simulator's videos rendered by the local talking-avatar engine (engine/), so a face speaks
each text scene's script. On with SIMULATOR_RENDERER=engine (`make demo` sets it); tests keep the fast
slide-and-tone path. The picture is SIMULATOR_ENGINE_HEIGHT pixels tall (default 720) at the video's
aspect ratio; a spoken scene lasts as long as its speech, a silence keeps its length."""

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


def _scenes(timeline: Timeline, joined: bool) -> list[dict]:
    """Text scenes spoken by the engine's avatars; silences and audio inputs (whose files the simulator
    never fetches) become silent scenes of the same length, so the file keeps the timeline's pauses."""
    if joined:  # WebM scenes cannot be joined by packet copy: one scene says it all
        text = " ".join(s.scene.text.strip() for s in timeline.segments if s.scene.kind == "text").strip()
        first = timeline.segments[0].scene.colour
        return [{"script": text, "avatar_id": AVATARS[0], "background": "#%02x%02x%02x" % first}] if text else []
    scenes, spoken = [], 0
    for segment in timeline.segments:
        scene = {
            "avatar_id": AVATARS[max(0, spoken - 1) % len(AVATARS)],
            "background": "#%02x%02x%02x" % segment.scene.colour,
        }
        if segment.scene.kind == "text" and segment.scene.text.strip():
            scene |= {"script": segment.scene.text.strip(), "avatar_id": AVATARS[spoken % len(AVATARS)]}
            spoken += 1
        else:
            scene["pause_seconds"] = max(0.2, segment.end - segment.start)
        scenes.append(scene)
    return scenes if spoken else []


def render_video(timeline: Timeline, size: tuple[int, int], fmt: str, captions: bool) -> bytes | None:
    """The engine's MP4/WebM for the timeline, or None when nothing in it is spoken."""
    scenes = _scenes(timeline, joined=fmt != "mp4")
    if not scenes:
        return None
    for scene in scenes:
        scene |= {"voice_id": "en_us_01", "layout": "cutout", "language": "en"}
    height = int(os.environ.get("SIMULATOR_ENGINE_HEIGHT", "720"))
    scale = height / min(size)
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
