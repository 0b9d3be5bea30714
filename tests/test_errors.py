"""How HeyGen's failures reach a workflow: ActionError worded per the contract, hints, retries, no secrets."""

import asyncio
import logging

import aiohttp

import pytest
from autohive_integrations_sdk import ExecutionContext, ResultType

import heygen
from heygen_core.errors import redact
from tests.conftest import (
    ACCESS_TOKEN,
    API,
    API_KEY,
    API_KEY_AUTH,
    OAUTH_AUTH,
    SECRETS,
    request_count,
    run_action,
    sent,
)

VIDEO_ID = "7a2c9e1b5f3d4a6e8b0c2d4f6a8b0c1d"
STATUS_URL = f"{API}/v1/video_status.get?video_id={VIDEO_ID}"
GENERATE_URL = f"{API}/v2/video/generate"
SCENE = {
    "character": {"type": "avatar", "avatar_id": "Angela-inblackskirt-20220820"},
    "voice": {"type": "text", "voice_id": "1bd001e7ffe04520adf63141a163d1f8", "input_text": "Hello!"},
}
CREATE = ("create_avatar_video", {"video_inputs": [SCENE]}, "post", GENERATE_URL)
STATUS = ("get_video_status", {"video_id": VIDEO_ID}, "get", STATUS_URL)
GROUP = (
    "create_avatar_group",
    {"name": "Team", "image_key": "k"},
    "post",
    f"{API}/v2/photo_avatar/avatar_group/create",
)
VOICES = ("list_voices", {}, "get", f"{API}/v2/voices")
DETAILS = ("get_avatar_details", {"avatar_id": "nope"}, "get", f"{API}/v2/avatar/nope/details")

MAYBE_CREATED = (
    "Hint: HeyGen may have received the request and started the job: check get_video_status or list_videos "
    "before trying again, so the job (and its charge) is not doubled."
)
HINT = {
    "40119": "Hint: The video is longer than your plan allows: shorten the script, split it across videos, or upgrade.",
    "400105": "Hint: HeyGen's content filter flagged words in the script: rephrase them and try again.",
    "401056": "Hint: The HeyGen access token expired: reconnect HeyGen in Autohive.",
    "401057": (
        "Hint: The HeyGen access token is not valid: reconnect HeyGen in Autohive (locally, check HEYGEN_API_KEY)."
    ),
    "400599": "Hint: Your HeyGen plan does not include this feature: upgrade the plan or use another option.",
    "400664": "Hint: The trial's video limit is used up: upgrade the HeyGen plan, or use test mode (test: true).",
    "RESOLUTION_NOT_ALLOWED": (
        "Hint: The dimension is above your plan's resolution: use 1280x720 or leave dimension out."
    ),
    "400144": "Hint: No avatar has that id: call list_avatars (or list_avatar_groups for your own) for valid ids.",
    "40104": "Hint: No video has that id on this account: it may have been deleted; list_videos shows what exists.",
    "401": "Hint: HeyGen did not accept the credentials: reconnect HeyGen in Autohive (locally, check HEYGEN_API_KEY).",
    "403": "Hint: The connected HeyGen account may not do this: check its plan and permissions.",
    "404": "Hint: HeyGen found nothing at that id: check the id (ids from another account are not visible).",
    "429": "Hint: HeyGen's concurrency or rate limit was reached: wait for running jobs to finish, then try again.",
    "500": "Hint: HeyGen had an internal error: try again in a few minutes.",
    "502": "Hint: HeyGen is temporarily unavailable: try again in a few minutes.",
    "503": "Hint: HeyGen is temporarily unavailable: try again in a few minutes.",
    "504": "Hint: HeyGen timed out answering: try again in a few minutes.",
}
HTML = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>"


def v2_error(code, message):
    return {"error": {"code": code, "message": message}, "data": None}


def secret_of(auth):
    return auth["credentials"].get("access_token") or auth["credentials"].get("api_key")


def assert_no_secret(text):
    """No credential, and no 8-character piece of one, anywhere in the text."""
    for secret in SECRETS:
        for start in range(len(secret) - 7):
            piece = secret[start : start + 8]
            assert piece not in text, f"credential piece {piece!r} leaked into: {text}"


def message_of(result):
    assert result.type == ResultType.ACTION_ERROR, result.result
    assert_no_secret(str(result))
    return result.result.message


def register(wire, method, url, **response):
    getattr(wire, method)(url, **response)


# ---------------------------------------------------------------- HeyGen's error answers, worded per the contract

ANSWERS = {
    "v1_envelope_404": (
        STATUS,
        {"status": 404, "payload": {"code": 40104, "message": "Video not found"}},
        f"get_video_status failed: HeyGen 404 (40104) Video not found. {HINT['40104']}",
    ),
    "v1_envelope_400_code_equals_status": (
        STATUS,
        {"status": 400, "payload": {"code": 400, "message": "Invlid parameters"}},
        "get_video_status failed: HeyGen 400 Invlid parameters.",
    ),
    "v2_envelope_400": (
        GROUP,
        {"status": 400, "payload": v2_error("invalid_parameter", "No face detected in the image")},
        "create_avatar_group failed: HeyGen 400 (invalid_parameter) No face detected in the image.",
    ),
    "v3_envelope_404": (
        DETAILS,
        {
            "status": 404,
            "payload": {"error": {"code": "not_found", "message": "Avatar not found", "param": None, "doc_url": None}},
        },
        f"get_avatar_details failed: HeyGen 404 (not_found) Avatar not found. {HINT['404']}",
    ),
    "v2_error_inside_200": (
        CREATE,
        {"status": 200, "payload": v2_error(400105, "Blocked words detected in the script")},
        f"create_avatar_video failed: HeyGen 200 (400105) Blocked words detected in the script. {HINT['400105']}",
    ),
    "v1_error_inside_200": (
        STATUS,
        {"status": 200, "payload": {"code": 40104, "message": "Video not found", "data": None}},
        f"get_video_status failed: HeyGen 200 (40104) Video not found. {HINT['40104']}",
    ),
    "v1_error_inside_200_with_msg": (
        STATUS,
        {"status": 200, "payload": {"code": 40031, "msg": "Invalid video id"}},
        "get_video_status failed: HeyGen 200 (40031) Invalid video id.",
    ),
    "40119_video_too_long": (
        CREATE,
        {"status": 400, "payload": v2_error(40119, "Video is too long (> 3600.0s)")},
        f"create_avatar_video failed: HeyGen 400 (40119) Video is too long (> 3600.0s). {HINT['40119']}",
    ),
    "400105_blocked_words": (
        CREATE,
        {"status": 400, "payload": v2_error("400105", "Blocked words detected")},
        f"create_avatar_video failed: HeyGen 400 (400105) Blocked words detected. {HINT['400105']}",
    ),
    "401056_token_expired": (
        VOICES,
        {"status": 401, "payload": {"code": 401056, "message": "Access token expired"}},
        f"list_voices failed: HeyGen 401 (401056) Access token expired. {HINT['401056']}",
    ),
    "401057_token_invalid": (
        VOICES,
        {"status": 401, "payload": v2_error(401057, "Invalid access token")},
        f"list_voices failed: HeyGen 401 (401057) Invalid access token. {HINT['401057']}",
    ),
    "401_unknown_code": (
        VOICES,
        {"status": 401, "payload": v2_error("unauthorized", "Unauthorized")},
        f"list_voices failed: HeyGen 401 (unauthorized) Unauthorized. {HINT['401']}",
    ),
    "401_empty_body": (
        VOICES,
        {"status": 401, "body": ""},
        f"list_voices failed: HeyGen 401 Unauthorized. {HINT['401']}",
    ),
    "403_400599_tier": (
        CREATE,
        {"status": 403, "payload": v2_error(400599, "Tier not support")},
        f"create_avatar_video failed: HeyGen 403 (400599) Tier not support. {HINT['400599']}",
    ),
    "403_forbidden": (
        CREATE,
        {"status": 403, "payload": v2_error("forbidden", "Forbidden")},
        f"create_avatar_video failed: HeyGen 403 (forbidden) Forbidden. {HINT['403']}",
    ),
    "400664_trial_limit": (
        CREATE,
        {"status": 400, "payload": v2_error(400664, "Trial video limit exceeded")},
        f"create_avatar_video failed: HeyGen 400 (400664) Trial video limit exceeded. {HINT['400664']}",
    ),
    "resolution_not_allowed": (
        CREATE,
        {"status": 400, "payload": v2_error("RESOLUTION_NOT_ALLOWED", "Resolution not allowed for your plan")},
        "create_avatar_video failed: HeyGen 400 (RESOLUTION_NOT_ALLOWED) Resolution not allowed for your plan. "
        + HINT["RESOLUTION_NOT_ALLOWED"],
    ),
    "404_avatar_not_found": (
        DETAILS,
        {"status": 404, "payload": v2_error(400144, "Avatar not found")},
        f"get_avatar_details failed: HeyGen 404 (400144) Avatar not found. {HINT['400144']}",
    ),
    "500_empty_body": (
        STATUS,
        {"status": 500, "body": ""},
        f"get_video_status failed: HeyGen 500 Internal Server Error. {HINT['500']}",
    ),
    "500_v2_envelope": (
        CREATE,
        {"status": 500, "payload": v2_error("internal_error", "Something went wrong")},
        f"create_avatar_video failed: HeyGen 500 (internal_error) Something went wrong. {HINT['500']}",
    ),
    "html_body_on_500": (
        STATUS,
        {"status": 500, "body": HTML, "content_type": "text/html"},
        f"get_video_status failed: HeyGen 500 HeyGen answered with a web page instead of JSON. {HINT['500']}",
    ),
    "html_body_on_200_post": (
        CREATE,
        {"status": 200, "body": HTML, "content_type": "text/html"},
        "create_avatar_video failed: HeyGen 200 HeyGen answered with a web page instead of JSON "
        f"(an outage or a proxy error). {MAYBE_CREATED}",
    ),
    "broken_json_on_200_post": (
        CREATE,
        {"status": 200, "body": '{"error": null, "data": {"video_id": "7a2c', "content_type": "application/json"},
        f"create_avatar_video failed: HeyGen 200 HeyGen's answer was not valid JSON (it may have been cut off). "
        f"{MAYBE_CREATED}",
    ),
}


@pytest.mark.parametrize(("call", "answer", "expected"), list(ANSWERS.values()), ids=list(ANSWERS))
async def test_heygen_error_answer_becomes_a_worded_action_error(wire, auth, call, answer, expected):
    name, inputs, method, url = call
    register(wire, method, url, **answer)

    result = await run_action(name, inputs, auth=auth)

    assert message_of(result) == expected
    assert request_count(wire) == 1  # none of these is worth repeating


async def test_429_is_retried_a_bounded_number_of_times_then_worded(wire, auth):
    wire.post(
        GENERATE_URL, status=429, payload=v2_error("rate_limit_exceeded", "Too many concurrent jobs"), repeat=True
    )

    result = await run_action("create_avatar_video", {"video_inputs": [SCENE]}, auth=auth)

    assert message_of(result) == (
        f"create_avatar_video failed: HeyGen 429 (rate_limit_exceeded) Too many concurrent jobs. {HINT['429']}"
    )
    assert request_count(wire) == 4  # HeyGen refused each one, so sending again cannot double the video


async def test_429_without_body(wire):
    wire.get(STATUS_URL, status=429, body="", repeat=True)

    result = await run_action("get_video_status", {"video_id": VIDEO_ID})

    assert message_of(result) == f"get_video_status failed: HeyGen 429 too many requests. {HINT['429']}"
    assert request_count(wire) == 4


async def test_429_with_a_long_retry_after_fails_at_once(wire):
    wire.post(GENERATE_URL, status=429, headers={"Retry-After": "120"}, payload=v2_error(429, "Slow down"), repeat=True)

    result = await run_action("create_avatar_video", {"video_inputs": [SCENE]})

    assert message_of(result) == f"create_avatar_video failed: HeyGen 429 Slow down. {HINT['429']}"
    assert request_count(wire) == 1


async def test_429_then_success_creates_one_video(wire):
    wire.post(GENERATE_URL, status=429, headers={"Retry-After": "0"}, payload=v2_error("rate_limit_exceeded", "x"))
    wire.post(GENERATE_URL, payload={"error": None, "data": {"video_id": VIDEO_ID}})

    result = await run_action("create_avatar_video", {"video_inputs": [SCENE]})

    assert result.type == ResultType.ACTION
    assert result.result.data["video_id"] == VIDEO_ID
    assert request_count(wire) == 2


# ---------------------------------------------------------------- timeouts and retries: a POST goes out once


async def test_post_that_times_out_is_sent_exactly_once(wire, auth):
    wire.post(GENERATE_URL, exception=asyncio.TimeoutError(), repeat=True)

    result = await run_action("create_avatar_video", {"video_inputs": [SCENE]}, auth=auth)

    assert message_of(result) == f"create_avatar_video failed: no answer from HeyGen within 30 s. {MAYBE_CREATED}"
    assert request_count(wire) == 1


async def test_timeout_uses_the_contexts_timeout_setting(wire):
    wire.post(GENERATE_URL, exception=asyncio.TimeoutError(), repeat=True)

    result = await run_action("create_avatar_video", {"video_inputs": [SCENE]}, request_config={"timeout": 12})

    assert message_of(result) == f"create_avatar_video failed: no answer from HeyGen within 12 s. {MAYBE_CREATED}"
    assert sent(wire)[0][2]["timeout"].total == 12.0


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_post_server_errors_are_not_repeated(wire, status):
    wire.post(GENERATE_URL, status=status, body="", repeat=True)

    result = await run_action("create_avatar_video", {"video_inputs": [SCENE]})

    assert message_of(result).startswith(f"create_avatar_video failed: HeyGen {status} ")
    assert request_count(wire) == 1


async def test_get_that_times_out_is_retried_a_bounded_number_of_times(wire, auth):
    wire.get(STATUS_URL, exception=asyncio.TimeoutError(), repeat=True)

    result = await run_action("get_video_status", {"video_id": VIDEO_ID}, auth=auth)

    assert message_of(result) == "get_video_status failed: no answer from HeyGen within 30 s."
    assert request_count(wire) == 4


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_get_gateway_errors_are_retried_a_bounded_number_of_times(wire, status):
    wire.get(STATUS_URL, status=status, body=HTML, content_type="text/html", repeat=True)

    result = await run_action("get_video_status", {"video_id": VIDEO_ID})

    assert message_of(result) == (
        f"get_video_status failed: HeyGen {status} HeyGen answered with a web page instead of JSON. {HINT[str(status)]}"
    )
    assert request_count(wire) == 4


@pytest.mark.parametrize(
    "failure",
    [
        {"exception": asyncio.TimeoutError()},
        {"status": 502, "body": HTML},
        {"status": 503, "body": ""},
        {"status": 504, "body": ""},
        {"status": 429, "body": ""},
    ],
    ids=["timeout", "502", "503", "504", "429"],
)
async def test_get_recovers_after_one_transient_failure(wire, failure):
    wire.get(STATUS_URL, **failure)
    wire.get(STATUS_URL, payload={"code": 100, "data": {"id": VIDEO_ID, "status": "processing"}, "message": "Success"})

    result = await run_action("get_video_status", {"video_id": VIDEO_ID})

    assert result.type == ResultType.ACTION, result.result
    assert (result.result.data["status"], result.result.data["raw_status"]) == ("processing", "processing")
    assert request_count(wire) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 500])
async def test_get_client_and_internal_errors_are_not_retried(wire, status):
    wire.get(STATUS_URL, status=status, payload={"code": 40031, "message": "Invalid video id"}, repeat=True)

    result = await run_action("get_video_status", {"video_id": VIDEO_ID})

    assert message_of(result).startswith(f"get_video_status failed: HeyGen {status} (40031) Invalid video id.")
    assert request_count(wire) == 1


async def test_broken_json_on_a_get_is_retried_then_worded(wire):
    wire.get(STATUS_URL, status=200, body='{"code": 100, "data": {"id"', repeat=True)

    result = await run_action("get_video_status", {"video_id": VIDEO_ID})

    assert message_of(result) == (
        "get_video_status failed: HeyGen 200 HeyGen's answer was not valid JSON (it may have been cut off)."
    )
    assert request_count(wire) == 4


async def test_html_instead_of_json_on_a_successful_get(wire):
    wire.get(STATUS_URL, status=200, body=HTML, content_type="text/html", repeat=True)

    result = await run_action("get_video_status", {"video_id": VIDEO_ID})

    assert message_of(result) == (
        "get_video_status failed: HeyGen 200 HeyGen answered with a web page instead of JSON "
        "(an outage or a proxy error)."
    )


async def test_post_whose_connection_broke_is_not_repeated(wire):
    wire.post(GENERATE_URL, exception=aiohttp.ServerDisconnectedError(), repeat=True)

    result = await run_action("create_avatar_video", {"video_inputs": [SCENE]})

    assert message_of(result) == (
        "create_avatar_video failed: the connection to HeyGen broke before its answer arrived "
        f"(ServerDisconnectedError). {MAYBE_CREATED}"
    )
    assert request_count(wire) == 1


async def test_get_whose_connection_broke_is_retried(wire):
    wire.get(STATUS_URL, exception=aiohttp.ServerDisconnectedError(), repeat=True)

    result = await run_action("get_video_status", {"video_id": VIDEO_ID})

    assert message_of(result) == (
        "get_video_status failed: the connection to HeyGen broke before its answer arrived (ServerDisconnectedError)."
    )
    assert request_count(wire) == 4


# ---------------------------------------------------------------- credentials never leak


@pytest.mark.parametrize(
    "echo",
    [
        "Invalid token: {secret}",
        "Bearer {secret} is not valid",
        "key={secret}&scope=all",
        "token prefix {secret:.12} does not match",
        "token suffix ...{secret_tail} does not match",
        "{secret}",
    ],
    ids=["plain", "bearer", "query", "prefix12", "suffix9", "only"],
)
async def test_heygen_echoing_the_credential_never_leaks_it(wire, auth, caplog, echo):
    secret = secret_of(auth)
    message = echo.format(secret=secret, secret_tail=secret[-9:])
    wire.get(f"{API}/v2/voices", status=401, payload=v2_error(401057, message))

    with caplog.at_level(logging.DEBUG):
        result = await run_action("list_voices", {}, auth=auth)

    text = message_of(result)
    assert text.startswith("list_voices failed: HeyGen 401 (401057) ")
    assert "[redacted]" in text
    assert text.endswith(HINT["401057"])
    assert_no_secret(caplog.text)


async def test_echoed_credential_in_a_failed_jobs_reason_is_redacted(wire, auth):
    secret = secret_of(auth)
    wire.get(STATUS_URL, payload={"code": 100, "data": {"id": VIDEO_ID, "status": "processing"}})
    failure = {"code": 40119, "message": f"failed for {secret}", "detail": f"owner key {secret[3:15]}"}
    wire.get(STATUS_URL, payload={"code": 100, "data": {"id": VIDEO_ID, "status": "failed", "error": failure}})

    result = await run_action("get_video_status", {"video_id": VIDEO_ID, "wait_for_completion": True}, auth=auth)

    text = message_of(result)
    assert text.startswith(f"get_video_status failed: job {VIDEO_ID} ended as failed: (40119) owner key [redacted]")
    assert text.endswith(HINT["40119"])


async def test_echoed_credential_in_an_error_inside_a_2xx_is_redacted(wire, auth):
    secret = secret_of(auth)
    wire.post(GENERATE_URL, payload=v2_error("invalid_parameter", f"caller {secret} may not use this avatar"))

    result = await run_action("create_avatar_video", {"video_inputs": [SCENE]}, auth=auth)

    assert message_of(result) == (
        "create_avatar_video failed: HeyGen 200 (invalid_parameter) caller [redacted] may not use this avatar."
    )


async def test_short_text_is_not_mistaken_for_a_credential(wire):
    wire.get(f"{API}/v2/voices", status=401, payload=v2_error(401057, "hg-test invalid"))

    result = await run_action("list_voices", {}, auth=API_KEY_AUTH)

    assert message_of(result) == f"list_voices failed: HeyGen 401 (401057) hg-test invalid. {HINT['401057']}"


@pytest.mark.parametrize(
    "auth",
    [
        {},
        {"auth_type": "PlatformOauth2", "credentials": {}},
        {"auth_type": "PlatformOauth2", "credentials": {"access_token": ""}},
        {"auth_type": "ApiKey", "credentials": {"api_key": None}},
        {"auth_type": "ApiKey"},
    ],
    ids=["empty", "no_credentials", "empty_token", "null_key", "no_credentials_key"],
)
async def test_missing_credentials_are_a_clear_error_and_nothing_is_sent(wire, auth):
    async with ExecutionContext(auth=auth) as context:
        result = await heygen.integration.execute_action("get_video_status", {"video_id": VIDEO_ID}, context)

    assert message_of(result) == (
        "get_video_status failed: no HeyGen credentials in the connection. "
        "Hint: Connect HeyGen in Autohive, or set HEYGEN_API_KEY for local use."
    )
    assert request_count(wire) == 0


async def test_token_wins_over_api_key_and_only_one_header_is_sent(wire):
    both = {"auth_type": "PlatformOauth2", "credentials": {"access_token": SECRETS[1], "api_key": API_KEY}}
    wire.get(STATUS_URL, payload={"code": 100, "data": {"status": "processing"}})

    result = await run_action("get_video_status", {"video_id": VIDEO_ID}, auth=both)

    assert result.type == ResultType.ACTION
    headers = sent(wire)[0][2]["headers"]
    assert headers["Authorization"] == f"Bearer {SECRETS[1]}"
    assert "X-Api-Key" not in headers


async def test_a_credential_echoed_into_an_output_field_is_redacted(wire):
    echoed = {
        "id": "v1",
        "status": "failed",
        "error": {"code": 1, "detail": f"bad token {ACCESS_TOKEN}", "message": "x"},
    }
    wire.get(f"{API}/v1/video_status.get?video_id=v1", payload={"code": 100, "data": echoed})
    result = await run_action("get_video_status", {"video_id": "v1"}, auth=OAUTH_AUTH)
    assert result.type == ResultType.ACTION
    assert result.result.data["error"]["detail"] == "bad token [redacted]"
    assert ACCESS_TOKEN not in repr(result.result.data)


def test_redaction_keeps_the_sentence_punctuation_after_a_secret():
    assert redact(f"owner key {API_KEY[:12]}. Try again", SECRETS) == "owner key [redacted]. Try again"


async def test_create_avatar_group_without_an_id_in_the_answer_is_a_clear_error(wire):
    wire.post(f"{API}/v2/photo_avatar/avatar_group/create", payload={"error": None, "data": {"name": "g"}})
    result = await run_action("create_avatar_group", {"name": "g", "image_key": "k"})
    assert result.type == ResultType.ACTION_ERROR
    assert "create_avatar_group failed: HeyGen accepted the request but its answer has no id." in result.result.message
