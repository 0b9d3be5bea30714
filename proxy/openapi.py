"""The proxy's OpenAPI 3.1 document, made from the same operation list the server routes by."""

import functools

from proxy.operations import OPERATIONS

ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": ["string", "null"]},
            },
            "required": ["code", "message", "field"],
        }
    },
    "required": ["error"],
}
ERROR_STATUSES = {
    "400": "A bad envelope or input (the field is named)",
    "401": "No key or token, or an unknown, expired or revoked one",
    "403": "A key of another organisation, without the scope, or a disabled or test-only organisation",
    "404": "An unknown operation, or an id this organisation did not create",
    "409": "The first call with this Idempotency-Key is still running",
    "413": "The body is too large (JSON over 1 MiB; uploads over 32 MB)",
    "422": "An Idempotency-Key reused with another body, or inputs HeyGen refused",
    "429": "Our rate limit, concurrency cap or monthly cap (see Retry-After)",
    "502": "HeyGen refused the organisation's credential, or failed",
    "503": "HeyGen is busy (its own rate limit)",
}
LISTED_SERVICES = {"type": "object", "properties": {"services": {"type": "array"}}, "required": ["services"]}
DESCRIBED_SERVICE = {
    "type": "object",
    "properties": {"endpoints": {"type": "array"}},
    "required": ["slug", "endpoints"],
}
ORG = {"name": "org", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
IDEMPOTENCY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}


def errors() -> dict:
    return {
        status: {
            "description": words,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for status, words in ERROR_STATUSES.items()
    }


def answer(description: str, schema: dict | None = None) -> dict:
    schema = schema or {"type": "object", "properties": {"data": {}}, "required": ["data"]}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


@functools.cache
def openapi_document() -> dict:
    paths = {}
    for op in OPERATIONS.values():
        parameters = [ORG] + ([IDEMPOTENCY] if op.scope != "read" else [])
        paths[f"/api/ai-proxy/orgs/{{org}}/services/heygen/{op.name}/"] = {
            "post": {
                "operationId": op.name,
                "summary": op.summary[:200],
                "description": f"Runs the plugin action {op.action}. Scope: {op.scope}. Billed: {op.billed}.",
                "tags": [op.scope],
                "parameters": parameters,
                "requestBody": {"required": False, "content": {"application/json": {"schema": op.request_schema}}},
                "responses": {"200": answer('HeyGen-like {"data": …}'), **errors()},
            }
        }
    paths["/api/ai-proxy/orgs/{org}/services/"] = {
        "get": {
            "operationId": "list-services",
            "parameters": [ORG],
            "responses": {"200": answer("Services", LISTED_SERVICES), **errors()},
        }
    }
    paths["/api/ai-proxy/orgs/{org}/services/heygen/"] = {
        "get": {
            "operationId": "describe-heygen",
            "parameters": [ORG],
            "responses": {"200": answer("The operations and their input schemas", DESCRIBED_SERVICE), **errors()},
        }
    }
    token_request = {
        "type": "object",
        "properties": {
            "scopes": {"type": "array", "items": {"enum": ["read", "generate"]}},
            "ttl_seconds": {"type": "integer", "minimum": 1, "maximum": 900},
        },
        "additionalProperties": False,
    }
    paths["/api/ai-proxy/orgs/{org}/tokens/"] = {
        "post": {
            "operationId": "create-token",
            "summary": "Mints a short-lived browser token (API keys only; a token cannot mint another)",
            "parameters": [ORG],
            "requestBody": {"required": False, "content": {"application/json": {"schema": token_request}}},
            "responses": {"201": answer("The token", {"type": "object", "required": ["token"]}), **errors()},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "HeyGen proxy (External Service Proxy API)", "version": "1.0.0"},
        "paths": paths,
        "components": {
            "schemas": {"Error": ERROR},
            "securitySchemes": {
                "key": {"type": "apiKey", "in": "header", "name": "Authorization", "description": "Api-Key <key>"},
                "token": {"type": "http", "scheme": "bearer", "description": "a short-lived browser token"},
            },
        },
        "security": [{"key": []}, {"token": []}],
    }
