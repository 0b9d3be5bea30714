"""Configuration of the local HeyGen simulator: plan limits, job durations and injected faults.

Everything here is a plain dataclass so tests can build one in a line and change it while the
server runs (``sim.config.faults = Faults(burst_429=2)`` takes effect on the next request).

Counted faults ("the next N requests ...") are consumed in place: after a request used one,
the field on the live ``Faults`` object is one lower, so a test can see what is left.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

MB = 1024 * 1024
LEGACY_MODES = ("served", "deprecated", "retired")
# HeyGen retired v1/v2 on 2026-11-01: "retired" is what HeyGen serves today, so it is the default.
# HEYGEN_SIM_LEGACY picks another mode for a whole run (the test suite's v1/v2 wire tests use "served").
LEGACY_VARIABLE = "HEYGEN_SIM_LEGACY"
RETIRED = "retired"


def default_legacy() -> str:
    return os.environ.get(LEGACY_VARIABLE, "").strip().lower() or RETIRED


@dataclass
class Plan:
    """The account plan HeyGen enforces (docs.heygen.com/reference/limits).

    concurrent_jobs: video jobs that may be unfinished at once; one more gets 429 + Retry-After.
    max_video_seconds: a longer script is accepted but the job fails with code 40119.
    max_width/max_height: the largest resolution; compared orientation-free (long side with long side),
    so a Pro plan takes 1080x1920 portrait as well as 1920x1080.
    credits: starting balance; GET /v2/user/remaining_quota reports credits * 60.
    """

    name: str = "pro"
    concurrent_jobs: int = 3
    max_video_seconds: float = 300.0
    max_width: int = 1920
    max_height: int = 1080
    credits: float = 1000.0

    @classmethod
    def named(cls, name: str) -> Plan:
        """One of HeyGen's published tiers: free, pro, scale, enterprise."""
        try:
            return cls(**PLAN_PRESETS[name])
        except KeyError:
            raise ValueError(f"unknown plan {name!r}; choose one of {', '.join(PLAN_PRESETS)}") from None


PLAN_PRESETS: dict[str, dict] = {
    "free": {
        "name": "free",
        "concurrent_jobs": 1,
        "max_video_seconds": 180.0,
        "max_width": 1280,
        "max_height": 720,
        "credits": 10.0,
    },
    "pro": {
        "name": "pro",
        "concurrent_jobs": 3,
        "max_video_seconds": 300.0,
        "max_width": 1920,
        "max_height": 1080,
        "credits": 1000.0,
    },
    "scale": {
        "name": "scale",
        "concurrent_jobs": 6,
        "max_video_seconds": 1800.0,
        "max_width": 3840,
        "max_height": 2160,
        "credits": 5000.0,
    },
    "enterprise": {
        "name": "enterprise",
        "concurrent_jobs": 20,
        "max_video_seconds": 3600.0,
        "max_width": 4096,
        "max_height": 4096,
        "credits": 100000.0,
    },
}


@dataclass
class Durations:
    """Nominal job durations in seconds, before ``SimulatorConfig.time_scale`` is applied.

    A video waits ``video_queue`` then processes for ``video_base + video_per_output_second`` x its
    length: a 10 s script is done after 1 + 2 + 5 = 8 s, a 60 s one after 33 s (time_scale 1.0).
    """

    video_queue: float = 1.0
    video_base: float = 2.0
    video_per_output_second: float = 0.5
    photo_generation: float = 8.0
    look_generation: float = 8.0
    photo_avatar: float = 2.0
    training_pending: float = 2.0
    training: float = 18.0
    motion: float = 10.0
    upscale: float = 5.0


@dataclass
class Faults:
    """Misbehaviour to inject. Scope: ``path_prefix`` and ``method`` limit every fault except
    ``slow_paths`` (which names its own paths); None means every request, media files included.

    error_rate: fraction of requests answered 500 with HeyGen's error body (random, seeded).
    latency_ms: added before every answer.
    burst_429: the next N requests get 429 with ``Retry-After`` = ``retry_after`` written as
        delta-seconds (``retry_after_form="seconds"``) or an HTTP-date (``"http-date"``).
    slow_paths: exact path -> seconds; the request is handled FULLY (a job is created) and only
        then does the server sleep, so a client that times out has still been "heard".
    status_503: the next N requests get 503 (not processed).
    drop_before_processing: the next N requests see the connection closed without an answer and
        nothing is processed.
    drop_after_processing: the next N requests are processed (a job exists) and then the
        connection is closed without an answer.
    broken_json: the next N JSON answers are cut off mid-body (Content-Type still application/json).
    html_error: the next N requests get a 502 with an HTML page, as a gateway would send (not processed).
    hold_in_flight: exact path -> seconds a v3 job-creating POST is held AFTER its job was created and
        BEFORE its answer is recorded for idempotent replay, so a resend with the same Idempotency-Key
        meanwhile gets 409 ``request_in_progress`` (not scoped by path_prefix/method, like slow_paths).
    """

    error_rate: float = 0.0
    latency_ms: int = 0
    burst_429: int = 0
    retry_after: int = 1
    retry_after_form: str = "seconds"
    slow_paths: dict[str, float] = field(default_factory=dict)
    status_503: int = 0
    drop_before_processing: int = 0
    drop_after_processing: int = 0
    broken_json: int = 0
    html_error: int = 0
    hold_in_flight: dict[str, float] = field(default_factory=dict)
    path_prefix: str | None = None
    method: str | None = None

    def applies_to(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path_prefix is None or path.startswith(self.path_prefix)

    def take(self, name: str) -> bool:
        """Consume one of the counted fault ``name`` if any is left."""
        left = getattr(self, name)
        if left > 0:
            setattr(self, name, left - 1)
            return True
        return False


@dataclass
class SimulatorConfig:
    """How the simulator behaves. ``time_scale`` multiplies every duration in ``durations``
    (0.05 makes an 8 s video take 0.4 s); a job keeps the scale it was created with.
    The catalogue sizes exist for benchmarks: ``voices_count=2000`` gives a HeyGen-sized voice list.

    api_keys: accepted X-Api-Key values / Bearer tokens; None accepts any non-empty one.
    render_cap_seconds: longest video file actually rendered (300 s, the Pro plan's limit, renders in about
        5 s); a longer video's file holds its first ``render_cap_seconds`` and its answer says so in an
        ``X-Simulator-Rendered-Seconds`` header, while its reported ``duration``, captions, job time and
        credits still cover the whole script. None disables the cap.
    render_long_side: pixels on the long side of rendered videos, thumbnails and GIFs, in the asked aspect ratio
        (the asked width/height is kept on the video); None renders at the asked size (about 5x slower at 720p).
    seed: makes ids and the error_rate dice reproducible.
    streaming_concurrent_sessions: open streaming sessions allowed at once (HeyGen trial tokens: 3).
    legacy: what v1/v2 paths do: "served" (as before the retirement), "deprecated" (answers carry
        HeyGen's Deprecation/Sunset headers and a body ``warning``) or "retired" (404; v2 as an HTML page).
    header_timeout_seconds / body_timeout_seconds: a client that has not sent its request headers (or
        body) in this time gets 408 and is disconnected, so slow clients cannot hold the server.
    max_asset_bytes: POST /v3/assets' limit (HeyGen: 32 MB; 413 above).
    max_direct_upload_bytes: the largest direct upload slot (``max_bytes``); its bytes are held in memory.
    idempotency_ttl_seconds: how long (simulated clock) an Idempotency-Key is remembered (HeyGen: 24 h).
    unserved_v3: v3 endpoint names (schema-file names, e.g. "VideoBatchesCreate") answered with an HTML 404 page,
        as HeyGen answers a route an account is not served: clients' fallbacks can be proved.
    check_answers: check every successful v3 answer against its response schema as it is sent; violations
        are collected in ``Simulator.answer_problems`` (off by default: it costs time per request).
    """

    time_scale: float = 1.0
    plan: Plan = field(default_factory=Plan)
    faults: Faults = field(default_factory=Faults)
    durations: Durations = field(default_factory=Durations)
    api_keys: set[str] | None = None
    host: str = "127.0.0.1"
    port: int = 0
    seed: int = 0
    avatars_count: int = 30
    talking_photos_count: int = 10
    voices_count: int = 60
    render_cap_seconds: float | None = 300.0
    render_long_side: int | None = 320
    max_image_bytes: int = 50 * MB
    max_video_bytes: int = 100 * MB
    max_audio_bytes: int = 50 * MB
    media_url_ttl_seconds: int = 7 * 24 * 3600
    streaming_concurrent_sessions: int = 3
    legacy: str = field(default_factory=default_legacy)
    header_timeout_seconds: float = 10.0
    body_timeout_seconds: float = 30.0
    max_asset_bytes: int = 32 * MB
    max_direct_upload_bytes: int = 200 * MB
    idempotency_ttl_seconds: float = 24 * 3600
    check_answers: bool = False
    unserved_v3: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.legacy not in LEGACY_MODES:
            raise ValueError(f"legacy must be one of {', '.join(LEGACY_MODES)} (got {self.legacy!r})")
