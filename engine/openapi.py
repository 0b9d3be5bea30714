"""The OpenAPI 3.1 document for the engine's API (served at /api/v1/openapi.json)."""

from __future__ import annotations

from .validation import FORMATS, LANGUAGES, LAYOUTS, RESOLUTIONS, STYLES

ERROR = {
    "type": "object",
    "required": ["error", "error_code", "details", "timestamp"],
    "properties": {
        "error": {"type": "string"},
        "error_code": {"type": "string"},
        "details": {"type": "object"},
        "timestamp": {"type": "string", "format": "date-time"},
    },
}
VIDEO_REQUEST = {
    "type": "object",
    "required": ["script"],
    "properties": {
        "script": {"type": "string", "minLength": 1, "description": "at most 5000 words"},
        "avatar_id": {"type": "string", "default": "professional_female_01"},
        "voice_id": {"type": "string", "description": "default: the first voice of the language"},
        "language": {"type": "string", "enum": list(LANGUAGES), "default": "en"},
        "style": {"type": "string", "enum": list(STYLES)},
        "resolution": {
            "type": "string",
            "enum": list(RESOLUTIONS),
            "default": "720p",
            "description": "4k is refused with 422",
        },
        "output_format": {"type": "string", "enum": list(FORMATS), "default": "mp4"},
        "duration": {"type": "number", "description": "recorded only: the script's speech sets the length"},
        "background": {
            "type": "string",
            "description": "#RRGGBB, a colour name, 'transparent' (webm), or a public http(s) image/video URL",
        },
        "custom_settings": {
            "type": "object",
            "properties": {
                "layout": {"enum": list(LAYOUTS)},
                "captions": {"type": "boolean", "description": "burn captions in"},
            },
        },
        "scenes": {
            "type": "array",
            "items": {"type": "object"},
            "description": "multi-scene: script, avatar_id, voice_id, background each",
        },
    },
}
VIDEO = {
    "type": "object",
    "properties": {
        "video_id": {"type": "string"},
        "status": {"enum": ["pending", "processing", "completed", "failed"]},
        "output_url": {"type": ["string", "null"]},
        "duration": {"type": ["number", "null"]},
        "file_size": {"type": ["integer", "null"]},
        "created_at": {"type": "string"},
        "updated_at": {"type": "string"},
        "metadata": {"type": "object"},
        "thumbnail_url": {"type": "string"},
        "gif_url": {"type": "string"},
        "captions": {"type": "object"},
    },
}


def _op(summary: str, request: dict | None = None, response: dict | None = None, codes=(400, 422)) -> dict:
    operation = {"summary": summary, "responses": {"200": {"description": "OK"}}}
    if response is not None:
        operation["responses"]["200"]["content"] = {"application/json": {"schema": response}}
    if request is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": request}}}
    for code in (*codes, 401, 429, 500):
        operation["responses"][str(code)] = {"description": "error", "content": {"application/json": {"schema": ERROR}}}
    return operation


def openapi_document(base_url: str, version: str) -> dict:
    text = {"type": "object", "required": ["script"], "properties": {"script": {"type": "string"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Local talking-avatar engine", "version": version},
        "servers": [{"url": f"{base_url}/api/v1"}],
        "components": {
            "securitySchemes": {"ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
            "schemas": {"Error": ERROR, "VideoRequest": VIDEO_REQUEST, "Video": VIDEO},
        },
        "security": [{}, {"ApiKey": []}],
        "paths": {
            "/health": {"get": _op("Component status, version and uptime", codes=())},
            "/videos/create": {
                "post": _op(
                    "Render a video (short ones complete within the request; 202 pending otherwise)",
                    VIDEO_REQUEST,
                    VIDEO,
                )
            },
            "/videos/batch": {
                "post": _op(
                    "Queue several videos",
                    {"type": "object", "properties": {"videos": {"type": "array", "items": VIDEO_REQUEST}}},
                )
            },
            "/videos/batch/{batch_id}": {"get": _op("A batch's videos and counts", codes=(404,))},
            "/videos/{video_id}": {"get": _op("A video's status and URLs", response=VIDEO, codes=(404,))},
            "/voices": {"get": _op("Voices", codes=())},
            "/voices/clone": {
                "post": _op(
                    "A voice matched in pitch and rate to audio samples (JSON URLs or multipart files)",
                    {"type": "object", "required": ["voice_name", "audio_samples"]},
                )
            },
            "/avatars": {"get": _op("Avatars", codes=())},
            "/avatars/create": {
                "post": _op(
                    "An avatar from a portrait (image_url or multipart 'image'); 422 when no face is found",
                    {"type": "object", "required": ["name"]},
                )
            },
            "/scripts/generate": {
                "post": _op("A structured script from a topic", {"type": "object", "required": ["topic"]})
            },
            "/scripts/analyze": {
                "post": _op("Word count, duration, readability, sentiment, complexity, suggestions", text)
            },
            "/scripts/translate": {
                "post": _op(
                    "Translation through a configured backend (501 when none is)", text, codes=(400, 422, 501, 502)
                )
            },
        },
    }
