"""Getting results out: downloads that outlive HeyGen's 7-day links, and many videos created at once."""

import asyncio
import base64
import mimetypes
import posixpath
import time
from urllib.parse import urlparse

from autohive_integrations_sdk import ValidationError

from heygen_core.action import HeyGenAction, job_result
from heygen_core.app import integration
from heygen_core.client import RetryPolicy
from heygen_core.downloads import ALLOW_LOOPBACK_VARIABLE, UnsafeURL
from heygen_core.errors import HeyGenError, JobFailed, redact
from heygen_core.jobs import DEFAULT_WAIT_SECONDS, wait_for_job
from heygen_core.answers import RouteMissing
from heygen_core.routes import (
    NotExpressible,
    call_routes,
    known_missing,
    new_idempotency_key,
    preferred_generation,
    routes_for,
)
from heygen_actions.video_batches import CREATE_ROUTES as V3_BATCH_ROUTES, batch_request, create_v3_batch
from heygen_actions.videos import STATUS_ROUTES, STUDIO_ROUTES, fetch_video_status, video_status

routes_for("download_video", *STATUS_ROUTES)  # a fresh link first; the file itself comes from that link
routes_for("create_avatar_video_batch", *STUDIO_ROUTES)

DOWNLOADS = {
    "video": ("video_url", ".mp4", "video/mp4"),
    "video_with_captions": ("video_url_caption", "_captioned.mp4", "video/mp4"),
    "thumbnail": ("thumbnail_url", "_thumbnail.jpg", "image/jpeg"),
    "gif": ("gif_url", ".gif", "image/gif"),
    "captions": ("caption_url", ".vtt", "text/vtt"),
}
BATCH_RESULT_FIELDS = ("status", "raw_status", "video_url", "thumbnail_url", "duration")
NOT_DONE_HINT = "Wait for the video to complete (wait_for_completion true), or check get_video_status."
NOT_MADE_HINT = "HeyGen made no such file for this video (captions exist only for videos created with caption true)."
NEVER_TAKEN = "HeyGen never took this video: send it again (once running jobs have finished) to create it."
NOT_SENT = {
    "code": None,
    "message": "not sent: timeout_seconds ran out before this video's turn",
    "detail": NEVER_TAKEN,
}


LOCAL_HINT = f"For a HeyGen simulator on this machine, set {ALLOW_LOOPBACK_VARIABLE}=1 (loopback only)."


@integration.action("download_video")
class DownloadVideo(HeyGenAction):
    async def run(self, api, inputs):
        video_id, file_type = inputs["video_id"], inputs.get("file_type", "video")
        status = await job_result(api, inputs, fetch_video_status, video_id)
        field, suffix, fallback_type = DOWNLOADS[file_type]
        url = status.get(field)
        if status["status"] != "completed" or not url:
            raise HeyGenError(
                f"video {video_id} has no {file_type} to download (status {status['raw_status'] or status['status']})",
                hint=NOT_MADE_HINT if status["status"] == "completed" else NOT_DONE_HINT,
            )
        try:
            content, content_type = await api.download(url, max_bytes=inputs.get("max_megabytes", 50) * 1_000_000)
        except UnsafeURL as refused:
            raise HeyGenError(f"the {file_type} link HeyGen gave {refused.reason}; it was not fetched", hint=LOCAL_HINT)
        return {
            "file": {
                "content": base64.b64encode(content).decode("ascii"),
                "name": f"{video_id}{file_suffix(url, suffix)}",
                "contentType": media_type(content_type, fallback_type),
            },
            "video_id": video_id,
            "file_type": file_type,
            "size_bytes": len(content),
            "duration": status.get("duration"),
        }


def file_suffix(url: str, default: str) -> str:
    """Keeps the link's own extension when it has one (captions may be .srt or .vtt)."""
    extension = posixpath.splitext(urlparse(url).path)[1].lower()
    if extension and mimetypes.types_map.get(extension) and not default.endswith(extension):
        return default.rsplit(".", 1)[0] + extension
    return default


def media_type(declared: str | None, fallback: str) -> str:
    kind = (declared or "").split(";")[0].strip()
    return kind if kind and kind not in ("application/octet-stream", "binary/octet-stream") else fallback


@integration.action("create_avatar_video_batch")
class CreateAvatarVideoBatch(HeyGenAction):
    """One v3 batch when every item can be said on v3 and HeyGen serves batches; else each video by itself."""

    async def run(self, api, inputs):
        if preferred_generation() == "v3" and not known_missing(V3_BATCH_ROUTES) and v3_expressible(inputs):
            try:
                return await create_v3_batch(api, inputs, [batch_result(i) for i in range(len(inputs["videos"]))])
            except RouteMissing:  # no batches here (remembered for this process): the videos go one by one
                pass
        return {**await create_one_by_one(api, inputs), "batch_id": None}


def v3_expressible(inputs: dict) -> bool:
    try:
        batch_request(inputs)
    except NotExpressible:
        return False
    return True


async def create_one_by_one(api, inputs: dict) -> dict:
    """Each item is POSTed once; only a 429 (HeyGen refused it) or a never-made connection repeats it."""
    videos = inputs["videos"]
    budget = inputs.get("timeout_seconds", DEFAULT_WAIT_SECONDS)
    deadline = time.monotonic() + budget
    # A 429 (the plan's concurrency limit) only slows the batch: its Retry-After is honoured within the budget.
    patience = RetryPolicy(attempts=10_000, total_seconds=budget, max_retry_after=budget, max_delay=10.0)
    results = [batch_result(index) for index in range(len(videos))]
    queue = list(enumerate(videos))
    out_of_time = False

    base_key = new_idempotency_key(inputs)

    async def create(index: int, request: dict) -> None:
        nonlocal out_of_time
        try:
            # each item its own key, derived from the batch's: a rerun of the batch creates nothing twice
            key = f"{base_key}-{index}"
            video_id = await call_routes(api, STUDIO_ROUTES, request, idempotency_key=key, retry=patience)
            results[index].update(video_id=video_id, status="pending")
        except ValidationError as refused:  # this item cannot be expressed on any route HeyGen serves
            results[index].update(status="failed", error={"code": None, "message": str(refused), "detail": None})
        except HeyGenError as error:
            # `patience` gives up on a creation HeyGen never took only when the time budget cannot cover it
            out_of_time = out_of_time or error.not_received
            results[index].update(status="failed", error=item_error(error, api.secrets))

    async def worker() -> None:
        while queue and time.monotonic() < deadline:
            await create(*queue.pop(0))

    await asyncio.gather(*(worker() for _ in range(min(inputs.get("concurrency", 3), len(videos)))))
    for index, _ in queue:
        results[index].update(status="failed", error=dict(NOT_SENT))
    timed_out = out_of_time or bool(queue)
    if inputs.get("wait_for_completion"):
        pending = [r for r in results if r["video_id"]]
        outcomes = await asyncio.gather(*(finish(api, r, deadline) for r in pending))
        timed_out = timed_out or any(outcomes)
    created = sum(1 for r in results if r["video_id"])
    failed = sum(1 for r in results if r["status"] == "failed")
    return {"results": results, "created": created, "failed": failed, "timed_out": timed_out}


def batch_result(index: int) -> dict:
    return {"index": index, "video_id": None, **dict.fromkeys(BATCH_RESULT_FIELDS), "error": None, "status": "pending"}


def item_error(error: HeyGenError, secrets: tuple) -> dict:
    """One video's failure; `detail` carries the advice (e.g. check list_videos before resending it)."""
    hint = NEVER_TAKEN if error.not_received else error.known_hint()
    return {
        "code": error.code or (str(error.status) if error.status else None),
        "message": redact(error.message, secrets),
        "detail": redact(hint, secrets) if hint else None,
    }


async def finish(api, result: dict, deadline: float) -> bool:
    """Waits for one batch video; True when time ran out first."""
    video_id = result["video_id"]
    try:
        final = await wait_for_job(
            lambda: fetch_video_status(api, video_id),
            job_id=video_id,
            timeout_seconds=max(0.0, deadline - time.monotonic()),
            status_action="get_video_status",
        )
    except JobFailed as failure:
        final = {**video_status(video_id, {"status": "failed"}), "error": item_error(failure, api.secrets)}
    except HeyGenError as error:
        final = {**video_status(video_id, {}), "error": item_error(error, api.secrets), "timed_out": True}
    result.update({field: final.get(field) for field in BATCH_RESULT_FIELDS}, error=final.get("error"))
    return bool(final.get("timed_out"))
