"""The docs must not drift from config.json.

config.json is the single source of truth. These tests fail when docs/actions.md, the generated action reference,
is stale, when an action has no section there (or a section outlives its action), when an example in
README.md, USAGE_EXAMPLE.md or any docs/*.md no longer passes its action's input_schema, when icon.png is not a
512x512 PNG, and when config.json itself loses what the platform and the SDK rely on.
"""

import importlib.util
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from PIL import Image

from heygen_core.app import integration
from heygen_core.inputs import input_problems
from heygen_core.schema_rules import strict_output_schema

ROOT = Path(__file__).resolve().parent.parent
CONFIG = json.loads((ROOT / "config.json").read_text(encoding="utf-8"))
ACTIONS = CONFIG["actions"]
README = (ROOT / "README.md").read_text(encoding="utf-8")
USAGE = (ROOT / "USAGE_EXAMPLE.md").read_text(encoding="utf-8")
ACTIONS_PATH = ROOT / "docs" / "actions.md"
REFERENCE = ACTIONS_PATH.read_text(encoding="utf-8")
DOCS = {"README.md": README, "USAGE_EXAMPLE.md": USAGE} | {
    f"docs/{path.name}": path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md"))
}

SECTION = re.compile(r"^### `([^`]+)`$", re.MULTILINE)
FENCE = r"\s*\n[ \t]*```json[ \t]*\n(?P<body>.*?)\n[ \t]*```"
EXAMPLE = re.compile(r"<!-- example: (?P<action>\S+) -->" + FENCE, re.DOTALL)
OUTPUT = re.compile(r"<!-- output: (?P<action>\S+) -->" + FENCE, re.DOTALL)
INVALID = re.compile(r"<!-- invalid-example: (?P<action>\S+) (?P<path>\S+) -->" + FENCE, re.DOTALL)


def load_renderer():
    spec = importlib.util.spec_from_file_location(
        "render_action_reference", ROOT / "scripts/render_action_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RENDERER = load_renderer()


def blocks(pattern: re.Pattern, marker: str) -> list:
    """(file:line label, match) for every marked block in README.md, USAGE_EXAMPLE.md and docs/*.md."""
    found = []
    for name, text in DOCS.items():
        for match in pattern.finditer(text):
            found.append((f"{name}:{text.count(chr(10), 0, match.start()) + 1}", match))
    return found


EXAMPLES = blocks(EXAMPLE, "<!-- example:")
OUTPUTS = blocks(OUTPUT, "<!-- output:")
INVALIDS = blocks(INVALID, "<!-- invalid-example:")


def parse(label: str, match: re.Match):
    try:
        return json.loads(match.group("body"))
    except ValueError as error:
        pytest.fail(f"{label}: the ```json block does not parse: {error}")


# ------------------------------------------------------------------ (a) the generated reference


def test_action_reference_matches_config():
    rendered = RENDERER.replace_block(REFERENCE, RENDERER.render(CONFIG))
    assert rendered == REFERENCE, (
        "docs/actions.md is out of date with config.json: run `make docs` "
        "(.venv/bin/python scripts/render_action_reference.py --write)"
    )


def test_readme_no_longer_holds_the_generated_reference():
    assert RENDERER.START_MARKER not in README and RENDERER.END_MARKER not in README
    assert "docs/actions.md" in README


def test_check_mode_fails_on_a_stale_file_and_write_fixes_it(tmp_path, capsys):
    page = tmp_path / "actions.md"
    page.write_text(f"# x\n\n{RENDERER.START_MARKER}\nstale\n{RENDERER.END_MARKER}\n\nafter\n", encoding="utf-8")
    args = ["--output", str(page), "--config", str(ROOT / "config.json")]
    assert RENDERER.main(["--check", *args]) == 1
    assert "make docs" in capsys.readouterr().err
    assert RENDERER.main(["--write", *args]) == 0
    assert RENDERER.main(["--check", *args]) == 0
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# x\n") and text.endswith("\n\nafter\n")


def test_write_creates_a_missing_file_and_check_reports_it(tmp_path):
    page = tmp_path / "docs" / "actions.md"
    args = ["--output", str(page), "--config", str(ROOT / "config.json")]
    assert RENDERER.main(["--check", *args]) == 1
    assert RENDERER.main(["--write", *args]) == 0
    assert RENDERER.main(["--check", *args]) == 0
    assert page.read_text(encoding="utf-8").startswith("# Action reference")


def test_check_mode_reports_missing_markers(tmp_path):
    page = tmp_path / "actions.md"
    page.write_text("# no markers\n", encoding="utf-8")
    assert RENDERER.main(["--check", "--output", str(page), "--config", str(ROOT / "config.json")]) == 2


def test_shared_fields_are_described_once_and_named_by_each_action():
    shared = RENDERER.shared_fields(CONFIG)
    wanted = {"wait_for_completion", "timeout_seconds", "callback_url", "idempotency_key"}
    assert wanted <= {name for side, name in shared if side == "input_schema"}
    outputs = {name for side, name in shared if side == "output_schema"}
    assert {"status", "raw_status", "timed_out", "error", "video_url"} <= outputs
    top, _, body = REFERENCE.partition("## Reference: ")
    assert "## Shared inputs and outputs" in top
    for (side, name), (schema, _heading, anchor) in shared.items():
        row = f"| `{name}` |" if side == "input_schema" else f"- `{name}` ("
        assert top.count(row) == 1, f"{name} is not described exactly once in the shared section"
        for action_name, action in ACTIONS.items():
            prop = (action[side].get("properties") or {}).get(name)
            section = body.split(f"### `{action_name}`\n", 1)[1].split("\n### ", 1)[0]
            if prop is None:
                continue
            if prop == schema:
                assert row not in section, f"{action_name} repeats the shared {name}"
                assert f"(#{anchor})" in section, f"{action_name} does not link the shared {name}"
            else:
                assert row in section, f"{action_name}'s own {name} (other rules) is missing from its section"


def test_a_field_differing_from_the_shared_one_keeps_its_row():
    common = {"type": "boolean", "default": False, "description": "Wait."}
    odd = {"type": "boolean", "default": True, "description": "Wait, differently."}

    def action(prop):
        schema = {"type": "object", "properties": {"wait_for_completion": prop}}
        return {"display_name": "A", "description": "d", "input_schema": schema, "output_schema": {}}

    config = {"actions": {"a1": action(common), "a2": action(common), "a3": action(odd)}}
    text = RENDERER.render(config)
    shared_part, _, sections = text.partition("## Reference: ")
    assert shared_part.count("| `wait_for_completion` |") == 1
    assert sections.count("| `wait_for_completion` |") == 1 and "Wait, differently." in sections
    assert sections.count("(#shared-inputs)") == 2


def test_unknown_actions_fall_into_other_and_known_ones_into_their_area():
    config = {
        "actions": {
            "zz_brand_new_action": {"display_name": "New", "description": "d", "input_schema": {}, "output_schema": {}},
            "get_video_status": ACTIONS.get("get_video_status", {"input_schema": {}, "output_schema": {}}),
        }
    }
    assert RENDERER.area_of("zz_brand_new_action") == "Other"
    assert RENDERER.area_of("create_avatar_video") == "Videos"
    assert RENDERER.area_of("generate_photo_avatar") == "Photo avatars"
    text = RENDERER.render(config)
    assert "## Reference: Other" in text and "### `zz_brand_new_action`" in text
    assert text.index("## Reference: Videos") < text.index("## Reference: Other")


def test_every_config_action_lands_in_exactly_one_area():
    grouped = RENDERER.group_actions(ACTIONS)
    listed = [name for _area, _summary, names in grouped for name in names]
    assert sorted(listed) == sorted(ACTIONS)


def test_polling_triggers_are_rendered_when_present():
    trigger = {
        "description": "New videos.",
        "polling_interval": "5m",
        "input_schema": {"type": "object", "properties": {"x": {"type": "string", "description": "x"}}},
        "output_schema": {"type": "object", "properties": {"video_id": {"type": "string"}}},
    }
    text = RENDERER.render({"actions": {}, "polling_triggers": {"video_completed": trigger}})
    assert "### `video_completed` (polling trigger)" in text and "every 5m" in text


# ------------------------------------------------------------------ (b) one docs/actions.md section per action


def test_every_action_has_a_reference_section():
    sections = SECTION.findall(REFERENCE)
    missing = sorted(set(ACTIONS) - set(sections))
    assert not missing, f"docs/actions.md has no ### `name` section for: {missing} (run `make docs`)"


def test_reference_has_no_section_for_an_action_that_does_not_exist():
    sections = SECTION.findall(REFERENCE)
    extra = sorted(set(sections) - set(ACTIONS))
    assert not extra, f"docs/actions.md documents actions that config.json does not have: {extra}"
    duplicated = sorted({name for name in sections if sections.count(name) > 1})
    assert not duplicated, f"docs/actions.md documents these actions twice: {duplicated}"


def test_readme_starts_with_how_to_run_it():
    top = README.split("\n## ", 1)[0]
    assert "make demo" in top and "make test" in top


# ------------------------------------------------------------------ (c) examples pass the schemas


@pytest.mark.parametrize(
    "pattern,marker",
    [(EXAMPLE, "<!-- example:"), (OUTPUT, "<!-- output:"), (INVALID, "<!-- invalid-example:")],
    ids=["example", "output", "invalid-example"],
)
def test_every_marker_is_followed_by_its_json_block(pattern, marker):
    for name, text in DOCS.items():
        found = len(list(pattern.finditer(text)))
        assert found == text.count(marker), f"{name}: a '{marker}' marker is not followed by a ```json block"


def test_docs_have_examples():
    assert any(label.startswith("USAGE_EXAMPLE.md") for label, _ in EXAMPLES)
    assert any(label.startswith("docs/workflows.md") for label, _ in EXAMPLES)


@pytest.mark.parametrize("label,match", EXAMPLES, ids=[f"{lbl}:{m.group('action')}" for lbl, m in EXAMPLES])
def test_example_passes_its_action_input_schema(label, match):
    action = match.group("action")
    assert action in ACTIONS, f"{label}: example for '{action}', which is not an action in config.json"
    inputs = parse(label, match)
    schema = ACTIONS[action]["input_schema"]
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft7Validator(schema).iter_errors(inputs)]
    assert not errors, f"{label}: {action} example fails input_schema: {errors}"
    refused = input_problems(integration.strict_inputs(action), inputs)
    assert refused == [], f"{label}: {action} example is refused by the integration"


@pytest.mark.parametrize("label,match", OUTPUTS, ids=[f"{lbl}:{m.group('action')}" for lbl, m in OUTPUTS])
def test_output_example_passes_its_action_output_schema(label, match):
    action = match.group("action")
    assert action in ACTIONS, f"{label}: output example for '{action}', which is not an action in config.json"
    errors = [e.message for e in Draft7Validator(ACTIONS[action]["output_schema"]).iter_errors(parse(label, match))]
    assert not errors, f"{label}: {action} output example fails output_schema: {errors}"


@pytest.mark.parametrize("label,match", INVALIDS, ids=[f"{lbl}:{m.group('path')}" for lbl, m in INVALIDS])
def test_documented_mistake_is_refused_on_the_named_field(label, match):
    action, path = match.group("action"), match.group("path")
    assert action in ACTIONS, f"{label}: example for '{action}', which is not an action in config.json"
    problems = input_problems(integration.strict_inputs(action), parse(label, match))
    assert problems, f"{label}: this documented mistake is accepted by {action}'s input_schema"
    assert path in [p for p, _words, _value in problems], f"{label}: expected a problem at {path}, got {problems}"


def test_usage_examples_cover_every_kind_of_scene_part():
    scenes = [
        scene
        for label, match in EXAMPLES
        if match.group("action") == "create_avatar_video" and label.startswith("USAGE_EXAMPLE.md")
        for scene in parse(label, match)["video_inputs"]
    ]
    seen = set()
    for scene in scenes:
        seen.add(("character", scene["character"]["type"]))
        voice = scene["voice"]
        seen.add(("voice", voice["type"], *sorted(k for k in ("audio_url", "audio_asset_id") if k in voice)))
        background = scene.get("background")
        if background:
            sources = sorted(k for k in ("url", "image_asset_id", "video_asset_id") if k in background)
            seen.add(("background", background["type"], *sources))
        if "text" in scene:
            seen.add(("text",))
    wanted = {
        ("character", "avatar"),
        ("character", "talking_photo"),
        ("voice", "text"),
        ("voice", "audio", "audio_url"),
        ("voice", "audio", "audio_asset_id"),
        ("voice", "silence"),
        ("background", "color"),
        ("background", "image", "url"),
        ("background", "image", "image_asset_id"),
        ("background", "video", "url"),
        ("background", "video", "video_asset_id"),
        ("text",),
    }
    assert not wanted - seen, f"USAGE_EXAMPLE.md lacks an example of: {sorted(wanted - seen)}"


# ------------------------------------------------------------------ (d) the icon


def test_icon_is_a_512_square_png():
    with Image.open(ROOT / "icon.png") as icon:
        assert icon.format == "PNG"
        assert icon.size == (512, 512)
        colours = icon.convert("RGBA").getcolors(maxcolors=1 << 20) or []
        assert len(colours) > 50, "icon.png looks like a placeholder (almost no colours): run scripts/make_icon.py"


# ------------------------------------------------------------------ (e) config.json basics


def test_config_identity_and_auth():
    assert CONFIG["name"] == "heygen"
    assert CONFIG["version"] == "4.0.0"
    assert CONFIG["entry_point"] == "heygen.py"
    assert (ROOT / CONFIG["entry_point"]).is_file()
    assert CONFIG.get("description")
    auth = CONFIG["auth"]
    assert auth["type"] == "platform"
    assert auth["provider"] == "HeyGen"
    assert auth["use_pkce"] is True
    assert auth["authorization_url"] == "https://app.heygen.com/oauth/authorize"
    assert auth["token_url"] == "https://api2.heygen.com/v1/oauth/token"
    assert auth["refresh_url"] == "https://api2.heygen.com/v1/oauth/refresh_token"


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_action_has_what_the_platform_needs(name):
    action = ACTIONS[name]
    for key in ("display_name", "description", "input_schema", "output_schema"):
        assert action.get(key), f"{name}: missing or empty {key}"
    Draft7Validator.check_schema(action["input_schema"])
    Draft7Validator.check_schema(action["output_schema"])


def not_required(schema: dict, path: str) -> list[str]:
    """Fields of an output object (at any depth) that its `required` list leaves out."""
    problems = []
    if not isinstance(schema, dict):
        return problems
    properties = schema.get("properties")
    if isinstance(properties, dict) and properties:
        missing = sorted(set(properties) - set(schema.get("required", [])))
        problems += [f"{path}.{field}" for field in missing]
        for field, sub in properties.items():
            problems += not_required(sub, f"{path}.{field}")
    if isinstance(schema.get("items"), dict):
        problems += not_required(schema["items"], f"{path}[]")
    return problems


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_every_output_field_is_required_by_the_check_results_pass(name):
    """config.json leaves `required` out of outputs (tool-definition size); the plugin's check puts it back."""
    schema = ACTIONS[name]["output_schema"]
    strict = strict_output_schema(schema)
    assert not not_required(strict, name)
    first = next(iter(schema["properties"]))
    assert any("required" in str(e.message) for e in Draft7Validator(strict).iter_errors({})), first


def undescribed(schema: dict, path: str) -> list[str]:
    """Input fields (at any depth) without a description, which agents and the action reference need."""
    problems = []
    if not isinstance(schema, dict):
        return problems
    for field, sub in (schema.get("properties") or {}).items():
        if not (isinstance(sub, dict) and sub.get("description")):
            problems.append(f"{path}.{field}")
        problems += undescribed(sub, f"{path}.{field}")
    if isinstance(schema.get("items"), dict):
        problems += undescribed(schema["items"], f"{path}[]")
    return problems


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_every_input_has_a_description(name):
    problems = undescribed(ACTIONS[name]["input_schema"], name)
    assert not problems, f"input fields without a description: {problems}"


@pytest.mark.parametrize("name", sorted(CONFIG.get("polling_triggers") or {}))
def test_polling_trigger_has_schemas(name):
    trigger = CONFIG["polling_triggers"][name]
    for key in ("description", "input_schema", "output_schema"):
        assert trigger.get(key), f"{name}: missing or empty {key}"
    assert not not_required(trigger["output_schema"], name)
