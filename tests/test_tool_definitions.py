"""Tool definitions an LLM agent can afford and every function-calling API accepts, with no rule lost.

config.json is what agents read: it keeps to the portable JSON Schema subset and to a size budget, and it is
built from schema/ (shared parts written once). What the subset cannot say is in heygen_core/schema_rules.py;
here every such rule, and every rule a description states, is shown refused before anything is sent.
"""

import importlib.util
import json
import re
import shutil
from pathlib import Path

import pytest
from autohive_integrations_sdk import ResultType

from heygen_core.app import integration
from heygen_core.schema_rules import ACTION_RULES
from tests.conftest import request_count, run_action

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("build_config", ROOT / "scripts" / "build_config.py")
BUILD = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(BUILD)
ACTIONS = json.loads((ROOT / "config.json").read_text(encoding="utf-8"))["actions"]

SCENE = {
    "character": {"type": "avatar", "avatar_id": "Angela-inblackskirt-20220820"},
    "voice": {"type": "text", "voice_id": "1bd001e7ffe04520adf63141a163d1f8", "input_text": "Hello there!"},
}


def with_scene(**parts) -> dict:
    return {**SCENE, **parts}


# (action, inputs, the field the refusal names, words it contains). One or more for every place of
# schema_rules.ACTION_RULES (test_every_rule_place_has_a_case checks), and for every "give this or" rule.
CASES = [
    (
        "create_avatar_video",
        {"video_inputs": [with_scene(character={"type": "avatar"})]},
        "video_inputs[0].character.avatar_id",
        "is required",
    ),
    (
        "create_avatar_video",
        {"video_inputs": [with_scene(voice={"type": "audio"})]},
        "video_inputs[0].voice",
        "needs one of audio_url or audio_asset_id",
    ),
    (
        "create_avatar_video",
        {
            "video_inputs": [
                with_scene(background={"type": "image", "url": "https://x.io/a.png", "image_asset_id": "a1"})
            ]
        },
        "video_inputs[0].background",
        "give only one of url or image_asset_id",
    ),
    (
        "create_avatar_video",
        {"video_inputs": [with_scene(text={"type": "text", "text": "Hi", "font_size": 0})]},
        "video_inputs[0].text.font_size",
        "must be more than 0",
    ),
    (
        "create_avatar_video",
        {"video_inputs": [SCENE], "dimension": {"width": 1281, "height": 720}},
        "dimension.width",
        "must be an even number",
    ),
    (
        "create_avatar_video",
        {"video_inputs": [with_scene(character={"type": "avatar", "avatar_id": "a", "offset": {"x": 7}})]},
        "video_inputs[0].character.offset.x",
        "must be at most 1",
    ),
    (
        "create_avatar_video",
        {"video_inputs": [with_scene(character={"type": "avatar", "avatar_id": ".."})]},
        "video_inputs[0].character.avatar_id",
        "must be an id",
    ),
    (
        "create_avatar_video_batch",
        {"videos": [{"video_inputs": [with_scene(voice={"type": "text"})]}]},
        "videos[0].video_inputs[0].voice.voice_id",
        "is required",
    ),
    (
        "create_avatar_video_batch",
        {"videos": [{"video_inputs": [SCENE], "dimension": {"width": 1281, "height": 720}}]},
        "videos[0].dimension.width",
        "must be an even number",
    ),
    (
        "estimate_video",
        {"video_inputs": [with_scene(background={"type": "color"})]},
        "video_inputs[0].background.value",
        "is required",
    ),
    ("estimate_video", {}, "(inputs)", "needs one of video_inputs or script"),
    ("estimate_video", {"video_inputs": [SCENE], "speed": 1.2}, "script", "is required when speed is given"),
    ("generate_template_video", {"template_id": "t1", "variables": {}}, "variables", "must have at least 1 field"),
    (
        "generate_template_video",
        {"template_id": "t1", "variables": {"logo": {"type": "image", "properties": {}}}},
        "variables.logo.properties",
        "needs one of url or asset_id",
    ),
    (
        "generate_template_video",
        {
            "template_id": "t1",
            "variables": {"h": {"type": "text", "properties": {}}},
            "dimension": {"width": 1281, "height": 720},
        },
        "dimension.width",
        "must be an even number",
    ),
    ("create_webm_video", {"avatar_pose_id": "p1"}, "(inputs)", "needs one of input_text or input_audio"),
    ("create_webm_video", {"avatar_pose_id": "p1", "input_text": "Hi"}, "voice_id", "is required when input_text"),
    (
        "create_webm_video",
        {"avatar_pose_id": "p1", "input_audio": "https://x.io/a.mp3", "dimension": {"width": 1281, "height": 720}},
        "dimension.width",
        "must be an even number",
    ),
    (
        "create_photo_avatar_video",
        {"image_key": "k", "video_title": "T"},
        "(inputs)",
        "needs one of script or audio_url or audio_asset_id",
    ),
    (
        "create_photo_avatar_video",
        {"image_key": "k", "video_title": "T", "script": "Hi"},
        "voice_id",
        "is required when script is given",
    ),
    ("get_avatar_details", {}, "(inputs)", "needs one of avatar_id or id"),
    ("upload_asset", {}, "(inputs)", "needs one of file or url"),
    (
        "upload_asset",
        {"url": "https://x.io/a.png", "file": {"name": "a.png", "content": "AA=="}},
        "(inputs)",
        "give only one of file or url",
    ),
    (
        "translate_video",
        {"video_url": "https://x.io/v.mp4"},
        "(inputs)",
        "needs one of output_language or output_languages",
    ),
]


def case_id(case) -> str:
    return f"{case[0]}:{case[2]}"


@pytest.mark.parametrize("action,inputs,field,words", CASES, ids=[case_id(c) for c in CASES])
async def test_rule_is_refused_naming_the_field_and_nothing_is_sent(wire, action, inputs, field, words):
    result = await run_action(action, inputs)

    assert result.type == ResultType.VALIDATION_ERROR, result.result
    message = result.result["message"]
    assert f"{field}: " in message and words in message, message
    assert request_count(wire) == 0


def test_every_rule_place_has_a_case():
    places = {(action, ".".join(place)) for action, rules in ACTION_RULES.items() for place, _ in rules}
    covered = set()
    for action, _inputs, field, _words in CASES:
        plain = re.sub(r"\[\d+\]", ".[]", field).replace("(inputs)", "")
        for candidate_action, place in places:
            if candidate_action == action and plain.startswith(place.replace("{}", "")):
                covered.add((candidate_action, place))
    assert places - covered == set()


def described_pairs():
    """(action, field, other) for every input whose description says "Give this or <other>"."""
    pairs = []

    def walk(schema, action):
        for field, sub in (schema.get("properties") or {}).items():
            said = re.search(r"Give this or (\w+)", sub.get("description", ""))
            if said:
                pairs.append((action, field, said.group(1)))
            walk(sub, action)
        if isinstance(schema.get("items"), dict):
            walk(schema["items"], action)

    for action, entry in ACTIONS.items():
        walk(entry["input_schema"], action)
    return pairs


def test_every_give_this_or_rule_has_a_case():
    """Each "Give this or X" in a description is enforced: a case leaves both out and is refused."""
    refused_without = {(action, words) for action, _inputs, _field, words in CASES}
    missing = []
    for action, field, other in described_pairs():
        said = [w for a, w in refused_without if a == action and field in w and other in w]
        enforced_in_handler = (action, field) in HANDLER_ENFORCED
        if not said and not enforced_in_handler:
            missing.append((action, field, other))
    assert missing == []


# "Give this or X" rules a handler enforces, because the legacy and v3 routes need different fields; each
# is proven by the test named here.
HANDLER_ENFORCED = {
    ("create_webm_video", "avatar_id"): "test_webm_needs_an_avatar_on_either_route",
}


async def test_webm_needs_an_avatar_on_either_route(wire):
    result = await run_action("create_webm_video", {"input_text": "Hi", "voice_id": "v1"})

    assert result.type == ResultType.VALIDATION_ERROR, result.result
    assert "avatar_id: is required" in result.result["message"]
    assert request_count(wire) == 0


RANGE = re.compile(r"(-?\d+(?:\.\d+)?) (?:to|-) (-?\d+(?:\.\d+)?)(?! characters)")


def stated_ranges():
    """(action, field, low, high, schema) for each number input whose description states a range."""
    found = []

    def walk(schema, action, where):
        for field, sub in (schema.get("properties") or {}).items():
            if sub.get("type") in ("number", "integer"):
                for low, high in RANGE.findall(sub.get("description", "")):
                    found.append((action, f"{where}{field}", float(low), float(high), sub))
            walk(sub, action, f"{where}{field}.")
        if isinstance(schema.get("items"), dict):
            walk(schema["items"], action, f"{where}[].")

    for action in ACTIONS:
        walk(integration.strict_inputs(action), action, "")
    return found


def test_every_range_a_description_states_is_in_the_schema():
    wrong = [
        (action, field, low, high, sub.get("minimum"), sub.get("maximum"))
        for action, field, low, high, sub in stated_ranges()
        if sub.get("minimum") != low or sub.get("maximum") != high
    ]
    assert wrong == []


DIMENSIONED = ("create_avatar_video", "generate_template_video", "create_webm_video")


def test_no_description_promises_a_default_the_plugin_does_not_send():
    """dimension once said "default 1280x720" while nothing was sent; a stated default is the schema's."""
    said = [ACTIONS[a]["input_schema"]["properties"]["dimension"]["description"] for a in DIMENSIONED]
    assert not any(re.search(r"default \d", text) for text in said), said
    wrong = []
    for action, entry in ACTIONS.items():
        for field, sub in entry["input_schema"].get("properties", {}).items():
            said = re.search(r"\(default ([^)]+)\)", sub.get("description", ""))
            if said and sub.get("default") is not None and str(sub["default"]) not in said.group(1):
                wrong.append((action, field, said.group(0), sub.get("default")))
    assert wrong == []


# ---------------------------------------------------------------- size, portability, build


def test_every_input_schema_is_in_the_portable_subset():
    found = {
        name: [path for path, _keyword in BUILD.non_portable_keywords(entry["input_schema"])]
        for name, entry in ACTIONS.items()
    }
    assert {name: paths for name, paths in found.items() if paths} == {}


def test_no_definition_is_over_8000_characters_and_the_mean_is_within_budget():
    sizes = {name: BUILD.compact_size(entry) for name, entry in ACTIONS.items()}
    assert max(sizes.values()) <= BUILD.MAX_ACTION_CHARS == 8000, max(sizes, key=sizes.get)
    assert sum(sizes.values()) <= BUILD.MEAN_ACTION_CHARS * len(sizes)


def test_no_description_names_a_file():
    assert {
        name: list(BUILD.file_mentions(entry)) for name, entry in ACTIONS.items() if any(BUILD.file_mentions(entry))
    } == {}


def test_config_json_matches_its_sources():
    assert BUILD.main(["--check"]) == 0, "config.json differs from schema/: run `make config`"


def test_check_fails_when_config_json_drifts(tmp_path):
    drifted = tmp_path / "config.json"
    drifted.write_text((ROOT / "config.json").read_text(encoding="utf-8").replace("HeyGen", "HeyGem", 1))
    assert BUILD.main(["--check", "--config", str(drifted)]) == 2


def test_config_json_is_fully_expanded():
    text = (ROOT / "config.json").read_text(encoding="utf-8")
    assert "$shared" not in text
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


@pytest.fixture
def sources(tmp_path):
    copy = tmp_path / "schema"
    shutil.copytree(ROOT / "schema", copy)
    return copy


def write(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def probe(sources: Path, input_schema: dict, description: str = "Probe.") -> None:
    entry = {"display_name": "Probe", "description": description, "input_schema": input_schema, "output_schema": {}}
    write(sources / "actions" / "zz_probe.json", {"probe_action": entry})


def test_a_shared_part_is_written_once_and_keys_beside_it_override(sources):
    shared = json.loads((sources / "shared.json").read_text(encoding="utf-8"))
    shared["probe_text"] = {"type": "string", "description": "general", "minLength": 1}
    write(sources / "shared.json", shared)
    probe(sources, {"properties": {"a": {"$shared": "probe_text"}, "b": {"$shared": "probe_text", "description": "x"}}})

    props = BUILD.build(sources)["actions"]["probe_action"]["input_schema"]["properties"]

    assert props["a"] == {"type": "string", "description": "general", "minLength": 1}
    assert props["b"] == {"type": "string", "description": "x", "minLength": 1}


def test_an_unknown_shared_part_is_named_with_its_place(sources):
    probe(sources, {"properties": {"a": {"$shared": "no_such_part"}}})
    with pytest.raises(BUILD.BuildError, match=r"zz_probe.json#/probe_action/input_schema/properties/a.*no_such_part"):
        BUILD.build(sources)


@pytest.mark.parametrize("keyword", ["allOf", "oneOf", "if", "not", "dependencies", "multipleOf", "exclusiveMinimum"])
def test_the_build_refuses_a_keyword_outside_the_portable_subset(sources, keyword):
    probe(sources, {"type": "object", "properties": {"x": {"type": "string", keyword: {}}}})
    with pytest.raises(BUILD.BuildError, match=rf"probe_action: input_schema/properties/x/{keyword}: keyword"):
        BUILD.build(sources)


def test_the_build_refuses_an_action_over_the_size_limit(sources):
    probe(sources, {"type": "object", "description": "x" * BUILD.MAX_ACTION_CHARS})
    with pytest.raises(BUILD.BuildError, match=r"probe_action: compact JSON is [\d,]+ characters, over 8,000"):
        BUILD.build(sources)


def test_the_build_refuses_a_description_naming_a_file(sources):
    probe(sources, {"type": "object"}, description="See USAGE_EXAMPLE.md for more.")
    with pytest.raises(BUILD.BuildError, match=r"probe_action: /description: names a file \(USAGE_EXAMPLE.md\)"):
        BUILD.build(sources)
