"""Digital twins on HeyGen's v3 API: footage becomes a private avatar, which HeyGen uses only after the person
filmed consents; and renaming or deleting one look of a private avatar.

A twin trains in its group: `create_digital_twin` polls GET /v3/avatars/{group_id} when asked to wait, and the
wait ends at `completed`, `failed` or `pending_consent`: trained, but unusable until consent is given, which
`request_avatar_consent` starts (HeyGen hosts the page the person visits).
"""

from heygen_core.action import HeyGenAction, job_result
from heygen_core.app import integration
from heygen_core.errors import HeyGenError, MAYBE_CREATED_HINT
from heygen_core.routes import Request, call_routes, on_v3, routes_for
from heygen_core.shapes import as_dict, body_of, job_output
from heygen_actions.media_inputs import asset_ref, check_one_source

PENDING_CONSENT = "pending_consent"
CONSENT_STEP = "run request_avatar_consent with this group_id: the person filmed confirms on HeyGen's consent page"
LOOK_FIELDS = ("id", "name", "avatar_type", "group_id", "status", "preview_image_url", "preview_video_url")


def twin_status(group_id: str, group, look_id: str | None = None) -> dict:
    """A twin's training as a job status; `consent_required` says when HeyGen waits for the person's consent."""
    source = as_dict(group)
    raw = source.get("status")
    consent = source.get("consent_status")
    needs_consent = raw == PENDING_CONSENT
    status = job_output("group_id", group_id, source, {"avatar_id": look_id, "name": source.get("name")})
    if needs_consent:  # trained: nothing more happens until consent is given
        status["status"] = "completed"
    return {
        **status,
        "consent_status": consent if isinstance(consent, str) else None,
        "consent_required": needs_consent,
        "next_step": CONSENT_STEP if needs_consent else None,
    }


def created_twin(data, inputs) -> dict:
    group, look = as_dict(as_dict(data).get("avatar_group")), as_dict(as_dict(data).get("avatar_item"))
    group_id = group.get("id") or look.get("group_id")
    if not group_id:
        raise HeyGenError("HeyGen accepted the twin but its answer has no avatar group", hint=MAYBE_CREATED_HINT)
    return twin_status(str(group_id), group or {"status": look.get("status")}, look.get("id"))


CREATE_ROUTES = routes_for(
    "create_digital_twin",
    on_v3(
        "AvatarCreate",
        creates=True,
        request=lambda inputs: Request(
            body={"type": "digital_twin", "name": inputs["name"], "file": inputs["file"]}
            | body_of(inputs, ("avatar_group_id",))
        ),
        response=created_twin,
    ),
)
STATUS_ROUTES = routes_for(
    "create_digital_twin",
    on_v3("AvatarGet", response=lambda data, inputs: twin_status(inputs["group_id"], data, inputs.get("avatar_id"))),
)
CONSENT_ROUTES = routes_for(
    "request_avatar_consent",
    on_v3(
        "AvatarConsentCreate",
        creates=True,
        request=lambda inputs: Request(
            params={"group_id": inputs["group_id"]}, body=body_of(inputs, ("consent_text", "reroute_url"))
        ),
        response=lambda data, inputs: {
            "group_id": inputs["group_id"],
            "consent_url": as_dict(data).get("url"),
            "consent_status": as_dict(as_dict(data).get("avatar_group")).get("consent_status"),
            "status": as_dict(as_dict(data).get("avatar_group")).get("status"),
        },
    ),
)


def look_output(data, inputs) -> dict:
    look = as_dict(data)
    return {field: look.get(field) for field in LOOK_FIELDS} | {"id": look.get("id") or inputs["look_id"]}


RENAME_ROUTES = routes_for(
    "rename_avatar_look",
    on_v3(
        "AvatarLooksUpdate",
        request=lambda inputs: Request(params={"look_id": inputs["look_id"]}, body={"name": inputs["name"]}),
        response=look_output,
    ),
)
DELETE_LOOK_ROUTES = routes_for("delete_avatar_look", on_v3("AvatarLooksDelete"))


def twin_fetcher(look_id: str | None):
    async def fetch(api, group_id: str) -> dict:
        return await call_routes(api, STATUS_ROUTES, {"group_id": group_id, "avatar_id": look_id})

    fetch.status_action = "check_training_status"
    return fetch


@integration.action("create_digital_twin")
class CreateDigitalTwin(HeyGenAction):
    async def run(self, api, inputs):
        check_one_source(inputs, "footage")  # refused before a file is uploaded or anything is sent
        footage = await asset_ref(api, inputs, "footage", "video")
        initial = await call_routes(api, CREATE_ROUTES, {**inputs, "file": footage})
        return await job_result(api, inputs, twin_fetcher(initial["avatar_id"]), initial["group_id"], initial)


@integration.action("request_avatar_consent")
class RequestAvatarConsent(HeyGenAction):
    async def run(self, api, inputs):
        return await call_routes(api, CONSENT_ROUTES, inputs)


@integration.action("rename_avatar_look")
class RenameAvatarLook(HeyGenAction):
    async def run(self, api, inputs):
        return await call_routes(api, RENAME_ROUTES, inputs)


@integration.action("delete_avatar_look")
class DeleteAvatarLook(HeyGenAction):
    async def run(self, api, inputs):
        await call_routes(api, DELETE_LOOK_ROUTES, inputs)
        return {"look_id": inputs["look_id"], "deleted": True}
