"""The base of every action: the one place a HeyGen failure becomes the SDK's `ActionError`.

A handler subclasses `HeyGenAction` and implements `run(api, inputs) -> dict`; it says which endpoint, which
body and which output, and nothing about errors, auth or retries.
"""

import functools
import logging

from autohive_integrations_sdk import ActionError, ActionHandler, ActionResult, ValidationError

from heygen_core.client import HeyGenClient, secrets_of
from heygen_core.errors import MAYBE_CREATED_HINT, HeyGenError, redact, redact_whole
from heygen_core.jobs import DEFAULT_WAIT_SECONDS, as_dict, wait_for_job

logger = logging.getLogger("heygen")


class HeyGenAction(ActionHandler):
    action_name = "heygen"

    async def run(self, api: HeyGenClient, inputs: dict) -> dict:
        raise NotImplementedError

    async def execute(self, inputs: dict, context):
        secrets = secrets_of(getattr(context, "auth", None))
        try:
            async with HeyGenClient.from_context(context) as api:
                data = await self.run(api, inputs)
            return ActionResult(data=without_secrets(data, secrets), cost_usd=None)
        except ValidationError:
            raise
        except HeyGenError as error:
            message = error.describe(self.action_name, secrets)
            logger.info("%s", message)
            return ActionError(message=message)
        except Exception as error:  # a bug or an answer shaped like nothing documented: still a clear error
            message = redact(f"{self.action_name} failed: unexpected {type(error).__name__}: {error}", secrets)
            logger.warning("%s", message)
            return ActionError(message=message)


def without_secrets(value, secrets: tuple):
    """Outputs never carry the caller's credential, even if HeyGen echoed it into a field we pass through.

    Values only, never field names; whole credentials only (see `redact_whole`): outputs can hold megabytes
    (a base64 file), where the piece-by-piece scan used for messages would be too slow, and HeyGen echoes
    tokens whole if at all.
    """
    if isinstance(value, str):
        return redact_whole(value, secrets)
    if isinstance(value, dict):
        return {key: without_secrets(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [without_secrets(item, secrets) for item in value]
    return value


async def job_result(api, inputs: dict, fetch, job_id: str, initial: dict | None = None) -> dict:
    """A job's status output: `initial` (or the status now), or the final one when the user asked to wait.

    `fetch(api, job_id)` reads the job's status; every job-starting and status action goes through here.
    """
    check = functools.partial(fetch, api, job_id)
    if initial is None:
        initial = await check()
    if not inputs.get("wait_for_completion"):
        return {**initial, "timed_out": False}
    timeout = inputs.get("timeout_seconds", DEFAULT_WAIT_SECONDS)
    action = getattr(fetch, "status_action", None)
    return await wait_for_job(check, job_id=job_id, first=initial, timeout_seconds=timeout, status_action=action)


def reads_status_of(action: str):
    """Marks a job-status fetcher with the action a user runs to check that job (named when a wait gives up)."""

    def mark(fetch):
        fetch.status_action = action
        return fetch

    return mark


def created_id(data, field: str) -> str:
    """The id of what a POST created; an answer without it is an error, never a silent empty id."""
    value = as_dict(data).get(field)
    if value in (None, ""):
        raise HeyGenError(f"HeyGen accepted the request but its answer has no {field}", hint=MAYBE_CREATED_HINT)
    return str(value)
