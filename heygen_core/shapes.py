"""Small helpers that shape request bodies and outputs; each has one job."""

from typing import Any

from autohive_integrations_sdk import ValidationError

from heygen_core.jobs import as_dict, job_error, normalize_status, pick
from heygen_core.paths import PathError, segment

__all__ = ["as_dict", "body_of", "job_output", "list_of", "path_id", "pick", "page_of"]


def body_of(inputs: dict, fields: list[str] | tuple) -> dict:
    """The request body: the given inputs that the user actually set, under HeyGen's names."""
    return {field: inputs[field] for field in fields if inputs.get(field) is not None}


def path_id(value: str, name: str = "id") -> str:
    """An id placed in a URL path as exactly one escaped segment; an id that could change the path is refused.

    The input schemas refuse such ids already (their id pattern); this is the same rule where the path is made.
    """
    try:
        return segment(name, value)
    except PathError as refused:
        raise ValidationError(f"invalid input: {refused}", source="input") from None


def list_of(data: Any, key: str) -> list:
    """A list HeyGen nests under `key`; empty when it sent none (or something else)."""
    value = as_dict(data).get(key) if not isinstance(data, list) else data
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def job_output(id_field: str, job_id: str, data: Any, extra: dict | None = None, *, error_keys=("error",)) -> dict:
    """The shared shape of every job status: its id, status, raw_status and error, then the job's own fields."""
    source = as_dict(data)
    raw = source.get("status")
    reason = next((source.get(k) for k in error_keys if source.get(k)), None)
    output = {
        id_field: job_id,
        "status": normalize_status(raw),
        "raw_status": raw if isinstance(raw, str) else (None if raw is None else str(raw)),
        "error": job_error(reason) if normalize_status(raw) == "failed" or isinstance(reason, dict) else None,
    }
    if output["status"] == "failed" and output["error"] is None:
        output["error"] = job_error(None, source.get("msg") or source.get("message"))
    output.update(extra or {})
    return output


def page_of(items: list, page: int, limit: int) -> tuple[list, bool]:
    """One page of an already filtered list, and whether more follow."""
    start = (page - 1) * limit
    return items[start : start + limit], start + limit < len(items)
