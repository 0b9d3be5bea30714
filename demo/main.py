"""`make demo` (`python -m demo`): both video workflows end to end through the plugin.

Offline (the default): a HeyGen simulator starts in-process on loopback, the plugin is pointed at it
(HEYGEN_API_URL / HEYGEN_UPLOAD_URL) and both paths run against it, fast (time_scale 0.05).
Live: with HEYGEN_API_KEY set, Path 1 runs against the real HeyGen (or HEYGEN_API_URL) in test mode
(`test: true`: free, watermarked), and no simulator starts.
Videos land in out/demo/ as path1_<video_id>.mp4 and path2_<video_id>.mp4; each is decoded with PyAV.
Exit status 0 when every step worked, 1 (with the failed step named) otherwise.
"""

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

from demo.runner import Runner, StepFailed, shown
from demo.workflows import run_path1, run_path2
from heygen_cli.credentials import API_KEY_VARIABLE, api_key_auth, secrets_in
from heygen_cli.local_sim import SIM_API_KEY, local_simulator
from heygen_cli.progress import is_terminal, quiet_plugin_logs, show_progress
from heygen_core.client import host
from heygen_core.errors import redact

OUT_DIR = Path(__file__).resolve().parent.parent / "out" / "demo"
DEFAULT_TIME_SCALE = 0.05
OFFLINE_WAIT_SECONDS = 60
LIVE_WAIT_SECONDS = 900


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"where videos go (default {shown(OUT_DIR)})")
    parser.add_argument(
        "--time-scale",
        type=float,
        default=DEFAULT_TIME_SCALE,
        help=f"offline: the simulator's time_scale, job durations times X (default {DEFAULT_TIME_SCALE})",
    )
    parser.add_argument("--offline", action="store_true", help=f"use the simulator even when {API_KEY_VARIABLE} is set")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, *, stdout=None, stderr=None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    args = parse_args(argv)
    api_key = os.environ.get(API_KEY_VARIABLE, "").strip()
    live = bool(api_key) and not args.offline
    auth = api_key_auth(api_key if live else SIM_API_KEY)

    def write(line: str = "") -> None:
        stdout.write(line + "\n")
        stdout.flush()

    started = time.monotonic()
    try:
        with (
            quiet_plugin_logs(),
            show_progress(stdout, enabled=is_terminal(stdout), in_place=True, elapsed=False) as bar,
        ):
            runner_args = dict(write=write, progress=bar)
            if live:
                write(
                    f"HeyGen plugin demo, LIVE: {API_KEY_VARIABLE} is set, so Path 1 runs against the real HeyGen "
                    f"at {host('api')} in test mode (test: true: no credits, watermarked); no simulator. "
                    f"Unset {API_KEY_VARIABLE} or pass --offline for the offline demo."
                )
                runner = Runner(auth, args.out, wait_seconds=LIVE_WAIT_SECONDS, **runner_args)
                asyncio.run(run_live(runner))
            else:
                write(
                    "HeyGen plugin demo, offline: both video workflows run through the plugin against a local "
                    f"HeyGen simulator started in-process (time_scale {args.time_scale}); no network, no credentials."
                )
                runner = Runner(auth, args.out, wait_seconds=OFFLINE_WAIT_SECONDS, **runner_args)
                asyncio.run(run_offline(runner, args.time_scale))
    except StepFailed as failure:
        stderr.write(f"Demo FAILED: {redact(str(failure), secrets_in(auth))}\n")
        return 1
    except Exception as error:  # the simulator would not start, a file could not be written, ...
        message = redact(f"{type(error).__name__}: {error}", secrets_in(auth))
        stderr.write(f"Demo FAILED: unexpected {message}\n")
        return 1
    write()
    write(summary(runner, time.monotonic() - started))
    return 0


async def run_offline(runner: Runner, time_scale: float) -> None:
    async with local_simulator(time_scale) as sim:
        runner.say(f"Simulator: {sim.url} (plugin pointed at it through HEYGEN_API_URL and HEYGEN_UPLOAD_URL)")
        path1 = await run_path1(runner, live=False)
        await run_path2(runner, voice_id=path1.voice_id)


async def run_live(runner: Runner) -> None:
    await run_path1(runner, live=True)


def summary(runner: Runner, seconds: float) -> str:
    lines = [f"Done in {seconds:.1f} s: {len(runner.steps)} steps through the plugin, all succeeded."]
    lines.append(f"Videos written to {shown(runner.out_dir)}/:")
    for saved in runner.saved:
        lines.append(f"  {shown(saved.path)}  ({saved.facts.seconds:.1f} s, {saved.facts.frames} frames, decoded OK)")
    return "\n".join(lines)
