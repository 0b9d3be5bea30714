"""v3 templates (heygen-v3.md §7.4): the catalogue's templates, their scenes and variables, and videos
generated from them (``POST /v3/templates/{id}`` answers the Video object; poll GET /v3/videos/{id}).

``variables`` in the generate body may be given in v2's shape (``{"type", "properties"}``, checked as the
v2 route checks it) or, for text variables, as a plain string; names the template does not have are 400.
``dimension`` must be even numbers 128-4096 and ``fps`` 25, 30 or 60. The idempotent replay of a generate
is the original creation-time snapshot (status ``pending``), as HeyGen documents.
"""

from __future__ import annotations

from aiohttp import web

from .catalogue import Template
from .routes_templates import ASPECT_SIZES, PLACEHOLDER, check_variable
from .routes_videos import submit_video
from .state import SimState
from .timeline import PALETTE, Scene, speech_seconds
from .v3_common import body_of, invalid, listed, not_found, ok, path_id, route
from .v3_videos import video_object
from .validation import AVATAR_RATE, PHOTO_RATE
from .wire import ApiError

FPS = (25, 30, 60)
CREATED_AT = 1704067200


def _template(state: SimState, request: web.Request) -> Template:
    template_id = path_id(request, "template_id")
    found = state.catalogue.templates_by_id.get(template_id)
    if found is None:
        raise not_found("template_not_found", "Template", template_id)
    return found


def _summary(t: Template) -> dict:
    return {"id": t.template_id, "name": t.name, "aspect_ratio": t.aspect_ratio, "thumbnail_url": t.thumbnail_image_url,
            "created_at": CREATED_AT, "updated_at": CREATED_AT}  # fmt: skip


async def list_(state: SimState, request: web.Request) -> web.Response:
    return listed(request, "TemplateList", state.catalogue.templates, _summary)


async def get(state: SimState, request: web.Request) -> web.Response:
    t = _template(state, request)
    scene_id = f"{t.template_id[:8]}-scene-1"
    variables = [{"name": name, "variable_type": var["type"]} for name, var in t.variables.items()]
    data = _summary(t) | {
        "scene_ids": [scene_id],
        "scenes": [{"scene_id": scene_id, "script": t.script, "variables": variables}],
        "variables": {name: var for name, var in t.variables.items()},
    }
    return ok(data)


def _normalised(name: str, value, kind: str) -> dict:
    if isinstance(value, str) and kind == "text":
        return {"name": name, "type": "text", "properties": {"content": value}}
    return value


async def generate(state: SimState, request: web.Request) -> web.Response:
    t = _template(state, request)
    body = await body_of(request, "TemplateGenerate")
    texts = {n: v["properties"].get("content", "") for n, v in t.variables.items() if v["type"] == "text"}
    characters = [v["properties"].get("type") for v in t.variables.values() if v["type"] == "character"]
    rate = PHOTO_RATE if "talking_photo" in characters else AVATAR_RATE
    for name, raw in body["variables"].items():
        if name not in t.variables:
            raise invalid(f"variables.{name}", f"is not a variable of template {t.template_id}")
        kind = t.variables[name]["type"]
        try:
            said, character_rate = check_variable(state, name, _normalised(name, raw, kind), kind)
        except ApiError as exc:  # the v2 check's message, as a v3 validation error on this variable
            raise invalid(f"variables.{name}", exc.message) from None
        if kind == "text":
            texts[name] = said
        rate = character_rate or rate
    size = ASPECT_SIZES.get(t.aspect_ratio, (1280, 720))
    if body.get("dimension"):
        d = body["dimension"]
        for key in ("width", "height"):
            if not 128 <= d[key] <= 4096 or d[key] % 2:
                raise invalid(f"dimension.{key}", "must be an even number from 128 to 4096")
        size = (d["width"], d["height"])
    if body.get("fps") is not None and body["fps"] not in FPS:
        raise invalid("fps", "must be 25, 30 or 60")
    state.check_resolution(*size)
    script = PLACEHOLDER.sub(lambda m: texts.get(m.group(1), m.group(0)), t.script)
    seconds = speech_seconds(script)
    video = submit_video(
        state,
        "template",
        [Scene("text", seconds, script, PALETTE[2], t.name)],
        size,
        seconds * rate,
        title=body.get("title"),
        caption=bool(body.get("caption")),
        callback_id=body.get("callback_id"),
        callback_url=body.get("callback_url"),
        folder_id=body.get("folder_id"),
    )
    return ok(video_object(state, video))


def register(router: web.UrlDispatcher, state: SimState) -> None:
    route(router, state, "TemplateList", list_)
    route(router, state, "TemplateGet", get)
    route(router, state, "TemplateGenerate", generate, job=True)
