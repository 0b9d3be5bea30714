"""Runs the four benchmarks, prints every figure next to what it is compared with and its goal, then a summary;
writes everything to out/bench/results.json. Figures, not asserts: the tests hold the guarantees."""

import asyncio
import json
import logging
import os
import platform
import random
import time

from bench import batch, batch_polling, imports, overhead, waiting
from bench.common import ROOT, verdict

OUT = ROOT / "out" / "bench" / "results.json"


def section(title: str) -> None:
    print(f"\n{title}\n" + "-" * len(title))


def report_overhead(figures: dict) -> list[tuple]:
    section("1. Per-call cost of an action over a keep-alive aiohttp request to the same endpoint")
    print(overhead.__doc__.split("\n\n", 1)[1].strip())
    rows = []
    for label, f in figures.items():
        print(
            f"  {label:<27} {f['route']}: action {f['action_median_ms']:6.2f} ms, bare {f['bare_median_ms']:6.2f} ms "
            f"(medians of {f['calls']}): median A/B ratio {f['median_ratio']:.2f}x "
            f"(ratio of medians {f['ratio_of_medians']:.2f}x); goal <= {f['goal']}x: "
            f"{verdict(f['median_ratio'], f['goal'])}"
        )
        if "profile" in f:
            print("  where the time goes (cProfile, by own time):\n" + f["profile"])
        rows.append((f"cost ratio, {label}", f"{f['median_ratio']:.2f}x", f"<= {f['goal']}x", "keep-alive aiohttp"))
    return rows


def report_waiting(figures: dict) -> list[tuple]:
    section("2. Waiting: status calls and notice delay (virtual time, real PollSchedule)")
    print(waiting.__doc__.split("\n\n", 1)[1].strip())
    print(f"  {'job':>6}  {'schedule':<42} {'status calls med/max':>21}  {'notice delay med/max':>21}")
    for label, rows in figures.items():
        for job, f in rows.items():
            calls = f"{f['status_calls_median']:g} / {f['status_calls_max']}"
            delay = f"{f['notice_delay_median_s']:.1f} s / {f['notice_delay_max_s']:.1f} s"
            print(f"  {job:>6}  {label:<42} {calls:>21}  {delay:>21}")
    plugin, fixed = (figures[label] for label in waiting.SCHEDULES)
    four, ten = plugin["4 s"], plugin["600 s"]
    four_met = four["notice_delay_max_s"] <= 3 and four["status_calls_max"] <= 10
    print(
        f"  goal, 4 s job: noticed within 3 s with at most 10 status calls: worst {four['notice_delay_max_s']:.1f} s,"
        f" {four['status_calls_max']} calls: {'meets goal' if four_met else 'MISSES goal'}"
    )
    print(
        f"  goal, 10 min job: a few dozen status calls: {ten['status_calls_max']} at most "
        f"(fixed 5 s polling: {fixed['600 s']['status_calls_max']}): {verdict(ten['status_calls_max'], 36)}"
    )
    rows = []
    for job in plugin:
        rows.append(
            (
                f"waiting, {job} job: calls / notice delay (median)",
                f"{plugin[job]['status_calls_median']:g} / {plugin[job]['notice_delay_median_s']:.1f} s",
                waiting.GOALS.get(int(job.split()[0]), "-"),
                f"5 s polling: {fixed[job]['status_calls_median']:g} / {fixed[job]['notice_delay_median_s']:.1f} s",
            )
        )
    return rows


def report_batch(f: dict) -> list[tuple]:
    section(
        f"3. Batch: {f['videos']} videos, plan limit {f['plan_limit']} concurrent jobs, {f['video_seconds']:g} s each"
    )
    print(batch.__doc__.split("\n\n", 1)[1].strip())
    print(
        f"  total {f['total_seconds']:.1f} s against the ideal ceil({f['videos']}/{f['plan_limit']}) x "
        f"{f['video_seconds']:g} s = {f['ideal_seconds']:.1f} s: {f['ratio_to_ideal']:.2f}x the ideal"
    )
    print(
        f"  {f['completed']} completed, {f['failed']} failed; {f['posts_sent']} POSTs: {f['jobs_created']} created a "
        f"job, {f['posts_refused_429']} refused with 429 and sent again; {f['status_calls']} status calls"
    )
    print(
        f"  duplicates: {f['jobs_created']} jobs created vs {f['distinct_ids_reported']} distinct video ids reported = "
        f"{f['duplicates']} (goal 0: {verdict(f['duplicates'], 0)}); results in input order: "
        f"{f['results_in_input_order']}"
    )
    return [
        (
            "batch of 50: total vs ideal",
            f"{f['total_seconds']:.1f} s / {f['ideal_seconds']:.1f} s",
            "-",
            f"{f['ratio_to_ideal']:.2f}x ideal",
        ),
        (
            "batch of 50: 429s seen / duplicates",
            f"{f['posts_refused_429']} / {f['duplicates']}",
            "duplicates 0",
            "jobs created vs ids",
        ),
    ]


def report_imports(f: dict) -> list[tuple]:
    section("4. Cold import time of heygen.py")
    print(imports.__doc__.split("\n\n", 1)[1].strip())
    print(
        f"  import heygen: {f['import_heygen_ms']:.0f} ms over bare python ({f['python_startup_ms']:.0f} ms), median "
        f"of {f['runs']}; the SDK alone: {f['import_sdk_ms']:.0f} ms; the plugin's own share: "
        f"{f['plugin_own_ms']:.0f} ms"
    )
    print("  slowest modules (own time): " + ", ".join(f"{n} {ms:.0f} ms" for n, ms in f["slowest_modules_self_ms"]))
    return [
        (
            "cold import of heygen",
            f"{f['import_heygen_ms']:.0f} ms",
            "- (none set)",
            f"SDK alone {f['import_sdk_ms']:.0f} ms",
        )
    ]


def summary(rows: list[tuple]) -> None:
    section("Summary")
    header = ("figure", "measured", "goal", "compared with")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(4)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print(("  " + "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths))).rstrip())


async def run_async() -> dict:
    return {
        "overhead": await overhead.measure(),
        "waiting": await waiting.measure(),
        "batch": await batch.measure(),
        "batch_polling": await batch_polling.measure(),
    }


def main() -> int:
    logging.disable(logging.CRITICAL)
    random.seed(0)
    started = time.perf_counter()
    print(f"HeyGen plugin benchmarks: Python {platform.python_version()}, {os.cpu_count()} CPUs, simulator on loopback")
    figures = asyncio.run(run_async())
    figures["imports"] = imports.measure()
    rows = report_overhead(figures["overhead"])
    rows += report_waiting(figures["waiting"])
    rows += report_batch(figures["batch"])
    rows += batch_polling.report(figures["batch_polling"])
    rows += report_imports(figures["imports"])
    summary(rows)
    figures["environment"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "runtime_seconds": time.perf_counter() - started,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(figures, indent=2, default=str))
    print(f"\n{time.perf_counter() - started:.0f} s in all; figures in {OUT.relative_to(ROOT)}")
    return 0
