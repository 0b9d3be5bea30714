"""Renders a two-scene 720p video with the engine and saves four stills from it: mouth open, mouth shut,
a blink, and the second scene. Usage: .venv/bin/python scripts/engine_stills.py OUT_FOLDER"""

from __future__ import annotations

import os
import sys
import tempfile

import av
import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from engine import encode  # noqa: E402
from engine.animation import _blinks  # noqa: E402
from engine.render import Renderer  # noqa: E402
from engine.validation import video_spec  # noqa: E402

SCENES = [
    {"script": "Hello! I am an astronaut, and this video was made on one small computer.", "voice_id": "en_us_01"},
    {
        "script": "And I am a drawn presenter. Thanks for watching!",
        "avatar_id": "casual_female_01",
        "voice_id": "en_us_02",
        "background": "#2d5b7a",
    },
]


def main(out: str) -> int:
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        renderer = Renderer(folder)
        try:
            result = renderer.render("stills", video_spec({"scenes": SCENES, "resolution": "720p"}, renderer))
        finally:
            renderer.close()
        with av.open(os.path.join(folder, "videos", "stills", "video.mp4")) as container:
            frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
        with av.open(os.path.join(folder, "videos", "stills", "video.mp4")) as container:
            audio = np.concatenate([f.to_ndarray().mean(axis=0) for f in container.decode(audio=0)])
    rate = 22050
    first = round(result["scenes"][1]["start"] * encode.FPS)
    loud = [float(np.sqrt(np.mean(audio[int(i / 25 * rate) : int((i + 1) / 25 * rate)] ** 2))) for i in range(first)]
    loud_second = [
        float(np.sqrt(np.mean(audio[int(i / 25 * rate) : int((i + 1) / 25 * rate)] ** 2)))
        for i in range(first, len(frames))
    ]
    blink = next(i for i, b in enumerate(_blinks(first, encode.FPS, 7)) if b >= 1.0)
    picks = {
        "mouth-open": int(np.argmax(loud)),
        "mouth-shut": next(i for i in range(first - 1, 0, -1) if max(loud[max(0, i - 3) : i + 4]) < 0.003),
        "blink": blink,
        "second-scene": first + int(np.argmax(loud_second)),
    }
    for name, index in picks.items():
        Image.fromarray(frames[index]).save(os.path.join(out, f"{name}.png"))
        print(f"{name}: frame {index} ({index / encode.FPS:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "out/stills"))
