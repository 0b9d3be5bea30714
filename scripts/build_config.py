"""Builds config.json from the de-duplicated sources in schema/, so shared parts are written once.

What the build refuses: an input-schema keyword outside the portable subset function-calling APIs accept
(what that subset cannot say lives in heygen_core/schema_rules.py), an action over MAX_ACTION_CHARS of compact
JSON, all actions together over MEAN_ACTION_CHARS each on average, and a description that names a file.

Layout:
- schema/base.json: every top-level key of config.json except "actions".
- schema/shared.json: {"<part name>": <JSON schema fragment>, ...}, the parts many actions share.
- schema/actions/<area>.json: {"<action name>": {"display_name", "description", "input_schema", "output_schema"}}.
  Anywhere inside, {"$shared": "<part name>"} is replaced by that part; other keys beside "$shared" are merged
  over it (so a description can be specialised). Fully expanded files (no "$shared") work as they are.

config.json is written fully expanded (the platform reads it as it is): actions ordered by file name, then as
written.

Usage: python scripts/build_config.py --write | --check
"""

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "schema"
CONFIG_PATH = ROOT / "config.json"
MAX_ACTION_CHARS = 8000
# On average an action's definition stays within this; 47 actions then total under 80,000 characters.
MEAN_ACTION_CHARS = 1700
# A description may not send an agent to a file: it cannot open one.
FILE_MENTION = re.compile(r"\b[\w./-]+\.(?:md|json|py|txt|ya?ml)\b")
PORTABLE_KEYWORDS = frozenset(
    "type properties required additionalProperties items enum const default description title examples format "
    "minimum maximum minLength maxLength pattern minItems maxItems uniqueItems anyOf".split()
)


class BuildError(Exception):
    """The sources cannot be built into a valid config.json; the message names the action and JSON path."""


def load_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BuildError(f"{path.relative_to(ROOT)}: not valid JSON ({exc})") from exc


def expand(node, shared: dict, where: str, seen: tuple = ()):
    """Replaces every {"$shared": name, ...} inside node by the shared part, other keys merged over it."""
    if isinstance(node, list):
        return [expand(item, shared, f"{where}/{i}", seen) for i, item in enumerate(node)]
    if not isinstance(node, dict):
        return node
    if "$shared" in node:
        name = node["$shared"]
        if name not in shared:
            raise BuildError(f"{where}: unknown shared part {name!r} (known: {', '.join(sorted(shared))})")
        if name in seen:
            raise BuildError(f"{where}: shared part {name!r} includes itself")
        base = expand(shared[name], shared, where, seen + (name,))
        overrides = {k: expand(v, shared, f"{where}/{k}", seen) for k, v in node.items() if k != "$shared"}
        if not isinstance(base, dict):
            if overrides:
                raise BuildError(f"{where}: shared part {name!r} is not an object, so keys cannot be merged over it")
            return base
        return {**base, **overrides}
    return {k: expand(v, shared, f"{where}/{k}", seen) for k, v in node.items()}


def non_portable_keywords(schema, path: str = ""):
    """Yields (JSON path, keyword) for every keyword of schema outside PORTABLE_KEYWORDS."""
    if isinstance(schema, list):
        for i, item in enumerate(schema):
            yield from non_portable_keywords(item, f"{path}/{i}")
        return
    if not isinstance(schema, dict):
        return
    for key, value in schema.items():
        if key not in PORTABLE_KEYWORDS:
            yield f"{path}/{key}", key
        if key == "properties" and isinstance(value, dict):
            for prop, sub in value.items():
                yield from non_portable_keywords(sub, f"{path}/properties/{prop}")
        elif key in ("items", "anyOf", "additionalProperties"):
            yield from non_portable_keywords(value, f"{path}/{key}")


def compact_size(entry: dict) -> int:
    return len(json.dumps(entry, separators=(",", ":"), ensure_ascii=False))


def limit_problems(actions: dict) -> dict:
    """{action: [problem, ...]} for every action outside the portable subset or over MAX_ACTION_CHARS."""
    problems = {}
    for name, entry in actions.items():
        found = [
            f"input_schema{path}: keyword {keyword!r} is outside the portable subset"
            for path, keyword in non_portable_keywords(entry.get("input_schema", {}))
        ]
        size = compact_size(entry)
        if size > MAX_ACTION_CHARS:
            found.append(f"compact JSON is {size:,} characters, over {MAX_ACTION_CHARS:,}")
        found += [
            f"{where}: names a file ({named}), which an agent cannot open" for where, named in file_mentions(entry)
        ]
        if found:
            problems[name] = found
    return problems


def file_mentions(node, where: str = ""):
    """(JSON path, file name) for every description that names a file."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                yield from ((f"{where}/{key}", match.group(0)) for match in FILE_MENTION.finditer(value))
            else:
                yield from file_mentions(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from file_mentions(item, f"{where}/{i}")


def check_limits(actions: dict) -> None:
    """Raises, naming every action and problem, unless every action is within the limits."""
    errors = [f"{name}: {problem}" for name, found in limit_problems(actions).items() for problem in found]
    total = sum(compact_size(entry) for entry in actions.values())
    if total > MEAN_ACTION_CHARS * len(actions):
        errors.append(f"all {len(actions)} actions: {total:,} characters, over {MEAN_ACTION_CHARS:,} each on average")
    if errors:
        raise BuildError("tool definitions outside the limits:\n  " + "\n  ".join(errors))


def build(schema_dir: Path = SCHEMA_DIR) -> dict:
    """The fully expanded config.json, as a dict; raises BuildError naming the action and path on any problem."""
    config = load_json(schema_dir / "base.json")
    if "actions" in config:
        raise BuildError("schema/base.json: must not hold 'actions' (they live in schema/actions/*.json)")
    shared = load_json(schema_dir / "shared.json")
    actions = {}
    for path in sorted((schema_dir / "actions").glob("*.json")):
        for name, entry in load_json(path).items():
            if name in actions:
                raise BuildError(f"{path.name}: action {name!r} is also defined in another file")
            actions[name] = expand(entry, shared, f"{path.name}#/{name}")
    check_limits(actions)
    # The platform's key order: actions sit where they sat in config.json, before polling_triggers.
    ordered = {}
    for key, value in config.items():
        if key == "polling_triggers" and "actions" not in ordered:
            ordered["actions"] = actions
        ordered[key] = value
    ordered.setdefault("actions", actions)
    return ordered


def render(config: dict) -> str:
    return json.dumps(config, indent=2, ensure_ascii=False) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build config.json from schema/.")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="write config.json")
    mode.add_argument("--check", action="store_true", help="fail when config.json differs from the sources")
    parser.add_argument("--schema-dir", type=Path, default=SCHEMA_DIR)
    parser.add_argument("--config", type=Path, default=CONFIG_PATH)
    args = parser.parse_args(argv)
    try:
        text = render(build(args.schema_dir))
    except BuildError as exc:
        print(f"build_config: {exc}", file=sys.stderr)
        return 1
    if args.write:
        args.config.write_text(text, encoding="utf-8")
        print(f"wrote {args.config.name}")
        return 0
    if args.config.read_text(encoding="utf-8") != text:
        print(f"{args.config.name} differs from schema/: run `make config`", file=sys.stderr)
        return 2
    print(f"{args.config.name} matches schema/.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
