"""Photo-avatar inputs (the v2 shapes workflows already use) as HeyGen v3 `POST /v3/avatars` bodies, and v3 looks
and groups as the outputs those actions always had.

v3 has no attribute fields and no generation ids: the attributes are folded into the one `prompt` text (at most
1000 characters), and a generation is the new look itself, so its `generation_id` is the look's id and its
status the look's. v3 takes images as an AssetRef (a URL or an asset id), never an image_key. Where the inputs
cannot be said on v3, `NotExpressible` says why and what to pass, and the legacy route gets its turn.
"""

import uuid

from heygen_core.jobs import as_dict
from heygen_core.routes import NotExpressible, Request
from heygen_core.shapes import job_output

PROMPT_LIMIT = 1000
POSES = {"half_body": "half-body shot", "close_up": "close-up", "full_body": "full-body shot"}
ORIENTATIONS = {"square": "square framing", "horizontal": "landscape framing", "vertical": "portrait framing"}
NO_CALLBACK = (
    "HeyGen's v3 API calls no callback for avatar generation: leave it out and use check_generation_status "
    "(or wait_for_completion)"
)
IMAGE_KEY_ONLY = (
    "HeyGen's v3 API takes the image as a URL or an asset id, not an image_key: pass {url} (a public HTTPS link, "
    "e.g. from image_urls of check_generation_status) or {asset} (from upload_asset)"
)


def words(value: str | None) -> str | None:
    return None if value in (None, "", "Unspecified") else value


def folded(field: str, parts: list[str | None], text: str) -> str:
    """The attributes and the text as one v3 prompt; refused when it passes HeyGen's 1000 characters."""
    attributes = ", ".join(part for part in parts if part)
    prompt = f"{attributes}. {text}" if attributes else text
    if len(prompt) > PROMPT_LIMIT:
        over = len(prompt) - PROMPT_LIMIT
        raise NotExpressible(
            field,
            f"HeyGen's v3 API takes one prompt of at most {PROMPT_LIMIT} characters, and with the other "
            f"attributes folded in it would be {len(prompt)}: shorten {field} by {over} characters",
        )
    return prompt


def refuse_callbacks(inputs: dict) -> None:
    for name in ("callback_url", "callback_id"):
        if inputs.get(name):
            raise NotExpressible(name, NO_CALLBACK)


def photo_prompt_request(inputs: dict) -> Request:
    """generate_photo_avatar -> `type: prompt`, a new character in a new group."""
    refuse_callbacks(inputs)
    style = words(inputs.get("style"))
    parts = [
        words(inputs.get("gender")),
        words(inputs.get("age")),
        words(inputs.get("ethnicity")),
        f"{style} style" if style else None,
        POSES.get(inputs.get("pose")),
        ORIENTATIONS.get(inputs.get("orientation")),
    ]
    prompt = folded("appearance", parts, inputs["appearance"])
    return Request(body={"type": "prompt", "name": inputs["name"], "prompt": prompt})


def look_prompt_request(inputs: dict) -> Request:
    """generate_avatar_look -> `type: prompt` with the base look as `avatar_id`, saved to the group."""
    reference = inputs.get("avatar_id") or inputs.get("reference_look_id")
    if not reference:
        raise NotExpressible(
            "avatar_id",
            "HeyGen's v3 API makes a new look from an existing look, and this group has none to start from: "
            "pass avatar_id (a look id, from list_avatars_in_group)",
        )
    style = words(inputs.get("style"))
    text = inputs["prompt"]
    parts = [POSES.get(inputs.get("pose")), ORIENTATIONS.get(inputs.get("orientation"))]
    prompt = folded("prompt", parts + [f"{style} style" if style else None], text)
    body = {
        "type": "prompt",
        "name": inputs.get("name") or text[:100],
        "prompt": prompt,
        "avatar_id": reference,
        "avatar_group_id": inputs["group_id"],
    }
    return Request(body=body)


def image_refs(inputs: dict, urls: str, asset_ids: str) -> list[dict]:
    """The images as v3 AssetRefs, URLs first (one input may hold one value or a list)."""

    def values(name: str) -> list:
        value = inputs.get(name)
        return [] if value is None else (value if isinstance(value, list) else [value])

    return [{"type": "url", "url": url} for url in values(urls)] + [
        {"type": "asset_id", "asset_id": asset_id} for asset_id in values(asset_ids)
    ]


def photo_request(inputs: dict, refs: list[dict], index: int = 0, group_id: str | None = None) -> Request:
    body = {"type": "photo", "name": inputs["name"], "file": refs[index]}
    if group_id:
        body["avatar_group_id"] = group_id
    return Request(body=body)


def new_group_request(inputs: dict) -> Request:
    """create_avatar_group -> `type: photo` without a group: v3 makes the group with its first look."""
    refs = image_refs(inputs, "image_url", "image_asset_id")
    if not refs:
        raise NotExpressible("image_key", IMAGE_KEY_ONLY.format(url="image_url", asset="image_asset_id"))
    return photo_request(inputs, refs)


def added_look_request(inputs: dict) -> Request:
    """add_looks_to_group -> one `type: photo` with `avatar_group_id` per image (this one: `image_index`)."""
    refs = image_refs(inputs, "image_urls", "image_asset_ids")
    if not refs:
        raise NotExpressible("image_keys", IMAGE_KEY_ONLY.format(url="image_urls", asset="image_asset_ids"))
    return photo_request(inputs, refs, inputs.get("image_index", 0), inputs["group_id"])


def part_key(key: str, index: int) -> str:
    """The idempotency key of the index-th request of one logical request: stable, distinct, valid for HeyGen."""
    return key if index == 0 else str(uuid.uuid5(uuid.NAMESPACE_URL, f"heygen-idempotency/{key}/{index}"))


# ---------------------------------------------------------------- v3 answers as our outputs


def created_parts(data) -> tuple[dict, dict]:
    """POST /v3/avatars' answer: (the look, its group)."""
    answer = as_dict(data)
    return as_dict(answer.get("avatar_item")), as_dict(answer.get("avatar_group"))


def look_generation(look_id: str, look) -> dict:
    """check_generation_status's output from a v3 look: the generation is the look."""
    look = as_dict(look)
    preview = look.get("preview_image_url")
    extras = {
        "image_urls": [preview] if isinstance(preview, str) and preview else None,
        "image_keys": None,  # v3 has no image keys
    }
    return job_output("generation_id", look_id, look, extras)


def group_training(group_id: str, group) -> dict:
    """check_training_status's output from a v3 group (v3 trains by itself once the group is made)."""
    group = as_dict(group)
    return job_output("group_id", group_id, group, {"created_at": group.get("created_at"), "updated_at": None})


def look_as_photo_avatar(look, group=None) -> dict:
    """A v3 look in the photo-avatar shape; a new group's creation time is its first look's."""
    look, group = as_dict(look), as_dict(group)
    return {
        "id": look.get("id"),
        "group_id": look.get("group_id") or group.get("id"),
        "name": look.get("name"),
        "status": look.get("status"),
        "image_url": look.get("preview_image_url"),
        "created_at": group.get("created_at"),
        "is_motion": None,
        "motion_preview_url": None,
        "business_type": None,
        "upscaled": None,
        "background_sound_effect": None,
    }


def group_entry(group: dict) -> dict:
    """A v3 group in list_avatar_groups' shape."""
    return {
        "id": group.get("id"),
        "name": group.get("name"),
        "created_at": group.get("created_at"),
        "num_looks": group.get("looks_count"),
        "preview_image": group.get("preview_image_url"),
        "group_type": None,
        "train_status": group.get("status"),
        "default_voice_id": group.get("default_voice_id"),
    }
