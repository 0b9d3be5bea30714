"""Polling triggers: videos that completed or failed since the last poll.

A poll keeps no memory of the one before. HeyGen's legacy video list gives each video's creation time and
status, not when it finished; so each poll looks at videos created since the last poll minus a lookback window
(a video created before the last poll may still have been rendering then), keeps the finished ones, and reads
each one's full status. v3's list (GET /v3/videos) also says when a video finished (`completed_at`): a video
that carries it is taken exactly when it finished after the last poll (on the first poll: within the lookback),
so no poll emits it twice; one without it (a failure, say) falls back to the creation-time window. Either way
a video found again comes back as the same record (id = video_id), which the platform does not fire again.
"""

import asyncio
import logging
import math
import time
from datetime import datetime, timezone

from autohive_integrations_sdk import PollingTriggerHandler

from heygen_actions.videos import fetch_video_status
from heygen_core.app import integration
from heygen_core.client import HeyGenClient, secrets_of
from heygen_core.errors import redact
from heygen_core.jobs import normalize_status
from heygen_core.routes import Request, call_routes, on_legacy, on_v3
from heygen_core.shapes import as_dict, list_of

logger = logging.getLogger("heygen")

PAGE_SIZE = 100
MAX_PAGES = 10  # 1000 videos: far more than a few minutes (plus the lookback) of any account's output
MAX_RECORDS = 100  # status reads per poll; the oldest go first, the rest are found by the next poll
STATUS_READS_AT_ONCE = 5
DEFAULT_LOOKBACK_MINUTES = 60


def timestamp(value) -> float | None:
    """Unix seconds from HeyGen's created_at or the platform's last_poll_ts (ISO 8601 or a number)."""
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip()
        try:
            number = float(text)
        except ValueError:
            try:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                return None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            return moment.timestamp()
    return number / 1000 if number > 1e11 else number  # milliseconds, as some APIs send


def window_start(last_poll_ts, lookback_minutes: int) -> int:
    """Videos created from this second on are looked at: the last poll (now, on the first) minus the lookback."""
    last_poll = timestamp(last_poll_ts)
    if last_poll is None and last_poll_ts:
        logger.warning("video_completed: unreadable last_poll_ts %r: polling as if for the first time", last_poll_ts)
    return math.floor((time.time() if last_poll is None else last_poll) - lookback_minutes * 60)


def last_poll_or_window(last_poll_ts, lookback_minutes: int) -> int:
    """Videos that finished from this second on are new: the last poll, or on the first poll the lookback."""
    last_poll = timestamp(last_poll_ts)
    return math.floor(last_poll) if last_poll is not None else window_start(None, lookback_minutes)


def list_query(inputs: dict) -> Request:
    return Request(query={"limit": PAGE_SIZE, "folder_id": inputs.get("folder_id"), "token": inputs.get("token")})


def listed(data, inputs) -> tuple[list[dict], str | None]:
    """(videos as {video_id, status, created, completed}, the cursor of the next page) from either generation."""
    videos = [
        {
            "video_id": str(video.get("id") or video.get("video_id") or ""),
            "status": video.get("status"),
            "created": timestamp(video.get("created_at")),
            "completed": timestamp(video.get("completed_at")),
        }
        for video in list_of(data, "videos")
    ]
    next_token = getattr(data, "next_token", None) if hasattr(data, "has_more") else as_dict(data).get("token")
    if hasattr(data, "has_more") and not data.has_more:
        next_token = None
    return [video for video in videos if video["video_id"]], next_token or None


LIST_ROUTES = (
    on_v3("VideoList", request=list_query, response=listed),
    on_legacy("GET", "/v1/video.list", request=list_query, response=listed),
)


def wanted_statuses(inputs: dict) -> set[str]:
    return {"completed", "failed"} if inputs.get("include_failed", True) else {"completed"}


async def finished_videos(api, inputs: dict, since: int, finished_since: int | None = None) -> list[str]:
    """Ids of finished videos created at or after `since` (finished at or after `finished_since` where HeyGen
    says when), oldest first, from HeyGen's newest-first list."""
    found, token = [], None
    wanted = wanted_statuses(inputs)
    finished_since = since if finished_since is None else finished_since
    for _ in range(MAX_PAGES):
        videos, token = await call_routes(api, LIST_ROUTES, {**inputs, "token": token})
        reached_older = False
        for video in videos:
            created, completed = video["created"], video["completed"]
            if created is None:
                continue
            if created < since:
                reached_older = True
            elif normalize_status(video["status"]) not in wanted:
                continue
            elif completed is None or completed >= finished_since:
                found.append((completed if completed is not None else created, video["video_id"]))
        if reached_older or not token:
            break
    else:
        logger.warning("video_completed: stopped after %d pages of videos", MAX_PAGES)
    # HeyGen lists newest first: reversed, then sorted by time (finished where known, else created), videos of the
    # same second stay in list order.
    unique = sorted({video_id: created for created, video_id in reversed(found)}.items(), key=lambda item: item[1])
    if len(unique) > MAX_RECORDS:
        logger.warning("video_completed: %d finished videos, reading the oldest %d", len(unique), MAX_RECORDS)
    return [video_id for video_id, _ in unique[:MAX_RECORDS]]


async def read_statuses(api, video_ids: list[str], wanted: set[str], secrets) -> list[dict]:
    """get_video_status's output for each video; one that cannot be read now is left for the next poll."""
    gate = asyncio.Semaphore(STATUS_READS_AT_ONCE)

    async def read(video_id: str) -> dict | None:
        async with gate:
            try:
                return await fetch_video_status(api, video_id)
            except Exception as error:
                logger.info("%s", redact(f"video_completed: status of {video_id} unavailable: {error}", secrets))
                return None

    statuses = await asyncio.gather(*(read(video_id) for video_id in video_ids))
    return [status for status in statuses if status is not None and status["status"] in wanted]


@integration.polling_trigger("video_completed")
class VideoCompleted(PollingTriggerHandler):
    async def poll(self, inputs, last_poll_ts, context):
        # The SDK passes exceptions from poll straight to the platform: a HeyGen failure is logged and this poll
        # emits nothing; the next poll's lookback window (lookback_minutes) finds the same videos again.
        secrets = secrets_of(getattr(context, "auth", None))
        lookback = inputs.get("lookback_minutes", DEFAULT_LOOKBACK_MINUTES)
        since = window_start(last_poll_ts, lookback)
        try:
            async with HeyGenClient.from_context(context) as api:
                video_ids = await finished_videos(api, inputs, since, last_poll_or_window(last_poll_ts, lookback))
                statuses = await read_statuses(api, video_ids, wanted_statuses(inputs), secrets)
        except Exception as error:
            logger.warning("%s", redact(f"video_completed: poll failed: {type(error).__name__}: {error}", secrets))
            return []
        # id = video_id, never anything per poll: the platform fires each id once, so a video seen again by a
        # later poll (inside the lookback window) is not a second event.
        return [{"id": status["video_id"], "data": status} for status in statuses]
