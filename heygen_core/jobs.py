"""HeyGen's background jobs: one status vocabulary, and waiting for a job to end.

HeyGen names its statuses differently per endpoint (waiting, in_progress, ready, success, ...). Users get
one vocabulary (`pending`, `processing`, `completed`, `failed`) plus `raw_status`, exactly what HeyGen said.
"""

import asyncio
import logging
import random
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from heygen_core.errors import HeyGenError, JobFailed

STATUS_VOCABULARY = {
    "waiting": "pending",
    "pending": "pending",
    "queued": "pending",
    "processing": "processing",
    "in_progress": "processing",
    "training": "processing",
    "running": "processing",
    "completed": "completed",
    "complete": "completed",
    "success": "completed",
    "ready": "completed",
    "failed": "failed",
    "fail": "failed",
    "error": "failed",
}

logger = logging.getLogger("heygen.jobs")

DEFAULT_WAIT_SECONDS = 600
MAX_WAIT_SECONDS = 900


def normalize_status(raw: Any) -> str:
    """Maps HeyGen's status words onto the vocabulary; anything unknown is still running.

    No status at all means HeyGen has not reported on the job yet: a job just created is `pending`.
    """
    if not isinstance(raw, str):
        return "processing" if raw is not None else "pending"
    return STATUS_VOCABULARY.get(raw.strip().lower(), "processing")


def progress_words(status: dict) -> str:
    """The plugin's status word, and HeyGen's own in brackets where it says something else ("processing
    (HeyGen: waiting)"): progress lines speak the one vocabulary the outputs use."""
    word, raw = status.get("status") or normalize_status(status.get("raw_status")), status.get("raw_status")
    return f"{word} (HeyGen: {raw})" if isinstance(raw, str) and raw.strip().lower() != word else str(word)


def job_error(raw: Any, fallback_message: Any = None) -> dict | None:
    """HeyGen's failure reason as `{code, message, detail}`, or None when it gave none."""
    if isinstance(raw, dict) and any(raw.get(k) not in (None, "") for k in ("code", "message", "detail", "msg")):
        code = raw.get("code")
        return {
            "code": None if code is None else str(code),
            "message": raw.get("message") or raw.get("msg") or raw.get("detail"),
            "detail": raw.get("detail"),
        }
    message = raw if isinstance(raw, str) and raw else fallback_message
    if isinstance(message, str) and message:
        return {"code": None, "message": message, "detail": None}
    return None


def as_dict(value: Any) -> dict:
    """HeyGen sometimes answers null or a list where an object is documented: never crash on it."""
    return value if isinstance(value, dict) else {}


def pick(data: Any, fields: list[str] | tuple) -> dict:
    """A flat output with every field present: what HeyGen did not send is None."""
    source = as_dict(data)
    return {field: source.get(field) for field in fields}


@dataclass(frozen=True)
class PollSchedule:
    """Polls soon after the start, then less often: short jobs are noticed fast, long ones cost few calls."""

    first: float = 1.0
    factor: float = 1.5
    cap: float = 30.0
    jitter: float = 0.1

    def delays(self):
        delay = self.first
        while True:
            yield delay * random.uniform(1 - self.jitter, 1 + self.jitter)
            delay = min(self.cap, delay * self.factor)


DEFAULT_SCHEDULE = PollSchedule()


async def wait_for_job(
    check: Callable[[], Awaitable[dict]],
    *,
    job_id: str,
    first: dict | None = None,
    timeout_seconds: float,
    schedule: PollSchedule | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], Awaitable[Any]] | None = None,
    status_action: str | None = None,
) -> dict:
    """Polls `check` until the job completes, fails or time runs out.

    `first` is a status already in hand (e.g. "pending" right after creation), judged before the first poll.
    Completion returns the last status output with `timed_out: False`; running out of time is not an error
    (the latest status comes back with `timed_out: True` so a workflow can wait again); a failed job raises
    `JobFailed` with the job id and HeyGen's reason. A status check that still fails after the HTTP layer's own
    retries (an outage, a long `Retry-After`) does not end the wait: the next poll comes no sooner than HeyGen
    asked, and if time runs out first the last status seen comes back with `timed_out: True`.
    """
    clock = clock or time.monotonic
    sleep = sleep or asyncio.sleep
    deadline = clock() + max(0.0, float(timeout_seconds))
    delays = (schedule or DEFAULT_SCHEDULE).delays()
    started = clock()
    status = first if first is not None else await check()
    pause = 0.0
    outage = Outage(clock)
    while True:
        logger.info("job %s: %s after %.0f s", job_id, progress_words(status), clock() - started)
        if status.get("status") == "completed" or status.get("needs_input"):  # a paused job waits for the user
            return {**status, "timed_out": False}
        if status.get("status") == "failed":
            raise job_failure(job_id, status.get("error"))
        remaining = deadline - clock()
        if remaining <= 0:
            return {**status, "timed_out": True}
        await sleep(min(max(next(delays), pause), remaining))
        try:
            status, pause = await check(), 0.0
            outage.over()
        except HeyGenError as error:
            if not error.retryable:
                raise
            if outage.unreachable(error):
                raise outage.error(job_id, status_action) from None
            logger.info("job %s: status check failed for now (%s); still waiting", job_id, error.message)
            pause = error.retry_after or 0.0


UNREACHABLE_POLLS = 3
UNREACHABLE_SECONDS = 30.0


class Outage:
    """HeyGen out of reach (connections refused, names not resolving) on poll after poll.

    A 5xx or a 429 is HeyGen answering, busy: that never ends a wait. Not reaching HeyGen at all for
    UNREACHABLE_SECONDS over UNREACHABLE_POLLS polls in a row does, with an error saying since when, rather
    than a wait that looks like a slow job until its timeout.
    """

    def __init__(self, clock: Callable[[], float]):
        self.clock = clock
        self.since: float | None = None
        self.wall_since: float | None = None
        self.polls = 0

    def over(self) -> None:
        self.since, self.wall_since, self.polls = None, None, 0

    def unreachable(self, error: HeyGenError) -> bool:
        if error.status is not None or not error.not_received:
            self.over()
            return False
        if self.since is None:
            self.since, self.wall_since = self.clock(), time.time()
        self.polls += 1
        return self.polls >= UNREACHABLE_POLLS and self.clock() - self.since >= UNREACHABLE_SECONDS

    def error(self, job_id: str, status_action: str | None) -> HeyGenError:
        when = time.strftime("%H:%M:%S UTC", time.gmtime(self.wall_since or time.time()))
        check = f"check it with {status_action} and id {job_id}" if status_action else f"check job {job_id} later"
        return HeyGenError(
            f"HeyGen could not be reached since {when} ({self.clock() - self.since:.0f} s, {self.polls} status "
            "checks in a row)",
            hint=f"The job may still be running at HeyGen: {check} once the connection is back.",
        )


def job_failure(job_id: str, error: dict | None) -> JobFailed:
    error = error or {}
    reason = error.get("detail") or error.get("message") or "HeyGen gave no reason"
    return JobFailed(reason, code=error.get("code"), subject=f"job {job_id} ended as failed:")
