"""Avatar videos: multi-scene studio videos, Avatar IV photo videos, and their status, on v3 and the legacy API.

Each action lists its routes (v3 first, legacy second); `heygen_core.routes.call_routes` picks the one to use.
The v3 request adapters live in `video_requests`; both generations' answers become the same output here.
"""

from heygen_core.action import HeyGenAction, created_id, job_result, reads_status_of
from heygen_core.app import integration
from heygen_core.jobs import as_dict
from heygen_core.routes import (
    NotExpressible,
    Request,
    call_routes,
    new_idempotency_key,
    on_legacy,
    on_v3,
    routes_for,
)
from heygen_core.shapes import body_of, job_output, pick
from heygen_actions import video_requests

VIDEO_FIELDS = (
    "video_url",
    "thumbnail_url",
    "gif_url",
    "caption_url",
    "video_url_caption",
    "duration",
    "created_at",
    "callback_id",
    "completed_at",
    "subtitle_url",
    "captioned_video_url",
    "video_page_url",
    "output_language",
)
# v3 field -> our field, where the names differ
V3_NAMES = {"subtitle_url": "caption_url", "captioned_video_url": "video_url_caption"}
VIDEO_OPTIONS = ("title", "caption", "dimension", "folder_id", "callback_id", "callback_url", "test")
AVATAR_IV_FIELDS = (
    "image_key",
    "video_title",
    "script",
    "voice_id",
    "video_orientation",
    "fit",
    "custom_motion_prompt",
    "enhance_custom_motion_prompt",
    "audio_url",
    "audio_asset_id",
)


def video_status(video_id: str, data) -> dict:
    """get_video_status's output from a legacy answer, shared by every action that creates or waits for a video."""
    source = as_dict(data)
    output = job_output("video_id", video_id, data, pick(data, VIDEO_FIELDS))
    output["captioned_video_url"] = output["captioned_video_url"] or source.get("video_url_caption")
    return output


def v3_video_status(video_id: str, data) -> dict:
    """The same output from a v3 Video object: `failure_code`/`failure_message` become `error`."""
    source = dict(as_dict(data))
    for v3_name, ours in V3_NAMES.items():
        source.setdefault(ours, source.get(v3_name))
    failure = {"code": source.get("failure_code"), "message": source.get("failure_message")}
    source["error"] = failure if any(failure.values()) else None
    return job_output("video_id", video_id, source, pick(source, VIDEO_FIELDS))


STATUS_ROUTES = routes_for(
    "get_video_status",
    on_v3("VideoGet", response=lambda data, inputs: v3_video_status(inputs["video_id"], data)),
    on_legacy(
        "GET",
        "/v1/video_status.get",
        request=lambda inputs: Request(query={"video_id": inputs["video_id"]}),
        response=lambda data, inputs: video_status(inputs["video_id"], data),
    ),
)


@reads_status_of("get_video_status")
async def fetch_video_status(api, video_id: str) -> dict:
    return await call_routes(api, STATUS_ROUTES, {"video_id": video_id})


def created_video(data, inputs) -> str:
    return created_id(data, "video_id")


def legacy_create(path: str, fields, required: str | None = None, **options):
    """A legacy create whose body is the named inputs as they are."""

    def request(inputs: dict) -> Request:
        if required and not inputs.get(required):
            raise NotExpressible(required, f"the legacy API needs {required} for this video")
        return Request(body=body_of(inputs, fields))

    return on_legacy("POST", path, creates=True, request=request, response=created_video, **options)


async def start_video(api, inputs: dict, routes, key: str | None = None) -> dict:
    """Sends a video-creating request once (or resends it under the same idempotency key), then its status."""
    video_id = await call_routes(api, routes, inputs, idempotency_key=key or new_idempotency_key(inputs))
    initial = video_status(video_id, {"callback_id": inputs.get("callback_id")})
    return await job_result(api, inputs, fetch_video_status, video_id, initial)


def studio_legacy_body(inputs: dict) -> Request:
    return Request(body={"video_inputs": inputs["video_inputs"], **body_of(inputs, VIDEO_OPTIONS)})


STUDIO_ROUTES = routes_for(
    "create_avatar_video",
    on_v3("VideoCreate", creates=True, request=video_requests.studio_request, response=created_video),
    on_legacy("POST", "/v2/video/generate", creates=True, request=studio_legacy_body, response=created_video),
)
AVATAR_IV_ROUTES = routes_for(
    "create_photo_avatar_video",
    on_v3("VideoCreate", creates=True, request=video_requests.image_video_request, response=created_video),
    legacy_create("/v2/video/av4/generate", AVATAR_IV_FIELDS, required="image_key"),
)


@integration.action("create_avatar_video")
class CreateAvatarVideo(HeyGenAction):
    async def run(self, api, inputs):
        return await start_video(api, inputs, STUDIO_ROUTES)


@integration.action("create_photo_avatar_video")
class CreatePhotoAvatarVideo(HeyGenAction):
    async def run(self, api, inputs):
        return await start_video(api, inputs, AVATAR_IV_ROUTES)


@integration.action("get_video_status")
class GetVideoStatus(HeyGenAction):
    async def run(self, api, inputs):
        return await job_result(api, inputs, fetch_video_status, inputs["video_id"])
