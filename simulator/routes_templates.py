"""Template routes (heygen-api.md §8): the seeded catalogue's templates, their variables, and videos
generated from them.

``POST /v2/template/{template_id}/generate`` checks ``variables`` the way HeyGen's pydantic service
does: each must be an object whose ``type`` matches the template's variable of that name, shaped per
type (text ``{content}``; image/video/audio ``{url | asset_id}`` with HeyGen's "either ... needs to be
provided"; character ``{character_id, type}``; voice ``{voice_id}``), naming existing assets, avatars,
talking photos and voices. An unknown name is refused; a variable left out keeps the template's own
value. The video then goes through ``routes_videos.submit_video`` like any other: the narration is
the template's script with its text variables filled in, so its length, credits, concurrency limit
and the ``SIMULATE_FAILURE`` hook behave as for studio videos.
"""

from __future__ import annotations

import re
from functools import partial

from aiohttp import web

from . import validation as v
from .catalogue import Template
from .routes_videos import submit_video
from .state import SimState
from .timeline import PALETTE, Scene, speech_seconds
from .wire import ApiError, invalid, ok, read_json

ASPECT_SIZES = {"16:9": (1280, 720), "9:16": (720, 1280), "1:1": (720, 720)}
FITS = ["cover", "crop", "contain", "none"]
PLAY_STYLES = ["fit_to_scene", "freeze", "loop", "once", "full_video"]
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def template_of(state: SimState, request: web.Request) -> Template:
    found = state.catalogue.templates_by_id.get(request.match_info["template_id"])
    if found is None:
        raise ApiError(404, "template_not_found", "Template not found")
    return found


async def list_templates(state: SimState, request: web.Request) -> web.Response:
    return ok(request, {"templates": [t.summary() for t in state.catalogue.templates]})


async def template_details(state: SimState, request: web.Request) -> web.Response:
    return ok(request, template_of(state, request).details())


def _media_source(state: SimState, props: dict, kind: str, loc: str) -> None:
    _, asset_id = v.one_source(props, "url", "asset_id")
    if asset_id:
        state.asset(asset_id, kind, f"{loc}asset_id")


def check_variable(state: SimState, name: str, raw, expected_type: str) -> tuple[str, float]:
    """Validates one variable; returns (text it contributes, credit rate of the character it names)."""
    loc = f"variables.{name}."
    variable = v.obj(raw, loc.rstrip("."))
    kind = v.text(variable, "type", loc)
    if kind != expected_type:
        raise invalid(f"{loc}type: Input should be '{expected_type}'")
    props = v.obj(variable.get("properties"), f"{loc}properties")
    loc += "properties."
    if kind == "text":
        content = props.get("content")
        if not isinstance(content, str):
            raise invalid(
                f"{loc}content: Field required" if content is None else f"{loc}content: Input should be a valid string"
            )
        return content, 0.0
    if kind in ("image", "video", "audio"):
        _media_source(state, props, kind, loc)
        if kind != "audio":
            v.choice(props, "fit", FITS, loc)
        if kind == "video":
            v.choice(props, "play_style", PLAY_STYLES, loc)
        return "", 0.0
    if kind == "character":
        character_type = v.choice(props, "type", ["avatar", "talking_photo"], loc, required=True)
        character_id = v.text(props, "character_id", loc)
        if character_type == "avatar":
            v.avatar_exists(state, character_id)
            return "", v.AVATAR_RATE
        v.talking_photo_name(state, character_id)
        return "", v.PHOTO_RATE
    if kind == "voice":
        v.voice_exists(state, v.text(props, "voice_id", loc))
    return "", 0.0


async def generate(state: SimState, request: web.Request) -> web.Response:
    template = template_of(state, request)
    body = await read_json(request)
    given = body.get("variables")
    if given is None:
        raise invalid("variables: Field required")
    given = v.obj(given, "variables")
    texts = {name: var["properties"].get("content", "") for name, var in template.variables.items()
             if var["type"] == "text"}  # fmt: skip
    characters = [var["properties"].get("type") for var in template.variables.values() if var["type"] == "character"]
    rate = v.PHOTO_RATE if "talking_photo" in characters else v.AVATAR_RATE
    v.text(body, "brand_voice_id", "", required=False)
    for name, raw in given.items():
        if name not in template.variables:
            raise invalid(f"variables.{name}: not a variable of template {template.template_id}")
        said, character_rate = check_variable(state, name, raw, template.variables[name]["type"])
        if template.variables[name]["type"] == "text":
            texts[name] = said
        rate = character_rate or rate
    script = PLACEHOLDER.sub(lambda m: texts.get(m.group(1), m.group(0)), template.script)
    seconds = speech_seconds(script)
    video = submit_video(
        state,
        "template",
        [Scene("text", seconds, script, PALETTE[2], template.name)],
        v.dimension(state, body, ASPECT_SIZES.get(template.aspect_ratio, (1280, 720))),
        seconds * rate,
        title=v.text(body, "title", "", required=False),
        test=v.flag(body, "test"),
        caption=v.flag(body, "caption"),
        callback_id=v.text(body, "callback_id", "", required=False),
        callback_url=v.text(body, "callback_url", "", required=False),
        folder_id=v.text(body, "folder_id", "", required=False),
    )
    return ok(request, {"video_id": video.id})


def register(router: web.UrlDispatcher, state: SimState) -> None:
    router.add_get("/v2/templates", partial(list_templates, state))
    router.add_get("/v2/template/{template_id}", partial(template_details, state))
    router.add_post("/v2/template/{template_id}/generate", partial(generate, state))
