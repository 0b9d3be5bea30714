"""Checking a video request and turning it into a render spec (plain JSON, so a queue can carry it).
Every rule broken is a 4xx naming the field."""

from __future__ import annotations

from .backdrops import parse_colour
from .errors import EngineError, invalid

LANGUAGES = ("en", "es", "fr", "de", "it", "pt", "zh", "ja", "ko")
STYLES = ("professional", "casual", "educational", "marketing", "entertainment")
RESOLUTIONS = {"360p": (640, 360), "720p": (1280, 720), "1080p": (1920, 1080), "4k": (3840, 2160)}
REFUSED_RESOLUTIONS = {
    "4k": "4k (3840x2160) is refused on this engine: on a 2-core CPU it renders far slower than real time; use 1080p"
}
FORMATS = ("mp4", "mov", "webm")
LAYOUTS = ("cutout", "card", "transparent")
MAX_WORDS, MAX_CHARACTERS, MAX_SCENES = 5000, 60000, 10
USED_SETTINGS = {"layout", "captions"}


def _text(body: dict, field: str, required: bool = False, limit: int = 500) -> str | None:
    value = body.get(field)
    if value is None:
        if required:
            raise invalid(field, "is required")
        return None
    if not isinstance(value, str):
        raise invalid(field, "must be a string")
    if len(value) > limit:
        raise invalid(field, f"must be at most {limit} characters")
    return value


def check_script(body: dict, field: str = "script") -> str:
    script = _text(body, field, required=True, limit=MAX_CHARACTERS)
    if not script.strip():
        raise invalid(field, "must not be empty")
    words = len(script.split())
    if words > MAX_WORDS:
        raise invalid(field, f"has {words} words; at most {MAX_WORDS} are allowed in one video")
    return script.strip()


def _choice(body: dict, field: str, options, default: str) -> str:
    value = _text(body, field) or default
    if value not in options:
        raise invalid(field, f"must be one of {', '.join(options)}")
    return value


def _background(value, field: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise invalid(field, "must be a colour (#RRGGBB or a name) or an http(s) URL")
    if value.startswith(("http://", "https://")) or parse_colour(value) is not None:
        return value
    raise invalid(field, "must be a colour (#RRGGBB or a name) or an http(s) URL")


def _scene(item: dict, prefix: str, renderer, defaults: dict) -> dict:
    if not isinstance(item, dict):
        raise invalid(prefix.rstrip("."), "must be an object")
    language = (
        _choice(item, "language", LANGUAGES, defaults["language"]) if "language" in item else defaults["language"]
    )
    voice_id = _text(item, "voice_id") or defaults.get("voice_id") or renderer.voices.for_language(language).voice_id
    voice = renderer.voices.get(voice_id, f"{prefix}voice_id")
    if voice.language != language and ("language" in item or "language" in defaults.get("given", ())):
        raise invalid(f"{prefix}voice_id", f"speaks {voice.language!r} but language is {language!r}")
    avatar_id = _text(item, "avatar_id") or defaults.get("avatar_id") or "professional_female_01"
    renderer.avatars.get(avatar_id, f"{prefix}avatar_id")
    background = _background(item.get("background", defaults.get("background")), f"{prefix}background")
    return {
        "script": check_script(item, "script") if prefix == "" else _prefixed_script(item, prefix),
        "voice_id": voice.voice_id,
        "avatar_id": avatar_id,
        "background": background,
        "layout": defaults["layout"],
        "language": voice.language,
    }


def _prefixed_script(item: dict, prefix: str) -> str:
    try:
        return check_script(item)
    except EngineError as error:
        raise invalid(f"{prefix}script", error.details["rule"]) from error


def video_spec(body, renderer) -> dict:
    """The render spec for POST /videos/create (and each item of a batch)."""
    if not isinstance(body, dict):
        raise invalid("body", "must be a JSON object", 400)
    resolution = _choice(body, "resolution", tuple(RESOLUTIONS), "720p")
    if resolution in REFUSED_RESOLUTIONS:
        raise EngineError(
            422, "RESOLUTION_UNSUPPORTED", f"resolution: {REFUSED_RESOLUTIONS[resolution]}", {"field": "resolution"}
        )
    output_format = _text(body, "output_format") or "mp4"
    if output_format not in FORMATS:
        raise invalid("output_format", f"must be one of {', '.join(FORMATS)} (avi is not offered: use mp4 or mov)")
    settings = body.get("custom_settings") or {}
    if not isinstance(settings, dict):
        raise invalid("custom_settings", "must be an object")
    layout = settings.get("layout", "transparent" if body.get("background") == "transparent" else "cutout")
    if layout not in LAYOUTS:
        raise invalid("custom_settings.layout", f"must be one of {', '.join(LAYOUTS)}")
    if layout == "transparent" and output_format != "webm":
        raise invalid("output_format", "a transparent background needs webm (VP9 with alpha)")
    if not isinstance(settings.get("captions", False), bool):
        raise invalid("custom_settings.captions", "must be true or false")
    style = _choice(body, "style", STYLES, "professional")
    language = _choice(body, "language", LANGUAGES, "en")
    duration = body.get("duration")
    if duration is not None and (
        not isinstance(duration, (int, float)) or isinstance(duration, bool) or not 0 < duration <= 3600
    ):
        raise invalid("duration", "must be a number of seconds between 0 and 3600")
    background = None if body.get("background") == "transparent" else body.get("background")
    defaults = {
        "language": language,
        "voice_id": _text(body, "voice_id"),
        "avatar_id": _text(body, "avatar_id"),
        "background": background,
        "layout": layout,
        "given": [k for k in ("language",) if k in body],
    }
    scenes_in = body.get("scenes")
    if scenes_in is not None:
        if not isinstance(scenes_in, list) or not 1 <= len(scenes_in) <= MAX_SCENES:
            raise invalid("scenes", f"must be a list of 1 to {MAX_SCENES} scenes")
        if output_format == "webm" and len(scenes_in) > 1:
            raise invalid("scenes", "several scenes are joined as mp4 or mov; use one of those formats")
        scenes = [_scene(item, f"scenes[{n}].", renderer, defaults) for n, item in enumerate(scenes_in)]
    else:
        scenes = [
            _scene({k: body[k] for k in ("script", "voice_id", "avatar_id") if k in body}, "", renderer, defaults)
        ]
    return {
        "scenes": scenes,
        "size": list(RESOLUTIONS[resolution]),
        "resolution": resolution,
        "output_format": output_format,
        "captions": settings.get("captions", False),
        "style": style,
        "language": scenes[0]["language"],
        "requested_duration": duration,
        "ignored_settings": sorted(set(settings) - USED_SETTINGS),
    }
