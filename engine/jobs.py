"""Video job records (one JSON file each, written whole) and the local worker pool that renders them."""

from __future__ import annotations

import json
import os
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from .errors import EngineError


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


class JobStore:
    """Records under data_dir/jobs; a queue worker on another machine shares the folder (see docs/engine.md)."""

    def __init__(self, data_dir: str) -> None:
        self.folder = os.path.join(data_dir, "jobs")
        os.makedirs(self.folder, exist_ok=True)
        self._lock = threading.Lock()

    def _path(self, job_id: str) -> str:
        if not job_id.replace("_", "").isalnum():
            raise EngineError(404, "NOT_FOUND", f"no video {job_id!r}")
        return os.path.join(self.folder, f"{job_id}.json")

    def save(self, record: dict) -> dict:
        path = self._path(record["video_id"] if "video_id" in record else record["batch_id"])
        with self._lock:
            with open(path + ".part", "w") as handle:
                json.dump(record, handle)
            os.replace(path + ".part", path)
        return record

    def load(self, job_id: str) -> dict | None:
        path = self._path(job_id)
        try:
            with open(path) as handle:
                return json.load(handle)
        except FileNotFoundError:
            return None

    def fail_unfinished(self, reason: str) -> int:
        """Jobs left pending or processing by an engine that stopped: failed, with the reason."""
        count = 0
        for name in sorted(os.listdir(self.folder)):
            if name.startswith("video_") and name.endswith(".json"):
                record = self.load(name[: -len(".json")])
                if record and record.get("status") in ("pending", "processing"):
                    self.update(
                        record["video_id"], status="failed", error={"error": reason, "error_code": "ENGINE_RESTARTED"}
                    )
                    count += 1
        return count

    def update(self, job_id: str, **changes) -> dict:
        with self._lock:
            path = self._path(job_id)
            with open(path) as handle:
                record = json.load(handle)
            record.update(changes, updated_at=now())
            with open(path + ".part", "w") as handle:
                json.dump(record, handle)
            os.replace(path + ".part", path)
            return record


def run_job(renderer, store: JobStore, video_id: str, spec: dict) -> dict:
    """Render one job and record the outcome; every failure becomes a 'failed' record with a reason."""
    store.update(video_id, status="processing")
    try:
        result = renderer.render(video_id, spec)
    except EngineError as error:
        return store.update(video_id, status="failed", error={"error": error.message, "error_code": error.code})
    except Exception as error:  # a bug must not leave a job 'processing' for ever
        reason = {"error": f"render failed: {type(error).__name__}", "error_code": "RENDER_FAILED"}
        return store.update(video_id, status="failed", error=reason)
    return store.update(
        video_id, status="completed", result=result, duration=result["duration"], file_size=result["file_size"]
    )


class LocalPool:
    """Renders on this machine, ENGINE_WORKERS at a time (threads: encoding and drawing release the GIL)."""

    def __init__(self, renderer, store: JobStore, workers: int) -> None:
        self.renderer, self.store = renderer, store
        self.executor = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="render")

    def submit(self, video_id: str, spec: dict):
        return self.executor.submit(run_job, self.renderer, self.store, video_id, spec)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
