"""Hostile inputs through Integration.execute_action: path escapes, nesting, non-finite numbers, lone surrogates,
whole floats, oversized lists, and redaction that must not corrupt text. Each refusal names the field and sends
nothing; nothing ever escapes as an exception."""

import json
import math
import re

import pytest
from autohive_integrations_sdk import ResultType

import heygen
from heygen_core.client import HeyGenClient, json_text
from heygen_core.errors import HeyGenError
from heygen_core.paths import ID_PATTERN, PathError, fill, segment
from tests.conftest import API, API_KEY_AUTH, request_count, run_action, sent
from tests.fuzzing import deep_dict, deep_list
from tests.helpers import v1, v2

HOSTILE_IDS = ["", ".", "..", "   ", "\t", "a\x00b", "line\nbreak", "\x7f", "\ud800", "x\udfffy"]
# (action, the id input that goes into a URL path, the other required inputs)
PATH_ID_ACTIONS = [
    ("get_avatar_details", "avatar_id", {}),
    ("get_avatar_details", "id", {}),
    ("get_template", "template_id", {}),
    ("generate_template_video", "template_id", {"variables": {"x": {"type": "text", "properties": {"content": "a"}}}}),
    ("get_photo_avatar_details", "id", {}),
    ("check_generation_status", "generation_id", {}),
    ("check_training_status", "group_id", {}),
    ("get_translation_status", "video_translate_id", {}),
    ("list_avatars_in_group", "group_id", {}),
    ("get_video_status", "video_id", {}),
    ("delete_video", "video_id", {}),
    ("delete_webhook_endpoint", "endpoint_id", {}),
]


def validation(result) -> dict:
    assert result.type == ResultType.VALIDATION_ERROR, result.result
    return result.result


def every_id_input():
    """(action, path, schema) for every id-named text input, in the schemas the plugin checks inputs with."""
    found = []

    def walk(schema, action, where):
        if not isinstance(schema, dict):
            return
        for name, sub in (schema.get("properties") or {}).items():
            if (name == "id" or name.endswith("_id")) and isinstance(sub, dict) and sub.get("type") == "string":
                found.append((action, f"{where}{name}", sub))
            walk(sub, action, f"{where}{name}.")
        for key in ("items", "additionalProperties", "if", "then", "else"):
            walk(schema.get(key), action, where)
        for key in ("oneOf", "anyOf", "allOf"):
            for sub in schema.get(key) or []:
                walk(sub, action, where)

    for action in heygen.integration.config.actions:
        walk(heygen.integration.strict_inputs(action), action, "")
    return found


# ---------------------------------------------------------------- path escapes


@pytest.mark.parametrize("bad_id", HOSTILE_IDS, ids=repr)
@pytest.mark.parametrize("action,field,others", PATH_ID_ACTIONS, ids=lambda v: v if isinstance(v, str) else "")
async def test_a_path_id_that_could_escape_its_segment_is_refused_and_nothing_is_sent(
    wire, action, field, others, bad_id
):
    result = validation(await run_action(action, {**others, field: bad_id}))

    assert result["property"] == field
    rule = result["message"].split(f"{field}: ", 1)[1]
    assert rule.startswith(("must be an id: not empty, not '.' or '..'", "must not be empty", "must be valid text"))
    assert request_count(wire) == 0


def test_every_id_input_is_checked_with_the_id_pattern():
    missing = [
        (a, p)
        for a, p, schema in every_id_input()
        if p.split(".")[-1] != "callback_id" and schema.get("pattern") != ID_PATTERN
    ]

    assert missing == []
    assert len(every_id_input()) > 50


async def test_an_id_with_slashes_and_dots_is_sent_as_exactly_one_segment(wire):
    wire.get(re.compile(rf"{API}/v2/avatar/.*"), payload=v2({"avatar_id": "x"}))

    await run_action("get_avatar_details", {"avatar_id": "../a/..%2F?b#c"})

    ((method, url, _),) = sent(wire)
    assert url == f"{API}/v2/avatar/..%2Fa%2F..%252F%3Fb%23c/details"


@pytest.mark.parametrize("value", ["..", ".", "", "a\x00"], ids=repr)
def test_the_path_builder_refuses_dot_and_empty_segments_too(value):
    with pytest.raises(PathError):
        segment("video_id", value)
    with pytest.raises(PathError):
        fill("/v3/videos/{video_id}", video_id=value)


def test_the_path_builder_escapes_every_reserved_character():
    assert fill("/v3/videos/{video_id}", video_id="a/b?c#d %") == "/v3/videos/a%2Fb%3Fc%23d%20%25"
    assert fill("/v3/videos/{video_id}", video_id="...") == "/v3/videos/..."


# ---------------------------------------------------------------- nesting and recursion


@pytest.mark.parametrize(
    "action,inputs,field",
    [
        (
            "add_looks_to_group",
            {"group_id": "g", "name": "n", "image_keys": [deep_list(500), deep_list(500)]},
            "image_keys",
        ),
        (
            "translate_video",
            {"video_url": "https://x.example/a.mp4", "output_languages": [deep_list(500)] * 2},
            "output_languages",
        ),
        ("add_webhook_endpoint", {"url": "https://hook.example/h", "events": [deep_list(500)] * 2}, "events"),
        ("estimate_video", {"video_inputs": deep_list(20_000)}, "video_inputs"),
        ("create_avatar_video", {"video_inputs": [deep_dict(15_000)]}, "video_inputs"),
    ],
    ids=["uniqueItems-looks", "uniqueItems-languages", "uniqueItems-events", "list-20000-deep", "object-15000-deep"],
)
async def test_deep_nesting_is_refused_before_schema_validation_can_recurse(wire, action, inputs, field):
    result = validation(await run_action(action, inputs))

    assert result["message"].startswith(f"{action}: invalid input: {field}")
    assert "is nested deeper than 32 levels" in result["message"]
    assert request_count(wire) == 0


@pytest.mark.parametrize("field", ["payload", "signature", "secret"])
async def test_a_lone_surrogate_in_a_webhook_check_is_a_clear_refusal(field):
    inputs = {"payload": '{"event_type": "avatar_video.success"}', "signature": "ab" * 32, "secret": "s3cr3t"}
    inputs[field] = "bad\ud800text"

    result = validation(await run_action("verify_webhook_signature", inputs))

    assert result["property"] == field and "lone surrogate" in result["message"]


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "action,inputs,route,answer,query",
    [
        ("list_avatars", {"limit": 20.0}, "/v2/avatars", v2({"avatars": [], "talking_photos": []}), None),
        ("list_voices", {"page": 2.0, "limit": 10.0}, "/v2/voices", v2({"voices": []}), None),
        ("list_videos", {"limit": 5.0}, "/v1/video.list", v1({"videos": []}), "limit=5"),
    ],
)
async def test_a_whole_float_is_used_as_the_integer_it_is(wire, action, inputs, route, answer, query):
    wire.get(re.compile(rf"{API}{re.escape(route)}.*"), payload=answer)

    result = await run_action(action, inputs)

    assert result.type == ResultType.ACTION, result.result
    if query:
        assert query in sent(wire)[0][1]


async def test_a_batch_with_a_whole_float_concurrency_runs(wire):
    wire.post(f"{API}/v2/video/generate", payload=v2({"video_id": "v1"}))
    scene = {
        "character": {"type": "avatar", "avatar_id": "Angela-inblackskirt-20220820"},
        "voice": {"type": "text", "voice_id": "1bd001e7ffe04520adf63141a163d1f8", "input_text": "Hi"},
    }

    result = await run_action("create_avatar_video_batch", {"videos": [{"video_inputs": [scene]}], "concurrency": 3.0})

    assert result.type == ResultType.ACTION, result.result
    assert result.result.data["results"][0]["video_id"] == "v1"


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize(
    "action,inputs,field",
    [
        ("estimate_video", {"script": "Hello there", "speed": None}, "speed"),
        ("create_streaming_session", {"voice": {"rate": None}}, "voice.rate"),
        (
            "create_avatar_video",
            {
                "video_inputs": [
                    {
                        "character": {"type": "avatar", "avatar_id": "a1", "scale": None},
                        "voice": {"type": "text", "voice_id": "v1", "input_text": "Hi"},
                    }
                ]
            },
            "video_inputs[0].character.scale",
        ),
        (
            "create_avatar_video",
            {
                "video_inputs": [
                    {
                        "character": {"type": "avatar", "avatar_id": "a1"},
                        "voice": {"type": "text", "voice_id": "v1", "input_text": "Hi", "speed": None},
                    }
                ]
            },
            "video_inputs[0].voice.speed",
        ),
    ],
)
async def test_non_finite_numbers_are_refused_everywhere(wire, action, inputs, field, number):
    text = json.dumps(inputs).replace("null", "NaN")  # put the number where the None stands
    filled = json.loads(text, parse_constant=lambda _: number)

    result = validation(await run_action(action, filled))

    assert result["property"] == field and "must be a finite number" in result["message"]
    assert request_count(wire) == 0


def test_the_client_never_sends_a_body_that_is_not_json():
    with pytest.raises(HeyGenError, match="not finite"):
        json_text({"speed": math.nan})
    assert json.loads(json_text({"speed": 1.0})) == {"speed": 1.0}


async def test_the_client_refuses_a_nan_body_before_sending(wire):
    async with HeyGenClient(API_KEY_AUTH) as api:
        with pytest.raises(HeyGenError, match="nothing was sent"):
            await api.post("/v2/video/generate", {"x": math.inf})

    assert request_count(wire) == 0


# ---------------------------------------------------------------- sizes first


@pytest.mark.parametrize(
    "action,inputs,words",
    [
        ("create_avatar_video_batch", {"videos": [{}] * 10_000}, "videos: must have at most 100 items (got 10000)"),
        ("estimate_video", {"video_inputs": [{}] * 10_000}, "video_inputs: must have at most 50 items (got 10000)"),
        (
            "create_avatar_video",
            {"video_inputs": [{}] * 10_000},
            "video_inputs: must have at most 50 items (got 10000)",
        ),
    ],
)
async def test_a_huge_list_is_refused_by_its_size_before_its_items_are_validated(wire, action, inputs, words):
    result = validation(await run_action(action, inputs))

    assert result["message"] == f"{action}: invalid input: {words}"
    assert request_count(wire) == 0


# ---------------------------------------------------------------- templates


async def test_a_template_input_invalid_on_its_face_is_refused_without_reading_the_template(wire):
    inputs = {
        "template_id": "t1",
        "variables": {"headline": {"name": "other", "type": "text", "properties": {"content": "a"}}},
    }

    result = validation(await run_action("generate_template_video", inputs))

    assert result["message"].endswith("variables.headline.name: must equal its key 'headline' (or be left out)")
    assert request_count(wire) == 0


async def test_a_template_is_read_only_when_the_input_is_judged_against_it(wire):
    wire.post(f"{API}/v2/template/t1/generate", payload=v2({"video_id": "v9"}))
    inputs = {
        "template_id": "t1",
        "variables": {"headline": {"type": "text", "properties": {"content": "a"}}},
        "validate_against_template": False,
    }

    result = await run_action("generate_template_video", inputs)

    assert result.type == ResultType.ACTION, result.result
    assert [(method, url) for method, url, _ in sent(wire)] == [("POST", f"{API}/v2/template/t1/generate")]
