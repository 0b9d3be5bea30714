"""The one way this plugin talks to HeyGen.

It owns the hosts, the headers (auth and User-Agent), envelope unwrapping, error mapping, retries and
timeouts. Handlers only say which endpoint, which body and which output.

Why aiohttp rather than the SDK's `context.fetch`: fetch resends every request that timed out, POSTs
included (a second video is a second charge), cannot read an HTTP-date `Retry-After`, returns binary
downloads as corrupted text, and prints response bodies. This layer keeps the context's settings (its
credentials and its timeout) and does the rest itself.
"""

import asyncio
import json
import os
import random
import time
from dataclasses import dataclass
from typing import Any

import aiohttp
import yarl

from heygen_core.downloads import DownloadError, fetch_public
from heygen_core.answers import interpret, parse_retry_after, status_error, unwrap  # noqa: F401 (re-exported)
from heygen_core.errors import MAYBE_CREATED_HINT, HeyGenError
from heygen_core.pool import USER_AGENT, shared_session

DEFAULT_HOSTS = {
    "api": ("HEYGEN_API_URL", "https://api.heygen.com"),
    "upload": ("HEYGEN_UPLOAD_URL", "https://upload.heygen.com"),
    "auth": ("HEYGEN_AUTH_URL", "https://api2.heygen.com"),
}
DEFAULT_TIMEOUT_SECONDS = 30.0
TOO_LARGE_HINT = "Raise max_megabytes (within its limit) or use the URL from get_video_status instead."
SAFE_METHODS = frozenset({"GET", "HEAD", "DELETE", "PATCH", "PUT"})


class FileTooLarge(HeyGenError):
    """A download stopped at its size cap."""


def host(name: str) -> str:
    """The base URL for one of HeyGen's hosts, from the environment or the real default."""
    variable, default = DEFAULT_HOSTS[name]
    return (os.environ.get(variable) or default).rstrip("/")


def credentials_of(auth: dict | None) -> dict:
    credentials = (auth or {}).get("credentials") if isinstance(auth, dict) else None
    return credentials if isinstance(credentials, dict) else {}


def auth_headers(auth: dict | None) -> dict:
    """Bearer for the platform's OAuth token, X-Api-Key for an API key; never both."""
    credentials = credentials_of(auth)
    if credentials.get("access_token"):
        return {"Authorization": f"Bearer {credentials['access_token']}"}
    if credentials.get("api_key"):
        return {"X-Api-Key": str(credentials["api_key"])}
    raise HeyGenError(
        "no HeyGen credentials in the connection",
        hint="Connect HeyGen in Autohive, or set HEYGEN_API_KEY for local use.",
    )


def secrets_of(auth: dict | None) -> tuple:
    return tuple(str(v) for v in credentials_of(auth).values() if isinstance(v, str) and v)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try again. Reads retry on transient failures; creations only when HeyGen refused them."""

    attempts: int = 4
    total_seconds: float = 60.0
    max_retry_after: float = 30.0
    base_delay: float = 0.5
    max_delay: float = 8.0

    def backoff(self, attempt: int) -> float:
        delay = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return delay * random.uniform(0.8, 1.2)


DEFAULT_RETRY = RetryPolicy()


class HeyGenClient:
    """Requests for one action run: one aiohttp session, the caller's credentials, the retry policy."""

    def __init__(
        self, auth: dict | None, *, timeout: float = DEFAULT_TIMEOUT_SECONDS, retry: RetryPolicy | None = None
    ):
        self._auth = auth
        self.timeout = float(timeout or DEFAULT_TIMEOUT_SECONDS)
        self.retry = retry or DEFAULT_RETRY
        self.secrets = secrets_of(auth)
        self._session: aiohttp.ClientSession | None = None

    @classmethod
    def from_context(cls, context) -> "HeyGenClient":
        config = getattr(context, "config", None) or {}
        return cls(getattr(context, "auth", None), timeout=config.get("timeout") or DEFAULT_TIMEOUT_SECONDS)

    async def __aenter__(self) -> "HeyGenClient":
        self._session = await shared_session()  # the process's pool: connections outlive this action run
        return self

    async def __aexit__(self, *exc) -> None:
        self._session = None

    async def get(self, path: str, params: dict | None = None, **options) -> Any:
        return await self.call("GET", path, params=params, **options)

    async def post(self, path: str, body: dict | None = None, **options) -> Any:
        return await self.call("POST", path, json_body=body if body is not None else {}, **options)

    async def patch(self, path: str, body: dict | None = None, **options) -> Any:
        return await self.call("PATCH", path, json_body=body if body is not None else {}, **options)

    async def delete(self, path: str, params: dict | None = None, **options) -> Any:
        return await self.call("DELETE", path, params=params, **options)

    async def call(
        self,
        method: str,
        path: str,
        *,
        host_name: str = "api",
        params: dict | None = None,
        json_body: Any = None,
        raw_body: bytes | None = None,
        content_type: str | None = None,
        timeout: float | None = None,
        safe_to_retry: bool | None = None,
        retry: RetryPolicy | None = None,
        idempotency_key: str | None = None,
        form=None,
    ) -> Any:
        """Sends one logical request, retrying only where that cannot double a job; returns the unwrapped data.

        With an `idempotency_key` (v3 creates) HeyGen replays the first answer instead of creating again, so
        the request is resent on timeouts, drops and 502/504 too, always with the same key.
        """
        safe = bool(idempotency_key) or (method in SAFE_METHODS if safe_to_retry is None else safe_to_retry)
        policy = retry or self.retry
        url = yarl.URL(host(host_name) + path, encoded=True)  # encoded: dot segments in ids stay as sent
        headers = auth_headers(self._auth)
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        if form is not None:
            body: Any = form  # a multipart body is built anew for every attempt (aiohttp sends one only once)
        elif raw_body is not None:
            body = raw_body
            headers["Content-Type"] = content_type or "application/octet-stream"
        elif json_body is not None:
            body = json_text(json_body)
            headers["Content-Type"] = "application/json"
        else:
            body = None
        query = _query(params)
        route, limit = f"{method} {path}", timeout or self.timeout
        return await self._retrying(
            lambda: self._send_once(method, url, query, body, headers, limit, safe, route), safe, policy
        )

    @staticmethod
    async def _retrying(send, may_resend: bool, policy: RetryPolicy) -> Any:
        """Repeats `send` while its failure is transient and the policy's count, caps and total time allow.

        A request that may have reached HeyGen is repeated only when `may_resend`; one HeyGen certainly did not
        take (`not_received`) always may be.
        """
        deadline = time.monotonic() + policy.total_seconds
        attempt = 0
        while True:
            attempt += 1
            try:
                return await send()
            except HeyGenError as error:
                may_repeat = error.retryable and (may_resend or error.not_received)
                if not may_repeat or attempt >= policy.attempts:
                    raise
                delay = error.retry_after if error.retry_after is not None else policy.backoff(attempt)
                if delay > policy.max_retry_after or time.monotonic() + delay > deadline:
                    raise
                await asyncio.sleep(delay)

    async def _send_once(self, method, url, query, body, headers, timeout, safe, route="") -> Any:
        if self._session is None:
            raise RuntimeError("HeyGenClient used outside 'async with'")
        try:
            async with self._session.request(
                method,
                url,
                params=query,
                data=body() if callable(body) else body,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as response:
                text = await response.text(errors="replace")
                return interpret(response.status, response.headers, text, safe, route)
        except HeyGenError:
            raise
        except aiohttp.ClientConnectorError as error:
            raise HeyGenError(
                f"could not connect to HeyGen ({type(error).__name__})",
                hint="Check the network, or HEYGEN_API_URL when using a local server.",
                retryable=True,
                not_received=True,
            ) from None
        except (asyncio.TimeoutError, TimeoutError):
            raise HeyGenError(
                f"no answer from HeyGen within {timeout:g} s",
                hint=None if safe else MAYBE_CREATED_HINT,
                retryable=True,
            ) from None
        except (aiohttp.ClientError, ConnectionError) as error:
            raise HeyGenError(
                f"the connection to HeyGen broke before its answer arrived ({type(error).__name__})",
                hint=None if safe else MAYBE_CREATED_HINT,
                retryable=True,
            ) from None

    async def download(self, url: str, *, max_bytes: int, timeout: float | None = None) -> tuple[bytes, str | None]:
        """A media URL fetched by `downloads.fetch_public`'s rules (public addresses only, no HeyGen credential),
        into memory, refusing past max_bytes. A URL those rules refuse raises `UnsafeURL` for the caller to word.
        """
        limit = timeout or max(self.timeout, 120.0)
        return await self._retrying(lambda: self._download_once(url, max_bytes, limit), True, self.retry)

    @staticmethod
    async def _download_once(url: str, max_bytes: int, timeout: float) -> tuple[bytes, str | None]:
        try:
            return await fetch_public(url, max_bytes=max_bytes, timeout=timeout, user_agent=USER_AGENT)
        except DownloadError as error:
            if error.too_large:
                raise FileTooLarge(error.message, hint=TOO_LARGE_HINT) from None
            if error.status is not None:
                raise status_error(error.status, error.headers, "") from None
            raise HeyGenError(error.message, status=error.status, retryable=error.retryable) from None


def json_text(value: Any) -> str:
    """The body as JSON; NaN and Infinity are not JSON, so such a body is never sent."""
    try:
        return json.dumps(value, allow_nan=False)
    except ValueError:
        raise HeyGenError("the request holds a number that is not finite (NaN or Infinity); nothing was sent") from None


def _query(params: dict | None) -> dict | None:
    if not params:
        return None
    query = {}
    for key, value in params.items():
        if value is None:
            continue
        query[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return query or None
