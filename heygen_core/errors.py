"""Every way a HeyGen call can fail, worded the way a workflow builder reads it.

One exception type travels from the HTTP layer to the action base class, which turns it into the SDK's
`ActionError`. The wording follows the contract: what failed, HeyGen's HTTP status, HeyGen's code and
message, then a hint for the codes we know.
"""

import functools
import re

# Hints for HeyGen's error codes (and a few HTTP statuses) that users actually meet.
HINTS = {
    "40119": "The video is longer than your plan allows: shorten the script, split it across videos, or upgrade.",
    "400105": "HeyGen's content filter flagged words in the script: rephrase them and try again.",
    "401056": "The HeyGen access token expired: reconnect HeyGen in Autohive.",
    "401057": "The HeyGen access token is not valid: reconnect HeyGen in Autohive (locally, check HEYGEN_API_KEY).",
    "40009": "HeyGen rejected the credentials: reconnect HeyGen in Autohive (locally, check HEYGEN_API_KEY).",
    "400112": "HeyGen did not accept the credentials: reconnect HeyGen in Autohive (locally, check HEYGEN_API_KEY).",
    "400599": "Your HeyGen plan does not include this feature: upgrade the plan or use another option.",
    "400664": "The trial's video limit is used up: upgrade the HeyGen plan, or use test mode (test: true).",
    "RESOLUTION_NOT_ALLOWED": "The dimension is above your plan's resolution: use 1280x720 or leave dimension out.",
    "400144": "No avatar has that id: call list_avatars (or list_avatar_groups for your own) for valid ids.",
    "400116": "No voice has that id: call list_voices for valid voice ids.",
    "40104": "No video has that id on this account: it may have been deleted; list_videos shows what exists.",
    "400131": "No webhook endpoint has that id: list_webhook_endpoints shows the registered ones.",
    "10001": "The streaming session is not started yet: call start_streaming_session, then send the task.",
    "10003": "HeyGen retired this avatar version for streaming: use an interactive avatar of version v3 or later.",
    "10004": "The streaming session is closing (stopped or timed out): create a new one.",
    "10005": "The streaming session is closed (stopped, idle too long, or trial's 10 minutes up): create a new one.",
    "10006": "No open streaming session has that id: list_streaming_sessions shows the open ones.",
    "10007": "Concurrent streaming session limit reached (trial tokens: 3): stop one (list_streaming_sessions).",
    "10013": "This avatar is not allowed for streaming on this account: use a public interactive avatar or your own.",
    "10015": "The trial token's streaming limit is reached (3 sessions, 10 minutes each): stop some or use a paid key.",
    # v3 codes (compared in lower case)
    "insufficient_credit": "The HeyGen balance is used up: top up the API wallet (API keys) or the plan's credits "
    "(an OAuth connection spends the web plan's credits).",
    "quota_exceeded": "The account's quota is used up for now: wait for it to reset or upgrade the HeyGen plan.",
    "forbidden": "The connected HeyGen account may not do this: check its plan and permissions.",
    "resource_access_denied": "That resource belongs to another HeyGen account or space: use this account's ids.",
    "avatar_not_found": "No avatar look has that id: call list_avatars (or list_avatars_in_group) for valid ids.",
    "voice_not_found": "No voice has that id: call list_voices for valid voice ids.",
    "video_not_found": "No video has that id on this account: it may have been deleted; list_videos shows what exists.",
    "download_failed": "HeyGen could not fetch a URL you gave: it must be public (it opens in a private window).",
    "request_in_progress": "HeyGen is still handling the first request with this idempotency key: check again shortly.",
    "idempotency_key_reused": "That idempotency_key was already used for a different request: use a new key for a new "
    "request (the same key only for resending the same one).",
    "payload_too_large": "The file or request is too large for HeyGen: assets up to 32 MB go through upload_asset.",
    "401": "HeyGen did not accept the credentials: reconnect HeyGen in Autohive (locally, check HEYGEN_API_KEY).",
    "403": "The connected HeyGen account may not do this: check its plan and permissions.",
    "404": "HeyGen found nothing at that id: check the id (ids from another account are not visible).",
    "429": "HeyGen's concurrency or rate limit was reached: wait for running jobs to finish, then try again.",
    "500": "HeyGen had an internal error: try again in a few minutes.",
    "502": "HeyGen is temporarily unavailable: try again in a few minutes.",
    "503": "HeyGen is temporarily unavailable: try again in a few minutes.",
    "504": "HeyGen timed out answering: try again in a few minutes.",
}

_HINTS_BY_CODE = {code.lower(): hint for code, hint in HINTS.items()}  # HeyGen prints codes in either case

# What to tell the user when a job-creating request may have reached HeyGen but we never saw the answer.
MAYBE_CREATED_HINT = (
    "HeyGen may have received the request and started the job: check get_video_status or list_videos "
    "before trying again, so the job (and its charge) is not doubled."
)

_SECRET_WINDOW = 8
# HeyGen's keys and tokens are long random strings. Shorter strings are hand-made test credentials
# (README's `local`): under MIN_SECRET they are common words and are never replaced (that would turn
# `list_voice_locales` into `list_voice_[redacted]es`); up to LONG_SECRET only where they stand alone.
MIN_SECRET = 8
LONG_SECRET = 16
_TOKENISH = re.compile(r"[A-Za-z0-9_\-.=+/:]{%d,}" % _SECRET_WINDOW)


class HeyGenError(Exception):
    """A HeyGen call that did not give a usable answer.

    `retryable` says the failure is transient; `not_received` says HeyGen certainly did not take the
    request (a 429, or a connection never established), which is the only case where a request that
    creates something may be sent again.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | int | None = None,
        hint: str | None = None,
        retryable: bool = False,
        not_received: bool = False,
        retry_after: float | None = None,
        subject: str | None = None,
        param: str | None = None,
        request_id: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.subject = subject
        self.status = status
        self.code = None if code is None else str(code)
        self.hint = hint
        self.retryable = retryable
        self.not_received = not_received
        self.retry_after = retry_after
        self.param = param if isinstance(param, str) and param else None
        self.request_id = request_id if isinstance(request_id, str) and request_id else None

    def known_hint(self) -> str | None:
        if self.hint:
            return self.hint
        for key in (self.code and self.code.lower(), str(self.status) if self.status else None):
            if key and key in _HINTS_BY_CODE:
                return _HINTS_BY_CODE[key]
        return None

    def describe(self, action: str, secrets: list[str] | tuple = ()) -> str:
        """The contract's wording: `<action> failed: HeyGen <status> (<code>) <message>. Hint: <hint>`."""
        parts = [f"{action} failed:"]
        if self.subject:
            parts.append(self.subject)
        if self.status is not None:
            parts.append(f"HeyGen {self.status}")
        if self.code is not None and self.code != str(self.status):
            parts.append(f"({self.code})")
        parts.append(self.message.rstrip("."))
        if self.param:
            parts.append(f"(field {self.param})")
        text = " ".join(parts) + "."
        if self.request_id:
            text += f" Request id {self.request_id}."
        hint = self.known_hint()
        if hint:
            text += f" Hint: {hint}"
        return redact(text, secrets)


class JobFailed(HeyGenError):
    """A background job that HeyGen reported as failed while we waited on it."""


def redact(text: str, secrets: list[str] | tuple) -> str:
    """Removes every credential from text meant for users or logs.

    A real credential (HeyGen's keys and tokens are long random strings) goes wherever it appears, and so
    does any run of 8+ of its characters. A short hand-made one is replaced only where it stands as a whole
    token, and one shorter than MIN_SECRET not at all, so words that merely contain it are never altered.
    """
    long_ones = [s for s in secrets if s and len(s) >= LONG_SECRET]
    short_ones = [s for s in secrets if s and MIN_SECRET <= len(s) < LONG_SECRET]
    for secret in long_ones:
        text = text.replace(secret, "[redacted]")
    for secret in short_ones:
        text = _whole_token(secret).sub("[redacted]", text)
    if not long_ones:
        return text
    windows = {s[i : i + _SECRET_WINDOW] for s in long_ones for i in range(len(s) - _SECRET_WINDOW + 1)}

    def scrub(match: re.Match) -> str:
        token = match.group(0)
        for i in range(len(token) - _SECRET_WINDOW + 1):
            if token[i : i + _SECRET_WINDOW] in windows:
                trailing = token[len(token.rstrip(".:")) :]  # sentence punctuation is not part of the secret
                return "[redacted]" + trailing
        return token

    return _TOKENISH.sub(scrub, text)


def redact_whole(text: str, secrets: list[str] | tuple) -> str:
    """Outputs (which may be megabytes): whole credentials only; short ones only as whole tokens."""
    for secret in secrets:
        if not secret or len(secret) < MIN_SECRET or secret not in text:
            continue
        text = (
            text.replace(secret, "[redacted]")
            if len(secret) >= LONG_SECRET
            else _whole_token(secret).sub("[redacted]", text)
        )
    return text


@functools.cache
def _whole_token(secret: str) -> re.Pattern:
    return re.compile(r"(?<![A-Za-z0-9_\-.])" + re.escape(secret) + r"(?![A-Za-z0-9_\-])")
