"""Many avatar videos in one v3 batch: one POST /v3/videos/batches for up to 100 videos (one callback for all),
and waiting on them with GET /v3/videos/statuses, one request per poll for the whole batch.

A video the statuses call reports done has its links (video_url, thumbnail, duration) read once with
GET /v3/videos/{id}; nothing else is asked per video. When an item cannot be said on v3 (test mode, a folder,
a talking_photo_id ...) or HeyGen does not serve batches, `results.CreateAvatarVideoBatch` creates the videos
one by one instead (the legacy path), so no input loses its meaning.
"""

import time

from heygen_core.action import HeyGenAction, created_id
from heygen_core.app import integration
from heygen_core.errors import HeyGenError
from heygen_core.jobs import DEFAULT_WAIT_SECONDS, normalize_status, wait_for_job
from heygen_core.routes import NotExpressible, Request, call_routes, on_v3, routes_for
from heygen_core.shapes import as_dict, body_of, list_of
from heygen_actions import video_requests
from heygen_actions.videos import fetch_video_status

MAX_IDS_PER_REQUEST = 100  # GET /v3/videos/statuses answers for at most 100 ids (or one batch) per request
BATCH_FIELDS = ("title", "callback_url")


def batch_request(inputs: dict) -> Request:
    """Every item as a POST /v3/videos `studio` body; one item v3 cannot express sends the batch the old way."""
    videos = []
    for index, item in enumerate(inputs["videos"]):
        try:
            videos.append(video_requests.studio_request(item).body)
        except NotExpressible as reason:
            raise NotExpressible(f"videos[{index}].{reason.field}", reason.reason) from None
    return Request(body={"videos": videos, **body_of(inputs, BATCH_FIELDS)})


CREATE_ROUTES = routes_for(
    "create_avatar_video_batch",
    on_v3(
        "VideoBatchesCreate",
        creates=True,
        request=batch_request,
        response=lambda data, inputs: created_id(data, "batch_id"),
    ),
)
STATUSES_ROUTES = routes_for(
    "create_avatar_video_batch",
    on_v3(
        "VideoStatusesList",
        request=lambda inputs: Request(query={"batch_ids": inputs["batch_id"]}),
        response=lambda data, inputs: list_of(data, "items"),
    ),
)
BATCH_ROUTES = routes_for(
    "get_video_batch",
    on_v3(
        "VideoBatchesGet",
        request=lambda inputs: Request(params={"batch_id": inputs["batch_id"]}, query={"limit": MAX_IDS_PER_REQUEST}),
    ),
)


def item_error(error) -> dict | None:
    found = as_dict(error)
    if not found:
        return None
    code, message = found.get("code"), found.get("message") or found.get("detail")
    return {"code": None if code is None else str(code), "message": message, "detail": None}


async def batch_statuses(api, batch_id: str) -> dict[int, dict]:
    """Each item's row of GET /v3/videos/statuses by its index: one request (a batch holds at most 100)."""
    found = await call_routes(api, STATUSES_ROUTES, {"batch_id": batch_id})
    return {row["item_index"]: row for row in found if isinstance(row.get("item_index"), int)}


class BatchProgress:
    """The batch's results, brought up to date by one statuses request per poll; links read once per video."""

    def __init__(self, api, batch_id: str, results: list[dict]):
        self.api, self.batch_id, self.results = api, batch_id, results

    async def poll(self) -> dict:
        rows = await batch_statuses(self.api, self.batch_id)
        for result in self.results:
            row = rows.get(result["index"])
            if row is None or result["status"] in ("completed", "failed"):
                continue
            await self.update(result, row)
        done = all(r["status"] in ("completed", "failed") for r in self.results)
        return {"status": "completed" if done else "processing", "raw_status": None}

    async def update(self, result: dict, row: dict) -> None:
        raw = row.get("status")
        result["video_id"] = result["video_id"] or row.get("video_id")
        status = "failed" if raw == "not_found" else normalize_status(raw)
        if status == "completed" and result["video_id"]:
            video = await fetch_video_status(self.api, result["video_id"])
            status = video["status"]
            result.update({field: video.get(field) for field in ("video_url", "thumbnail_url", "duration")})
        result.update(status=status, raw_status=raw if isinstance(raw, str) else None)
        if status == "failed":
            result["error"] = item_error(row.get("error")) or {"code": raw, "message": "HeyGen failed this video"}
            result["error"].setdefault("detail", None)


async def create_v3_batch(api, inputs: dict, results: list[dict]) -> dict:
    """The v3 path: one create, one statuses request to learn the video ids, then (when asked) the wait."""
    batch_id = await call_routes(api, CREATE_ROUTES, inputs)
    progress = BatchProgress(api, batch_id, results)
    timeout = inputs.get("timeout_seconds", DEFAULT_WAIT_SECONDS)
    started = time.monotonic()
    state = await progress.poll()
    timed_out = False
    if inputs.get("wait_for_completion") and state["status"] != "completed":
        left = max(0.0, timeout - (time.monotonic() - started))
        final = await wait_for_job(progress.poll, job_id=batch_id, first=state, timeout_seconds=left)
        timed_out = bool(final.get("timed_out"))
    created = sum(1 for r in results if r["video_id"])
    failed = sum(1 for r in results if r["status"] == "failed")
    return {"results": results, "created": created, "failed": failed, "timed_out": timed_out, "batch_id": batch_id}


def batch_output(data, batch_id: str) -> dict:
    source = as_dict(data)
    items = [
        {
            "index": item.get("item_index"),
            "video_id": item.get("video_id"),
            "status": normalize_status(item.get("status")),
            "raw_status": item.get("status"),
            "error": item_error(item.get("error")) if item.get("status") == "failed" else None,
        }
        for item in list_of(source, "items")
    ]
    counts = {str(k): v for k, v in as_dict(source.get("counts_by_status")).items() if isinstance(v, int)}
    raw = source.get("status")
    return {
        "batch_id": str(source.get("batch_id") or batch_id),
        "status": normalize_status(raw),
        "raw_status": raw if isinstance(raw, str) else None,
        "title": source.get("title"),
        "total_items": source.get("total_items", len(items)),
        "counts_by_status": counts,
        "created_at": source.get("created_at"),
        "items": items,
    }


@integration.action("get_video_batch")
class GetVideoBatch(HeyGenAction):
    async def run(self, api, inputs):
        data = await call_routes(api, BATCH_ROUTES, inputs)
        if not isinstance(data, dict):
            raise HeyGenError("HeyGen's batch answer is not an object")
        return batch_output(data, inputs["batch_id"])
