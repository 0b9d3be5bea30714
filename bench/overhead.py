"""1. What an action costs over a keep-alive aiohttp request to the same endpoint.

A: `integration.execute_action(name, inputs, context)`, the way the platform runs an action: input checks,
the plugin's shared connection pool, the request, envelope unwrapping, the output shape and the SDK's
output-schema check. One ExecutionContext is reused: it is the platform's, not the plugin's.
B: the baseline a user would write: one keep-alive aiohttp.ClientSession for all calls, the same GET (the
route the plugin took, with its query) with the API key, `await response.json()`.
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
import heygen  # noqa: F401  (registers every action's routes)
from heygen_core.paths import fill
from heygen_actions.cursor_pages import Cursor
from heygen_core.routes import ACTION_ROUTES, ordered

CASES = {
    # name: (action, inputs, the action's routes, goal)
    "get_video_status": ("get_video_status", None, ACTION_ROUTES["get_video_status"], 1.3),
    "list_voices (a page of 100)": ("list_voices", {"limit": 100}, ACTION_ROUTES["list_voices"], 1.3),
}


def bare_request(base: str, routes, inputs: dict) -> tuple[str, dict | None]:
    """The URL and query of the route the plugin uses now (after any fallback), built by that route itself.

    list_voices' v3 route pages by a cursor the action keeps; the first page's query is what a hand-written
    client sends too.
    """
    route = ordered(routes)[0]
    request = route.build({**inputs, "cursor": Cursor()})
    query = {key: value for key, value in (request.query or {}).items() if value is not None} or None
    return base + fill(route.path, **request.params), query


async def bare_get(session: aiohttp.ClientSession, url: str, params: dict | None) -> dict:
    async with session.get(url, params=params, headers={"X-Api-Key": API_KEY}) as response:
        return await response.json()


async def made_video(integration, context) -> str:
    """A finished video to ask about, made the way a user makes one (on whichever API the server serves)."""
    scene = {
        "character": {"type": "avatar", "avatar_id": "Angela-inblackskirt-20220820"},
        "voice": {"type": "text", "voice_id": "1bd001e7ffe04520adf63141a163d1f8", "input_text": "Hi"},
    }
    created = await run_action(integration, "create_avatar_video", {"video_inputs": [scene]}, context)
    await asyncio.sleep(0.2)  # time_scale 0.001: the video is long finished
    return created["video_id"]


async def timed(make) -> float:
    started = time.perf_counter()
    await make()
    return time.perf_counter() - started


async def compare(integration, context, base, action, inputs, routes, calls, warmup) -> dict:
    await run_action(integration, action, inputs, context)  # learns which route HeyGen serves
    url, query = bare_request(base, routes, inputs)
    session = aiohttp.ClientSession()
    action_call = lambda: run_action(integration, action, inputs, context)  # noqa: E731
    bare_call = lambda: bare_get(session, url, query)  # noqa: E731
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
    await session.close()
    return {
        "route": url[len(base) :],
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
    figures = {}
    with simulator_process("--voices-count", "100", "--time-scale", "0.001") as base:
        point_plugin_at(base)
        async with ExecutionContext(auth=AUTH) as context:
            video_id = await made_video(heygen.integration, context)
            for label, (action, inputs, routes, goal) in CASES.items():
                if action == "get_video_status":
                    inputs = {"video_id": video_id}
                figure = await compare(heygen.integration, context, base, action, inputs, routes, calls, warmup)
                figure["goal"] = goal
                if figure["median_ratio"] > goal:
                    figure["profile"] = await profile(heygen.integration, context, action, inputs)
                figures[label] = figure
    return figures
