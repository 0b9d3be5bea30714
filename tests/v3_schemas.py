"""HeyGen's v3 request and response schemas (vendored: heygen_core/vendor) as JSON Schema the tests can check.

The file is OpenAPI 3.0: `nullable`, and `oneOf` + `discriminator` whose variants differ only by the value
of their `type` field (named in the field's description, "Must be 'studio' ..."). A literal oneOf would
reject correct bodies (an AssetRef `{"type": "url", "url": ...}` matches more than one variant), so each
variant is chosen by its discriminator value instead.
"""

import functools
import json
import re

from jsonschema import Draft7Validator

from heygen_core.paths import v3

_MUST_BE = re.compile(r"[Mm]ust be '([^']+)'")


def convert(schema):
    """One OpenAPI 3.0 schema as Draft 7 JSON Schema."""
    if isinstance(schema, list):
        return [convert(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "oneOf" in schema and isinstance(schema.get("discriminator"), dict):
        converted = by_discriminator(schema)
    else:
        converted = {}
        for key, value in schema.items():
            if key in ("nullable", "discriminator", "description", "examples", "example"):
                continue
            if key == "properties":
                converted[key] = {name: convert(sub) for name, sub in value.items()}
            elif key in ("items", "additionalProperties", "not"):
                converted[key] = convert(value)
            elif key in ("oneOf", "anyOf", "allOf"):
                converted[key] = convert(value)
            else:
                converted[key] = value
        if converted.get("required") == []:
            converted.pop("required")
    if schema.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def by_discriminator(schema: dict) -> dict:
    field = schema["discriminator"]["propertyName"]
    names = list((schema["discriminator"].get("mapping") or {}).keys())
    rules, values = [], []
    for variant in schema["oneOf"]:
        value = variant_value(variant, field, names)
        values.append(value)
        rules.append({"if": {"properties": {field: {"const": value}}, "required": [field]}, "then": convert(variant)})
    return {"type": "object", "required": [field], "properties": {field: {"enum": values}}, "allOf": rules}


def variant_value(variant: dict, field: str, names: list[str]) -> str:
    """The discriminator value a variant stands for: from its field's words, its enum, or the field it adds."""
    spec = (variant.get("properties") or {}).get(field) or {}
    for source in (spec.get("enum"), [spec.get("const")] if "const" in spec else None):
        if source:
            return source[0]
    found = _MUST_BE.search(spec.get("description") or "")
    if found:
        return found.group(1)
    own = set(variant.get("required") or []) | set(variant.get("properties") or {})
    for name in names:
        if name in own or (name == "base64" and "data" in own):
            return name
    raise ValueError(f"cannot tell which {field} a variant stands for: {json.dumps(variant)[:200]}")


@functools.cache
def request_validator(endpoint: str) -> Draft7Validator:
    return Draft7Validator(convert(v3(endpoint).request_schema))


@functools.cache
def response_validator(endpoint: str) -> Draft7Validator:
    return Draft7Validator(convert(v3(endpoint).response_schema))


def request_problems(endpoint: str, body) -> list[str]:
    """Every way `body` breaks HeyGen's request schema for that endpoint (empty when it is valid)."""
    return [f"{list(e.absolute_path)}: {e.message}" for e in request_validator(endpoint).iter_errors(body)]


def response_problems(endpoint: str, body) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in response_validator(endpoint).iter_errors(body)]
