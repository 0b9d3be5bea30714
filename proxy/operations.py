"""The allow-list: every operation is one plugin action, by its kebab-case name, plus the six operations of
the External Service Proxy API with their own request and answer shapes.

An operation says which action runs, the scope it needs, whether it is billed, which ids in its inputs the
organisation must have created (`owned`), which ids in its output it creates (`creates`), and how the
`{body, query, path_params}` envelope becomes the action's inputs and the output a HeyGen-like `{"data": …}`.
Nothing here knows HeyGen's paths: the plugin's actions do.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

CONFIG = json.loads((Path(__file__).resolve().parent.parent / "config.json").read_text())
ACTIONS = CONFIG["actions"]

# Operations that hand out a credential (a streaming token or session token, a webhook secret), or manage
# where HeyGen sends events, need the admin scope.
ADMIN_ACTIONS = frozenset(
    {
        "create_streaming_token",
        "create_streaming_session",
        "add_webhook_endpoint",
        "update_webhook_endpoint",
        "delete_webhook_endpoint",
        "list_webhook_endpoints",
    }
)
READ_PREFIXES = ("list_", "get_", "check_", "estimate_", "download_", "verify_")
# What HeyGen charges credits for; the monthly cap counts these (test-mode renders are free).
BILLED_ACTIONS = frozenset(
    {
        "create_avatar_video",
        "create_photo_avatar_video",
        "create_avatar_video_batch",
        "generate_template_video",
        "create_webm_video",
        "translate_video",
        "generate_photo_avatar",
        "generate_avatar_look",
        "train_avatar_group",
        "add_motion_to_avatar",
    }
)
# Which ids an action's inputs name (the organisation must have created them) and its output creates.
OWNED_INPUTS = {
    "video_id": "video",
    "video_translate_id": "translation",
    "generation_id": "photo_generation",
    "group_id": "avatar_group",
    "session_id": "streaming_session",
    "endpoint_id": "webhook_endpoint",
}
# Photo avatar (look) ids are named `id`, which other actions use for other things: only these take one.
PHOTO_AVATAR_ID_ACTIONS = frozenset({"get_photo_avatar_details", "add_motion_to_avatar", "add_sound_effect_to_avatar"})
# Where each action's output names what it created: "field", or "list[].field" for each entry of a list.
CREATED_OUTPUTS = {
    "create_avatar_video": (("video_id", "video"),),
    "create_photo_avatar_video": (("video_id", "video"),),
    "generate_template_video": (("video_id", "video"),),
    "create_webm_video": (("video_id", "video"),),
    "create_avatar_video_batch": (("results[].video_id", "video"),),
    "translate_video": (("video_translate_id", "translation"),),
    "generate_photo_avatar": (("generation_id", "photo_generation"),),
    "generate_avatar_look": (("generation_id", "photo_generation"),),
    "create_avatar_group": (("group_id", "avatar_group"), ("id", "photo_avatar")),
    "add_looks_to_group": (("photo_avatar_list[].id", "photo_avatar"),),
    "add_motion_to_avatar": (("id", "photo_avatar"),),
    "create_streaming_session": (("session_id", "streaming_session"),),
    "add_webhook_endpoint": (("endpoint_id", "webhook_endpoint"),),
}
# Inputs that name an id the organisation need not have created (e.g. generation_id is optional provenance).
NOT_OWNED = {("create_avatar_group", "generation_id"), ("add_looks_to_group", "generation_id")}


class EnvelopeError(Exception):
    def __init__(self, field_path: str, message: str):
        super().__init__(message)
        self.field, self.message = field_path, message


@dataclass(frozen=True)
class Operation:
    name: str
    action: str
    scope: str
    billed: bool
    summary: str
    request_schema: dict  # the envelope's JSON schema (OpenAPI and discovery)
    to_inputs: Callable[[dict], dict]
    to_answer: Callable[[dict], dict]
    owned: dict = field(default_factory=dict)  # input field -> kind
    creates: tuple = ()  # (where in the output, kind) for each id it creates
    test_field: str | None = None  # the input that switches HeyGen's free test mode

    @property
    def generating(self) -> bool:
        return self.scope == "generate" and self.billed

    def inputs_owned(self, inputs: dict) -> list[tuple[str, str, str]]:
        """(field, kind, id) for each id in the inputs that must belong to the caller's organisation."""
        found = [(f, kind, inputs[f]) for f, kind in self.owned.items() if isinstance(inputs.get(f), str)]
        for index, video in enumerate(inputs.get("videos") or []):  # a batch names no ids, but stay general
            if isinstance(video, dict) and isinstance(video.get("video_id"), str):
                found.append((f"videos[{index}].video_id", "video", video["video_id"]))
        return found

    def created_ids(self, output: dict) -> list[tuple[str, str]]:
        found = []
        for where, kind in self.creates:
            if "[]." in where:
                name, field_name = where.split("[].")
                entries = output.get(name) or []
                values = [e.get(field_name) for e in entries if isinstance(e, dict)]
            else:
                values = [output.get(where)]
            found += [(kind, str(value)) for value in values if value not in (None, "")]
        return found


def kebab(action: str) -> str:
    return action.replace("_", "-")


def scope_of(action: str) -> str:
    if action in ADMIN_ACTIONS:
        return "admin"
    return "read" if action.startswith(READ_PREFIXES) else "generate"


def envelope_schema(body: dict | None = None, query: dict | None = None, path_params: dict | None = None) -> dict:
    properties = {}
    for name, schema in (("body", body), ("query", query), ("path_params", path_params)):
        properties[name] = schema or {"type": "object", "maxProperties": 0}
    required = [name for name, schema in (("query", query), ("path_params", path_params)) if schema]
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def parts(envelope: dict) -> tuple[dict, dict, dict]:
    """The envelope's three objects; anything else in it is refused, naming the field."""
    if not isinstance(envelope, dict):
        raise EnvelopeError("(request)", 'the request body must be a JSON object like {"body": {...}}')
    for name in envelope:
        if name not in ("body", "query", "path_params"):
            words = "is not forwarded by this proxy" if name == "headers" else "is not part of the envelope"
            raise EnvelopeError(name, f"{words} (the envelope has body, query and path_params)")
    found = []
    for name in ("body", "query", "path_params"):
        value = envelope.get(name, {})
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise EnvelopeError(name, "must be an object")
        found.append(value)
    return found[0], found[1], found[2]


def merged_inputs(envelope: dict) -> dict:
    """A plain action's inputs: the body, with query and path parameters beside it (never overwriting)."""
    body, query, path_params = parts(envelope)
    inputs = dict(body)
    for where, values in (("query", query), ("path_params", path_params)):
        for name, value in values.items():
            if name in inputs:
                raise EnvelopeError(f"{where}.{name}", f"is given twice (also in body.{name})")
            inputs[name] = value
    return inputs


def data(output: dict) -> dict:
    return {"data": output}


# ---------------------------------------------------------------- the document's six operations


def _lists(action: str, limit_field: str | None) -> Callable[[dict], dict]:
    """The document's list calls send {} and get everything: ask the action for its largest page."""

    def to_inputs(envelope: dict) -> dict:
        inputs = merged_inputs(envelope)
        if limit_field and "limit" not in inputs:
            inputs["limit"] = ACTIONS[action]["input_schema"]["properties"]["limit"].get("maximum", 100)
        return inputs

    return to_inputs


def _only(*names: str) -> Callable[[dict], dict]:
    return lambda output: {"data": {name: output.get(name) for name in names if name in output}}


def _generate_template_inputs(envelope: dict) -> dict:
    body, query, path_params = parts(envelope)
    if query:
        raise EnvelopeError(f"query.{next(iter(query))}", "is not taken by generate-template-video")
    template_id = path_params.get("template_id")
    if not isinstance(template_id, str) or not template_id:
        raise EnvelopeError("path_params.template_id", "is required (from list-templates)")
    if "template_id" in body:
        raise EnvelopeError("body.template_id", "belongs in path_params.template_id")
    return {**body, "template_id": template_id}


def _video_status_inputs(envelope: dict) -> dict:
    body, query, path_params = parts(envelope)
    video_id = query.get("video_id", body.get("video_id"))
    if not isinstance(video_id, str) or not video_id:
        raise EnvelopeError("query.video_id", "is required (the video_id generate-video answered)")
    return {**body, **query, "video_id": video_id}


def _video_status_answer(output: dict) -> dict:
    """HeyGen's status fields; `error` is the failure's message, as the document's polling loop reads it."""
    answer = {k: v for k, v in output.items() if k not in ("error", "timed_out", "raw_status")}
    error = output.get("error")
    if output.get("status") == "failed" or error:
        answer["error"] = (error or {}).get("message") or (error or {}).get("detail") or "video generation failed"
    return {"data": answer}


DOCUMENT_SCHEMAS = {
    "video_status_query": {
        "type": "object",
        "properties": {"video_id": {"type": "string", "minLength": 1}},
        "required": ["video_id"],
        "additionalProperties": False,
    },
    "template_path": {
        "type": "object",
        "properties": {"template_id": {"type": "string", "minLength": 1}},
        "required": ["template_id"],
        "additionalProperties": False,
    },
}


def _without(schema: dict, *names: str) -> dict:
    properties = {k: v for k, v in schema.get("properties", {}).items() if k not in names}
    required = [r for r in schema.get("required", []) if r not in names]
    return {**schema, "properties": properties, "required": required}


def document_operations() -> dict[str, Operation]:
    def schema(action):
        return ACTIONS[action]["input_schema"]

    listing = {
        "list-templates": ("list_templates", None, _only("templates", "total")),
        "list-avatars": ("list_avatars", "limit", data),
        "list-voices": ("list_voices", "limit", data),
    }
    ops = {
        name: _operation(action, name, _lists(action, limit), answer, envelope_schema(schema(action)))
        for name, (action, limit, answer) in listing.items()
    }
    ops["generate-video"] = _operation(
        "create_avatar_video",
        "generate-video",
        merged_inputs,
        _only("video_id"),
        envelope_schema(schema("create_avatar_video")),
    )
    ops["generate-template-video"] = _operation(
        "generate_template_video",
        "generate-template-video",
        _generate_template_inputs,
        _only("video_id"),
        envelope_schema(
            _without(schema("generate_template_video"), "template_id"), None, DOCUMENT_SCHEMAS["template_path"]
        ),
    )
    ops["video-status"] = _operation(
        "get_video_status",
        "video-status",
        _video_status_inputs,
        _video_status_answer,
        envelope_schema(_without(schema("get_video_status"), "video_id"), DOCUMENT_SCHEMAS["video_status_query"]),
    )
    return ops


def _operation(action: str, name: str, to_inputs, to_answer, request_schema: dict) -> Operation:
    properties = ACTIONS[action]["input_schema"].get("properties", {})
    owned = {f: k for f, k in OWNED_INPUTS.items() if f in properties and (action, f) not in NOT_OWNED}
    if action in PHOTO_AVATAR_ID_ACTIONS:
        owned["id"] = "photo_avatar"
    return Operation(
        name=name,
        action=action,
        scope=scope_of(action),
        billed=action in BILLED_ACTIONS,
        summary=ACTIONS[action].get("description", ""),
        request_schema=request_schema,
        to_inputs=to_inputs,
        to_answer=to_answer,
        owned=owned,
        creates=CREATED_OUTPUTS.get(action, ()),
        test_field="test" if "test" in properties else None,
    )


def all_operations() -> dict[str, Operation]:
    """Every action under its kebab-case name, then the document's six (which take precedence)."""
    ops = {
        kebab(action): _operation(action, kebab(action), merged_inputs, data, envelope_schema(spec["input_schema"]))
        for action, spec in ACTIONS.items()
    }
    ops.update(document_operations())
    return ops


OPERATIONS = all_operations()
