"""The simulator's opt-in engine renderer: with SIMULATOR_RENDERER=engine its MP4 shows a face speaking."""

import pytest

from simulator import media
from simulator.timeline import Scene, Timeline
from tests.engine_helpers import decode, face_box


def test_simulator_videos_show_a_speaking_face_when_the_engine_renders_them(monkeypatch):
    monkeypatch.setenv("SIMULATOR_RENDERER", "engine")
    monkeypatch.setenv("SIMULATOR_ENGINE_HEIGHT", "360")
    timeline = Timeline.of([Scene("text", 2.0, "Hello from the simulator."), Scene("silence", 1.0)])
    frames, audio, rate, fps = decode(media.render_video(timeline, "Title", media.render_size(1280, 720)))
    assert frames[0].shape == (360, 640, 3)
    assert all(face_box(frame) is not None for frame in frames[::5])
    assert 2.2 <= len(frames) / fps <= 5.0 and abs(len(audio) / rate - len(frames) / fps) < 0.2  # speech + 1 s pause
    assert all(face_box(frame) is not None for frame in frames[-20:])  # the silent scene still shows the avatar


def test_the_fast_path_stays_the_default(monkeypatch):
    monkeypatch.delenv("SIMULATOR_RENDERER", raising=False)
    timeline = Timeline.of([Scene("text", 2.0, "Hello from the simulator.")])
    frames, _, _, fps = decode(media.render_video(timeline, "Title", media.render_size(1280, 720)))
    assert frames[0].shape[1] == media.LONG_SIDE and len(frames) / fps == pytest.approx(2.0, abs=0.1)
