"""The HeyGen proxy: what it adds per call, and how it holds 100 concurrent clients.

1. Overhead: the same action (get_video_status of a video the organisation created; list_templates) run
   directly with `integration.execute_action` in this process (A), and through the proxy over loopback HTTP (B:
   POST …/video-status/ with an API key; key lookup, organisation and ownership checks on SQLite, the rate
   limits, the credential opened, the same action, the answer shaped). A and B alternate; the figure is the
   median of the per-pair differences B - A. Goal: at most 3 ms.
2. Load: 100 clients, each with its own keep-alive connection, calling video-status back to back for 30 s
   (PROXY_BENCH_SECONDS changes it): requests/s, p99 latency, errors. Goal: 0 errors.
The simulator and the proxy (`python -m proxy serve`, embedded SQLite in a temporary folder under out/)
run in their own processes on 127.0.0.1; all traffic stays on loopback.
"""

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import aiohttp
from autohive_integrations_sdk import ExecutionContext

import heygen
from bench.common import (
    API_KEY,
    AUTH,
    ROOT,
    median,
    percentile,
    point_plugin_at,
    run_action,
    simulator_process,
    verdict,
)

OUT = ROOT / "out" / "bench" / "proxy.json"
PAIRS = 300
CLIENTS = 100
GOAL_OVERHEAD_MS = 3.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proxy_environment(data_dir: str, heygen_url: str) -> dict:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("PROXY_", "HEYGEN_"))}
    return keep | {
        "PROXY_DATA_DIR": data_dir,
        "PROXY_ORG_RPM": str(10**9),
        "HEYGEN_API_URL": heygen_url,
        "HEYGEN_UPLOAD_URL": heygen_url,
    }


def proxy_cli(env: dict, *args: str, credential: str | None = None) -> str:
    extra = {"HEYGEN_API_KEY": credential} if credential else {}
    done = subprocess.run(
        [sys.executable, "-m", "proxy", *args], cwd=ROOT, env=env | extra, capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise RuntimeError(f"python -m proxy {' '.join(args)} failed: {done.stderr}")
    return done.stdout


async def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            try:
                async with http.get(url + "/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the proxy did not start")


async def call(http: aiohttp.ClientSession, url: str, envelope: dict) -> dict:
    async with http.post(url, json=envelope) as response:
        body = await response.json()
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status} {body}")
        return body


async def overhead(base: str, key: str, video_id: str) -> dict:
    cases = {
        "video-status": ("get_video_status", {"video_id": video_id}, {"query": {"video_id": video_id}}),
        "list-templates": ("list_templates", {}, {}),
    }
    figures = {}
    headers = {"Authorization": f"Api-Key {key}"}
    async with ExecutionContext(auth=AUTH) as context, aiohttp.ClientSession(headers=headers) as http:
        for operation, (action, inputs, envelope) in cases.items():
            url = f"{base}/api/ai-proxy/orgs/bench/services/heygen/{operation}/"
            for _ in range(20):  # warm both paths
                await run_action(heygen.integration, action, dict(inputs), context)
                await call(http, url, envelope)
            direct, proxied, differences = [], [], []
            for pair in range(PAIRS):
                order = ("a", "b") if pair % 2 == 0 else ("b", "a")
                took = {}
                for which in order:
                    started = time.perf_counter()
                    if which == "a":
                        await run_action(heygen.integration, action, dict(inputs), context)
                    else:
                        await call(http, url, envelope)
                    took[which] = (time.perf_counter() - started) * 1000
                direct.append(took["a"])
                proxied.append(took["b"])
                differences.append(took["b"] - took["a"])
            figures[operation] = {
                "action": action,
                "pairs": PAIRS,
                "direct_median_ms": median(direct),
                "proxy_median_ms": median(proxied),
                "overhead_median_ms": median(differences),
                "goal_ms": GOAL_OVERHEAD_MS,
            }
    return figures


async def load(base: str, key: str, video_id: str, seconds: float) -> dict:
    url = f"{base}/api/ai-proxy/orgs/bench/services/heygen/video-status/"
    envelope = {"query": {"video_id": video_id}}
    latencies, errors = [], []
    deadline = time.monotonic() + seconds

    async def client() -> None:
        connector = aiohttp.TCPConnector(limit=1)
        async with aiohttp.ClientSession(connector=connector, headers={"Authorization": f"Api-Key {key}"}) as http:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    async with http.post(url, json=envelope) as response:
                        await response.read()
                        if response.status != 200:
                            errors.append(response.status)
                except aiohttp.ClientError as error:
                    errors.append(type(error).__name__)
                latencies.append((time.perf_counter() - started) * 1000)

    started = time.monotonic()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    elapsed = time.monotonic() - started
    return {
        "clients": CLIENTS,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_second": len(latencies) / elapsed,
        "median_ms": median(latencies),
        "p99_ms": percentile(latencies, 0.99),
        "errors": len(errors),
        "error_kinds": sorted({str(e) for e in errors}),
    }


async def measure(seconds: float) -> dict:
    data_dir = tempfile.mkdtemp(prefix="proxy-bench-", dir=ROOT / "out")
    try:
        with simulator_process("--time-scale", "0.001", "--api-key", API_KEY) as heygen_url:
            point_plugin_at(heygen_url)
            env = proxy_environment(data_dir, heygen_url)
            proxy_cli(env, "org", "add", "bench", credential=API_KEY)
            key = proxy_cli(env, "key", "create", "bench", "--scope", "read,generate", "--rpm", str(10**9))
            key = key.strip().splitlines()[-1]
            port = free_port()
            server = subprocess.Popen(
                [sys.executable, "-m", "proxy", "serve", "--port", str(port)],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            try:
                base = f"http://127.0.0.1:{port}"
                await wait_for(base)
                video_id = await first_video(base, key)
                figures = {"overhead": await overhead(base, key, video_id)}
                figures["load"] = await load(base, key, video_id, seconds)
            finally:
                server.terminate()
                server.wait(timeout=20)
            return figures
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


async def first_video(base: str, key: str) -> str:
    envelope = {
        "body": {
            "test": True,
            "video_inputs": [
                {
                    "character": {
                        "type": "avatar",
                        "avatar_id": "Angela-inblackskirt-20220820",
                        "avatar_style": "normal",
                    },
                    "voice": {"type": "text", "input_text": "Hi", "voice_id": "1bd001e7ffe04520adf63141a163d1f8"},
                }
            ],
            "dimension": {"width": 1280, "height": 720},
        }
    }
    async with aiohttp.ClientSession(headers={"Authorization": f"Api-Key {key}"}) as http:
        body = await call(http, f"{base}/api/ai-proxy/orgs/bench/services/heygen/generate-video/", envelope)
    await asyncio.sleep(0.3)
    return body["data"]["video_id"]


def main() -> int:
    seconds = float(os.environ.get("PROXY_BENCH_SECONDS", "30"))
    print(f"HeyGen proxy benchmark: {os.cpu_count()} CPUs, simulator and proxy in their own processes on loopback")
    print(__doc__.split("\n\n", 1)[1].strip())
    figures = asyncio.run(measure(seconds))
    print("\n1. Overhead per call (median of per-pair differences)")
    for operation, f in figures["overhead"].items():
        print(
            f"  {operation:<15} direct {f['action']} {f['direct_median_ms']:6.2f} ms, through the proxy "
            f"{f['proxy_median_ms']:6.2f} ms: adds {f['overhead_median_ms']:.2f} ms (goal <= {GOAL_OVERHEAD_MS} ms: "
            f"{verdict(f['overhead_median_ms'], GOAL_OVERHEAD_MS)})"
        )
    f = figures["load"]
    print(f"\n2. Load: {f['clients']} concurrent clients for {f['seconds']} s on video-status")
    print(
        f"  {f['requests']} requests, {f['requests_per_second']:.0f} requests/s, median {f['median_ms']:.1f} ms, "
        f"p99 {f['p99_ms']:.1f} ms, errors {f['errors']} {f['error_kinds'] or ''} (goal 0: {verdict(f['errors'], 0)})"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(figures, indent=2))
    print(f"figures in {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
