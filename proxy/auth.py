"""Who is calling: organisation API keys (`Api-Key hgp_…`) and short-lived browser tokens (`Bearer hgt_…`).

A key is `hgp_<key id>_<secret>`; only the SHA-256 of the whole key is stored, found by its key id and
compared in constant time. A browser token is signed, not stored: `hgt_<payload>.<signature>`, naming its
organisation, its minting key, its scopes (never admin) and its expiry (at most 15 minutes). Every use
checks the minting key again, so revoking a key ends its tokens too. A token cannot mint another token.
"""

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
import time
from dataclasses import dataclass

from proxy.db import ApiKey, Org, now
from proxy.store import SCOPES, Store

KEY_PREFIX = "hgp"
TOKEN_PREFIX = "hgt_"
KEY_PATTERN = re.compile(r"^hgp_([0-9a-f]{16})_([A-Za-z0-9_\-]{20,})$")
TOKEN_SCOPES = ("read", "generate")
# What logs and error messages must never show: keys and tokens, whatever surrounds them.
SECRET_PATTERN = re.compile(r"\b(hgp_[0-9a-f]{16}_)[A-Za-z0-9_\-]+|\bhgt_[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+")


class AuthError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class Caller:
    org: Org
    key: ApiKey
    scopes: frozenset
    via_token: bool

    @property
    def key_id(self) -> str:
        return self.key.key_id


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key(org_id: str, scopes: list[str], rpm: int, expires_days: int | None) -> tuple[ApiKey, str]:
    """A new key row and the key itself, which is shown once and never stored."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise ValueError(f"scopes must be some of {', '.join(SCOPES)} (got {', '.join(scopes) or 'none'})")
    key_id = secrets.token_hex(8)
    key = f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    expires = now() + dt.timedelta(days=expires_days) if expires_days else None
    row = ApiKey(
        key_id=key_id,
        org_id=org_id,
        secret_hash=hash_key(key),
        scopes=",".join(s for s in SCOPES if s in scopes),
        rpm=rpm,
        expires_at=expires,
    )
    return row, key


def mint_token(store: Store, caller: Caller, scopes: list[str] | None, seconds: int) -> tuple[str, float]:
    wanted = set(scopes) if scopes is not None else set(caller.scopes) & set(TOKEN_SCOPES)
    if not wanted <= set(TOKEN_SCOPES):
        raise AuthError(400, "invalid_scope", "tokens carry only the read and generate scopes (never admin)")
    if not wanted <= caller.scopes:
        raise AuthError(403, "missing_scope", "a token cannot carry a scope its minting key does not have")
    if not wanted:
        raise AuthError(400, "invalid_scope", "a token needs at least one scope (read or generate)")
    expires = time.time() + seconds
    payload = {"o": caller.org.org_id, "k": caller.key_id, "s": sorted(wanted), "e": int(expires)}
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    return f"{TOKEN_PREFIX}{body}.{_b64(store.vault.sign(body.encode()))}", expires


async def authenticate(store: Store, header: str | None) -> Caller:
    scheme, _, credential = (header or "").strip().partition(" ")
    credential = credential.strip()
    if not credential:
        raise AuthError(401, "unauthenticated", "send Authorization: Api-Key <key> or Authorization: Bearer <token>")
    if scheme.lower() in ("api-key", "api-token", "token"):
        return await _by_key(store, credential)
    if scheme.lower() == "bearer":
        return await _by_token(store, credential)
    raise AuthError(401, "unauthenticated", "the Authorization scheme must be Api-Key or Bearer")


async def _by_key(store: Store, key: str) -> Caller:
    match = KEY_PATTERN.match(key)
    found = await store.key_with_org(match.group(1)) if match else None
    # compared even when nothing was found, so a wrong key id and a wrong secret take the same time
    expected = found[0].secret_hash if found else hash_key("no such key")
    if not hmac.compare_digest(expected, hash_key(key)) or found is None:
        raise AuthError(401, "unknown_key", "the API key is not known (or was mistyped)")
    api_key, org = found
    _check_usable(api_key)
    return Caller(org, api_key, frozenset(api_key.scopes.split(",")), via_token=False)


async def _by_token(store: Store, token: str) -> Caller:
    body, _, signature = token.removeprefix(TOKEN_PREFIX).partition(".")
    valid = token.startswith(TOKEN_PREFIX) and hmac.compare_digest(_b64(store.vault.sign(body.encode())), signature)
    if not valid:
        raise AuthError(401, "unknown_token", "the token is not valid")
    payload = json.loads(_unb64(body))
    if payload["e"] < time.time():
        raise AuthError(401, "token_expired", "the token expired: ask your backend for a new one")
    found = await store.key_with_org(payload["k"])
    if found is None or found[1].org_id != payload["o"]:
        raise AuthError(401, "unknown_token", "the token is not valid")
    api_key, org = found
    _check_usable(api_key)
    scopes = frozenset(payload["s"]) & frozenset(api_key.scopes.split(","))
    return Caller(org, api_key, scopes, via_token=True)


def _check_usable(key: ApiKey) -> None:
    if key.revoked_at is not None:
        raise AuthError(401, "key_revoked", f"key {key.key_id} was revoked")
    expires = key.expires_at
    if expires is not None:
        if expires.tzinfo is None:  # SQLite hands back naive UTC datetimes
            expires = expires.replace(tzinfo=dt.UTC)
        if expires <= now():
            raise AuthError(401, "key_expired", f"key {key.key_id} expired")


def redact_secrets(text: str) -> str:
    return SECRET_PATTERN.sub(lambda m: (m.group(1) or "hgt_") + "[redacted]", text)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
