"""The two video workflows, each step an action of the plugin.

Path 1, a quick video with a public avatar: list_voices → list_avatars → create_avatar_video →
get_video_status (wait) → download_video.
Path 2, a custom photo avatar: generate_photo_avatar → check_generation_status (wait) →
create_avatar_group → train_avatar_group → check_training_status (wait) → generate_avatar_look (wait)
→ add_motion_to_avatar (wait) → add_sound_effect_to_avatar → create_photo_avatar_video (Avatar IV) →
get_video_status (wait) → download_video.

The input builders are plain functions so tests can check exactly what each path sends.
"""

from dataclasses import dataclass

from demo.runner import Runner, SavedVideo
from heygen_core.routes import preferred_generation

PATH1_TITLE = "Path 1: a quick video with a public avatar (basic)"
PATH2_TITLE = "Path 2: a custom photo avatar with a new look, presenting an Avatar IV video (advanced)"
SCRIPT_OPENING = (
    "Hello from Autohive! This video was made end to end through the HeyGen plugin: "
    "a voice and an avatar picked from the lists, three scenes, then waited for and downloaded."
)
SCRIPT_CLOSING = "Each scene has its own background: a colour before, another here, and a picture for the pause next."
AVATAR_IV_SCRIPT = (
    "Hi, I am a custom photo avatar. I was generated from a description, trained, "
    "given a new look, motion and sound, and now I am presenting this video."
)
PHOTO_AVATAR_REQUEST = {
    "name": "Autohive Demo Presenter",
    "age": "Early Middle Age",
    "gender": "Woman",
    "ethnicity": "South East Asian",
    "orientation": "horizontal",
    "pose": "half_body",
    "style": "Realistic",
    "appearance": "A friendly presenter in a navy blazer, warm smile, soft studio lighting, plain light background.",
}
MOTION_PROMPT = "Nods and gestures naturally."
LOOK_REQUEST = {
    "prompt": "The same presenter in a light grey summer suit, outdoors on a sunny terrace.",
    "orientation": "horizontal",
    "pose": "half_body",
    "style": "Realistic",
}


@dataclass
class Path1Result:
    voice_id: str
    avatar_id: str
    video_id: str
    video: SavedVideo


@dataclass
class Path2Result:
    generation_id: str
    group_id: str
    look_generation_id: str
    motion_avatar_id: str | None  # legacy API only: v3 has no motion avatars
    sound_effect_id: str | None
    video_id: str
    video: SavedVideo


def voices_request() -> dict:
    return {"language": "English", "limit": 5}


def avatars_request() -> dict:
    return {"limit": 5, "include_talking_photos": False}  # v3 does not say which avatars are premium


def path1_video_request(avatar: dict, voice_id: str, *, live: bool) -> dict:
    """Three scenes: speech on a colour, speech on another colour, a pause held on the avatar's own picture.

    live (the real HeyGen) adds `test: true`: a free, watermarked test video that costs no credits.
    """
    avatar_id = avatar["avatar_id"]
    character = {"type": "avatar", "avatar_id": avatar_id, "avatar_style": "normal"}
    scenes = [
        {
            "character": character,
            "voice": {"type": "text", "voice_id": voice_id, "input_text": SCRIPT_OPENING},
            "background": {"type": "color", "value": "#0066CC"},
        },
        {
            "character": character,
            "voice": {"type": "text", "voice_id": voice_id, "input_text": SCRIPT_CLOSING},
            "background": {"type": "color", "value": "#1F7A4D"},
        },
        {  # HeyGen's v3 holds a still image for a silence: the avatar's own picture
            "character": character,
            "voice": {"type": "silence", "duration": 1.0},
            "background": image_background(avatar.get("preview_image_url")) or {"type": "color", "value": "#202A44"},
        },
    ]
    request = {
        "video_inputs": scenes,
        "title": "Autohive HeyGen demo: Path 1",
        "dimension": {"width": 1280, "height": 720},
    }
    if live:
        request["test"] = True
    return request


def image_background(url) -> dict | None:
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        return {"type": "image", "url": url, "fit": "cover"}
    return None


def avatar_iv_request(photo: dict, voice_id: str, motion_prompt: str | None = None) -> dict:
    """`photo` is photo_reference()'s: the generated photo as this API generation takes it."""
    return {
        **photo,
        **({"motion_prompt": motion_prompt} if motion_prompt else {}),
        "video_title": "Autohive HeyGen demo: Path 2 (Avatar IV)",
        "script": AVATAR_IV_SCRIPT,
        "voice_id": voice_id,
        "video_orientation": "landscape",
        "fit": "cover",
    }


async def run_path1(runner: Runner, *, live: bool) -> Path1Result:
    runner.begin(PATH1_TITLE)
    voices = await runner.step(
        "list_voices",
        voices_request(),
        produced=lambda d: ("voice_id", d["voices"][0]["voice_id"]),
        notes=lambda d: [f"{listed_count(d, 'voices')} English voices listed; using {d['voices'][0]['name']}"],
    )
    voice_id = voices["voices"][0]["voice_id"]
    avatars = await runner.step(
        "list_avatars",
        avatars_request(),
        produced=lambda d: ("avatar_id", d["avatars"][0]["avatar_id"]),
        notes=lambda d: [f"{len(d['avatars'])} avatars listed; using {d['avatars'][0]['avatar_name']}"],
    )
    avatar = avatars["avatars"][0]
    request = path1_video_request(avatar, voice_id, live=live)
    created = await runner.step(
        "create_avatar_video",
        request,
        produced=lambda d: ("video_id", d["video_id"]),
        notes=lambda d: [scene_summary(request)],
    )
    video_id = created["video_id"]
    saved = await finish_video(runner, video_id, "path1")
    return Path1Result(voice_id, avatar["avatar_id"], video_id, saved)


async def run_path2(runner: Runner, *, voice_id: str) -> Path2Result:
    runner.begin(PATH2_TITLE)
    generation = await runner.step(
        "generate_photo_avatar", PHOTO_AVATAR_REQUEST, produced=lambda d: ("generation_id", d["generation_id"])
    )
    generation_id = generation["generation_id"]
    photos = await runner.step(
        "check_generation_status",
        {"generation_id": generation_id, **runner.wait()},
        produced=lambda d: ("photo", next(iter(photo_reference(d, None).values()))),
        notes=lambda d: [f"{len(d['image_urls'])} photos generated; grouping the first"],
    )
    photo = photo_reference(photos, generation_id)
    group = await runner.step(
        "create_avatar_group",
        {"name": PHOTO_AVATAR_REQUEST["name"], **photo},
        produced=lambda d: ("group_id", d["group_id"]),
    )
    group_id = group["group_id"]
    await runner.step("train_avatar_group", {"group_id": group_id}, produced=lambda d: ("flow_id", d["flow_id"]))
    await runner.step("check_training_status", {"group_id": group_id, **runner.wait()})
    look = await runner.step(
        "generate_avatar_look",
        {"group_id": group_id, **LOOK_REQUEST, **runner.wait()},
        produced=lambda d: ("generation_id", d["generation_id"]),
        notes=lambda d: [f"{len(d['image_urls'] or [])} new look photos"],
    )
    motion_id = sound_effect_id = motion_prompt = None
    if preferred_generation() == "legacy":  # motion and sound effects are avatars' own only on v1/v2
        motion = await runner.step(
            "add_motion_to_avatar",
            {"id": group["id"], "motion_type": "expressive", "prompt": MOTION_PROMPT, **runner.wait()},
            produced=lambda d: ("id", d["id"]),
        )
        sound = await runner.step(
            "add_sound_effect_to_avatar",
            {"id": motion["id"]},
            produced=lambda d: ("sound_effect_id", d["sound_effect_id"]),
        )
        motion_id, sound_effect_id = motion["id"], sound["sound_effect_id"]
    else:
        motion_prompt = MOTION_PROMPT
        runner.say(f"{' ' * 7}motion: HeyGen's v3 moves the avatar from the video's motion_prompt (no sound step)")
    created = await runner.step(
        "create_photo_avatar_video",
        avatar_iv_request(photo_reference(photos, None), voice_id, motion_prompt),
        produced=lambda d: ("video_id", d["video_id"]),
    )
    video_id = created["video_id"]
    saved = await finish_video(runner, video_id, "path2")
    return Path2Result(generation_id, group_id, look["generation_id"], motion_id, sound_effect_id, video_id, saved)


def listed_count(listing: dict, key: str) -> str:
    """ "5 of 40" where HeyGen counts the whole list, "5" where it pages by token and counts nothing (v3)."""
    shown = len(listing[key])
    return f"{shown} of {listing['total']}" if listing.get("total") is not None else str(shown)


def photo_reference(photos: dict, generation_id: str | None) -> dict:
    """The generated photo for the next step: its image key on the legacy API (with the generation it came
    from, where the step takes one), its URL on v3, which has no image keys."""
    if photos.get("image_keys"):
        return {"image_key": photos["image_keys"][0], **({"generation_id": generation_id} if generation_id else {})}
    return {"image_url": photos["image_urls"][0]}


async def finish_video(runner: Runner, video_id: str, prefix: str) -> SavedVideo:
    """The last two steps of both paths: wait for the video (get_video_status), then download and save it."""
    await runner.step(
        "get_video_status",
        {"video_id": video_id, **runner.wait()},
        produced=lambda d: ("duration", f"{d['duration']} s"),
    )
    download = await runner.step(
        "download_video",
        {"video_id": video_id, "file_type": "video"},
        produced=lambda d: ("file", d["file"]["name"]),
    )
    return await runner.save_video(download, prefix)


def scene_summary(request: dict) -> str:
    parts = []
    for scene in request["video_inputs"]:
        voice, background = scene["voice"], scene.get("background", {})
        said = "speech" if voice["type"] == "text" else f"{voice['type']} {voice.get('duration', '')}s".strip()
        parts.append(f"{said} on {background.get('type', 'default')}")
    return f"{len(parts)} scenes: " + "; ".join(parts) + (" (test mode)" if request.get("test") else "")
