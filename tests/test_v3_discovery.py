"""list_voices, list_avatars, get_avatar_details and list_voice_locales on HeyGen's v3 API, at the wire.

The same inputs give the v3 request (paths from the vendored schema file, answers valid against its response
schemas) and, on the legacy API, the legacy request, with the same output. Cursor paging: page/limit keep
working, next_page_token resumes exactly, total is null unless the whole list was read.
"""

import re

from heygen_actions.cursor_pages import MAX_HEYGEN_PAGES, Cursor, encode
from heygen_core.paths import v3 as endpoint
from tests.conftest import API, request_count, run_action, sent
from tests.helpers import check_request, data_of, error_of, split, v2, validation_error_of
from tests.v3_schemas import response_problems

VOICES = re.compile(r"^https://api\.heygen\.com/v3/voices(\?.*)?$")
LOOKS = re.compile(r"^https://api\.heygen\.com/v3/avatars/looks(\?.*)?$")
LEGACY_VOICES = f"{API}/v2/voices"
LEGACY_AVATARS = f"{API}/v2/avatars"
GONE_PAGE = "<html><body>404 Not Found</body></html>"


def v3_voice(i: int, kind: str = "public") -> dict:
    return {
        "voice_id": f"{kind}_{i:04d}",
        "name": f"Voice {i:04d} {'Lively' if i % 3 == 0 else 'Calm'}",
        "language": "Spanish" if i % 2 else "English",
        "gender": "female" if i % 4 < 2 else "male",
        "type": kind,
        "support_pause": True,
        "support_locale": i % 5 == 0,
        "preview_audio_url": f"https://static.heygen.ai/voice_preview/{kind}{i:04d}.mp3",
    }


def legacy_voice(voice: dict) -> dict:
    """The same voice as the legacy list gives it."""
    fields = ("voice_id", "name", "language", "gender", "support_pause", "support_locale")
    return {**{k: voice[k] for k in fields}, "preview_audio": voice["preview_audio_url"]}


def voice_out(voice: dict) -> dict:
    return {**legacy_voice(voice), "emotion_support": None, "support_interactive_avatar": None}


def page(items, next_token=None, endpoint_name="VoiceList") -> dict:
    body = {"data": items, "has_more": next_token is not None, "next_token": next_token}
    assert response_problems(endpoint_name, body) == []
    return body


def queries(wire) -> list[tuple[str, list]]:
    return [(split(url)[2], split(url)[3]) for _, url, _ in sent(wire)]


# ---------------------------------------------------------------- list_voices


async def test_list_voices_reads_one_v3_page_and_hands_out_a_token(v3, wire, auth):
    public = [v3_voice(i) for i in range(100)]
    wire.get(VOICES, payload=page(public, next_token="cursor-2"))

    result = await run_action("list_voices", {"limit": 20}, auth=auth)

    assert data_of(result) == {
        "voices": [voice_out(v) for v in public[:20]],
        "total": None,  # not known without reading every page
        "page": 1,
        "limit": 20,
        "has_more": True,
        "next_page_token": encode(Cursor(page=2, skip=20)),
    }
    (call,) = sent(wire)
    assert endpoint("VoiceList").path == "/v3/voices"
    check_request(call, "GET", f"{API}/v3/voices?type=public&limit=100", auth)


async def test_list_voices_same_output_on_both_generations_when_the_whole_list_is_read(v3, wire, monkeypatch):
    public, private = [v3_voice(i) for i in range(3)], [v3_voice(i, "private") for i in range(2)]
    wire.get(VOICES, payload=page(public))
    wire.get(VOICES, payload=page(private))

    on_v3 = data_of(await run_action("list_voices", {}))

    monkeypatch.setenv("HEYGEN_API_VERSION", "legacy")
    wire.get(LEGACY_VOICES, payload=v2({"voices": [legacy_voice(v) for v in public + private]}))
    on_legacy = data_of(await run_action("list_voices", {}))

    assert on_v3 == on_legacy
    assert on_v3["total"] == 5 and on_v3["has_more"] is False and on_v3["next_page_token"] is None
    assert queries(wire) == [
        ("/v3/voices", [("limit", "100"), ("type", "public")]),
        ("/v3/voices", [("limit", "100"), ("type", "private")]),
        ("/v2/voices", []),
    ]


async def test_list_voices_filters_go_to_heygen(v3, wire):
    voices = [v3_voice(i) for i in range(1, 40, 2)]
    wire.get(VOICES, payload=page(voices))

    result = await run_action("list_voices", {"language": "Spanish", "gender": "Female", "type": "public"})

    assert [v["voice_id"] for v in data_of(result)["voices"]] == [
        v["voice_id"] for v in voices if v["gender"] == "female"
    ]
    assert queries(wire) == [
        ("/v3/voices", [("gender", "female"), ("language", "Spanish"), ("limit", "100"), ("type", "public")])
    ]


async def test_list_voices_page_token_resumes_inside_the_same_heygen_page(v3, wire):
    public = [v3_voice(i) for i in range(100)]
    wire.get(VOICES, payload=page(public, next_token="cursor-2"), repeat=True)
    first = data_of(await run_action("list_voices", {"limit": 30}))

    second = data_of(await run_action("list_voices", {"limit": 30, "page_token": first["next_page_token"]}))

    assert [v["voice_id"] for v in second["voices"]] == [v["voice_id"] for v in public[30:60]]
    assert second["page"] == 2
    assert second["next_page_token"] == encode(Cursor(page=3, skip=60))


async def test_list_voices_page_token_carries_heygen_cursor_to_the_next_page(v3, wire):
    wire.get(VOICES, payload=page([v3_voice(i) for i in range(100)], next_token="cursor-2"))
    first = data_of(await run_action("list_voices", {"limit": 100, "type": "public"}))
    assert first["next_page_token"] == encode(Cursor(page=2, skip=0, segment=0, token="cursor-2"))
    wire.get(VOICES, payload=page([v3_voice(i) for i in range(100, 110)]))

    second = data_of(
        await run_action("list_voices", {"limit": 100, "type": "public", "page_token": first["next_page_token"]})
    )

    assert [v["voice_id"] for v in second["voices"]] == [f"public_{i:04d}" for i in range(100, 110)]
    assert second["has_more"] is False and second["total"] is None  # started mid-list: the total is unknown
    assert queries(wire)[1] == ("/v3/voices", [("limit", "100"), ("token", "cursor-2"), ("type", "public")])


async def test_list_voices_page_n_walks_heygen_pages_and_name_filter_is_applied_here(v3, wire):
    # every third voice is Lively: 34 of page one's 100, 33 of page two's
    wire.get(VOICES, payload=page([v3_voice(i) for i in range(100)], next_token="cursor-2"))
    wire.get(VOICES, payload=page([v3_voice(i) for i in range(100, 200)]))

    result = data_of(
        await run_action("list_voices", {"name_contains": "lively", "type": "public", "limit": 30, "page": 2})
    )

    lively = [f"public_{i:04d}" for i in range(200) if i % 3 == 0]
    assert [v["voice_id"] for v in result["voices"]] == lively[30:60]
    assert result["next_page_token"] == encode(Cursor(page=3, skip=26, segment=0, token="cursor-2"))


async def test_list_voices_walk_is_bounded_and_its_token_continues(v3, wire):
    wire.get(VOICES, payload=page([v3_voice(i) for i in range(100)], next_token="more"), repeat=True)

    result = data_of(await run_action("list_voices", {"name_contains": "nobody", "type": "public"}))

    assert request_count(wire) == MAX_HEYGEN_PAGES
    assert result["voices"] == [] and result["has_more"] is True
    assert result["next_page_token"] == encode(Cursor(page=1, skip=0, segment=0, token="more"))


async def test_list_voices_emotion_filter_takes_the_legacy_route(v3, wire):
    wire.get(LEGACY_VOICES, payload=v2({"voices": [{**legacy_voice(v3_voice(0)), "emotion_support": True}]}))

    result = data_of(await run_action("list_voices", {"emotion_support": True}))

    assert [v["voice_id"] for v in result["voices"]] == ["public_0000"]
    assert queries(wire) == [("/v2/voices", [])]


async def test_list_voices_emotion_filter_refused_when_the_legacy_route_is_gone(v3, wire):
    wire.get(LEGACY_VOICES, status=404, body=GONE_PAGE, content_type="text/html")

    message = validation_error_of(await run_action("list_voices", {"emotion_support": True}))

    assert "emotion_support" in message and "leave it out" in message


async def test_list_voices_refuses_a_made_up_page_token(v3, wire):
    message = validation_error_of(await run_action("list_voices", {"page_token": "not-ours"}))

    assert "page_token" in message and request_count(wire) == 0


# ---------------------------------------------------------------- list_avatars


def look(i: int, kind: str) -> dict:
    return {
        "id": f"look_{kind}_{i}",
        "name": f"{'Angela' if i % 2 == 0 else 'Tyler'} {kind} {i}",
        "avatar_type": kind,
        "gender": "female" if i % 2 == 0 else "male",
        "group_id": f"group_{i}",
        "preview_image_url": f"https://files.heygen.ai/look/{kind}{i}.webp",
        "preview_video_url": None,
        "default_voice_id": f"voice_{i}",
        "tags": ["NEW"],
        "supported_api_engines": ["avatar_iv"],
    }


def look_out(item: dict) -> dict:
    return {
        "avatar_id": item["id"],
        "avatar_name": item["name"],
        "gender": item["gender"],
        "preview_image_url": item["preview_image_url"],
        "preview_video_url": None,
        "premium": None,
        "type": item["avatar_type"],
        "tags": ["NEW"],
        "default_voice_id": item["default_voice_id"],
    }


LOOK_LIST = [look(0, "studio_avatar"), look(1, "digital_twin"), look(2, "photo_avatar"), look(3, "studio_avatar")]


async def test_list_avatars_lists_every_look_as_an_avatar(v3, wire, auth):
    wire.get(LOOKS, payload=page(LOOK_LIST, endpoint_name="AvatarLooksList"))

    result = await run_action("list_avatars", {}, auth=auth)

    assert data_of(result) == {
        "avatars": [look_out(item) for item in LOOK_LIST],
        "talking_photos": [],
        "total_avatars": 4,
        "total_talking_photos": 0,
        "page": 1,
        "limit": 50,
        "has_more": False,
        "next_page_token": None,
    }
    (call,) = sent(wire)
    check_request(call, "GET", f"{API}/v3/avatars/looks?limit=50", auth)


async def test_list_avatars_filters_here_and_leaves_photo_looks_out_on_request(v3, wire):
    wire.get(LOOKS, payload=page(LOOK_LIST, endpoint_name="AvatarLooksList"))

    inputs = {"name_contains": "angela", "gender": "female", "include_talking_photos": False}
    result = data_of(await run_action("list_avatars", inputs))

    assert [a["avatar_id"] for a in result["avatars"]] == ["look_studio_avatar_0"]


async def test_list_avatars_premium_goes_to_the_legacy_route_and_is_refused_once_it_is_gone(v3, wire):
    wire.get(LEGACY_AVATARS, status=410, body="gone")

    message = validation_error_of(await run_action("list_avatars", {"premium": True}))

    assert "premium" in message and "v3" in message
    assert queries(wire) == [("/v2/avatars", [])]


# ---------------------------------------------------------------- get_avatar_details


async def test_get_avatar_details_reads_the_look_by_either_input(v3, wire, auth):
    item = look(0, "studio_avatar")
    body = {"data": item}
    assert response_problems("AvatarLooksGet", body) == []
    wire.get(f"{API}/v3/avatars/looks/look_studio_avatar_0", payload=body, repeat=True)

    by_new = data_of(await run_action("get_avatar_details", {"avatar_id": "look_studio_avatar_0"}, auth=auth))
    by_old = data_of(await run_action("get_avatar_details", {"id": "look_studio_avatar_0"}, auth=auth))

    assert (
        by_new
        == by_old
        == {
            "avatar_id": "look_studio_avatar_0",
            "name": item["name"],
            "type": "studio_avatar",
            "gender": "female",
            "preview_image_url": item["preview_image_url"],
            "preview_video_url": None,
            "premium": None,
            "is_public": None,
            "tags": ["NEW"],
            "default_voice_id": "voice_0",
        }
    )
    check_request(sent(wire)[0], "GET", f"{API}/v3/avatars/looks/look_studio_avatar_0", auth)


async def test_get_avatar_details_escapes_the_look_id(v3, wire):
    wire.get(
        f"{API}/v3/avatars/looks/a%2Fb%3Fc",
        payload={"data": {"id": "a/b?c", "name": "Odd", "avatar_type": "photo_avatar"}},
    )

    assert data_of(await run_action("get_avatar_details", {"avatar_id": "a/b?c"}))["type"] == "photo_avatar"


async def test_get_avatar_details_falls_back_to_legacy_when_v3_is_not_served(v3, wire):
    wire.get(f"{API}/v3/avatars/looks/Angela", status=404, body=GONE_PAGE, content_type="text/html")
    wire.get(f"{API}/v2/avatar/Angela/details", payload=v2({"id": "Angela", "name": "Angela", "type": "avatar"}))

    result = data_of(await run_action("get_avatar_details", {"avatar_id": "Angela"}))

    assert (result["avatar_id"], result["type"]) == ("Angela", "avatar")


# ---------------------------------------------------------------- list_voice_locales (legacy only)


async def test_list_voice_locales_uses_the_legacy_route_on_v3_while_it_is_served(v3, wire):
    wire.get(f"{API}/v2/voices/locales", payload=v2({"locales": [{"locale": "en-US"}]}))

    result = data_of(await run_action("list_voice_locales", {}))

    assert result["locales"][0]["locale"] == "en-US" and result["total"] == 1


async def test_list_voice_locales_once_the_legacy_route_is_gone_says_what_to_do(v3, wire):
    wire.get(f"{API}/v2/voices/locales", status=404, body=GONE_PAGE, content_type="text/html")

    message = error_of(await run_action("list_voice_locales", {}))

    assert "no longer serves GET /v2/voices/locales" in message
    assert "no list of voice locales" in message and "locale in the voice settings" in message


async def test_list_voices_total_is_unknown_when_heygen_gives_no_cursor_for_more(v3, wire):
    wire.get(VOICES, payload={"data": [v3_voice(0)], "has_more": True, "next_token": None})

    result = data_of(await run_action("list_voices", {"type": "public"}))

    assert (len(result["voices"]), result["total"], result["has_more"]) == (1, None, False)
