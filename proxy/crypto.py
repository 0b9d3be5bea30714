"""The organisations' HeyGen credentials at rest: AES-256-GCM, the organisation id as associated data.

A stored value reads `v1.<key id>.<base64url(nonce || ciphertext || tag)>`. The key id (the first 12 hex
digits of the master key's SHA-256) says which master key sealed it, so after a rotation values sealed by a
previous key still open while `reencrypt` moves them to the current one. The associated data binds a value
to its organisation: copied into another organisation's row, it no longer opens.
"""

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from proxy.settings import Settings

FORMAT = "v1"
KEY_FILE_NAME = "master.key"


class MasterKeyError(Exception):
    pass


def new_master_key() -> str:
    """32 random bytes in URL-safe base64: the form PROXY_MASTER_KEY and the key file take."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def decode_master_key(text: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise MasterKeyError("a master key is 32 random bytes in URL-safe base64 (python -m proxy master-key)")
    return raw


def key_id_of(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:12]


class Vault:
    """Seals and opens credentials; also derives the key that signs browser tokens."""

    def __init__(self, current: bytes, previous: tuple[bytes, ...] = ()):
        self.key_id = key_id_of(current)
        self._keys = {key_id_of(k): AESGCM(k) for k in (*previous, current)}
        self._current = AESGCM(current)
        self.token_signing_key = HKDF(SHA256(), 32, salt=None, info=b"heygen-proxy browser tokens").derive(current)

    def seal(self, org_id: str, plaintext: str) -> str:
        nonce = os.urandom(12)
        sealed = self._current.encrypt(nonce, plaintext.encode(), _aad(org_id))
        return f"{FORMAT}.{self.key_id}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def open(self, org_id: str, stored: str) -> str:
        version, key_id, payload = (stored.split(".", 2) + ["", ""])[:3]
        if version != FORMAT or key_id not in self._keys:
            raise MasterKeyError(f"the credential of {org_id} was sealed by master key {key_id}, which is not loaded")
        raw = base64.urlsafe_b64decode(payload)
        try:
            return self._keys[key_id].decrypt(raw[:12], raw[12:], _aad(org_id)).decode()
        except Exception:
            raise MasterKeyError(f"the credential of {org_id} does not open with master key {key_id}") from None

    def sealed_by_current(self, stored: str) -> bool:
        return stored.split(".", 2)[1:2] == [self.key_id]

    def sign(self, payload: bytes) -> bytes:
        return hmac.new(self.token_signing_key, payload, hashlib.sha256).digest()


def _aad(org_id: str) -> bytes:
    return f"heygen-proxy/org/{org_id}".encode()


def load_vault(settings: Settings, *, create: bool = False) -> Vault:
    """The master key from PROXY_MASTER_KEY, PROXY_MASTER_KEY_FILE or the data folder's key file.

    With `create` (the embedded default's first start) a missing key file is made, readable by its owner only.
    """
    previous = tuple(decode_master_key(k) for k in settings.previous_master_keys)
    if settings.master_key:
        return Vault(decode_master_key(settings.master_key), previous)
    path = settings.master_key_file or settings.data_dir / KEY_FILE_NAME
    if not path.exists():
        if not (create and settings.master_key_file is None and settings.embedded):
            raise MasterKeyError(
                f"no master key: set PROXY_MASTER_KEY or PROXY_MASTER_KEY_FILE (missing: {path}); "
                "python -m proxy master-key prints a new one"
            )
        write_key_file(path, new_master_key())
    return Vault(decode_master_key(path.read_text().strip()), previous)


def write_key_file(path: Path, key: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key + "\n")
    Path(path).chmod(0o600)
