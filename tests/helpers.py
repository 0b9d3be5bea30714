"""Plain helpers the test modules share: HeyGen's answer envelopes, checks of what was sent, and the outcome of
running an action. Fixtures, the credentials and run_action live in tests/conftest.py."""

import io
import json
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlsplit

from autohive_integrations_sdk import ConnectedAccountInfo, ExecutionContext, ResultType
from PIL import Image

import heygen
from tests.conftest import ACCESS_TOKEN, API_KEY, API_KEY_AUTH, OAUTH_AUTH, SECRETS, run_action

# ---------------------------------------------------------------- HeyGen's answers


def v1(data=None):
    """HeyGen's v1 success envelope."""
    return {"code": 100, "data": data, "message": "Success"}


def v2(data):
    """HeyGen's v2 success envelope."""
    return {"error": None, "data": data}


# Video outputs fields only v3 fills; on the legacy API they are null (captioned_video_url mirrors video_url_caption).
V3_ONLY_VIDEO_FIELDS = {"completed_at": None, "subtitle_url": None, "video_page_url": None, "output_language": None}


def pending_video(video_id: str) -> dict:
    """The flat output of a video HeyGen has just accepted: only the id is known yet."""
    return {
        "video_id": video_id,
        "status": "pending",
        "raw_status": None,
        "error": None,
        "video_url": None,
        "thumbnail_url": None,
        "gif_url": None,
        "caption_url": None,
        "video_url_caption": None,
        "duration": None,
        "created_at": None,
        "callback_id": None,
        **V3_ONLY_VIDEO_FIELDS,
        "captioned_video_url": None,
        "timed_out": False,
    }


# ---------------------------------------------------------------- what HeyGen received


def split(url):
    """A URL as (scheme, host, path, sorted query pairs), so the order of query parameters does not matter."""
    parts = urlsplit(url)
    return parts.scheme, parts.netloc, parts.path, sorted(parse_qsl(parts.query))


def check_auth(headers, auth):
    """The plugin's User-Agent and exactly the caller's one credential header."""
    assert headers["User-Agent"] == "AutoHive/1.0"
    # == rather than `is`: pytest imports conftest.py a second time (as main.tests.conftest) for the `auth`
    # fixture, so its dicts equal this module's OAUTH_AUTH without being the same object.
    if auth == OAUTH_AUTH:
        assert headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
        assert "X-Api-Key" not in headers
    else:
        assert headers["X-Api-Key"] == API_KEY
        assert "Authorization" not in headers


def check_request(call, method, url, auth, body=None, *, content_type_only_with_body=True):
    """One request: exact method, URL and query, the caller's one auth header, User-Agent, JSON body (or none).

    content_type_only_with_body: a request without a body must also carry no Content-Type.
    """
    sent_method, sent_url, kwargs = call
    assert sent_method == method
    assert split(sent_url) == split(url)
    check_auth(kwargs["headers"], auth)
    if body is None:
        assert kwargs["data"] is None
        if content_type_only_with_body:
            assert "Content-Type" not in kwargs["headers"]
    else:
        assert kwargs["headers"]["Content-Type"] == "application/json"
        assert json.loads(kwargs["data"]) == body


# ---------------------------------------------------------------- what the workflow got back


def data_of(result):
    """The output of an action that succeeded (the assertion shows what came back instead)."""
    assert result.type == ResultType.ACTION, result.result
    return result.result.data


def error_of(result, *, check_secrets=True):
    """The message of an action that failed; check_secrets: it must not contain either test credential."""
    assert result.type == ResultType.ACTION_ERROR, result.result
    message = result.result.message
    if check_secrets:
        assert not any(secret in message for secret in SECRETS)
    return message


def validation_error_of(result):
    """The message of inputs refused before anything was sent."""
    assert result.type == ResultType.VALIDATION_ERROR, result.result
    return result.result["message"]


async def ok(name: str, inputs: dict) -> dict:
    """Runs an action with the API key (the simulator's credential) and returns its output."""
    return data_of(await run_action(name, inputs, auth=API_KEY_AUTH))


async def failure(name: str, inputs: dict, auth: dict = API_KEY_AUTH) -> str:
    """Runs an action that must fail and returns its message, which must not carry a credential."""
    return error_of(await run_action(name, inputs, auth=auth))


async def connected_account(auth, *, check_type=True):
    """What Integration.get_connected_account gives the platform; check_type: it is a ConnectedAccountInfo."""
    async with ExecutionContext(auth=auth) as context:
        result = await heygen.integration.get_connected_account(context)
    assert result.type == ResultType.CONNECTED_ACCOUNT
    if check_type:
        assert isinstance(result.result, ConnectedAccountInfo)
    return result.result


async def poll_video_completed(inputs: dict, last_poll_ts, auth=OAUTH_AUTH) -> list[dict]:
    """One poll of the video_completed trigger, as the platform runs it."""
    async with ExecutionContext(auth=auth) as context:
        return await heygen.integration.execute_polling_trigger("video_completed", inputs, last_poll_ts, context)


# ---------------------------------------------------------------- inputs


def words(count: int) -> str:
    """A script of exactly `count` words."""
    return " ".join(["word"] * count)


def iso(seconds: float) -> str:
    """A Unix time as the ISO 8601 UTC timestamp the platform passes as last_poll_ts."""
    return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat()


def solid_png(width: int = 64, height: int = 48, color: tuple = (200, 40, 90)) -> bytes:
    """A real PNG image of one colour, for uploads."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()
