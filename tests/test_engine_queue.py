"""The many-machine path: the API enqueues into Redis (arq) and a separate worker process renders.
Runs against a real redis-server started here on loopback; skipped, with the reason, when it cannot start."""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.engine_helpers import ROOT, call, decode, engine_server, free_port, wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture
def redis_url(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (scripts/system-packages.txt lists it; run `make venv`)")
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        for _ in range(50):
            try:
                if client.ping():
                    break
            except redis.exceptions.ConnectionError:
                time.sleep(0.1)
        else:
            pytest.skip("redis-server did not start on loopback within 5 s")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)


def test_jobs_go_through_redis_to_a_worker_process(redis_url, tmp_path):
    env = {"ENGINE_REDIS_URL": redis_url, "ENGINE_DATA_DIR": str(tmp_path)}
    with engine_server(tmp_path, **env) as base:
        _, health, _ = call("GET", f"{base}/health")
        assert health["components"]["queue"] == "redis"
        status, video, _ = call("POST", f"{base}/videos/create", {"script": "Queued on Redis.", "resolution": "360p"})
        assert status == 202 and video["status"] == "pending"
        time.sleep(0.5)
        assert call("GET", f"{base}/videos/{video['video_id']}")[1]["status"] == "pending"  # no worker yet
        worker = subprocess.Popen(
            [sys.executable, "-m", "engine", "worker", "--jobs", "1"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            done = wait_for(f"{base}/videos/{video['video_id']}", seconds=90)
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=20)
        assert done["status"] == "completed", done
        frames, audio, rate, fps = decode(call("GET", done["output_url"])[1])
        assert abs(len(frames) / fps - done["duration"]) <= 0.05 * done["duration"]
