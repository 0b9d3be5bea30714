"""Templates on HeyGen's v3 API: list_templates, get_template and generate_template_video take the same inputs and
give the same outputs as on the legacy API (tests/test_templates_assets.py), through /v3/templates.

Every body sent must pass HeyGen's request schema and every faked answer its response schema (tests/v3_wire.py).
"""

import asyncio

import pytest

from heygen_core import paths
from tests.conftest import OAUTH_AUTH, run_action, sent
from tests.helpers import check_auth, check_request, data_of, v2, validation_error_of
from tests.test_templates_assets import (
    CREATED,
    GENERATE,
    SENT_VARIABLES,
    TEMPLATE,
    TEMPLATE_DETAILS,
    TEMPLATE_ID,
    TEMPLATE_VARIABLES,
    TEMPLATES,
    VARIABLES,
    VIDEO_ID,
)
from tests.v3_wire import answer, gone_page, sent_body, url

V3_LIST = url("TemplateList")
V3_TEMPLATE = url("TemplateGet", template_id=TEMPLATE_ID)
V3_GENERATE = url("TemplateGenerate", template_id=TEMPLATE_ID)
FIRST_PAGE = [
    {"id": "t1", "name": "Product Launch", "thumbnail_url": "https://cdn.heygen.com/t1.jpg", "aspect_ratio": "16:9"},
    {"id": "t2", "name": "Weekly Update", "thumbnail_url": None},
]
SECOND_PAGE = [{"id": "t3", "name": "Product FAQ"}]
LISTED = [
    {"template_id": "t1", "name": "Product Launch", "thumbnail_image_url": "https://cdn.heygen.com/t1.jpg"},
    {"template_id": "t2", "name": "Weekly Update", "thumbnail_image_url": None},
    {"template_id": "t3", "name": "Product FAQ", "thumbnail_image_url": None},
]


def page_query(token: str | None = None) -> str:
    return "?limit=100" + (f"&token={token}" if token else "")


# ---------------------------------------------------------------- list_templates


async def test_list_templates_walks_every_v3_page_and_gives_the_legacy_output(wire, auth, v3):
    wire.get(V3_LIST + page_query(), payload=answer("TemplateList", FIRST_PAGE, has_more=True, next_token="n2"))
    wire.get(V3_LIST + page_query("n2"), payload=answer("TemplateList", SECOND_PAGE, has_more=False, next_token=None))

    result = await run_action("list_templates", {}, auth=auth)

    expected = {"templates": LISTED, "total": 3, "next_page_token": None, "has_more": False}
    assert data_of(result) == expected
    first, second = sent(wire)
    check_request(first, "GET", V3_LIST + page_query(), auth)
    check_request(second, "GET", V3_LIST + page_query("n2"), auth)


async def test_list_templates_gives_the_same_output_on_the_legacy_api(wire):
    legacy = [dict(item) for item in LISTED]
    wire.get(TEMPLATES, payload=v2({"templates": legacy}))

    result = await run_action("list_templates", {})

    assert data_of(result) == {"templates": LISTED, "total": 3, "next_page_token": None, "has_more": False}


async def test_list_templates_with_page_token_reads_one_page_and_hands_on_the_cursor(wire, v3):
    wire.get(V3_LIST + "?limit=2&token=n2", payload=answer("TemplateList", FIRST_PAGE, has_more=True, next_token="n3"))

    result = await run_action("list_templates", {"page_token": "n2", "limit": 2, "name_contains": "launch"})

    assert data_of(result) == {"templates": LISTED[:1], "total": None, "next_page_token": "n3", "has_more": True}
    assert len(sent(wire)) == 1


async def test_list_templates_stops_after_ten_pages_and_says_more_follow(wire, v3):
    for page in range(10):
        token = None if page == 0 else f"p{page}"
        body = answer("TemplateList", [{"id": f"t{page}", "name": "T"}], has_more=True, next_token=f"p{page + 1}")
        wire.get(V3_LIST + page_query(token), payload=body)

    result = data_of(await run_action("list_templates", {}))

    assert (len(result["templates"]), result["total"], result["next_page_token"], result["has_more"]) == (
        10,
        None,
        "p10",
        True,
    )


async def test_a_page_token_cannot_go_to_the_legacy_api_so_a_retired_v3_is_a_clear_refusal(wire, v3):
    wire.get(V3_LIST + "?limit=100&token=n2", **gone_page())

    message = validation_error_of(await run_action("list_templates", {"page_token": "n2"}))

    assert "page_token: HeyGen's legacy API lists everything at once: leave it out" in message
    assert [call[1] for call in sent(wire)] == [V3_LIST + "?limit=100&token=n2"]


async def test_list_templates_falls_back_to_the_legacy_route_when_v3_is_gone(wire, v3):
    wire.get(V3_LIST + page_query(), **gone_page())
    wire.get(TEMPLATES, payload=v2({"templates": [dict(item) for item in LISTED]}))

    result = data_of(await run_action("list_templates", {}))

    assert result == {"templates": LISTED, "total": 3, "next_page_token": None, "has_more": False}
    assert [call[1] for call in sent(wire)] == [V3_LIST + page_query(), TEMPLATES]


# ---------------------------------------------------------------- get_template


def v3_detail() -> dict:
    """TEMPLATE_DETAILS as v3 gives it: defaults by name, each variable's type also in the scenes."""
    variables = {name: dict(item) for name, item in TEMPLATE_DETAILS["variables"].items()}
    scene_variables = [{"name": name, "variable_type": item["type"]} for name, item in variables.items()]
    return {
        "id": TEMPLATE_ID,
        "name": "Product Launch",
        "scene_ids": ["s1"],
        "scenes": [{"scene_id": "s1", "script": "{{headline}}", "variables": scene_variables}],
        "variables": variables,
    }


async def test_get_template_reads_v3_variables_in_todays_shape(wire, auth, v3):
    wire.get(V3_TEMPLATE, payload=answer("TemplateGet", v3_detail()))

    result = await run_action("get_template", {"template_id": TEMPLATE_ID}, auth=auth)

    assert data_of(result) == {"template_id": TEMPLATE_ID, "variables": TEMPLATE_VARIABLES}
    (call,) = sent(wire)
    check_request(call, "GET", V3_TEMPLATE, auth)


async def test_get_template_takes_a_type_from_the_scenes_and_lists_scene_only_variables(wire, v3):
    detail = {
        "id": TEMPLATE_ID,
        "name": "T",
        "variables": {"tagline": {"properties": {"content": "Hi"}}},
        "scenes": [
            {
                "scene_id": "s1",
                "variables": [{"name": "tagline", "variable_type": "text"}, {"name": "face", "variable_type": "image"}],
            }
        ],
    }
    wire.get(V3_TEMPLATE, payload=answer("TemplateGet", detail))

    result = await run_action("get_template", {"template_id": TEMPLATE_ID})

    assert data_of(result)["variables"] == [
        {"name": "tagline", "type": "text", "raw_type": "text", "properties": {"content": "Hi"}},
        {"name": "face", "type": "image", "raw_type": "image", "properties": None},
    ]


async def test_get_template_escapes_the_id_in_the_v3_path(wire, v3):
    wire.get(url("TemplateGet", template_id="a/../b"), payload=answer("TemplateGet", {"id": "a/../b", "name": "T"}))

    result = await run_action("get_template", {"template_id": "a/../b"})

    assert data_of(result) == {"template_id": "a/../b", "variables": []}
    assert sent(wire)[0][1].endswith("/v3/templates/a%2F..%2Fb")


# ---------------------------------------------------------------- generate_template_video


def created_video(status: str = "pending") -> dict:
    return answer("TemplateGenerate", {"id": VIDEO_ID, "status": status})


async def test_generate_template_video_checks_the_v3_template_then_posts_the_variables(wire, auth, v3):
    wire.get(V3_TEMPLATE, payload=answer("TemplateGet", v3_detail()))
    wire.post(V3_GENERATE, payload=created_video())

    result = await run_action(
        "generate_template_video", {"template_id": TEMPLATE_ID, "variables": VARIABLES}, auth=auth
    )

    assert data_of(result) == CREATED  # the same output as the legacy route's
    get, (method, sent_url, kwargs) = sent(wire)
    check_request(get, "GET", V3_TEMPLATE, auth)
    assert (method, sent_url) == ("POST", V3_GENERATE)
    check_auth(kwargs["headers"], auth)
    assert kwargs["headers"]["Idempotency-Key"]
    assert sent_body("TemplateGenerate", kwargs) == {"variables": SENT_VARIABLES}


async def test_generate_template_video_sends_every_v3_option_and_the_workflows_idempotency_key(wire, v3):
    options = {
        "title": "Launch video",
        "caption": True,
        "dimension": {"width": 1080, "height": 1920},
        "callback_id": "launch-7",
        "callback_url": "https://hooks.example.com/heygen",
        "folder_id": "fld_3",
        "brand_voice_id": "bv_9",
    }
    wire.post(V3_GENERATE, payload=created_video())
    inputs = {
        "template_id": TEMPLATE_ID,
        "variables": VARIABLES,
        "validate_against_template": False,
        "idempotency_key": "run-42:step-3",
        **options,
    }

    result = await run_action("generate_template_video", inputs)

    assert data_of(result) == {**CREATED, "callback_id": "launch-7"}
    ((_, _, kwargs),) = sent(wire)
    assert kwargs["headers"]["Idempotency-Key"] == "run-42:step-3"
    assert sent_body("TemplateGenerate", kwargs) == {"variables": SENT_VARIABLES, **options}


async def test_a_timed_out_v3_generate_is_resent_with_the_same_key_and_makes_one_video(wire, v3):
    wire.post(V3_GENERATE, exception=asyncio.TimeoutError())
    wire.post(V3_GENERATE, payload=created_video())
    inputs = {"template_id": TEMPLATE_ID, "variables": VARIABLES, "validate_against_template": False}

    result = await run_action("generate_template_video", inputs)

    assert data_of(result)["video_id"] == VIDEO_ID
    first, second = sent(wire)
    assert first[2]["headers"]["Idempotency-Key"] == second[2]["headers"]["Idempotency-Key"]


async def test_generate_template_video_waits_through_the_v3_video_status(wire, v3):
    wire.post(V3_GENERATE, payload=created_video())
    done = {"id": VIDEO_ID, "status": "completed", "video_url": "https://files.heygen.ai/v.mp4", "completed_at": 1700}
    wire.get(url("VideoGet", video_id=VIDEO_ID), payload=answer("VideoGet", done))
    inputs = {"template_id": TEMPLATE_ID, "variables": VARIABLES, "validate_against_template": False}

    result = data_of(await run_action("generate_template_video", {**inputs, "wait_for_completion": True}))

    assert (result["status"], result["video_url"], result["completed_at"]) == (
        "completed",
        "https://files.heygen.ai/v.mp4",
        1700,
    )


async def test_test_mode_is_never_sent_to_v3_but_the_legacy_route_honours_it(wire, v3):
    wire.post(GENERATE, payload=v2({"video_id": VIDEO_ID}))
    inputs = {"template_id": TEMPLATE_ID, "variables": VARIABLES, "validate_against_template": False, "test": True}

    result = await run_action("generate_template_video", inputs)

    assert data_of(result) == CREATED
    (call,) = sent(wire)
    check_request(call, "POST", GENERATE, OAUTH_AUTH, {"variables": SENT_VARIABLES, "test": True})


async def test_test_mode_with_the_legacy_route_gone_is_refused_and_nothing_is_billed(wire, v3):
    wire.post(GENERATE, **gone_page())
    inputs = {"template_id": TEMPLATE_ID, "variables": VARIABLES, "validate_against_template": False, "test": True}

    message = validation_error_of(await run_action("generate_template_video", inputs))

    assert "test: HeyGen's v3 API has no test mode (every v3 render is billed)" in message
    assert [call[1] for call in sent(wire)] == [GENERATE]  # never POST /v3/templates/...


async def test_generate_template_video_falls_back_to_v2_when_v3_templates_are_gone(wire, v3):
    wire.get(V3_TEMPLATE, **gone_page())
    wire.get(TEMPLATE, payload=v2(TEMPLATE_DETAILS))
    wire.post(V3_GENERATE, **gone_page())
    wire.post(GENERATE, payload=v2({"video_id": VIDEO_ID}))

    result = await run_action("generate_template_video", {"template_id": TEMPLATE_ID, "variables": VARIABLES})

    assert data_of(result) == CREATED
    assert [call[1] for call in sent(wire)] == [V3_TEMPLATE, TEMPLATE, V3_GENERATE, GENERATE]


@pytest.mark.parametrize("name", ["TemplateList", "TemplateGet", "TemplateGenerate"])
def test_the_template_routes_come_from_heygens_schema_file(name):
    from heygen_actions import template_routes, templates

    routes = (*template_routes.LIST_ROUTES, *templates.GET_ROUTES, *templates.GENERATE_ROUTES)
    assert paths.v3(name).path in {route.path for route in routes if route.generation == "v3"}
