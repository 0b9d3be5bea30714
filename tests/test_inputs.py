"""Every schema rule: a bad input comes back as a VALIDATION_ERROR naming the field path and the rule in words,
and nothing reaches HeyGen."""

import copy
import json

from aioresponses import aioresponses
from autohive_integrations_sdk import ResultType
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import heygen
from tests.conftest import API, request_count, run_action, sent

VALID_SCENE = {
    "character": {"type": "avatar", "avatar_id": "Angela-inblackskirt-20220820"},
    "voice": {"type": "text", "voice_id": "1bd001e7ffe04520adf63141a163d1f8", "input_text": "Hello there!"},
}
HEX_WORDS = "must be a hex colour like #1A2B3C (six hex digits; shorthand such as #FFF is not accepted)"
PHOTO = {
    "name": "CEO Avatar",
    "age": "Young Adult",
    "gender": "Man",
    "ethnicity": "White",
    "orientation": "square",
    "pose": "half_body",
    "style": "Realistic",
    "appearance": "Navy suit, modern office",
}
LOOK = {"group_id": "grp", "prompt": "In a lab coat", "orientation": "square", "pose": "close_up", "style": "Pixar"}
AV4 = {"image_key": "image/abc/original", "video_title": "Welcome"}


def scenes_with(third: dict) -> dict:
    """Three scenes, the third one broken: errors must point at video_inputs[2]."""
    return {"video_inputs": [VALID_SCENE, VALID_SCENE, third]}


def scene(**parts) -> dict:
    built = copy.deepcopy(VALID_SCENE)
    for part, value in parts.items():
        if value is None:
            built.pop(part, None)
        else:
            built[part] = value
    return built


def text_voice(**fields) -> dict:
    return {**VALID_SCENE["voice"], **fields}


async def rejected(wire, action: str, inputs: dict, path: str, words: str) -> None:
    """The action refuses the inputs with exactly `<action>: invalid input: <path>: <words>`, sending nothing."""
    result = await run_action(action, inputs)

    assert result.type == ResultType.VALIDATION_ERROR, result.result
    assert result.result["message"] == f"{action}: invalid input: {path}: {words}"
    assert result.result["property"] == path
    assert result.result["source"] == "input"
    assert request_count(wire) == 0


# ---------------------------------------------------------------- create_avatar_video: scenes


async def test_zero_scenes(wire):
    await rejected(wire, "create_avatar_video", {"video_inputs": []}, "video_inputs", "must have at least 1 item")


async def test_fifty_one_scenes(wire):
    inputs = {"video_inputs": [VALID_SCENE] * 51}
    await rejected(wire, "create_avatar_video", inputs, "video_inputs", "must have at most 50 items (got 51)")


async def test_fifty_scenes_are_accepted(wire):
    wire.post(f"{API}/v2/video/generate", payload={"error": None, "data": {"video_id": "v50"}})

    result = await run_action("create_avatar_video", {"video_inputs": [VALID_SCENE] * 50})

    assert result.type == ResultType.ACTION, result.result
    assert request_count(wire) == 1


async def test_video_inputs_not_a_list(wire):
    await rejected(wire, "create_avatar_video", {"video_inputs": VALID_SCENE}, "video_inputs", "must be a list")


async def test_scene_not_an_object(wire):
    await rejected(wire, "create_avatar_video", scenes_with("hello"), "video_inputs[2]", "must be an object")


async def test_unknown_field_in_a_scene(wire):
    inputs = scenes_with({**VALID_SCENE, "backgroud": {"type": "color", "value": "#000000"}})
    words = "is not a known field (known: background, character, text, voice)"
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].backgroud", words)


async def test_scene_without_voice(wire):
    await rejected(wire, "create_avatar_video", scenes_with(scene(voice=None)), "video_inputs[2].voice", "is required")


# ---------------------------------------------------------------- character


async def test_avatar_character_without_avatar_id(wire):
    inputs = scenes_with(scene(character={"type": "avatar", "avatar_style": "normal"}))
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].character.avatar_id", "is required")


async def test_talking_photo_character_without_talking_photo_id(wire):
    inputs = scenes_with(scene(character={"type": "talking_photo", "talking_style": "stable"}))
    path = "video_inputs[2].character.talking_photo_id"
    await rejected(wire, "create_avatar_video", inputs, path, "is required")


async def test_character_type_not_in_enum(wire):
    inputs = scenes_with(scene(character={"type": "cartoon", "avatar_id": "a"}))
    words = "must be one of: avatar, talking_photo (got 'cartoon')"
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].character.type", words)


async def test_character_scale_above_five(wire):
    inputs = scenes_with(scene(character={**VALID_SCENE["character"], "scale": 5.5}))
    await rejected(
        wire, "create_avatar_video", inputs, "video_inputs[2].character.scale", "must be at most 5 (got 5.5)"
    )


async def test_circle_background_colour_shorthand(wire):
    inputs = scenes_with(scene(character={**VALID_SCENE["character"], "circle_background_color": "#abc"}))
    path = "video_inputs[2].character.circle_background_color"
    await rejected(wire, "create_avatar_video", inputs, path, f"{HEX_WORDS} (got '#abc')")


# ---------------------------------------------------------------- voice


async def test_text_voice_without_voice_id(wire):
    inputs = scenes_with(scene(voice={"type": "text", "input_text": "Hello"}))
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].voice.voice_id", "is required")


async def test_text_voice_without_input_text(wire):
    inputs = scenes_with(scene(voice={"type": "text", "voice_id": "v1"}))
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].voice.input_text", "is required")


async def test_input_text_of_5001_characters(wire):
    inputs = scenes_with(scene(voice=text_voice(input_text="a" * 5001)))
    path = "video_inputs[2].voice.input_text"
    await rejected(wire, "create_avatar_video", inputs, path, "must be at most 5000 characters (got 5001)")


async def test_empty_input_text(wire):
    inputs = scenes_with(scene(voice=text_voice(input_text="")))
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].voice.input_text", "must not be empty")


async def test_speed_below_range(wire):
    inputs = scenes_with(scene(voice=text_voice(speed=0.4)))
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].voice.speed", "must be at least 0.5 (got 0.4)")


async def test_speed_above_range(wire):
    inputs = scenes_with(scene(voice=text_voice(speed=1.6)))
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].voice.speed", "must be at most 1.5 (got 1.6)")


async def test_pitch_below_range(wire):
    inputs = scenes_with(scene(voice=text_voice(pitch=-51)))
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].voice.pitch", "must be at least -50 (got -51)")


async def test_pitch_above_range(wire):
    inputs = scenes_with(scene(voice=text_voice(pitch=51)))
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].voice.pitch", "must be at most 50 (got 51)")


async def test_speed_not_a_number(wire):
    inputs = scenes_with(scene(voice=text_voice(speed="fast")))
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].voice.speed", "must be a number")


async def test_emotion_not_in_enum(wire):
    inputs = scenes_with(scene(voice=text_voice(emotion="Angry")))
    words = "must be one of: Excited, Friendly, Serious, Soothing, Broadcaster (got 'Angry')"
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].voice.emotion", words)


async def test_audio_voice_with_neither_source(wire):
    inputs = scenes_with(scene(voice={"type": "audio"}))
    words = "needs one of audio_url or audio_asset_id"
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].voice", words)


async def test_audio_voice_with_both_sources(wire):
    voice = {"type": "audio", "audio_url": "https://cdn.example.com/a.mp3", "audio_asset_id": "asset1"}
    words = "give only one of audio_url or audio_asset_id, not both"
    await rejected(wire, "create_avatar_video", scenes_with(scene(voice=voice)), "video_inputs[2].voice", words)


async def test_audio_url_that_is_not_a_web_address(wire):
    voice = {"type": "audio", "audio_url": "ftp://cdn.example.com/a.mp3"}
    words = "must be a URL starting with http:// or https://, without spaces (got 'ftp://cdn.example.com/a.mp3')"
    await rejected(
        wire, "create_avatar_video", scenes_with(scene(voice=voice)), "video_inputs[2].voice.audio_url", words
    )


async def test_silence_longer_than_100_seconds(wire):
    inputs = scenes_with(scene(voice={"type": "silence", "duration": 100.5}))
    path = "video_inputs[2].voice.duration"
    await rejected(wire, "create_avatar_video", inputs, path, "must be at most 100.0 (got 100.5)")


async def test_voice_type_not_in_enum(wire):
    inputs = scenes_with(scene(voice={"type": "tts", "voice_id": "v"}))
    words = "must be one of: text, audio, silence (got 'tts')"
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].voice.type", words)


# ---------------------------------------------------------------- background and text overlay


async def test_colour_shorthand(wire):
    inputs = scenes_with(scene(background={"type": "color", "value": "#FFF"}))
    path = "video_inputs[2].background.value"
    await rejected(wire, "create_avatar_video", inputs, path, f"{HEX_WORDS} (got '#FFF')")


async def test_colour_name(wire):
    inputs = scenes_with(scene(background={"type": "color", "value": "blue"}))
    path = "video_inputs[2].background.value"
    await rejected(wire, "create_avatar_video", inputs, path, f"{HEX_WORDS} (got 'blue')")


async def test_colour_background_without_value(wire):
    inputs = scenes_with(scene(background={"type": "color"}))
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].background.value", "is required")


async def test_image_background_with_neither_source(wire):
    inputs = scenes_with(scene(background={"type": "image", "fit": "cover"}))
    words = "needs one of url or image_asset_id"
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].background", words)


async def test_image_background_with_both_sources(wire):
    background = {"type": "image", "url": "https://cdn.example.com/a.png", "image_asset_id": "img1"}
    words = "give only one of url or image_asset_id, not both"
    inputs = scenes_with(scene(background=background))
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].background", words)


async def test_video_background_with_neither_source(wire):
    inputs = scenes_with(scene(background={"type": "video", "play_style": "loop"}))
    words = "needs one of url or video_asset_id"
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].background", words)


async def test_video_background_with_both_sources(wire):
    background = {"type": "video", "url": "https://cdn.example.com/a.mp4", "video_asset_id": "vid1"}
    words = "give only one of url or video_asset_id, not both"
    inputs = scenes_with(scene(background=background))
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].background", words)


async def test_background_play_style_not_in_enum(wire):
    background = {"type": "video", "url": "https://cdn.example.com/a.mp4", "play_style": "bounce"}
    words = "must be one of: fit_to_scene, freeze, loop, once, full_video (got 'bounce')"
    inputs = scenes_with(scene(background=background))
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].background.play_style", words)


async def test_text_overlay_without_text(wire):
    inputs = scenes_with({**VALID_SCENE, "text": {"type": "text", "font_size": 12}})
    await rejected(wire, "create_avatar_video", inputs, "video_inputs[2].text.text", "is required")


async def test_text_overlay_position_outside_the_frame(wire):
    inputs = scenes_with({**VALID_SCENE, "text": {"type": "text", "text": "Hi", "position": {"x": 1.5, "y": 0}}})
    path = "video_inputs[2].text.position.x"
    await rejected(wire, "create_avatar_video", inputs, path, "must be at most 1 (got 1.5)")


# ---------------------------------------------------------------- create_avatar_video: top level


async def test_required_video_inputs_missing(wire):
    await rejected(wire, "create_avatar_video", {"title": "No scenes"}, "video_inputs", "is required")


async def test_dimension_odd(wire):
    inputs = {"video_inputs": [VALID_SCENE], "dimension": {"width": 1281, "height": 720}}
    await rejected(wire, "create_avatar_video", inputs, "dimension.width", "must be an even number")


async def test_dimension_below_128(wire):
    inputs = {"video_inputs": [VALID_SCENE], "dimension": {"width": 126, "height": 720}}
    await rejected(wire, "create_avatar_video", inputs, "dimension.width", "must be at least 128 (got 126)")


async def test_dimension_above_4096(wire):
    inputs = {"video_inputs": [VALID_SCENE], "dimension": {"width": 1280, "height": 4098}}
    await rejected(wire, "create_avatar_video", inputs, "dimension.height", "must be at most 4096 (got 4098)")


async def test_dimension_without_height(wire):
    inputs = {"video_inputs": [VALID_SCENE], "dimension": {"width": 1280}}
    await rejected(wire, "create_avatar_video", inputs, "dimension.height", "is required")


async def test_callback_url_not_a_web_address(wire):
    inputs = {"video_inputs": [VALID_SCENE], "callback_url": "hooks.example.com"}
    words = "must be a URL starting with http:// or https://, without spaces (got 'hooks.example.com')"
    await rejected(wire, "create_avatar_video", inputs, "callback_url", words)


async def test_unknown_top_level_input(wire):
    known = sorted(heygen.integration.config.actions["create_avatar_video"].input_schema["properties"])
    assert {"video_inputs", "title", "dimension", "wait_for_completion"} <= set(known)
    inputs = {"video_inputs": [VALID_SCENE], "quality": "1080p"}
    words = "is not a known field (known: " + ", ".join(known) + ")"
    await rejected(wire, "create_avatar_video", inputs, "quality", words)


async def test_timeout_seconds_below_ten(wire):
    inputs = {"video_inputs": [VALID_SCENE], "wait_for_completion": True, "timeout_seconds": 5}
    await rejected(wire, "create_avatar_video", inputs, "timeout_seconds", "must be at least 10 (got 5)")


async def test_timeout_seconds_above_900(wire):
    inputs = {"video_id": "v1", "wait_for_completion": True, "timeout_seconds": 901}
    await rejected(wire, "get_video_status", inputs, "timeout_seconds", "must be at most 900 (got 901)")


async def test_wait_for_completion_not_a_boolean(wire):
    inputs = {"video_id": "v1", "wait_for_completion": "yes"}
    await rejected(wire, "get_video_status", inputs, "wait_for_completion", "must be true or false")


# ---------------------------------------------------------------- photo avatars


async def test_appearance_of_1001_characters(wire):
    inputs = {**PHOTO, "appearance": "x" * 1001}
    await rejected(wire, "generate_photo_avatar", inputs, "appearance", "must be at most 1000 characters (got 1001)")


async def test_generate_photo_avatar_required_input_missing(wire):
    inputs = {key: value for key, value in PHOTO.items() if key != "style"}
    await rejected(wire, "generate_photo_avatar", inputs, "style", "is required")


async def test_generate_photo_avatar_age_not_in_enum(wire):
    words = "must be one of: Young Adult, Early Middle Age, Late Middle Age, Senior, Unspecified (got 'Teen')"
    await rejected(wire, "generate_photo_avatar", {**PHOTO, "age": "Teen"}, "age", words)


async def test_prompt_of_1001_characters(wire):
    inputs = {**LOOK, "prompt": "y" * 1001}
    await rejected(wire, "generate_avatar_look", inputs, "prompt", "must be at most 1000 characters (got 1001)")


async def test_image_keys_five_items(wire):
    inputs = {"group_id": "grp", "name": "Looks", "image_keys": ["k1", "k2", "k3", "k4", "k5"]}
    await rejected(wire, "add_looks_to_group", inputs, "image_keys", "must have at most 4 items (got 5)")


async def test_image_keys_empty(wire):
    inputs = {"group_id": "grp", "name": "Looks", "image_keys": []}
    await rejected(wire, "add_looks_to_group", inputs, "image_keys", "must have at least 1 item")


async def test_image_keys_repeated(wire):
    inputs = {"group_id": "grp", "name": "Looks", "image_keys": ["k1", "k1"]}
    await rejected(wire, "add_looks_to_group", inputs, "image_keys", "must not repeat an item")


async def test_motion_type_not_in_enum(wire):
    words = (
        "must be one of: expressive, consistent, consistent_gen_3, hailuo_2, veo2, seedance_lite, kling (got 'sora')"
    )
    await rejected(wire, "add_motion_to_avatar", {"id": "look1", "motion_type": "sora"}, "motion_type", words)


async def test_empty_id(wire):
    await rejected(wire, "get_photo_avatar_details", {"id": ""}, "id", "must not be empty")


async def test_list_avatar_groups_limit_above_100(wire):
    await rejected(wire, "list_avatar_groups", {"limit": 101}, "limit", "must be at most 100 (got 101)")


# ---------------------------------------------------------------- discovery


async def test_get_avatar_details_with_neither_id(wire):
    await rejected(wire, "get_avatar_details", {}, "(inputs)", "needs one of avatar_id or id")


async def test_get_avatar_details_with_both_ids(wire):
    inputs = {"avatar_id": "a1", "id": "a2"}
    await rejected(wire, "get_avatar_details", inputs, "(inputs)", "give only one of avatar_id or id, not both")


async def test_list_voices_limit_above_500(wire):
    await rejected(wire, "list_voices", {"limit": 501}, "limit", "must be at most 500 (got 501)")


async def test_list_voices_page_zero(wire):
    await rejected(wire, "list_voices", {"page": 0}, "page", "must be at least 1 (got 0)")


async def test_list_avatars_gender_not_in_enum(wire):
    words = "must be one of: male, female, Male, Female (got 'any')"
    await rejected(wire, "list_avatars", {"gender": "any"}, "gender", words)


# ---------------------------------------------------------------- create_photo_avatar_video


async def test_photo_avatar_video_script_without_voice_id(wire):
    inputs = {**AV4, "script": "Hello!"}
    await rejected(wire, "create_photo_avatar_video", inputs, "voice_id", "is required when script is given")


async def test_photo_avatar_video_with_script_and_audio_url(wire):
    inputs = {**AV4, "script": "Hello!", "voice_id": "v1", "audio_url": "https://cdn.example.com/a.mp3"}
    words = "give only one of script or audio_url or audio_asset_id, not both"
    await rejected(wire, "create_photo_avatar_video", inputs, "(inputs)", words)


async def test_photo_avatar_video_without_script_or_audio(wire):
    words = "needs one of script or audio_url or audio_asset_id"
    await rejected(wire, "create_photo_avatar_video", dict(AV4), "(inputs)", words)


async def test_photo_avatar_video_required_title_missing(wire):
    inputs = {"image_key": "image/abc/original", "audio_asset_id": "a1"}
    await rejected(wire, "create_photo_avatar_video", inputs, "video_title", "is required")


async def test_photo_avatar_video_orientation_not_in_enum(wire):
    inputs = {**AV4, "audio_asset_id": "a1", "video_orientation": "wide"}
    words = "must be one of: portrait, landscape, square (got 'wide')"
    await rejected(wire, "create_photo_avatar_video", inputs, "video_orientation", words)


# ---------------------------------------------------------------- several problems at once


async def test_several_problems_are_listed_in_field_order(wire):
    inputs = scenes_with(scene(voice=text_voice(speed=2.0, pitch=-60), background={"type": "color", "value": "red"}))

    result = await run_action("create_avatar_video", inputs)

    assert result.type == ResultType.VALIDATION_ERROR
    assert result.result["message"] == (
        "create_avatar_video: invalid input: "
        f"video_inputs[2].background.value: {HEX_WORDS} (got 'red'); "
        "video_inputs[2].voice.pitch: must be at least -50 (got -60); "
        "video_inputs[2].voice.speed: must be at most 1.5 (got 2.0)"
    )
    assert request_count(wire) == 0


# ---------------------------------------------------------------- random video_inputs never crash nor leak


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["avatar", "talking_photo", "text", "audio", "silence", "color", "image", "video", "#FFF"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
VALID_SCENES = [
    VALID_SCENE,
    {
        "character": {"type": "talking_photo", "talking_photo_id": "tp1", "scale": 1.0},
        "voice": {"type": "audio", "audio_url": "https://cdn.example.com/a.mp3"},
        "background": {"type": "image", "image_asset_id": "img1", "fit": "cover"},
    },
    {
        "character": {"type": "avatar", "avatar_id": "a1", "avatar_style": "circle"},
        "voice": {"type": "silence", "duration": 2.0},
        "background": {"type": "color", "value": "#0066CC"},
        "text": {"type": "text", "text": "Hi", "position": {"x": 0.5, "y": 0.5}},
    },
]
FIELD_NAMES = [
    "type",
    "avatar_id",
    "talking_photo_id",
    "voice_id",
    "input_text",
    "speed",
    "pitch",
    "emotion",
    "audio_url",
    "audio_asset_id",
    "duration",
    "value",
    "url",
    "image_asset_id",
    "video_asset_id",
    "fit",
    "text",
    "typo_field",
]


@st.composite
def mutated_scenes(draw):
    """A valid scene with up to three random edits: a field set to junk, a field deleted, or a part replaced."""
    built = copy.deepcopy(draw(st.sampled_from(VALID_SCENES)))
    for _ in range(draw(st.integers(0, 3))):
        part = draw(st.sampled_from(["character", "voice", "background", "text", "extra"]))
        edit = draw(st.sampled_from(["set", "delete", "replace"]))
        if edit == "replace" or not isinstance(built.get(part), dict):
            if edit == "delete":
                built.pop(part, None)
            else:
                built[part] = draw(JSON_VALUES)
            continue
        field = draw(st.sampled_from(FIELD_NAMES))
        if edit == "delete":
            built[part].pop(field, None)
        else:
            built[part][field] = draw(JSON_VALUES)
    return built


@st.composite
def valid_scenes(draw):
    """A valid scene with random in-range options: these must reach HeyGen unchanged."""
    built = copy.deepcopy(draw(st.sampled_from(VALID_SCENES)))
    if built["voice"]["type"] == "text":
        options = {
            "speed": st.floats(0.5, 1.5),
            "pitch": st.integers(-50, 50),
            "emotion": st.sampled_from(["Excited", "Friendly", "Serious", "Soothing", "Broadcaster"]),
            "input_text": st.text(min_size=1, max_size=50),
        }
        for field in draw(st.lists(st.sampled_from(sorted(options)), unique=True)):
            built["voice"][field] = draw(options[field])
    if draw(st.booleans()):
        colour = draw(st.from_regex(r"\A#[0-9a-fA-F]{6}\Z"))
        built["background"] = {"type": "color", "value": colour}
    return built


VIDEO_INPUTS = st.one_of(
    JSON_VALUES,
    st.lists(valid_scenes(), min_size=1, max_size=3),
    st.lists(mutated_scenes(), min_size=1, max_size=3),
    st.lists(st.one_of(valid_scenes(), mutated_scenes(), JSON_VALUES), min_size=0, max_size=3),
)


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(video_inputs=VIDEO_INPUTS)
async def test_random_video_inputs_never_escape_and_rejections_send_nothing(video_inputs):
    with aioresponses() as mocked:
        mocked.post(f"{API}/v2/video/generate", payload={"error": None, "data": {"video_id": "v1"}}, repeat=True)

        result = await run_action("create_avatar_video", {"video_inputs": video_inputs})
        event(f"result: {result.type.value}")

        if result.type == ResultType.VALIDATION_ERROR:
            assert result.result["source"] == "input"
            assert result.result["message"].startswith("create_avatar_video: invalid input: ")
            assert request_count(mocked) == 0
        else:
            assert result.type == ResultType.ACTION, result.result
            (call,) = sent(mocked)
            assert call[:2] == ("POST", f"{API}/v2/video/generate")
            assert json.loads(call[2]["data"]) == {"video_inputs": video_inputs}
            assert result.result.data["video_id"] == "v1"
