"""--set typed by the action's input schema, list indexes, and --set-file (a file input gets the file itself)."""

import base64
import json

import pytest

from heygen_cli.catalog import load_actions
from heygen_cli.errors import CliError
from heygen_cli.inputs import read_inputs
from tests.test_cli import cli

ACTIONS = load_actions()


def inputs_of(action: str, *settings: str, files: tuple[str, ...] = (), source: str | None = None) -> dict:
    return read_inputs(source, list(settings), schema=ACTIONS[action]["input_schema"], files=list(files))


def test_a_text_input_keeps_text_that_looks_like_json():
    assert inputs_of("create_avatar_video", "title=2024")["title"] == "2024"
    assert inputs_of("get_video_status", "video_id=123")["video_id"] == "123"
    payload = '{"event_type": "avatar_video.success", "event_data": {"video_id": "v1"}}'
    assert inputs_of("verify_webhook_signature", f"payload={payload}")["payload"] == payload


def test_numbers_booleans_and_lists_read_json_and_a_bad_one_names_the_input():
    got = inputs_of("get_video_status", "video_id=v", "wait_for_completion=true", "timeout_seconds=30")
    assert got == {"video_id": "v", "wait_for_completion": True, "timeout_seconds": 30}
    with pytest.raises(CliError, match="--set timeout_seconds: the input is integer, and 'soon' is not valid JSON"):
        inputs_of("get_video_status", "timeout_seconds=soon")


def test_list_indexes_reach_into_scenes_and_type_by_the_scene_schema():
    source = json.dumps({"video_inputs": [{"background": {"type": "color"}}]})
    got = inputs_of("create_avatar_video", "video_inputs.0.background.value=#112233", source=source)
    assert got["video_inputs"][0]["background"] == {"type": "color", "value": "#112233"}
    made = inputs_of("create_avatar_video", "video_inputs.0.voice.input_text=42", "video_inputs.1.voice.speed=1.5")
    assert made["video_inputs"] == [{"voice": {"input_text": "42"}}, {"voice": {"speed": 1.5}}]
    with pytest.raises(CliError, match="index 3 skips ahead"):
        inputs_of("create_avatar_video", "video_inputs.3.voice.input_text=x")


def test_set_file_builds_the_file_object_for_a_file_input_and_reads_text_for_a_text_input(tmp_path):
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40)
    script = tmp_path / "script.txt"
    script.write_text("Hello from a file.", encoding="utf-8")

    got = inputs_of("upload_asset", files=(f"file={clip}",))
    text = inputs_of("create_photo_avatar_video", files=(f"script={script}",))

    assert got["file"] == {
        "content": base64.b64encode(clip.read_bytes()).decode(),
        "name": "clip.mp4",
        "contentType": "video/mp4",
    }
    assert text["script"] == "Hello from a file."
    with pytest.raises(CliError, match="cannot read"):
        inputs_of("upload_asset", files=(f"file={tmp_path / 'missing.mp4'}",))


def test_the_command_line_runs_an_action_with_typed_settings_and_indexes(monkeypatch):
    monkeypatch.setenv("HEYGEN_API_KEY", "hg-any-key")  # estimate_video is offline: nothing is sent
    code, out, err = cli(
        "run",
        "estimate_video",
        "--set",
        "video_inputs.0.character.type=avatar",
        "--set",
        "video_inputs.0.character.avatar_id=2024",
        "--set",
        "video_inputs.0.voice.type=text",
        "--set",
        "video_inputs.0.voice.voice_id=123",
        "--set",
        "video_inputs.0.voice.input_text=one two three four five",
    )
    assert code == 0, err
    assert json.loads(out)["total_seconds"] == pytest.approx(2.0)
