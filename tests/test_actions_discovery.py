"""Discovery actions at the wire: list_avatars, list_voices, list_voice_locales, get_avatar_details.

HeyGen returns thousands of avatars and voices at once; the actions filter and page them locally.
"""

import pytest

from heygen_actions.cursor_pages import Cursor, encode
from tests.conftest import API, OAUTH_AUTH, request_count, run_action, sent
from tests.helpers import check_request, data_of, v2

AVATARS_URL = f"{API}/v2/avatars"
VOICES_URL = f"{API}/v2/voices"
LOCALES_URL = f"{API}/v2/voices/locales"
LANGUAGES = ("English", "Spanish", "French", "German")


def paging(page: int, limit: int, more: bool) -> dict:
    """A list output's paging fields; next_page_token resumes right after this page."""
    token = encode(Cursor(page=page + 1, skip=page * limit)) if more else None
    return {"page": page, "limit": limit, "has_more": more, "next_page_token": token}


# ---------------------------------------------------------------- HeyGen-shaped catalogues


def voice(i: int) -> dict:
    """Voice i: language cycles English/Spanish/French/German; gender alternates every four voices."""
    return {
        "voice_id": f"voice_{i:04d}",
        "language": LANGUAGES[i % 4],
        "gender": "Female" if (i // 4) % 2 == 0 else "Male",
        "name": f"Voice {i:04d} - {'Lively' if i % 3 == 0 else 'Calm'}",
        "preview_audio": f"https://static.heygen.ai/voice_preview/{i:04d}.mp3",
        "support_pause": i % 2 == 0,
        "emotion_support": i % 5 == 0,
        "support_interactive_avatar": i % 7 == 0,
        "support_locale": False,
    }


def voice_out(i: int) -> dict:
    return voice(i)  # every field HeyGen sends is one the output keeps, under the same name


VOICES = [voice(i) for i in range(2000)]


def avatar(i: int) -> dict:
    return {
        "avatar_id": f"Avatar{i:03d}-suit-20240101",
        "avatar_name": f"{'Angela' if i % 10 == 0 else 'Tyler'} {i:03d}",
        "gender": "female" if i % 2 == 0 else "male",
        "preview_image_url": f"https://files.heygen.ai/avatar/{i:03d}.webp",
        "preview_video_url": f"https://files.heygen.ai/avatar/{i:03d}.mp4",
        "premium": i % 3 == 0,
        "type": None,
        "tags": ["NEW"] if i % 4 == 0 else None,
        "default_voice_id": f"voice_{i:04d}",
    }


def talking_photo(i: int) -> dict:
    return {
        "talking_photo_id": f"tp{i:03d}",
        "talking_photo_name": f"{'Angela' if i % 5 == 0 else 'Photo'} look {i:03d}",
        "preview_image_url": f"https://files.heygen.ai/talking_photo/{i:03d}.jpg",
    }


AVATARS = [avatar(i) for i in range(300)]
TALKING_PHOTOS = [talking_photo(i) for i in range(60)]
CATALOGUE = v2({"avatars": AVATARS, "talking_photos": TALKING_PHOTOS})


# ---------------------------------------------------------------- list_voices


async def test_list_voices_first_page_by_default(wire, auth):
    wire.get(VOICES_URL, payload=v2({"voices": VOICES}))

    result = await run_action("list_voices", {}, auth=auth)

    assert data_of(result) == {
        "voices": [voice_out(i) for i in range(50)],
        "total": 2000,
        **paging(1, 50, True),
    }
    (call,) = sent(wire)
    check_request(call, "GET", VOICES_URL, auth)


async def test_list_voices_language_any_case_and_gender_with_limit(wire):
    wire.get(VOICES_URL, payload=v2({"voices": VOICES}))

    result = await run_action("list_voices", {"language": "spanish", "gender": "female", "limit": 20})

    # Spanish voices are i % 4 == 1 (500 of them); female ones among those have (i // 4) even: i = 1, 9, 17, ...
    assert data_of(result) == {
        "voices": [voice_out(1 + 8 * k) for k in range(20)],
        "total": 250,
        **paging(1, 20, True),
    }
    assert request_count(wire) == 1


async def test_list_voices_last_partial_page(wire):
    wire.get(VOICES_URL, payload=v2({"voices": VOICES}))

    result = await run_action("list_voices", {"language": "Spanish", "gender": "Female", "limit": 20, "page": 13})

    assert data_of(result) == {
        "voices": [voice_out(1 + 8 * k) for k in range(240, 250)],
        "total": 250,
        **paging(13, 20, False),
    }


async def test_list_voices_page_past_the_end_is_empty(wire):
    wire.get(VOICES_URL, payload=v2({"voices": VOICES}))

    result = await run_action("list_voices", {"language": "German", "page": 99, "limit": 500})

    assert data_of(result) == {"voices": [], "total": 500, **paging(99, 500, False)}


async def test_list_voices_name_emotion_and_interactive_filters(wire):
    wire.get(VOICES_URL, payload=v2({"voices": VOICES}))

    inputs = {"name_contains": "LIVELY", "emotion_support": True, "support_interactive_avatar": True, "limit": 500}
    result = await run_action("list_voices", inputs)

    expected = [i for i in range(2000) if i % 3 == 0 and i % 5 == 0 and i % 7 == 0]
    assert data_of(result) == {
        "voices": [voice_out(i) for i in expected],
        "total": len(expected),
        **paging(1, 500, False),
    }
    assert len(expected) == 20


async def test_list_voices_false_flags_keep_only_voices_without_the_feature(wire):
    wire.get(VOICES_URL, payload=v2({"voices": VOICES[:10]}))

    result = await run_action("list_voices", {"emotion_support": False})

    assert [v["voice_id"] for v in data_of(result)["voices"]] == [f"voice_{i:04d}" for i in range(10) if i % 5 != 0]


async def test_list_voices_missing_fields_are_none(wire):
    wire.get(VOICES_URL, payload=v2({"voices": [{"voice_id": "v-bare"}, "not-an-object"]}))

    result = await run_action("list_voices", {})

    assert data_of(result) == {
        "voices": [
            {
                "voice_id": "v-bare",
                "name": None,
                "language": None,
                "gender": None,
                "preview_audio": None,
                "support_pause": None,
                "emotion_support": None,
                "support_interactive_avatar": None,
                "support_locale": None,
            }
        ],
        "total": 1,
        **paging(1, 50, False),
    }


# ---------------------------------------------------------------- list_voice_locales


async def test_list_voice_locales(wire, auth):
    locales = [
        {"locale": "en-US", "language": "English", "language_code": "en", "tag": "default", "value": "x"},
        {"locale": "es-MX"},
    ]
    wire.get(LOCALES_URL, payload=v2({"locales": locales}))

    result = await run_action("list_voice_locales", {}, auth=auth)

    assert data_of(result) == {
        "locales": [
            {"locale": "en-US", "language": "English", "language_code": "en", "tag": "default"},
            {"locale": "es-MX", "language": None, "language_code": None, "tag": None},
        ],
        "total": 2,
    }
    (call,) = sent(wire)
    check_request(call, "GET", LOCALES_URL, auth)


async def test_list_voice_locales_for_one_voice(wire):
    url = f"{LOCALES_URL}?voice_id=1bd001e7ffe04520adf63141a163d1f8"
    wire.get(url, payload=v2({"locales": [{"locale": "fr-FR", "language": "French"}]}))

    result = await run_action("list_voice_locales", {"voice_id": "1bd001e7ffe04520adf63141a163d1f8"})

    assert data_of(result) == {
        "locales": [{"locale": "fr-FR", "language": "French", "language_code": None, "tag": None}],
        "total": 1,
    }
    (call,) = sent(wire)
    check_request(call, "GET", url, OAUTH_AUTH)


# ---------------------------------------------------------------- list_avatars


async def test_list_avatars_first_page_of_both_lists(wire, auth):
    wire.get(AVATARS_URL, payload=CATALOGUE)

    result = await run_action("list_avatars", {}, auth=auth)

    assert data_of(result) == {
        "avatars": AVATARS[:50],
        "talking_photos": TALKING_PHOTOS[:50],
        "total_avatars": 300,
        "total_talking_photos": 60,
        **paging(1, 50, True),
    }
    (call,) = sent(wire)
    check_request(call, "GET", AVATARS_URL, auth)


async def test_list_avatars_second_page(wire):
    wire.get(AVATARS_URL, payload=CATALOGUE)

    result = await run_action("list_avatars", {"page": 2, "limit": 50})

    assert data_of(result) == {
        "avatars": AVATARS[50:100],
        "talking_photos": TALKING_PHOTOS[50:60],
        "total_avatars": 300,
        "total_talking_photos": 60,
        **paging(2, 50, True),
    }


async def test_list_avatars_last_page_has_no_more(wire):
    wire.get(AVATARS_URL, payload=CATALOGUE)

    result = await run_action("list_avatars", {"page": 3, "limit": 100})

    data = data_of(result)
    assert (data["avatars"], data["talking_photos"], data["has_more"]) == (AVATARS[200:300], [], False)


async def test_list_avatars_name_filter_applies_to_both_lists(wire):
    wire.get(AVATARS_URL, payload=CATALOGUE)

    result = await run_action("list_avatars", {"name_contains": "angela", "limit": 100})

    assert data_of(result) == {
        "avatars": [AVATARS[i] for i in range(0, 300, 10)],
        "talking_photos": [TALKING_PHOTOS[i] for i in range(0, 60, 5)],
        "total_avatars": 30,
        "total_talking_photos": 12,
        **paging(1, 100, False),
    }


async def test_list_avatars_gender_and_premium_filters_leave_out_talking_photos(wire):
    wire.get(AVATARS_URL, payload=CATALOGUE)

    result = await run_action("list_avatars", {"gender": "Female", "premium": True, "limit": 20})

    expected = [AVATARS[i] for i in range(300) if i % 2 == 0 and i % 3 == 0]
    assert data_of(result) == {
        "avatars": expected[:20],
        "talking_photos": [],
        "total_avatars": 50,
        "total_talking_photos": 0,
        **paging(1, 20, True),
    }


async def test_list_avatars_premium_false_keeps_only_standard_avatars(wire):
    wire.get(AVATARS_URL, payload=CATALOGUE)

    result = await run_action("list_avatars", {"premium": False, "include_talking_photos": False, "limit": 500})

    data = data_of(result)
    assert data["avatars"] == [AVATARS[i] for i in range(300) if i % 3 != 0]
    assert data["total_avatars"] == 200


async def test_list_avatars_include_talking_photos_false(wire):
    wire.get(AVATARS_URL, payload=CATALOGUE)

    result = await run_action("list_avatars", {"include_talking_photos": False, "limit": 10})

    assert data_of(result) == {
        "avatars": AVATARS[:10],
        "talking_photos": [],
        "total_avatars": 300,
        "total_talking_photos": 0,
        **paging(1, 10, True),
    }


async def test_list_avatars_missing_fields_are_none_and_missing_lists_are_empty(wire):
    wire.get(AVATARS_URL, payload=v2({"avatars": [{"avatar_id": "bare"}]}))

    result = await run_action("list_avatars", {})

    assert data_of(result) == {
        "avatars": [
            {
                "avatar_id": "bare",
                "avatar_name": None,
                "gender": None,
                "preview_image_url": None,
                "preview_video_url": None,
                "premium": None,
                "type": None,
                "tags": None,
                "default_voice_id": None,
            }
        ],
        "talking_photos": [],
        "total_avatars": 1,
        "total_talking_photos": 0,
        **paging(1, 50, False),
    }


# ---------------------------------------------------------------- get_avatar_details

DETAILS = {
    "type": "avatar",
    "id": "Angela-inblackskirt-20220820",
    "name": "Angela in Black Dress",
    "gender": "female",
    "preview_image_url": "https://files.heygen.ai/avatar/angela.webp",
    "preview_video_url": "https://files.heygen.ai/avatar/angela.mp4",
    "premium": False,
    "is_public": True,
    "default_voice_id": "1bd001e7ffe04520adf63141a163d1f8",
    "tags": ["AVATAR_IV"],
}
DETAILS_OUT = {
    "avatar_id": "Angela-inblackskirt-20220820",
    "name": "Angela in Black Dress",
    "type": "avatar",
    "gender": "female",
    "preview_image_url": "https://files.heygen.ai/avatar/angela.webp",
    "preview_video_url": "https://files.heygen.ai/avatar/angela.mp4",
    "premium": False,
    "is_public": True,
    "default_voice_id": "1bd001e7ffe04520adf63141a163d1f8",
    "tags": ["AVATAR_IV"],
}
DETAILS_URL = f"{API}/v2/avatar/Angela-inblackskirt-20220820/details"


@pytest.mark.parametrize("field", ["avatar_id", "id"], ids=["avatar_id", "old_name_id"])
async def test_get_avatar_details(wire, auth, field):
    wire.get(DETAILS_URL, payload=v2(DETAILS))

    result = await run_action("get_avatar_details", {field: "Angela-inblackskirt-20220820"}, auth=auth)

    assert data_of(result) == DETAILS_OUT
    (call,) = sent(wire)
    check_request(call, "GET", DETAILS_URL, auth)


async def test_get_avatar_details_missing_fields_are_none(wire):
    wire.get(DETAILS_URL, payload=v2({}))

    result = await run_action("get_avatar_details", {"avatar_id": "Angela-inblackskirt-20220820"})

    assert data_of(result) == {
        "avatar_id": "Angela-inblackskirt-20220820",
        "name": None,
        "type": None,
        "gender": None,
        "preview_image_url": None,
        "preview_video_url": None,
        "premium": None,
        "is_public": None,
        "default_voice_id": None,
        "tags": None,
    }


async def test_get_avatar_details_escapes_the_id_in_the_path(wire):
    wire.get(f"{API}/v2/avatar/a%2Fb%3Fc/details", payload=v2({"id": "a/b?c", "name": "Odd"}))

    result = await run_action("get_avatar_details", {"avatar_id": "a/b?c"})

    assert data_of(result)["avatar_id"] == "a/b?c"
    (call,) = sent(wire)
    assert call[1] == f"{API}/v2/avatar/a%2Fb%3Fc/details"
