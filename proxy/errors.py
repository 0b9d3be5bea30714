"""The one error shape every refusal has: {"error": {"code", "message", "field"}}."""

import re


class ProxyError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None, retry_after: float = 0):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.retry_after = retry_after

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


HEYGEN_STATUS = re.compile(r"\bHeyGen (\d{3})\b")


def from_action_error(operation: str, message: str) -> ProxyError:
    """An action's error, by the HTTP status the plugin's message names: never HeyGen's 401 as ours."""
    found = HEYGEN_STATUS.search(message or "")
    status = int(found.group(1)) if found else None
    if status in (401, 403):
        return ProxyError(
            502,
            "heygen_credential_refused",
            f"HeyGen refused this organisation's credential ({operation}); an administrator must set a valid one "
            "(python -m proxy org set-credential ORG)",
        )
    if status == 404:
        return ProxyError(404, "not_found", f"HeyGen found nothing for this {operation} call: {message}")
    if status in (400, 409, 413, 422):
        return ProxyError(422, "rejected_by_heygen", message)
    if status == 429:
        return ProxyError(503, "heygen_busy", message, retry_after=30)
    return ProxyError(502, "heygen_failed", message)


def envelope_field(operation, action_field: str | None) -> str | None:
    """An action input's path (video_inputs[0].voice) as the caller wrote it (body.video_inputs[0].voice)."""
    if not action_field or action_field == "(inputs)":
        return "body"
    head = re.split(r"[.\[]", action_field, maxsplit=1)[0]
    if head in operation.request_schema["properties"].get("path_params", {}).get("properties", {}):
        return f"path_params.{action_field}"
    if head in operation.request_schema["properties"].get("query", {}).get("properties", {}):
        return f"query.{action_field}"
    return f"body.{action_field}"
