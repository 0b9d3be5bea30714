"""What the v1/v2 paths do, by ``SimulatorConfig.legacy`` (heygen-v3.md §5 and §8.1):

- ``served``: answered as before HeyGen's retirement;
- ``deprecated``: answered, with HeyGen's ``Deprecation: true`` and ``Sunset`` headers and, in JSON bodies,
  the ``warning`` object {message, v3_endpoint, docs_url, sunset_date} beside ``data``/``error``;
- ``retired``: 404 before anything else happens; v2 paths answer an HTML page (HeyGen answers routes a
  caller may not use with one), v1 paths the v1 JSON envelope. The message names the v3 replacement.

The v3 replacement of a legacy path comes from the table below (legacy path prefix -> v3 endpoint name);
its method and path are read from the schema file through ``heygen_core.paths``.
"""

from __future__ import annotations

import json

from aiohttp import web

from heygen_core.paths import v3

from .state import SimState
from .wire import family, json_response

SUNSET = "Sat, 31 Oct 2026 00:00:00 GMT"
SUNSET_DATE = "2026-10-31"
DOCS_URL = "https://developers.heygen.com/endpoint-version-comparison"
# Most specific prefix first; the last row catches everything else.
REPLACEMENTS = (
    ("/v2/video/av4", "VideoCreate"),
    ("/v2/video/generate", "VideoCreate"),
    ("/v1/video.webm", "VideoCreate"),
    ("/v1/video_status", "VideoGet"),
    ("/v1/video.list", "VideoList"),
    ("/v1/video.delete", "VideoDelete"),
    ("/v2/avatar_group", "AvatarList"),
    ("/v2/avatar", "AvatarLooksList"),
    ("/v2/photo_avatar", "AvatarCreate"),
    ("/v2/voices", "VoiceList"),
    ("/v2/template", "TemplateList"),
    ("/v2/video_translate", "VideoTranslateCreate"),
    ("/v1/webhook", "WebhookEndpointsList"),
    ("/v1/asset", "AssetCreate"),
    ("/v", "UserMeGet"),
)
RETIRED_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body><h1>404 Not Found</h1>\n"
    "<p>This endpoint has been retired. Use {endpoint} instead.</p></body></html>\n"
)


def replacement(path: str) -> str:
    name = next(name for prefix, name in REPLACEMENTS if path.startswith(prefix))
    endpoint = v3(name)
    return f"{endpoint.method} {endpoint.path}"


def _retired(path: str) -> web.Response:
    instead = replacement(path)
    if family(path) == "v2":
        return web.Response(status=404, text=RETIRED_PAGE.format(endpoint=instead), content_type="text/html")
    return json_response({"code": 404, "message": f"This endpoint has been retired. Use {instead} instead."}, 404)


def _deprecated(path: str, response: web.StreamResponse) -> web.StreamResponse:
    response.headers["Deprecation"] = "true"
    response.headers["Sunset"] = SUNSET
    if not isinstance(response, web.Response) or response.content_type != "application/json" or not response.body:
        return response
    try:
        body = json.loads(response.body)
    except ValueError:
        return response
    if not isinstance(body, dict):
        return response
    instead = replacement(path)
    body["warning"] = {
        "message": f"This {family(path)} endpoint is Legacy and will be removed on {SUNSET_DATE}. "
        f"Migrate to {instead}.",
        "v3_endpoint": instead,
        "docs_url": DOCS_URL,
        "sunset_date": SUNSET_DATE,
    }
    response.body = json.dumps(body).encode()
    return response


def legacy_middleware(state: SimState):
    @web.middleware
    async def middleware(request: web.Request, handler) -> web.StreamResponse:
        if family(request.path) not in ("v1", "v2") or not request.path.startswith(("/v1/", "/v2/")):
            return await handler(request)
        mode = state.config.legacy
        if mode == "retired":
            return _retired(request.path)
        response = await handler(request)
        return _deprecated(request.path, response) if mode == "deprecated" else response

    return middleware
