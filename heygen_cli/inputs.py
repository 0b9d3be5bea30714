"""An action's inputs from the command line: inline JSON, @file.json, - for stdin, plus --set key=value and
--set-file NAME=PATH."""

import base64
import json
import mimetypes
import sys
from pathlib import Path
from typing import Any

from heygen_cli.errors import CliError


def read_inputs(
    source: str | None,
    settings: list[str] | None = None,
    stdin=None,
    schema: dict | None = None,
    files: list[str] | None = None,
) -> dict:
    """INPUT, then each --set (typed by the action's input `schema`), then each --set-file NAME=PATH."""
    inputs = parse_object(*read_source(source, stdin))
    for setting in settings or []:
        apply_setting(inputs, setting, schema)
    for setting in files or []:
        apply_setting(inputs, setting, schema, from_file=True)
    return inputs


def read_source(source: str | None, stdin=None) -> tuple[str, str]:
    """(text, where it came from) for the INPUT argument."""
    if source is None or source == "":
        return "{}", "INPUT"
    if source == "-":
        return (stdin or sys.stdin).read(), "stdin"
    if source.startswith("@"):
        path = Path(source[1:]).expanduser()
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except OSError as error:
            raise CliError(f"cannot read input file {path}: {error.strerror or error}") from None
    return source, "INPUT"


def parse_object(text: str, where: str) -> dict:
    try:
        value = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as error:
        raise CliError(
            f"{where} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}); "
            'give an object such as \'{"video_id": "abc"}\', @file.json or - for stdin'
        ) from None
    if not isinstance(value, dict):
        raise CliError(f"{where} must be a JSON object ({{...}}), not {type(value).__name__}")
    return value


def parse_value(text: str) -> Any:
    """JSON when it parses (true, 3, [..], {..}, "quoted"), else the text itself."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def schema_types(schema: dict | None) -> set[str]:
    """The JSON types a (sub)schema allows, from `type` and `anyOf`; empty when it does not say."""
    if not isinstance(schema, dict):
        return set()
    kind = schema.get("type")
    types = set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()
    for option in schema.get("anyOf") or []:
        types |= schema_types(option)
    return types


def child_schema(schema: dict | None, part: str) -> dict | None:
    """The subschema one step down: an object's property, or an array's items (`part` is then an index)."""
    if not isinstance(schema, dict):
        return None
    options = [schema, *[option for option in schema.get("anyOf") or [] if isinstance(option, dict)]]
    for option in options:
        if part in (option.get("properties") or {}):
            return option["properties"][part]
        if part.isdigit() and isinstance(option.get("items"), dict):
            return option["items"]
    return None


def typed_value(text: str, schema: dict | None, key: str) -> Any:
    """VALUE as the input's schema types it: a text input keeps the text (`title=2024` stays "2024"); a number,
    boolean, list or object input reads JSON; an input the schema does not describe reads JSON when it parses."""
    types = schema_types(schema)
    if not types:
        return parse_value(text)
    if "string" in types and not (text.strip() == "null" and "null" in types):
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        wanted = " or ".join(sorted(types - {"null"})) or "null"
        raise CliError(f"--set {key}: the input is {wanted}, and {text!r} is not valid JSON for it") from None


def is_file_schema(schema: dict | None) -> bool:
    properties = (schema or {}).get("properties") or {}
    return {"content", "name"} <= set(properties)


def file_value(path_text: str, schema: dict | None, key: str) -> Any:
    """--set-file: a file-object input gets {content (base64), name, contentType}; a text input the file's text."""
    path = Path(path_text).expanduser()
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CliError(f"--set-file {key}: cannot read {path}: {error.strerror or error}") from None
    if is_file_schema(schema):
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return {"content": base64.b64encode(data).decode("ascii"), "name": path.name, "contentType": content_type}
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise CliError(f"--set-file {key}: {path} is not UTF-8 text, and this input is not a file") from None


def apply_setting(inputs: dict, setting: str, schema: dict | None = None, *, from_file: bool = False) -> None:
    """`key=value`. A dotted key reaches into objects (`dimension.width=1280`) and, with a number, into lists
    (`video_inputs.0.background.value=#112233`); the value is typed by the action's input schema."""
    option = "--set-file" if from_file else "--set"
    key, separator, text = setting.partition("=")
    if not separator or not key.strip():
        raise CliError(f"{option} needs {'NAME=PATH' if from_file else 'key=value'}, got {setting!r}")
    *parents, last = key.strip().split(".")
    target: Any = inputs
    for depth, part in enumerate(parents):
        schema = child_schema(schema, part)
        following = (parents + [last])[depth + 1]
        target = step_into(target, part, following.isdigit(), f"{option} {key}")
    schema = child_schema(schema, last)
    value = file_value(text, schema, key) if from_file else typed_value(text, schema, key)
    place(target, last, value, f"{option} {key}")


def step_into(target: Any, part: str, wants_list: bool, where: str) -> Any:
    """The container at `part` of `target`, made (a list when the next part is an index) if it is not there."""
    fresh: Any = [] if wants_list else {}
    if isinstance(target, list):
        index = list_index(target, part, where)
        if index == len(target):
            target.append(fresh)
        child = target[index]
    else:
        child = target.setdefault(part, fresh)
    if not isinstance(child, (dict, list)):
        raise CliError(f"{where}: {part} is already set to a value that is not an object or a list")
    return child


def place(target: Any, part: str, value: Any, where: str) -> None:
    if isinstance(target, list):
        index = list_index(target, part, where)
        if index == len(target):
            target.append(value)
        else:
            target[index] = value
    else:
        target[part] = value


def list_index(target: list, part: str, where: str) -> int:
    if not part.isdigit():
        raise CliError(f"{where}: {part!r} is not a list index (0, 1, …)")
    index = int(part)
    if index > len(target):
        raise CliError(
            f"{where}: index {index} skips ahead: the list has {len(target)} item(s), so use 0-{len(target)}"
        )
    return index
