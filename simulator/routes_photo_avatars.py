"""Photo-avatar routes (heygen-api.md §3): AI photo generation, avatar groups and their looks,
training, look generation, motion, sound effects, upscale and details.

Image keys from uploads (``POST /v1/asset``) and from finished generations are both accepted
wherever HeyGen takes an ``image_key``. Looks produced by a look generation join their group the
first time the group is read after the generation finished.
"""

from __future__ import annotations

from functools import partial

from aiohttp import web

from . import validation as v
from .state import Generation, Group, ImageRef, PhotoAvatar, SimState
from .wire import ApiError, invalid, ok, read_json

AGES = ["Young Adult", "Early Middle Age", "Late Middle Age", "Senior", "Unspecified"]
GENDERS = ["Woman", "Man", "Unspecified"]
ETHNICITIES = [
    "White",
    "Black",
    "Asian American",
    "East Asian",
    "South East Asian",
    "South Asian",
    "Middle Eastern",
    "Latino",
    "Hispanic",
    "Native American",
    "Pacific Islander",
    "Pacific",
    "Mixed",
    "Unspecified",
]
ORIENTATIONS = ["square", "horizontal", "vertical"]
POSES = ["half_body", "close_up", "full_body"]
STYLES = ["Realistic", "Pixar", "Cinematic", "Vintage", "Noir", "Cyberpunk", "Unspecified"]
MOTION_TYPES = ["expressive", "consistent", "consistent_gen_3", "hailuo_2", "veo2", "seedance_lite", "kling"]
IMAGES_PER_GENERATION = 4
MAX_LOOKS_PER_CALL = 4
# Credits per HeyGen's price list, in quota seconds (60 per credit).
COST = {"photo": 60, "look": 15, "train": 240, "motion": 60, "upscale": 30}


# JSON shapes --------------------------------------------------------------------------------


def photo_avatar_object(state: SimState, pa: PhotoAvatar) -> dict:
    now = state.now()
    status = pa.job.status(now)
    ready_motion = pa.is_motion and status == "completed"
    upscaled = pa.upscale_job is not None and pa.upscale_job.done(now)
    return {
        "id": pa.id,
        "image_url": pa.image_url,
        "created_at": pa.created_at,
        "name": pa.name,
        "status": status,
        "group_id": pa.group_id,
        "is_motion": pa.is_motion,
        "motion_preview_url": state.signed_url(f"photo_avatars/{pa.id}.mp4") if ready_motion else None,
        "business_type": pa.business_type,
        "upscale_availability": {
            "available": ready_motion and not upscaled,
            "reason": None if ready_motion and not upscaled else "Only finished motion avatars can be upscaled",
        },
        "upscaled": upscaled,
        "background_sound_effect": pa.background_sound_effect,
    }


def group_summary(state: SimState, group: Group) -> dict:
    add_generated_looks(state, group)
    first = state.photo_avatars[group.look_ids[0]]
    return {
        "id": group.id,
        "name": group.name,
        "created_at": group.created_at,
        "num_looks": len(group.look_ids),
        "preview_image": first.image_url,
        "group_type": "PHOTO",
        "train_status": group.train_job.status(state.now()) if group.train_job else None,
        "default_voice_id": None,
    }


def public_groups(state: SimState) -> list[dict]:
    """With include_public=true HeyGen also lists its stock avatars as groups."""
    return [
        {
            "id": a["avatar_id"],
            "name": a["avatar_name"],
            "created_at": 1660953600.0,
            "num_looks": 1,
            "preview_image": a["preview_image_url"],
            "group_type": "PUBLIC",
            "train_status": "ready",
            "default_voice_id": a["default_voice_id"],
        }
        for a in state.catalogue.avatars
    ]


def generation_status(state: SimState, gen: Generation) -> dict:
    status = gen.job.status(state.now())
    done = status == "success"
    urls = [state.signed_url(_image_path(gen.id, i)) for i in range(len(gen.image_keys))]
    return {
        "id": gen.id,
        "status": status,
        "msg": gen.error if status == "failed" else None,
        "image_url_list": urls if done else None,
        "image_key_list": list(gen.image_keys) if done else None,
    }


# helpers ------------------------------------------------------------------------------------


def _image_path(generation_id: str, index: int) -> str:
    return f"generations/{generation_id}_{index}.jpg"


def _start_generation(state: SimState, seconds: float, group_id: str | None, *texts: str) -> Generation:
    failed = state.wants_failure(*texts)
    gen_id = state.new_id()
    keys = [f"image/{state.new_id()}/original" for _ in range(IMAGES_PER_GENERATION)]
    for i, key in enumerate(keys):
        state.image_keys[key] = ImageRef(key, state.media_url(_image_path(gen_id, i)), gen_id)
    job = state.start_job([("in_progress", seconds)], "failed" if failed else "success")
    error = "Image generation failed: the prompt was rejected (simulated by SIMULATE_FAILURE)" if failed else None
    gen = Generation(gen_id, job, keys, group_id, error)
    state.generations[gen_id] = gen
    return gen


def _new_look(state: SimState, group_id: str, name: str, image_key: str, look_id: str | None = None) -> PhotoAvatar:
    ref = state.image_keys[image_key]
    failed = state.wants_failure(name)
    pa = PhotoAvatar(
        id=look_id or state.new_id(),
        group_id=group_id,
        name=name,
        image_url=ref.url,
        created_at=state.now(),
        job=state.start_job([("pending", state.config.durations.photo_avatar)], "failed" if failed else "completed"),
        business_type="generated" if ref.generation_id else "user_upload",
    )
    state.photo_avatars[pa.id] = pa
    return pa


def add_generated_looks(state: SimState, group: Group) -> None:
    now = state.now()
    for gen_id in group.look_generation_ids:
        gen = state.generations[gen_id]
        if not gen.looks_added and gen.job.status(now) == "success":
            gen.looks_added = True
            for key in gen.image_keys:
                group.look_ids.append(_new_look(state, group.id, group.name, key).id)


def _check_generation(state: SimState, generation_id: str | None, keys: list[str]) -> None:
    """HeyGen wants the generation_id whenever image keys came from a photo generation."""
    refs = [state.image_ref(k, "image_keys") for k in keys]
    from_generations = {r.generation_id for r in refs if r.generation_id}
    if generation_id is None:
        if from_generations:
            raise invalid("generation_id: Field required when the image keys come from a photo generation")
        return
    if generation_id not in state.generations:
        raise invalid(f"generation_id: generation {generation_id} not found")
    if from_generations - {generation_id}:
        raise invalid("image_key does not belong to the given generation_id")


def _ready_photo_avatar(state: SimState, avatar_id: str) -> PhotoAvatar:
    pa = state.photo_avatar(avatar_id)
    if pa.job.status(state.now()) != "completed":
        raise invalid(f"Photo avatar {avatar_id} is not ready yet")
    return pa


# handlers -----------------------------------------------------------------------------------


async def generate_photo(state: SimState, request: web.Request) -> web.Response:
    body = await read_json(request)
    name = v.text(body, "name", "")
    for key, allowed in (
        ("age", AGES),
        ("gender", GENDERS),
        ("ethnicity", ETHNICITIES),
        ("orientation", ORIENTATIONS),
        ("pose", POSES),
        ("style", STYLES),
    ):
        v.choice(body, key, allowed, "", required=True)
    appearance = v.text(body, "appearance", "", max_len=1000)
    v.text(body, "callback_url", "", required=False)
    v.text(body, "callback_id", "", required=False)
    state.charge(COST["photo"])
    gen = _start_generation(state, state.config.durations.photo_generation, None, name, appearance)
    return ok(request, {"generation_id": gen.id})


async def get_generation(state: SimState, request: web.Request) -> web.Response:
    gen = state.generations.get(request.match_info["generation_id"])
    if gen is None:
        raise ApiError(404, "not_found", "Generation not found")
    return ok(request, generation_status(state, gen))


async def create_group(state: SimState, request: web.Request) -> web.Response:
    body = await read_json(request)
    name = v.text(body, "name", "")
    key = v.text(body, "image_key", "")
    generation_id = v.text(body, "generation_id", "", required=False)
    state.image_ref(key)
    if generation_id is not None:
        _check_generation(state, generation_id, [key])
    group_id = state.new_id()
    state.groups[group_id] = Group(group_id, name, state.now(), [group_id])
    return ok(request, photo_avatar_object(state, _new_look(state, group_id, name, key, look_id=group_id)))


async def add_looks(state: SimState, request: web.Request) -> web.Response:
    body = await read_json(request)
    group = state.group(v.text(body, "group_id", ""))
    keys = body.get("image_keys")
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
        raise invalid("image_keys: Input should be a non-empty list of strings")
    if len(keys) > MAX_LOOKS_PER_CALL:
        raise invalid(
            f"image_keys: List should have at most {MAX_LOOKS_PER_CALL} items after validation, not {len(keys)}"
        )
    name = v.text(body, "name", "", required=False) or group.name
    _check_generation(state, v.text(body, "generation_id", "", required=False), keys)
    looks = [_new_look(state, group.id, name, key) for key in keys]
    group.look_ids += [pa.id for pa in looks]
    return ok(request, {"photo_avatar_list": [photo_avatar_object(state, pa) for pa in looks]})


async def train(state: SimState, request: web.Request) -> web.Response:
    body = await read_json(request)
    group = state.group(v.text(body, "group_id", ""))
    now = state.now()
    # A repeated train call (a client retrying after a timeout) joins the running or finished training.
    if group.train_job is None or group.train_job.status(now) == "failed":
        state.charge(COST["train"])
        failed = state.wants_failure(group.name)
        d = state.config.durations
        group.train_job = state.start_job(
            [("pending", d.training_pending), ("training", d.training)], "failed" if failed else "ready"
        )
        group.train_error = "No face detected in the image (simulated by SIMULATE_FAILURE)" if failed else None
        group.flow_id = state.new_id()
    return ok(request, {"flow_id": group.flow_id})


async def training_status(state: SimState, request: web.Request) -> web.Response:
    group = state.group(request.match_info["group_id"])
    if group.train_job is None:
        raise invalid(f"Avatar group {group.id} has not been trained; call /v2/photo_avatar/train first")
    now, job = state.now(), group.train_job
    status = job.status(now)
    return ok(
        request,
        {
            "status": status,
            "error_msg": group.train_error if status == "failed" else None,
            "created_at": int(job.started_at),
            "updated_at": int(job.changed_at(now)),
        },
    )


async def generate_look(state: SimState, request: web.Request) -> web.Response:
    body = await read_json(request)
    group = state.group(v.text(body, "group_id", ""))
    prompt = v.text(body, "prompt", "", max_len=1000)
    v.choice(body, "orientation", ORIENTATIONS, "")
    v.choice(body, "pose", POSES, "")
    v.choice(body, "style", STYLES, "")
    trained = group.train_job.status(state.now()) if group.train_job else "not trained"
    if trained != "ready":
        raise invalid(f"Avatar group {group.id} must be trained before generating looks (training status: {trained})")
    state.charge(COST["look"])
    gen = _start_generation(state, state.config.durations.look_generation, group.id, prompt)
    group.look_generation_ids.append(gen.id)
    return ok(request, {"generation_id": gen.id})


async def add_motion(state: SimState, request: web.Request) -> web.Response:
    body = await read_json(request)
    source = _ready_photo_avatar(state, v.text(body, "id", ""))
    prompt = v.text(body, "prompt", "", required=False, max_len=1000)
    v.choice(body, "motion_type", MOTION_TYPES, "")
    state.charge(COST["motion"])
    failed = state.wants_failure(prompt)
    pa = PhotoAvatar(
        id=state.new_id(),
        group_id=source.group_id,
        name=source.name,
        image_url=source.image_url,
        created_at=state.now(),
        job=state.start_job([("pending", state.config.durations.motion)], "failed" if failed else "completed"),
        business_type=source.business_type,
        is_motion=True,
        motion_of=source.id,
    )
    state.photo_avatars[pa.id] = pa
    if pa.group_id in state.groups:
        state.groups[pa.group_id].look_ids.append(pa.id)
    return ok(request, {"id": pa.id})


async def add_sound_effect(state: SimState, request: web.Request) -> web.Response:
    body = await read_json(request)
    pa = _ready_photo_avatar(state, v.text(body, "id", ""))
    sound_id = state.new_id()
    pa.background_sound_effect = {"sound_effect_id": sound_id, "url": state.media_url(f"sound_effects/{sound_id}.mp3")}
    return ok(request, {"sound_effect_id": sound_id})


async def upscale(state: SimState, request: web.Request) -> web.Response:
    body = await read_json(request)
    pa = _ready_photo_avatar(state, v.text(body, "id", ""))
    if not photo_avatar_object(state, pa)["upscale_availability"]["available"]:
        raise invalid(f"Photo avatar {pa.id} cannot be upscaled: only finished motion avatars can be upscaled")
    state.charge(COST["upscale"])
    pa.upscale_job = state.start_job([("processing", state.config.durations.upscale)], "done")
    return ok(request, {"id": pa.id})


async def details(state: SimState, request: web.Request) -> web.Response:
    return ok(request, photo_avatar_object(state, state.photo_avatar(request.match_info["id"])))


async def group_looks(state: SimState, request: web.Request) -> web.Response:
    group = state.group(request.match_info["group_id"])
    add_generated_looks(state, group)
    looks = [photo_avatar_object(state, state.photo_avatars[i]) | {"default_voice_id": None} for i in group.look_ids]
    return ok(request, {"avatar_list": looks})


def register(router: web.UrlDispatcher, state: SimState) -> None:
    base = "/v2/photo_avatar"
    router.add_post(f"{base}/photo/generate", partial(generate_photo, state))
    router.add_get(f"{base}/generation/{{generation_id}}", partial(get_generation, state))
    router.add_post(f"{base}/avatar_group/create", partial(create_group, state))
    router.add_post(f"{base}/avatar_group/add", partial(add_looks, state))
    router.add_post(f"{base}/train", partial(train, state))
    router.add_get(f"{base}/train/status/{{group_id}}", partial(training_status, state))
    router.add_post(f"{base}/look/generate", partial(generate_look, state))
    router.add_post(f"{base}/add_motion", partial(add_motion, state))
    router.add_post(f"{base}/add_sound_effect", partial(add_sound_effect, state))
    router.add_post(f"{base}/upscale", partial(upscale, state))
    router.add_get(f"{base}/{{id}}", partial(details, state))
    router.add_get("/v2/avatar_group/{group_id}/avatars", partial(group_looks, state))
