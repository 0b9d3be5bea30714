"""Walking v3 cursor lists for actions whose output is the whole list (templates, webhook endpoints, events).

A route's response adapter returns `(items, next_token)`: v3 lists give a cursor (`has_more`, `next_token`),
legacy lists give everything at once (no cursor). Without a `page_token` input the walk starts at the first
page and stops at the last one or after `max_pages`; with one, it reads that single page. Either way the
caller learns the cursor to go on with (None once the list is done).
"""

from heygen_core.routes import NotExpressible, Request, call_routes

V3_PAGE_SIZE = 100  # the most every v3 list these actions use returns per page
MAX_PAGES = 10


def v3_page_query(inputs: dict) -> Request:
    return Request(query={"limit": inputs.get("limit") or V3_PAGE_SIZE, "token": inputs.get("page_token")})


def legacy_whole_list(inputs: dict) -> Request:
    """Legacy lists have no cursor: a page_token (which only v3 hands out) cannot be followed there."""
    if inputs.get("page_token"):
        raise NotExpressible("page_token", "HeyGen's legacy API lists everything at once: leave it out")
    return Request()


def cursor_of(data) -> str | None:
    """The v3 cursor beside `data` (heygen_core.answers.Page), None when the list is complete."""
    next_token = getattr(data, "next_token", None)
    return next_token if getattr(data, "has_more", False) and next_token else None


async def walk_pages(api, routes, inputs: dict, max_pages: int = MAX_PAGES) -> tuple[list, str | None]:
    """Every item from the first page (or from `page_token`'s page only), and the cursor left over."""
    items, token = [], inputs.get("page_token")
    pages = 1 if token else max_pages
    for _ in range(pages):
        found, token = await call_routes(api, routes, {**inputs, "page_token": token})
        items.extend(found)
        if token is None:
            break
    return items, token
