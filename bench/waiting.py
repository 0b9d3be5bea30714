"""2. Waiting: status calls and notice delay (job done -> plugin knows) for jobs of 4 s, 60 s and 10 min.

Runs the real thing, create_avatar_video with wait_for_completion against the simulator over loopback, on
virtual time: wait_for_job gets a clock and a sleep that jump, and every jump moves the simulator's clock by
the same amount, so a 10-minute video takes milliseconds. The plugin's PollSchedule (1 s, x1.5, capped at
30 s, +-10 % jitter) is compared with polling every 5 s, through the same code. Each job length runs RUNS
times with the job's real length spread evenly over nominal +-5 % (so neither schedule gains from a job that
ends exactly on a poll) and the jitter seeded by the run number.
"""

import functools
import random
import statistics

from autohive_integrations_sdk import ExecutionContext

from heygen_core import action as action_module
from heygen_core import jobs
from simulator import Simulator, SimulatorConfig
from simulator.testing import studio_body

from bench.common import AUTH, point_plugin_at, run_action

JOB_SECONDS = (4, 60, 600)
SCRIPT = "One two three four five"  # 4.0 s at time_scale 1 (queue 1 + base 2 + 0.5 x 2 s of speech)
RUNS = 20
SPREAD = 0.05
SCHEDULES = {
    "plugin (1 s x1.5, cap 30 s, jitter 10 %)": jobs.PollSchedule(),
    "fixed 5 s polling": jobs.PollSchedule(first=5.0, factor=1.0, cap=5.0, jitter=0.0),
}
GOALS = {4: "noticed within 3 s, at most 10 status calls", 600: "a few dozen status calls"}


async def one_wait(integration, seconds: float, schedule: jobs.PollSchedule, run: int) -> tuple[int, float]:
    """(status calls, notice delay in seconds) for run number `run` of a job of about `seconds`."""
    random.seed(run)
    actual = seconds * (1 - SPREAD + 2 * SPREAD * run / (RUNS - 1))
    async with Simulator(SimulatorConfig(time_scale=actual / 4.0, seed=run)) as sim:
        point_plugin_at(sim.url)
        clock = {"now": 0.0}

        async def sleep(delay: float) -> None:
            clock["now"] += delay
            sim.advance(delay)

        saved = action_module.wait_for_job, jobs.DEFAULT_SCHEDULE
        action_module.wait_for_job = functools.partial(jobs.wait_for_job, clock=lambda: clock["now"], sleep=sleep)
        jobs.DEFAULT_SCHEDULE = schedule
        try:
            inputs = {**studio_body(SCRIPT), "wait_for_completion": True, "timeout_seconds": 900}
            async with ExecutionContext(auth=AUTH) as context:
                output = await run_action(integration, "create_avatar_video", inputs, context)
        finally:
            action_module.wait_for_job, jobs.DEFAULT_SCHEDULE = saved
        assert output["status"] == "completed" and not output["timed_out"]
        polls = sim.requests_to("VideoGet")  # the status checks, on whichever API the plugin used
        polls = polls or [r for r in sim.requests if r.path == "/v1/video_status.get"]
        (video,) = sim.state.videos.values()
        return len(polls), polls[-1].time - video.job.finished_at


async def measure() -> dict:
    import heygen

    figures = {}
    for label, schedule in SCHEDULES.items():
        rows = {}
        for seconds in JOB_SECONDS:
            runs = [await one_wait(heygen.integration, seconds, schedule, run) for run in range(RUNS)]
            calls = [c for c, _ in runs]
            delays = [d for _, d in runs]
            rows[f"{seconds} s"] = {
                "status_calls_median": statistics.median(calls),
                "status_calls_max": max(calls),
                "notice_delay_median_s": statistics.median(delays),
                "notice_delay_max_s": max(delays),
                "runs": len(runs),
            }
        figures[label] = rows
    return figures
