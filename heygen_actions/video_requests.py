"""Our video inputs (the v2 shapes workflows already use) as HeyGen v3 `POST /v3/videos` bodies.

Only exact mappings are made. Where v3 cannot say what an input asks (a free test render, a talking_photo_id
whose v3 look id is unknown, a background image behind an avatar, a folder on create), `NotExpressible`
says why and what to pass instead, and the legacy route gets its turn: never a silent change of meaning,
never a billed render where a free test was asked for.
"""

from heygen_core.routes import NotExpressible, Request

# v2 `dimension` -> v3 (resolution, aspect_ratio), for the sizes HeyGen renders on v3.
DIMENSIONS = {
    (1280, 720): ("720p", "16:9"),
    (720, 1280): ("720p", "9:16"),
    (720, 720): ("720p", "1:1"),
    (1920, 1080): ("1080p", "16:9"),
    (1080, 1920): ("1080p", "9:16"),
    (1080, 1080): ("1080p", "1:1"),
    (1080, 1350): ("1080p", "4:5"),
    (1350, 1080): ("1080p", "5:4"),
    (3840, 2160): ("4k", "16:9"),
    (2160, 3840): ("4k", "9:16"),
}
ORIENTATIONS = {"landscape": "16:9", "portrait": "9:16", "square": "1:1"}
# Character fields v3 has no counterpart for, with the value that means "as HeyGen does by default".
CHARACTER_DEFAULTS = {
    "avatar_style": "normal",
    "talking_photo_style": None,
    "talking_style": None,
    "expression": None,
    "super_resolution": None,
    "scale": 1.0,
    "offset": {"x": 0, "y": 0},
    "matting": None,
    "circle_background_color": None,
}
TEST_MODE = (
    "HeyGen's v3 API has no free test mode, so no video is rendered for test: true there "
    "(leave test out for a billed render)"
)


def studio_request(inputs: dict) -> Request:
    """create_avatar_video -> `type: studio`."""
    refuse_test_mode(inputs)
    if inputs.get("folder_id"):
        raise NotExpressible("folder_id", "HeyGen's v3 API files new videos in no folder: leave folder_id out")
    body = {"type": "studio", "scenes": [scene(i, item) for i, item in enumerate(inputs["video_inputs"])]}
    body.update(canvas(inputs))
    body.update(common_options(inputs))
    return Request(body=body)


def refuse_test_mode(inputs: dict) -> None:
    if inputs.get("test"):
        raise NotExpressible("test", TEST_MODE)


def canvas(inputs: dict) -> dict:
    """resolution and aspect_ratio, from the new inputs or an exactly matching v2 dimension."""
    out = {key: inputs[key] for key in ("resolution", "aspect_ratio") if inputs.get(key)}
    dimension = inputs.get("dimension")
    if dimension and not out:
        size = (dimension.get("width"), dimension.get("height"))
        if size not in DIMENSIONS:
            sizes = ", ".join(f"{w}x{h}" for w, h in DIMENSIONS)
            raise NotExpressible(
                "dimension", f"HeyGen's v3 API renders {sizes}: give one of them, or resolution and aspect_ratio"
            )
        out["resolution"], out["aspect_ratio"] = DIMENSIONS[size]
    return out


def common_options(inputs: dict) -> dict:
    out = {key: inputs[key] for key in ("title", "callback_id", "callback_url") if inputs.get(key) is not None}
    if inputs.get("caption"):
        # v2 caption: true gave a captioned video and a captions file; v3 makes both when a style is set
        out["caption"] = {"file_format": "srt", "style": "default"}
    return out


def scene(index: int, item: dict) -> dict:
    where = f"video_inputs[{index}]"
    character, voice, background = item.get("character") or {}, item.get("voice") or {}, item.get("background")
    for name, default in CHARACTER_DEFAULTS.items():
        if character.get(name) not in (None, default):
            raise NotExpressible(f"{where}.character.{name}", "has no equivalent on HeyGen's v3 API: leave it out")
    if character.get("type") == "talking_photo":
        raise NotExpressible(
            f"{where}.character.talking_photo_id",
            "HeyGen's v3 API takes photo avatars as look ids, and a talking_photo_id's look id is not known: give "
            "character type avatar with the photo avatar look's avatar_id (list_avatars lists looks)",
        )
    if voice.get("type") == "silence":
        return silent_scene(where, voice, background)
    source = {"type": "avatar", "avatar_id": character.get("avatar_id")}
    source.update(speech(where, voice))
    if background:
        source["background"] = colour_only(where, background)
    return {"type": "avatar_video", "input": source}


def speech(where: str, voice: dict) -> dict:
    if voice.get("emotion"):
        raise NotExpressible(f"{where}.voice.emotion", "has no equivalent on HeyGen's v3 API: leave it out")
    if voice.get("type") == "audio":
        key = "audio_url" if voice.get("audio_url") else "audio_asset_id"
        return {key: voice[key]}
    out = {"script": voice.get("input_text"), "voice_id": voice.get("voice_id")}
    settings = {key: voice[key] for key in ("speed", "pitch", "locale") if voice.get(key) is not None}
    if settings:
        out["voice_settings"] = settings
    return out


def colour_only(where: str, background: dict) -> dict:
    if background.get("type") != "color":
        raise NotExpressible(
            f"{where}.background",
            "HeyGen's v3 studio scenes take only a colour behind an avatar: use type color, or a scene of its own "
            "for the image or video",
        )
    return {"type": "color", "color": background["value"]}


def silent_scene(where: str, voice: dict, background: dict | None) -> dict:
    """A v2 silence becomes a v3 image scene held for the duration: that needs an image background."""
    if not background or background.get("type") != "image":
        raise NotExpressible(
            f"{where}.voice",
            "a silence on HeyGen's v3 API is a still image held for the duration: give this scene an image "
            "background (url or image_asset_id)",
        )
    return {"type": "image", "source": asset_ref(background, "image_asset_id"), "duration": voice.get("duration", 1)}


def asset_ref(source: dict, asset_field: str) -> dict:
    if source.get("url"):
        return {"type": "url", "url": source["url"]}
    return {"type": "asset_id", "asset_id": source[asset_field]}


def image_video_request(inputs: dict) -> Request:
    """create_photo_avatar_video (Avatar IV from a photo) -> `type: image`."""
    if inputs.get("image_url"):
        image = {"type": "url", "url": inputs["image_url"]}
    elif inputs.get("image_asset_id"):
        image = {"type": "asset_id", "asset_id": inputs["image_asset_id"]}
    else:
        raise NotExpressible(
            "image_key",
            "HeyGen's v3 API takes the photo as image_url or image_asset_id (upload_asset returns an asset_id); an "
            "image_key works only on the legacy API",
        )
    body = {"type": "image", "image": image, "title": inputs.get("video_title")}
    body.update(voice_or_audio(inputs))
    if inputs.get("custom_motion_prompt") or inputs.get("motion_prompt"):
        body["motion_prompt"] = inputs.get("motion_prompt") or inputs["custom_motion_prompt"]
    orientation = ORIENTATIONS.get(inputs.get("video_orientation") or "")
    if orientation and not inputs.get("aspect_ratio"):
        body["aspect_ratio"] = orientation
    for key in ("fit", "resolution", "aspect_ratio", "expressiveness", "callback_id", "callback_url"):
        if inputs.get(key) is not None:
            body[key] = inputs[key]
    return Request(body={k: v for k, v in body.items() if v is not None})


def voice_or_audio(inputs: dict) -> dict:
    if inputs.get("audio_url"):
        return {"audio_url": inputs["audio_url"]}
    if inputs.get("audio_asset_id"):
        return {"audio_asset_id": inputs["audio_asset_id"]}
    return {"script": inputs.get("script"), "voice_id": inputs.get("voice_id")}


def webm_request(inputs: dict) -> Request:
    """create_webm_video -> `type: avatar` with `output_format: webm` (HeyGen removes the background)."""
    if not inputs.get("avatar_id"):
        raise NotExpressible(
            "avatar_pose_id",
            "HeyGen's v3 API makes WebM videos from an avatar look id: give avatar_id (list_avatars lists looks); "
            "an avatar_pose_id works only on the legacy API",
        )
    if inputs.get("avatar_style") not in (None, "normal"):
        raise NotExpressible("avatar_style", "has no equivalent on HeyGen's v3 API: leave it out")
    body = {"type": "avatar", "avatar_id": inputs["avatar_id"], "output_format": "webm"}
    if inputs.get("input_audio"):
        body["audio_url"] = inputs["input_audio"]
    else:
        body.update({"script": inputs.get("input_text"), "voice_id": inputs.get("voice_id")})
    body.update(canvas(inputs))
    return Request(body={k: v for k, v in body.items() if v is not None})
