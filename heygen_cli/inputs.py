"""An action's inputs from the command line: inline JSON, @file.json, - for stdin, plus --set key=value."""

import json
import sys
from pathlib import Path
from typing import Any

from heygen_cli.errors import CliError


def read_inputs(source: str | None, settings: list[str] | None = None, stdin=None) -> dict:
    inputs = parse_object(*read_source(source, stdin))
    for setting in settings or []:
        apply_setting(inputs, setting)
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


def apply_setting(inputs: dict, setting: str) -> None:
    """`key=value`, where key may be dotted (`dimension.width=1280`) to reach into an object."""
    key, separator, text = setting.partition("=")
    if not separator or not key.strip():
        raise CliError(f"--set needs key=value, got {setting!r}")
    *parents, last = key.strip().split(".")
    target = inputs
    for part in parents:
        child = target.setdefault(part, {})
        if not isinstance(child, dict):
            raise CliError(f"--set {key}: {part} is already set to a non-object value")
        target = child
    target[last] = parse_value(text)
