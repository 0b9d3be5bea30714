"""``python -m simulator --port 8765``: serve the HeyGen simulator on loopback until Ctrl-C or SIGTERM.

Prints one line with the URL; point HEYGEN_API_URL and HEYGEN_UPLOAD_URL at it.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from .config import LEGACY_MODES, PLAN_PRESETS, Faults, Plan, SimulatorConfig
from .server import Simulator


def _slow_path(text: str) -> tuple[str, float]:
    path, sep, seconds = text.rpartition("=")
    if not sep or not path.startswith("/"):
        raise argparse.ArgumentTypeError(f"expected PATH=SECONDS, got {text!r}")
    return path, float(seconds)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m simulator", description="A local HeyGen-compatible API server.")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765, help="0 picks a free port (default 8765)")
    p.add_argument("--time-scale", type=float, default=1.0, help="multiplies every job duration (default 1.0)")
    p.add_argument("--plan", choices=list(PLAN_PRESETS), default="pro")
    p.add_argument("--concurrent-jobs", type=int, help="override the plan's concurrent video jobs")
    p.add_argument("--max-video-seconds", type=float, help="override the plan's longest video")
    p.add_argument("--api-key", action="append", dest="api_keys", help="accepted key/token (repeatable; default any)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--avatars-count", type=int, default=30)
    p.add_argument("--talking-photos-count", type=int, default=10)
    p.add_argument("--voices-count", type=int, default=60)
    p.add_argument("--render-cap-seconds", type=float, default=300.0, help="longest file rendered (0: no cap)")
    p.add_argument(
        "--render-long-side", type=int, default=320, help="long side of rendered files in px (0: the asked size)"
    )
    p.add_argument(
        "--legacy",
        choices=LEGACY_MODES,
        default=None,
        help="v1/v2 paths: served, deprecated (Deprecation/Sunset headers, body warning) or retired (404: the default)",
    )
    p.add_argument("--header-timeout", type=float, default=10.0, help="seconds a client has to send its headers")
    p.add_argument("--body-timeout", type=float, default=30.0, help="seconds a client has to send its body")
    f = p.add_argument_group("faults (see simulator/config.py Faults)")
    f.add_argument("--error-rate", type=float, default=0.0)
    f.add_argument("--latency-ms", type=int, default=0)
    f.add_argument("--burst-429", type=int, default=0)
    f.add_argument("--retry-after", type=int, default=1)
    f.add_argument("--retry-after-form", choices=["seconds", "http-date"], default="seconds")
    f.add_argument("--slow-path", type=_slow_path, action="append", default=[], metavar="PATH=SECONDS")
    f.add_argument("--status-503", type=int, default=0)
    f.add_argument("--drop-before-processing", type=int, default=0)
    f.add_argument("--drop-after-processing", type=int, default=0)
    f.add_argument("--broken-json", type=int, default=0)
    f.add_argument("--html-error", type=int, default=0)
    f.add_argument("--fault-path-prefix", help="limit faults to paths starting with this")
    f.add_argument("--fault-method", help="limit faults to this HTTP method")
    return p.parse_args(argv)


def config_from_args(args: argparse.Namespace) -> SimulatorConfig:
    plan = Plan.named(args.plan)
    if args.concurrent_jobs is not None:
        plan.concurrent_jobs = args.concurrent_jobs
    if args.max_video_seconds is not None:
        plan.max_video_seconds = args.max_video_seconds
    faults = Faults(
        error_rate=args.error_rate,
        latency_ms=args.latency_ms,
        burst_429=args.burst_429,
        retry_after=args.retry_after,
        retry_after_form=args.retry_after_form,
        slow_paths=dict(args.slow_path),
        status_503=args.status_503,
        drop_before_processing=args.drop_before_processing,
        drop_after_processing=args.drop_after_processing,
        broken_json=args.broken_json,
        html_error=args.html_error,
        path_prefix=args.fault_path_prefix,
        method=args.fault_method,
    )
    return SimulatorConfig(
        time_scale=args.time_scale,
        plan=plan,
        faults=faults,
        api_keys=set(args.api_keys) if args.api_keys else None,
        host=args.host,
        port=args.port,
        seed=args.seed,
        avatars_count=args.avatars_count,
        talking_photos_count=args.talking_photos_count,
        voices_count=args.voices_count,
        render_cap_seconds=args.render_cap_seconds or None,
        render_long_side=args.render_long_side or None,
        **({"legacy": args.legacy} if args.legacy else {}),  # else HEYGEN_SIM_LEGACY, or retired
        header_timeout_seconds=args.header_timeout,
        body_timeout_seconds=args.body_timeout,
    )


async def serve(config: SimulatorConfig) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with Simulator(config) as sim:
        print(
            f"HeyGen simulator listening on {sim.url} (plan {config.plan.name}, time_scale {config.time_scale}, "
            f"v1/v2 {config.legacy})",
            flush=True,
        )
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    asyncio.run(serve(config_from_args(parse_args(argv))))


if __name__ == "__main__":
    main()
