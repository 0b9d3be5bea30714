"""The command line (`python -m heygen_cli`) through its main(argv): listing, describing and running actions.

Runs go through the SDK's execute_action against aioresponses (exact requests) or the local simulator
(`--sim`: a background process, in a temporary state folder during tests; see tests/test_cli_sim.py);
every call of the `cli` helper also checks that no credential reached stdout or stderr.
"""

import base64
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from heygen_cli import main
from heygen_cli.catalog import CONFIG_PATH
from heygen_cli.inputs import apply_setting, parse_value
from tests.conftest import ACCESS_TOKEN, API, API_KEY, SECRETS, request_count, sent

ROOT = Path(__file__).resolve().parent.parent
ACTIONS = json.loads(CONFIG_PATH.read_text(encoding="utf-8"))["actions"]
VIDEO_ID = "7a2c9e1b5f3d4a6e8b0c2d4f6a8b0c1d"
STATUS = f"{API}/v1/video_status.get?video_id={VIDEO_ID}"
VOICES = {
    "error": None,
    "data": {
        "voices": [
            {"voice_id": "v1", "name": "Monica", "language": "English", "gender": "female"},
            {"voice_id": "v2", "name": "Lucia", "language": "Spanish", "gender": "female"},
        ]
    },
}
SCENE = {
    "character": {"type": "avatar", "avatar_id": "Angela-inblackskirt-20220820"},
    "voice": {"type": "text", "voice_id": "1bd001e7ffe04520adf63141a163d1f8", "input_text": "Hello from the CLI."},
}


class TerminalStream(io.StringIO):
    def isatty(self) -> bool:
        return True


def cli(*argv, stdin: str = "", stderr=None) -> tuple[int, str, str]:
    out, err = io.StringIO(), stderr or io.StringIO()
    code = main(list(argv), stdin=io.StringIO(stdin), stdout=out, stderr=err)
    printed = out.getvalue() + err.getvalue()
    assert not any(secret in printed for secret in SECRETS), printed
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch):
    """A developer's own HEYGEN_API_KEY must never be what these tests use."""
    monkeypatch.delenv("HEYGEN_API_KEY", raising=False)
    monkeypatch.delenv("HEYGEN_ACCESS_TOKEN", raising=False)


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("HEYGEN_API_KEY", API_KEY)


# actions and describe -----------------------------------------------------------------------


def test_actions_lists_every_action_of_config_with_required_inputs_marked():
    code, out, _ = cli("actions")
    assert code == 0
    rows = {line.split()[0]: line.split(None, 1)[1] for line in out.splitlines()[: len(ACTIONS)]}
    assert list(rows) == list(ACTIONS)
    for name, action in ACTIONS.items():
        schema = action["input_schema"]
        listed = [word.strip() for word in rows[name].split(",")] if schema.get("properties") else []
        names, required = list(schema.get("properties", {})), schema.get("required", [])
        expected = [f"{p}*" for p in names if p in required] + [p for p in names if p not in required]
        assert listed == expected or (not expected and rows[name] == "(no inputs)")
    assert f"{len(ACTIONS)} actions" in out


def test_actions_lists_the_polling_triggers_and_describe_shows_one():
    triggers = json.loads(CONFIG_PATH.read_text(encoding="utf-8"))["polling_triggers"]
    code, out, _ = cli("actions")
    listed = out.split("Polling triggers", 1)[1].splitlines()[1:]
    assert code == 0 and [line.split()[0] for line in listed if line.strip()][: len(triggers)] == list(triggers)
    assert "video_completed " in out and "include_failed" in out.split("Polling triggers", 1)[1]
    code, out, _ = cli("describe", "video_completed")
    assert code == 0 and out.startswith("video_completed — ") and "lookback_minutes" in out


def test_actions_as_json_matches_config():
    code, out, _ = cli("actions", "--json")
    listing = json.loads(out)
    assert code == 0 and list(listing) == list(ACTIONS)
    assert listing["create_avatar_video"]["required"] == ["video_inputs"]
    assert "wait_for_completion" in listing["create_avatar_video"]["optional"]


def test_actions_runs_as_a_module_in_a_subprocess():
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEYGEN_")}
    done = subprocess.run(
        [sys.executable, "-m", "heygen_cli", "actions"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert all(name in done.stdout for name in ACTIONS) and done.stderr == ""


def test_describe_shows_nested_inputs_with_rules_and_the_outputs():
    code, out, _ = cli("describe", "create_avatar_video")
    assert code == 0
    assert out.startswith("create_avatar_video — Create Avatar Video")
    assert "1-50 scenes" in out
    assert "video_inputs*" in out and "list of object, 1-50 items" in out
    assert "pattern ^#[0-9a-fA-F]{6}$" in out and "one of: text, audio, silence" in out
    inputs, outputs = out.split("Output:")
    assert "timed_out" in outputs and "video_id" in outputs and "*" not in outputs


def test_describe_an_unknown_action_suggests_the_close_one():
    code, out, err = cli("describe", "get_vidoe_status")
    assert code == 2 and out == ""
    assert err.startswith("error: unknown action 'get_vidoe_status'; did you mean get_video_status")


# run: inputs --------------------------------------------------------------------------------


def test_run_with_inline_json_prints_the_actions_data(api_key, wire):
    wire.get(f"{API}/v2/voices", payload=VOICES)
    code, out, err = cli("run", "list_voices", '{"language": "English"}')
    assert code == 0 and err == ""
    data = json.loads(out)
    assert [voice["voice_id"] for voice in data["voices"]] == ["v1"] and data["total"] == 1
    (method, url, kwargs), *_ = sent(wire)
    assert (method, url) == ("GET", f"{API}/v2/voices")
    assert kwargs["headers"]["X-Api-Key"] == API_KEY and "Authorization" not in kwargs["headers"]


def test_run_with_an_input_file(api_key, wire, tmp_path):
    wire.get(STATUS, payload={"code": 100, "data": {"id": VIDEO_ID, "status": "processing"}, "message": "Success"})
    request = tmp_path / "input.json"
    request.write_text(json.dumps({"video_id": VIDEO_ID}), encoding="utf-8")
    code, out, _ = cli("run", "get_video_status", f"@{request}")
    assert code == 0 and json.loads(out)["status"] == "processing"


def test_run_with_input_from_stdin_and_oauth_token(monkeypatch, wire):
    monkeypatch.setenv("HEYGEN_ACCESS_TOKEN", ACCESS_TOKEN)
    wire.get(STATUS, payload={"code": 100, "data": {"id": VIDEO_ID, "status": "waiting"}, "message": "Success"})
    code, out, _ = cli("run", "get_video_status", "-", stdin=json.dumps({"video_id": VIDEO_ID}))
    assert code == 0 and json.loads(out)["status"] == "pending"
    headers = sent(wire)[0][2]["headers"]
    assert headers["Authorization"] == f"Bearer {ACCESS_TOKEN}" and "X-Api-Key" not in headers


def test_set_adds_json_or_text_values_even_after_the_options(api_key, wire):
    wire.get(STATUS, payload={"code": 100, "data": {"id": VIDEO_ID, "status": "completed"}, "message": "Success"})
    code, out, _ = cli("run", "get_video_status", "--set", f"video_id={VIDEO_ID}", "--progress", "{}")
    assert code == 0 and json.loads(out)["video_id"] == VIDEO_ID


def test_set_value_parsing_and_dotted_keys():
    inputs = {"dimension": {"width": 1280}}
    for setting in ("dimension.height=720", "caption=true", "title=My video", 'voice_id="123"', "limit=5"):
        apply_setting(inputs, setting)
    assert inputs == {
        "dimension": {"width": 1280, "height": 720},
        "caption": True,
        "title": "My video",
        "voice_id": "123",
        "limit": 5,
    }
    assert parse_value("[1, 2]") == [1, 2] and parse_value("abc") == "abc"


@pytest.mark.parametrize(
    "argv, words",
    [
        (["run", "get_video_status", "{bad"], "INPUT is not valid JSON (line 1, column 2"),
        (["run", "get_video_status", "[1, 2]"], "INPUT must be a JSON object"),
        (["run", "get_video_status", "@/no/such/file.json"], "cannot read input file /no/such/file.json"),
        (["run", "get_video_status", "--set", "video_id"], "--set needs key=value"),
        (["run", "no_such_action"], "unknown action 'no_such_action'"),
    ],
)
def test_bad_command_lines_exit_2_with_one_line_and_send_nothing(api_key, wire, argv, words):
    code, out, err = cli(*argv)
    assert code == 2 and out == "" and words in err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert request_count(wire) == 0


# run: errors --------------------------------------------------------------------------------


def test_a_validation_error_exits_2_naming_the_field_path(api_key, wire):
    scene = {**SCENE, "background": {"type": "color", "value": "#FFF"}}
    code, out, err = cli("run", "create_avatar_video", json.dumps({"video_inputs": [scene]}))
    assert code == 2 and out == ""
    assert "video_inputs[0].background.value" in err and "#FFF" in err
    assert request_count(wire) == 0


def test_a_missing_required_input_exits_2(api_key, wire):
    code, _, err = cli("run", "get_video_status")
    assert code == 2 and "video_id: is required" in err and request_count(wire) == 0


def test_an_action_error_exits_1_with_heygens_words(api_key, wire):
    wire.get(STATUS, status=404, payload={"code": 40104, "message": "Video not found"})
    code, out, err = cli("run", "get_video_status", "--set", f"video_id={VIDEO_ID}")
    assert code == 1 and out == ""
    assert err.startswith("error: get_video_status failed: HeyGen 404 (40104) Video not found. Hint:")
    assert err.count("\n") == 1


def test_a_credential_echoed_by_heygen_is_never_printed(api_key, wire):
    wire.get(f"{API}/v2/voices", status=401, payload={"error": {"code": 400112, "message": f"Bad key {API_KEY}"}})
    code, _, err = cli("run", "list_voices", "--progress")  # cli() asserts no credential was printed
    assert code == 1 and "HeyGen 401 (400112)" in err and "[redacted]" in err


def test_a_credential_pasted_into_an_input_is_scrubbed_from_the_error(api_key, wire):
    code, _, err = cli("run", "download_video", "--set", f"video_id={VIDEO_ID}", "--set", f"file_type={API_KEY}")
    assert code == 2 and "file_type: must be one of" in err and "[redacted]" in err


def test_missing_credentials_is_a_clear_message(wire):
    code, out, err = cli("run", "list_voices")
    assert code == 2 and out == "" and request_count(wire) == 0
    assert "no HeyGen credentials: set HEYGEN_API_KEY" in err and "--sim" in err


def test_two_credentials_at_once_are_refused(monkeypatch, wire):
    monkeypatch.setenv("HEYGEN_API_KEY", API_KEY)
    monkeypatch.setenv("HEYGEN_ACCESS_TOKEN", ACCESS_TOKEN)
    code, _, err = cli("run", "list_voices")
    assert code == 2 and "both HEYGEN_API_KEY and HEYGEN_ACCESS_TOKEN are set" in err


# run: files ---------------------------------------------------------------------------------


def mock_finished_video(wire, content: bytes) -> None:
    media = "https://files.heygen.ai/video/abc.mp4?Expires=1700604800"
    data = {"id": VIDEO_ID, "status": "completed", "video_url": media, "duration": 4.0}
    wire.get(STATUS, payload={"code": 100, "data": data, "message": "Success"})
    wire.get(media, body=content, headers={"Content-Type": "video/mp4"})


def test_save_writes_the_file_and_prints_its_path(api_key, wire, tmp_path):
    content = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40
    mock_finished_video(wire, content)
    code, out, _ = cli("run", "download_video", "--set", f"video_id={VIDEO_ID}", "--save", str(tmp_path / "videos"))
    assert code == 0
    data = json.loads(out)
    saved = tmp_path / "videos" / f"{VIDEO_ID}.mp4"
    assert data["file"] == {"content": str(saved), "name": f"{VIDEO_ID}.mp4", "contentType": "video/mp4"}
    assert saved.read_bytes() == content and data["size_bytes"] == len(content)


def test_without_save_the_base64_is_not_printed(api_key, wire):
    content = bytes(range(256)) * 400
    mock_finished_video(wire, content)
    code, out, _ = cli("run", "download_video", "--set", f"video_id={VIDEO_ID}")
    assert code == 0 and base64.b64encode(content[:300]).decode()[:40] not in out
    assert (
        json.loads(out)["file"]["content"]
        == f"<{len(content)} bytes not shown: pass --save DIR to write {VIDEO_ID}.mp4>"
    )
    assert len(out) < 2000


# run --sim and progress ---------------------------------------------------------------------


@pytest.mark.e2e
def test_sim_runs_against_the_in_process_simulator_without_credentials():
    code, out, err = cli("run", "list_avatars", '{"limit": 2}', "--sim")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["avatars"][0]["avatar_id"] == "Angela-inblackskirt-20220820"
    assert data["avatars"][0]["preview_image_url"].startswith("http://127.0.0.1:")
    assert "HEYGEN_API_URL" not in os.environ  # the simulator's address does not outlive the run


@pytest.mark.e2e
def test_sim_never_sends_the_environments_credential(api_key):
    """The local simulator accepts only its local key: the real one would get a 401 here."""
    code, out, _ = cli("run", "list_voices", "--sim", "--set", "limit=1")
    assert code == 0 and len(json.loads(out)["voices"]) == 1


@pytest.mark.e2e
def test_sim_with_progress_shows_each_poll_and_the_elapsed_time():
    request = json.dumps({"video_inputs": [SCENE], "wait_for_completion": True, "timeout_seconds": 30})
    code, out, err = cli("run", "create_avatar_video", request, "--sim", "--sim-speed", "0.01", "--progress")
    video = json.loads(out)
    assert code == 0 and video["status"] == "completed" and video["duration"] > 0
    lines = err.splitlines()
    assert lines[0] == "running create_avatar_video against the local simulator"
    assert f"  … job {video['video_id']}: pending after 0 s" in lines
    assert any(line.startswith(f"  … job {video['video_id']}: completed after") for line in lines)
    assert lines[-1].startswith("  elapsed ") and lines[-1].endswith(" s")


@pytest.mark.e2e
def test_on_a_terminal_progress_is_one_line_rewritten_in_place():
    request = json.dumps({"video_inputs": [SCENE], "wait_for_completion": True, "timeout_seconds": 30})
    terminal = TerminalStream()
    code, _, err = cli("run", "create_avatar_video", request, "--sim", "--sim-speed", "0.01", stderr=terminal)
    assert code == 0
    assert "\r\x1b[K  … job " in err and ": completed after" in err
    assert err.rstrip("\n").splitlines()[-1].startswith("  elapsed ")


@pytest.mark.e2e
def test_sim_reports_heygens_refusals_as_action_errors():
    code, out, err = cli("run", "get_video_status", "--set", "video_id=nope", "--sim")
    assert code == 1 and out == "" and "HeyGen 404 (40104) Video not found" in err
