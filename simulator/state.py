"""What the simulated HeyGen account holds: catalogue, uploaded assets, image keys, videos,
photo generations, avatar groups and photo avatars, plus the clock, ids, quota and plan checks
that every route module shares.

All job records hold a ``jobs.Job``; their status is read from it against ``SimState.now()``.
"""

from __future__ import annotations

import hashlib
import math
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

from .catalogue import Catalogue
from .config import SimulatorConfig
from .jobs import Job
from .timeline import Timeline
from .wire import ApiError

FAILURE_TRIGGER = "SIMULATE_FAILURE"


@dataclass
class Asset:
    id: str
    content_type: str
    file_type: str  # image | video | audio
    data: bytes
    created_ts: int
    image_key: str | None


@dataclass
class ImageRef:
    """Something an ``image_key`` may name: an uploaded image or one generated photo."""

    key: str
    url: str
    generation_id: str | None = None


@dataclass
class Video:
    id: str
    kind: str  # studio | av4 | webm (later modules may add template, translation ...)
    title: str | None
    job: Job
    created_at: float
    timeline: Timeline  # the whole script: reported duration, captions, credits (the file may be capped)
    size: tuple[int, int]  # the asked width x height (files are rendered smaller, same aspect ratio)
    caption: bool = False
    test: bool = False  # free, and watermarked like HeyGen's test videos
    callback_id: str | None = None
    callback_url: str | None = None
    folder_id: str | None = None
    error: dict | None = None

    watermark: bool = False  # v3's enable_watermark

    @property
    def watermarked(self) -> bool:
        return self.test or self.watermark

    @property
    def ext(self) -> str:
        return "webm" if self.kind == "webm" else "mp4"


@dataclass
class Generation:
    """A photo generation (``photo/generate``) or look generation (``look/generate``)."""

    id: str
    job: Job
    image_keys: list[str]
    group_id: str | None = None
    error: str | None = None
    looks_added: bool = False  # a finished look generation's images become looks of its group once


@dataclass
class PhotoAvatar:
    id: str
    group_id: str
    name: str
    image_url: str
    created_at: float
    job: Job
    business_type: str  # user_upload | generated
    is_motion: bool = False
    motion_of: str | None = None
    upscale_job: Job | None = None
    background_sound_effect: dict | None = None


@dataclass
class Group:
    id: str
    name: str
    created_at: float
    look_ids: list[str] = field(default_factory=list)
    train_job: Job | None = None
    flow_id: str | None = None
    train_error: str | None = None
    look_generation_ids: list[str] = field(default_factory=list)


class SimState:
    """The account behind one running simulator; route modules read and change it."""

    def __init__(self, config: SimulatorConfig):
        self.config = config
        self.base_url = ""
        self.catalogue: Catalogue | None = None
        self.clock_offset = 0.0
        # Separate streams, so fault dice do not shift the ids a test sees (and vice versa).
        self._ids = random.Random(config.seed)
        self._dice = random.Random(config.seed + 1)
        self._signatures = 0
        self.quota_seconds = config.plan.credits * 60
        self.assets: dict[str, Asset] = {}
        self.image_keys: dict[str, ImageRef] = {}
        self.videos: dict[str, Video] = {}
        self.generations: dict[str, Generation] = {}
        self.groups: dict[str, Group] = {}
        self.photo_avatars: dict[str, PhotoAvatar] = {}
        # v3: jobs made by each v3 endpoint (idempotent replays do not count), remembered Idempotency-Keys,
        # and records only v3 has (v3_store.V3Store; created lazily so state.py needs no v3 imports).
        self.jobs_created: Counter[str] = Counter()
        self.idempotency: dict[tuple, Any] = {}
        self.v3: Any = None
        self.answer_problems: list[str] = []  # response-schema violations, when config.check_answers is on

    def bind(self, base_url: str) -> None:
        """Called once the port is known: catalogue media URLs point at this server."""
        self.base_url = base_url
        c = self.config
        self.catalogue = Catalogue(base_url, c.avatars_count, c.talking_photos_count, c.voices_count)

    # clock, ids, dice -----------------------------------------------------------------------

    def now(self) -> float:
        return time.time() + self.clock_offset

    def new_id(self) -> str:
        return f"{self._ids.getrandbits(128):032x}"

    def roll(self) -> float:
        return self._dice.random()

    def start_job(self, phases: list[tuple[str, float]], final: str) -> Job:
        return Job.start(self.now(), self.config.time_scale, phases, final)

    @staticmethod
    def wants_failure(*texts: Any) -> bool:
        """A documented test hook: any free text containing SIMULATE_FAILURE makes its job fail."""
        return any(isinstance(t, str) and FAILURE_TRIGGER in t for t in texts)

    # URLs -------------------------------------------------------------------------------------

    def media_url(self, path: str) -> str:
        return f"{self.base_url}/media/{path}"

    def signed_url(self, path: str) -> str:
        """A CloudFront-looking URL that differs on every call, like HeyGen's 7-day links."""
        self._signatures += 1
        expires = int(self.now()) + self.config.media_url_ttl_seconds
        signature = hashlib.sha256(f"{path}|{expires}|{self._signatures}".encode()).hexdigest()
        return f"{self.media_url(path)}?Expires={expires}&Signature={signature}&Key-Pair-Id=K49TZTO9GZI6K"

    # plan and quota ---------------------------------------------------------------------------

    def unfinished_videos(self) -> list[Video]:
        now = self.now()
        return [v for v in self.videos.values() if not v.job.done(now)]

    def check_video_capacity(self) -> None:
        """Every video-creating route calls this before creating: HeyGen's concurrency limit."""
        busy = self.unfinished_videos()
        limit = self.config.plan.concurrent_jobs
        if len(busy) < limit:
            return
        wait = max(1, math.ceil(min(v.job.finished_at for v in busy) - self.now()))
        raise ApiError(
            429,
            "rate_limit_exceeded",
            f"You have reached the limit of {limit} concurrent video jobs on the {self.config.plan.name} plan. "
            "Please wait for a video to finish before submitting another.",
            headers={"Retry-After": str(wait)},
        )

    def check_resolution(self, width: int, height: int) -> None:
        plan = self.config.plan
        long_ok = max(width, height) <= max(plan.max_width, plan.max_height)
        short_ok = min(width, height) <= min(plan.max_width, plan.max_height)
        if not (long_ok and short_ok):
            raise ApiError(
                400,
                "RESOLUTION_NOT_ALLOWED",
                f"Resolution {width}x{height} is not allowed on the {plan.name} plan "
                f"(max {plan.max_width}x{plan.max_height}). Use a lower dimension or upgrade your plan.",
            )

    def charge(self, quota_seconds: float) -> None:
        """Take credits (in quota seconds, 60 per credit); refuse when the balance is short."""
        if quota_seconds > self.quota_seconds:
            raise ApiError(402, "insufficient_credit", "Insufficient credit. Please top up or upgrade your plan.")
        self.quota_seconds -= quota_seconds

    def retry_after_value(self, seconds: int, form: str) -> str:
        if form == "http-date":
            return formatdate(time.time() + seconds, usegmt=True)
        return str(seconds)

    # lookups that raise HeyGen's not-found answers -------------------------------------------

    def video(self, video_id: str) -> Video:
        found = self.videos.get(video_id)
        if found is None:
            raise ApiError(404, 40104, "Video not found")
        return found

    def asset(self, asset_id: str, file_type: str, field_name: str) -> Asset:
        found = self.assets.get(asset_id)
        if found is None or found.file_type != file_type:
            raise ApiError(400, "invalid_parameter", f"{field_name}: {file_type} asset {asset_id} not found")
        return found

    def image_ref(self, key: str, field_name: str = "image_key") -> ImageRef:
        found = self.image_keys.get(key)
        if found is None:
            raise ApiError(400, "invalid_parameter", f"{field_name}: image key {key} not found")
        return found

    def group(self, group_id: str) -> Group:
        found = self.groups.get(group_id)
        if found is None:
            raise ApiError(404, "not_found", f"Avatar group {group_id} not found")
        return found

    def photo_avatar(self, avatar_id: str) -> PhotoAvatar:
        found = self.photo_avatars.get(avatar_id)
        if found is None:
            raise ApiError(404, "not_found", f"Photo avatar {avatar_id} not found")
        return found
