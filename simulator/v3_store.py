"""Records only HeyGen's v3 has (translations with one id per language, batches, direct-upload slots,
designed and cloned voices, digital twins, consents, lipsyncs, background removals, agent sessions).
Everything v1/v2 also knows (videos, assets, avatar groups and looks, webhook endpoints) stays on
``SimState`` / the webhook registry, so a record made on one generation is visible on the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .jobs import Job
from .state import SimState


@dataclass
class Translation:
    id: str
    video_id: str  # the translated video in state.videos (kind "translation")
    output_language: str
    input_language: str | None
    title: str | None
    callback_id: str | None
    translate_audio_only: bool
    created_at: float


@dataclass
class Upload:
    """A direct-upload slot: POST direct-uploads -> PUT the bytes -> POST complete."""

    asset_id: str
    filename: str
    content_type: str
    size_bytes: int
    checksum_sha256: str | None
    expires_at: float
    data: bytes | None = None
    completed: bool = False


@dataclass
class Voice:
    """A private voice: designed (POST /v3/voices) or cloned (POST /v3/voices/clone)."""

    voice_id: str
    name: str
    gender: str
    language: str
    created_at: float
    job: Job  # processing -> complete | failed
    failure_message: str | None = None


@dataclass
class Consent:
    group_id: str
    requested_at: float
    job: Job  # pending -> approved


@dataclass
class Batch:
    id: str
    title: str | None
    created_at: float
    items: list[tuple[str | None, dict | None]]  # (video_id, error) per item, in order


@dataclass
class V3Store:
    translations: dict[str, Translation] = field(default_factory=dict)
    translation_of_video: dict[str, str] = field(default_factory=dict)  # translated video id -> translation id
    uploads: dict[str, Upload] = field(default_factory=dict)
    voices: dict[str, Voice] = field(default_factory=dict)
    look_types: dict[str, str] = field(default_factory=dict)  # private look id -> digital_twin (else photo)
    consents: dict[str, Consent] = field(default_factory=dict)
    video_batches: dict[str, Batch] = field(default_factory=dict)
    translation_batches: dict[str, Batch] = field(default_factory=dict)  # items: translated video ids
    lipsync_batches: dict[str, Batch] = field(default_factory=dict)  # items: lipsync ids
    upload_batches: dict[str, Batch] = field(default_factory=dict)  # items: asset ids of direct-upload slots
    speeches: dict[str, float] = field(default_factory=dict)  # speech id -> seconds of audio
    jobs: Any = None  # v3_jobs.JobStore: lipsyncs, background removals, agent sessions
    editing: Any = None  # v3_editing: AI clipping jobs and proofreads


def store(state: SimState) -> V3Store:
    if state.v3 is None:
        state.v3 = V3Store()
    return state.v3
