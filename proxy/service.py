"""One proxied call, from an authenticated caller to a plugin action and back.

Order of checks: organisation and scope, envelope, limits, Idempotency-Key, ownership of named ids,
test-only switch and monthly cap, concurrency of generations; then the action runs with the
organisation's own HeyGen credential and the ids it created are recorded against the organisation.
"""

import datetime as dt
import hashlib
import ipaddress
import json
import logging
import re
import socket
import time
from urllib.parse import urlsplit

from autohive_integrations_sdk import ExecutionContext, ResultType

import heygen
from proxy import logs
from proxy.auth import Caller
from proxy.crypto import MasterKeyError
from proxy.errors import ProxyError, envelope_field, from_action_error
from proxy.limits import counters_for
from proxy.operations import EnvelopeError, Operation
from proxy.settings import Settings
from proxy.store import Store, month_start

logger = logging.getLogger("proxy")


def auth_for(kind: str, credential: str) -> dict:
    """The plugin's connection shape for the organisation's credential."""
    if kind == "access_token":
        return {"auth_type": "PlatformOauth2", "credentials": {"access_token": credential}}
    return {"auth_type": "ApiKey", "credentials": {"api_key": credential}}


async def run_action(action: str, inputs: dict, auth: dict):
    # Not entered as a context manager: the plugin never uses the context's own HTTP session (it has its
    # own HTTP layer), and opening and closing one per call would cost more than the proxy's own checks.
    return await heygen.integration.execute_action(action, inputs, ExecutionContext(auth=auth))


def fingerprint(operation: str, envelope) -> str:
    canonical = json.dumps([operation, envelope], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class Proxy:
    def __init__(self, settings: Settings, store: Store):
        self.settings = settings
        self.store = store
        self.counters = counters_for(settings.redis_url)

    async def close(self) -> None:
        await self.counters.close()

    def check_caller(self, caller: Caller, org_id: str, scope: str) -> None:
        if caller.org.org_id != org_id:
            raise ProxyError(403, "wrong_organisation", f"this key belongs to another organisation, not {org_id}")
        if caller.org.disabled:
            raise ProxyError(403, "organisation_disabled", f"organisation {org_id} is disabled")
        if scope not in caller.scopes:
            raise ProxyError(403, "missing_scope", f"this operation needs the {scope} scope")

    async def limit(self, caller: Caller) -> None:
        for bucket, limit, who in (
            (f"key:{caller.key_id}", caller.key.rpm, "this key"),
            (f"org:{caller.org.org_id}", self.settings.org_rpm, "this organisation"),
        ):
            wait = await self.counters.hit(bucket, limit)
            if wait is not None:
                raise ProxyError(
                    429, "rate_limited", f"{who} may make {limit} requests a minute", retry_after=max(1.0, wait)
                )

    async def invoke(self, caller: Caller, op: Operation, envelope, idempotency_key: str | None) -> tuple[int, dict]:
        started = time.perf_counter()
        await self.limit(caller)
        try:
            inputs = op.to_inputs(envelope)
        except EnvelopeError as error:
            raise ProxyError(400, "invalid_envelope", f"{error.field}: {error.message}", error.field) from None
        if idempotency_key is None or op.scope == "read":
            return await self._run(caller, op, inputs, started, idempotency_key)
        key = f"{caller.org.org_id}:{idempotency_key}"
        request_print = fingerprint(op.name, envelope)
        remembered = await self.counters.claim(key, request_print)
        if remembered is not None:
            if remembered.fingerprint != request_print:
                raise ProxyError(
                    422, "idempotency_key_reused", "this Idempotency-Key was used with another body", "Idempotency-Key"
                )
            if remembered.status is None:
                raise ProxyError(409, "request_in_progress", "the first call with this Idempotency-Key is running")
            return remembered.status, remembered.body
        try:
            status, body = await self._run(caller, op, inputs, started, idempotency_key)
        except ProxyError as error:
            if error.status >= 500 or error.status == 429:
                await self.counters.forget(key)  # nothing was created: a retry may try again
            else:
                await self.counters.remember(key, request_print, error.status, error.body())
            raise
        except BaseException:
            await self.counters.forget(key)
            raise
        await self.counters.remember(key, request_print, status, body)
        return status, body

    async def _run(self, caller: Caller, op: Operation, inputs: dict, started: float, idempotency_key) -> tuple:
        org = caller.org
        for field, kind, job_id in op.inputs_owned(inputs):
            if await self.store.owner_of(kind, job_id) != org.org_id:
                where = envelope_field(op, field)
                raise ProxyError(404, "not_found", f"no {kind} {job_id} was created by this organisation", where)
        if op.action == "upload_asset" and isinstance(inputs.get("url"), str):
            self.check_fetchable(inputs["url"])
        billed = op.billed and not self.test_mode(op, inputs)
        if op.billed and org.test_only and billed:
            billed = self.force_test_mode(op, inputs)
        if billed and org.monthly_cap is not None:
            if await self.store.billed_this_month(org.org_id) >= org.monthly_cap:
                raise ProxyError(
                    429,
                    "monthly_cap_reached",
                    f"this organisation's {org.monthly_cap} billed generations a month are used",
                    retry_after=seconds_to_next_month(),
                )
        if idempotency_key and "idempotency_key" in heygen.integration.config.actions[op.action].input_schema.get(
            "properties", {}
        ):
            inputs["idempotency_key"] = f"{org.org_id}:{idempotency_key}"  # the plugin's own, when it has one
        bucket = f"generating:{org.org_id}"
        if op.generating and not await self.counters.acquire(bucket, self.settings.generation_concurrency):
            raise ProxyError(
                429,
                "too_many_generations",
                f"{self.settings.generation_concurrency} generations of this organisation are already running",
                retry_after=5,
            )
        try:
            credential = self.open_credential(org)
            result = await run_action(op.action, inputs, auth_for(org.credential_kind, credential))
        finally:
            if op.generating:
                await self.counters.release(bucket)
        latency = (time.perf_counter() - started) * 1000
        status, body, jobs = self.answer(op, result)
        if jobs or op.billed:
            detail = {"script": script_of(inputs)} if self.settings.store_scripts and op.billed else None
            await self.store.record_call(
                org.org_id, caller.key_id, op.name, status, latency, jobs, billed=billed, detail=detail
            )
        if status >= 400:
            raise body
        return status, body

    def open_credential(self, org) -> str:
        try:
            credential = self.store.credential_of(org)
        except MasterKeyError as error:
            logger.error("%s", error)
            raise ProxyError(
                500,
                "credential_unreadable",
                "this organisation's HeyGen credential does not open with the loaded master key: an administrator "
                "must check PROXY_MASTER_KEY (and PROXY_PREVIOUS_MASTER_KEYS during a rotation)",
            ) from None
        logs.remember(credential)
        return credential

    def answer(self, op: Operation, result):
        if result.type == ResultType.ACTION:
            output = result.result.data if hasattr(result.result, "data") else result.result
            return 200, op.to_answer(output), op.created_ids(output)
        payload = result.result
        if isinstance(payload, dict):
            message, prop = payload.get("message"), payload.get("property")
        else:
            message, prop = getattr(payload, "message", None) or str(payload), None
        message = message or "the action failed"
        if result.type == ResultType.VALIDATION_ERROR:
            named = re.search(r"invalid input: ([\w.\[\]]+):", message)
            field = envelope_field(op, prop or (named.group(1) if named else None))
            text = message.replace(f"{op.action}: ", "", 1)
            return 400, ProxyError(400, "invalid_input", text, field), []
        logger.info("operation %s failed: %s", op.name, message)
        return 502, from_action_error(op.name, message), []

    @staticmethod
    def test_mode(op: Operation, inputs: dict) -> bool:
        if op.test_field:
            return inputs.get(op.test_field) is True
        if op.action == "create_avatar_video_batch":
            videos = inputs.get("videos") or []
            return bool(videos) and all(isinstance(v, dict) and v.get("test") is True for v in videos)
        return False

    @staticmethod
    def force_test_mode(op: Operation, inputs: dict) -> bool:
        """The organisation is test-only: HeyGen's free test mode where the action has it, else a refusal."""
        if op.test_field:
            inputs[op.test_field] = True
            return False
        if op.action == "create_avatar_video_batch" and isinstance(inputs.get("videos"), list):
            inputs["videos"] = [{**v, "test": True} if isinstance(v, dict) else v for v in inputs["videos"]]
            return False
        raise ProxyError(403, "test_only", f"this organisation is test-only and {op.name} has no free test mode")

    def check_fetchable(self, url: str) -> None:
        """upload-asset makes the plugin fetch a URL: never a private, loopback or link-local address."""
        if self.settings.allow_private_fetch:
            return
        parts = urlsplit(url)
        try:
            infos = socket.getaddrinfo(parts.hostname or "", parts.port or 443, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            raise ProxyError(400, "invalid_input", "the url's host does not resolve", "body.url") from None
        for info in infos:
            if not ipaddress.ip_address(info[4][0]).is_global:
                raise ProxyError(400, "invalid_input", "the url must be a public address", "body.url")


def script_of(inputs: dict) -> str | None:
    texts = [
        scene.get("voice", {}).get("input_text")
        for scene in inputs.get("video_inputs") or []
        if isinstance(scene, dict) and isinstance(scene.get("voice"), dict)
    ]
    return " ".join(t for t in texts if isinstance(t, str)) or inputs.get("script") or inputs.get("input_text")


def seconds_to_next_month() -> float:
    start = month_start(dt.datetime.now(dt.UTC))
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return (following - dt.datetime.now(dt.UTC)).total_seconds()
