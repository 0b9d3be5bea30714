"""`--sim`'s background simulator: consecutive commands share one account, `sim status|start|stop|reset`,
ids that never repeat, and recovery from a state folder whose simulator is gone.

Each test has its own state folder (HEYGEN_SIM_HOME) and stops its simulator at teardown; the cross-process
tests run the CLI as a user does, one `python -m heygen_cli` process per command.
"""

import io
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from heygen_cli import background_sim, main

ROOT = Path(__file__).resolve().parent.parent
SCENE = (
    "--set",
    "video_inputs.0.character.type=avatar",
    "--set",
    "video_inputs.0.character.avatar_id=Angela-inblackskirt-20220820",
    "--set",
    "video_inputs.0.voice.type=text",
    "--set",
    "video_inputs.0.voice.voice_id=1bd001e7ffe04520adf63141a163d1f8",
    "--set",
    "video_inputs.0.voice.input_text=Hello from one command to the next.",
)
pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def sim_home(tmp_path, monkeypatch):
    home = tmp_path / "sim-state"
    monkeypatch.setenv(background_sim.HOME_VARIABLE, str(home))
    monkeypatch.delenv("HEYGEN_API_KEY", raising=False)
    monkeypatch.delenv("HEYGEN_ACCESS_TOKEN", raising=False)
    yield home
    pid = (background_sim.read_json(home / background_sim.SERVER_FILE) or {}).get("pid")
    background_sim.stop()
    assert pid is None or not background_sim.alive(pid), "the simulator outlived its test"


def command(*argv: str) -> tuple[int, str, str]:
    """One CLI run in its own process, as a user types it."""
    done = subprocess.run(
        [sys.executable, "-m", "heygen_cli", *argv], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    return done.returncode, done.stdout, done.stderr


def cli(*argv: str) -> tuple[int, str, str]:
    """One CLI run through main() in this process (quicker; the simulator is still a separate process)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdin=io.StringIO(""), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def create_video() -> str:
    code, out, err = cli("run", "create_avatar_video", "--sim", *SCENE)
    assert code == 0, err
    return json.loads(out)["video_id"]


def status() -> dict:
    code, out, _ = cli("sim", "status", "--json")
    assert code == 0
    return json.loads(out)


def saved_videos(expected: int) -> int:
    """The count sim status reports, once the simulator has saved (it does within a twentieth of a second)."""
    deadline = time.monotonic() + 2
    while (count := status()["videos"]) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return count


def test_a_video_made_by_one_command_is_found_by_the_next_and_after_a_restart(sim_home):
    code, out, err = command("run", "create_avatar_video", "--sim", *SCENE)
    assert code == 0, err
    video_id = json.loads(out)["video_id"]
    first_pid = status()["pid"]

    code, out, err = command("run", "get_video_status", "--sim", "--set", f"video_id={video_id}")
    assert code == 0, err
    assert json.loads(out)["video_id"] == video_id
    assert status()["pid"] == first_pid  # the same process served both commands
    assert saved_videos(1) == 1

    assert cli("sim", "stop")[1] == f"stopped the local simulator (pid {first_pid})\n"
    assert not background_sim.alive(first_pid)
    code, out, err = cli("run", "get_video_status", "--sim", "--set", f"video_id={video_id}", "--sim-speed", "0.05")
    assert code == 0, err  # a new process (at another speed) loaded the saved account
    assert json.loads(out)["status"] == "completed"
    restarted = status()
    assert restarted["pid"] != first_pid and restarted["time_scale"] == 0.05


def test_ids_never_repeat_across_a_restart_or_a_reset(sim_home):
    before = create_video()
    cli("sim", "stop")
    after_restart = create_video()
    code, out, _ = cli("sim", "reset")
    assert code == 0 and "deleted its state folder" in out and not sim_home.exists()
    after_reset = create_video()
    assert len({before, after_restart, after_reset}) == 3
    code, _, err = cli("run", "get_video_status", "--sim", "--set", f"video_id={before}")
    assert code == 1 and "Video not found" in err  # reset wiped the account
    assert saved_videos(1) == 1


def test_status_start_stop_and_reset_report_what_they_did(sim_home):
    code, out, _ = cli("sim", "status")
    assert code == 0 and out.startswith("local simulator: not running\n") and str(sim_home) in out
    assert cli("sim", "stop") == (0, "the local simulator was not running\n", "")
    assert cli("sim", "reset") == (0, "the local simulator was not running; no state to delete\n", "")

    code, out, _ = cli("sim", "start", "--sim-speed", "0.2")
    report = status()
    assert code == 0 and out.startswith("local simulator started http://127.0.0.1:")
    assert report["running"] and report["time_scale"] == 0.2 and report["videos"] == 0
    assert background_sim.answers(report["url"]) and background_sim.alive(report["pid"])
    assert cli("sim", "start", "--sim-speed", "0.2")[1].startswith("local simulator already running:")
    code, out, _ = cli("sim", "status")
    assert f"  url:      {report['url']}\n" in out and f"  pid:      {report['pid']}\n" in out

    assert cli("sim", "stop")[1] == f"stopped the local simulator (pid {report['pid']})\n"
    assert not background_sim.alive(report["pid"]) and not background_sim.answers(report["url"], timeout=0.5)
    assert not (sim_home / background_sim.SERVER_FILE).exists()
    assert status()["running"] is False and (sim_home / background_sim.STATE_FILE).exists()
    assert cli("sim", "reset")[1] == f"the local simulator was not running; deleted its state folder {sim_home}\n"
    assert not sim_home.exists()


def dead_pid() -> int:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return gone.pid


def test_a_state_file_naming_a_dead_process_is_replaced(sim_home):
    sim_home.mkdir(parents=True)
    pid = dead_pid()
    stale = {"pid": pid, "url": "http://127.0.0.1:9", "port": 9, "time_scale": 0.1, "legacy": "served"}
    (sim_home / background_sim.SERVER_FILE).write_text(json.dumps(stale))
    (sim_home / background_sim.PID_FILE).write_text(str(pid))
    assert status()["running"] is False

    started = time.monotonic()
    code, out, err = cli("run", "list_avatars", "--sim", "--set", "limit=1")
    assert code == 0, err
    assert time.monotonic() - started < 10
    server = background_sim.read_json(sim_home / background_sim.SERVER_FILE)
    assert server["pid"] != pid and background_sim.alive(server["pid"]) and server["url"] != stale["url"]


def test_a_pid_reused_by_another_process_is_neither_trusted_nor_killed(sim_home):
    sim_home.mkdir(parents=True)
    stranger = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (sim_home / background_sim.SERVER_FILE).write_text(json.dumps({"pid": stranger.pid, "url": "http://x"}))
        assert status()["running"] is False
        assert cli("sim", "stop")[1] == "the local simulator was not running\n"
        assert stranger.poll() is None  # still alive: stop only ever signals the simulator
    finally:
        stranger.kill()
        stranger.wait()


def test_a_simulator_that_cannot_start_fails_fast_and_names_its_log(sim_home, monkeypatch):
    monkeypatch.setenv("HEYGEN_SIM_LEGACY", "bogus")  # the server refuses this setting and exits
    started = time.monotonic()
    code, out, err = cli("run", "list_avatars", "--sim")
    assert code == 2 and out == ""
    assert "the local simulator exited while starting" in err and "legacy must be one of" in err
    assert str(sim_home / background_sim.LOG_FILE) in err
    assert time.monotonic() - started < 10


def test_a_simulator_that_never_answers_is_given_up_on_and_killed(sim_home, monkeypatch):
    monkeypatch.setattr(background_sim, "START_TIMEOUT_SECONDS", 1.5)
    monkeypatch.setattr(background_sim, "answers", lambda url, timeout=2.0: False)
    code, _, err = cli("run", "list_avatars", "--sim")
    assert code == 2 and "did not answer within 2 s; see its log: " in err and background_sim.LOG_FILE in err
    pid = background_sim.read_pid(sim_home)
    deadline = time.monotonic() + 5
    while pid is not None and background_sim.alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pid is not None and not background_sim.alive(pid)


def test_the_simulator_accepts_only_the_clis_key(sim_home):
    cli("sim", "start")
    url = status()["url"]
    request = urllib.request.Request(f"{url}/v3/users/me", headers={"X-Api-Key": "a-real-looking-key"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401
    assert os.environ.get("HEYGEN_API_URL") is None
