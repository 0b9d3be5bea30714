"""Writes docs/actions.md, the action reference, from config.json, so the two cannot drift apart.

config.json is the single source of truth for action names, inputs and outputs. This script turns it
into Markdown and puts it between the two markers in docs/actions.md (a missing file is created):

    <!-- action-reference:start -->
    ...generated...
    <!-- action-reference:end -->

Usage:
    .venv/bin/python scripts/render_action_reference.py            # print the generated block
    .venv/bin/python scripts/render_action_reference.py --write    # update docs/actions.md (what `make docs` runs)
    .venv/bin/python scripts/render_action_reference.py --check    # exit 1 when docs/actions.md is out of date

Inputs and outputs that many actions share (SHARED: wait_for_completion, timeout_seconds, the job-status
fields, the video links, ...) are described once, in "Shared inputs and outputs" at the top. An action's field
counts as shared when its name is listed there and its schema is the one most actions give that name,
description included; a field with the same name but another schema keeps its own row.

Actions are grouped by area, in the fixed order of AREAS; an action whose name no area claims lands in
"Other", so a new action always shows up in the reference even before anyone files it under an area.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: the plugin's own rules are read, not copied
from heygen_core.paths import ID_RULE  # noqa: E402
from heygen_core.schema_rules import rule_words  # noqa: E402

CONFIG_PATH = ROOT / "config.json"
OUTPUT_PATH = ROOT / "docs" / "actions.md"
START_MARKER = "<!-- action-reference:start -->"
END_MARKER = "<!-- action-reference:end -->"
USAGE_LINK = "[USAGE_EXAMPLE.md](../USAGE_EXAMPLE.md)"
OTHER = "Other"
SHARED_HEADING = "Shared inputs and outputs"

# (side, heading, anchor, field names): fields described once, at the top, when at least SHARED_MIN_USES
# actions give them the same schema. The anchor is the one GitHub makes from the heading.
SHARED = (
    (
        "input_schema",
        "Shared inputs",
        "shared-inputs",
        ("wait_for_completion", "timeout_seconds", "callback_url", "idempotency_key"),
    ),
    (
        "output_schema",
        "Shared job-status outputs",
        "shared-job-status-outputs",
        ("status", "raw_status", "timed_out", "error"),
    ),
    (
        "output_schema",
        "Shared video outputs",
        "shared-video-outputs",
        (
            "video_url",
            "thumbnail_url",
            "gif_url",
            "caption_url",
            "video_url_caption",
            "subtitle_url",
            "captioned_video_url",
            "video_page_url",
            "duration",
            "completed_at",
            "callback_id",
            "output_language",
        ),
    ),
)
SHARED_MIN_USES = 2

# (area, one-line summary, action names it claims). The order here is the order in docs/actions.md.
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
    (
        "Video Agent, lipsync and background removal",
        "HeyGen's v3 video tools: a video from a prompt, new audio on a video, a video split into layers.",
        (
            "create_agent_video",
            "get_agent_session",
            "send_agent_message",
            "stop_agent_session",
            "list_agent_styles",
            "create_lipsync",
            "get_lipsync_status",
            "list_lipsyncs",
            "delete_lipsync",
            "remove_video_background",
            "get_background_removal",
        ),
    ),
    (
        "Speech and voices",
        "Speech from a script, and voices found by description or cloned from a recording (v3).",
        ("text_to_speech", "design_voice", "clone_voice", "get_voice", "delete_voice"),
    ),
    (
        "Digital twins and looks",
        "Avatars trained from footage of a real person, their consent, and your looks (v3).",
        ("create_digital_twin", "request_avatar_consent", "rename_avatar_look", "delete_avatar_look"),
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


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def shared_fields(config: dict) -> dict:
    """{(side, name): (schema, heading, anchor)} for each SHARED name whose most common schema is given by
    at least SHARED_MIN_USES actions and triggers; ties go to the schema config.json shows first."""
    entries = list((config.get("actions") or {}).values()) + list((config.get("polling_triggers") or {}).values())
    found = {}
    for side, heading, anchor, names in SHARED:
        for name in names:
            counts, first = {}, {}
            for entry in entries:
                schema = ((entry.get(side) or {}).get("properties") or {}).get(name)
                if isinstance(schema, dict):
                    key = canonical(schema)
                    counts[key] = counts.get(key, 0) + 1
                    first.setdefault(key, schema)
            if counts:
                best = max(counts, key=lambda k: (counts[k], -list(counts).index(k)))
                if counts[best] >= SHARED_MIN_USES:
                    found[(side, name)] = (first[best], heading, anchor)
    return found


def is_shared(shared: dict, side: str, name: str, schema) -> bool:
    entry = shared.get((side, name))
    return entry is not None and canonical(entry[0]) == canonical(schema)


def shared_note(shared: dict, side: str, names: list[str], words: str) -> list[str]:
    """One line naming the shared fields an action has, each linked to where it is described."""
    if not names:
        return []
    by_anchor = {}
    for name in names:
        _schema, heading, anchor = shared[(side, name)]
        by_anchor.setdefault((heading, anchor), []).append(name)
    parts = [
        ", ".join(code(n) for n in group) + f" ([{heading.lower()}](#{anchor}))"
        for (heading, anchor), group in by_anchor.items()
    ]
    return ["", f"{words} " + "; ".join(parts) + "."]


def input_row(name: str, prop: dict, required: set) -> str:
    found = nested_rules(prop) if is_complex(prop) else rules(prop)
    cells = [
        code(name),
        cell(type_text(prop)),
        "yes" if name in required else "no",
        cell("; ".join(found)) if found else "",
        cell(prop.get("description", "")),
    ]
    return "| " + " | ".join(cells) + " |"


def output_line(name: str, prop: dict) -> str:
    kind = type_text(prop)
    target = prop if prop.get("properties") else (prop.get("items") or {})
    if isinstance(target, dict) and target.get("properties"):
        kind += " with " + ", ".join(code(f) for f in target["properties"])
    description = " ".join(prop.get("description", "").split())
    return f"- {code(name)} ({kind})" + (f": {description}" if description else "")


def inputs_table(schema: dict, shared: dict | None = None) -> list[str]:
    shared = shared or {}
    properties = schema.get("properties") or {}
    if not properties:
        return ["**Inputs:** none."]
    required = set(schema.get("required", []))
    common = [n for n, p in properties.items() if is_shared(shared, "input_schema", n, p)]
    own = {n: p for n, p in properties.items() if n not in common}
    if own:
        lines = [
            "**Inputs:**",
            "",
            "| Name | Type | Required | Rules | Description |",
            "|---|---|---|---|---|",
        ]
        lines += [input_row(name, prop, required) for name, prop in own.items()]
        lines += shared_note(shared, "input_schema", common, "Also takes")
    else:
        lines = shared_note(shared, "input_schema", common, "**Inputs:**")[1:]
    across = cross_rules(schema)
    if across:
        lines += ["", "**Rules across inputs:** " + " ".join(across)]
    return lines


def outputs_list(schema: dict, shared: dict | None = None) -> list[str]:
    shared = shared or {}
    properties = schema.get("properties") or {}
    if not properties:
        return ["**Outputs:** none."]
    common = [n for n, p in properties.items() if is_shared(shared, "output_schema", n, p)]
    lines = ["**Outputs** (every field is always present; a nullable one is `null` when HeyGen sent nothing):", ""]
    lines += [output_line(name, prop) for name, prop in properties.items() if name not in common]
    note = shared_note(shared, "output_schema", common, "Also returns")
    return lines + (note[1:] if lines[-1] == "" else note)


def shared_section(shared: dict) -> list[str]:
    """The fields described once, with the actions that take them."""
    if not shared:
        return []
    lines = [
        f"## {SHARED_HEADING}",
        "",
        "Many actions take or return these fields with exactly the same schema. They are described here once; each"
        " action's section names the ones it has. A field with the same name but different rules is listed in its"
        " action's own table.",
        "",
        f"Every id input (`id`, a name ending in `_id`, the items of one ending in `_ids`; not `callback_id`) must"
        f" be {ID_RULE}. Every output field listed is always present, null when HeyGen did not say it. `status` is"
        " one vocabulary for every job: pending, processing, completed or failed; `raw_status` is HeyGen's own"
        " word; `timed_out` is true when a wait ended first (the job may still finish: ask again); `error` is"
        " set when the job failed. More in [outputs.md](outputs.md).",
        "",
    ]
    for side, heading, anchor, names in SHARED:
        present = [n for n in names if (side, n) in shared]
        if not present:
            continue
        lines += [f"### {heading}", ""]
        if side == "input_schema":
            lines += ["| Name | Type | Rules | Description |", "|---|---|---|---|"]
            for name in present:
                schema = shared[(side, name)][0]
                found = nested_rules(schema) if is_complex(schema) else rules(schema)
                lines.append(
                    f"| {code(name)} | {cell(type_text(schema))} | {cell('; '.join(found))} |"
                    f" {cell(schema.get('description', ''))} |"
                )
        else:
            lines += [output_line(name, shared[(side, name)][0]) for name in present]
        lines.append("")
    return lines


def action_section(name: str, action: dict, shared: dict | None = None) -> list[str]:
    lines = [f"### {code(name)}", ""]
    lines.append(f"**{action.get('display_name', name)}.** " + " ".join(action.get("description", "").split()))
    lines.append("")
    lines += inputs_table(action.get("input_schema") or {}, shared)
    lines.append("")
    checked = rule_words(name)
    if checked:
        lines += ["Also checked before anything is sent:", ""] + [f"- {rule}" for rule in checked] + [""]
    lines += outputs_list(action.get("output_schema") or {}, shared)
    lines.append("")
    return lines


def trigger_section(name: str, trigger: dict, shared: dict | None = None) -> list[str]:
    lines = [f"### {code(name)} (polling trigger)", ""]
    title = trigger.get("display_name", name)
    interval = trigger.get("polling_interval")
    lines.append(
        f"**{title}.** "
        + " ".join(trigger.get("description", "").split())
        + (f" Checks every {interval}." if interval else "")
    )
    lines.append("")
    lines += inputs_table(trigger.get("input_schema") or {}, shared)
    lines.append("")
    lines += outputs_list(trigger.get("output_schema") or {}, shared)
    lines.append("")
    return lines


def render(config: dict) -> str:
    """The Markdown that goes between the markers (without the markers)."""
    actions = config.get("actions") or {}
    triggers = config.get("polling_triggers") or {}
    grouped = group_actions(actions)
    shared = shared_fields(config)
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
    lines += shared_section(shared)
    for area, summary, names in grouped:
        lines += [f"## Reference: {area}", "", summary, ""]
        for name in names:
            lines += action_section(name, actions[name], shared)
    if triggers:
        lines += ["## Reference: Polling triggers", "", "Checked by the platform on a schedule.", ""]
        for name, trigger in triggers.items():
            lines += trigger_section(name, trigger, shared)
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------- docs/actions.md plumbing

PAGE_HEAD = """# Action reference

Every action and polling trigger of the integration, generated from [config.json](../config.json) by
`scripts/render_action_reference.py`; do not edit between the markers. After changing config.json, run
`make docs`: `tests/test_docs.py` fails while this file is out of date. Nested inputs such as `video_inputs`
are shown by example in [USAGE_EXAMPLE.md](../USAGE_EXAMPLE.md); the [README](../README.md) is the way in.

"""


def new_page() -> str:
    """The text of a docs/actions.md that does not exist yet: a heading and the two markers."""
    return f"{PAGE_HEAD}{START_MARKER}\n{END_MARKER}\n"


def replace_block(text: str, block: str) -> str:
    """The file's text with everything between the markers replaced by block."""
    start, end = text.find(START_MARKER), text.find(END_MARKER)
    if start < 0 or end < 0 or end < start:
        raise ValueError(f"the action reference needs the markers {START_MARKER} and {END_MARKER}, in that order")
    return text[: start + len(START_MARKER)] + "\n" + block + text[end:]


def is_current(output_path: Path = OUTPUT_PATH, config_path: Path = CONFIG_PATH) -> bool:
    text = Path(output_path).read_text(encoding="utf-8")
    return replace_block(text, render(load_config(config_path))) == text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Render docs/actions.md, the action reference, from config.json.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="update docs/actions.md between the markers")
    mode.add_argument("--check", action="store_true", help="exit 1 when docs/actions.md is out of date")
    parser.add_argument("--config", type=Path, default=CONFIG_PATH)
    parser.add_argument("--output", type=Path, default=OUTPUT_PATH, help="the file to write (docs/actions.md)")
    args = parser.parse_args(argv)

    block = render(load_config(args.config))
    if not (args.write or args.check):
        sys.stdout.write(block)
        return 0
    if args.output.exists():
        text = args.output.read_text(encoding="utf-8")
    elif args.check:
        print(f"{args.output} does not exist: run `make docs`.", file=sys.stderr)
        return 1
    else:
        text = new_page()
    try:
        updated = replace_block(text, block)
    except ValueError as error:
        print(f"{args.output}: {error}", file=sys.stderr)
        return 2
    if args.check:
        if updated != text or not args.output.exists():
            print(
                f"{args.output.name} differs from config.json. Run `make docs` "
                "(or .venv/bin/python scripts/render_action_reference.py --write) and commit it.",
                file=sys.stderr,
            )
            return 1
        print(f"{args.output.name} matches config.json.")
        return 0
    if updated != text or not args.output.exists():
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(updated, encoding="utf-8")
        print(f"updated the action reference in {args.output}")
    else:
        print(f"{args.output} already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
