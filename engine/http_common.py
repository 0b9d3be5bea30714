"""What every API response shares: the error format, API keys (kept hashed), rate limiting with its
headers, and the server's settings read from the environment."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field

from aiohttp import web

from .errors import EngineError
from .jobs import now

LOG = logging.getLogger("engine")


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: str = ".data/engine"
    key_hashes: list[str] = field(default_factory=list)
    rate_limit: int = 100
    rate_window: float = 3600.0
    workers: int = 2
    sync_seconds: float = 20.0  # renders of scripts shorter than this finish within the request
    redis_url: str = ""
    public_url: str = ""
    openai_base_url: str = ""
    openai_api_key: str = ""
    openai_model: str = "gpt-4o-mini"
    translate_url: str = ""

    @classmethod
    def from_env(cls, env=os.environ) -> "Settings":
        keys = [k.strip() for k in env.get("ENGINE_API_KEYS", "").split(",") if k.strip()]
        return cls(
            host=env.get("ENGINE_HOST", env.get("HEYGEN_API_HOST", "127.0.0.1")),
            port=int(env.get("ENGINE_PORT", env.get("HEYGEN_API_PORT", "8000"))),
            data_dir=env.get("ENGINE_DATA_DIR", ".data/engine"),
            key_hashes=[_hash(k) for k in keys],
            rate_limit=int(env.get("ENGINE_RATE_LIMIT", "100")),
            rate_window=float(env.get("ENGINE_RATE_WINDOW_SECONDS", "3600")),
            workers=int(env.get("ENGINE_WORKERS", "2")),
            sync_seconds=float(env.get("ENGINE_SYNC_SECONDS", "20")),
            redis_url=env.get("ENGINE_REDIS_URL", ""),
            public_url=env.get("ENGINE_PUBLIC_URL", ""),
            openai_base_url=env.get(
                "OPENAI_BASE_URL", "https://api.openai.com/v1" if env.get("OPENAI_API_KEY") else ""
            ),
            openai_api_key=env.get("OPENAI_API_KEY", ""),
            openai_model=env.get("OPENAI_MODEL", "gpt-4o-mini"),
            translate_url=env.get("ENGINE_TRANSLATE_URL", ""),
        )


def error_response(status: int, code: str, message: str, details: dict | None = None, headers=None) -> web.Response:
    body = {"error": message, "error_code": code, "details": details or {}, "timestamp": now()}
    return web.json_response(body, status=status, headers=headers)


class RateLimiter:
    """A fixed window per client address: `limit` requests per `window` seconds."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._counts: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def hit(self, client: str) -> tuple[bool, int, int]:
        """(allowed, remaining, seconds until the window resets)."""
        moment = time.monotonic()
        with self._lock:
            start, count = self._counts.get(client, (moment, 0))
            if moment - start >= self.window:
                start, count = moment, 0
            count += 1
            self._counts[client] = (start, count)
            if len(self._counts) > 10000:  # forget idle clients so memory stays bounded
                self._counts = {k: v for k, v in self._counts.items() if moment - v[0] < self.window}
        reset = max(0, int(start + self.window - moment))
        return count <= self.limit, max(0, self.limit - count), reset


def middlewares(settings: Settings, limiter: RateLimiter):
    @web.middleware
    async def guard(request: web.Request, handler):
        api = request.path.startswith("/api/v1")
        headers = {}
        if api:
            allowed, remaining, reset = limiter.hit(request.remote or "unknown")
            headers = {
                "X-RateLimit-Limit": str(limiter.limit),
                "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": str(reset),
            }
            if not allowed:
                headers["Retry-After"] = str(reset)
                return error_response(
                    429, "RATE_LIMITED", f"rate limit of {limiter.limit} requests exceeded", {}, headers
                )
            if settings.key_hashes and not request.path.endswith(("/health", "/openapi.json")):
                given = request.headers.get("X-API-Key", "")
                if not any(hmac.compare_digest(_hash(given), h) for h in settings.key_hashes):
                    return error_response(
                        401, "UNAUTHORIZED", "X-API-Key is missing or not valid", {"field": "X-API-Key"}, headers
                    )
        try:
            response = await handler(request)
        except EngineError as error:
            response = error_response(error.status, error.code, error.message, error.details)
        except web.HTTPException as error:
            if error.status < 400:
                raise
            code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "PAYLOAD_TOO_LARGE"}.get(
                error.status, "HTTP_ERROR"
            )
            response = error_response(error.status, code, error.reason)
        except json.JSONDecodeError as error:
            response = error_response(400, "INVALID_JSON", f"body: not valid JSON ({error.msg})", {"field": "body"})
        except Exception:  # nothing escapes as a stack trace; the log keeps it, the client gets the format
            LOG.exception("unexpected error on %s", request.path)
            response = error_response(500, "INTERNAL_ERROR", "internal server error")
        response.headers.update(headers)
        return response

    return [guard]
