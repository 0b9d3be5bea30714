"""Lipsync (v3 only): a video and new audio become a re-voiced video, lips matched to the new audio.

Each source is a URL (HeyGen fetches it), an asset id, or a file, which is uploaded first exactly as
upload_asset uploads it; the upload's key derives from the lipsync's idempotency_key, so a rerun reuses it.
"""

from heygen_actions.media_inputs import asset_ref, check_one_source
from heygen_actions.v3_only import page_output, page_request, v3_only
from heygen_core.action import HeyGenAction, created_id, job_result, reads_status_of
from heygen_core.app import integration
from heygen_core.inputs import reject
from heygen_core.routes import Request, call_routes, new_idempotency_key, routes_for
from heygen_core.shapes import as_dict, body_of, job_output, path_id, pick

FEATURE = "Lipsync"
SOURCES = ("video", "audio")
OPTIONS = (
    "title",
    "mode",
    "callback_id",
    "callback_url",
    "folder_id",
    "enable_caption",
    "disable_music_track",
    "enable_speech_enhancement",
    "start_time",
    "end_time",
)
LIPSYNC_FIELDS = ("title", "video_url", "caption_url", "duration", "callback_id", "created_at")


def lipsync_status(lipsync_id: str, data) -> dict:
    source = as_dict(data)
    return job_output("lipsync_id", lipsync_id, source, pick(source, LIPSYNC_FIELDS), error_keys=("failure_message",))


STATUS_ROUTES = routes_for(
    "get_lipsync_status",
    v3_only("LipsyncGet", FEATURE, response=lambda data, inputs: lipsync_status(inputs["lipsync_id"], data)),
)


@reads_status_of("get_lipsync_status")
async def fetch_lipsync(api, lipsync_id: str) -> dict:
    return await call_routes(api, STATUS_ROUTES, {"lipsync_id": path_id(lipsync_id, "lipsync_id")})


CREATE_ROUTES = routes_for(
    "create_lipsync",
    v3_only(
        "LipsyncCreate",
        FEATURE,
        creates=True,
        request=lambda inputs: Request(body={side: inputs[side] for side in SOURCES} | body_of(inputs, OPTIONS)),
        response=lambda data, inputs: created_id(data, "lipsync_id"),
    ),
)
LIST_ROUTES = routes_for(
    "list_lipsyncs",
    v3_only(
        "LipsyncList",
        FEATURE,
        request=page_request,
        response=page_output("lipsyncs", lambda item: lipsync_status(str(item.get("id")), item)),
    ),
)
DELETE_ROUTES = routes_for(
    "delete_lipsync",
    v3_only(
        "LipsyncDelete", FEATURE, response=lambda data, inputs: {"lipsync_id": inputs["lipsync_id"], "deleted": True}
    ),
)


@integration.action("create_lipsync")
class CreateLipsync(HeyGenAction):
    async def run(self, api, inputs):
        start, end = inputs.get("start_time"), inputs.get("end_time")
        if start is not None and end is not None and end <= start:
            raise reject("end_time", "must be after start_time")
        key = new_idempotency_key(inputs)
        for side in SOURCES:  # both refused before any upload when either is missing or doubled
            check_one_source(inputs, side)
        # a file is uploaded first, checked for its kind before it is sent; its key derives from the lipsync's
        refs = {side: await asset_ref(api, inputs, side, side, upload_key=f"{key}:{side}") for side in SOURCES}
        lipsync_id = await call_routes(api, CREATE_ROUTES, {**inputs, **refs}, idempotency_key=key)
        initial = lipsync_status(lipsync_id, {"title": inputs.get("title"), "callback_id": inputs.get("callback_id")})
        return await job_result(api, inputs, fetch_lipsync, lipsync_id, initial)


@integration.action("get_lipsync_status")
class GetLipsyncStatus(HeyGenAction):
    async def run(self, api, inputs):
        return await job_result(api, inputs, fetch_lipsync, inputs["lipsync_id"])


@integration.action("list_lipsyncs")
class ListLipsyncs(HeyGenAction):
    async def run(self, api, inputs):
        return await call_routes(api, LIST_ROUTES, inputs)


@integration.action("delete_lipsync")
class DeleteLipsync(HeyGenAction):
    async def run(self, api, inputs):
        path_id(inputs["lipsync_id"], "lipsync_id")
        return await call_routes(api, DELETE_ROUTES, inputs)
