"""URL paths built from templates, one escaped segment per parameter, and HeyGen's v3 endpoints as data.

Every v3 method and path comes from HeyGen's own schema file (vendored under `vendor/`, see its NOTICE):
the plugin, the simulator and the tests all look endpoints up here by the file's names (`VideoGet`,
`AvatarLooksList`, ...), so no v3 path is written anywhere else.
"""

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

V3_SCHEMA_FILE = Path(__file__).with_name("vendor") / "heygen-v3-schemas.json"

# What an id placed in a URL path may be: not empty, not '.' or '..', not only spaces, no control
# characters and no lone surrogates. Config.json's id inputs carry the same pattern, so agents see it.
ID_PATTERN = r"^(?!\s*$)(?!\.\.?$)[^\x00-\x1f\x7f\ud800-\udfff]+$"
ID_RULE = "an id: not empty, not '.' or '..', not only spaces, without control characters"
_ID = re.compile(ID_PATTERN)
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class PathError(ValueError):
    """A value that cannot be one path segment; raised before anything is sent."""

    def __init__(self, name: str, value):
        super().__init__(f"{name}: must be {ID_RULE} (got {value!r})")
        self.name = name
        self.value = value


def is_valid_id(value) -> bool:
    return isinstance(value, str) and bool(_ID.match(value))


def segment(name: str, value) -> str:
    """`value` as exactly one percent-encoded path segment (slashes, dots, '?', '#' cannot change the path)."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not is_valid_id(text):
        raise PathError(name, value)
    return quote(text, safe="")


def fill(template: str, **params) -> str:
    """The template's `{name}` placeholders replaced by escaped segments; every placeholder must be given."""

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in params:
            raise KeyError(f"{template} needs {name}")
        return segment(name, params[name])

    return _PLACEHOLDER.sub(replace, template)


def placeholders(template: str) -> list[str]:
    return _PLACEHOLDER.findall(template)


@dataclass(frozen=True)
class V3Endpoint:
    name: str
    method: str
    path: str
    request_schema: dict | None
    response_schema: dict | None
    paginated: bool
    body_encoding: str

    def url_path(self, **params) -> str:
        return fill(self.path, **params)


@functools.cache
def v3_endpoints() -> dict[str, V3Endpoint]:
    """HeyGen's v3 endpoints by their schema-file name, read once per process."""
    entries = json.loads(V3_SCHEMA_FILE.read_text(encoding="utf-8"))
    return {
        entry["var"]: V3Endpoint(
            name=entry["var"],
            method=entry["method"],
            path=entry["path"],
            request_schema=entry.get("request_schema"),
            response_schema=entry.get("response_schema"),
            paginated=bool(entry.get("paginated")),
            body_encoding=entry.get("body_encoding") or "",
        )
        for entry in entries
    }


def v3(name: str) -> V3Endpoint:
    return v3_endpoints()[name]


# v3 endpoints HeyGen serves but its schema file does not list yet (method, path, and where this is known from):
# routes to them are second choices, tried only when the published route is gone.
UNPUBLISHED_V3 = {
    "ModelsAudioTtsCreate": ("POST", "/v3/models/audio/tts", "heygen-cli v0.12.0 gen/model.go (heygen-v3.md §8.1)"),
}


def unpublished_v3(name: str) -> V3Endpoint:
    method, path, _source = UNPUBLISHED_V3[name]
    return V3Endpoint(name, method, path, None, None, False, "json")
