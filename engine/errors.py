"""The one error type the engine raises: an HTTP status, a code and a message naming the field and rule."""

from __future__ import annotations


class EngineError(Exception):
    def __init__(self, status: int, code: str, message: str, details: dict | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}


def invalid(field: str, rule: str, status: int = 422) -> EngineError:
    """A request field broke a rule: the message and details both name the field."""
    return EngineError(status, "VALIDATION_ERROR", f"{field}: {rule}", {"field": field, "rule": rule})
