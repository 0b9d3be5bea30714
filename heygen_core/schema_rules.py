"""The rules of inputs and outputs that tool definitions do not say, checked by the plugin itself.

LLM function-calling APIs accept only a portable subset of JSON Schema in tool definitions (no `allOf`,
`if`/`then`, `oneOf`, `dependencies`, `multipleOf`, `exclusiveMinimum`, ...), so config.json keeps to it and
says the other rules in its descriptions. Here they are JSON Schema again, as data: each is laid over the
place of an action's schema it governs, and the one validator in heygen_core/inputs.py checks and words
them with everything else. `strict_input_schema` is that laid-over schema.

Two rules are general rather than per place: every id input (`id`, `*_id`, items of `*_ids`) must be a
usable id (paths.ID_PATTERN), and the scenes of estimate_video and create_avatar_video_batch are checked
as create_avatar_video's own scenes, which their definitions name instead of repeating.

Outputs: every field an output schema lists is always there (null when HeyGen did not say it). config.json
leaves the `required` lists out of its output schemas, which would repeat every field name;
`strict_output_schema` puts them back for the check every result passes.
"""

import copy

from heygen_core.paths import ID_PATTERN

# Free text that happens to end in _id: the caller's own correlation id, echoed back by HeyGen.
FREE_TEXT_IDS = frozenset({"callback_id"})
EVEN = {"multipleOf": 2}
POSITIVE = {"exclusiveMinimum": 0}


def one_of(*fields: str) -> dict:
    """Exactly one of these fields (inputs.py words it "needs one of a or b" / "give only one of a or b")."""
    return {"oneOf": [{"required": [field]} for field in fields]}


def when(field: str, value: str, then: dict) -> dict:
    return {"if": {"required": [field], "properties": {field: {"const": value}}}, "then": then}


def needs_when(field: str, value: str, *needed: str) -> dict:
    return when(field, value, {"required": list(needed)})


URL = {"type": "string", "pattern": r"^https?://\S+$"}
ASSET = {"type": "string", "minLength": 1}
FIT = {"type": "string", "enum": ["cover", "crop", "contain", "none"]}
PLAY_STYLE = {"type": "string", "enum": ["fit_to_scene", "freeze", "loop", "once", "full_video"]}


def shape(properties: dict, required=(), **rules) -> dict:
    return {
        "properties": {
            "properties": {
                "type": "object",
                "properties": properties,
                "additionalProperties": False,
                **({"required": list(required)} if required else {}),
                **rules,
            }
        }
    }


# What each template variable type's `properties` holds (config.json says it in one description line).
TEMPLATE_VARIABLE = {
    "allOf": [
        when("type", "text", shape({"content": {"type": "string"}}, ["content"])),
        when("type", "image", shape({"url": URL, "asset_id": ASSET, "fit": FIT}, **one_of("url", "asset_id"))),
        when(
            "type",
            "video",
            shape({"url": URL, "asset_id": ASSET, "play_style": PLAY_STYLE, "fit": FIT}, **one_of("url", "asset_id")),
        ),
        when(
            "type",
            "character",
            shape(
                {"character_id": ASSET, "type": {"type": "string", "enum": ["avatar", "talking_photo"]}},
                ["character_id", "type"],
            ),
        ),
        when("type", "voice", shape({"voice_id": ASSET}, ["voice_id"])),
        when("type", "audio", shape({"url": URL, "asset_id": ASSET}, **one_of("url", "asset_id"))),
    ]
}

SCENE_RULES = {
    ("character",): {
        "allOf": [
            needs_when("type", "avatar", "avatar_id"),
            needs_when("type", "talking_photo", "talking_photo_id"),
        ]
    },
    ("voice",): {
        "allOf": [
            needs_when("type", "text", "voice_id", "input_text"),
            when("type", "audio", one_of("audio_url", "audio_asset_id")),
        ]
    },
    ("background",): {
        "allOf": [
            needs_when("type", "color", "value"),
            when("type", "image", one_of("url", "image_asset_id")),
            when("type", "video", one_of("url", "video_asset_id")),
        ]
    },
    ("text", "font_size"): POSITIVE,
    ("text", "line_height"): POSITIVE,
    ("text", "width"): POSITIVE,
}
DIMENSION_RULES = {("width",): EVEN, ("height",): EVEN}

# Where create_avatar_video keeps its scene; the scene-taking actions below are checked against it.
SCENE_SOURCE = ("create_avatar_video", ("video_inputs", "[]"))
SAME_SCENES = "scenes of create_avatar_video"

# action -> ((place, rules), ...). A place is a path of property names, "[]" for a list's items and "{}"
# for the values of a map; rules are either JSON Schema keywords merged there, or {path below: keywords}.
ACTION_RULES = {
    "create_avatar_video": ((("video_inputs", "[]"), SCENE_RULES), (("dimension",), DIMENSION_RULES)),
    "create_avatar_video_batch": (
        (("videos", "[]", "video_inputs", "[]"), SAME_SCENES),
        (("videos", "[]", "dimension"), DIMENSION_RULES),
    ),
    "estimate_video": (
        (("video_inputs", "[]"), SAME_SCENES),
        ((), {**one_of("video_inputs", "script")}),
        (
            (),
            {
                "dependencies": {
                    "speed": ["script"],
                    "character_type": ["script"],
                    "audio_seconds": ["video_inputs"],
                }
            },
        ),
    ),
    "generate_template_video": (
        (("variables",), {"minProperties": 1}),
        (("variables", "{}"), TEMPLATE_VARIABLE),
        (("dimension",), DIMENSION_RULES),
    ),
    "create_webm_video": (
        (("dimension",), DIMENSION_RULES),
        ((), {**one_of("input_text", "input_audio"), "dependencies": {"input_text": ["voice_id"]}}),
    ),
    "create_photo_avatar_video": (
        ((), {**one_of("script", "audio_url", "audio_asset_id"), "dependencies": {"script": ["voice_id"]}}),
    ),
    "get_avatar_details": (((), one_of("avatar_id", "id")),),
    "upload_asset": (((), one_of("file", "url")),),
    "translate_video": (((), one_of("output_language", "output_languages")),),
}

_STRICT_INPUTS: dict = {}
_STRICT_OUTPUTS: dict = {}


def built_once(cache: dict, schema: dict, build):
    """`build(schema)`, made once per schema object and kept in `cache` (keyed by identity, checked)."""
    kept = cache.get(id(schema))
    if kept is None or kept[0] is not schema:
        kept = cache[id(schema)] = (schema, build(schema))
    return kept[1]


def strict_input_schema(name: str, schema: dict, actions: dict) -> dict:
    """`schema` (action `name`'s input schema in config.json) with every rule above laid over it.

    `actions` maps action names to their input schemas, for the scenes other actions share. Built once per
    schema object and kept: the result is read-only for callers.
    """
    return built_once(_STRICT_INPUTS, schema, lambda source: with_rules(name, source, actions))


def with_rules(name: str, schema: dict, actions: dict) -> dict:
    strict = copy.deepcopy(schema)
    for place, rules in ACTION_RULES.get(name, ()):
        target = node_at(strict, place, name)
        if rules == SAME_SCENES:
            source_action, source_place = SCENE_SOURCE
            scene = node_at(strict_input_schema(source_action, actions[source_action], actions), source_place, name)
            target.clear()
            target.update(copy.deepcopy(scene))
        elif all(isinstance(key, tuple) for key in rules):
            for below, keywords in rules.items():
                merge(node_at(target, below, name), keywords)
        else:
            merge(target, rules)
    with_id_rule(strict)
    return strict


def node_at(schema: dict, place: tuple, name: str = "") -> dict:
    """The subschema at `place`; a place that config.json no longer has is a bug, said plainly."""
    node = schema
    for step in place:
        key = {"[]": "items", "{}": "additionalProperties"}.get(step)
        node = node.get(key) if key else (node.get("properties") or {}).get(step)
        if not isinstance(node, dict):
            raise KeyError(f"input_rules: {name} has no input at {'.'.join(place)} (config.json changed?)")
    return node


def merge(node: dict, keywords: dict) -> None:
    for key, value in keywords.items():
        if key == "allOf":
            node["allOf"] = [*node.get("allOf", []), *copy.deepcopy(value)]
        elif key == "dependencies":
            node["dependencies"] = {**node.get("dependencies", {}), **copy.deepcopy(value)}
        else:
            node[key] = copy.deepcopy(value)


def is_id_field(name: str) -> bool:
    return (name == "id" or name.endswith("_id")) and name not in FREE_TEXT_IDS


def each_object(schema):
    """Every subschema object in `schema`, itself first, at any depth (values of enum, const... are not)."""
    if isinstance(schema, list):
        for item in schema:
            yield from each_object(item)
        return
    if not isinstance(schema, dict):
        return
    yield schema
    for key, value in schema.items():
        if key == "properties":
            for sub in value.values():
                yield from each_object(sub)
        elif isinstance(value, (dict, list)) and key not in ("enum", "const", "default", "examples", "required"):
            yield from each_object(value)


def with_id_rule(schema: dict) -> dict:
    """Every id input gets paths.ID_PATTERN: not empty or only spaces, not '.' or '..', no control characters."""
    for node in each_object(schema):
        for field, sub in (node.get("properties") or {}).items():
            if not isinstance(sub, dict):
                continue
            if is_id_field(field) and sub.get("type") == "string":
                sub.setdefault("pattern", ID_PATTERN)
            items = sub.get("items")
            if field.endswith("_ids") and isinstance(items, dict) and items.get("type") == "string":
                items.setdefault("pattern", ID_PATTERN)
    return schema


def strict_output_schema(schema: dict) -> dict:
    """`schema` with every object's fields required, at every depth; built once per schema object."""
    return built_once(_STRICT_OUTPUTS, schema, lambda source: every_field_required(copy.deepcopy(source)))


def every_field_required(schema: dict) -> dict:
    for node in each_object(schema):
        properties = node.get("properties")
        if isinstance(properties, dict) and properties:
            node["required"] = list(properties)
    return schema


def rule_words(name: str) -> list[str]:
    """Action `name`'s rules from ACTION_RULES in words, for the action reference (place: rule)."""
    said = []
    for place, rules in ACTION_RULES.get(name, ()):
        where = ".".join(place).replace(".[]", "[]").replace(".{}", ".<name>") or "inputs"
        if rules == SAME_SCENES:
            said.append(f"{where}: each checked as a scene of create_avatar_video")
            continue
        nested = rules.items() if all(isinstance(key, tuple) for key in rules) else [((), rules)]
        for below, keywords in nested:
            spot = ".".join((where, *below)) if below else where
            said += [f"{spot}: {words}" for words in keyword_words(keywords)]
    return said


def keyword_words(keywords: dict) -> list[str]:
    words = []
    for key, value in keywords.items():
        if key == "oneOf":
            words.append("exactly one of " + either(value))
        elif key == "allOf":
            for case in value:
                field, wanted = next(iter(case["if"]["properties"].items()))
                then = case["then"]
                needed = then.get("required") or ["one of " + either(then.get("oneOf", []))]
                if "properties" in then:
                    inner = then["properties"]["properties"]
                    shaped = "{" + ", ".join(inner["properties"]) + "}"
                    extra = inner.get("required") or [either(inner.get("oneOf", []))]
                    needed = [f"properties {shaped} with {', '.join(extra)}"]
                words.append(f"{field} {wanted['const']} needs {', '.join(needed)}")
        elif key == "dependencies":
            words += [f"{field} needs {', '.join(needed)}" for field, needed in value.items()]
        elif key == "multipleOf":
            words.append("an even number" if value == 2 else f"a multiple of {value}")
        elif key == "exclusiveMinimum":
            words.append(f"more than {value}")
        elif key == "minProperties":
            words.append(f"at least {value} entry")
    return words


def either(options: list) -> str:
    """The field names of a one_of(...) rule, "a or b"."""
    return " or ".join(option["required"][0] for option in options)
