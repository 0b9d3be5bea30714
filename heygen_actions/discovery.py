"""Finding avatars and voices: filtered, paged lists (a real account has thousands) and details."""

from heygen_core.action import HeyGenAction
from heygen_core.app import integration
from heygen_core.shapes import as_dict, list_of, page_of, path_id, pick

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


def contains(value, wanted: str | None) -> bool:
    return wanted is None or (isinstance(value, str) and wanted.casefold() in value.casefold())


def same_word(value, wanted: str | None) -> bool:
    return wanted is None or (isinstance(value, str) and value.casefold() == wanted.casefold())


def same_flag(value, wanted: bool | None) -> bool:
    return wanted is None or bool(value) == wanted


def paging(inputs: dict) -> tuple[int, int]:
    return inputs.get("page", 1), inputs.get("limit", DEFAULT_PAGE_SIZE)


@integration.action("list_avatars")
class ListAvatars(HeyGenAction):
    async def run(self, api, inputs):
        data = await api.get("/v2/avatars")
        name, gender = inputs.get("name_contains"), inputs.get("gender")
        avatars = [
            avatar
            for avatar in list_of(data, "avatars")
            if contains(avatar.get("avatar_name") or avatar.get("avatar_id"), name)
            and same_word(avatar.get("gender"), gender)
            and same_flag(avatar.get("premium"), inputs.get("premium"))
        ]
        photos = []
        if inputs.get("include_talking_photos", True) and gender is None and not inputs.get("premium"):
            photos = [
                photo
                for photo in list_of(data, "talking_photos")
                if contains(photo.get("talking_photo_name") or photo.get("talking_photo_id"), name)
            ]
        page, limit = paging(inputs)
        avatar_page, more_avatars = page_of(avatars, page, limit)
        photo_page, more_photos = page_of(photos, page, limit)
        return {  # shaped after paging: a page of entries, not the account's thousands
            "avatars": [pick(avatar, AVATAR_FIELDS) for avatar in avatar_page],
            "talking_photos": [pick(photo, TALKING_PHOTO_FIELDS) for photo in photo_page],
            "total_avatars": len(avatars),
            "total_talking_photos": len(photos),
            "page": page,
            "limit": limit,
            "has_more": more_avatars or more_photos,
        }


@integration.action("list_voices")
class ListVoices(HeyGenAction):
    async def run(self, api, inputs):
        voices = [
            voice
            for voice in list_of(await api.get("/v2/voices"), "voices")
            if contains(voice.get("language"), inputs.get("language"))
            and same_word(voice.get("gender"), inputs.get("gender"))
            and contains(voice.get("name"), inputs.get("name_contains"))
            and same_flag(voice.get("emotion_support"), inputs.get("emotion_support"))
            and same_flag(voice.get("support_interactive_avatar"), inputs.get("support_interactive_avatar"))
        ]
        page, limit = paging(inputs)
        voice_page, has_more = page_of(voices, page, limit)  # shaped after paging: 50 voices, not 2,000
        return {
            "voices": [pick(voice, VOICE_FIELDS) for voice in voice_page],
            "total": len(voices),
            "page": page,
            "limit": limit,
            "has_more": has_more,
        }


@integration.action("list_voice_locales")
class ListVoiceLocales(HeyGenAction):
    async def run(self, api, inputs):
        data = await api.get("/v2/voices/locales", {"voice_id": inputs.get("voice_id")})
        locales = [pick(locale, LOCALE_FIELDS) for locale in list_of(data, "locales")]
        return {"locales": locales, "total": len(locales)}


@integration.action("get_avatar_details")
class GetAvatarDetails(HeyGenAction):
    async def run(self, api, inputs):
        avatar_id = inputs.get("avatar_id") or inputs.get("id")
        data = as_dict(await api.get(f"/v2/avatar/{path_id(avatar_id)}/details"))
        return {
            "avatar_id": str(data.get("id") or avatar_id),
            **pick(data, DETAIL_FIELDS),
            **pick(data, ("default_voice_id",)),
        }
