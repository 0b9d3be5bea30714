"""HeyGen's OpenAPI 3.0 schemas (``heygen_core/vendor``) as JSON Schema Draft 7, for the simulator and the tests.

Two parts of the 3.0 dialect need translating:

- ``nullable: true`` becomes ``type: [<type>, "null"]`` (and ``null`` joins an ``enum``);
- a discriminated ``oneOf`` (``discriminator.propertyName``, variants that differ only by the value of that
  property) becomes an ``if``/``then`` chain on the discriminator's value. A literal ``oneOf`` would reject
  correct bodies, because the variants carry no ``const`` and so a body often matches several of them.

HeyGen's variants do not name their discriminator value in a machine-readable way, so the value of each
variant is found from, in order: a quoted ``'value'`` in the discriminator property's description ("Must be
'avatar' ..."), a property of the variant named like the value (AssetRef ``url`` / ``asset_id``), the value
appearing in the variant's description, and finally elimination. ``discriminated_variants`` exposes the
result so a test can prove every discriminator in the file resolves.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import jsonschema

from heygen_core.paths import v3

_QUOTED = re.compile(r"'([A-Za-z0-9_]+)'")


def _value_by_description(variant: dict, prop: str, values: list[str]) -> str | None:
    text = (variant.get("properties", {}).get(prop) or {}).get("description", "")
    found = [v for v in _QUOTED.findall(text) if v in values]
    return found[0] if len(found) == 1 else None


def _value_by_property(variant: dict, values: list[str]) -> str | None:
    found = [v for v in values if v in variant.get("properties", {})]
    return found[0] if len(found) == 1 else None


def _value_by_variant_text(variant: dict, values: list[str]) -> str | None:
    text = variant.get("description", "").lower()
    found = [v for v in values if re.search(rf"\b{re.escape(v.lower())}\b", text)]
    return found[0] if len(found) == 1 else None


def discriminated_variants(schema: dict) -> dict[str, dict]:
    """The discriminator value -> variant of a discriminated oneOf; raises ValueError when one cannot be told."""
    prop = schema["discriminator"]["propertyName"]
    values = list(schema["discriminator"].get("mapping") or {})
    variants = list(schema["oneOf"])
    chosen: dict[str, dict] = {}
    for finder in (
        lambda var, left: _value_by_description(var, prop, left),
        lambda var, left: _value_by_property(var, left),
        lambda var, left: _value_by_variant_text(var, left),
    ):
        for variant in [v for v in variants if all(v is not c for c in chosen.values())]:
            left = [v for v in values if v not in chosen]
            value = finder(variant, left)
            if value is not None:
                chosen[value] = variant
    unresolved = [v for v in variants if all(v is not c for c in chosen.values())]
    left = [v for v in values if v not in chosen]
    if len(unresolved) == 1 and len(left) == 1:
        chosen[left[0]] = unresolved[0]
    elif unresolved or left:
        raise ValueError(f"cannot tell the variants of the {prop!r} discriminator apart: {left}")
    return chosen


def _nullable(converted: dict) -> dict:
    kind = converted.get("type")
    if isinstance(kind, str):
        converted["type"] = [kind, "null"]
        if "enum" in converted:
            converted["enum"] = [*converted["enum"], None]
        return converted
    return {"anyOf": [{"type": "null"}, converted]}


def _discriminated(schema: dict) -> dict:
    prop = schema["discriminator"]["propertyName"]
    variants = discriminated_variants(schema)
    branches = []
    for value, variant in variants.items():
        then = to_json_schema(variant)
        then.setdefault("properties", {})[prop] = {"const": value}
        branches.append({"if": {"properties": {prop: {"const": value}}, "required": [prop]}, "then": then})
    out: dict[str, Any] = {
        "type": "object",
        "required": [prop],
        "properties": {prop: {"type": "string", "enum": list(variants)}},
        "allOf": branches,
    }
    if "description" in schema:
        out["description"] = schema["description"]
    return out


def to_json_schema(schema: Any) -> Any:
    """One OpenAPI 3.0 schema as Draft 7 JSON Schema (a new object; the input is not changed)."""
    if not isinstance(schema, dict):
        return schema
    if "discriminator" in schema and "oneOf" in schema:
        converted = _discriminated(schema)
    else:
        converted = {}
        for key, value in schema.items():
            if key in ("nullable", "discriminator"):
                continue
            if key == "properties":
                converted[key] = {name: to_json_schema(sub) for name, sub in value.items()}
            elif key in ("items", "additionalProperties", "not"):
                converted[key] = to_json_schema(value)
            elif key in ("oneOf", "anyOf", "allOf"):
                converted[key] = [to_json_schema(sub) for sub in value]
            else:
                converted[key] = value
    return _nullable(converted) if schema.get("nullable") else converted


@functools.cache
def validator(endpoint_name: str, which: str) -> jsonschema.Draft7Validator | None:
    """The Draft 7 validator of an endpoint's ``request`` or ``response`` schema, built once per schema."""
    endpoint = v3(endpoint_name)
    schema = endpoint.request_schema if which == "request" else endpoint.response_schema
    if not schema:
        return None
    return jsonschema.Draft7Validator(to_json_schema(schema))


def field_path(parts) -> str:
    """``["scenes", 0, "input", "avatar_id"]`` -> ``scenes[0].input.avatar_id`` (HeyGen's ``param``)."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _deepest(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """The most specific cause: an if/then failure is reported by the branch, not by ``allOf``."""
    while error.context:
        error = max(error.context, key=lambda e: len(e.absolute_path))
    return error


def first_error(endpoint_name: str, which: str, instance: Any) -> tuple[str, str] | None:
    """(param, message) of the first schema violation, or None when ``instance`` is valid."""
    checker = validator(endpoint_name, which)
    if checker is None:
        return None
    errors = sorted(checker.iter_errors(instance), key=lambda e: (len(e.absolute_path), list(map(str, e.path))))
    if not errors:
        return None
    error = _deepest(errors[0])
    parts = list(error.absolute_path)
    if error.validator == "required":
        missing = _QUOTED.search(error.message)
        if missing:
            parts.append(missing.group(1))
    return field_path(parts), error.message


def _errors(endpoint_name: str, which: str, body: Any) -> list[str]:
    checker = validator(endpoint_name, which)
    if checker is None:
        return []
    return [f"{field_path(e.absolute_path) or '(body)'}: {e.message}" for e in checker.iter_errors(body)]


def response_errors(endpoint_name: str, body: Any) -> list[str]:
    """Every violation of the endpoint's response schema, as readable lines (for tests)."""
    return _errors(endpoint_name, "response", body)


def request_errors(endpoint_name: str, body: Any) -> list[str]:
    """Every violation of the endpoint's request schema (for tests of what a client sends)."""
    return _errors(endpoint_name, "request", body)
