"""heygen_core's HTTP layer and error wording, tested directly: Retry-After, envelopes, redaction, headers."""

import json
import time
from types import SimpleNamespace

import pytest
from aioresponses import aioresponses

from heygen_core import answers, client
from heygen_core.client import HeyGenClient, auth_headers, host, parse_retry_after, unwrap
from heygen_core.action import without_secrets
from heygen_core.errors import HeyGenError, JobFailed, redact
from tests.conftest import ACCESS_TOKEN, API, API_KEY, API_KEY_AUTH, OAUTH_AUTH

SECRET = "hg-test-api-key-0123456789abcdef"


# ---------------------------------------------------------------- parse_retry_after


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("5", 5.0), ("0", 0.0), ("2.5", 2.5), (" 7 ", 7.0), ("-3", 0.0), ("120", 120.0)],
)
def test_parse_retry_after_seconds(value, seconds):
    assert parse_retry_after(value) == seconds


@pytest.mark.parametrize("value", [None, "", "soon", "Wed, 99 Foo 2015"])
def test_parse_retry_after_absent_or_unreadable_is_none(value):
    assert parse_retry_after(value) is None


def test_parse_retry_after_http_date_in_the_future(monkeypatch):
    # Wed, 21 Oct 2015 07:28:00 GMT is epoch 1445412480.
    monkeypatch.setattr(answers, "time", SimpleNamespace(time=lambda: 1445412480.0 - 90, monotonic=time.monotonic))

    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 90.0


def test_parse_retry_after_http_date_in_the_past_is_zero(monkeypatch):
    monkeypatch.setattr(client, "time", SimpleNamespace(time=lambda: 1445412480.0 + 3600, monotonic=time.monotonic))

    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_parse_retry_after_http_date_against_the_real_clock():
    from email.utils import formatdate

    value = formatdate(time.time() + 60, usegmt=True)

    assert 58.0 <= parse_retry_after(value) <= 60.0


# ---------------------------------------------------------------- unwrap


@pytest.mark.parametrize(
    ("body", "data"),
    [
        ({"code": 100, "data": {"video_id": "v1"}, "message": "Success"}, {"video_id": "v1"}),
        ({"code": 100, "data": {"video_id": "v1"}, "msg": "Success"}, {"video_id": "v1"}),
        ({"code": 100, "data": None, "message": "Success"}, None),
        ({"error": None, "data": {"generation_id": "g1"}}, {"generation_id": "g1"}),
        ({"error": None, "data": []}, []),
        ({"data": [{"id": "a"}], "has_more": True, "next_token": "t2"}, [{"id": "a"}]),
        ({"data": {"id": "me"}}, {"id": "me"}),
        ({"error": {}, "data": {"ok": True}}, {"ok": True}),
        ({"token": "abc"}, {"token": "abc"}),
        ([1, 2], [1, 2]),
        (None, None),
        ("plain text", "plain text"),
    ],
    ids=[
        "v1",
        "v1_msg",
        "v1_null_data",
        "v2",
        "v2_empty_list",
        "v3_list",
        "v3_object",
        "v2_empty_error_object",
        "no_envelope",
        "list",
        "none",
        "text",
    ],
)
def test_unwrap_returns_the_data(body, data):
    assert unwrap(body) == data


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({"code": 40104, "message": "Video not found"}, "40104", "Video not found"),
        ({"code": 400, "msg": "Invlid parameters"}, "400", "Invlid parameters"),
        ({"error": {"code": "invalid_parameter", "message": "No face"}, "data": None}, "invalid_parameter", "No face"),
        ({"error": {"code": 400105, "message": "Blocked words"}, "data": None}, "400105", "Blocked words"),
        ({"error": {"code": 40119, "detail": "Too long"}, "data": None}, "40119", "Too long"),
        (
            {"error": {"code": "not_found", "message": "No such video", "param": "video_id", "doc_url": None}},
            "not_found",
            "No such video",
        ),
        ({"error": "Something failed", "data": None}, None, "Something failed"),
        ({"error": {"code": "x"}, "data": None}, "x", "HeyGen reported an error"),
    ],
    ids=["v1", "v1_msg", "v2", "v2_int_code", "v2_detail", "v3", "string_error", "no_message"],
)
def test_unwrap_raises_on_an_error_envelope(body, code, message):
    with pytest.raises(HeyGenError) as raised:
        unwrap(body)

    assert (raised.value.code, raised.value.message, raised.value.status) == (code, message, None)
    assert raised.value.retryable is False


# ---------------------------------------------------------------- redact


def test_redact_removes_the_whole_secret():
    assert redact(f"bad key {SECRET} given", [SECRET]) == "bad key [redacted] given"


def test_redact_removes_every_occurrence_and_every_secret():
    other = "tok-9f8e7d6c5b4a3210"
    text = f"{SECRET}/{other} and again {SECRET}"

    assert redact(text, [SECRET, other]) == "[redacted]/[redacted] and again [redacted]"


@pytest.mark.parametrize("piece", [SECRET[:8], SECRET[8:16], SECRET[-8:], SECRET[5:17]])
def test_redact_removes_a_token_holding_an_8_character_piece(piece):
    assert redact(f"prefix {piece} suffix", [SECRET]) == "prefix [redacted] suffix"


def test_redact_removes_a_piece_inside_a_longer_word():
    assert redact(f"id=xx{SECRET[10:18]}yy, ok", [SECRET]) == "[redacted], ok"


def test_redact_leaves_a_7_character_piece_alone():
    piece = SECRET[16:23]

    assert redact(f"code {piece} here", [SECRET]) == f"code {piece} here"


def test_redact_leaves_short_secrets_and_short_strings_alone():
    assert redact("abc is in abcdef", ["abc"]) == "abc is in abcdef"
    assert redact("ok", [SECRET]) == "ok"
    assert redact("Video not found (40104)", [SECRET]) == "Video not found (40104)"


def test_redact_without_secrets_returns_the_text():
    assert redact(f"{SECRET}", []) == SECRET
    assert redact(f"{SECRET}", ["", None]) == SECRET


@pytest.mark.parametrize("short_key", ["local", "video", "4821"])
def test_redact_never_alters_text_that_holds_a_short_test_credential(short_key):
    """README's `HEYGEN_API_KEY=local`: no HeyGen credential is that short, and words containing it stay whole."""
    text = 'list_voice_locales gave "es"; get_video_status: the video link is local, pin 4821'

    assert redact(text, [short_key]) == text
    assert without_secrets({"locales": ["es", "local"], "file_type": "video"}, (short_key,)) == {
        "locales": ["es", "local"],
        "file_type": "video",
    }


def test_redact_a_mid_length_credential_only_where_it_stands_alone():
    assert redact("key sim-local-key refused; sim-local-keys and xsim-local-key stay", ["sim-local-key"]) == (
        "key [redacted] refused; sim-local-keys and xsim-local-key stay"
    )


def test_a_long_credential_goes_wherever_it_appears_even_inside_a_word():
    assert redact(f"a{SECRET}b", [SECRET]) == "a[redacted]b"
    assert without_secrets({"k": f"x{SECRET}y"}, (SECRET,)) == {"k": "x[redacted]y"}


# ---------------------------------------------------------------- HeyGenError wording


def test_describe_full_wording():
    error = HeyGenError("Video is too long (> 3600.0s).", status=400, code=40119)

    assert error.describe("create_avatar_video") == (
        "create_avatar_video failed: HeyGen 400 (40119) Video is too long (> 3600.0s). Hint: The video is longer "
        "than your plan allows: shorten the script, split it across videos, or upgrade."
    )


def test_describe_leaves_out_a_code_equal_to_the_status_and_falls_back_to_the_status_hint():
    error = HeyGenError("Not Found", status=404, code=404)

    assert error.describe("get_video_status") == (
        "get_video_status failed: HeyGen 404 Not Found. Hint: HeyGen found nothing at that id: check the id "
        "(ids from another account are not visible)."
    )


def test_describe_without_status_or_hint():
    assert HeyGenError("something odd", code="weird").describe("list_voices") == (
        "list_voices failed: (weird) something odd."
    )


def test_describe_an_explicit_hint_wins_over_the_table():
    error = HeyGenError("nope", status=429, hint="Wait a minute.")

    assert error.describe("list_voices") == "list_voices failed: HeyGen 429 nope. Hint: Wait a minute."


def test_describe_a_failed_job_names_it():
    error = JobFailed("No face detected", subject="job g1 ended as failed:")

    assert error.describe("check_generation_status") == (
        "check_generation_status failed: job g1 ended as failed: No face detected."
    )


def test_describe_redacts_secrets():
    error = HeyGenError(f"token {ACCESS_TOKEN} expired", status=401, code=401056)

    text = error.describe("list_voices", [ACCESS_TOKEN])

    assert text == (
        "list_voices failed: HeyGen 401 (401056) token [redacted] expired. "
        "Hint: The HeyGen access token expired: reconnect HeyGen in Autohive."
    )


# ---------------------------------------------------------------- hosts and headers


def test_hosts_default_to_heygen(monkeypatch):
    assert (host("api"), host("upload"), host("auth")) == (
        "https://api.heygen.com",
        "https://upload.heygen.com",
        "https://api2.heygen.com",
    )


def test_hosts_come_from_the_environment_without_trailing_slash(monkeypatch):
    monkeypatch.setenv("HEYGEN_API_URL", "http://127.0.0.1:8765/")
    monkeypatch.setenv("HEYGEN_UPLOAD_URL", "http://127.0.0.1:8766")

    assert (host("api"), host("upload"), host("auth")) == (
        "http://127.0.0.1:8765",
        "http://127.0.0.1:8766",
        "https://api2.heygen.com",
    )


def test_auth_headers_bearer_for_a_token():
    assert auth_headers(OAUTH_AUTH) == {"Authorization": f"Bearer {ACCESS_TOKEN}"}


def test_auth_headers_api_key_for_a_key():
    assert auth_headers(API_KEY_AUTH) == {"X-Api-Key": API_KEY}


def test_auth_headers_never_both():
    both = {"auth_type": "Custom", "credentials": {"api_key": API_KEY, "access_token": ACCESS_TOKEN}}

    assert auth_headers(both) == {"Authorization": f"Bearer {ACCESS_TOKEN}"}


@pytest.mark.parametrize("auth", [None, {}, {"credentials": None}, {"credentials": {"api_key": ""}}, "token"])
def test_auth_headers_without_credentials_raise_a_clear_error(auth):
    with pytest.raises(HeyGenError) as raised:
        auth_headers(auth)

    assert raised.value.describe("x") == (
        "x failed: no HeyGen credentials in the connection. "
        "Hint: Connect HeyGen in Autohive, or set HEYGEN_API_KEY for local use."
    )


# ---------------------------------------------------------------- HeyGenClient at the wire


async def test_client_get_formats_the_query_and_sends_the_headers():
    with aioresponses() as wire:
        wire.get(f"{API}/v2/avatar_group.list?include_public=false&limit=5", payload={"error": None, "data": {"x": 1}})
        async with HeyGenClient(API_KEY_AUTH) as api:
            data = await api.get("/v2/avatar_group.list", {"include_public": False, "limit": 5, "page": None})

    assert data == {"x": 1}
    ((key, calls),) = wire.requests.items()
    assert key[0] == "GET"
    kwargs = calls[0].kwargs
    assert kwargs["params"] == {"include_public": "false", "limit": "5"}
    assert kwargs["data"] is None
    assert kwargs["headers"]["X-Api-Key"] == API_KEY
    assert kwargs["headers"]["User-Agent"] == "AutoHive/1.0"
    assert "Authorization" not in kwargs["headers"]


async def test_client_post_sends_json_with_content_type():
    with aioresponses() as wire:
        wire.post(f"{API}/v2/photo_avatar/train", payload={"error": None, "data": {}})
        async with HeyGenClient(OAUTH_AUTH) as api:
            data = await api.post("/v2/photo_avatar/train", {"group_id": "g1"})

    assert data == {}
    ((_, calls),) = wire.requests.items()
    kwargs = calls[0].kwargs
    assert json.loads(kwargs["data"]) == {"group_id": "g1"}
    assert kwargs["headers"]["Content-Type"] == "application/json"
    assert kwargs["headers"]["Authorization"] == f"Bearer {ACCESS_TOKEN}"


async def test_client_post_without_body_sends_an_empty_object():
    with aioresponses() as wire:
        wire.post(f"{API}/v1/streaming.list", payload={"code": 100, "data": []})
        async with HeyGenClient(OAUTH_AUTH) as api:
            assert await api.post("/v1/streaming.list") == []

    ((_, calls),) = wire.requests.items()
    assert calls[0].kwargs["data"] == "{}"


async def test_client_empty_2xx_body_is_none():
    with aioresponses() as wire:
        wire.delete(f"{API}/v1/video.delete?video_id=v1", status=204, body="")
        async with HeyGenClient(OAUTH_AUTH) as api:
            assert await api.delete("/v1/video.delete", {"video_id": "v1"}) is None


async def test_client_used_outside_async_with_is_a_programming_error():
    with pytest.raises(RuntimeError):
        await HeyGenClient(OAUTH_AUTH).get("/v2/voices")


def test_backoff_stays_within_bounds():
    policy = client.RetryPolicy(base_delay=0.5, max_delay=8.0)

    for attempt, nominal in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (9, 8.0)]:
        for _ in range(20):
            assert nominal * 0.8 <= policy.backoff(attempt) <= nominal * 1.2
