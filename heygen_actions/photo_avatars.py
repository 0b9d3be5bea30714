"""Photo avatars: AI photo generation, avatar groups and their looks, training, motion and sound effects."""

from heygen_core.action import HeyGenAction, created_id, job_result
from heygen_core.app import integration
from heygen_core.shapes import as_dict, body_of, job_output, list_of, path_id, pick

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


async def fetch_generation(api, generation_id: str) -> dict:
    data = await api.get(f"/v2/photo_avatar/generation/{path_id(generation_id)}")
    return generation_status(generation_id, data)


async def fetch_training(api, group_id: str) -> dict:
    return training_status(group_id, await api.get(f"/v2/photo_avatar/train/status/{path_id(group_id)}"))


async def fetch_motion(api, avatar_id: str) -> dict:
    return motion_status(avatar_id, await api.get(f"/v2/photo_avatar/{path_id(avatar_id)}"))


async def start_generation(api, inputs: dict, path: str, body: dict) -> dict:
    generation_id = created_id(await api.post(path, body), "generation_id")
    initial = generation_status(generation_id, {})
    return await job_result(api, inputs, fetch_generation, generation_id, initial)


@integration.action("generate_photo_avatar")
class GeneratePhotoAvatar(HeyGenAction):
    async def run(self, api, inputs):
        body = body_of(inputs, GENERATE_PHOTO_FIELDS)
        return await start_generation(api, inputs, "/v2/photo_avatar/photo/generate", body)


@integration.action("check_generation_status")
class CheckGenerationStatus(HeyGenAction):
    async def run(self, api, inputs):
        return await job_result(api, inputs, fetch_generation, inputs["generation_id"])


@integration.action("create_avatar_group")
class CreateAvatarGroup(HeyGenAction):
    async def run(self, api, inputs):
        body = body_of(inputs, ("name", "image_key", "generation_id"))
        answer = await api.post("/v2/photo_avatar/avatar_group/create", body)
        created = photo_avatar(answer)
        group_id = created.pop("group_id") or created_id(answer, "id")
        return {"group_id": group_id, **created}


@integration.action("add_looks_to_group")
class AddLooksToGroup(HeyGenAction):
    async def run(self, api, inputs):
        body = body_of(inputs, ("group_id", "image_keys", "name", "generation_id"))
        looks = [
            photo_avatar(look)
            for look in list_of(await api.post("/v2/photo_avatar/avatar_group/add", body), "photo_avatar_list")
        ]
        return {"group_id": inputs["group_id"], "photo_avatar_list": looks, "count": len(looks)}


@integration.action("train_avatar_group")
class TrainAvatarGroup(HeyGenAction):
    async def run(self, api, inputs):
        group_id = inputs["group_id"]
        answer = as_dict(await api.post("/v2/photo_avatar/train", {"group_id": group_id}))
        initial = training_status(group_id, {})
        result = await job_result(api, inputs, fetch_training, group_id, initial)
        return {**result, "flow_id": answer.get("flow_id")}


@integration.action("check_training_status")
class CheckTrainingStatus(HeyGenAction):
    async def run(self, api, inputs):
        return await job_result(api, inputs, fetch_training, inputs["group_id"])


@integration.action("generate_avatar_look")
class GenerateAvatarLook(HeyGenAction):
    async def run(self, api, inputs):
        body = body_of(inputs, ("group_id", "prompt", "orientation", "pose", "style"))
        return await start_generation(api, inputs, "/v2/photo_avatar/look/generate", body)


@integration.action("add_motion_to_avatar")
class AddMotionToAvatar(HeyGenAction):
    async def run(self, api, inputs):
        body = body_of(inputs, ("id", "prompt", "motion_type"))
        motion_id = created_id(await api.post("/v2/photo_avatar/add_motion", body), "id")
        initial = motion_status(motion_id, {})
        return await job_result(api, inputs, fetch_motion, motion_id, initial)


@integration.action("add_sound_effect_to_avatar")
class AddSoundEffectToAvatar(HeyGenAction):
    async def run(self, api, inputs):
        answer = as_dict(await api.post("/v2/photo_avatar/add_sound_effect", {"id": inputs["id"]}))
        return {"id": inputs["id"], "sound_effect_id": answer.get("sound_effect_id")}


@integration.action("list_avatar_groups")
class ListAvatarGroups(HeyGenAction):
    async def run(self, api, inputs):
        query = {
            "include_public": bool(inputs.get("include_public", False)),
            "page": inputs.get("page"),
            "limit": inputs.get("limit"),
        }
        data = await api.get("/v2/avatar_group.list", query)
        groups = [pick(group, GROUP_FIELDS) for group in list_of(data, "avatar_group_list")]
        total = as_dict(data).get("total_count")
        return {"total_count": total if isinstance(total, int) else len(groups), "avatar_group_list": groups}


@integration.action("list_avatars_in_group")
class ListAvatarsInGroup(HeyGenAction):
    async def run(self, api, inputs):
        data = await api.get(f"/v2/avatar_group/{path_id(inputs['group_id'])}/avatars")
        looks = [
            {**photo_avatar(look), "default_voice_id": look.get("default_voice_id")}
            for look in list_of(data, "avatar_list")
        ]
        return {"group_id": inputs["group_id"], "avatar_list": looks, "count": len(looks)}


@integration.action("get_photo_avatar_details")
class GetPhotoAvatarDetails(HeyGenAction):
    async def run(self, api, inputs):
        return photo_avatar(await api.get(f"/v2/photo_avatar/{path_id(inputs['id'])}"))
