"""Templates, assets, the video library and translation against the simulator over real HTTP on loopback.

Each test runs actions exactly as the platform does (Integration.execute_action with a real ExecutionContext,
API-key auth) while HEYGEN_API_URL / HEYGEN_UPLOAD_URL point at a Simulator on 127.0.0.1, and checks what came
back and what the simulated HeyGen received.
"""

import base64
import io

import aiohttp
import pytest
from PIL import Image

from demo.media_check import inspect_mp4
from simulator import ANGELA_AVATAR_ID, BRIAN_VOICE_ID, MONICA_VOICE_ID, TALKING_PHOTO_ANNA, TEMPLATE_IDS, Plan
from simulator.testing import call
from tests.conftest import API_KEY, API_KEY_AUTH, run_action, simulator
from tests.helpers import failure, ok, solid_png, validation_error_of

pytestmark = pytest.mark.e2e

WAIT = {"wait_for_completion": True, "timeout_seconds": 30}
PRODUCT_LAUNCH = TEMPLATE_IDS["product_launch"]
ONBOARDING = TEMPLATE_IDS["onboarding"]


@pytest.fixture
def sim_settings() -> dict:
    """Enterprise plan: every feature here (translation included) is available unless a test picks another plan."""
    return {"plan": Plan.named("enterprise")}


async def refused(name: str, inputs: dict) -> str:
    return validation_error_of(await run_action(name, inputs, auth=API_KEY_AUTH))


async def fetch(url: str) -> tuple[bytes, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        assert response.status == 200, url
        return await response.read(), response.content_type


def launch_variables(product: str = "Nimbus Two") -> dict:
    return {
        "product_name": {"type": "text", "properties": {"content": product}},
        "tagline": {"type": "text", "properties": {"content": "Plans itself."}},
        "product_image": {"type": "image", "properties": {"url": "https://cdn.example.com/p.png", "fit": "cover"}},
        "presenter": {"type": "character", "properties": {"character_id": ANGELA_AVATAR_ID, "type": "avatar"}},
        "narrator": {"type": "voice", "properties": {"voice_id": BRIAN_VOICE_ID}},
    }


async def template_video(title: str, **extra) -> dict:
    inputs = {"template_id": PRODUCT_LAUNCH, "variables": launch_variables(), "title": title, "test": True}
    return await ok("generate_template_video", {**inputs, **extra})


# Templates ----------------------------------------------------------------------------------


async def test_list_then_get_then_generate_a_template_video_until_completed(sim, tmp_path):
    listed = await ok("list_templates", {})
    assert listed["total"] == len(TEMPLATE_IDS) == len(listed["templates"])
    launch = next(t for t in listed["templates"] if t["template_id"] == PRODUCT_LAUNCH)
    assert launch["name"] == "Product Launch" and launch["thumbnail_image_url"].startswith(sim.url)

    details = await ok("get_template", {"template_id": PRODUCT_LAUNCH})
    types = {v["name"]: v["type"] for v in details["variables"]}
    assert types == {
        "product_name": "text",
        "tagline": "text",
        "product_image": "image",
        "presenter": "character",
        "narrator": "voice",
    }
    image = next(v for v in details["variables"] if v["name"] == "product_image")
    assert "asset_id" not in image["properties"] and image["properties"]["fit"] == "contain"

    created = await template_video("Launch", callback_id="launch-1")  # test mode exists only on the legacy route
    assert created["status"] == "pending" and created["callback_id"] == "launch-1" and len(created["video_id"]) == 32
    generate_path = f"/v2/template/{PRODUCT_LAUNCH}/generate"
    sent = next(r for r in sim.requests if r.path == generate_path)
    assert sent.json["variables"]["product_name"] == {
        "name": "product_name",
        "type": "text",
        "properties": {"content": "Nimbus Two"},
    }
    assert sim.count_v3("TemplateGet", template_id=PRODUCT_LAUNCH) == 2  # get_template, then the check

    status = await ok("get_video_status", {"video_id": created["video_id"], **WAIT})
    assert status["status"] == "completed" and status["raw_status"] == "completed" and status["error"] is None
    assert status["duration"] == pytest.approx(2.0, abs=0.1)  # "Introducing Nimbus Two. Plans itself.": 5 words
    content, kind = await fetch(status["video_url"])
    assert kind == "video/mp4"
    (tmp_path / "launch.mp4").write_bytes(content)
    facts = inspect_mp4(tmp_path / "launch.mp4")
    assert facts.frames > 10 and facts.width * 9 == facts.height * 16  # the 16:9 template


async def test_generate_template_video_waits_and_uses_the_templates_aspect_ratio(sim):
    variables = {"customer_name": {"type": "text", "properties": {"content": "Sam"}}}
    inputs = {"template_id": ONBOARDING, "variables": variables, "validate_against_template": False, **WAIT}

    video = await ok("generate_template_video", inputs)

    assert video["status"] == "completed" and video["timed_out"] is False and video["video_url"]
    assert sim.count_v3("TemplateGet", template_id=ONBOARDING) == 0
    assert sim.count_v3("TemplateGenerate", template_id=ONBOARDING) == 1
    width, height = sim.state.videos[video["video_id"]].size
    assert width * 16 == height * 9  # the 9:16 template


async def test_generate_template_video_mismatch_is_refused_with_only_the_template_read(sim):
    variables = launch_variables()
    variables["narrator"] = {"type": "text", "properties": {"content": "not a voice"}}
    variables["slogan"] = {"type": "text", "properties": {"content": "x"}}
    del variables["tagline"]

    message = await refused("generate_template_video", {"template_id": PRODUCT_LAUNCH, "variables": variables})

    assert "variables.narrator.type: is text, but the template's narrator is voice" in message
    assert "variables.slogan: is not a variable of template" in message
    assert "variables.tagline" not in message  # left out: it keeps the template's value
    assert sim.count_v3("TemplateGet", template_id=PRODUCT_LAUNCH) == 1
    assert sim.count_v3("TemplateGenerate", template_id=PRODUCT_LAUNCH) == 0
    assert sim.count("POST", f"/v2/template/{PRODUCT_LAUNCH}/generate") == 0


async def test_generate_template_video_without_the_check_meets_heygens_own_validation(sim):
    variables = {"narrator": {"type": "voice", "properties": {"voice_id": "no-such-voice"}}}
    inputs = {"template_id": PRODUCT_LAUNCH, "variables": variables, "validate_against_template": False}

    message = await failure("generate_template_video", inputs)

    assert "HeyGen 400 (validation_error) variables.narrator: Voice not found: no-such-voice" in message


async def test_templates_unknown_id_is_heygens_404(sim):
    assert "HeyGen 404 (template_not_found) Template x not found" in await failure("get_template", {"template_id": "x"})
    message = await failure("generate_template_video", {"template_id": "x", "variables": launch_variables()})
    assert "HeyGen 404" in message and sim.count_v3("TemplateGenerate", template_id="x") == 0


# Assets -------------------------------------------------------------------------------------


async def upload_portrait(sim) -> tuple[bytes, dict]:
    image = solid_png()
    file = {"content": base64.b64encode(image).decode(), "name": "portrait.png", "contentType": "image/png"}
    asset = await ok("upload_asset", {"file": file})
    assert asset["file_type"] == "image" and asset["content_type"] == "image/png" and asset["size_bytes"] == len(image)
    assert await fetch(asset["url"]) == (image, "image/png")  # what HeyGen stored is the file, byte for byte
    return image, asset


async def test_upload_an_image_file_and_use_its_asset_id(sim):
    image, asset = await upload_portrait(sim)

    assert asset["image_key"] is None  # v3 has no image keys: its asset id serves instead
    (upload,) = sim.requests_to("AssetCreate")
    assert upload.header("Content-Type").startswith("multipart/form-data") and upload.body_size > len(image)
    assert upload.header("X-Api-Key") == API_KEY
    inputs = {"image_asset_id": asset["asset_id"], "video_title": "From my upload", "script": "Hello from a photo."}
    video = await ok("create_photo_avatar_video", {**inputs, "voice_id": MONICA_VOICE_ID, **WAIT})
    assert video["status"] == "completed"
    group = await ok("create_avatar_group", {"name": "Uploaded", "image_asset_id": asset["asset_id"]})
    assert group["group_id"]


@pytest.mark.legacy_api
async def test_upload_an_image_file_and_use_its_image_key(sim):
    image, asset = await upload_portrait(sim)

    assert asset["image_key"] == f"image/{asset['asset_id']}/original"
    (upload,) = [r for r in sim.requests if r.path == "/v1/asset"]
    assert upload.header("Content-Type") == "image/png" and upload.body_size == len(image)
    assert upload.header("X-Api-Key") == API_KEY
    inputs = {"image_key": asset["image_key"], "video_title": "From my upload", "script": "Hello from a photo."}
    video = await ok("create_photo_avatar_video", {**inputs, "voice_id": MONICA_VOICE_ID, **WAIT})
    assert video["status"] == "completed"
    group = await ok("create_avatar_group", {"name": "Uploaded", "image_key": asset["image_key"]})
    assert group["group_id"]


async def test_upload_audio_and_video_from_urls_and_use_them_in_a_template(sim):
    music = await ok("upload_asset", {"url": f"{sim.url}/media/voices/{MONICA_VOICE_ID}.mp3"})
    clip = await ok("upload_asset", {"url": f"{sim.url}/media/avatars/{ANGELA_AVATAR_ID}.mp4"})
    assert (music["file_type"], music["content_type"], music["image_key"]) == ("audio", "audio/mpeg", None)
    assert (clip["file_type"], clip["content_type"], clip["image_key"]) == ("video", "video/mp4", None)
    assert sim.state.assets[clip["asset_id"]].data == (await fetch(clip["url"]))[0]

    variables = {
        "customer_name": {"type": "text", "properties": {"content": "Robin"}},
        "intro_clip": {"type": "video", "properties": {"asset_id": clip["asset_id"], "play_style": "once"}},
        "music": {"type": "audio", "properties": {"asset_id": music["asset_id"]}},
        "presenter": {"type": "character", "properties": {"character_id": TALKING_PHOTO_ANNA, "type": "talking_photo"}},
    }
    video = await ok("generate_template_video", {"template_id": ONBOARDING, "variables": variables, **WAIT})
    assert video["status"] == "completed"


async def test_upload_asset_refuses_an_unsupported_file_before_uploading(sim):
    gif = io.BytesIO()
    Image.new("RGB", (8, 8)).save(gif, format="GIF")
    file = {"content": base64.b64encode(gif.getvalue()).decode(), "name": "anim.gif"}

    message = await refused("upload_asset", {"file": file})

    assert "file.name: is image/gif" in message and sim.count("POST", "/v1/asset") == 0


async def test_upload_asset_from_a_missing_url_is_a_clear_error(sim):
    message = await failure("upload_asset", {"url": f"{sim.url}/media/templates/none.png"})

    assert message.startswith("upload_asset failed: could not download url (HTTP 404).")
    assert sim.count("POST", "/v1/asset") == 0


# Video library ------------------------------------------------------------------------------


async def test_list_videos_pages_with_tokens_and_filters_by_title(sim):
    ids = [(await template_video(f"Library {n}"))["video_id"] for n in range(3)]
    other = (await template_video("Something else"))["video_id"]

    first = await ok("list_videos", {"limit": 2, "title": "library"})
    second = await ok("list_videos", {"limit": 2, "title": "library", "token": first["next_token"]})

    assert first["next_token"] and second["next_token"] is None
    listed = [v["video_id"] for v in first["videos"] + second["videos"]]
    assert sorted(listed) == sorted(ids) and other not in listed
    assert all(v["status"] in ("pending", "processing", "completed") for v in first["videos"])
    # v3's Video object has no `type` (the legacy list said GENERATED): null there, by the output's contract
    assert all(v["raw_status"] and v["type"] is None and v["created_at"] for v in first["videos"])
    everything = await ok("list_videos", {})
    assert len(everything["videos"]) == 4 and everything["next_token"] is None


async def test_delete_video_removes_it_and_a_second_delete_is_heygens_video_not_found(sim):
    video_id = (await template_video("Doomed"))["video_id"]

    assert await ok("delete_video", {"video_id": video_id}) == {"video_id": video_id, "deleted": True}

    assert video_id not in [v["video_id"] for v in (await ok("list_videos", {}))["videos"]]
    message = await failure("delete_video", {"video_id": video_id})
    assert "HeyGen 404 (video_not_found)" in message and "list_videos shows what exists" in message


async def test_create_webm_video_gives_a_webm_file(sim, tmp_path):
    inputs = {
        "avatar_pose_id": ANGELA_AVATAR_ID,
        "avatar_style": "closeUp",
        "input_text": "Overlay.",
        "voice_id": MONICA_VOICE_ID,
        "dimension": {"width": 640, "height": 360},
    }

    video = await ok("create_webm_video", {**inputs, **WAIT})

    assert video["status"] == "completed" and video["video_url"].split("?")[0].endswith(".webm")
    content, kind = await fetch(video["video_url"])
    assert kind == "video/webm" and content.startswith(b"\x1a\x45\xdf\xa3")
    (tmp_path / "overlay.webm").write_bytes(content)
    assert inspect_mp4(tmp_path / "overlay.webm").frames > 5
    (sent,) = [r for r in sim.requests if r.path == "/v1/video.webm"]
    assert sent.json == inputs


async def test_create_webm_video_with_audio_and_with_a_talking_photo(sim):
    audio = {"avatar_pose_id": ANGELA_AVATAR_ID, "input_audio": "https://cdn.example.com/line.mp3"}
    assert (await ok("create_webm_video", audio))["status"] == "pending"

    message = await failure("create_webm_video", {**audio, "avatar_pose_id": TALKING_PHOTO_ANNA})
    assert "HeyGen 400 (400144) Avatar not found" in message


# Translation --------------------------------------------------------------------------------


async def test_translate_a_video_to_completion(sim, tmp_path):
    languages = await ok("list_translation_languages", {})
    assert "Spanish" in languages["languages"] and languages["total"] == len(languages["languages"])
    source = await template_video("Source", **WAIT)

    job = await ok("translate_video", {"video_url": source["video_url"], "output_language": "Spanish", "title": "ES"})
    assert job["status"] == "pending" and job["output_language"] == "Spanish" and job["title"] == "ES"

    done = await ok("get_translation_status", {"video_translate_id": job["video_translate_id"], **WAIT})
    assert done["status"] == "completed" and done["raw_status"] == "completed" and done["error"] is None
    assert done["output_language"] == "Spanish" and done["title"] == "ES"
    content, kind = await fetch(done["url"])
    assert kind == "video/mp4"
    (tmp_path / "es.mp4").write_bytes(content)
    assert inspect_mp4(tmp_path / "es.mp4").seconds == pytest.approx(source["duration"], abs=0.25)


async def test_translate_video_waits_and_passes_every_option(sim):
    inputs = {
        "video_url": "https://cdn.example.com/talk.mp4",
        "output_languages": ["French", "German"],
        "translate_audio_only": True,
        "speaker_num": 2,
        "callback_id": "tr-1",
        "folder_id": "fld_9",
    }

    done = await ok("translate_video", {**inputs, **WAIT})

    assert done["status"] == "completed" and done["audio_url"] and done["timed_out"] is False  # audio only
    assert len(done["video_translate_ids"]) == 2  # v3: one translation per language
    (sent,) = sim.requests_to("VideoTranslateCreate")
    options = {key: value for key, value in inputs.items() if key != "video_url"}
    assert sent.json == {"video": {"type": "url", "url": inputs["video_url"]}, **options}


async def test_translation_of_an_unreachable_video_fails_with_heygens_message(sim):
    inputs = {"video_url": "https://videos.example.invalid/talk.mp4", "output_language": "German"}

    message = await failure("translate_video", {**inputs, **WAIT})
    assert "ended as failed: Failed to download the video from https://videos.example.invalid/talk.mp4" in message

    job = await ok("translate_video", inputs)
    sim.advance(60)
    status = await ok("get_translation_status", {"video_translate_id": job["video_translate_id"]})
    assert status["status"] == "failed" and status["raw_status"] == "failed"
    assert status["error"]["message"].startswith("Failed to download the video")


async def test_translation_bad_inputs_and_unknown_jobs(sim):
    message = await refused("translate_video", {"video_url": "https://cdn.example.com/a.mp4"})
    assert "needs one of output_language or output_languages" in message
    assert sim.count("POST", "/v2/video_translate") == 0
    unsupported = {"video_url": "https://cdn.example.com/a.mp4", "output_language": "Klingon"}
    assert "HeyGen 400 (validation_error) output_languages[0]: unsupported language 'Klingon'" in await failure(
        "translate_video", unsupported
    )
    message = await failure("get_translation_status", {"video_translate_id": "nope"})
    assert "HeyGen 404 (not_found)" in message


async def test_translation_outside_scale_and_enterprise_is_a_plan_error(monkeypatch):
    async with simulator(monkeypatch, "legacy", plan=Plan.named("pro")):  # v3 sells translation to every plan
        message = await failure(
            "translate_video", {"video_url": "https://cdn.example.com/a.mp4", "output_language": "Spanish"}
        )

    assert "HeyGen 403 (400599)" in message and "Your HeyGen plan does not include this feature" in message


# The simulated HeyGen itself (raw HTTP): what its template and translation routes refuse ----------


@pytest.mark.parametrize(
    ("variables", "status", "words"),
    [
        ({"narrator": {"type": "text", "properties": {"content": "x"}}}, 400, "variables.narrator.type: Input should"),
        ({"slogan": {"type": "text", "properties": {"content": "x"}}}, 400, "variables.slogan: not a variable"),
        (
            {"product_image": {"type": "image", "properties": {"url": "https://a.example/x.png", "asset_id": "a"}}},
            400,
            "either url or asset_id needs to be provided",
        ),
        (
            {"product_image": {"type": "image", "properties": {"asset_id": "missing"}}},
            400,
            "image asset missing not found",
        ),
        (
            {"presenter": {"type": "character", "properties": {"character_id": "nobody", "type": "avatar"}}},
            400,
            "Avatar not found: nobody",
        ),
        ({"product_name": {"type": "text", "properties": {}}}, 400, "properties.content: Field required"),
    ],
    ids=["type", "unknown_name", "two_sources", "unknown_asset", "unknown_avatar", "no_content"],
)
async def test_simulated_template_generate_refuses_like_heygen(sim, variables, status, words):
    async with aiohttp.ClientSession() as http:
        reply = await call(
            http, sim, "POST", f"/v2/template/{PRODUCT_LAUNCH}/generate", json={"variables": variables}, api_key=API_KEY
        )

    assert reply.status == status and words in reply.error["message"]
    assert not sim.state.videos


async def test_simulated_translation_refuses_a_request_without_languages(sim):
    async with aiohttp.ClientSession() as http:
        body = {"video_url": "https://cdn.example.com/a.mp4"}
        reply = await call(http, sim, "POST", "/v2/video_translate", json=body, api_key=API_KEY)

    assert reply.status == 400
    assert reply.error["message"] == "either output_language or output_languages needs to be provided"


async def test_a_call_with_only_the_script_variable_keeps_the_templates_other_defaults(sim):
    """The Training Template's call sends a single `script` text variable; presenter and narrator keep theirs."""
    script = "Hello, this is a test video."
    variables = {"script": {"name": "script", "type": "text", "properties": {"content": script}}}
    inputs = {"template_id": TEMPLATE_IDS["training"], "variables": variables, "test": True, "caption": False}

    video = await ok("generate_template_video", {**inputs, **WAIT})

    assert video["status"] == "completed" and video["video_url"]
    said = [segment.scene.text for segment in sim.state.videos[video["video_id"]].timeline.segments]
    assert said == [script]
