"""What every input passes before schema validation: limits that make validation itself safe and quick.

jsonschema recurses into nested values (a list nested 500 deep inside a `uniqueItems` array raises
RecursionError), validates all of a 10,000-item array before noticing its 50-item limit, and accepts
NaN, Infinity and lone surrogates as numbers and text. This pass walks the inputs without recursion
first, then checks the schema's size limits shallowly, so a hostile input is refused in milliseconds with
a clear error and nothing escapes. JSON has one number type: a whole float where the schema says integer
(`20.0`) is used as the integer it is.
"""

import math
from typing import Any

MAX_DEPTH = 32
MAX_VALUES = 250_000


def structure_problems(inputs: Any) -> list[tuple[str, str, Any]]:
    """Depth, count, non-finite numbers and lone surrogates, found without recursion: (path, words, value)."""
    problems: list[tuple[str, str, Any]] = []
    stack: list[tuple[Any, tuple, int]] = [(inputs, (), 0)]
    seen = 0
    while stack:
        value, path, depth = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            return [("(inputs)", f"holds more than {MAX_VALUES:,} values", None)]
        if isinstance(value, dict):
            if depth >= MAX_DEPTH:
                return [(path_words(path), f"is nested deeper than {MAX_DEPTH} levels", None)]
            for key, item in value.items():
                if isinstance(key, str) and has_lone_surrogate(key):
                    problems.append(
                        (path_words(path), "has a field name that is not valid text (a lone surrogate)", None)
                    )
                stack.append((item, path + (key,), depth + 1))
        elif isinstance(value, (list, tuple)):
            if depth >= MAX_DEPTH:
                return [(path_words(path), f"is nested deeper than {MAX_DEPTH} levels", None)]
            stack.extend((item, path + (index,), depth + 1) for index, item in enumerate(value))
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append((path_words(path), f"must be a finite number (got {value})", None))
        elif isinstance(value, str) and has_lone_surrogate(value):
            problems.append((path_words(path), "must be valid text (it holds a lone surrogate)", None))
        if len(problems) >= 3:
            break
    return sorted(problems, key=lambda problem: problem[0])


def has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def size_problems(schema: dict, value: Any, path: tuple = ()) -> list[tuple[str, str, Any]]:
    """maxItems, maxLength and maxProperties along the schema's properties and items, before anything deeper.

    Only called on inputs that passed `structure_problems`, so the recursion is at most MAX_DEPTH deep.
    """
    if not isinstance(schema, dict):
        return []
    if isinstance(value, list):
        limit = schema.get("maxItems")
        if isinstance(limit, int) and len(value) > limit:
            return [(path_words(path), f"must have at most {limit} items (got {len(value)})", None)]
        items = schema.get("items")
        return _first(size_problems(items, item, path + (index,)) for index, item in enumerate(value))
    if isinstance(value, dict):
        limit = schema.get("maxProperties")
        if isinstance(limit, int) and len(value) > limit:
            return [(path_words(path), f"must have at most {limit} fields (got {len(value)})", None)]
        return _first(size_problems(_property_schema(schema, key), item, path + (key,)) for key, item in value.items())
    if isinstance(value, str):
        limit = schema.get("maxLength")
        if isinstance(limit, int) and len(value) > limit:
            return [(path_words(path), f"must be at most {limit} characters (got {len(value)})", None)]
    return []


def whole_numbers_as_integers(schema: dict, value: Any) -> Any:
    """The inputs with every whole float the schema types as integer made an int (20.0 -> 20)."""
    if not isinstance(schema, dict):
        return value
    if isinstance(value, float) and value.is_integer() and _says_integer(schema):
        return int(value)
    if isinstance(value, list):
        items = schema.get("items")
        return [whole_numbers_as_integers(items, item) for item in value] if isinstance(items, dict) else value
    if isinstance(value, dict):
        return {key: whole_numbers_as_integers(_property_schema(schema, key), item) for key, item in value.items()}
    return value


def _says_integer(schema: dict) -> bool:
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "integer" in kinds and "number" not in kinds:
        return True
    return any(isinstance(sub, dict) and _says_integer(sub) for sub in schema.get("anyOf") or [])


def _property_schema(schema: dict, key: str) -> Any:
    properties = schema.get("properties")
    if isinstance(properties, dict) and key in properties:
        return properties[key]
    extra = schema.get("additionalProperties")
    return extra if isinstance(extra, dict) else None


def _first(groups) -> list:
    for problems in groups:
        if problems:
            return problems
    return []


def path_words(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(inputs)"
