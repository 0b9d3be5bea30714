"""Avatar videos: multi-scene studio videos, Avatar IV photo videos, and their status."""

from heygen_core.action import HeyGenAction, created_id, job_result
from heygen_core.app import integration
from heygen_core.shapes import body_of, job_output, pick

VIDEO_FIELDS = (
    "video_url",
    "thumbnail_url",
    "gif_url",
    "caption_url",
    "video_url_caption",
    "duration",
    "created_at",
    "callback_id",
)
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
    """get_video_status's output, shared by every action that creates or waits for a video."""
    return job_output("video_id", video_id, data, pick(data, VIDEO_FIELDS))


async def fetch_video_status(api, video_id: str) -> dict:
    return video_status(video_id, await api.get("/v1/video_status.get", {"video_id": video_id}))


async def start_video(api, inputs: dict, path: str, body: dict) -> dict:
    """Sends a video-creating POST once, then returns its status (waited for when asked)."""
    video_id = created_id(await api.post(path, body), "video_id")
    initial = video_status(video_id, {"callback_id": inputs.get("callback_id")})
    return await job_result(api, inputs, fetch_video_status, video_id, initial)


@integration.action("create_avatar_video")
class CreateAvatarVideo(HeyGenAction):
    async def run(self, api, inputs):
        body = {"video_inputs": inputs["video_inputs"], **body_of(inputs, VIDEO_OPTIONS)}
        return await start_video(api, inputs, "/v2/video/generate", body)


@integration.action("create_photo_avatar_video")
class CreatePhotoAvatarVideo(HeyGenAction):
    async def run(self, api, inputs):
        return await start_video(api, inputs, "/v2/video/av4/generate", body_of(inputs, AVATAR_IV_FIELDS))


@integration.action("get_video_status")
class GetVideoStatus(HeyGenAction):
    async def run(self, api, inputs):
        return await job_result(api, inputs, fetch_video_status, inputs["video_id"])
