"""`python -m engine serve` (the API), `python -m engine worker` (a queue worker), `python -m engine render`."""

from __future__ import annotations

import argparse
import json
import logging
import sys

from .http_common import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine", description="Local talking-avatar engine")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the REST API (default 127.0.0.1:8000, under /api/v1)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--data-dir")
    worker = commands.add_parser("worker", help="render jobs from the Redis queue (ENGINE_REDIS_URL)")
    worker.add_argument("--data-dir")
    worker.add_argument("--jobs", type=int, default=1)
    render = commands.add_parser("render", help="render one video from a JSON request (as POST /videos/create takes)")
    render.add_argument("request", help="a JSON file, or - for standard input")
    render.add_argument("--data-dir")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if getattr(args, "data_dir", None):
        settings.data_dir = args.data_dir
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if args.command == "serve":
        from aiohttp import web

        from .server import make_app

        host, port = args.host or settings.host, args.port or settings.port
        web.run_app(
            make_app(settings),
            host=host,
            port=port,
            print=lambda _: print(f"engine serving http://{host}:{port}/api/v1"),
        )
        return 0
    if args.command == "worker":
        if not settings.redis_url:
            print("ENGINE_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/0)", file=sys.stderr)
            return 2
        from .queue import run_worker

        run_worker(settings.redis_url, settings.data_dir, args.jobs)
        return 0
    from .errors import EngineError
    from .jobs import new_id
    from .render import Renderer
    from .validation import video_spec

    body = json.load(sys.stdin if args.request == "-" else open(args.request))
    renderer = Renderer(settings.data_dir)
    try:
        video_id = new_id("video")
        result = renderer.render(video_id, video_spec(body, renderer))
    except EngineError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 1
    finally:
        renderer.close()
    print(
        json.dumps(
            {
                "video_id": video_id,
                "folder": f"{renderer.videos_dir}/{video_id}",
                **{k: result[k] for k in ("file", "duration", "file_size", "render_seconds")},
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
