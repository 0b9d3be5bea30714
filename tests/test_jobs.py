"""heygen_core.jobs: the one status vocabulary and waiting for a job, on an injected clock."""

import pytest

from heygen_core import jobs
from heygen_core.errors import JobFailed
from heygen_core.jobs import PollSchedule, job_error, normalize_status, pick, wait_for_job

# The contract's table: what HeyGen says -> status.
CONTRACT_TABLE = [
    ("waiting", "pending"),
    ("pending", "pending"),
    ("queued", "pending"),
    ("processing", "processing"),
    ("in_progress", "processing"),
    ("training", "processing"),
    ("running", "processing"),
    ("completed", "completed"),
    ("success", "completed"),
    ("ready", "completed"),
    ("failed", "failed"),
    ("fail", "failed"),
    ("error", "failed"),
    ("rendering", "processing"),
    ("uploading", "processing"),
    ("", "processing"),
    ("something_new_2027", "processing"),
]


@pytest.mark.parametrize(("raw", "status"), CONTRACT_TABLE)
def test_normalize_status_contract_table(raw, status):
    assert normalize_status(raw) == status


@pytest.mark.parametrize(
    ("raw", "status"),
    [("Completed", "completed"), (" SUCCESS ", "completed"), ("In_Progress", "processing"), ("FAILED", "failed")],
)
def test_normalize_status_ignores_case_and_spaces(raw, status):
    assert normalize_status(raw) == status


@pytest.mark.parametrize("raw", [3, 1.5, True, ["completed"], {"status": "completed"}])
def test_normalize_status_non_text_is_processing(raw):
    assert normalize_status(raw) == "processing"


# ---------------------------------------------------------------- job_error and pick


@pytest.mark.parametrize(
    ("raw", "fallback", "error"),
    [
        (
            {"code": 40119, "message": "Too long", "detail": "Video is too long (> 3600.0s)"},
            None,
            {"code": "40119", "message": "Too long", "detail": "Video is too long (> 3600.0s)"},
        ),
        ({"code": None, "msg": "No face"}, None, {"code": None, "message": "No face", "detail": None}),
        ({"detail": "Only detail"}, None, {"code": None, "message": "Only detail", "detail": "Only detail"}),
        ("Not enough photos", None, {"code": None, "message": "Not enough photos", "detail": None}),
        (None, "Fallback reason", {"code": None, "message": "Fallback reason", "detail": None}),
        ({"code": None, "message": ""}, None, None),
        (None, None, None),
        ("", None, None),
    ],
    ids=["full", "msg", "detail_only", "text", "fallback", "empty_object", "nothing", "empty_text"],
)
def test_job_error(raw, fallback, error):
    assert job_error(raw, fallback) == error


def test_pick_fills_missing_fields_with_none_and_survives_non_objects():
    assert pick({"a": 1, "extra": 2}, ["a", "b"]) == {"a": 1, "b": None}
    assert pick(None, ["a"]) == {"a": None}
    assert pick(["a"], ["a"]) == {"a": None}


# ---------------------------------------------------------------- PollSchedule


def test_poll_schedule_grows_then_caps():
    delays = PollSchedule(first=1.0, factor=1.5, cap=30.0, jitter=0.0).delays()

    assert [next(delays) for _ in range(11)] == [
        1.0,
        1.5,
        2.25,
        3.375,
        5.0625,
        7.59375,
        11.390625,
        17.0859375,
        25.62890625,
        30.0,
        30.0,
    ]


def test_poll_schedule_jitter_stays_within_ten_percent():
    delays = PollSchedule(first=10.0, factor=1.0, cap=10.0, jitter=0.1).delays()

    samples = [next(delays) for _ in range(200)]

    assert all(9.0 <= delay <= 11.0 for delay in samples)
    assert len(set(samples)) > 1


# ---------------------------------------------------------------- wait_for_job on virtual time


class VirtualTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def clock(self):
        return self.now

    async def sleep(self, seconds):
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


class Job:
    """Answers status checks from a script of statuses, repeating the last one."""

    def __init__(self, *statuses):
        self.statuses = list(statuses)
        self.checks = 0

    async def check(self):
        self.checks += 1
        index = min(self.checks, len(self.statuses)) - 1
        return dict(self.statuses[index])


SIMPLE = PollSchedule(first=1.0, factor=2.0, cap=8.0, jitter=0.0)
PROCESSING = {"video_id": "v1", "status": "processing", "raw_status": "processing", "error": None}
COMPLETED = {"video_id": "v1", "status": "completed", "raw_status": "completed", "error": None, "url": "u"}


async def wait(job, vt, timeout, first=None, schedule=SIMPLE):
    return await wait_for_job(
        job.check,
        job_id="v1",
        first=first,
        timeout_seconds=timeout,
        schedule=schedule,
        clock=vt.clock,
        sleep=vt.sleep,
    )


async def test_wait_completes_after_a_few_checks():
    vt, job = VirtualTime(), Job(PROCESSING, PROCESSING, COMPLETED)

    result = await wait(job, vt, timeout=600)

    assert result == {**COMPLETED, "timed_out": False}
    assert job.checks == 3
    assert vt.sleeps == [1.0, 2.0]


async def test_wait_judges_the_status_in_hand_before_polling():
    vt, job = VirtualTime(), Job(COMPLETED)

    result = await wait(job, vt, timeout=600, first=COMPLETED)

    assert result == {**COMPLETED, "timed_out": False}
    assert (job.checks, vt.sleeps) == (0, [])


async def test_wait_polls_after_a_pending_status_in_hand():
    vt, job = VirtualTime(), Job(COMPLETED)
    pending = {**PROCESSING, "status": "pending", "raw_status": None}

    result = await wait(job, vt, timeout=600, first=pending)

    assert result == {**COMPLETED, "timed_out": False}
    assert (job.checks, vt.sleeps) == (1, [1.0])


async def test_wait_failed_job_raises_with_id_and_reason():
    failed = {
        **PROCESSING,
        "status": "failed",
        "raw_status": "failed",
        "error": {"code": "40119", "message": "Too long", "detail": "Video is too long (> 3600.0s)"},
    }
    vt, job = VirtualTime(), Job(PROCESSING, failed)

    with pytest.raises(JobFailed) as raised:
        await wait(job, vt, timeout=600)

    error = raised.value
    assert (error.code, error.message, error.subject, error.status) == (
        "40119",
        "Video is too long (> 3600.0s)",
        "job v1 ended as failed:",
        None,
    )
    assert error.describe("get_video_status") == (
        "get_video_status failed: job v1 ended as failed: (40119) Video is too long (> 3600.0s). Hint: The video is "
        "longer than your plan allows: shorten the script, split it across videos, or upgrade."
    )
    assert job.checks == 2


async def test_wait_failed_job_without_a_reason_says_so():
    vt, job = VirtualTime(), Job({**PROCESSING, "status": "failed", "raw_status": "error"})

    with pytest.raises(JobFailed) as raised:
        await wait(job, vt, timeout=600)

    assert raised.value.describe("x") == "x failed: job v1 ended as failed: HeyGen gave no reason."


async def test_wait_times_out_with_the_latest_status_and_bounded_checks():
    vt, job = VirtualTime(), Job(PROCESSING, {**PROCESSING, "raw_status": "rendering"})

    result = await wait(job, vt, timeout=30)

    assert result == {**PROCESSING, "raw_status": "rendering", "timed_out": True}
    assert vt.sleeps == [1.0, 2.0, 4.0, 8.0, 8.0, 7.0]  # never sleeps past the deadline
    assert job.checks == 7
    assert vt.now == 1030.0


async def test_wait_with_zero_timeout_checks_once():
    vt, job = VirtualTime(), Job(PROCESSING)

    result = await wait(job, vt, timeout=0)

    assert result == {**PROCESSING, "timed_out": True}
    assert (job.checks, vt.sleeps) == (1, [])


async def test_wait_with_the_production_schedule_stays_within_a_few_dozen_checks():
    vt, job = VirtualTime(), Job(PROCESSING)

    result = await wait(job, vt, timeout=jobs.MAX_WAIT_SECONDS, schedule=PollSchedule())

    assert result["timed_out"] is True
    assert 25 <= job.checks <= 45
    assert max(vt.sleeps) <= 33.0
    assert vt.now == pytest.approx(1000.0 + jobs.MAX_WAIT_SECONDS)


async def test_wait_uses_the_default_schedule_when_none_is_given(monkeypatch):
    monkeypatch.setattr(jobs, "DEFAULT_SCHEDULE", PollSchedule(first=5.0, factor=1.0, cap=5.0, jitter=0.0))
    vt, job = VirtualTime(), Job(PROCESSING)

    await wait_for_job(job.check, job_id="v1", timeout_seconds=12, clock=vt.clock, sleep=vt.sleep)

    assert vt.sleeps == [5.0, 5.0, 2.0]
    assert job.checks == 4


async def test_progress_lines_speak_the_plugins_status_words_with_heygens_in_brackets(caplog):
    answers = iter(
        [{"status": "processing", "raw_status": "waiting"}, {"status": "completed", "raw_status": "success"}]
    )
    now = {"t": 0.0}

    async def sleep(seconds):
        now["t"] += seconds

    async def check():
        return next(answers)

    caplog.set_level("INFO", logger="heygen.jobs")
    await wait_for_job(
        check,
        job_id="v1",
        first={"status": "pending", "raw_status": None},
        timeout_seconds=60,
        schedule=PollSchedule(first=1, factor=1, cap=1, jitter=0),
        clock=lambda: now["t"],
        sleep=sleep,
    )

    assert [record.getMessage() for record in caplog.records if record.name == "heygen.jobs"] == [
        "job v1: pending after 0 s",
        "job v1: processing (HeyGen: waiting) after 1 s",
        "job v1: completed (HeyGen: success) after 2 s",
    ]
