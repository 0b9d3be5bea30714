"""Lipsync (v3 only): a video and new audio become a re-voiced video, lips matched to the new audio.

Each source is a URL (HeyGen fetches it), an asset id, or a file, which is uploaded first exactly as
upload_asset uploads it; the upload's key derives from the lipsync's idempotency_key, so a rerun reuses it.
"""

from autohive_integrations_sdk import ValidationError

from heygen_actions.assets import ALLOWED, uploaded_asset
from heygen_actions.v3_only import asset_ref, page_output, page_request, v3_only
from heygen_core.action import HeyGenAction, created_id, job_result, reads_status_of
from heygen_core.app import integration
from heygen_core.inputs import REJECT_PREFIX, reject
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


async def source_ref(api, inputs: dict, side: str, key: str) -> dict:
    """HeyGen's reference to one source; a `<side>_file` is uploaded first and referred to by its asset id."""
    file = inputs.get(f"{side}_file")
    if file is None:
        return asset_ref(inputs, side)
    if inputs.get(f"{side}_url") is not None or inputs.get(f"{side}_asset_id") is not None:
        raise reject(f"{side}_file", f"give exactly one of {side}_url, {side}_asset_id or {side}_file")
    try:
        asset = await uploaded_asset(api, {"file": file, "idempotency_key": f"{key}:{side}"})
    except ValidationError as refused:  # upload_asset names its own input `file`
        raise ValidationError(
            str(refused).replace(f"{REJECT_PREFIX}file", f"{REJECT_PREFIX}{side}_file"), source="input"
        ) from None
    kind = ALLOWED[asset["content_type"]][0]
    if kind != side:  # uploaded, but HeyGen's lipsync would refuse it only after queueing
        raise reject(f"{side}_file", f"is {kind} ({asset['content_type']}), not {side}")
    return {"type": "asset_id", "asset_id": asset["asset_id"]}


@integration.action("create_lipsync")
class CreateLipsync(HeyGenAction):
    async def run(self, api, inputs):
        start, end = inputs.get("start_time"), inputs.get("end_time")
        if start is not None and end is not None and end <= start:
            raise reject("end_time", "must be after start_time")
        key = new_idempotency_key(inputs)
        for side in SOURCES:  # both refused before any upload when either is missing
            if not any(inputs.get(f"{side}_{kind}") is not None for kind in ("url", "asset_id", "file")):
                raise reject(f"{side}_url", f"give one of {side}_url, {side}_asset_id or {side}_file")
        refs = {side: await source_ref(api, inputs, side, key) for side in SOURCES}
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
