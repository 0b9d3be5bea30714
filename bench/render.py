"""What the simulator's video files cost to render: 60 s, 240 s and 600 s scripts at the default 320 px long
side and at 1280x720 (``render_long_side=None``), one H.264 MP4 each, on this machine's CPU.

Run: .venv/bin/python -m bench.render
"""

import time

from simulator import media
from simulator.timeline import PALETTE, Scene, Timeline

LINE = "Twelve words of script make one scene of four point eight seconds"  # 12 words: 4.8 s at 150 wpm
LENGTHS = (60, 240, 600)
SIZES = {"320x180 (default)": 320, "1280x720 (asked size)": None}


def timeline_of(seconds: float) -> Timeline:
    count = round(seconds / 4.8)
    return Timeline.of([Scene("text", 4.8, LINE, PALETTE[i % len(PALETTE)], "Angela") for i in range(count)])


def main() -> int:
    print(f"{'video':>8}  {'file size':<22} {'render':>8} {'MB':>6}")
    for seconds in LENGTHS:
        timeline = timeline_of(seconds)
        for label, long_side in SIZES.items():
            size = media.render_size(1280, 720, long_side)
            start = time.perf_counter()
            data = media.render_video(timeline, "Bench", size)
            took = time.perf_counter() - start
            print(f"{timeline.duration:>7.0f}s  {label:<22} {took:>7.2f}s {len(data) / 1e6:>6.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
