"""The REST API under /api/v1 (aiohttp). Renders go to the local worker pool, or to the Redis queue
when ENGINE_REDIS_URL is set; output files are served under /files/{video_id}/."""

from __future__ import annotations

import asyncio
import os
import time

import aiohttp
from aiohttp import web

from . import __version__, scripts
from .errors import EngineError, invalid
from .http_common import RateLimiter, Settings, error_response, middlewares
from .jobs import JobStore, LocalPool, new_id, now
from .netguard import fetch
from .openapi import openapi_document
from .render import Renderer
from .validation import LANGUAGES, STYLES, check_script, video_spec

MAX_BATCH = 20
MAX_UPLOAD = 30 * 1024 * 1024
SPOKEN_WORDS_PER_SECOND = 2.6


class Engine:
    """Everything the routes share."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.started = time.monotonic()
        self.renderer = Renderer(settings.data_dir)
        self.store = JobStore(settings.data_dir)
        self.pool = None if settings.redis_url else LocalPool(self.renderer, self.store, settings.workers)
        if self.pool is not None:  # this machine's pool was the only one working on them
            self.store.fail_unfinished("the engine stopped before this render finished; create the video again")
        self.queue = None

    def base_url(self, request: web.Request) -> str:
        return self.settings.public_url.rstrip("/") or f"{request.scheme}://{request.host}"

    async def submit(self, video_id: str, spec: dict):
        if self.pool is not None:
            return asyncio.wrap_future(self.pool.submit(video_id, spec))
        from .queue import enqueue

        await enqueue(self, video_id, spec)
        return None

    def view(self, record: dict, request: web.Request) -> dict:
        base = self.base_url(request)
        result = record.get("result") or {}
        files = f"{base}/files/{record['video_id']}"
        view = {
            "video_id": record["video_id"],
            "status": record["status"],
            "output_url": f"{files}/{result['file']}" if record["status"] == "completed" else None,
            "duration": record.get("duration"),
            "file_size": record.get("file_size"),
            "created_at": record["created_at"],
            "updated_at": record["updated_at"],
            "metadata": record["metadata"],
        }
        if record["status"] == "completed":
            view.update(
                thumbnail_url=f"{files}/thumbnail.jpg",
                gif_url=f"{files}/preview.gif",
                captions={"srt": f"{files}/captions.srt", "vtt": f"{files}/captions.vtt"},
                render_seconds=result.get("render_seconds"),
                scenes=[{"start": s["start"], "duration": s["duration"]} for s in result.get("scenes", [])],
                joined_by=result.get("joined_by"),
            )
        if record.get("error"):
            view["error"] = record["error"]
        return view

    async def create(self, body: dict, wait: bool) -> dict:
        spec = video_spec(body, self.renderer)
        video_id, stamp = new_id("video"), now()
        await asyncio.to_thread(self.renderer.fetch_backgrounds, video_id, spec)
        first = spec["scenes"][0]
        metadata = {
            "avatar_id": first["avatar_id"],
            "voice_id": first["voice_id"],
            "language": spec["language"],
            "resolution": spec["resolution"],
            "style": spec["style"],
            "output_format": spec["output_format"],
            "scene_count": len(spec["scenes"]),
            "requested_duration": spec["requested_duration"],
            "ignored_settings": spec["ignored_settings"],
        }
        record = {
            "video_id": video_id,
            "status": "pending",
            "created_at": stamp,
            "updated_at": stamp,
            "metadata": metadata,
        }
        self.store.save(record)
        future = await self.submit(video_id, spec)
        words = sum(len(s["script"].split()) for s in spec["scenes"])
        short = words / SPOKEN_WORDS_PER_SECOND <= self.settings.sync_seconds and spec["size"][1] <= 1080
        if wait and short and future is not None:
            await future
        return self.store.load(video_id)


async def _json(request: web.Request) -> dict:
    if not request.can_read_body:
        raise invalid("body", "a JSON object is required", 400)
    body = await request.json()
    if not isinstance(body, dict):
        raise invalid("body", "must be a JSON object", 400)
    return body


def routes(engine: Engine) -> web.RouteTableDef:
    api = web.RouteTableDef()

    @api.get("/api/v1/health")
    async def health(request):
        components = {
            "avatar_manager": bool(engine.renderer.avatars.avatars),
            "voice_engine": bool(engine.renderer.voices.voices),
            "video_renderer": True,
            "script_generator": True,
            "queue": "redis" if engine.settings.redis_url else "local pool",
        }
        uptime = round(time.monotonic() - engine.started, 1)
        return web.json_response(
            {"status": "healthy", "components": components, "version": __version__, "uptime": uptime}
        )

    @api.post("/api/v1/videos/create")
    async def create(request):
        record = await engine.create(await _json(request), wait=True)
        status = 200 if record["status"] in ("completed", "failed") else 202
        return web.json_response(engine.view(record, request), status=status)

    @api.post("/api/v1/videos/batch")
    async def batch(request):
        body = await _json(request)
        items = body.get("videos")
        if not isinstance(items, list) or not 1 <= len(items) <= MAX_BATCH:
            raise invalid("videos", f"must be a list of 1 to {MAX_BATCH} video requests")
        results = []
        for n, item in enumerate(items):
            try:
                results.append(engine.view(await engine.create(item, wait=False), request))
            except EngineError as error:
                field = error.details.get("field", "body")
                results.append(
                    {
                        "status": "failed",
                        "error": {
                            "error": f"videos[{n}].{error.message}",
                            "error_code": error.code,
                            "field": f"videos[{n}].{field}",
                        },
                    }
                )
        batch_id = new_id("batch")
        engine.store.save(
            {
                "batch_id": batch_id,
                "video_ids": [r.get("video_id") for r in results],
                "created_at": now(),
                "rejected": [r for r in results if "video_id" not in r],
            }
        )
        return web.json_response(_batch_view(batch_id, results), status=202)

    def _batch_view(batch_id, results):
        return {
            "batch_id": batch_id,
            "videos": results,
            "total_count": len(results),
            "completed_count": sum(r["status"] == "completed" for r in results),
            "failed_count": sum(r["status"] == "failed" for r in results),
        }

    @api.get("/api/v1/videos/batch/{batch_id}")
    async def batch_status(request):
        record = engine.store.load(request.match_info["batch_id"])
        if record is None or "batch_id" not in record:
            raise EngineError(404, "NOT_FOUND", f"no batch {request.match_info['batch_id']!r}")
        views = [engine.view(engine.store.load(v), request) for v in record["video_ids"] if v] + record["rejected"]
        return web.json_response(_batch_view(record["batch_id"], views))

    @api.get("/api/v1/videos/{video_id}")
    async def get_video(request):
        record = engine.store.load(request.match_info["video_id"])
        if record is None or "video_id" not in record:
            raise EngineError(404, "NOT_FOUND", f"no video {request.match_info['video_id']!r}", {"field": "video_id"})
        return web.json_response(engine.view(record, request))

    @api.get("/api/v1/voices")
    async def voices(request):
        return web.json_response([v.public() for v in engine.renderer.voices.voices.values()])

    @api.post("/api/v1/voices/clone")
    async def clone(request):
        fields, files = await _form_or_json(request, "audio_samples")
        name = fields.get("voice_name")
        if not isinstance(name, str) or not name.strip():
            raise invalid("voice_name", "is required")
        urls = fields.get("audio_samples") or []
        urls = [urls] if isinstance(urls, str) else urls
        if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
            raise invalid("audio_samples", "must be a list of audio URLs")
        if not 1 <= len(urls) + len(files) <= 10:
            raise invalid("audio_samples", "give 1 to 10 audio samples (URLs or uploaded files)")
        samples = files + [
            (await asyncio.to_thread(fetch, url, f"audio_samples[{n}]"))[0] for n, url in enumerate(urls)
        ]
        language = fields.get("language", "en")
        if language not in LANGUAGES:
            raise invalid("language", f"must be one of {', '.join(LANGUAGES)}")
        voice, measured = await asyncio.to_thread(
            engine.renderer.voices.clone, name.strip(), samples, str(fields.get("description") or ""), language
        )
        body = voice.public() | {
            "method": "pitch_and_rate_match",
            "measured": measured,
            "note": (
                "An offline approximation: espeak-ng set to the samples' median pitch and speaking rate. "
                "It does not reproduce the speaker's timbre."
            ),
        }
        return web.json_response(body, status=201)

    @api.get("/api/v1/avatars")
    async def avatars(request):
        base = engine.base_url(request) + "/api/v1"
        return web.json_response([a.public(base) for a in engine.renderer.avatars.avatars.values()])

    @api.get("/api/v1/avatars/{avatar_id}/image.png")
    async def avatar_image(request):
        import cv2

        avatar = engine.renderer.avatars.get(request.match_info["avatar_id"], "avatar_id", 404)
        image = engine.renderer.avatars.image(avatar.avatar_id)
        ok, png = cv2.imencode(
            ".png", cv2.cvtColor(image, cv2.COLOR_RGBA2BGRA if image.shape[2] == 4 else cv2.COLOR_RGB2BGR)
        )
        return web.Response(body=png.tobytes(), content_type="image/png")

    @api.post("/api/v1/avatars/create")
    async def create_avatar(request):
        fields, files = await _form_or_json(request, "image")
        name = fields.get("name")
        if not isinstance(name, str) or not name.strip():
            raise invalid("name", "is required")
        style = fields.get("style") or "professional"
        if style not in STYLES:
            raise invalid("style", f"must be one of {', '.join(STYLES)}")
        if files:
            image = files[0]
        elif isinstance(fields.get("image_url"), str):
            image, _ = await asyncio.to_thread(fetch, fields["image_url"], "image_url")
        else:
            raise invalid("image_url", "is required (or upload the photo as the multipart field 'image')")
        avatar = await asyncio.to_thread(
            engine.renderer.avatars.create, image, name.strip(), style, str(fields.get("description") or "")
        )
        return web.json_response(avatar.public(engine.base_url(request) + "/api/v1"), status=201)

    @api.post("/api/v1/scripts/generate")
    async def generate(request):
        body = await _json(request)
        topic = body.get("topic")
        if not isinstance(topic, str) or not topic.strip() or len(topic) > 300:
            raise invalid("topic", "is required (1 to 300 characters)")
        style = body.get("style", "professional")
        if style not in STYLES:
            raise invalid("style", f"must be one of {', '.join(STYLES)}")
        language = body.get("language", "en")
        if language not in LANGUAGES:
            raise invalid("language", f"must be one of {', '.join(LANGUAGES)}")
        minutes = scripts.parse_minutes(body.get("duration", 1))
        context = str(body.get("additional_context") or "")[:500]
        settings = engine.settings
        if settings.openai_base_url and settings.openai_api_key:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
                text = await scripts.llm_script(
                    session,
                    settings.openai_base_url,
                    settings.openai_api_key,
                    settings.openai_model,
                    topic,
                    style,
                    minutes,
                    language,
                    context,
                )
            source = "openai-compatible endpoint"
        elif language != "en":
            raise EngineError(
                501,
                "NOT_CONFIGURED",
                "offline scripts are English only; configure OPENAI_API_KEY (and OPENAI_BASE_URL) for other languages",
                {"field": "language"},
            )
        else:
            text, source = scripts.offline_script(topic.strip(), style, minutes, context), "offline template"
        words = len(text.split())
        return web.json_response(
            {
                "script_id": new_id("script"),
                "script": text,
                "word_count": words,
                "estimated_duration": round(words / scripts.WORDS_PER_MINUTE, 2),
                "language": language,
                "style": style,
                "created_at": now(),
                "generator": source,
            }
        )

    @api.post("/api/v1/scripts/analyze")
    async def analyze(request):
        script = check_script(await _json(request))
        return web.json_response({"script_id": new_id("analysis"), **await asyncio.to_thread(scripts.analyze, script)})

    @api.post("/api/v1/scripts/translate")
    async def translate(request):
        body = await _json(request)
        script = check_script(body)
        target = body.get("target_language")
        if target not in LANGUAGES:
            raise invalid("target_language", f"must be one of {', '.join(LANGUAGES)}")
        source = body.get("source_language", "en")
        if source not in LANGUAGES:
            raise invalid("source_language", f"must be one of {', '.join(LANGUAGES)}")
        if not engine.settings.translate_url:
            raise EngineError(
                501,
                "NOT_CONFIGURED",
                "no translation backend is configured: set ENGINE_TRANSLATE_URL to a LibreTranslate-compatible server",
            )
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
            text, confidence = await scripts.translate(session, engine.settings.translate_url, script, source, target)
        return web.json_response(
            {
                "translation_id": new_id("translation"),
                "original_script": script,
                "translated_script": text,
                "source_language": source,
                "target_language": target,
                "word_count": len(text.split()),
                "confidence_score": confidence,
            }
        )

    @api.get("/api/v1/openapi.json")
    async def openapi(request):
        return web.json_response(openapi_document(engine.base_url(request), __version__))

    @api.get("/files/{video_id}/{name}")
    async def files(request):
        video_id, name = request.match_info["video_id"], request.match_info["name"]
        if not video_id.replace("_", "").isalnum() or "/" in name or name.startswith("."):
            raise EngineError(404, "NOT_FOUND", "no such file")
        path = os.path.join(engine.renderer.videos_dir, video_id, name)
        if not os.path.isfile(path):
            raise EngineError(404, "NOT_FOUND", "no such file")
        return web.FileResponse(path)

    return api


async def _form_or_json(request: web.Request, file_field: str) -> tuple[dict, list[bytes]]:
    """JSON fields, or multipart fields with uploaded files under file_field."""
    if not request.content_type.startswith("multipart/"):
        return await _json(request), []
    fields, files = {}, []
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        data = await part.read()
        if len(data) > MAX_UPLOAD:
            raise invalid(part.name or file_field, f"is larger than {MAX_UPLOAD // (1024 * 1024)} MB", 413)
        if part.name == file_field and part.filename:
            files.append(bytes(data))
        elif part.name:
            fields[part.name] = data.decode("utf-8", "replace")
    return fields, files


def make_app(settings: Settings) -> web.Application:
    engine = Engine(settings)
    app = web.Application(
        middlewares=middlewares(settings, RateLimiter(settings.rate_limit, settings.rate_window)),
        client_max_size=MAX_UPLOAD + 1024 * 1024,
    )
    app["engine"] = engine
    app.add_routes(routes(engine))

    async def not_found(request):
        return error_response(404, "NOT_FOUND", f"no route {request.method} {request.path}")

    app.router.add_route("*", "/{tail:.*}", not_found)

    async def start_queue(app):
        if settings.redis_url:
            from .queue import connect

            engine.queue = await connect(settings.redis_url)

    async def shutdown(app):
        if engine.pool is not None:
            await asyncio.to_thread(engine.pool.close)
        if engine.queue is not None:
            await engine.queue.aclose()
        engine.renderer.close()
        scripts.TEXT_WORKER.close()

    app.on_startup.append(start_queue)
    app.on_cleanup.append(shutdown)
    return app
