"""The video library: listing and deleting videos, and transparent-background WebM videos."""

from heygen_core.action import HeyGenAction
from heygen_core.app import integration
from heygen_core.jobs import normalize_status
from heygen_core.shapes import as_dict, body_of, list_of
from heygen_actions.videos import start_video

WEBM_FIELDS = ("avatar_pose_id", "avatar_style", "input_text", "voice_id", "input_audio", "dimension")


def unix_time(value) -> float | int | None:
    """A timestamp as a number; HeyGen documents numbers, anything else is dropped rather than break the output."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def library_entry(item: dict) -> dict:
    raw = item.get("status")
    return {
        "video_id": str(item.get("video_id") or item.get("id")),
        "status": normalize_status(raw),
        "raw_status": None if raw is None else str(raw),
        "created_at": unix_time(item.get("created_at")),
        "type": item.get("type"),
        "title": item.get("video_title") or item.get("title"),
    }


@integration.action("list_videos")
class ListVideos(HeyGenAction):
    async def run(self, api, inputs):
        query = {name: inputs.get(name) for name in ("limit", "token", "folder_id", "title")}
        data = await api.get("/v1/video.list", query)
        return {
            "videos": [
                library_entry(item) for item in list_of(data, "videos") if item.get("video_id") or item.get("id")
            ],
            "next_token": as_dict(data).get("token") or None,
        }


@integration.action("delete_video")
class DeleteVideo(HeyGenAction):
    async def run(self, api, inputs):
        video_id = inputs["video_id"]
        await api.delete("/v1/video.delete", {"video_id": video_id})
        return {"video_id": video_id, "deleted": True}


@integration.action("create_webm_video")
class CreateWebmVideo(HeyGenAction):
    async def run(self, api, inputs):
        return await start_video(api, inputs, "/v1/video.webm", body_of(inputs, WEBM_FIELDS))
