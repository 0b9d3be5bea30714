"""Real-time factor of the local talking-avatar engine: a 60-second script rendered end to end (speech,
face, cut-out, drawing, H.264 + AAC encoding) at 720p and 360p, each in a fresh process, with peak memory.

RTF = wall-clock render time / video duration (goals: 720p <= 1.0, 360p <= 0.3; peak memory <= 1 GB).
"cold" times a fresh process (voice model load, avatar preparation, GrabCut included); "warm" times the
next job in the same process, as the running API server renders it.
The baseline, measured in the same run, is encoding the same number of frames of one still picture with
the same encoder settings: the share of the time that is drawing the face rather than encoding.

Run: .venv/bin/python -m bench.engine   (or `make bench-engine`; `make bench` runs it too)
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

GOALS = {"720p": 1.0, "360p": 0.3}
PEAK_GOAL_MB = 1024


def _script() -> str:
    from engine.scripts import offline_script

    return offline_script("working from home", "professional", 1.15, "")  # about 60 s as Piper speaks it


def measure(resolution: str) -> dict:
    """One render in this process (called in a child process by main)."""
    from engine import encode
    from engine.render import Renderer
    from engine.validation import video_spec

    with tempfile.TemporaryDirectory(prefix="bench-engine-") as folder:
        started = time.perf_counter()
        renderer = Renderer(folder)
        spec = video_spec({"script": _script(), "resolution": resolution}, renderer)
        result = renderer.render("bench", spec)
        elapsed = time.perf_counter() - started  # cold: a fresh process, models loaded inside the timing
        warm_started = time.perf_counter()
        renderer.render("bench-warm", video_spec({"script": _script(), "resolution": resolution}, renderer))
        warm = time.perf_counter() - warm_started  # warm: as a running server renders its next job
        renderer.close()
        frames = round(result["duration"] * encode.FPS)
        still = np.full((spec["size"][1], spec["size"][0], 3), 90, np.uint8)
        still[::7] = 200  # some texture so the encoder has work comparable to a picture
        base_started = time.perf_counter()
        writer = encode.VideoWriter(os.path.join(folder, "baseline.mp4"), tuple(spec["size"]))
        for _ in range(frames):
            writer.add(still)
        writer.finish(np.zeros(int(result["duration"] * 22050), np.float32), 22050)
        baseline = time.perf_counter() - base_started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    speech = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "resolution": resolution,
        "duration": result["duration"],
        "render_seconds": round(elapsed, 2),
        "rtf": round(elapsed / result["duration"], 3),
        "warm_seconds": round(warm, 2),
        "warm_rtf": round(warm / result["duration"], 3),
        "encode_only_seconds": round(baseline, 2),
        "peak_engine_mb": round(own),
        "peak_speech_worker_mb": round(speech),
        "words": len(spec["scenes"][0]["script"].split()),
    }


def main() -> int:
    results = []
    for resolution in ("720p", "360p"):
        child = subprocess.run(
            [sys.executable, "-m", "bench.engine", "--one", resolution], capture_output=True, text=True, check=False
        )
        if child.returncode != 0:
            print(f"{resolution}: the render failed:\n{child.stderr[-2000:]}")
            return 1
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    print("Local talking-avatar engine: a 60 s script rendered end to end (2 shared cores)")
    for r in results:
        goal = GOALS[r["resolution"]]
        peak = r["peak_engine_mb"] + r["peak_speech_worker_mb"]
        print(
            f"  {r['resolution']}: {r['words']} words, {r['duration']:.1f} s of video in {r['render_seconds']:.1f} s: "
            f"RTF {r['rtf']:.3f} cold (goal <= {goal}: {'met' if r['rtf'] <= goal else 'NOT met'}), "
            f"{r['warm_rtf']:.3f} warm ({r['warm_seconds']:.1f} s: {'met' if r['warm_rtf'] <= goal else 'NOT met'}); "
            f"encode-only baseline {r['encode_only_seconds']:.1f} s "
            f"({r['render_seconds'] / max(r['encode_only_seconds'], 0.01):.1f}x); "
            f"peak memory {r['peak_engine_mb']} MB engine + {r['peak_speech_worker_mb']} MB speech worker = {peak} MB "
            f"(goal <= {PEAK_GOAL_MB}: {'met' if peak <= PEAK_GOAL_MB else 'NOT met'})"
        )
    out = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "out", "bench")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "engine.json"), "w") as handle:
        json.dump(results, handle, indent=2)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(measure(sys.argv[2])))
        sys.exit(0)
    sys.exit(main())
