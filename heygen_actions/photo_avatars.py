"""Photo avatars: AI photo generation, avatar groups and their looks, training, motion and sound effects.

Each action lists its routes (v3 first, legacy second; `heygen_core.routes.call_routes` picks one). On v3 a
generation is the new look (its id is the `generation_id`), a group trains by itself once it is made, and
motion and sound effects have no endpoint: those two stay on the legacy API and say what to use instead once
HeyGen no longer serves it. The v3 bodies and the v3 answers' outputs live in `avatar_requests`.
"""

from heygen_core.action import HeyGenAction, created_id, job_result
from heygen_core.answers import RouteMissing
from heygen_core.app import integration
from heygen_core.errors import HeyGenError
from heygen_core.inputs import reject
from heygen_core.routes import Request, call_routes, new_idempotency_key, on_legacy, on_v3, ordered, routes_for
from heygen_core.shapes import as_dict, body_of, job_output, list_of, pick
from heygen_actions import avatar_requests as v3_shapes
from heygen_actions import cursor_pages
from heygen_actions.cursor_pages import entries, legacy_cursor, paged, with_cursor

PHOTO_AVATAR_FIELDS = (
    "id",
    "group_id",
    "name",
    "status",
    "image_url",
    "created_at",
    "is_motion",
    "motion_preview_url",
    "business_type",
    "upscaled",
    "background_sound_effect",
)
GENERATE_PHOTO_FIELDS = (
    "name",
    "age",
    "gender",
    "ethnicity",
    "orientation",
    "pose",
    "style",
    "appearance",
    "callback_url",
    "callback_id",
)
GROUP_FIELDS = (
    "id",
    "name",
    "created_at",
    "num_looks",
    "preview_image",
    "group_type",
    "train_status",
    "default_voice_id",
)
GROUPS_DEFAULT = 20
GROUPS_PAGE = 50  # HeyGen's v3 maximum page sizes
LOOKS_PAGE = 50
ALL_LOOKS = cursor_pages.MAX_HEYGEN_PAGES * LOOKS_PAGE
MOTION_GONE = (
    "HeyGen's v3 API has no separate motion avatars: give motion_prompt on create_avatar_video or "
    "create_photo_avatar_video instead"
)
SOUND_GONE = "HeyGen's v3 API has no sound effects for avatars: add the sound to the finished video instead"
UNKNOWN_GENERATION = (
    "No generation or look has that id. On HeyGen's v3 API a generation_id is the new look's id from "
    "generate_photo_avatar or generate_avatar_look; ids of generations made on the legacy API are not known there."
)


def photo_avatar(data) -> dict:
    return pick(data, PHOTO_AVATAR_FIELDS)


def generation_status(generation_id: str, data) -> dict:
    source = as_dict(data)
    images = {"image_urls": source.get("image_url_list"), "image_keys": source.get("image_key_list")}
    return job_output("generation_id", generation_id, data, images, error_keys=("msg",))


def training_status(group_id: str, data) -> dict:
    return job_output("group_id", group_id, data, pick(data, ("created_at", "updated_at")), error_keys=("error_msg",))


def motion_status(avatar_id: str, data) -> dict:
    return job_output("id", avatar_id, data, pick(data, ("motion_preview_url",)), error_keys=("error", "msg"))


GENERATION_ROUTES = routes_for(
    "check_generation_status",
    on_v3(
        "AvatarLooksGet",
        request=lambda inputs: Request(params={"look_id": inputs["generation_id"]}),
        response=lambda data, inputs: v3_shapes.look_generation(inputs["generation_id"], data),
    ),
    on_legacy(
        "GET",
        "/v2/photo_avatar/generation/{generation_id}",
        response=lambda data, inputs: generation_status(inputs["generation_id"], data),
    ),
)
TRAINING_ROUTES = routes_for(
    "check_training_status",
    on_v3("AvatarGet", response=lambda data, inputs: v3_shapes.group_training(inputs["group_id"], data)),
    on_legacy(
        "GET",
        "/v2/photo_avatar/train/status/{group_id}",
        response=lambda data, inputs: training_status(inputs["group_id"], data),
    ),
)
MOTION_ROUTES = routes_for(
    "add_motion_to_avatar",
    on_legacy(
        "GET",
        "/v2/photo_avatar/{id}",
        response=lambda data, inputs: motion_status(inputs["id"], data),
        gone_hint=MOTION_GONE,
    ),
)


async def fetch_generation(api, generation_id: str) -> dict:
    try:
        return await call_routes(api, GENERATION_ROUTES, {"generation_id": generation_id})
    except HeyGenError as error:
        if error.status == 404 and not isinstance(error, RouteMissing):
            error.hint = UNKNOWN_GENERATION
        raise


async def fetch_training(api, group_id: str) -> dict:
    return await call_routes(api, TRAINING_ROUTES, {"group_id": group_id})


async def fetch_motion(api, avatar_id: str) -> dict:
    return await call_routes(api, MOTION_ROUTES, {"id": avatar_id})


def v3_generation_started(data, inputs: dict) -> dict:
    look, _ = v3_shapes.created_parts(data)
    look_id = created_id(look, "id")
    return v3_shapes.look_generation(look_id, look)


def legacy_generation_started(data, inputs: dict) -> dict:
    return generation_status(created_id(data, "generation_id"), {})


async def start_generation(api, inputs: dict, routes) -> dict:
    initial = await call_routes(api, routes, inputs)
    return await job_result(api, inputs, fetch_generation, initial["generation_id"], initial)


GENERATE_PHOTO_ROUTES = routes_for(
    "generate_photo_avatar",
    on_v3("AvatarCreate", creates=True, request=v3_shapes.photo_prompt_request, response=v3_generation_started),
    on_legacy(
        "POST",
        "/v2/photo_avatar/photo/generate",
        creates=True,
        request=lambda inputs: Request(body=body_of(inputs, GENERATE_PHOTO_FIELDS)),
        response=legacy_generation_started,
    ),
)
GENERATE_LOOK_ROUTES = routes_for(
    "generate_avatar_look",
    on_v3("AvatarCreate", creates=True, request=v3_shapes.look_prompt_request, response=v3_generation_started),
    on_legacy(
        "POST",
        "/v2/photo_avatar/look/generate",
        creates=True,
        request=lambda inputs: Request(body=body_of(inputs, ("group_id", "prompt", "orientation", "pose", "style"))),
        response=legacy_generation_started,
    ),
)


@integration.action("generate_photo_avatar")
class GeneratePhotoAvatar(HeyGenAction):
    async def run(self, api, inputs):
        return await start_generation(api, inputs, GENERATE_PHOTO_ROUTES)


@integration.action("check_generation_status")
class CheckGenerationStatus(HeyGenAction):
    async def run(self, api, inputs):
        return await job_result(api, inputs, fetch_generation, inputs["generation_id"])


@integration.action("generate_avatar_look")
class GenerateAvatarLook(HeyGenAction):
    async def run(self, api, inputs):
        if not inputs.get("avatar_id") and ordered(GENERATE_LOOK_ROUTES)[0].generation == "v3":
            inputs = {**inputs, "reference_look_id": await first_look_of(api, inputs["group_id"])}
        return await start_generation(api, inputs, GENERATE_LOOK_ROUTES)


async def first_look_of(api, group_id: str) -> str | None:
    """The look v3 bases a group's new look on when the workflow names none: the group's first."""
    inputs = {"group_id": group_id, "cursor": cursor_pages.Cursor()}
    try:
        looks = await call_routes(api, LOOKS_IN_GROUP_ROUTES[:1], inputs)
    except RouteMissing:  # no v3 here: the legacy route, which needs no look, gets its turn
        return None
    return next((look["id"] for look in looks.items if look.get("id")), None)


# ---------------------------------------------------------------- groups and their looks


def new_group(data, inputs: dict) -> dict:
    look, group = v3_shapes.created_parts(data)
    created = v3_shapes.look_as_photo_avatar(look, group)
    group_id = created.pop("group_id") or created_id(group, "id")
    return {"group_id": group_id, **created, "id": created_id(look, "id")}


def legacy_new_group(data, inputs: dict) -> dict:
    created = photo_avatar(data)
    group_id = created.pop("group_id") or created_id(data, "id")
    return {"group_id": group_id, **created}


def legacy_added_looks(data, inputs: dict) -> tuple[str, list]:
    return "legacy", [photo_avatar(look) for look in list_of(data, "photo_avatar_list")]


def v3_added_look(data, inputs: dict) -> tuple[str, list]:
    look, group = v3_shapes.created_parts(data)
    created_id(look, "id")
    return "v3", [v3_shapes.look_as_photo_avatar(look)]


CREATE_GROUP_ROUTES = routes_for(
    "create_avatar_group",
    on_v3("AvatarCreate", creates=True, request=v3_shapes.new_group_request, response=new_group),
    on_legacy(
        "POST",
        "/v2/photo_avatar/avatar_group/create",
        creates=True,
        request=lambda inputs: Request(body=body_of(inputs, ("name", "image_key", "generation_id"))),
        response=legacy_new_group,
    ),
)
ADD_LOOKS_ROUTES = routes_for(
    "add_looks_to_group",
    on_v3("AvatarCreate", creates=True, request=v3_shapes.added_look_request, response=v3_added_look),
    on_legacy(
        "POST",
        "/v2/photo_avatar/avatar_group/add",
        creates=True,
        request=lambda inputs: Request(body=body_of(inputs, ("group_id", "image_keys", "name", "generation_id"))),
        response=legacy_added_looks,
    ),
)


def require_image(inputs: dict, names: tuple[str, ...]) -> None:
    if not any(inputs.get(name) for name in names):
        raise reject(names[0], "is required: give " + ", ".join(names[1:]) + f" or {names[0]}")


@integration.action("create_avatar_group")
class CreateAvatarGroup(HeyGenAction):
    async def run(self, api, inputs):
        require_image(inputs, ("image_key", "image_url", "image_asset_id"))
        if inputs.get("image_url") and inputs.get("image_asset_id"):
            raise reject("image_asset_id", "give image_url or image_asset_id, not both (a group starts from one image)")
        return await call_routes(api, CREATE_GROUP_ROUTES, inputs)


@integration.action("add_looks_to_group")
class AddLooksToGroup(HeyGenAction):
    async def run(self, api, inputs):
        require_image(inputs, ("image_keys", "image_urls", "image_asset_ids"))
        key = new_idempotency_key(inputs)
        via, looks = await call_routes(api, ADD_LOOKS_ROUTES, {**inputs, "image_index": 0}, idempotency_key=key)
        if via == "v3":  # v3 adds one look per request; each has its own key, stable across reruns
            images = len(v3_shapes.image_refs(inputs, "image_urls", "image_asset_ids"))
            for index in range(1, images):
                try:
                    _, more = await call_routes(
                        api,
                        ADD_LOOKS_ROUTES[:1],
                        {**inputs, "image_index": index},
                        idempotency_key=v3_shapes.part_key(key, index),
                    )
                except HeyGenError as error:
                    added = ", ".join(str(look["id"]) for look in looks)
                    error.message = f"image {index + 1} failed after {len(looks)} look(s) were added ({added}): {error}"
                    raise
                looks += more
        return {"group_id": inputs["group_id"], "photo_avatar_list": looks, "count": len(looks)}


TRAIN_ROUTES = routes_for(
    "train_avatar_group",
    # v3 trains a group by itself once it is made: there is nothing to start, only the status to read
    on_v3("AvatarGet", response=lambda data, inputs: ("v3", v3_shapes.group_training(inputs["group_id"], data))),
    on_legacy(
        "POST",
        "/v2/photo_avatar/train",
        request=lambda inputs: Request(body={"group_id": inputs["group_id"]}),
        response=lambda data, inputs: ("legacy", data),
    ),
)


@integration.action("train_avatar_group")
class TrainAvatarGroup(HeyGenAction):
    async def run(self, api, inputs):
        group_id = inputs["group_id"]
        via, answer = await call_routes(api, TRAIN_ROUTES, inputs)
        initial = answer if via == "v3" else training_status(group_id, {})
        result = await job_result(api, inputs, fetch_training, group_id, initial)
        return {**result, "flow_id": None if via == "v3" else as_dict(answer).get("flow_id")}


@integration.action("check_training_status")
class CheckTrainingStatus(HeyGenAction):
    async def run(self, api, inputs):
        return await job_result(api, inputs, fetch_training, inputs["group_id"])


# ---------------------------------------------------------------- motion and sound effects (legacy only)

ADD_MOTION_ROUTES = routes_for(
    "add_motion_to_avatar",
    on_legacy(
        "POST",
        "/v2/photo_avatar/add_motion",
        request=lambda inputs: Request(body=body_of(inputs, ("id", "prompt", "motion_type"))),
        response=lambda data, inputs: created_id(data, "id"),
        gone_hint=MOTION_GONE,
    ),
)
SOUND_EFFECT_ROUTES = routes_for(
    "add_sound_effect_to_avatar",
    on_legacy(
        "POST",
        "/v2/photo_avatar/add_sound_effect",
        request=lambda inputs: Request(body={"id": inputs["id"]}),
        response=lambda data, inputs: {"id": inputs["id"], "sound_effect_id": as_dict(data).get("sound_effect_id")},
        gone_hint=SOUND_GONE,
    ),
)


@integration.action("add_motion_to_avatar")
class AddMotionToAvatar(HeyGenAction):
    async def run(self, api, inputs):
        motion_id = await call_routes(api, ADD_MOTION_ROUTES, inputs)
        return await job_result(api, inputs, fetch_motion, motion_id, motion_status(motion_id, {}))


@integration.action("add_sound_effect_to_avatar")
class AddSoundEffectToAvatar(HeyGenAction):
    async def run(self, api, inputs):
        return await call_routes(api, SOUND_EFFECT_ROUTES, inputs)


# ---------------------------------------------------------------- listing groups and looks, look details


def groups_request(inputs: dict) -> Request:
    ownership = None if inputs.get("include_public") else "private"  # v3 lists both when ownership is left out
    return Request(query={"ownership": ownership, "limit": GROUPS_PAGE, "token": inputs["cursor"].token})


def legacy_groups_request(inputs: dict) -> Request:
    """HeyGen pages the legacy list itself: the page and limit go as the workflow gave them."""
    cursor, asked = legacy_cursor(inputs), inputs["asked"]
    page = cursor.page if asked.get("page_token") else asked.get("page")
    query = {"include_public": bool(asked.get("include_public", False)), "page": page, "limit": asked.get("limit")}
    return Request(query=query)


def legacy_groups(data, inputs: dict) -> dict:
    cursor, asked = inputs["cursor"], inputs["asked"]
    groups = [pick(group, GROUP_FIELDS) for group in list_of(data, "avatar_group_list")]
    total = as_dict(data).get("total_count")
    size = asked.get("limit") or len(groups)  # HeyGen's own page size when the workflow gave none
    more = isinstance(total, int) and (cursor.page - 1) * size + len(groups) < total
    following = cursor_pages.Cursor(page=cursor.page + 1, skip=cursor.page * size)
    return {
        "total_count": total if isinstance(total, int) else len(groups),
        "avatar_group_list": groups,
        "has_more": more,
        "next_page_token": cursor_pages.encode(following) if more else None,
    }


def groups_output(walked, start, limit) -> dict:
    paging = cursor_pages.page_output(walked, start, limit)
    return {
        "total_count": walked.total,
        "avatar_group_list": [pick(group, GROUP_FIELDS) for group in walked.items],
        "has_more": paging["has_more"],
        "next_page_token": paging["next_page_token"],
    }


LIST_GROUPS_ROUTES = routes_for(
    "list_avatar_groups",
    on_v3("AvatarList", request=groups_request, response=entries("id", v3_shapes.group_entry)),
    on_legacy("GET", "/v2/avatar_group.list", request=legacy_groups_request, response=legacy_groups),
)


@integration.action("list_avatar_groups")
class ListAvatarGroups(HeyGenAction):
    async def run(self, api, inputs):
        listing = {**with_cursor(inputs, GROUPS_DEFAULT), "asked": inputs}
        return await paged(api, LIST_GROUPS_ROUTES, listing, bool, groups_output)


def looks_in_group_request(inputs: dict) -> Request:
    query = {"group_id": inputs["group_id"], "limit": LOOKS_PAGE, "token": inputs["cursor"].token}
    return Request(query=query)


def group_look(look: dict) -> dict:
    return {**photo_avatar(look), "default_voice_id": look.get("default_voice_id")}


NO_MORE = {"has_more": False, "next_page_token": None}  # the legacy API lists a group's looks whole


def legacy_looks_in_group(data, inputs: dict) -> dict:
    looks = [group_look(look) for look in list_of(data, "avatar_list")]
    return {"group_id": inputs["group_id"], "avatar_list": looks, "count": len(looks)} | NO_MORE


def looks_in_group_output(inputs: dict):
    def shape(walked, start, limit) -> dict:
        paging = cursor_pages.page_output(walked, start, limit)
        looks = [
            {**v3_shapes.look_as_photo_avatar(look), "default_voice_id": look.get("default_voice_id")}
            for look in walked.items
        ]
        listing = {"group_id": inputs["group_id"], "avatar_list": looks, "count": len(looks)}
        return {**listing, "has_more": paging["has_more"], "next_page_token": paging["next_page_token"]}

    return shape


LOOKS_IN_GROUP_ROUTES = routes_for(
    "list_avatars_in_group",
    on_v3("AvatarLooksList", request=looks_in_group_request, response=entries("id")),
    on_legacy("GET", "/v2/avatar_group/{group_id}/avatars", response=legacy_looks_in_group),
)


@integration.action("list_avatars_in_group")
class ListAvatarsInGroup(HeyGenAction):
    async def run(self, api, inputs):
        inputs = with_cursor({**inputs, "limit": ALL_LOOKS}, ALL_LOOKS)
        return await paged(api, LOOKS_IN_GROUP_ROUTES, inputs, bool, looks_in_group_output(inputs))


DETAILS_ROUTES = routes_for(
    "get_photo_avatar_details",
    on_v3(
        "AvatarLooksGet",
        request=lambda inputs: Request(params={"look_id": inputs["id"]}),
        response=lambda data, inputs: v3_shapes.look_as_photo_avatar(data),
    ),
    on_legacy("GET", "/v2/photo_avatar/{id}", response=lambda data, inputs: photo_avatar(data)),
)


@integration.action("get_photo_avatar_details")
class GetPhotoAvatarDetails(HeyGenAction):
    async def run(self, api, inputs):
        return await call_routes(api, DETAILS_ROUTES, inputs)
