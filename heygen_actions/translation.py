"""Video translation: target languages, translating a video, and its status (HeyGen's Scale and Enterprise plans)."""

from heygen_core.action import HeyGenAction, created_id, job_result
from heygen_core.app import integration
from heygen_core.shapes import as_dict, body_of, job_output, path_id, pick

TRANSLATE_FIELDS = (
    "video_url",
    "output_language",
    "output_languages",
    "title",
    "translate_audio_only",
    "speaker_num",
    "callback_id",
    "folder_id",
)


def translation_status(translate_id: str, data) -> dict:
    """HeyGen says why a translation failed in `message`."""
    extra = pick(data, ("url", "title", "output_language"))
    return job_output("video_translate_id", translate_id, data, extra, error_keys=("error", "message"))


async def fetch_translation(api, translate_id: str) -> dict:
    return translation_status(translate_id, await api.get(f"/v2/video_translate/{path_id(translate_id)}"))


@integration.action("list_translation_languages")
class ListTranslationLanguages(HeyGenAction):
    async def run(self, api, inputs):
        found = as_dict(await api.get("/v2/video_translate/target_languages")).get("languages")
        languages = [language for language in found or [] if isinstance(language, str)]
        return {"languages": languages, "total": len(languages)}


@integration.action("translate_video")
class TranslateVideo(HeyGenAction):
    async def run(self, api, inputs):
        data = await api.post("/v2/video_translate", body_of(inputs, TRANSLATE_FIELDS))
        translate_id = created_id(data, "video_translate_id")
        known = {"title": inputs.get("title"), "output_language": inputs.get("output_language")}
        initial = translation_status(translate_id, known)
        return await job_result(api, inputs, fetch_translation, translate_id, initial)


@integration.action("get_translation_status")
class GetTranslationStatus(HeyGenAction):
    async def run(self, api, inputs):
        return await job_result(api, inputs, fetch_translation, inputs["video_translate_id"])
