"""Writes README.md's action reference from config.json, so the two cannot drift apart.

config.json is the single source of truth for action names, inputs and outputs. This script turns it
into Markdown and puts it between the two markers in README.md:

    <!-- action-reference:start -->
    ...generated...
    <!-- action-reference:end -->

Usage:
    python scripts/render_action_reference.py            # print the generated block
    python scripts/render_action_reference.py --write    # update README.md (what `make docs` runs)
    python scripts/render_action_reference.py --check    # exit 1 when README.md is out of date

Actions are grouped by area, in the fixed order of AREAS; an action whose name no area claims lands in
"Other", so a new action always shows up in the reference even before anyone files it under an area.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG_PATH = ROOT / "config.json"
README_PATH = ROOT / "README.md"
START_MARKER = "<!-- action-reference:start -->"
END_MARKER = "<!-- action-reference:end -->"
USAGE_LINK = "[USAGE_EXAMPLE.md](USAGE_EXAMPLE.md)"
OTHER = "Other"

# (area, one-line summary, action names it claims). The order here is the order in README.
AREAS = (
    (
        "Photo avatars",
        "AI-generated photos of a person, new looks, motion and sound for photo avatars.",
        (
            "generate_photo_avatar",
            "check_generation_status",
            "generate_avatar_look",
            "add_motion_to_avatar",
            "add_sound_effect_to_avatar",
            "get_photo_avatar_details",
        ),
    ),
    (
        "Avatar groups and training",
        "Group photos of one subject, add looks, train the group and follow the training.",
        (
            "create_avatar_group",
            "add_looks_to_group",
            "train_avatar_group",
            "check_training_status",
            "list_avatar_groups",
            "list_avatars_in_group",
        ),
    ),
    (
        "Discovery",
        "Find avatars, talking photos, voices and voice locales to put in a video.",
        ("list_avatars", "get_avatar_details", "list_voices", "list_voice_locales"),
    ),
    (
        "Videos",
        "Create videos and follow them until the MP4 is ready.",
        (
            "create_avatar_video",
            "create_photo_avatar_video",
            "create_avatar_video_batch",
            "get_video_status",
        ),
    ),
    (
        "Video library",
        "Videos already made (list, download, delete) and transparent-background WebM videos.",
        ("list_videos", "download_video", "delete_video", "create_webm_video"),
    ),
    (
        "Templates",
        "Videos from templates designed in HeyGen, with their variables filled in.",
        ("list_templates", "get_template", "generate_template_video"),
    ),
    (
        "Assets",
        "Upload images, videos and audio to HeyGen for use in videos and photo avatars.",
        ("upload_asset"),
    ),
    (
        "Webhooks",
        "Endpoints HeyGen notifies when jobs finish, and checking that a notification is genuine.",
        (
            "list_webhook_event_types",
            "add_webhook_endpoint",
            "list_webhook_endpoints",
            "update_webhook_endpoint",
            "delete_webhook_endpoint",
            "verify_webhook_signature",
        ),
    ),
    (
        "Account",
        "The connected HeyGen account: remaining credits and who is connected.",
        ("get_remaining_quota"),
    ),
    (
        "Translation",
        "Translate an existing video into other languages.",
        ("list_translation_languages", "translate_video", "get_translation_status"),
    ),
    (
        "Streaming",
        "Interactive (real-time) avatar sessions.",
        (
            "create_streaming_token",
            "create_streaming_session",
            "start_streaming_session",
            "send_streaming_task",
            "interrupt_streaming_task",
            "keep_streaming_session_alive",
            "stop_streaming_session",
            "list_streaming_sessions",
        ),
    ),
    (
        "Estimates",
        "How long a video will be and what it will cost, worked out from its inputs before anything is sent.",
        ("estimate_video"),
    ),
    (OTHER, "Actions not yet filed under an area.", ()),
)

# Names no area lists explicitly still land in an area when a word in the name says which one.
KEYWORDS = (
    ("webhook", "Webhooks"),
    ("webm", "Video library"),
    ("batch", "Videos"),
    ("template", "Templates"),
    ("translat", "Translation"),
    ("stream", "Streaming"),
    ("estimate", "Estimates"),
    ("asset", "Assets"),
    ("quota", "Account"),
    ("account", "Account"),
)


def load_config(path: Path = CONFIG_PATH) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def area_of(name: str) -> str:
    """The area an action belongs to: listed by name first, then by a word in its name, else Other."""
    for area, _summary, names in AREAS:
        if name in names:
            return area
    for word, area in KEYWORDS:
        if word in name:
            return area
    return OTHER


def group_actions(actions: dict) -> list[tuple[str, str, list[str]]]:
    """(area, summary, action names) for every area that has actions, in AREAS order.

    Within an area, listed names keep the order AREAS gives them; others follow in config.json order.
    """
    grouped = []
    for area, summary, names in AREAS:
        members = [name for name in actions if area_of(name) == area]
        members.sort(key=lambda n: (names.index(n) if n in names else len(names), list(actions).index(n)))
        if members:
            grouped.append((area, summary, members))
    return grouped


# ---------------------------------------------------------------- text helpers


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def code(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"`{text}`"


def number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"{value:.1f}"
    return str(value)


def type_text(schema: dict) -> str:
    """A schema's type in words: `string or null`, `array of string`, `object`."""
    kind = schema.get("type")
    if kind is None:
        if "enum" in schema:
            kinds = sorted({type(v).__name__ for v in schema["enum"]})
            kind = ["string"] if kinds == ["str"] else ["any"]
        elif "const" in schema:
            kind = ["string"] if isinstance(schema["const"], str) else ["any"]
        else:
            kind = ["any"]
    kinds = kind if isinstance(kind, list) else [kind]
    kinds = [k for k in kinds if k != "null"] + [k for k in kinds if k == "null"]
    words = []
    for k in kinds:
        if k == "array" and isinstance(schema.get("items"), dict):
            items = schema["items"]
            inner = "objects" if items.get("type") == "object" or "properties" in items else type_text(items)
            inner = f"({inner})" if " or " in inner else inner
            words.append(f"array of {inner}")
        else:
            words.append(k)
    return " or ".join(words)


def is_complex(schema: dict) -> bool:
    """An object with fields of its own, or a list of such objects."""
    if not isinstance(schema, dict):
        return False
    if schema.get("properties"):
        return True
    items = schema.get("items")
    return isinstance(items, dict) and bool(items.get("properties"))


def rules(schema: dict) -> list[str]:
    """The validation rules of one field, in words."""
    out = []
    if "enum" in schema:
        out.append("one of " + ", ".join(code(v) for v in schema["enum"]))
    if "const" in schema:
        out.append("always " + code(schema["const"]))
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        out.append(f"{number(low)} to {number(high)}")
    elif low is not None:
        out.append(f"at least {number(low)}")
    elif high is not None:
        out.append(f"at most {number(high)}")
    if "exclusiveMinimum" in schema:
        out.append(f"more than {number(schema['exclusiveMinimum'])}")
    if "exclusiveMaximum" in schema:
        out.append(f"less than {number(schema['exclusiveMaximum'])}")
    if "multipleOf" in schema:
        out.append("even" if schema["multipleOf"] == 2 else f"multiple of {number(schema['multipleOf'])}")
    min_length, max_length = schema.get("minLength"), schema.get("maxLength")
    if min_length == 1 and max_length is not None:
        out.append(f"1-{max_length} characters")
    elif min_length == 1:
        out.append("not empty")
    elif min_length is not None and max_length is not None:
        out.append(f"{min_length}-{max_length} characters")
    elif min_length is not None:
        out.append(f"at least {min_length} characters")
    elif max_length is not None:
        out.append(f"at most {max_length} characters")
    if "pattern" in schema:
        out.append("pattern " + code(schema["pattern"]))
    if "format" in schema:
        out.append("format " + schema["format"])
    min_items, max_items = schema.get("minItems"), schema.get("maxItems")
    if min_items is not None and max_items is not None:
        out.append(f"{min_items}-{max_items} items")
    elif min_items is not None:
        out.append(f"at least {min_items} item{'s' if min_items != 1 else ''}")
    elif max_items is not None:
        out.append(f"at most {max_items} items")
    if schema.get("uniqueItems"):
        out.append("no repeats")
    items = schema.get("items")
    if isinstance(items, dict) and not items.get("properties"):
        inner = rules(items)
        if inner:
            out.append("each: " + ", ".join(inner))
    if "default" in schema:
        out.append("default " + code(schema["default"]))
    return out


def field_list(schema: dict) -> str:
    """The fields of a nested object, one level deep: required ones marked, simple ones with their rules."""
    target = schema if schema.get("properties") else schema.get("items", {})
    required = set(target.get("required", []))
    parts = []
    for name, sub in target.get("properties", {}).items():
        detail = [] if is_complex(sub) else [type_text(sub), *rules(sub)]
        if name in required:
            detail.insert(0, "required")
        parts.append(code(name) + (f" ({', '.join(detail)})" if detail else ""))
    return "fields: " + "; ".join(parts)


def nested_rules(schema: dict) -> list[str]:
    """Rules cell of an object-valued input: its own rules, its fields, and where the full shape is shown."""
    out = rules({k: v for k, v in schema.items() if k != "items"})
    out.append(field_list(schema))
    target = schema if schema.get("properties") else schema.get("items", {})
    if any(is_complex(sub) for sub in target.get("properties", {}).values()):
        out.append(f"nested objects are shown by example in {USAGE_LINK}")
    return out


def cross_rules(schema: dict) -> list[str]:
    """Rules that span several top-level inputs (oneOf / anyOf / dependencies / if-then / not)."""
    out = []

    def single_required(options):
        names = [o.get("required", [None])[0] for o in options if isinstance(o, dict)]
        ok = all(isinstance(o, dict) and len(o.get("required", [])) == 1 and len(o) == 1 for o in options)
        return names if ok and names else None

    for keyword, words in (("oneOf", "Give exactly one of"), ("anyOf", "Give at least one of")):
        if keyword in schema:
            names = single_required(schema[keyword])
            if names:
                out.append(f"{words} " + ", ".join(code(n) for n in names) + ".")
            else:
                out.append(f"Further {keyword} rules apply: see `input_schema` in config.json.")
    for name, needs in (schema.get("dependencies") or {}).items():
        if isinstance(needs, list):
            out.append(f"{code(name)} needs " + " and ".join(code(n) for n in needs) + ".")
        else:
            out.append(f"{code(name)} brings further rules: see `input_schema` in config.json.")
    for part in schema.get("allOf", []):
        condition = part.get("if", {}).get("properties", {}) if isinstance(part, dict) else {}
        then = part.get("then", {}) if isinstance(part, dict) else {}
        consts = {k: v["const"] for k, v in condition.items() if isinstance(v, dict) and "const" in v}
        if consts and then.get("required"):
            when = " and ".join(f"{code(k)} is {code(v)}" for k, v in consts.items())
            out.append(f"When {when}: " + ", ".join(code(n) for n in then["required"]) + " required.")
        else:
            out.append("Further conditional rules apply: see `input_schema` in config.json.")
    negated = schema.get("not")
    if isinstance(negated, dict):
        if list(negated) == ["required"]:
            out.append("Do not give " + " and ".join(code(n) for n in negated["required"]) + " together.")
        else:
            out.append("Some combinations are not allowed: see `input_schema` in config.json.")
    return out


# ---------------------------------------------------------------- sections


def inputs_table(schema: dict) -> list[str]:
    properties = schema.get("properties") or {}
    if not properties:
        return ["**Inputs:** none."]
    required = set(schema.get("required", []))
    lines = [
        "**Inputs:**",
        "",
        "| Name | Type | Required | Rules | Description |",
        "|---|---|---|---|---|",
    ]
    for name, prop in properties.items():
        found = nested_rules(prop) if is_complex(prop) else rules(prop)
        lines.append(
            "| "
            + " | ".join(
                [
                    code(name),
                    cell(type_text(prop)),
                    "yes" if name in required else "no",
                    cell("; ".join(found)) if found else "",
                    cell(prop.get("description", "")),
                ]
            )
            + " |"
        )
    across = cross_rules(schema)
    if across:
        lines += ["", "**Rules across inputs:** " + " ".join(across)]
    return lines


def outputs_list(schema: dict) -> list[str]:
    properties = schema.get("properties") or {}
    if not properties:
        return ["**Outputs:** none."]
    lines = ["**Outputs** (every field is always present; a nullable one is `null` when HeyGen sent nothing):", ""]
    for name, prop in properties.items():
        kind = type_text(prop)
        target = prop if prop.get("properties") else (prop.get("items") or {})
        if isinstance(target, dict) and target.get("properties"):
            kind += " with " + ", ".join(code(f) for f in target["properties"])
        description = " ".join(prop.get("description", "").split())
        lines.append(f"- {code(name)} ({kind})" + (f": {description}" if description else ""))
    return lines


def action_section(name: str, action: dict) -> list[str]:
    lines = [f"### {code(name)}", ""]
    lines.append(f"**{action.get('display_name', name)}.** " + " ".join(action.get("description", "").split()))
    lines.append("")
    lines += inputs_table(action.get("input_schema") or {})
    lines.append("")
    lines += outputs_list(action.get("output_schema") or {})
    lines.append("")
    return lines


def trigger_section(name: str, trigger: dict) -> list[str]:
    lines = [f"### {code(name)} (polling trigger)", ""]
    title = trigger.get("display_name", name)
    interval = trigger.get("polling_interval")
    lines.append(
        f"**{title}.** "
        + " ".join(trigger.get("description", "").split())
        + (f" Checks every {interval}." if interval else "")
    )
    lines.append("")
    lines += inputs_table(trigger.get("input_schema") or {})
    lines.append("")
    lines += outputs_list(trigger.get("output_schema") or {})
    lines.append("")
    return lines


def render(config: dict) -> str:
    """The Markdown that goes between the markers (without the markers)."""
    actions = config.get("actions") or {}
    triggers = config.get("polling_triggers") or {}
    grouped = group_actions(actions)
    lines = [
        "<!-- Generated by scripts/render_action_reference.py from config.json: edit config.json, then run"
        " `make docs`. -->",
        "",
        f"{len(actions)} actions in {len(grouped)} areas"
        + (f", and {len(triggers)} polling trigger{'s' if len(triggers) != 1 else ''}" if triggers else "")
        + ". Types and rules are those of each action's `input_schema` and `output_schema` in config.json.",
        "",
        "| Area | Actions |",
        "|---|---|",
    ]
    for area, _summary, names in grouped:
        lines.append(f"| {area} | " + ", ".join(f"[`{n}`](#{n})" for n in names) + " |")
    if triggers:
        lines.append("| Polling triggers | " + ", ".join(f"`{n}`" for n in triggers) + " |")
    lines.append("")
    for area, summary, names in grouped:
        lines += [f"## Reference: {area}", "", summary, ""]
        for name in names:
            lines += action_section(name, actions[name])
    if triggers:
        lines += ["## Reference: Polling triggers", "", "Checked by the platform on a schedule.", ""]
        for name, trigger in triggers.items():
            lines += trigger_section(name, trigger)
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------- README plumbing


def replace_block(readme: str, block: str) -> str:
    """README text with everything between the markers replaced by block."""
    start, end = readme.find(START_MARKER), readme.find(END_MARKER)
    if start < 0 or end < 0 or end < start:
        raise ValueError(f"README.md needs the markers {START_MARKER} and {END_MARKER}, in that order")
    return readme[: start + len(START_MARKER)] + "\n" + block + readme[end:]


def is_current(readme_path: Path = README_PATH, config_path: Path = CONFIG_PATH) -> bool:
    readme = Path(readme_path).read_text(encoding="utf-8")
    return replace_block(readme, render(load_config(config_path))) == readme


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Render README.md's action reference from config.json.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="update README.md between the markers")
    mode.add_argument("--check", action="store_true", help="exit 1 when README.md is out of date")
    parser.add_argument("--config", type=Path, default=CONFIG_PATH)
    parser.add_argument("--readme", type=Path, default=README_PATH)
    args = parser.parse_args(argv)

    block = render(load_config(args.config))
    if not (args.write or args.check):
        sys.stdout.write(block)
        return 0
    readme = args.readme.read_text(encoding="utf-8")
    try:
        updated = replace_block(readme, block)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    if args.check:
        if updated != readme:
            print(
                f"{args.readme.name}'s action reference differs from config.json. Run `make docs` "
                "(or .venv/bin/python scripts/render_action_reference.py --write) and commit README.md.",
                file=sys.stderr,
            )
            return 1
        print(f"{args.readme.name}'s action reference matches config.json.")
        return 0
    if updated != readme:
        args.readme.write_text(updated, encoding="utf-8")
        print(f"updated the action reference in {args.readme}")
    else:
        print(f"{args.readme} already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
