"""Avatars, voices and photo avatars against the simulator's v3 API over loopback, in each legacy mode.

The photo-avatar chain a v3 workflow takes (generate, read the look, a new look, a group from the image URL,
more looks, training status, the lists) gives the same outputs whether v1/v2 are served, deprecated or
retired; with them retired, the legacy-only actions say what to use instead. A simulator that does not
speak these v3 routes (or has no legacy modes) skips, saying so.
"""

import dataclasses

import pytest

from simulator import SimulatorConfig
from tests.conftest import API_KEY_AUTH, run_action, simulator
from tests.helpers import error_of, ok, validation_error_of

pytestmark = pytest.mark.e2e

WAIT = {"wait_for_completion": True, "timeout_seconds": 30}
PHOTO = {
    "name": "Chain",
    "age": "Young Adult",
    "gender": "Woman",
    "ethnicity": "East Asian",
    "orientation": "square",
    "pose": "half_body",
    "style": "Realistic",
    "appearance": "Smiling, in a bright office",
}
MODES = ("served", "deprecated", "retired")


def skip_without_legacy_modes() -> None:
    if "legacy" not in {f.name for f in dataclasses.fields(SimulatorConfig)}:
        pytest.skip("this simulator has no legacy modes (served, deprecated, retired)")


async def served_v3_avatars(sim) -> bool:
    await run_action("list_avatar_groups", {}, auth=API_KEY_AUTH)
    return any(request.path == "/v3/avatars" for request in sim.requests)


async def chain() -> dict:
    """The v3 photo-avatar chain; what a workflow reads from each step."""
    generated = await ok("generate_photo_avatar", {**PHOTO, **WAIT})
    look = await ok("get_photo_avatar_details", {"id": generated["generation_id"]})
    new_look = await ok(
        "generate_avatar_look",
        {"group_id": look["group_id"], "prompt": "In a lab coat", "orientation": "vertical", "pose": "close_up"}
        | {"style": "Cinematic", **WAIT},
    )
    url = generated["image_urls"][0]
    group = await ok("create_avatar_group", {"name": "From a URL", "image_url": url})
    added = await ok("add_looks_to_group", {"group_id": group["group_id"], "name": "More", "image_urls": [url]})
    trained = await ok("train_avatar_group", {"group_id": group["group_id"], **WAIT})
    looks = await ok("list_avatars_in_group", {"group_id": group["group_id"]})
    voices = await ok("list_voices", {"language": "English", "limit": 2})
    following = await ok("list_voices", {"language": "English", "limit": 2, "page_token": voices["next_page_token"]})
    return {
        "generated": (generated["status"], generated["image_keys"], bool(generated["image_urls"])),
        "look": (look["id"] == generated["generation_id"], bool(look["group_id"])),
        "new_look": (new_look["status"], new_look["generation_id"] != generated["generation_id"]),
        "group": (group["status"], bool(group["group_id"]), bool(group["id"])),
        "added": added["count"],
        "trained": (trained["status"], trained["flow_id"]),
        "looks": looks["count"],
        "voices": (len(voices["voices"]), voices["has_more"], len(following["voices"])),
        "no_repeat": not {v["voice_id"] for v in voices["voices"]} & {v["voice_id"] for v in following["voices"]},
    }


@pytest.mark.parametrize("legacy", MODES)
async def test_the_v3_photo_avatar_chain_is_the_same_in_every_legacy_mode(monkeypatch, legacy):
    skip_without_legacy_modes()
    async with simulator(monkeypatch, legacy=legacy) as sim:
        if not await served_v3_avatars(sim):
            pytest.skip("this simulator does not serve HeyGen's v3 avatar routes")
        seen = await chain()
        assert not any(request.path.startswith("/v2/") for request in sim.requests)

    assert seen == {
        "generated": ("completed", None, True),
        "look": (True, True),
        "new_look": ("completed", True),
        "group": ("processing", True, True),
        "added": 1,
        "trained": ("completed", None),
        "looks": 2,
        "voices": (2, True, 2),
        "no_repeat": True,
    }


async def test_with_legacy_retired_the_legacy_only_actions_say_what_to_use(monkeypatch):
    skip_without_legacy_modes()
    async with simulator(monkeypatch, legacy="retired") as sim:
        if not await served_v3_avatars(sim):
            pytest.skip("this simulator does not serve HeyGen's v3 avatar routes")
        locales = error_of(await run_action("list_voice_locales", {}, auth=API_KEY_AUTH))
        motion = error_of(await run_action("add_motion_to_avatar", {"id": "look_1"}, auth=API_KEY_AUTH))
        sound = error_of(await run_action("add_sound_effect_to_avatar", {"id": "look_1"}, auth=API_KEY_AUTH))
        key_only = validation_error_of(
            await run_action("create_avatar_group", {"name": "n", "image_key": "k"}, auth=API_KEY_AUTH)
        )

    assert "no list of voice locales" in locales and "locale in the voice settings" in locales
    assert "motion_prompt on create_avatar_video" in motion
    assert "no sound effects" in sound
    assert "image_key" in key_only and "image_url" in key_only
