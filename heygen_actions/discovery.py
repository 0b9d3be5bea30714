"""Finding avatars and voices: filtered, paged lists (a real account has thousands) and details.

On v3, avatars are looks (`GET /v3/avatars/looks`) and voices come a cursor page at a time (`GET /v3/voices`);
filters HeyGen applies go to HeyGen, the others are applied here while `cursor_pages.walk` reads pages. The
legacy lists come whole and are filtered and paged here. Both give the same output.
"""

from heygen_core.action import HeyGenAction
from heygen_core.app import integration
from heygen_core.routes import NotExpressible, Request, call_routes, on_legacy, on_v3, routes_for
from heygen_core.shapes import as_dict, list_of, page_of, pick
from heygen_actions import cursor_pages
from heygen_actions.cursor_pages import Batch, legacy_list, paged, v3_batch, with_cursor

AVATAR_FIELDS = (
    "avatar_id",
    "avatar_name",
    "gender",
    "preview_image_url",
    "preview_video_url",
    "premium",
    "type",
    "tags",
    "default_voice_id",
)
TALKING_PHOTO_FIELDS = ("talking_photo_id", "talking_photo_name", "preview_image_url")
VOICE_FIELDS = (
    "voice_id",
    "name",
    "language",
    "gender",
    "preview_audio",
    "support_pause",
    "emotion_support",
    "support_interactive_avatar",
    "support_locale",
)
DETAIL_FIELDS = ("name", "type", "gender", "preview_image_url", "preview_video_url", "premium", "is_public", "tags")
LOCALE_FIELDS = ("locale", "language", "language_code", "tag")
DEFAULT_PAGE_SIZE = 50
LOOKS_PAGE = 50  # HeyGen's v3 maximum page sizes
VOICES_PAGE = 100
VOICE_TYPES = ("public", "private")  # without a type filter, both are listed, public first
LOCALES_GONE = (
    "HeyGen's v3 API has no list of voice locales: give the locale you want (e.g. en-US) as locale in the voice "
    "settings of create_avatar_video or create_photo_avatar_video; voices with support_locale true accept one"
)


def contains(value, wanted: str | None) -> bool:
    return wanted is None or (isinstance(value, str) and wanted.casefold() in value.casefold())


def same_word(value, wanted: str | None) -> bool:
    return wanted is None or (isinstance(value, str) and value.casefold() == wanted.casefold())


def same_flag(value, wanted: bool | None) -> bool:
    return wanted is None or bool(value) == wanted


# ---------------------------------------------------------------- list_avatars


def avatar_matches(inputs: dict):
    name, gender = inputs.get("name_contains"), inputs.get("gender")

    def keep(avatar: dict) -> bool:
        return (
            contains(avatar.get("avatar_name") or avatar.get("avatar_id"), name)
            and same_word(avatar.get("gender"), gender)
            and same_flag(avatar.get("premium"), inputs.get("premium"))
        )

    return keep


def look_as_avatar(look: dict) -> dict:
    """A v3 look in list_avatars' avatar shape: its id is the avatar_id v3 videos take."""
    return {
        "avatar_id": look.get("id"),
        "avatar_name": look.get("name"),
        "gender": look.get("gender"),
        "preview_image_url": look.get("preview_image_url"),
        "preview_video_url": look.get("preview_video_url"),
        "premium": None,
        "type": look.get("avatar_type"),
        "tags": look.get("tags"),
        "default_voice_id": look.get("default_voice_id"),
    }


def avatar_looks_request(inputs: dict) -> Request:
    if inputs.get("premium") is not None:
        raise NotExpressible("premium", "HeyGen's v3 API does not say which avatars are premium: leave premium out")
    cursor = inputs["cursor"]
    return Request(query={"limit": LOOKS_PAGE, "token": cursor.token})


def avatar_looks_batch(data, inputs: dict) -> Batch:
    with_photos = inputs.get("include_talking_photos", True)
    batch = v3_batch(data)
    batch.items = [
        look_as_avatar(look)
        for look in batch.items
        if look.get("id") and (with_photos or look.get("avatar_type") != "photo_avatar")
    ]
    return batch


def legacy_avatars(data, inputs: dict) -> dict:
    cursor, limit = inputs["cursor"], inputs["limit"]
    keep, gender, name = avatar_matches(inputs), inputs.get("gender"), inputs.get("name_contains")
    avatars = [avatar for avatar in list_of(data, "avatars") if keep(avatar)]
    photos = []
    if inputs.get("include_talking_photos", True) and gender is None and not inputs.get("premium"):
        photos = [
            photo
            for photo in list_of(data, "talking_photos")
            if contains(photo.get("talking_photo_name") or photo.get("talking_photo_id"), name)
        ]
    avatar_page = avatars[cursor.skip : cursor.skip + limit]
    photo_page, more_photos = page_of(photos, cursor.page, limit)
    more = cursor.skip + limit < len(avatars) or more_photos
    following = cursor_pages.Cursor(page=cursor.page + 1, skip=cursor.skip + limit)
    return {  # shaped after paging: a page of entries, not the account's thousands
        "avatars": [pick(avatar, AVATAR_FIELDS) for avatar in avatar_page],
        "talking_photos": [pick(photo, TALKING_PHOTO_FIELDS) for photo in photo_page],
        "total_avatars": len(avatars),
        "total_talking_photos": len(photos),
        "page": cursor.page,
        "limit": limit,
        "has_more": more,
        "next_page_token": cursor_pages.encode(following) if more else None,
    }


def avatars_output(walked, start, limit) -> dict:
    return {
        "avatars": [pick(avatar, AVATAR_FIELDS) for avatar in walked.items],
        "talking_photos": [],  # v3 has none: photo avatars are looks, listed in avatars (type photo_avatar)
        "total_avatars": walked.total,
        "total_talking_photos": 0,
        **cursor_pages.page_output(walked, start, limit),
    }


LIST_AVATARS_ROUTES = routes_for(
    "list_avatars",
    on_v3("AvatarLooksList", request=avatar_looks_request, response=avatar_looks_batch),
    on_legacy("GET", "/v2/avatars", request=legacy_list, response=legacy_avatars),
)


@integration.action("list_avatars")
class ListAvatars(HeyGenAction):
    async def run(self, api, inputs):
        inputs = with_cursor(inputs, DEFAULT_PAGE_SIZE)
        return await paged(api, LIST_AVATARS_ROUTES, inputs, avatar_matches(inputs), avatars_output)


# ---------------------------------------------------------------- list_voices


def voice_matches(inputs: dict):
    def keep(voice: dict) -> bool:
        return (
            contains(voice.get("language"), inputs.get("language"))
            and same_word(voice.get("gender"), inputs.get("gender"))
            and contains(voice.get("name"), inputs.get("name_contains"))
            and same_flag(voice.get("emotion_support"), inputs.get("emotion_support"))
            and same_flag(voice.get("support_interactive_avatar"), inputs.get("support_interactive_avatar"))
        )

    return keep


def voice_types(inputs: dict) -> tuple[str, ...]:
    return (inputs["type"],) if inputs.get("type") else VOICE_TYPES


def voices_request(inputs: dict) -> Request:
    for flag in ("emotion_support", "support_interactive_avatar"):
        if inputs.get(flag) is not None:
            raise NotExpressible(flag, f"HeyGen's v3 voice list does not say which voices have {flag}: leave it out")
    cursor, types = inputs["cursor"], voice_types(inputs)
    if cursor.segment >= len(types):
        raise NotExpressible("page_token", "does not belong to this list's filters: start again from page 1")
    gender = inputs.get("gender")
    query = {
        "type": types[cursor.segment],
        "language": inputs.get("language"),
        "gender": gender.lower() if gender else None,
        "limit": VOICES_PAGE,
        "token": cursor.token,
    }
    return Request(query=query)


def v3_voice(voice: dict) -> dict:
    return {**voice, "preview_audio": voice.get("preview_audio_url")}


def voices_batch(data, inputs: dict) -> Batch:
    segments = len(voice_types(inputs))
    batch = v3_batch(data, final=inputs["cursor"].segment + 1 >= segments)
    batch.items = [v3_voice(voice) for voice in batch.items if voice.get("voice_id")]
    return batch


def legacy_voices_request(inputs: dict) -> Request:
    if inputs.get("type"):
        raise NotExpressible("type", "HeyGen's legacy voice list does not say which voices are public or private")
    return legacy_list(inputs)


def legacy_voices(data, inputs: dict) -> dict:
    cursor, limit = inputs["cursor"], inputs["limit"]
    voices = [voice for voice in list_of(data, "voices") if voice_matches(inputs)(voice)]
    more = cursor.skip + limit < len(voices)
    following = cursor_pages.Cursor(page=cursor.page + 1, skip=cursor.skip + limit)
    return {  # shaped after paging: 50 voices, not 2,000
        "voices": [pick(voice, VOICE_FIELDS) for voice in voices[cursor.skip : cursor.skip + limit]],
        "total": len(voices),
        "page": cursor.page,
        "limit": limit,
        "has_more": more,
        "next_page_token": cursor_pages.encode(following) if more else None,
    }


def voices_output(walked, start, limit) -> dict:
    return {
        "voices": [pick(voice, VOICE_FIELDS) for voice in walked.items],
        "total": walked.total,
        **cursor_pages.page_output(walked, start, limit),
    }


LIST_VOICES_ROUTES = routes_for(
    "list_voices",
    on_v3("VoiceList", request=voices_request, response=voices_batch),
    on_legacy("GET", "/v2/voices", request=legacy_voices_request, response=legacy_voices),
)


@integration.action("list_voices")
class ListVoices(HeyGenAction):
    async def run(self, api, inputs):
        inputs = with_cursor(inputs, DEFAULT_PAGE_SIZE)
        return await paged(api, LIST_VOICES_ROUTES, inputs, voice_matches(inputs), voices_output)


# ---------------------------------------------------------------- list_voice_locales (legacy only)


def locales_output(data, inputs: dict) -> dict:
    locales = [pick(locale, LOCALE_FIELDS) for locale in list_of(data, "locales")]
    return {"locales": locales, "total": len(locales)}


LOCALES_ROUTES = routes_for(
    "list_voice_locales",
    on_legacy(
        "GET",
        "/v2/voices/locales",
        request=lambda inputs: Request(query={"voice_id": inputs.get("voice_id")}),
        response=locales_output,
        gone_hint=LOCALES_GONE,
    ),
)


@integration.action("list_voice_locales")
class ListVoiceLocales(HeyGenAction):
    async def run(self, api, inputs):
        return await call_routes(api, LOCALES_ROUTES, inputs)


# ---------------------------------------------------------------- get_avatar_details


def avatar_id_of(inputs: dict) -> str:
    return inputs.get("avatar_id") or inputs.get("id")


def legacy_details(data, inputs: dict) -> dict:
    data = as_dict(data)
    return {
        "avatar_id": str(data.get("id") or avatar_id_of(inputs)),
        **pick(data, DETAIL_FIELDS),
        **pick(data, ("default_voice_id",)),
    }


def look_details(data, inputs: dict) -> dict:
    look = as_dict(data)
    details = look_as_avatar(look)
    return {
        "avatar_id": str(look.get("id") or avatar_id_of(inputs)),
        "name": details["avatar_name"],
        **pick(details, ("type", "gender", "preview_image_url", "preview_video_url", "premium")),
        "is_public": None,
        "tags": details["tags"],
        "default_voice_id": details["default_voice_id"],
    }


DETAILS_ROUTES = routes_for(
    "get_avatar_details",
    on_v3(
        "AvatarLooksGet",
        request=lambda inputs: Request(params={"look_id": avatar_id_of(inputs)}),
        response=look_details,
    ),
    on_legacy(
        "GET",
        "/v2/avatar/{avatar_id}/details",
        request=lambda inputs: Request(params={"avatar_id": avatar_id_of(inputs)}),
        response=legacy_details,
    ),
)


@integration.action("get_avatar_details")
class GetAvatarDetails(HeyGenAction):
    async def run(self, api, inputs):
        return await call_routes(api, DETAILS_ROUTES, inputs)
