"""Renders on many machines: the same jobs through arq (a Redis-backed queue). The API enqueues; a worker
on each machine (`python -m engine worker`) renders into the shared data folder and records the outcome."""

from __future__ import annotations

import asyncio
import os

from arq import create_pool
from arq.connections import RedisSettings
from arq.worker import Worker

from .jobs import JobStore, run_job

QUEUE_NAME = "engine:renders"


async def connect(redis_url: str):
    return await create_pool(RedisSettings.from_dsn(redis_url), default_queue_name=QUEUE_NAME)


async def enqueue(engine, video_id: str, spec: dict) -> None:
    if engine.queue is None:
        engine.queue = await connect(engine.settings.redis_url)
    await engine.queue.enqueue_job("render_video", video_id, spec, _job_id=video_id, _queue_name=QUEUE_NAME)


async def render_video(ctx: dict, video_id: str, spec: dict) -> str:
    record = await asyncio.to_thread(run_job, ctx["renderer"], ctx["store"], video_id, spec)
    return record["status"]


def make_worker(redis_url: str, data_dir: str, jobs: int = 1, burst: bool = False) -> Worker:
    from .render import Renderer

    renderer = Renderer(data_dir)

    async def shutdown(ctx):
        renderer.close()

    return Worker(
        functions=[render_video],
        redis_settings=RedisSettings.from_dsn(redis_url),
        queue_name=QUEUE_NAME,
        max_jobs=max(1, jobs),
        job_timeout=3600,
        burst=burst,
        ctx={"renderer": renderer, "store": JobStore(data_dir)},
        on_shutdown=shutdown,
        handle_signals=not burst,
    )


def run_worker(redis_url: str, data_dir: str, jobs: int) -> None:
    os.makedirs(data_dir, exist_ok=True)
    make_worker(redis_url, data_dir, jobs).run()
