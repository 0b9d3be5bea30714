"""The video library: listing and deleting videos, and transparent-background WebM videos."""

from heygen_core.action import HeyGenAction
from heygen_core.app import integration
from heygen_core.inputs import reject
from heygen_core.jobs import normalize_status
from heygen_core.routes import Request, call_routes, on_legacy, on_v3, routes_for
from heygen_core.shapes import as_dict, list_of
from heygen_actions import video_requests
from heygen_actions.videos import created_video, legacy_create, start_video

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


def video_list(data, inputs) -> dict:
    """Both generations' lists as one output: v3 puts the cursor beside `data`, v1 inside it."""
    items = [library_entry(item) for item in list_of(data, "videos") if item.get("video_id") or item.get("id")]
    next_token = getattr(data, "next_token", None) or as_dict(data).get("token") or None
    return {"videos": items, "next_token": next_token, "has_more": bool(getattr(data, "has_more", next_token))}


def list_query(inputs: dict) -> Request:
    return Request(query={name: inputs.get(name) for name in ("limit", "token", "folder_id", "title")})


LIST_ROUTES = routes_for(
    "list_videos",
    on_v3("VideoList", request=list_query, response=video_list),
    on_legacy("GET", "/v1/video.list", request=list_query, response=video_list),
)
DELETE_ROUTES = routes_for(
    "delete_video",
    on_v3("VideoDelete"),
    on_legacy("DELETE", "/v1/video.delete", request=lambda inputs: Request(query={"video_id": inputs["video_id"]})),
)
WEBM_ROUTES = routes_for(
    "create_webm_video",
    on_v3("VideoCreate", creates=True, request=video_requests.webm_request, response=created_video),
    legacy_create("/v1/video.webm", WEBM_FIELDS, required="avatar_pose_id"),
)


@integration.action("list_videos")
class ListVideos(HeyGenAction):
    async def run(self, api, inputs):
        return await call_routes(api, LIST_ROUTES, inputs)


@integration.action("delete_video")
class DeleteVideo(HeyGenAction):
    async def run(self, api, inputs):
        await call_routes(api, DELETE_ROUTES, inputs)
        return {"video_id": inputs["video_id"], "deleted": True}


@integration.action("create_webm_video")
class CreateWebmVideo(HeyGenAction):
    async def run(self, api, inputs):
        if not inputs.get("avatar_id") and not inputs.get("avatar_pose_id"):
            raise reject("avatar_id", "is required: an avatar look id (or avatar_pose_id on HeyGen's legacy API)")
        return await start_video(api, inputs, WEBM_ROUTES)
