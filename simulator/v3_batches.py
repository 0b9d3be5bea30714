"""v3 batches beside the video batches of v3_videos.py (heygen-v3.md §7.5, §7.8, §7.9): video translations,
lipsyncs and direct uploads. Each create answers 202 with the ``batch_id`` at once; its GET pages the items
inside ``data`` (``v3_common.batch_view``). Items whose request is refused fail alone, with the error.

What an item's ``video_id`` holds, as HeyGen's shared item shape has only that field:
- translations: one item per (request, output language), the translated video (readable with GET video);
- lipsyncs: the lipsync id (poll GET lipsync);
- uploads: the asset id of the file's slot (HeyGen's documentation notes the same oddity).

Direct-upload batches: POST .../direct-uploads/batches opens one slot per file (PUT each to its upload_url),
POST .../complete/batches {batch_id} answers 202 and completes every slot whose bytes arrived; the others
fail with the reason. Upload items are ``queued`` until completed.
"""

from __future__ import annotations

from aiohttp import web

from .state import SimState
from .v3_assets import finish_slot, open_slot
from .v3_common import (
    batch_accepted,
    batch_view,
    body_of,
    invalid,
    item_error,
    not_found,
    ok,
    path_id,
    route,
    run_items,
)
from .v3_jobs import jobs_of, lipsync_object, start_lipsync
from .v3_store import Batch, store
from .v3_translations import start_translations
from .v3_videos import item_status
from .wire import ApiError

MAX_ITEMS = 100


def _sized(param: str, items: list) -> list:
    if not 1 <= len(items) <= MAX_ITEMS:
        raise invalid(param, f"must hold 1 to {MAX_ITEMS} items")
    return items


def _batch(batches: dict, request: web.Request, what: str) -> Batch:
    batch_id = path_id(request, "batch_id")
    found = batches.get(batch_id)
    if found is None:
        raise not_found("not_found", what, batch_id)
    return found


async def create_translations(state: SimState, request: web.Request) -> web.Response:
    body = await body_of(request, "VideoTranslateBatchesCreate")
    items: list[tuple[str | None, dict | None]] = []
    for i, one in enumerate(_sized("video_translations", body["video_translations"])):
        try:  # one item per output language
            items += [
                (t.video_id, None) for t in start_translations(state, one, f"video_translations[{i}].", batched=True)
            ]
        except ApiError as exc:
            items.append((None, item_error(exc)))
    batch = Batch(state.new_id(), body.get("title"), state.now(), items)
    store(state).translation_batches[batch.id] = batch
    return batch_accepted(batch)


async def get_translations(state: SimState, request: web.Request) -> web.Response:
    batch = _batch(store(state).translation_batches, request, "Video translation batch")
    return ok(batch_view(request, "VideoTranslateBatchesGet", batch, lambda video_id: item_status(state, video_id)))


LIPSYNC_ITEM = {"pending": "queued", "running": "processing"}


async def create_lipsyncs(state: SimState, request: web.Request) -> web.Response:
    body = await body_of(request, "LipsyncBatchesCreate")
    made = run_items(_sized("lipsyncs", body["lipsyncs"]),
                     lambda i, one: start_lipsync(state, one, f"lipsyncs[{i}].", batched=True).id)  # fmt: skip
    batch = Batch(state.new_id(), body.get("title"), state.now(), made)
    store(state).lipsync_batches[batch.id] = batch
    return batch_accepted(batch)


def _lipsync_item(state: SimState, lipsync_id: str) -> str:
    job = jobs_of(state).lipsyncs.get(lipsync_id)
    if job is None:
        return "failed"
    status = lipsync_object(state, job)["status"]
    return LIPSYNC_ITEM.get(status, status)


async def get_lipsyncs(state: SimState, request: web.Request) -> web.Response:
    batch = _batch(store(state).lipsync_batches, request, "Lipsync batch")
    return ok(batch_view(request, "LipsyncBatchesGet", batch, lambda lipsync_id: _lipsync_item(state, lipsync_id)))


async def create_uploads(state: SimState, request: web.Request) -> web.Response:
    body = await body_of(request, "AssetDirectUploadsBatchesCreate")
    slots = [open_slot(state, one, f"files[{i}].") for i, one in enumerate(_sized("files", body["files"]))]
    batch = Batch(state.new_id(), body.get("title"), state.now(), [(slot["asset_id"], None) for slot in slots])
    store(state).upload_batches[batch.id] = batch
    return ok({"batch_id": batch.id, "items": slots})


async def complete_uploads(state: SimState, request: web.Request) -> web.Response:
    body = await body_of(request, "AssetCompleteBatchesCreate")
    batch = store(state).upload_batches.get(body["batch_id"])
    if batch is None:
        raise not_found("not_found", "Upload batch", body["batch_id"])
    uploads = store(state).uploads
    outcome = []
    for asset_id, error in batch.items:
        try:
            finish_slot(state, uploads[asset_id])
            outcome.append((asset_id, None))
        except ApiError as exc:
            outcome.append((asset_id, item_error(exc)))
    batch.items = outcome
    return batch_accepted(batch)


def _upload_item(state: SimState, batch: Batch, asset_id: str) -> str:
    error = dict(batch.items).get(asset_id)
    if error is not None:
        return "failed"
    return "completed" if store(state).uploads[asset_id].completed else "queued"


async def get_uploads(state: SimState, request: web.Request) -> web.Response:
    batch = _batch(store(state).upload_batches, request, "Upload batch")
    return ok(batch_view(request, "AssetBatchesGet", batch, lambda asset_id: _upload_item(state, batch, asset_id)))


def register(router: web.UrlDispatcher, state: SimState) -> None:
    route(router, state, "VideoTranslateBatchesCreate", create_translations, job=True)
    route(router, state, "VideoTranslateBatchesGet", get_translations)
    route(router, state, "LipsyncBatchesCreate", create_lipsyncs, job=True)
    route(router, state, "LipsyncBatchesGet", get_lipsyncs)
    route(router, state, "AssetDirectUploadsBatchesCreate", create_uploads, job=True)
    route(router, state, "AssetCompleteBatchesCreate", complete_uploads)
    route(router, state, "AssetBatchesGet", get_uploads)
