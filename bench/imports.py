"""4. Cold import time of heygen.py: `python -c "import heygen"` minus bare `python -c pass`, median of RUNS.

Importing the Autohive SDK alone (aiohttp, jsonschema) is the floor every plugin pays; the figure that is the
plugin's own is heygen minus the SDK. `-X importtime` names the slowest modules.
"""

import statistics
import subprocess
import sys
import time

from bench.common import ROOT

RUNS = 7
PROGRAMS = {
    "python -c pass": "pass",
    "import autohive_integrations_sdk": "import autohive_integrations_sdk",
    "import heygen": "import heygen",
}


def wall_time(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return time.perf_counter() - started


def slowest_modules(top: int = 6) -> list[tuple[str, float]]:
    """Own import time of the slowest modules under `import heygen` (self time, -X importtime)."""
    report = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import heygen"], cwd=ROOT, capture_output=True, text=True
    ).stderr
    rows = []
    for line in report.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _cumulative, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        rows.append((name.strip(), int(own) / 1e3))
    return sorted(rows, key=lambda row: -row[1])[:top]


def measure() -> dict:
    for code in PROGRAMS.values():  # warm the file cache
        wall_time(code)
    times = {label: [] for label in PROGRAMS}
    for _ in range(RUNS):  # interleaved, so a slow stretch of the machine hits every program alike
        for label, code in PROGRAMS.items():
            times[label].append(wall_time(code))
    medians = {label: statistics.median(samples) for label, samples in times.items()}
    bare = medians["python -c pass"]
    return {
        "runs": RUNS,
        "import_heygen_ms": (medians["import heygen"] - bare) * 1e3,
        "import_sdk_ms": (medians["import autohive_integrations_sdk"] - bare) * 1e3,
        "plugin_own_ms": (medians["import heygen"] - medians["import autohive_integrations_sdk"]) * 1e3,
        "python_startup_ms": bare * 1e3,
        "slowest_modules_self_ms": slowest_modules(),
    }
