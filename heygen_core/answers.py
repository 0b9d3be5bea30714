"""Reading HeyGen's answers: the v1, v2 and v3 envelopes, their errors, Retry-After, and retired routes.

v1 says `{"code": 100, "data", "message"}`, v2 `{"error": null, "data"}`, v3 `{"data"}` on success and
`{"error": {"code", "message", "param", "doc_url"}}` on failure. Codes are compared case-insensitively
(HeyGen has printed both `avatar_not_found` and `AVATAR_NOT_FOUND`). v1/v2 answers from before their
retirement carry `Deprecation`/`Sunset` headers and a body `warning`: logged once per route, never data.
"""

import email.utils
import json
import logging
import time
from http import HTTPStatus
from typing import Any

from heygen_core.errors import MAYBE_CREATED_HINT, HeyGenError

V1_SUCCESS_CODES = frozenset({100, 0, 200})
# 404/405 answers that mean "this route does not exist" rather than "this id does not exist".
ROUTE_GONE_CODES = frozenset({"endpoint_not_found", "route_not_found", "endpoint_retired", "gone"})
RETRYABLE_CONFLICT = "request_in_progress"

logger = logging.getLogger("heygen")
_warned_routes: set[str] = set()


class RouteMissing(HeyGenError):
    """The route itself is gone (retired, never served, or an HTML 404 page): another generation may serve it."""


def parse_retry_after(value: str | None) -> float | None:
    """`Retry-After` as seconds or as an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


class Page(list):
    """A v3 list answer's items, with its cursor (`has_more`, `next_token`) from beside `data`."""

    def __init__(self, items, has_more: bool = False, next_token: str | None = None):
        super().__init__(items)
        self.has_more = bool(has_more)
        self.next_token = next_token if isinstance(next_token, str) and next_token else None


def unwrap(body: Any) -> Any:
    """The `data` of HeyGen's v1, v2 and v3 envelopes; raises when a 2xx envelope carries an error."""
    if not isinstance(body, dict):
        return body
    error = envelope_error(body)
    if error is not None:
        raise HeyGenError(error["message"] or "HeyGen reported an error", code=error["code"], param=error["param"])
    data = body["data"] if "data" in body else body
    if isinstance(data, list) and ("has_more" in body or "next_token" in body):
        return Page(data, body.get("has_more"), body.get("next_token"))
    return data


def envelope_error(body: Any) -> dict | None:
    """{code, message, param} when an envelope says it failed, else None."""
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    if isinstance(error, dict) and error:
        message = error.get("message") or error.get("detail") or error.get("msg")
        return {"code": error.get("code"), "message": message, "param": error.get("param")}
    if isinstance(error, str) and error:
        return {"code": None, "message": error, "param": None}
    code = body.get("code")
    if isinstance(code, int) and code not in V1_SUCCESS_CODES:
        return {"code": code, "message": body.get("message") or body.get("msg"), "param": None}
    return None


def interpret(status: int, headers, text: str, safe: bool, route: str = "") -> Any:
    """The answer's data, or the HeyGenError it stands for. `safe`: the request may be sent again."""
    if status >= 400:
        raise status_error(status, headers, text, safe)
    if not text.strip():
        return None
    try:
        body = json.loads(text)
    except ValueError:
        if text.lstrip().startswith("<"):
            message = "HeyGen answered with a web page instead of JSON (an outage or a proxy error)"
        else:
            message = "HeyGen's answer was not valid JSON (it may have been cut off)"
        raise HeyGenError(message, status=status, hint=None if safe else MAYBE_CREATED_HINT, retryable=safe) from None
    note_deprecation(route, headers, body)
    try:
        return unwrap(body)
    except HeyGenError as error:  # an error inside a 2xx answer still names HeyGen's HTTP status
        error.status = status
        raise


def note_deprecation(route: str, headers, body: Any) -> None:
    """Logs HeyGen's deprecation notice once per route and process; it is never read as data."""
    warning = body.get("warning") if isinstance(body, dict) else None
    flagged = headers is not None and str(headers.get("Deprecation", "")).lower() in ("true", "1")
    if not (warning or flagged) or route in _warned_routes:
        return
    _warned_routes.add(route)
    words = warning.get("message") if isinstance(warning, dict) else warning
    sunset = headers.get("Sunset") if headers is not None else None
    logger.warning("HeyGen marks %s deprecated (sunset %s): %s", route or "a route", sunset or "unknown", words or "")


def status_error(status: int, headers, text: str, safe: bool = True) -> HeyGenError:
    error, is_page, is_json = None, False, False
    try:
        error = envelope_error(json.loads(text))
        is_json = True
    except ValueError:
        is_page = text.lstrip().startswith("<")
    code = None if error is None else error["code"]
    message = None if error is None else error["message"]
    if is_page and not message:
        message = "HeyGen answered with a web page instead of JSON"
    retry_after = parse_retry_after(headers.get("Retry-After")) if headers is not None else None
    request_id = headers.get("X-Request-Id") if headers is not None else None
    common = {"status": status, "code": code, "param": None if error is None else error["param"]}
    common["request_id"] = request_id
    if status == 429:
        return HeyGenError(
            message or "too many requests", retryable=True, not_received=True, retry_after=retry_after, **common
        )
    if status == 409 and str(code or "").lower() == RETRYABLE_CONFLICT:
        # the first request with this Idempotency-Key is still being handled: its answer will be replayed
        return HeyGenError(message or "request in progress", retryable=True, retry_after=retry_after, **common)
    if status == 410 or (status in (404, 405) and route_gone(is_json, code, message, status)):
        return RouteMissing(message or _reason(status), **common)
    # A gateway's 502/504 says nothing about whether HeyGen behind it took the request: it may have.
    maybe_taken = not safe and status in (502, 504)
    return HeyGenError(
        message or _reason(status),
        hint=MAYBE_CREATED_HINT if maybe_taken else None,
        retryable=status in (502, 503, 504),
        retry_after=retry_after if status in (502, 503, 504) else None,
        **common,
    )


def route_gone(is_json: bool, code, message, status: int) -> bool:
    """A 404/405 about the route, not an id: no JSON envelope, no code of its own (or the status as its code,
    as v1 answers a retired path), a route code, or words saying the endpoint was retired."""
    if not is_json or code is None:
        return True
    words = str(code).lower()
    return words in ROUTE_GONE_CODES or words == str(status) or "retired" in str(message or "").lower()


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "unexpected answer"
