"""Every refusal has the body {"error": {"code", "message", "field"}} and the status the API promises."""

import json

import pytest

from proxy.auth import new_key
from proxy.operations import ACTIONS, OPERATIONS, kebab

pytestmark = pytest.mark.e2e


def check_error(answer, status: int, code: str, field=None):
    assert answer.status == status, answer.body
    assert set(answer.body) == {"error"} and set(answer.error) == {"code", "message", "field"}
    assert answer.error["code"] == code and answer.error["message"]
    if field is not None:
        assert answer.error["field"] == field, answer.error


async def test_no_key_is_401(world):
    check_error(await world.call("acme", "list-templates", {}, key=""), 401, "unauthenticated", "Authorization")


@pytest.mark.parametrize(
    "header",
    [
        "Api-Key hgp_0123456789abcdef_notarealsecretnotarealsecret",
        "Api-Key something-else",
        "Bearer hgt_eyJvIjoiYWNtZSJ9.bad",
        "Basic dXNlcjpwYXNz",
    ],
)
async def test_an_unknown_key_or_token_is_401(world, header):
    answer = await world.call("acme", "list-templates", {}, key=header)

    assert answer.status == 401 and answer.error["field"] == "Authorization"


async def test_a_key_with_a_wrong_secret_is_401_even_with_a_real_key_id(world):
    real = world.keys[("acme", "rw")]
    forged = real[: real.rindex("_") + 1] + "x" * 43

    check_error(await world.call("acme", "list-templates", {}, key=forged), 401, "unknown_key")


async def test_another_organisations_key_is_403(world):
    answer = await world.call("acme", "list-templates", {}, key=world.keys[("globex", "admin")])

    check_error(answer, 403, "wrong_organisation")
    assert world.heygen_keys_seen() == []


async def test_a_key_without_the_scope_is_403(world):
    answer = await world.call("acme", "generate-video", {"body": {}}, key=world.keys[("acme", "read")])

    check_error(answer, 403, "missing_scope")


@pytest.mark.parametrize("operation", sorted(n for n, op in OPERATIONS.items() if op.scope == "admin"))
async def test_operations_that_hand_out_credentials_need_admin(world, operation):
    check_error(await world.call("acme", operation, {}), 403, "missing_scope")


async def test_an_unknown_operation_is_404_and_no_path_passes_through(world):
    for name in ("v2-video-generate", "..%2Fv2%2Favatars", "list_avatars"):
        check_error(await world.call("acme", name, {}), 404, "unknown_operation")
    assert world.heygen_keys_seen() == []


async def test_every_action_is_an_operation_under_its_kebab_case_name(world):
    assert {kebab(a) for a in ACTIONS} <= set(OPERATIONS)
    assert set(OPERATIONS) - {kebab(a) for a in ACTIONS} == {"generate-video", "video-status"}


@pytest.mark.parametrize(
    "envelope, field",
    [
        ([], "(request)"),
        ({"body": []}, "body"),
        ({"query": "video_id=1"}, "query"),
        ({"headers": {"X-Api-Key": "mine"}}, "headers"),
        ({"files": {}}, "files"),
    ],
)
async def test_a_bad_envelope_is_400_naming_the_field(world, envelope, field):
    check_error(await world.call("acme", "list-templates", envelope), 400, "invalid_envelope", field)


async def test_body_that_is_not_json_is_400(world):
    check_error(await world.call("acme", "list-templates", raw="{not json"), 400, "invalid_json")


async def test_missing_document_parameters_are_400_naming_them(world):
    check_error(await world.call("acme", "video-status", {}), 400, "invalid_envelope", "query.video_id")
    answer = await world.call("acme", "generate-template-video", {"body": {"variables": {}}})
    check_error(answer, 400, "invalid_envelope", "path_params.template_id")


async def test_a_bad_action_input_is_400_naming_its_place_in_the_envelope(world):
    body = {"body": {"video_inputs": [{"character": {"type": "avatar"}, "voice": {"type": "text"}}]}}

    answer = await world.call("acme", "generate-video", body)

    check_error(answer, 400, "invalid_input")
    assert answer.error["field"].startswith("body.video_inputs[0]")
    assert world.heygen_keys_seen() == []


async def test_json_over_one_mib_is_413(world):
    big = {"body": {"name_contains": "x" * (1024 * 1024)}}

    check_error(await world.call("acme", "list-templates", big), 413, "too_large")


async def test_uploads_have_their_own_larger_cap(world):
    content = "A" * (2 * 1024 * 1024)  # 2 MiB of base64: over the JSON cap, well within the upload cap
    answer = await world.call("acme", "upload-asset", {"body": {"file": {"content": content, "name": "x.png"}}})

    assert answer.status != 413


async def test_heygen_refusing_the_organisations_credential_is_502_never_401(world):
    org = await world.store.org("acme")
    await world.store.set_credential("acme", org.credential_kind, "hg-revoked-at-heygen-000000000000")

    answer = await world.call("acme", "list-avatars", {})

    check_error(answer, 502, "heygen_credential_refused")
    assert "hg-revoked" not in json.dumps(answer.body)


async def test_heygen_failing_is_502(world):
    world.sim.state.config.faults.error_rate = 1.0

    answer = await world.call("acme", "list-voices", {})

    assert answer.status in (502, 503) and answer.error["code"] in ("heygen_failed", "heygen_busy")


async def test_a_revoked_key_is_401_at_once(world):
    key = world.keys[("acme", "rw")]
    await world.store.revoke_key(key.split("_")[1])

    check_error(await world.call("acme", "list-templates", {}, key=key), 401, "key_revoked")


async def test_an_expired_key_is_401(world):
    row, key = new_key("acme", ["read"], 60, 1)
    row.expires_at = row.expires_at.replace(year=2000)
    await world.store.add_key(row)

    check_error(await world.call("acme", "list-templates", {}, key=key), 401, "key_expired")


async def test_a_disabled_organisation_is_403(world):
    await world.store.set_org("acme", disabled=True)

    check_error(await world.call("acme", "list-templates", {}), 403, "organisation_disabled")


async def test_discovery_lists_the_service_and_every_operation_with_its_schema(world):
    headers = {"Authorization": f"Api-Key {world.keys[('acme', 'read')]}"}

    services = await world.request("GET", "/api/ai-proxy/orgs/acme/services/", headers=headers)
    heygen = await world.request("GET", "/api/ai-proxy/orgs/acme/services/heygen/", headers=headers)

    assert services.status == 200 and services.body["services"][0]["slug"] == "heygen"
    assert services.body["services"][0]["endpoint_count"] == len(OPERATIONS)
    endpoints = {e["slug"]: e for e in heygen.body["endpoints"]}
    assert set(endpoints) == set(OPERATIONS)
    assert endpoints["video-status"]["input_schema"]["required"] == ["query"]
    assert endpoints["create-streaming-token"]["scope"] == "admin"
    assert heygen.body["credential"] == {"kind": "api_key", "tail": "…cdef"}
    assert "hg-acme-credential" not in json.dumps(heygen.body)


async def test_discovery_of_another_organisation_is_403(world):
    headers = {"Authorization": f"Api-Key {world.keys[('globex', 'read')]}"}

    answer = await world.request("GET", "/api/ai-proxy/orgs/acme/services/heygen/", headers=headers)

    check_error(answer, 403, "wrong_organisation")


async def test_the_openapi_document_names_every_operation(world):
    answer = await world.request("GET", "/openapi.json")

    assert answer.status == 200 and answer.body["openapi"].startswith("3.1")
    ids = {item["post"]["operationId"] for path, item in answer.body["paths"].items() if "post" in item}
    assert set(OPERATIONS) <= ids


async def test_cors_answers_only_the_configured_origins(tmp_path, monkeypatch):
    from tests.proxy.conftest import proxy_settings, proxy_world

    settings = proxy_settings(tmp_path, cors_origins=("https://app.example.com",))
    path = "/api/ai-proxy/orgs/acme/services/heygen/list-templates/"
    async with proxy_world(tmp_path, monkeypatch, settings) as world:
        allowed = await world.request("OPTIONS", path, headers={"Origin": "https://app.example.com"})
        other = await world.call("acme", "list-templates", {}, headers={"Origin": "https://evil.example.net"})
        called = await world.call("acme", "list-templates", {}, headers={"Origin": "https://app.example.com"})

    assert allowed.status == 204 and allowed.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "Authorization" in allowed.headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in other.headers
    assert called.status == 200 and called.headers["Access-Control-Allow-Origin"] == "https://app.example.com"


async def test_an_upload_over_32_mb_is_413(world):
    content = "A" * (44 * 1000 * 1000)  # base64 of 33 MB

    answer = await world.call("acme", "upload-asset", {"body": {"file": {"content": content, "name": "big.png"}}})

    check_error(answer, 413, "too_large")
    assert world.heygen_keys_seen() == []


async def test_a_credential_sealed_under_another_master_key_is_a_clear_500(world):
    from proxy.crypto import Vault, decode_master_key, new_master_key

    other = Vault(decode_master_key(new_master_key()))
    await world.store.set_org("acme", credential_sealed=other.seal("acme", "hg-elsewhere-0123456789"))

    answer = await world.call("acme", "list-templates", {})

    check_error(answer, 500, "credential_unreadable")
    assert "PROXY_MASTER_KEY" in answer.error["message"]


async def test_the_console_page_is_never_cached_framed_or_allowed_to_call_elsewhere(world):
    page = await world.request("GET", "/console/")

    assert page.status == 200 and b"list-avatars" in page.body
    assert page.headers["Cache-Control"] == "no-store" and page.headers["X-Frame-Options"] == "DENY"
    assert "connect-src 'self'" in page.headers["Content-Security-Policy"]
    assert b"Api-Key" not in page.body  # the page never asks for, or holds, an API key
