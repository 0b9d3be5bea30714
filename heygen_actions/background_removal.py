"""Background removal (v3 only): a video becomes its layers (foreground, mask, background), each a video.

HeyGen deduplicates this create by the body's `request_id`, not by Idempotency-Key: it is the workflow's
idempotency_key when given, else a new one per logical request; a resend after a timeout carries the same.
"""

import uuid

from heygen_actions.v3_only import asset_ref, v3_only
from heygen_core.action import HeyGenAction, created_id, job_result, reads_status_of
from heygen_core.app import integration
from heygen_core.routes import Request, call_routes, routes_for
from heygen_core.shapes import as_dict, body_of, job_output, path_id, pick

FEATURE = "Background removal"
LAYERS = ("foreground", "mask", "background")
JOB_FIELDS = ("duration", "created_at", "completed_at")


def removal_status(job_id: str, data) -> dict:
    source = as_dict(data)
    layers = as_dict(source.get("layers"))
    output = job_output("job_id", job_id, source, pick(source, JOB_FIELDS))
    return {**output, "layers": {layer: layers.get(layer) for layer in LAYERS}}


STATUS_ROUTES = routes_for(
    "get_background_removal",
    v3_only("BackgroundRemovalGet", FEATURE, response=lambda data, inputs: removal_status(inputs["job_id"], data)),
)


@reads_status_of("get_background_removal")
async def fetch_removal(api, job_id: str) -> dict:
    return await call_routes(api, STATUS_ROUTES, {"job_id": path_id(job_id, "job_id")})


def create_request(inputs: dict) -> Request:
    body = {
        "video": asset_ref(inputs, "video"),
        "request_id": inputs["request_id"],
        **body_of(inputs, ("layers", "title")),
    }
    return Request(body=body)


def created(data, inputs) -> dict:
    return removal_status(created_id(data, "id"), data)


CREATE_ROUTES = routes_for(
    "remove_video_background",
    v3_only("BackgroundRemovalCreate", FEATURE, deduplicated=True, request=create_request, response=created),
)


@integration.action("remove_video_background")
class RemoveVideoBackground(HeyGenAction):
    async def run(self, api, inputs):
        request_id = str(inputs.get("idempotency_key") or uuid.uuid4())
        asset_ref(inputs, "video")  # refused before anything is sent
        initial = await call_routes(api, CREATE_ROUTES, {**inputs, "request_id": request_id})
        result = await job_result(api, inputs, fetch_removal, initial["job_id"], initial)
        return {**result, "request_id": request_id}


@integration.action("get_background_removal")
class GetBackgroundRemoval(HeyGenAction):
    async def run(self, api, inputs):
        return await job_result(api, inputs, fetch_removal, inputs["job_id"])
