"""Read-only discovery routes: avatars, avatar details, voices, voice locales, remaining quota
and the avatar-group list (heygen-api.md §3-§4). Lists come from the seeded catalogue plus what the
account created (photo avatars show up as talking photos once they are ready, as on HeyGen).
"""

from __future__ import annotations

from functools import partial

from aiohttp import web

from .routes_photo_avatars import group_summary, public_groups
from .state import SimState
from .wire import ApiError, ascii_int, invalid, ok

STREAMING_QUOTA_SECONDS = 600


async def list_avatars(state: SimState, request: web.Request) -> web.Response:
    now = state.now()
    own = [
        {"talking_photo_id": pa.id, "talking_photo_name": pa.name, "preview_image_url": pa.image_url}
        for pa in state.photo_avatars.values()
        if not pa.is_motion and pa.job.status(now) == "completed"
    ]
    catalogue = state.catalogue
    return ok(request, {"avatars": catalogue.avatars, "talking_photos": catalogue.talking_photos + own})


async def avatar_details(state: SimState, request: web.Request) -> web.Response:
    avatar_id = request.match_info["avatar_id"]
    details = state.catalogue.avatar_details(avatar_id)
    if details is None:
        raise ApiError(404, 400144, f"Avatar not found: {avatar_id}")
    return ok(request, details)


async def list_voices(state: SimState, request: web.Request) -> web.Response:
    return ok(request, {"voices": state.catalogue.voices})


async def list_locales(state: SimState, request: web.Request) -> web.Response:
    return ok(request, {"locales": state.catalogue.locales})


async def remaining_quota(state: SimState, request: web.Request) -> web.Response:
    remaining = int(state.quota_seconds)
    return ok(
        request,
        {"remaining_quota": remaining, "details": {"api": remaining, "streaming_avatar": STREAMING_QUOTA_SECONDS}},
    )


def _positive_int(request: web.Request, name: str, default: int) -> int:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    value = ascii_int(raw)
    if value is None or value < 1:
        raise invalid(f"{name}: Input should be a positive integer")
    return value


async def list_groups(state: SimState, request: web.Request) -> web.Response:
    include_public = request.query.get("include_public", "false").lower() == "true"
    page, limit = _positive_int(request, "page", 1), _positive_int(request, "limit", 100)
    groups = [group_summary(state, g) for g in sorted(state.groups.values(), key=lambda g: -g.created_at)]
    if include_public:
        groups += public_groups(state)
    chosen = groups[(page - 1) * limit : page * limit]
    return ok(request, {"total_count": len(groups), "avatar_group_list": chosen})


def register(router: web.UrlDispatcher, state: SimState) -> None:
    router.add_get("/v2/avatars", partial(list_avatars, state))
    router.add_get("/v2/avatar/{avatar_id}/details", partial(avatar_details, state))
    router.add_get("/v2/voices", partial(list_voices, state))
    router.add_get("/v2/voices/locales", partial(list_locales, state))
    router.add_get("/v2/user/remaining_quota", partial(remaining_quota, state))
    router.add_get("/v2/avatar_group.list", partial(list_groups, state))
