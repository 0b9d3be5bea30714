"""1. What an action costs over a bare aiohttp request to the same endpoint.

A: `integration.execute_action(name, inputs, context)`, the way the platform runs an action: input checks,
the plugin's own aiohttp session (it opens one per action run), the request, envelope unwrapping, the output
shape and the SDK's output-schema check. One ExecutionContext is reused: it is the platform's, not the plugin's.
B: the bare baseline: a new aiohttp.ClientSession per call (as the plugin does), one GET with the API key,
`await response.json()`.
A and B alternate (ABBA...) so drift in the machine's speed hits both alike; the figure is the median of the
per-pair ratios A/B. The simulator runs in its own process.
"""

import asyncio
import cProfile
import io
import pstats
import time

import aiohttp
from autohive_integrations_sdk import ExecutionContext

from bench.common import API_KEY, AUTH, median, point_plugin_at, run_action, simulator_process

CASES = {
    # name: (action, inputs, bare path, bare query, goal)
    "get_video_status": ("get_video_status", None, "/v1/video_status.get", None, 1.6),
    "list_voices (2,000 voices)": ("list_voices", {}, "/v2/voices", None, 1.5),
}


async def bare_get(url: str, params: dict | None) -> dict:
    async with aiohttp.ClientSession() as session:
        async with session.get(url, params=params, headers={"X-Api-Key": API_KEY}) as response:
            return await response.json()


async def made_video(base: str) -> str:
    body = {
        "video_inputs": [
            {
                "character": {"type": "avatar", "avatar_id": "Angela-inblackskirt-20220820"},
                "voice": {"type": "text", "voice_id": "1bd001e7ffe04520adf63141a163d1f8", "input_text": "Hi"},
            }
        ]
    }
    async with aiohttp.ClientSession(headers={"X-Api-Key": API_KEY}) as session:
        async with session.post(base + "/v2/video/generate", json=body) as response:
            video_id = (await response.json())["data"]["video_id"]
        await asyncio.sleep(0.2)  # time_scale 0.001: the video is long finished
    return video_id


async def timed(make) -> float:
    started = time.perf_counter()
    await make()
    return time.perf_counter() - started


async def compare(integration, context, base, action, inputs, path, query, calls, warmup) -> dict:
    action_call = lambda: run_action(integration, action, inputs, context)  # noqa: E731
    bare_call = lambda: bare_get(base + path, query)  # noqa: E731
    a_times, b_times, ratios = [], [], []
    for i in range(warmup + calls):
        if i % 2:
            b, a = await timed(bare_call), await timed(action_call)
        else:
            a, b = await timed(action_call), await timed(bare_call)
        if i >= warmup:
            a_times.append(a)
            b_times.append(b)
            ratios.append(a / b)
    return {
        "calls": calls,
        "action_median_ms": median(a_times) * 1e3,
        "bare_median_ms": median(b_times) * 1e3,
        "median_ratio": median(ratios),
        "ratio_of_medians": median(a_times) / median(b_times),
    }


async def profile(integration, context, action, inputs, calls: int = 150, top: int = 12) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        await run_action(integration, action, inputs, context)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


async def measure(calls: int = 300, warmup: int = 30) -> dict:
    import heygen

    figures = {}
    with simulator_process("--voices-count", "2000", "--time-scale", "0.001") as base:
        point_plugin_at(base)
        video_id = await made_video(base)
        async with ExecutionContext(auth=AUTH) as context:
            for label, (action, inputs, path, query, goal) in CASES.items():
                if action == "get_video_status":
                    inputs, query = {"video_id": video_id}, {"video_id": video_id}
                figure = await compare(heygen.integration, context, base, action, inputs, path, query, calls, warmup)
                figure["goal"] = goal
                if figure["median_ratio"] > goal:
                    figure["profile"] = await profile(heygen.integration, context, action, inputs)
                figures[label] = figure
    return figures
