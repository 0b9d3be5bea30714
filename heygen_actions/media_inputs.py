"""A media input given as a public URL, a HeyGen asset id or a file, as the AssetRef v3 bodies take.

A URL or an asset id is passed on as it is (HeyGen fetches the URL itself). A file (an Autohive file object)
is uploaded first with upload_asset's own code, checked for type and size the same way, and referenced by the
asset id HeyGen gives it. Exactly one of the three must be set; which is missing or doubled is named.
"""

from heygen_core.action import created_id
from heygen_core.inputs import reject
from heygen_actions.assets import ALLOWED, MB, decided_type, decoded, extension_type, normalized
from heygen_actions.asset_uploads import send_asset
from heygen_actions.v3_only import asset_ref as url_or_asset_ref


def given_sources(inputs: dict, prefix: str) -> list[str]:
    return [f"{prefix}_{kind}" for kind in ("url", "asset_id", "file") if inputs.get(f"{prefix}_{kind}")]


def check_one_source(inputs: dict, prefix: str) -> str:
    """The one input field naming the media; refused (naming the fields) before anything is sent."""
    given = given_sources(inputs, prefix)
    if len(given) != 1:
        fields = f"{prefix}_url, {prefix}_asset_id or {prefix}_file"
        words = "give exactly one of " + fields + (f" (got {', '.join(given)})" if given else "")
        raise reject(given[1] if len(given) > 1 else f"{prefix}_url", words)
    return given[0]


def file_upload(inputs: dict, field: str, kind: str) -> dict:
    """upload_asset's upload dict for a file input, refused here when it is not a `kind` file HeyGen takes."""
    file = inputs[field]
    name = file.get("name") or ""
    data = decoded(file["content"]) if isinstance(file.get("content"), str) else b""
    if not data:
        raise reject(f"{field}.content", "is empty")
    clues = [(f"{field}.contentType", normalized(file.get("contentType"))), (f"{field}.name", extension_type(name))]
    content_type = decided_type(clues, data, field)
    found, limit = ALLOWED[content_type]
    if found != kind:
        article = "an" if found[0] in "aeiou" else "a"
        raise reject(field, f"is {article} {found} file ({content_type}); this input takes {kind}")
    if len(data) > limit:
        raise reject(field, f"is {len(data) / MB:.1f} MB: HeyGen accepts {kind} files up to {limit // MB} MB")
    return {"data": data, "content_type": content_type, "name": name or None, "field": field, "type_field": field}


async def asset_ref(api, inputs: dict, prefix: str, kind: str, upload_key: str | None = None) -> dict:
    """{type: url | asset_id, ...} for the media input `prefix`; a file is uploaded first, with `upload_key`
    (by default one derived from the action's idempotency_key) so a rerun reuses the upload."""
    field = check_one_source(inputs, prefix)
    if not field.endswith("_file"):
        return url_or_asset_ref(inputs, prefix)
    upload = file_upload(inputs, field, kind)
    key = inputs.get("idempotency_key")
    upload_key = upload_key or (f"{key}-upload" if key else None)
    generation, asset = await send_asset(api, {**upload, "idempotency_key": upload_key})
    return {"type": "asset_id", "asset_id": created_id(asset, "asset_id" if generation != "legacy" else "id")}
