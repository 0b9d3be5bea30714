"""Our `page`/`limit`/`page_token` paging over HeyGen's v3 cursors, with filters HeyGen cannot apply.

v3 lists hand out opaque cursors (`limit`, `token` in; `has_more`, `next_token` out) and filter only on a few
fields; our actions filter on more (a name fragment, a flag) and page the filtered list. A `Cursor` says where
a page of ours starts: a HeyGen page (its segment, e.g. private then public voices, and its token) and how many
matching entries of it to skip. It travels to the workflow as `next_page_token`, so the next call resumes
exactly there without walking the earlier pages again; `page` N without a token walks from the start.

The same cursor also reads on the legacy API, where lists come whole: there only its `skip` and `page` count.
"""

import base64
import binascii
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Awaitable, Callable

from heygen_core.inputs import reject
from heygen_core.routes import NotExpressible, Request, call_routes

# HeyGen pages one walk may read: bounds the calls (and time) of one action run; the token continues further.
MAX_HEYGEN_PAGES = 20


@dataclass(frozen=True)
class Cursor:
    page: int = 1
    skip: int = 0  # matching entries to pass over, counted from the start of the HeyGen page `token` names
    segment: int = 0
    token: str | None = None  # HeyGen's v3 cursor; None: its first page (and the only kind the legacy API has)

    @property
    def at_start(self) -> bool:
        return self.segment == 0 and self.token is None


def encode(cursor: Cursor) -> str:
    text = json.dumps(asdict(cursor), separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(token: str) -> Cursor:
    try:
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        cursor = Cursor(**raw)
        numbers_ok = all(isinstance(v, int) and not isinstance(v, bool) for v in (cursor.page, cursor.skip))
        if not (numbers_ok and isinstance(cursor.segment, int) and cursor.page >= 1 and cursor.skip >= 0):
            raise ValueError
        if cursor.token is not None and not isinstance(cursor.token, str):
            raise ValueError
        return cursor
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise reject("page_token", "is not a next_page_token this action returned: pass it unchanged") from None


def start_of(inputs: dict, default_limit: int) -> tuple[Cursor, int]:
    """Where the asked-for page starts, and its size: page_token when given, else page N from the start."""
    limit = inputs.get("limit", default_limit)
    if inputs.get("page_token"):
        return decode(inputs["page_token"]), limit
    page = inputs.get("page", 1)
    return Cursor(page=page, skip=(page - 1) * limit), limit


def legacy_cursor(inputs: dict) -> Cursor:
    """The cursor a legacy request adapter reads; a v3 cursor means nothing to the legacy API."""
    cursor = inputs["cursor"]
    if cursor.token is not None:
        raise NotExpressible(
            "page_token", "comes from HeyGen's v3 API, which this account no longer serves: start again from page 1"
        )
    return cursor


@dataclass
class Batch:
    """One HeyGen v3 page: its entries, the cursor of the next page, and whether another segment follows."""

    items: list
    next_token: str | None = None
    final: bool = True
    cut_short: bool = False  # HeyGen said more follow but gave no cursor to reach them


@dataclass
class Walk:
    items: list = field(default_factory=list)
    next: Cursor | None = None
    total: int | None = None  # known when the walk read the whole list from its start


async def walk(
    first: Batch,
    fetch: Callable[[int, str | None], Awaitable[Batch]],
    keep: Callable[[dict], bool],
    start: Cursor,
    limit: int,
    max_pages: int = MAX_HEYGEN_PAGES,
) -> Walk:
    """Entries `keep` accepts, from `start` on, until `limit` are found, the list ends or `max_pages` were read.

    `first` is the HeyGen page at `start`; `fetch(segment, token)` reads the others.
    """
    out = Walk()
    segment, token, pending_skip, batch = start.segment, start.token, start.skip, first
    seen, pages = 0, 1
    while True:
        consumed = 0
        for item in batch.items:
            if not keep(item):
                continue
            if pending_skip:
                pending_skip -= 1
            elif len(out.items) < limit:
                out.items.append(item)
            else:  # a match beyond this page of ours: the next page starts here
                out.next = Cursor(start.page + 1, consumed, segment, token)
                return out
            consumed += 1
            seen += 1
        if batch.next_token:
            token = batch.next_token
        elif not batch.final:
            segment, token = segment + 1, None
        else:
            out.total = seen if start.at_start and not batch.cut_short else None
            return out
        if len(out.items) >= limit:
            out.next = Cursor(start.page + 1, 0, segment, token)
            return out
        if pages >= max_pages:  # read enough for one run: the token continues where this stopped
            page = start.page if len(out.items) == 0 else start.page + 1
            out.next = Cursor(page, pending_skip, segment, token)
            return out
        batch = await fetch(segment, token)
        pages += 1


def page_output(walk: Walk, start: Cursor, limit: int) -> dict:
    """The paging fields every list output carries."""
    return {
        "page": start.page,
        "limit": limit,
        "has_more": walk.next is not None,
        "next_page_token": None if walk.next is None else encode(walk.next),
    }


def v3_batch(data: Any, final: bool = True) -> Batch:
    """A v3 list answer (`heygen_core.answers.Page`) as a Batch."""
    items = [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []
    more = bool(getattr(data, "has_more", False))
    token = getattr(data, "next_token", None) if more else None
    return Batch(items, token, final, cut_short=more and not token)


def entries(key: str, shape=None):
    """A v3 list route's response adapter: the page's entries that carry `key`, each shaped by `shape`."""

    def adapter(data, inputs: dict) -> Batch:
        batch = v3_batch(data)
        batch.items = [shape(item) if shape else item for item in batch.items if item.get(key)]
        return batch

    return adapter


def legacy_list(inputs: dict) -> Request:
    """Legacy lists come whole (and are paged here): only a cursor of ours, not HeyGen's v3 one, reads there."""
    legacy_cursor(inputs)
    return Request()


def with_cursor(inputs: dict, default_limit: int) -> dict:
    cursor, limit = start_of(inputs, default_limit)
    return {**inputs, "cursor": cursor, "limit": limit}


async def paged(api, routes, inputs: dict, keep, shape) -> dict:
    """A list action's output: the legacy route's (whole list, paged here) or a walk over v3 pages."""
    first = await call_routes(api, routes, inputs)
    if not isinstance(first, Batch):
        return first
    v3_route = next(route for route in routes if route.generation == "v3")

    async def fetch(segment: int, token: str | None) -> Batch:
        cursor = Cursor(segment=segment, token=token)
        return await call_routes(api, (v3_route,), {**inputs, "cursor": cursor})

    start, limit = inputs["cursor"], inputs["limit"]
    walked = await walk(first, fetch, keep, start, limit)
    return shape(walked, start, limit)
