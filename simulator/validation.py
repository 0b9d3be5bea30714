"""Request validation the way HeyGen answers it: 400 with code ``invalid_parameter`` and a
pydantic-style message (HeyGen's v2 API is a pydantic service), or the numeric code HeyGen uses
for a missing avatar (400144) or voice (400116).

Messages HeyGen is known to send are reproduced exactly ("String should match pattern ...",
"either url or image_asset_id needs to be provided"); the others are ``"<field path>: <message>"``.
``parse_studio_video`` turns a POST /v2/video/generate body into renderable scenes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from .state import SimState
from .timeline import AUDIO_INPUT_SECONDS, PALETTE, Scene, speech_seconds
from .wire import ApiError, invalid

COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
COLOUR_MESSAGE = "String should match pattern '^#[0-9a-fA-F]{6}$'"
MAX_SCENES = 50
MAX_INPUT_TEXT = 5000
EMOTIONS = ["Excited", "Friendly", "Serious", "Soothing", "Broadcaster"]
# HeyGen bills photo-avatar video at 0.2 credit/min and studio avatars at 1 credit/min.
AVATAR_RATE, PHOTO_RATE = 1.0, 0.2


def _choices(allowed: list[str]) -> str:
    quoted = [f"'{a}'" for a in allowed]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def obj(value: Any, loc: str) -> dict:
    if not isinstance(value, dict):
        raise invalid(f"{loc}: Input should be a valid dictionary")
    return value


def text(d: dict, key: str, loc: str, *, required: bool = True, max_len: int | None = None) -> str | None:
    value = d.get(key)
    if value is None or value == "":
        if required:
            raise invalid(f"{loc}{key}: Field required")
        return None
    if not isinstance(value, str):
        raise invalid(f"{loc}{key}: Input should be a valid string")
    if max_len is not None and len(value) > max_len:
        raise invalid(f"{loc}{key}: String should have at most {max_len} characters")
    return value


def choice(d: dict, key: str, allowed: list[str], loc: str, *, required: bool = False) -> str | None:
    value = d.get(key)
    if value is None:
        if required:
            raise invalid(f"{loc}{key}: Field required")
        return None
    if value not in allowed:
        raise invalid(f"{loc}{key}: Input should be {_choices(allowed)}")
    return value


def _lax_number(value: Any) -> float | None:
    """Pydantic's lax mode: numbers and numeric strings pass, booleans do not."""
    if isinstance(value, bool):
        return None
    if not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):  # OverflowError: an integer past 1e308
        return None
    return number if math.isfinite(number) else None  # "NaN" and "inf" are strings float() accepts


def number(d: dict, key: str, lo: float, hi: float, loc: str, default: float | None = None) -> float | None:
    if d.get(key) is None:
        return default
    value = _lax_number(d[key])
    if value is None:
        raise invalid(f"{loc}{key}: Input should be a valid number")
    if value < lo:
        raise invalid(f"{loc}{key}: Input should be greater than or equal to {lo}")
    if value > hi:
        raise invalid(f"{loc}{key}: Input should be less than or equal to {hi}")
    return value


def integer(d: dict, key: str, loc: str) -> int:
    value = _lax_number(d.get(key))
    if value is None or value != int(value):
        raise invalid(f"{loc}{key}: Input should be a valid integer")
    return int(value)


# 1 and 0 are the same keys as True and False.
BOOLEANS = {True: True, False: False, "true": True, "false": False, "1": True, "0": False}


def flag(d: dict, key: str, loc: str = "") -> bool:
    value = d.get(key, False)
    if isinstance(value, str):
        value = value.lower()
    if not isinstance(value, (int, str)) or value not in BOOLEANS:
        raise invalid(f"{loc}{key}: Input should be a valid boolean")
    return BOOLEANS[value]


def one_source(d: dict, url_key: str, id_key: str) -> tuple[str | None, str | None]:
    """Exactly one of a URL and an asset id, with HeyGen's own message for neither and both."""
    url, asset_id = d.get(url_key) or None, d.get(id_key) or None
    if (url is None) == (asset_id is None):
        raise invalid(f"either {url_key} or {id_key} needs to be provided")
    return url, asset_id


def dimension(state: SimState, body: dict, default: tuple[int, int] = (1280, 720)) -> tuple[int, int]:
    raw = body.get("dimension")
    if raw is None:
        return default
    d = obj(raw, "dimension")
    sides = []
    for key in ("width", "height"):
        value = integer(d, key, "dimension.")
        if not 128 <= value <= 4096 or value % 2:
            raise invalid(f"dimension.{key}: Input should be an even number between 128 and 4096")
        sides.append(value)
    state.check_resolution(*sides)
    return sides[0], sides[1]


def voice_exists(state: SimState, voice_id: str) -> None:
    if voice_id not in state.catalogue.voices_by_id:
        raise ApiError(400, 400116, f"Voice not found: {voice_id}")


def avatar_exists(state: SimState, avatar_id: str) -> None:
    if avatar_id not in state.catalogue.avatars_by_id:
        raise ApiError(400, 400144, f"Avatar not found: {avatar_id}")


def talking_photo_name(state: SimState, photo_id: str) -> str:
    """Catalogue talking photos and the account's photo avatars (looks or groups) both work."""
    found = state.catalogue.talking_photos_by_id.get(photo_id)
    if found:
        return found["talking_photo_name"]
    if photo_id in state.photo_avatars:
        return state.photo_avatars[photo_id].name
    if photo_id in state.groups:
        return state.groups[photo_id].name
    raise ApiError(400, 400144, f"Talking photo not found: {photo_id}")


def spoken_scene(state: SimState, voice: dict, loc: str) -> tuple[str, float, str]:
    """(kind, seconds, text) for a scene's ``voice`` object."""
    kind = choice(voice, "type", ["text", "audio", "silence"], loc, required=True)
    if kind == "text":
        voice_id = text(voice, "voice_id", loc)
        said = text(voice, "input_text", loc, max_len=MAX_INPUT_TEXT)
        speed = number(voice, "speed", 0.5, 1.5, loc, default=1.0)
        number(voice, "pitch", -50, 50, loc)
        choice(voice, "emotion", EMOTIONS, loc)
        voice_exists(state, voice_id)
        return "text", speech_seconds(said, speed), said
    if kind == "audio":
        _, asset_id = one_source(voice, "audio_url", "audio_asset_id")
        if asset_id:
            state.asset(asset_id, "audio", f"{loc}audio_asset_id")
        return "audio", AUDIO_INPUT_SECONDS, ""
    seconds = number(voice, "duration", 1.0, 100.0, loc, default=1.0)
    return "silence", seconds, ""


def background_colour(state: SimState, raw: Any, loc: str, index: int) -> tuple[int, int, int]:
    default = PALETTE[index % len(PALETTE)]
    if raw is None:
        return default
    bg = obj(raw, loc.rstrip("."))
    kind = choice(bg, "type", ["color", "image", "video"], loc, required=True)
    if kind == "color":
        value = bg.get("value")
        if not isinstance(value, str) or not COLOUR_PATTERN.match(value):
            raise invalid(COLOUR_MESSAGE)
        return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)
    id_key = f"{kind}_asset_id"
    _, asset_id = one_source(bg, "url", id_key)
    if asset_id:
        state.asset(asset_id, kind, f"{loc}{id_key}")
    choice(bg, "fit", ["cover", "crop", "contain", "none"], loc)
    if kind == "video":
        choice(bg, "play_style", ["fit_to_scene", "freeze", "loop", "once", "full_video"], loc)
    return (70, 70, 90) if kind == "image" else (50, 60, 80)


def character(state: SimState, raw: Any, loc: str) -> tuple[str, float]:
    """(name shown, credit rate) for a scene's ``character`` object."""
    ch = obj(raw, loc.rstrip("."))
    kind = choice(ch, "type", ["avatar", "talking_photo"], loc, required=True)
    number(ch, "scale", 0.0, 5.0, loc)
    if kind == "avatar":
        avatar_id = text(ch, "avatar_id", loc)
        choice(ch, "avatar_style", ["normal", "circle", "closeUp"], loc)
        colour = ch.get("circle_background_color")
        if colour is not None and (not isinstance(colour, str) or not COLOUR_PATTERN.match(colour)):
            raise invalid(COLOUR_MESSAGE)
        avatar_exists(state, avatar_id)
        return state.catalogue.avatars_by_id[avatar_id]["avatar_name"], AVATAR_RATE
    photo_id = text(ch, "talking_photo_id", loc)
    choice(ch, "talking_photo_style", ["square", "circle"], loc)
    choice(ch, "talking_style", ["stable", "expressive"], loc)
    choice(ch, "expression", ["default", "happy"], loc)
    return talking_photo_name(state, photo_id), PHOTO_RATE


@dataclass
class VideoRequest:
    scenes: list[Scene]
    cost_seconds: float  # quota seconds a non-test render would take
    dimension: tuple[int, int]
    title: str | None
    caption: bool
    test: bool
    callback_id: str | None
    callback_url: str | None
    folder_id: str | None


def parse_studio_video(state: SimState, body: dict) -> VideoRequest:
    inputs = body.get("video_inputs")
    if not isinstance(inputs, list):
        raise invalid(
            "video_inputs: Field required" if inputs is None else "video_inputs: Input should be a valid list"
        )
    if not inputs:
        raise invalid("video_inputs: List should have at least 1 item after validation, not 0")
    if len(inputs) > MAX_SCENES:
        raise invalid(f"video_inputs: List should have at most {MAX_SCENES} items after validation, not {len(inputs)}")
    scenes, cost = [], 0.0
    for i, raw in enumerate(inputs):
        loc = f"video_inputs.{i}."
        scene = obj(raw, loc.rstrip("."))
        if scene.get("character") is None:
            raise invalid(f"{loc}character: Field required")
        if scene.get("voice") is None:
            raise invalid(f"{loc}voice: Field required")
        label, rate = character(state, scene["character"], f"{loc}character.")
        kind, seconds, said = spoken_scene(state, obj(scene["voice"], f"{loc}voice"), f"{loc}voice.")
        colour = background_colour(state, scene.get("background"), f"{loc}background.", i)
        scenes.append(Scene(kind, seconds, said, colour, label))
        cost += seconds * rate
    return VideoRequest(
        scenes=scenes,
        cost_seconds=cost,
        dimension=dimension(state, body),
        title=text(body, "title", "", required=False),
        caption=flag(body, "caption"),
        test=flag(body, "test"),
        callback_id=text(body, "callback_id", "", required=False),
        callback_url=text(body, "callback_url", "", required=False),
        folder_id=text(body, "folder_id", "", required=False),
    )
