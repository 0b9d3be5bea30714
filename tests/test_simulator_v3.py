"""The simulator's v3 API over real HTTP on loopback: the schema converter, videos and their lifecycle,
v3 errors, one account shared with v1/v2, and cursor pagination. Every answer goes through
``simulator.testing.call_v3``, which checks it against the endpoint's response schema (converted from HeyGen's
OpenAPI 3.0) or the v3 error envelope, and its X-Request-Id."""

from __future__ import annotations

import io

import av
import jsonschema
import pytest

from heygen_core.paths import v3, v3_endpoints
from simulator import ANGELA_AVATAR_ID, MONICA_VOICE_ID, TALKING_PHOTO_ANNA, Faults, Plan, Simulator, SimulatorConfig
from simulator import openapi
from simulator.testing import call, call_v3, poll_v3, studio_body, v3_avatar_body, v3_studio_body

pytestmark = pytest.mark.e2e


@pytest.fixture
async def sim():
    async with Simulator(SimulatorConfig(time_scale=0.02)) as server:
        yield server


@pytest.fixture
async def slow_sim():
    """time_scale 1.0: jobs move only when the test calls sim.advance()."""
    async with Simulator(SimulatorConfig(time_scale=1.0)) as server:
        yield server


def _discriminated(schema) -> list[dict]:
    found = []
    if isinstance(schema, dict):
        if "discriminator" in schema:
            found.append(schema)
        for value in schema.values():
            found += _discriminated(value)
    elif isinstance(schema, list):
        for value in schema:
            found += _discriminated(value)
    return found


# ------------------------------------------------------------------ the converter


def test_every_discriminated_oneof_in_the_schema_file_resolves_to_one_variant_per_value():
    unions = [
        u for e in v3_endpoints().values() for s in (e.request_schema, e.response_schema) for u in _discriminated(s)
    ]
    assert len(unions) >= 60
    for union in unions:
        variants = openapi.discriminated_variants(union)
        assert sorted(variants) == sorted(union["discriminator"]["mapping"])
        assert len({id(v) for v in variants.values()}) == len(union["oneOf"])


def test_every_converted_schema_is_valid_draft7():
    for endpoint in v3_endpoints().values():
        for schema in (endpoint.request_schema, endpoint.response_schema):
            if schema:
                jsonschema.Draft7Validator.check_schema(openapi.to_json_schema(schema))


def test_nullable_becomes_type_or_null_and_a_literal_oneof_would_reject_a_correct_body():
    body = v3_avatar_body(engine={"type": "avatar_iv"}, title=None, aspect_ratio=None)
    assert openapi.first_error("VideoCreate", "request", body) is None
    # The three engine variants each require only `type`, so the body matches all of them: a literal
    # oneOf (without the discriminator) refuses what HeyGen accepts.
    engine = v3("VideoCreate").request_schema["oneOf"][0]["properties"]["engine"]
    literal = {"oneOf": [{k: v for k, v in var.items() if k != "nullable"} for var in engine["oneOf"]]}
    assert not jsonschema.Draft7Validator(literal).is_valid({"type": "avatar_iv"})


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"type": "avatar"}, "avatar_id"),
        ({"type": "cartoon"}, "type"),
        (
            {"type": "studio", "scenes": [{"type": "avatar_video", "input": {"type": "avatar"}}]},
            "scenes[0].input.avatar_id",
        ),
        ({"type": "image", "image": {"type": "base64", "data": "aGk="}}, "image.media_type"),
        (v3_avatar_body(voice_settings={"speed": "fast"}), "voice_settings.speed"),
    ],
    ids=["missing", "unknown_type", "nested_scene", "assetref_variant", "wrong_type"],
)
async def test_a_body_breaking_the_request_schema_is_a_validation_error_naming_the_field(sim, http, body, param):
    reply = await call_v3(http, sim, "VideoCreate", json=body)

    assert reply.status == 400
    assert reply.error["code"] == "validation_error" and reply.error["param"] == param
    assert param in reply.error["message"]
    assert sim.jobs_created("VideoCreate") == 0


# ------------------------------------------------------------------ videos


async def test_an_avatar_video_goes_waiting_pending_processing_completed_on_the_clock(slow_sim, http):
    sim = slow_sim
    created = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body("One two three four five", title="Hi"))
    assert created.status == 200 and created.data["status"] == "waiting" and created.data["output_format"] == "mp4"
    video = {"video_id": created.data["video_id"]}

    seen = [(await call_v3(http, sim, "VideoGet", path=video)).data["status"]]
    sim.advance(1.5)
    seen.append((await call_v3(http, sim, "VideoGet", path=video)).data["status"])
    sim.advance(60)
    done = await call_v3(http, sim, "VideoGet", path=video)

    assert seen == ["pending", "processing"] and done.data["status"] == "completed"
    assert done.data["title"] == "Hi" and done.data["duration"] == pytest.approx(2.0)
    assert done.data["completed_at"] >= done.data["created_at"]
    assert done.data["subtitle_url"] is None and done.data["failure_code"] is None
    file = await call(http, sim, "GET", done.data["video_url"].removeprefix(sim.url), api_key=None)
    with av.open(io.BytesIO(file.raw)) as container:
        assert container.duration / 1e6 == pytest.approx(2.0, abs=0.3)


async def test_webm_output_and_captions_give_real_files(sim, http):
    webm = await call_v3(
        http, sim, "VideoCreate", json=v3_avatar_body(output_format="webm", caption={"file_format": "srt"})
    )
    assert webm.data["output_format"] == "webm"
    done = await poll_v3(http, sim, "VideoGet", {"video_id": webm.data["video_id"]}, {"completed"})

    video = await call(http, sim, "GET", done.data["video_url"].removeprefix(sim.url), api_key=None)
    subtitles = await call(http, sim, "GET", done.data["subtitle_url"].removeprefix(sim.url), api_key=None)
    assert video.headers["Content-Type"] == "video/webm" and video.raw[:4] == b"\x1a\x45\xdf\xa3"
    assert subtitles.raw.decode().startswith("1\n00:00:00,000 --> ") and "Hello there" in subtitles.raw.decode()


async def test_motion_prompts_follow_the_engine_rules(sim, http):
    with_v = await call_v3(
        http, sim, "VideoCreate", json=v3_avatar_body(motion_prompt="wave", engine={"type": "avatar_v"})
    )
    photo = v3_avatar_body(avatar_id=TALKING_PHOTO_ANNA, motion_prompt="nod", expressiveness="high")
    photo_ok = await call_v3(http, sim, "VideoCreate", json=photo)
    photo_v = await call_v3(http, sim, "VideoCreate", json={**photo, "engine": {"type": "avatar_v"}})

    assert with_v.status == 200 and photo_ok.status == 200
    assert photo_v.status == 400 and photo_v.error["param"] == "engine.type"


async def test_studio_and_image_videos_complete(sim, http):
    studio = await call_v3(http, sim, "VideoCreate", json=v3_studio_body("Scene one speaks", resolution="1080p"))
    image = await call_v3(
        http, sim, "VideoCreate",
        json={"type": "image", "image": {"type": "url", "url": "https://example.com/p.png"}, "script": "Hi",
              "voice_id": MONICA_VOICE_ID, "aspect_ratio": "9:16"},
    )  # fmt: skip
    for created in (studio, image):
        done = await poll_v3(http, sim, "VideoGet", {"video_id": created.data["video_id"]}, {"completed"})
        assert done.data["video_url"]
    assert sim.state.videos[studio.data["video_id"]].timeline.duration == pytest.approx(1.2 + 2.0)
    assert sim.state.videos[image.data["video_id"]].size[1] > sim.state.videos[image.data["video_id"]].size[0]


@pytest.mark.parametrize(
    ("body", "param"),
    [
        (v3_avatar_body(audio_url="https://example.com/a.mp3"), "script"),
        ({"type": "avatar", "avatar_id": ANGELA_AVATAR_ID}, "script"),
        (v3_avatar_body(output_format="webm", background={"type": "color", "value": "#000000"}), "background"),
        (v3_avatar_body(engine={"type": "avatar_iii"}, motion_prompt="wave"), "motion_prompt"),
        (v3_avatar_body(motion_prompt="wave"), "motion_prompt"),
        (v3_avatar_body(expressiveness="high"), "expressiveness"),
        (v3_avatar_body(voice_settings={"speed": 3}), "voice_settings.speed"),
        (v3_avatar_body("word " * 1001), "script"),
        ({"type": "studio", "scenes": []}, "scenes"),
        (v3_avatar_body(resolution="4k"), "resolution"),
    ],
    ids=["two_audio_sources", "no_audio", "webm_background", "avatar_iii_motion", "video_avatar_motion_without_v",
         "expressiveness_not_photo", "speed_range", "long_script",
         "no_scenes", "plan_resolution"],
)  # fmt: skip
async def test_the_simulators_own_checks_name_the_field(sim, http, body, param):
    reply = await call_v3(http, sim, "VideoCreate", json=body)

    assert reply.status == 400 and reply.error["param"] == param, reply.body


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (v3_avatar_body(avatar_id="no-such-look"), "avatar_not_found"),
        (v3_avatar_body(voice_id="no-such-voice"), "voice_not_found"),
    ],
)
async def test_unknown_looks_and_voices_are_404_with_their_codes(sim, http, body, code):
    reply = await call_v3(http, sim, "VideoCreate", json=body)
    assert reply.status == 404 and reply.error["code"] == code


async def test_missing_video_is_video_not_found_and_delete_removes_it_on_both_generations(sim, http):
    missing = await call_v3(http, sim, "VideoGet", path={"video_id": "nope"})
    created = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body())
    video_id = created.data["video_id"]
    legacy = await call(http, sim, "GET", "/v1/video_status.get", params={"video_id": video_id})
    deleted = await call_v3(http, sim, "VideoDelete", path={"video_id": video_id})
    again = await call_v3(http, sim, "VideoGet", path={"video_id": video_id})

    assert missing.status == 404 and missing.error["code"] == "video_not_found"
    assert legacy.status == 200 and legacy.data["id"] == video_id
    assert deleted.data == {"id": video_id, "deleted": True} and again.status == 404


async def test_a_v2_video_is_read_and_listed_on_v3(sim, http):
    made = await call(http, sim, "POST", "/v2/video/generate", json=studio_body("From the old API"))
    got = await call_v3(http, sim, "VideoGet", path={"video_id": made.data["video_id"]})
    listed = await call_v3(http, sim, "VideoList")

    assert got.status == 200 and got.data["status"] in ("pending", "processing")
    assert [v["id"] for v in listed.data] == [made.data["video_id"]] and listed.body["has_more"] is False


async def test_unauthenticated_out_of_credit_and_over_the_limit_are_v3_errors(http):
    async with Simulator(SimulatorConfig(time_scale=1.0, plan=Plan(concurrent_jobs=1, credits=0.05))) as sim:
        nobody = await call_v3(http, sim, "VideoList", api_key=None)
        first = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body("Short"))
        busy = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body("Short"))
        sim.advance(30)
        broke = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body("word " * 100))

    assert nobody.status == 401 and nobody.error["code"] == "unauthorized"
    assert first.status == 200
    assert busy.status == 429 and busy.error["code"] == "rate_limit_exceeded" and int(busy.headers["Retry-After"]) >= 1
    assert broke.status == 402 and broke.error["code"] == "insufficient_credit"


async def test_injected_faults_answer_in_the_v3_envelope(sim, http):
    sim.config.faults = Faults(burst_429=1, status_503=1, retry_after=7)
    unavailable = await call_v3(http, sim, "VoiceList")
    limited = await call_v3(http, sim, "VoiceList")

    assert unavailable.status == 503 and limited.status == 429
    assert limited.error["code"] == "rate_limit_exceeded" and limited.headers["Retry-After"] == "7"


async def test_bulk_statuses_say_queued_then_completed_and_batches_count_their_items(slow_sim, http):
    sim = slow_sim
    batch = await call_v3(
        http, sim, "VideoBatchesCreate",
        json={"videos": [v3_avatar_body("One"), v3_avatar_body("Two"), v3_avatar_body(avatar_id="missing")],
              "title": "Three"},
        idempotency_key="batch-1",
    )  # fmt: skip
    batch_id = batch.data["batch_id"]
    early = await call_v3(http, sim, "VideoBatchesGet", path={"batch_id": batch_id})
    sim.advance(60)
    late = await call_v3(http, sim, "VideoBatchesGet", path={"batch_id": batch_id}, params={"limit": 2})
    ids = ",".join(i["video_id"] for i in late.data["items"]) + ",unknown"
    statuses = await call_v3(http, sim, "VideoStatusesList", params={"video_ids": ids})

    assert batch.status == 202
    assert [i["status"] for i in early.data["items"]] == ["queued", "queued", "failed"]
    assert early.data["items"][2]["error"]["code"] == "avatar_not_found"
    assert late.data["status"] == "completed" and late.data["counts_by_status"] == {"completed": 2, "failed": 1}
    assert late.data["has_more"] is True and len(late.data["items"]) == 2
    assert [s["status"] for s in statuses.data] == ["completed", "completed", "not_found"]


# ------------------------------------------------------------------ pagination


async def test_a_voice_walk_visits_every_voice_once_with_the_default_and_a_chosen_limit(sim, http):
    default = await call_v3(http, sim, "VoiceList")
    seen, token, pages = [], None, 0
    while pages < 10:
        reply = await call_v3(http, sim, "VoiceList", params={"limit": 25, **({"token": token} if token else {})})
        seen += [v["voice_id"] for v in reply.data]
        pages += 1
        if not reply.body["has_more"]:
            assert reply.body["next_token"] is None
            break
        token = reply.body["next_token"]

    assert len(default.data) == 20 and default.body["has_more"] is True
    assert pages == 3 and seen == [v["voice_id"] for v in sim.state.catalogue.voices]


@pytest.mark.parametrize(
    ("name", "params", "param"),
    [
        ("VoiceList", {"limit": 101}, "limit"),
        ("AvatarLooksList", {"limit": 51}, "limit"),
        ("VideoList", {"limit": "²"}, "limit"),
        ("VoiceList", {"token": "bm90LWEtdG9rZW4"}, "token"),
    ],
)
async def test_limits_past_the_maximum_and_foreign_tokens_are_refused(sim, http, name, params, param):
    reply = await call_v3(http, sim, name, params=params)
    assert reply.status == 400 and reply.error["param"] == param


async def test_a_token_of_one_list_is_refused_by_another(sim, http):
    voices = await call_v3(http, sim, "VoiceList", params={"limit": 1})
    looks = await call_v3(http, sim, "AvatarLooksList", params={"token": voices.body["next_token"]})
    assert looks.status == 400 and looks.error["param"] == "token"


async def test_videos_list_ten_by_default_newest_first(slow_sim, http):
    made = []
    for i in range(12):
        made.append((await call_v3(http, slow_sim, "VideoCreate", json=v3_avatar_body(f"Video {i}"))).data["video_id"])
        slow_sim.advance(60)  # under the concurrency limit
    first = await call_v3(http, slow_sim, "VideoList")
    second = await call_v3(http, slow_sim, "VideoList", params={"token": first.body["next_token"]})

    assert [v["id"] for v in first.data + second.data] == made[::-1]
    assert len(first.data) == 10 and second.body["has_more"] is False


# ------------------------------------------------------------------ what is served, and from where


def _served(sim: Simulator) -> set[tuple[str, str]]:
    routes = set()
    for resource in sim._runner.app.router.resources():
        info = resource.get_info()
        path = info.get("path") or info.get("formatter")
        for r in resource:
            if path.startswith(v3("UserMeGet").path.split("/users")[0] + "/") and r.method != "HEAD":
                routes.add((r.method, path))
    return routes


async def test_every_v3_route_is_an_endpoint_of_the_schema_file_and_every_endpoint_is_served(sim):
    by_route = {(e.method, e.path): e.name for e in v3_endpoints().values()}
    served = _served(sim)
    names = {by_route.get(route) for route in served}

    assert None not in names, served - set(by_route)
    priority = {
        "VideoCreate", "VideoGet", "VideoList", "VideoDelete", "VoiceList", "AvatarLooksList", "AvatarLooksGet",
        "AvatarList", "AvatarGet", "AvatarCreate", "TemplateList", "TemplateGet", "TemplateGenerate", "AssetCreate",
        "AssetDirectUploadsCreate", "AssetCompleteCreate", "AssetGet", "WebhookEndpointsList",
        "WebhookEndpointsCreate", "WebhookEndpointsUpdate", "WebhookEndpointsDelete", "WebhookEventTypesList",
        "UserMeGet", "VideoTranslateLanguagesList", "VideoTranslateCreate", "VideoTranslateGet",
    }  # fmt: skip
    assert priority <= names
    assert names == set(v3_endpoints())


async def test_a_video_scene_and_recorded_requests_check_against_the_request_schema(sim, http):
    body = v3_studio_body("Intro")
    body["scenes"].append({"type": "video", "source": {"type": "url", "url": "https://e.com/c.mp4"},
                           "playback": {"volume": 0.5}})  # fmt: skip
    made = await call_v3(http, sim, "VideoCreate", json=body)
    loud = await call_v3(
        http, sim, "VideoCreate", json={**body, "scenes": [{**body["scenes"][2], "playback": {"volume": 2}}]}
    )

    assert made.status == 200 and loud.error["param"] == "scenes[0].playback.volume"
    recorded = sim.requests_to("VideoCreate")
    assert len(recorded) == sim.count_v3("VideoCreate") == 2
    assert openapi.request_errors("VideoCreate", recorded[0].json) == []
    assert sim.count_v3("VideoGet", video_id=made.data["video_id"]) == 0


async def test_check_answers_collects_schema_violations_of_what_the_server_sends(http):
    async with Simulator(SimulatorConfig(time_scale=0.02, check_answers=True)) as sim:
        await call_v3(http, sim, "VideoCreate", json=v3_avatar_body())
        await call_v3(http, sim, "VoiceList")
        assert sim.answer_problems == []
        sim.state.catalogue.voices[0]["gender"] = None  # a catalogue fault: gender is required, not nullable
        await call(http, sim, "GET", v3("VoiceList").path)
    assert sim.answer_problems and sim.answer_problems[0].startswith("VoiceList: data[0].gender")
