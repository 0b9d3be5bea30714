"""Who the CLI calls HeyGen as: the SDK's auth envelope built from the environment."""

import os

from heygen_cli.errors import CliError

API_KEY_VARIABLE = "HEYGEN_API_KEY"
ACCESS_TOKEN_VARIABLE = "HEYGEN_ACCESS_TOKEN"


def api_key_auth(key: str) -> dict:
    return {"auth_type": "ApiKey", "credentials": {"api_key": key}}


def access_token_auth(token: str) -> dict:
    return {"auth_type": "PlatformOauth2", "credentials": {"access_token": token}}


def auth_from_env(environ=None) -> dict:
    environ = os.environ if environ is None else environ
    key = environ.get(API_KEY_VARIABLE, "").strip()
    token = environ.get(ACCESS_TOKEN_VARIABLE, "").strip()
    if key and token:
        raise CliError(
            f"both {API_KEY_VARIABLE} and {ACCESS_TOKEN_VARIABLE} are set; HeyGen takes one credential: unset one"
        )
    if key:
        return api_key_auth(key)
    if token:
        return access_token_auth(token)
    raise CliError(
        f"no HeyGen credentials: set {API_KEY_VARIABLE} (an API key from HeyGen's settings) or "
        f"{ACCESS_TOKEN_VARIABLE} (an OAuth access token), or pass --sim to use the local simulator"
    )


def secrets_in(auth: dict) -> tuple[str, ...]:
    credentials = auth.get("credentials") or {}
    return tuple(value for value in credentials.values() if isinstance(value, str) and value)


def env_secrets(environ=None) -> tuple[str, ...]:
    """Every credential the environment holds, to scrub from whatever the CLI prints."""
    environ = os.environ if environ is None else environ
    return tuple(v for v in (environ.get(API_KEY_VARIABLE), environ.get(ACCESS_TOKEN_VARIABLE)) if v and v.strip())
