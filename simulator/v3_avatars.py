"""v3 avatars (heygen-v3.md §7.1, §8.2): groups ("identities") and looks, creation from a prompt, a
photo or digital-twin footage, consent, rename and delete.

One account, two generations: the catalogue's studio avatars are public looks (``studio_avatar``, each its
own group, ids as in v2); its talking photos are the account's ``photo_avatar`` looks; the v2 avatar groups
and photo avatars (``SimState.groups`` / ``photo_avatars``) are the private groups and looks, and what v3
creates lands there too. A look id is what POST /v3/videos takes as ``avatar_id``.

Lifecycle on the simulator's clock: a new look is ``processing`` then ``completed`` (``failed`` when
SIMULATE_FAILURE is in its name or prompt); a digital twin then waits in ``pending_consent`` until
POST .../consent was made and its (simulated) consent page was completed ``training_pending`` seconds later.
"""

from __future__ import annotations

from aiohttp import web

from .routes_photo_avatars import add_generated_looks
from .state import Group, PhotoAvatar, SimState
from .v3_common import asset_ref, body_of, invalid, listed, ok, path_id, query_choice, route
from .v3_store import Consent, store
from .wire import ApiError

ENGINES = ["avatar_iv", "avatar_v", "avatar_iii"]
PUBLIC_CREATED_AT = 1660953600
LOOK_STATUS = {"pending": "processing"}
MAX_PROMPT = 1000
MAX_REFERENCES = 3


def _catalogue_look(state: SimState, look_id: str) -> dict | None:
    c = state.catalogue
    a = c.avatars_by_id.get(look_id)
    if a is not None:
        return {
            "id": a["avatar_id"],
            "name": a["avatar_name"],
            "avatar_type": "studio_avatar",
            "group_id": a["avatar_id"],
            "gender": a["gender"],
            "default_voice_id": a["default_voice_id"],
            "preview_image_url": a["preview_image_url"],
            "preview_video_url": a["preview_video_url"],
            "image_width": 1920,
            "image_height": 1080,
            "preferred_orientation": "landscape",
            "status": None,
            "error": None,
            "supported_api_engines": list(ENGINES),
            "tags": list(a["tags"]),
        }
    t = c.talking_photos_by_id.get(look_id)
    if t is not None:
        return {
            "id": t["talking_photo_id"],
            "name": t["talking_photo_name"],
            "avatar_type": "photo_avatar",
            "group_id": t["talking_photo_id"],
            "gender": None,
            "default_voice_id": None,
            "preview_image_url": t["preview_image_url"],
            "preview_video_url": None,
            "image_width": 720,
            "image_height": 960,
            "preferred_orientation": "portrait",
            "status": "completed",
            "error": None,
            "supported_api_engines": ["avatar_iv", "avatar_iii"],
            "tags": [],
        }
    return None


def _look_status(state: SimState, pa: PhotoAvatar) -> str:
    raw = pa.job.status(state.now())
    status = LOOK_STATUS.get(raw, raw)
    if status == "completed" and store(state).look_types.get(pa.id) == "digital_twin":
        consent = store(state).consents.get(pa.group_id)
        if consent is None or consent.job.status(state.now()) != "approved":
            return "pending_consent"
    return status


def private_look(state: SimState, pa: PhotoAvatar) -> dict:
    status = _look_status(state, pa)
    twin = store(state).look_types.get(pa.id) == "digital_twin"
    return {
        "id": pa.id,
        "name": pa.name,
        "avatar_type": "digital_twin" if twin else "photo_avatar",
        "group_id": pa.group_id,
        "gender": None,
        "default_voice_id": None,
        "preview_image_url": pa.image_url,
        "preview_video_url": state.media_url(f"looks/{pa.id}.mp4") if twin else None,
        "image_width": 720,
        "image_height": 960,
        "preferred_orientation": "portrait",
        "status": status,
        "error": {"code": "generation_failed", "message": "Avatar creation failed (simulated by SIMULATE_FAILURE)"}
        if status == "failed"
        else None,
        "supported_api_engines": ENGINES if twin else ["avatar_iv", "avatar_iii"],
        "tags": [],
    }


def look_of(state: SimState, look_id: str, param: str = "look_id") -> dict:
    found = _catalogue_look(state, look_id)
    if found is not None:
        return found
    pa = state.photo_avatars.get(look_id)
    if pa is None:
        raise ApiError(404, "avatar_not_found", f"Avatar look {look_id} not found", param=param)
    return private_look(state, pa)


def usable_look(state: SimState, look_id: str, param: str) -> dict:
    """A look a video may use: it exists (404 avatar_not_found) and is ready (400 naming the field)."""
    look = look_of(state, look_id, param)
    if look["status"] not in (None, "completed"):
        raise invalid(param, f"avatar look {look_id} is {look['status']}, not completed", "avatar_not_ready")
    return look


def _group_status(state: SimState, group: Group) -> str:
    statuses = {_look_status(state, state.photo_avatars[i]) for i in group.look_ids if i in state.photo_avatars}
    for status in ("processing", "pending_consent", "failed"):
        if status in statuses:
            return status
    return "completed"


def private_group(state: SimState, group: Group) -> dict:
    add_generated_looks(state, group)
    looks = [state.photo_avatars[i] for i in group.look_ids if i in state.photo_avatars]
    status = _group_status(state, group)
    twins = any(store(state).look_types.get(pa.id) == "digital_twin" for pa in looks)
    consent = store(state).consents.get(group.id)
    consent_status = None
    if twins:
        consent_status = "approved" if consent and consent.job.status(state.now()) == "approved" else "pending"
    return {
        "id": group.id,
        "name": group.name,
        "created_at": int(group.created_at),
        "looks_count": len(looks),
        "gender": None,
        "default_voice_id": None,
        "preview_image_url": looks[0].image_url if looks else None,
        "preview_video_url": None,
        "status": status,
        "consent_status": consent_status,
        "error": {"code": "generation_failed", "message": "Avatar creation failed"} if status == "failed" else None,
    }


def _public_group(state: SimState, look: dict) -> dict:
    return {
        "id": look["group_id"],
        "name": look["name"],
        "created_at": PUBLIC_CREATED_AT,
        "looks_count": 1,
        "gender": look["gender"],
        "default_voice_id": look["default_voice_id"],
        "preview_image_url": look["preview_image_url"],
        "preview_video_url": look["preview_video_url"],
        "status": look["status"],
        "consent_status": None,
        "error": None,
    }


def group_of(state: SimState, group_id: str, param: str = "group_id") -> dict:
    group = state.groups.get(group_id)
    if group is not None:
        return private_group(state, group)
    look = _catalogue_look(state, group_id)
    if look is None:
        raise ApiError(404, "avatar_not_found", f"Avatar group {group_id} not found", param=param)
    return _public_group(state, look)


def _all_looks(state: SimState) -> list[tuple[str, dict]]:
    """(ownership, look) for every look: the account's own first (newest first), then the public ones."""
    c = state.catalogue
    own = [
        ("private", private_look(state, pa)) for pa in sorted(state.photo_avatars.values(), key=lambda p: -p.created_at)
    ]
    for group in state.groups.values():
        add_generated_looks(state, group)
    photos = [("private", _catalogue_look(state, t["talking_photo_id"])) for t in c.talking_photos]
    public = [("public", _catalogue_look(state, a["avatar_id"])) for a in c.avatars]
    return own + photos + public


async def list_groups(state: SimState, request: web.Request) -> web.Response:
    ownership = query_choice(request, "ownership", ["public", "private"])
    groups = []
    if ownership in (None, "private"):
        groups += [private_group(state, g) for g in sorted(state.groups.values(), key=lambda g: -g.created_at)]
        photos = state.catalogue.talking_photos
        groups += [_public_group(state, _catalogue_look(state, t["talking_photo_id"])) for t in photos]
    if ownership in (None, "public"):
        groups += [_public_group(state, look) for kind, look in _all_looks(state) if kind == "public"]
    return listed(request, "AvatarList", groups)


async def get_group(state: SimState, request: web.Request) -> web.Response:
    return ok(group_of(state, path_id(request, "group_id")))


async def list_looks(state: SimState, request: web.Request) -> web.Response:
    ownership = query_choice(request, "ownership", ["public", "private"])
    avatar_type = query_choice(request, "avatar_type", ["studio_avatar", "digital_twin", "photo_avatar"])
    group_id = request.query.get("group_id") or None
    if group_id is not None:
        group_of(state, group_id)
    looks = [
        look
        for kind, look in _all_looks(state)
        if (ownership is None or kind == ownership)
        and (avatar_type is None or look["avatar_type"] == avatar_type)
        and (group_id is None or look["group_id"] == group_id)
    ]
    return listed(request, "AvatarLooksList", looks)


async def get_look(state: SimState, request: web.Request) -> web.Response:
    return ok(look_of(state, path_id(request, "look_id")))


def _target_group(state: SimState, body: dict) -> Group:
    group_id = body.get("avatar_group_id")
    if group_id:
        group = state.groups.get(group_id)
        if group is None:
            raise ApiError(404, "avatar_not_found", f"Avatar group {group_id} not found", param="avatar_group_id")
        return group
    reference = body.get("avatar_id")
    if reference and reference in state.photo_avatars:  # a new look of a private look goes to that look's group
        return state.groups[state.photo_avatars[reference].group_id]
    group = Group(state.new_id(), body["name"], state.now())
    state.groups[group.id] = group
    return group


async def create(state: SimState, request: web.Request) -> web.Response:
    body = await body_of(request, "AvatarCreate")
    kind = body["type"]
    d = state.config.durations
    if kind == "prompt":
        if len(body["prompt"]) > MAX_PROMPT:
            raise invalid("prompt", f"must be at most {MAX_PROMPT} characters")
        references = body.get("reference_images") or []
        if len(references) > MAX_REFERENCES:
            raise invalid("reference_images", f"at most {MAX_REFERENCES} images")
        for i, ref in enumerate(references):
            asset_ref(state, f"reference_images[{i}]", ref, "image")
        if body.get("avatar_id"):
            look_of(state, body["avatar_id"], "avatar_id")
        seconds, business = d.look_generation, "generated"
    else:
        asset_ref(state, "file", body["file"], "image" if kind == "photo" else "video")
        seconds, business = (d.photo_avatar, "user_upload") if kind == "photo" else (d.training, "user_upload")
    group = _target_group(state, body)
    failed = state.wants_failure(body["name"], body.get("prompt"))
    look_id = state.new_id()
    look = PhotoAvatar(
        id=look_id,
        group_id=group.id,
        name=body["name"],
        image_url=state.media_url(f"looks/{look_id}.jpg"),
        created_at=state.now(),
        job=state.start_job([("pending", seconds)], "failed" if failed else "completed"),
        business_type=business,
    )
    state.photo_avatars[look.id] = look
    group.look_ids.append(look.id)
    if kind == "digital_twin":
        store(state).look_types[look.id] = "digital_twin"
    return ok({"avatar_group": private_group(state, group), "avatar_item": private_look(state, look)})


def _own_group(state: SimState, group_id: str) -> Group:
    group = state.groups.get(group_id)
    if group is None:
        group_of(state, group_id)  # 404 for unknown ids
        raise ApiError(403, "forbidden", f"Avatar group {group_id} is a public avatar and cannot be changed")
    return group


async def consent(state: SimState, request: web.Request) -> web.Response:
    group = _own_group(state, path_id(request, "group_id"))
    body = await body_of(request, "AvatarConsentCreate")
    if not any(store(state).look_types.get(i) == "digital_twin" for i in group.look_ids):
        raise invalid("group_id", "consent applies only to digital twin avatars", "invalid_parameter")
    text = body.get("consent_text")
    if text is not None and (len(text) > 1000 or "<" in text or ">" in text):
        raise invalid("consent_text", "at most 1000 characters, without '<' or '>'")
    job = state.start_job([("pending", state.config.durations.training_pending)], "approved")
    store(state).consents[group.id] = Consent(group.id, state.now(), job)
    url = f"https://app.heygen.com/consent/{group.id}"
    return ok({"avatar_group": private_group(state, group), "url": url})


def _own_look(state: SimState, look_id: str) -> PhotoAvatar:
    pa = state.photo_avatars.get(look_id)
    if pa is None:
        look_of(state, look_id)  # 404 for unknown ids
        raise ApiError(403, "forbidden", f"Look {look_id} is a stock avatar and cannot be changed")
    return pa


async def rename_look(state: SimState, request: web.Request) -> web.Response:
    pa = _own_look(state, path_id(request, "look_id"))
    body = await body_of(request, "AvatarLooksUpdate")
    if not body.get("name"):
        raise invalid("name", "give the new name")
    pa.name = body["name"]
    return ok(private_look(state, pa))


async def delete_look(state: SimState, request: web.Request) -> web.Response:
    pa = _own_look(state, path_id(request, "look_id"))
    del state.photo_avatars[pa.id]
    group = state.groups.get(pa.group_id)
    if group is not None:
        group.look_ids = [i for i in group.look_ids if i != pa.id]
        if not group.look_ids:  # the last look takes its group with it
            del state.groups[group.id]
    return ok({"id": pa.id})


async def delete_group(state: SimState, request: web.Request) -> web.Response:
    group = _own_group(state, path_id(request, "group_id"))
    for look_id in group.look_ids:
        state.photo_avatars.pop(look_id, None)
    del state.groups[group.id]
    return ok({"id": group.id})


def register(router: web.UrlDispatcher, state: SimState) -> None:
    route(router, state, "AvatarList", list_groups)
    route(router, state, "AvatarCreate", create, job=True)
    route(router, state, "AvatarLooksList", list_looks)
    route(router, state, "AvatarLooksGet", get_look)
    route(router, state, "AvatarLooksUpdate", rename_look)
    route(router, state, "AvatarLooksDelete", delete_look)
    route(router, state, "AvatarGet", get_group)
    route(router, state, "AvatarDelete", delete_group)
    route(router, state, "AvatarConsentCreate", consent, job=True)
