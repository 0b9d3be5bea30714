"""The External Service Proxy API's six operations, sent exactly as its JavaScript examples send them."""

import pytest

from simulator import TEMPLATE_IDS

pytestmark = pytest.mark.e2e

SCRIPT = "Hello, this is a test video."


def document_generate_body(avatar_id: str, voice_id: str, script: str = SCRIPT) -> dict:
    """generateVideo()'s JSON.stringify argument, field for field."""
    return {
        "body": {
            "test": True,
            "video_inputs": [
                {
                    "character": {"type": "avatar", "avatar_id": avatar_id, "avatar_style": "normal"},
                    "voice": {"type": "text", "input_text": script, "voice_id": voice_id},
                }
            ],
            "dimension": {"width": 1280, "height": 720},
        }
    }


def document_template_body(template_id: str, script: str = SCRIPT) -> dict:
    return {
        "path_params": {"template_id": template_id},
        "body": {
            "test": True,
            "caption": False,
            "variables": {"script": {"name": "script", "type": "text", "properties": {"content": script}}},
        },
    }


async def poll_status(world, org: str, video_id: str, attempts: int = 200) -> dict:
    """pollVideoStatus(): POST video-status with {query: {video_id}} until completed or failed."""
    for _ in range(attempts):
        answer = await world.call(org, "video-status", {"query": {"video_id": video_id}})
        assert answer.status == 200, answer.body
        if answer.data["status"] in ("completed", "failed"):
            return answer.data
    raise AssertionError(f"{video_id} did not finish")


async def test_list_templates_answers_template_id_and_name(world):
    answer = await world.call("acme", "list-templates", {})

    assert answer.status == 200
    templates = answer.data["templates"]
    assert {"template_id": TEMPLATE_IDS["training"], "name": "Training Template"}.items() <= next(
        t for t in templates if t["template_id"] == TEMPLATE_IDS["training"]
    ).items()
    assert all(isinstance(t["template_id"], str) and isinstance(t["name"], str) for t in templates)


async def test_list_avatars_answers_every_avatar_with_id_and_name(world):
    answer = await world.call("acme", "list-avatars", {})

    assert answer.status == 200
    avatars = answer.data["avatars"]
    assert len(avatars) == 30  # the simulator's whole catalogue, not a first page
    assert all(a["avatar_id"] and a["avatar_name"] for a in avatars)


async def test_list_voices_answers_id_name_and_language(world):
    answer = await world.call("acme", "list-voices", {})

    assert answer.status == 200
    voices = answer.data["voices"]
    assert len(voices) == 60
    assert all(v["voice_id"] and v["name"] and v["language"] for v in voices)


async def test_the_documents_complete_workflow_generates_and_polls_a_video(world):
    avatars = (await world.call("acme", "list-avatars", {})).data["avatars"]
    voices = (await world.call("acme", "list-voices", {})).data["voices"]

    generated = await world.call(
        "acme", "generate-video", document_generate_body(avatars[0]["avatar_id"], voices[0]["voice_id"])
    )

    assert generated.status == 200, generated.body
    assert set(generated.data) == {"video_id"}
    final = await poll_status(world, "acme", generated.data["video_id"])
    assert final["status"] == "completed" and final["video_url"].startswith("http")
    assert "error" not in final
    video = world.sim.state.videos[generated.data["video_id"]]
    assert video.test is True  # the body's test: true reached HeyGen


async def test_generate_template_video_with_only_the_script_variable(world):
    answer = await world.call("acme", "generate-template-video", document_template_body(TEMPLATE_IDS["training"]))

    assert answer.status == 200, answer.body
    final = await poll_status(world, "acme", answer.data["video_id"])
    assert final["status"] == "completed"
    said = [s.scene.text for s in world.sim.state.videos[answer.data["video_id"]].timeline.segments]
    assert said == [SCRIPT]


async def test_video_status_of_a_failed_video_answers_the_error_as_text(world):
    avatars = (await world.call("acme", "list-avatars", {})).data["avatars"]
    voices = (await world.call("acme", "list-voices", {})).data["voices"]
    body = document_generate_body(avatars[0]["avatar_id"], voices[0]["voice_id"], "SIMULATE_FAILURE please")
    video_id = (await world.call("acme", "generate-video", body)).data["video_id"]

    final = await poll_status(world, "acme", video_id)

    assert final["status"] == "failed"
    assert isinstance(final["error"], str) and final["error"]


async def test_video_status_while_processing_answers_the_status_alone(world):
    world.sim.state.config.time_scale = 100.0  # the video stays in progress while we look
    avatars = (await world.call("acme", "list-avatars", {})).data["avatars"]
    voices = (await world.call("acme", "list-voices", {})).data["voices"]
    video_id = (
        await world.call(
            "acme", "generate-video", document_generate_body(avatars[0]["avatar_id"], voices[0]["voice_id"])
        )
    ).data["video_id"]

    answer = await world.call("acme", "video-status", {"query": {"video_id": video_id}})

    assert answer.status == 200
    assert answer.data["status"] in ("pending", "processing")
    assert answer.data["video_url"] is None and "error" not in answer.data


async def test_every_call_reaches_heygen_with_the_organisations_own_credential(world):
    await world.call("acme", "list-templates", {})
    await world.call("globex", "list-voices", {})

    in_order = list(dict.fromkeys(world.heygen_keys_seen()))
    assert in_order == ["hg-acme-credential-0123456789abcdef", "hg-globex-credential-fedcba9876543210"]
