"""HeyGen's v3 answers and requests as the v3 tests fake and check them (paths come from heygen_core.paths)."""

import json

from heygen_core.paths import v3
from tests.conftest import API
from tests.v3_schemas import request_problems, response_problems


def url(name: str, **params) -> str:
    """The full URL of a v3 endpoint of HeyGen's schema file, e.g. url("TemplateGet", template_id="t1")."""
    return API + v3(name).url_path(**params)


def answer(name: str, data, **cursor) -> dict:
    """HeyGen's v3 success envelope for that endpoint, checked against its response schema."""
    body = {"data": data, **cursor}
    assert response_problems(name, body) == [], response_problems(name, body)
    return body


def gone_page() -> dict:
    """What a retired route answers: an HTML 404 page (aioresponses keyword arguments)."""
    return {"status": 404, "body": "<html><body>Not Found</body></html>", "content_type": "text/html"}


def sent_body(name: str, kwargs) -> dict:
    """The JSON body of one request, which must pass HeyGen's request schema for that endpoint."""
    assert kwargs["headers"]["Content-Type"] == "application/json"
    body = json.loads(kwargs["data"])
    assert request_problems(name, body) == [], request_problems(name, body)
    return body
