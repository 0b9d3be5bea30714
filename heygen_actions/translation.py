"""Video translation: target languages, translating a video, and its status (HeyGen's Scale and Enterprise plans).

v3 (`/v3/video-translations`) first, v2 (`/v2/video_translate`) second. v3 creates one translation per output
language: `video_translate_id` stays the first (what a workflow built on one language reads), and
`video_translate_ids` lists them all.
"""

from heygen_core.action import HeyGenAction, created_id, job_result
from heygen_core.app import integration
from heygen_core.errors import HeyGenError, MAYBE_CREATED_HINT
from heygen_core.routes import Request, call_routes, new_idempotency_key, on_legacy, on_v3, routes_for
from heygen_core.shapes import as_dict, body_of, job_output, pick

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
V3_TRANSLATE_OPTIONS = ("title", "translate_audio_only", "speaker_num", "callback_id", "folder_id")
# Fields only v3 reports (null on the legacy API).
V3_ONLY_FIELDS = ("input_language", "audio_url", "srt_caption_url", "vtt_caption_url", "duration")


def translation_status(translate_id: str, data) -> dict:
    """HeyGen's v2 says why a translation failed in `message`."""
    extra = {**pick(data, ("url", "title", "output_language")), **dict.fromkeys(V3_ONLY_FIELDS)}
    return job_output("video_translate_id", translate_id, data, extra, error_keys=("error", "message"))


def v3_translation_status(translate_id: str, data) -> dict:
    """The same output from v3's translation: `video_url` is our `url`, `failure_message` lands in `error`."""
    source = as_dict(data)
    extra = {**pick(source, ("title", "output_language", *V3_ONLY_FIELDS)), "url": source.get("video_url")}
    return job_output("video_translate_id", translate_id, source, extra, error_keys=("failure_message",))


STATUS_ROUTES = routes_for(
    "get_translation_status",
    on_v3(
        "VideoTranslateGet", response=lambda data, inputs: v3_translation_status(inputs["video_translation_id"], data)
    ),
    on_legacy(
        "GET",
        "/v2/video_translate/{video_translation_id}",
        response=lambda data, inputs: translation_status(inputs["video_translation_id"], data),
    ),
)


async def fetch_translation(api, translate_id: str) -> dict:
    return await call_routes(api, STATUS_ROUTES, {"video_translation_id": translate_id})


def languages_of(data, inputs) -> list[str]:
    return [language for language in as_dict(data).get("languages") or [] if isinstance(language, str)]


LANGUAGE_ROUTES = routes_for(
    "list_translation_languages",
    on_v3("VideoTranslateLanguagesList", response=languages_of),
    on_legacy("GET", "/v2/video_translate/target_languages", response=languages_of),
)


def output_languages(inputs: dict) -> list[str]:
    return list(inputs.get("output_languages") or [inputs["output_language"]])


def v3_translate_request(inputs: dict) -> Request:
    body = {
        "video": {"type": "url", "url": inputs["video_url"]},
        "output_languages": output_languages(inputs),
        **body_of(inputs, V3_TRANSLATE_OPTIONS),
    }
    return Request(body=body)


def v3_created_translations(data, inputs) -> tuple[list[str], str]:
    """One id per output language, in the order sent: the first id is the first language's."""
    ids = [str(item) for item in as_dict(data).get("video_translation_ids") or [] if item not in (None, "")]
    if not ids:
        raise HeyGenError(
            "HeyGen accepted the request but its answer has no video_translation_ids", hint=MAYBE_CREATED_HINT
        )
    return ids, output_languages(inputs)[0]


TRANSLATE_ROUTES = routes_for(
    "translate_video",
    on_v3("VideoTranslateCreate", creates=True, request=v3_translate_request, response=v3_created_translations),
    on_legacy(
        "POST",
        "/v2/video_translate",
        creates=True,
        request=lambda inputs: Request(body=body_of(inputs, TRANSLATE_FIELDS)),
        # v2 answers one id for every language asked for: its output_language is known only for a single one
        response=lambda data, inputs: ([created_id(data, "video_translate_id")], inputs.get("output_language")),
    ),
)


@integration.action("list_translation_languages")
class ListTranslationLanguages(HeyGenAction):
    async def run(self, api, inputs):
        languages = await call_routes(api, LANGUAGE_ROUTES, inputs)
        return {"languages": languages, "total": len(languages)}


@integration.action("translate_video")
class TranslateVideo(HeyGenAction):
    async def run(self, api, inputs):
        ids, language = await call_routes(api, TRANSLATE_ROUTES, inputs, idempotency_key=new_idempotency_key(inputs))
        first = ids[0]
        initial = translation_status(first, {"title": inputs.get("title"), "output_language": language})
        result = await job_result(api, inputs, fetch_translation, first, initial)
        return {**result, "video_translate_ids": ids}


@integration.action("get_translation_status")
class GetTranslationStatus(HeyGenAction):
    async def run(self, api, inputs):
        return await job_result(api, inputs, fetch_translation, inputs["video_translate_id"])
