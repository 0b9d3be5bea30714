"""3b. Waiting on a 100-video batch: status requests per poll, v3 batch against the one-by-one path.

Both runs use the simulator in this process, a plan that runs all 100 videos at once (so only the way of
creating and polling differs) and videos of VIDEO_SECONDS each. The v3 run is create_avatar_video_batch as it is:
one POST /v3/videos/batches, then one GET /v3/videos/statuses per poll for the whole batch, and each finished
video's links read once with GET /v3/videos/{id}. The baseline is the per-video polling a user would otherwise do
(the plugin's old path, taken when HeyGen serves no batches): one POST /v3/videos and one GET /v3/videos/{id} per
video per poll. Requests per poll = status requests / polls (polls: the most any one video was asked about, for
the baseline; statuses requests, for the batch). The ideal wall time is VIDEO_SECONDS: every video created at
once and noticed the instant it finishes.
"""

import asyncio
import json
import logging
import time

from autohive_integrations_sdk import ExecutionContext

from bench.common import AUTH, point_plugin_at, run_action
from simulator import Plan, Simulator, SimulatorConfig
from simulator.testing import studio_body

VIDEOS = 100
VIDEO_SECONDS = 2.0
SCRIPT = "One two three four five"  # 4.0 s at time_scale 1
STATUSES_PATH = "/v3/videos/statuses"


async def run_once(batches: bool) -> dict:
    import heygen
    from heygen_core.routes import forget_missing_routes

    forget_missing_routes()
    unserved = frozenset() if batches else frozenset({"VideoBatchesCreate"})
    config = SimulatorConfig(
        time_scale=VIDEO_SECONDS / 4.0, plan=Plan(concurrent_jobs=VIDEOS), seed=5, unserved_v3=unserved
    )
    async with Simulator(config) as sim:
        point_plugin_at(sim.url)
        videos = [{**studio_body(SCRIPT), "title": f"poll bench {i}"} for i in range(VIDEOS)]
        inputs = {"videos": videos, "concurrency": 10, "wait_for_completion": True, "timeout_seconds": 300}
        started = time.perf_counter()
        async with ExecutionContext(auth=AUTH) as context:
            output = await run_action(heygen.integration, "create_avatar_video_batch", inputs, context)
        elapsed = time.perf_counter() - started
        ids = [r["video_id"] for r in output["results"] if r["video_id"]]
        per_video = [sim.count_v3("VideoGet", video_id=video_id) for video_id in ids]
        statuses = sim.count("GET", STATUSES_PATH)
        status_requests = statuses if batches else sum(per_video)
        polls = statuses if batches else max(per_video)
        return {
            "path": "v3 batch" if batches else "one by one (baseline)",
            "completed": sum(1 for r in output["results"] if r["status"] == "completed"),
            "creates": sim.count_v3("VideoBatchesCreate") if batches else sim.count_v3("VideoCreate"),
            "polls": polls,
            "status_requests": status_requests,
            "requests_per_poll": status_requests / polls if polls else 0.0,
            "link_reads": sum(per_video) if batches else 0,
            "total_requests": len(sim.requests),
            "wall_seconds": elapsed,
            "ideal_seconds": VIDEO_SECONDS,
            "ratio_to_ideal": elapsed / VIDEO_SECONDS,
        }


async def measure() -> dict:
    return {"baseline": await run_once(batches=False), "batch": await run_once(batches=True), "videos": VIDEOS}


def report(figures: dict) -> list[tuple]:
    print(f"\n3b. Waiting on a {figures['videos']}-video batch\n" + "-" * 34)
    print(__doc__.split("\n\n", 1)[1].strip())
    for key in ("baseline", "batch"):
        f = figures[key]
        print(
            f"  {f['path']:<22} {f['completed']} completed; {f['creates']} create request(s); {f['polls']} polls, "
            f"{f['status_requests']} status requests = {f['requests_per_poll']:.1f} per poll; {f['link_reads']} link "
            f"reads; {f['total_requests']} requests in all; wall {f['wall_seconds']:.2f} s against the ideal "
            f"{f['ideal_seconds']:.1f} s ({f['ratio_to_ideal']:.2f}x)"
        )
    before, after = figures["baseline"], figures["batch"]
    return [
        (
            f"batch of {figures['videos']}: status requests per poll",
            f"{after['requests_per_poll']:.1f}",
            "1",
            f"one by one: {before['requests_per_poll']:.1f}",
        ),
        (
            f"batch of {figures['videos']}: wall time vs ideal",
            f"{after['wall_seconds']:.2f} s / {after['ideal_seconds']:.1f} s",
            "-",
            f"one by one: {before['wall_seconds']:.2f} s",
        ),
    ]


def main() -> int:
    logging.disable(logging.CRITICAL)
    figures = asyncio.run(measure())
    report(figures)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
