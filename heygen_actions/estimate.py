"""Estimates made offline, before spending: duration and credits of a video from its inputs.

The model (stated in config.json's description, so users can check it):
- text is spoken at WORDS_PER_MINUTE at speed 1.0, divided by the voice's speed; scripts written without
  spaces (Chinese, Japanese, Korean, Thai, …) by characters, at the rates in heygen_core/speech_length.py;
- a silence lasts its duration (HeyGen's default 1 s);
- an audio scene lasts what the user says in audio_seconds, else it is unknown (the file is not fetched);
- the short pause HeyGen leaves between scenes is not counted.
Credits and limits are HeyGen's published ones (heygen-api.md §2).
"""

from autohive_integrations_sdk import ActionHandler, ActionResult

from heygen_core.app import integration
from heygen_core.inputs import reject
from heygen_core.speech_length import WORDS_PER_MINUTE, speaking_seconds

DEFAULT_SILENCE_SECONDS = 1.0
MAX_SCENE_CHARACTERS = 5000
TEST_MODE_MAX_SECONDS = 60.0
CREDITS_PER_MINUTE = {"avatar": 1.0, "talking_photo": 0.2}
# HeyGen's maximum video length per plan; enterprise is the limit its 40119 error names (> 3600 s).
PLAN_MAX_SECONDS = {"free": 180.0, "pro": 300.0, "scale": 1800.0, "enterprise": 3600.0}


def minutes_words(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.0f} s"


def scene_estimate(index: int, character_type: str, voice: dict, audio_seconds: float | None) -> dict:
    kind = voice.get("type", "text")
    text = voice.get("input_text", "") if kind == "text" else ""
    warnings = []
    if kind == "text":
        seconds = speaking_seconds(text, voice.get("speed", 1.0))
    elif kind == "silence":
        seconds = voice.get("duration", DEFAULT_SILENCE_SECONDS)
    else:
        seconds = audio_seconds
        if seconds is None:
            warnings.append("audio length unknown: pass it in audio_seconds for a complete estimate")
    if len(text) > MAX_SCENE_CHARACTERS:
        warnings.append(
            f"text is {len(text)} characters, over HeyGen's {MAX_SCENE_CHARACTERS} per scene: split it into scenes"
        )
    return {
        "index": index,
        "kind": kind,
        "character_type": character_type,
        "words": len(text.split()),
        "characters": len(text),
        "seconds": None if seconds is None else round(float(seconds), 2),
        "warnings": warnings,
    }


def scenes_of(inputs: dict) -> list[dict]:
    script = inputs.get("script")
    if script is not None:
        voice = {"type": "text", "input_text": script, "speed": inputs.get("speed", 1.0)}
        return [scene_estimate(0, inputs.get("character_type", "avatar"), voice, None)]
    scenes = inputs.get("video_inputs")  # the schema's oneOf guarantees it when script is absent
    lengths = list(inputs.get("audio_seconds") or [])
    if len(lengths) > len(scenes):
        raise reject("audio_seconds", f"has {len(lengths)} entries but video_inputs has {len(scenes)} scenes")
    lengths += [None] * (len(scenes) - len(lengths))
    for index, (scene, length) in enumerate(zip(scenes, lengths)):
        if length is not None and scene["voice"]["type"] != "audio":
            raise reject(f"audio_seconds[{index}]", f"scene {index} is not an audio scene: use null for it")
    return [
        scene_estimate(index, scene["character"]["type"], scene["voice"], length)
        for index, (scene, length) in enumerate(zip(scenes, lengths))
    ]


def credits_of(scenes: list[dict], test: bool) -> dict:
    """Credits by character type, from the scenes whose length is known; test videos are free."""
    minutes = {kind: 0.0 for kind in CREDITS_PER_MINUTE}
    for scene in scenes:
        if scene["seconds"] is not None:
            minutes[scene["character_type"]] += scene["seconds"] / 60
    cost = {kind: 0.0 if test else round(minutes[kind] * rate, 2) for kind, rate in CREDITS_PER_MINUTE.items()}
    return {"avatar": cost["avatar"], "photo_avatar": cost["talking_photo"], "total": round(sum(cost.values()), 2)}


def length_warnings(known: float, complete: bool, plan: str, test: bool) -> list[str]:
    limit = PLAN_MAX_SECONDS[plan]
    length = f"about {minutes_words(known)}" if complete else f"at least {minutes_words(known)}"
    warnings = []
    if known > limit:
        warnings.append(
            f"{length}: over the {plan} plan's {minutes_words(limit)} maximum: HeyGen would fail the video (40119); "
            "shorten it, split it across videos, or upgrade"
        )
    if test and known > TEST_MODE_MAX_SECONDS:
        warnings.append(f"{length}: over test mode's 60 s limit: shorten it, or use test false (credits apply)")
    return warnings


@integration.action("estimate_video")
class EstimateVideo(ActionHandler):
    """Offline: nothing is sent to HeyGen, so nothing can fail there and nothing is spent."""

    async def execute(self, inputs, context):
        plan, test = inputs.get("plan", "pro"), inputs.get("test", False)
        scenes = scenes_of(inputs)
        known = round(sum(scene["seconds"] for scene in scenes if scene["seconds"] is not None), 2)
        complete = all(scene["seconds"] is not None for scene in scenes)
        warnings = [f"scene {scene['index']}: {words}" for scene in scenes for words in scene["warnings"]]
        warnings += length_warnings(known, complete, plan, test)
        return ActionResult(
            data={
                "scenes": scenes,
                "total_seconds": known if complete else None,
                "known_seconds": known,
                "credits": credits_of(scenes, test),
                "plan": plan,
                "plan_max_seconds": PLAN_MAX_SECONDS[plan],
                "words_per_minute": WORDS_PER_MINUTE,
                "warnings": warnings,
            },
            cost_usd=None,
        )
