"""Where the proxy keeps its state and which limits it applies, read once from the environment.

The embedded default needs nothing: a SQLite file and a master key file under `.data/proxy/` of the
repository (git-ignored), created on first start. Past one machine, PROXY_DATABASE_URL and PROXY_REDIS_URL
point every process at the same PostgreSQL and Redis.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPOSITORY / ".data" / "proxy"
MIB = 1024 * 1024


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number (got {value!r})") from None


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str = ""
    redis_url: str = ""
    master_key: str = ""
    master_key_file: Path | None = None
    previous_master_keys: tuple[str, ...] = ()
    store_scripts: bool = False
    allow_private_fetch: bool = False
    key_rpm: int = 120
    org_rpm: int = 600
    generation_concurrency: int = 4
    token_max_seconds: int = 900
    key_cache_seconds: float = 1.0
    json_limit: int = MIB
    upload_limit: int = 32 * 1000 * 1000
    cors_origins: tuple[str, ...] = field(default_factory=tuple)

    @property
    def embedded(self) -> bool:
        """True for one machine's SQLite file, where a master key file may be created beside it."""
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls) -> "Settings":
        data_dir = Path(os.environ.get("PROXY_DATA_DIR") or DEFAULT_DATA_DIR)
        database_url = os.environ.get("PROXY_DATABASE_URL") or f"sqlite+aiosqlite:///{data_dir / 'proxy.sqlite3'}"
        key_file = os.environ.get("PROXY_MASTER_KEY_FILE")
        previous = tuple(k.strip() for k in os.environ.get("PROXY_PREVIOUS_MASTER_KEYS", "").split(",") if k.strip())
        origins = tuple(o.strip() for o in os.environ.get("PROXY_CORS_ORIGINS", "").split(",") if o.strip())
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            redis_url=os.environ.get("PROXY_REDIS_URL", ""),
            master_key=os.environ.get("PROXY_MASTER_KEY", "").strip(),
            master_key_file=Path(key_file) if key_file else None,
            previous_master_keys=previous,
            store_scripts=_flag("PROXY_STORE_SCRIPTS"),
            allow_private_fetch=_flag("PROXY_ALLOW_PRIVATE_FETCH"),
            key_rpm=_int("PROXY_KEY_RPM", 120),
            org_rpm=_int("PROXY_ORG_RPM", 600),
            generation_concurrency=_int("PROXY_GENERATION_CONCURRENCY", 4),
            key_cache_seconds=float(os.environ.get("PROXY_KEY_CACHE_SECONDS") or 1.0),
            cors_origins=origins,
        )
