"""3. create_avatar_video_batch: 50 videos under a plan that runs 3 video jobs at once, created one by one.

The simulator (in this process, so its request log and job state can be read) makes every video take
VIDEO_SECONDS. The batch runs with concurrency 3 and waits for all videos. The ideal is a perfect scheduler
that starts the next video the instant a slot frees: ceil(50 / 3) x VIDEO_SECONDS. HeyGen's Retry-After is whole
seconds, so each round can lose up to a second to rounding; that is part of what is measured. Duplicates are
counted from the simulator's side: jobs created versus distinct video ids the batch reported. HeyGen's v3 batch
endpoint is left unserved here, so this is the one-by-one path (legacy, or v3 without batches); `polling` below
measures the v3 batch itself.
"""

import math
import random
import time

from autohive_integrations_sdk import ExecutionContext

from simulator import Plan, Simulator, SimulatorConfig
from simulator.testing import studio_body

from bench.common import AUTH, point_plugin_at, run_action

VIDEOS = 50
PLAN_LIMIT = 3
VIDEO_SECONDS = 2.0
SCRIPT = "One two three four five"  # 4.0 s at time_scale 1


async def measure() -> dict:
    import heygen

    random.seed(3)
    config = SimulatorConfig(
        time_scale=VIDEO_SECONDS / 4.0,
        plan=Plan(concurrent_jobs=PLAN_LIMIT),
        seed=3,
        unserved_v3=frozenset({"VideoBatchesCreate"}),
    )
    async with Simulator(config) as sim:
        point_plugin_at(sim.url)
        videos = [{**studio_body(SCRIPT), "title": f"bench video {i}"} for i in range(VIDEOS)]
        inputs = {"videos": videos, "concurrency": PLAN_LIMIT, "wait_for_completion": True, "timeout_seconds": 900}
        started = time.perf_counter()
        async with ExecutionContext(auth=AUTH) as context:
            output = await run_action(heygen.integration, "create_avatar_video_batch", inputs, context)
        elapsed = time.perf_counter() - started

        posts = sim.count_v3("VideoCreate")
        jobs_created = len(sim.state.videos)
        reported = [r["video_id"] for r in output["results"] if r["video_id"]]
        in_order = [sim.state.videos[i].title for i in reported] == [f"bench video {i}" for i in range(VIDEOS)]
        ideal = math.ceil(VIDEOS / PLAN_LIMIT) * VIDEO_SECONDS
        return {
            "videos": VIDEOS,
            "plan_limit": PLAN_LIMIT,
            "video_seconds": VIDEO_SECONDS,
            "total_seconds": elapsed,
            "ideal_seconds": ideal,
            "ratio_to_ideal": elapsed / ideal,
            "completed": sum(1 for r in output["results"] if r["status"] == "completed"),
            "failed": output["failed"],
            "posts_sent": posts,
            "posts_refused_429": posts - jobs_created,
            "jobs_created": jobs_created,
            "distinct_ids_reported": len(set(reported)),
            "duplicates": jobs_created - len(set(reported)),
            "results_in_input_order": in_order,
            "status_calls": sum(sim.count_v3("VideoGet", video_id=video_id) for video_id in set(reported)),
        }
