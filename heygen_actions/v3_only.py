"""What the v3-only actions (Video Agent, lipsync, background removal) share: routes that have no legacy
counterpart, HeyGen's asset references built from our `<x>_url` / `<x>_asset_id` inputs, and cursor pages."""

from heygen_core.inputs import reject
from heygen_core.routes import Request, on_v3
from heygen_core.shapes import as_dict

MAX_FILES = 20


def v3_only(name: str, feature: str, **options):
    """A route to a v3 endpoint that no legacy route can stand in for: when it is missing, the error says so."""
    hint = f"{feature} exists only on HeyGen's v3 API, which this HeyGen server does not serve."
    return on_v3(name, gone_hint=hint, **options)


def asset_ref(inputs: dict, prefix: str) -> dict:
    """HeyGen's AssetInput for `<prefix>_url` or `<prefix>_asset_id`: exactly one of them must be given."""
    url, asset_id = inputs.get(f"{prefix}_url"), inputs.get(f"{prefix}_asset_id")
    if (url is None) == (asset_id is None):
        raise reject(f"{prefix}_url", f"give exactly one of {prefix}_url or {prefix}_asset_id")
    return {"type": "url", "url": url} if url is not None else {"type": "asset_id", "asset_id": asset_id}


def file_refs(inputs: dict) -> list[dict]:
    """Attachments from `file_urls` and `file_asset_ids`, in that order (HeyGen takes at most MAX_FILES)."""
    urls = [{"type": "url", "url": url} for url in inputs.get("file_urls") or []]
    files = urls + [{"type": "asset_id", "asset_id": asset} for asset in inputs.get("file_asset_ids") or []]
    if len(files) > MAX_FILES:
        raise reject("file_urls", f"with file_asset_ids, at most {MAX_FILES} files in all (got {len(files)})")
    return files


def page_request(inputs: dict, *filters: str) -> Request:
    names = ("limit", "token", *filters)
    return Request(query={name: inputs[name] for name in names if inputs.get(name) is not None})


def page_output(key: str, shape):
    """A response adapter: HeyGen's page as `{key: [shape(item)], has_more, next_token}`."""

    def adapt(data, inputs) -> dict:
        items = [shape(as_dict(item)) for item in data if isinstance(item, dict)] if isinstance(data, list) else []
        return {
            key: items,
            "has_more": bool(getattr(data, "has_more", False)),
            "next_token": getattr(data, "next_token", None),
        }

    return adapt
