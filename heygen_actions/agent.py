"""The Video Agent (v3 only): a prompt becomes a finished video, in one go (`generate`) or as a conversation
(`chat`, continued with send_agent_message).

A session's status is HeyGen's (`thinking`, `waiting_for_input`, `reviewing`, `generating`, `completed`,
`failed`) in `raw_status`, and our vocabulary in `status`. A wait ends when the video is finished or failed,
or when a chat session waits for the user's answer (`needs_input`). Once the session is completed its video's
links are read once with GET /v3/videos/{id}.
"""

from heygen_actions.v3_only import file_refs, page_output, page_request, v3_only
from heygen_actions.videos import fetch_video_status
from heygen_core.action import HeyGenAction, created_id, job_result, reads_status_of
from heygen_core.app import integration
from heygen_core.routes import Request, call_routes, new_idempotency_key, routes_for
from heygen_core.shapes import as_dict, body_of, job_output, list_of, path_id, pick

FEATURE = "The Video Agent"
CREATE_OPTIONS = (
    "mode",
    "avatar_id",
    "voice_id",
    "style_id",
    "brand_kit_id",
    "orientation",
    "callback_id",
    "callback_url",
    "incognito_mode",
)
SEND_OPTIONS = ("avatar_id", "voice_id", "brand_kit_id")
SESSION_FIELDS = ("video_id", "title", "progress", "created_at")
VIDEO_LINKS = ("video_url", "thumbnail_url", "duration")
MESSAGE_FIELDS = ("role", "type", "content", "created_at", "resource_ids")


def session_status(session_id: str, data) -> dict:
    source = as_dict(data)
    output = job_output("session_id", session_id, source, pick(source, SESSION_FIELDS))
    output["needs_input"] = source.get("status") == "waiting_for_input"
    if output["status"] == "failed" and output["error"] is None:
        output["error"] = {"code": None, "message": "the Video Agent session failed or was stopped", "detail": None}
    output["messages"] = [pick(message, MESSAGE_FIELDS) for message in list_of(source, "messages")]
    return {**output, **dict.fromkeys(VIDEO_LINKS)}


SESSION_ROUTES = routes_for(
    "get_agent_session",
    v3_only("VideoAgentGet", FEATURE, response=lambda data, inputs: session_status(inputs["session_id"], data)),
)


@reads_status_of("get_agent_session")
async def fetch_session(api, session_id: str) -> dict:
    status = await call_routes(api, SESSION_ROUTES, {"session_id": path_id(session_id, "session_id")})
    if status["status"] in ("completed", "failed") and status["video_id"]:  # the video says where, or why not
        video = await fetch_video_status(api, status["video_id"])
        status.update(pick(video, VIDEO_LINKS))
        status["error"] = video["error"] or status["error"] if status["status"] == "failed" else None
    return status


def create_request(inputs: dict) -> Request:
    files = file_refs(inputs)
    return Request(
        body={"prompt": inputs["prompt"], **body_of(inputs, CREATE_OPTIONS), **({"files": files} if files else {})}
    )


CREATE_ROUTES = routes_for(
    "create_agent_video",
    v3_only(
        "VideoAgentCreate", FEATURE, creates=True, request=create_request, response=lambda data, inputs: as_dict(data)
    ),
)


def send_request(inputs: dict) -> Request:
    files = file_refs(inputs)
    body = {"message": inputs["message"], **body_of(inputs, SEND_OPTIONS), **({"files": files} if files else {})}
    return Request(params={"session_id": inputs["session_id"]}, body=body)


SEND_ROUTES = routes_for(
    "send_agent_message",
    v3_only("VideoAgentSend", FEATURE, creates=True, request=send_request, response=lambda data, inputs: as_dict(data)),
)
STOP_ROUTES = routes_for(
    "stop_agent_session",
    v3_only(
        "VideoAgentStop",
        FEATURE,
        request=lambda inputs: Request(params={"session_id": inputs["session_id"]}, body={}),
        response=lambda data, inputs: {
            "session_id": as_dict(data).get("session_id") or inputs["session_id"],
            "stopped": True,
        },
    ),
)
STYLE_FIELDS = ("style_id", "name", "aspect_ratio", "tags", "thumbnail_url", "preview_video_url")
STYLE_ROUTES = routes_for(
    "list_agent_styles",
    v3_only(
        "VideoAgentStylesList",
        FEATURE,
        request=lambda inputs: page_request(inputs, "tag"),
        response=page_output("styles", lambda style: pick(style, STYLE_FIELDS)),
    ),
)


@integration.action("create_agent_video")
class CreateAgentVideo(HeyGenAction):
    async def run(self, api, inputs):
        created = await call_routes(api, CREATE_ROUTES, inputs, idempotency_key=new_idempotency_key(inputs))
        session_id = created_id(created, "session_id")
        initial = session_status(session_id, created)
        return await job_result(api, inputs, fetch_session, session_id, initial)


@integration.action("get_agent_session")
class GetAgentSession(HeyGenAction):
    async def run(self, api, inputs):
        return await job_result(api, inputs, fetch_session, inputs["session_id"])


@integration.action("send_agent_message")
class SendAgentMessage(HeyGenAction):
    async def run(self, api, inputs):
        path_id(inputs["session_id"], "session_id")
        sent = await call_routes(api, SEND_ROUTES, inputs, idempotency_key=new_idempotency_key(inputs))
        status = await job_result(api, inputs, fetch_session, inputs["session_id"])
        return {**status, "run_id": sent.get("run_id")}


@integration.action("stop_agent_session")
class StopAgentSession(HeyGenAction):
    async def run(self, api, inputs):
        path_id(inputs["session_id"], "session_id")
        return await call_routes(api, STOP_ROUTES, inputs)


@integration.action("list_agent_styles")
class ListAgentStyles(HeyGenAction):
    async def run(self, api, inputs):
        return await call_routes(api, STYLE_ROUTES, inputs)
