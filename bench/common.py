"""What every benchmark shares: the simulator in its own process, the plugin pointed at it, small statistics."""

import contextlib
import os
import statistics
import subprocess
import sys
from pathlib import Path

from autohive_integrations_sdk import ExecutionContext, ResultType

ROOT = Path(__file__).resolve().parent.parent
API_KEY = "bench-api-key-0123456789"
AUTH = {"auth_type": "ApiKey", "credentials": {"api_key": API_KEY}}


def point_plugin_at(url: str) -> None:
    os.environ["HEYGEN_API_URL"] = url
    os.environ["HEYGEN_UPLOAD_URL"] = url
    os.environ["HEYGEN_ALLOW_LOOPBACK_URLS"] = "1"


@contextlib.contextmanager
def simulator_process(*args: str):
    """`python -m simulator` on a free loopback port in its own process (its own core: no GIL shared with us)."""
    command = [sys.executable, "-m", "simulator", "--port", "0", *args]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()
        if " on http://" not in line:
            raise RuntimeError(f"the simulator did not start: {line!r}")
        yield line.split(" on ", 1)[1].split()[0]
    finally:
        process.terminate()
        process.wait(timeout=10)


async def run_action(integration, name: str, inputs: dict, context: ExecutionContext) -> dict:
    result = await integration.execute_action(name, inputs, context)
    if result.type != ResultType.ACTION:
        raise RuntimeError(f"{name} did not succeed: {result.result}")
    return result.result.data


def median(values) -> float:
    return statistics.median(values)


def percentile(values, fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def verdict(value: float, goal: float, lower_is_better: bool = True) -> str:
    met = value <= goal if lower_is_better else value >= goal
    return "meets goal" if met else "MISSES goal"
