"""What config.json says about the actions, as text a developer reads in a terminal."""

import json
from pathlib import Path

CONFIG_PATH = Path(__file__).resolve().parent.parent / "config.json"


def load_actions(path: Path = CONFIG_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["actions"]


def load_triggers(path: Path = CONFIG_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8")).get("polling_triggers", {})


def input_names(action: dict) -> tuple[list[str], list[str]]:
    """(required, optional) top-level input names, in the schema's order."""
    schema = action.get("input_schema", {})
    required = schema.get("required", [])
    names = list(schema.get("properties", {}))
    return [n for n in names if n in required], [n for n in names if n not in required]


def actions_listing(actions: dict, triggers: dict | None = None) -> str:
    triggers = triggers or {}
    width = max(len(name) for name in [*actions, *triggers]) + 2
    lines = [entry_line(name, action, width) for name, action in actions.items()]
    if triggers:
        lines += ["", "Polling triggers (the platform runs them on a schedule; `describe NAME` shows one):"]
        lines += [entry_line(name, trigger, width) for name, trigger in triggers.items()]
    lines.append("")
    lines.append(f"{len(actions)} actions; * marks a required input. `describe NAME` shows one in full.")
    return "\n".join(lines)


def entry_line(name: str, entry: dict, width: int) -> str:
    required, optional = input_names(entry)
    inputs = ", ".join([f"{n}*" for n in required] + optional) or "(no inputs)"
    return f"{name.ljust(width)}{inputs}"


def describe(name: str, action: dict) -> str:
    lines = [f"{name} — {action.get('display_name', name)}", "", action.get("description", ""), ""]
    lines.append("Inputs (* required):")
    lines += property_lines(action.get("input_schema", {}), 1) or ["  (none)"]
    lines.append("")
    lines.append("Output:")
    lines += property_lines(action.get("output_schema", {}), 1, mark_required=False) or ["  (nothing)"]
    return "\n".join(lines)


def property_lines(schema: dict, depth: int, *, mark_required: bool = True) -> list[str]:
    """One line per property ('name*  type, rules — description'), nested objects and list items indented.

    Outputs list every field as required (so the SDK catches drift), so there the mark would say nothing.
    """
    lines = []
    required = schema.get("required", []) if mark_required else []
    properties = schema.get("properties", {})
    width = max((len(name) + 1 for name in properties), default=0)
    for name, prop in properties.items():
        label = name + ("*" if name in required else "")
        lines.append("  " * depth + label.ljust(width) + "  " + summary(prop))
        lines += nested_lines(prop, depth + 1, mark_required)
    for form, variant in enumerate(schema.get("oneOf", []) + schema.get("anyOf", []), start=1):
        needed = variant.get("required") if isinstance(variant, dict) else None
        if needed:
            lines.append("  " * depth + f"(form {form} needs: {', '.join(needed)})")
    return lines


def nested_lines(prop: dict, depth: int, mark_required: bool) -> list[str]:
    if prop.get("properties"):
        return property_lines(prop, depth, mark_required=mark_required)
    items = prop.get("items")
    if isinstance(items, dict) and items.get("properties"):
        return property_lines(items, depth, mark_required=mark_required)
    return []


def summary(prop: dict) -> str:
    rules = [type_words(prop)]
    if "enum" in prop:
        rules.append("one of: " + ", ".join(json.dumps(v) if not isinstance(v, str) else v for v in prop["enum"]))
    rules += bounds(prop)
    if "pattern" in prop:
        rules.append(f"pattern {prop['pattern']}")
    if "default" in prop:
        rules.append(f"default {json.dumps(prop['default'])}")
    text = ", ".join(rule for rule in rules if rule)
    description = " ".join(str(prop.get("description", "")).split())
    return f"{text} — {description}" if description else text


def type_words(prop: dict) -> str:
    kind = prop.get("type")
    if isinstance(kind, list):
        kind = " or ".join(kind)
    if kind == "array" and isinstance(prop.get("items"), dict):
        inner = type_words(prop["items"])
        return f"list of {inner}" if inner else "list"
    if kind is None and "oneOf" in prop:
        return "one of several forms"
    return kind or ""


def bounds(prop: dict) -> list[str]:
    words = []
    for low, high, unit in (
        ("minimum", "maximum", ""),
        ("minLength", "maxLength", " characters"),
        ("minItems", "maxItems", " items"),
    ):
        if low == "minLength" and prop.get(low) == 1 and high not in prop:
            words.append("not empty")
        elif low in prop and high in prop:
            words.append(f"{prop[low]}-{prop[high]}{unit}")
        elif low in prop:
            words.append(f"at least {prop[low]}{unit}")
        elif high in prop:
            words.append(f"at most {prop[high]}{unit}")
    if "exclusiveMinimum" in prop:
        words.append(f"more than {prop['exclusiveMinimum']}")
    return words
