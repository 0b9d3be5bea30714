"""The simulator `--sim` talks to: one background process per state folder, shared by consecutive commands.

The state folder is HEYGEN_SIM_HOME, else .heygen-sim/ at the repository root. It holds server.json (pid, url,
port, settings of the running simulator), server.pid, state.pickle (the simulated account), account.json (its
counts), server.log and a lock file. The first `--sim` command starts the simulator (heygen_cli/sim_server.py)
and waits until it answers; later ones find it through server.json. A file naming a dead process is replaced.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from heygen_cli.errors import CliError
from heygen_cli.local_sim import SIM_API_KEY

HOME_VARIABLE = "HEYGEN_SIM_HOME"
ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_SECONDS = 15.0
STOP_TIMEOUT_SECONDS = 5.0
SERVER_FILE, PID_FILE, STATE_FILE = "server.json", "server.pid", "state.pickle"
ACCOUNT_FILE, LOG_FILE, LOCK_FILE = "account.json", "server.log", "lock"
CREDENTIAL_VARIABLES = ("HEYGEN_API_KEY", "HEYGEN_ACCESS_TOKEN")  # the simulator needs no real credential


def home() -> Path:
    return Path(os.environ.get(HOME_VARIABLE) or ROOT / ".heygen-sim").expanduser().resolve()


def legacy_mode() -> str:
    """What the in-process simulator served for v1/v2 (HEYGEN_SIM_LEGACY, else retired)."""
    from simulator.config import default_legacy

    return default_legacy()


@contextlib.contextmanager
def locked(folder: Path):
    """One command at a time starts or stops the folder's simulator (two at once would start two)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(folder / LOCK_FILE, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_json(path: Path) -> dict | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def read_pid(folder: Path) -> int | None:
    try:
        return int((folder / PID_FILE).read_text().strip())
    except (OSError, ValueError):
        return None


def alive(pid: int) -> bool:
    """The process exists, is not a zombie, and (where /proc tells) is our simulator, not a reused pid."""
    with contextlib.suppress(ChildProcessError, OSError):
        if os.waitpid(pid, os.WNOHANG)[0] == pid:  # our own child that has exited: reaped now
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: not ours
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if Path("/proc/self/cmdline").exists():
        try:
            return b"heygen_cli.sim_server" in cmdline.read_bytes()
        except OSError:
            return False
    return True


def answers(url: str, timeout: float = 2.0) -> bool:
    request = urllib.request.Request(f"{url}/v3/users/me", headers={"X-Api-Key": SIM_API_KEY})
    try:
        with urllib.request.urlopen(request, timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True  # an HTTP answer of any status: the server is up
    except (OSError, ValueError):
        return False


def running(folder: Path) -> dict | None:
    """server.json's record if its process is alive and answers, else None."""
    server = read_json(folder / SERVER_FILE)
    if not server or not isinstance(server.get("pid"), int) or not alive(server["pid"]):
        return None
    return server if answers(str(server.get("url", ""))) else None


def ensure_running(time_scale: float) -> dict:
    """The running simulator's record, started first if needed (or restarted, keeping the account, when it
    runs at another time_scale or v1/v2 mode than asked for)."""
    folder, legacy = home(), legacy_mode()
    with locked(folder):
        server = running(folder)
        if server and server.get("time_scale") == time_scale and server.get("legacy") == legacy:
            return server | {"started": False}
        terminate(folder, server)
        return start(folder, time_scale, legacy) | {"started": True}


def start(folder: Path, time_scale: float, legacy: str) -> dict:
    for name in (SERVER_FILE, PID_FILE):  # stale: their process is gone
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()
    log_path = folder / LOG_FILE
    env = {name: value for name, value in os.environ.items() if name not in CREDENTIAL_VARIABLES}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
    command = [sys.executable, "-m", "heygen_cli.sim_server", "--home", str(folder), "--time-scale", repr(time_scale)]
    with open(log_path, "ab") as log:
        launcher = subprocess.Popen(
            [*command, "--legacy", legacy], cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
        )
        try:
            launcher.wait(START_TIMEOUT_SECONDS)  # it forks the server off and returns at once
        except subprocess.TimeoutExpired:
            launcher.kill()
            launcher.wait()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        server = read_json(folder / SERVER_FILE)
        if server and answers(str(server.get("url", "")), timeout=1.0):
            return server
        pid = read_pid(folder)
        if (pid is not None and not alive(pid)) or (pid is None and launcher.returncode not in (0, None)):
            raise CliError(f"the local simulator exited while starting: {last_line(log_path)} (log: {log_path})")
        time.sleep(0.05)
    pid = read_pid(folder)
    if pid is not None and alive(pid):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    raise CliError(f"the local simulator did not answer within {START_TIMEOUT_SECONDS:.0f} s; see its log: {log_path}")


def last_line(path: Path) -> str:
    with contextlib.suppress(OSError):
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
        if lines:
            return lines[-1].strip()
    return "no output"


def terminate(folder: Path, server: dict | None) -> int | None:
    """Stops the folder's simulator (SIGTERM: it saves the account; SIGKILL after 5 s). The pid it stopped."""
    pid = (server or {}).get("pid") or (read_json(folder / SERVER_FILE) or {}).get("pid") or read_pid(folder)
    if not isinstance(pid, int) or not alive(pid):
        return None
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    while alive(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            deadline += STOP_TIMEOUT_SECONDS
        time.sleep(0.02)
    for name in (SERVER_FILE, PID_FILE):
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()
    return pid


def stop() -> int | None:
    folder = home()
    if not folder.exists():
        return None
    with locked(folder):
        return terminate(folder, None)


def reset() -> tuple[int | None, bool]:
    """Stops the simulator and deletes the state folder: the next `--sim` starts a new account.
    The pid it stopped, and whether there was a folder to delete."""
    folder = home()
    if not folder.exists():
        return None, False
    with locked(folder):
        pid = terminate(folder, None)
        shutil.rmtree(folder, ignore_errors=True)
    return pid, True


def status() -> dict:
    folder = home()
    server = running(folder) if folder.exists() else None
    account = read_json(folder / ACCOUNT_FILE) or {}
    report = {
        "running": server is not None,
        "state_folder": str(folder),
        "saved_account": (folder / STATE_FILE).exists(),
        "videos": account.get("videos"),
        "assets": account.get("assets"),
        "log": str(folder / LOG_FILE),
    }
    if server:
        uptime = max(0, round(time.time() - float(server.get("started_at", time.time()))))
        report |= {key: server.get(key) for key in ("url", "pid", "port", "time_scale", "legacy")}
        report["uptime_seconds"] = uptime
    return report
