"""The simulator's numbers agree with each other and with what was asked: a video's reported duration is
the whole spoken script (the model estimate_video uses) and its credits match it, files keep the asked
aspect ratio (and say when they are smaller or shorter than HeyGen's), test mode and enable_watermark
draw a visible watermark, and both generations' lists carry the titles given."""

from __future__ import annotations

import io

import av
import pytest
from PIL import Image

from heygen_core.speech_length import speaking_seconds
from simulator import Plan, Simulator, SimulatorConfig
from simulator.testing import call, call_v3, studio_body, v3_avatar_body

pytestmark = pytest.mark.e2e

LINE = "Fourteen words are spoken in this scene, so it lasts five point six seconds."  # 150 words a minute
AUDIO = {"type": "url", "url": "https://example.com/voice.mp3"}


@pytest.fixture
async def sim():
    """time_scale 1.0 and v1/v2 served: jobs only move when the test calls sim.advance()."""
    async with Simulator(SimulatorConfig(time_scale=1.0, legacy="served")) as server:
        yield server


async def download(http, sim, url: str):
    reply = await call(http, sim, "GET", url.removeprefix(sim.url), api_key=None)
    assert reply.status == 200, reply.raw[:200]
    return reply


def decoded(raw: bytes):
    """(width, height, seconds, first frame as RGB bytes) of a video file."""
    with av.open(io.BytesIO(raw)) as container:
        stream = container.streams.video[0]
        first = next(container.decode(stream)).to_image().convert("RGB")
        return stream.codec_context.width, stream.codec_context.height, container.duration / 1e6, first


async def v2_video(http, sim, body: dict, advance: float = 400.0) -> dict:
    made = await call(http, sim, "POST", "/v2/video/generate", json=body)
    assert made.status == 200, made.body
    sim.advance(advance)
    status = await call(http, sim, "GET", "/v1/video_status.get", params={"video_id": made.data["video_id"]})
    assert status.data["status"] == "completed", status.body
    return status.data


def scenes(count: int, **top_level) -> dict:
    body = studio_body(LINE, **top_level)
    body["video_inputs"] = body["video_inputs"] * count
    return body


async def quota(http, sim) -> float:
    return (await call(http, sim, "GET", "/v2/user/remaining_quota")).data["remaining_quota"]


# duration and credits ---------------------------------------------------------------------------


def test_the_default_cap_renders_every_video_the_default_plan_allows_in_full():
    assert SimulatorConfig().render_cap_seconds >= Plan().max_video_seconds


async def test_fifty_scenes_report_the_whole_script_and_are_charged_for_it(http):
    async with Simulator(SimulatorConfig(time_scale=1.0, legacy="served", render_cap_seconds=20)) as sim:
        before = await quota(http, sim)
        status = await v2_video(http, sim, scenes(50, title="Long"))
        after = await quota(http, sim)
        file = await download(http, sim, status["video_url"])

    expected = 50 * speaking_seconds(LINE)
    assert status["duration"] == pytest.approx(expected) and expected > 200
    assert before - after == pytest.approx(expected)  # remaining_quota is credits x 60: one credit a minute
    width, height, seconds, _ = decoded(file.raw)
    assert seconds == pytest.approx(20, abs=0.3)  # the file is cut at render_cap_seconds, and says so
    assert file.headers["X-Simulator-Rendered-Seconds"] == "20"


async def test_a_video_within_the_cap_is_rendered_as_long_as_reported(http, sim):
    status = await v2_video(http, sim, scenes(3, caption=True))
    file = await download(http, sim, status["video_url"])
    vtt = (await download(http, sim, status["caption_url"])).raw.decode()

    assert status["duration"] == pytest.approx(3 * speaking_seconds(LINE))
    assert decoded(file.raw)[2] == pytest.approx(status["duration"], abs=0.2)
    assert "X-Simulator-Rendered-Seconds" not in file.headers
    assert vtt.rstrip().splitlines()[-2].endswith("00:00:16.800")  # the captions cover the whole script


async def test_v3_reports_the_whole_script_past_the_cap(http):
    async with Simulator(SimulatorConfig(time_scale=1.0, render_cap_seconds=5)) as sim:
        made = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body(" ".join([LINE] * 4)))
        sim.advance(400)
        video = await call_v3(http, sim, "VideoGet", path={"video_id": made.data["video_id"]})
        file = await download(http, sim, video.data["video_url"])
    assert video.data["duration"] == pytest.approx(speaking_seconds(" ".join([LINE] * 4)))
    assert decoded(file.raw)[2] == pytest.approx(5, abs=0.2)


# size and aspect ratio ---------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(720, 1280), (1280, 720), (720, 720), (1080, 1920)])
async def test_v2_files_have_the_asked_aspect_ratio_and_name_the_asked_size(http, sim, width, height):
    status = await v2_video(http, sim, studio_body("Hi there", dimension={"width": width, "height": height}))
    file = await download(http, sim, status["video_url"])
    thumbnail = await download(http, sim, status["thumbnail_url"])

    got_w, got_h, _, _ = decoded(file.raw)
    assert got_w / got_h == pytest.approx(width / height, rel=0.02)
    assert file.headers["X-Simulator-Asked-Size"] == f"{width}x{height}"
    assert file.headers["X-Simulator-Rendered-Size"] == f"{got_w}x{got_h}"
    assert Image.open(io.BytesIO(thumbnail.raw)).size == (got_w, got_h)


@pytest.mark.parametrize(("ratio", "portrait"), [("9:16", True), ("16:9", False), ("4:5", True)])
async def test_v3_files_have_the_asked_aspect_ratio(http, sim, ratio, portrait):
    made = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body("Hi there", aspect_ratio=ratio))
    sim.advance(60)
    video = await call_v3(http, sim, "VideoGet", path={"video_id": made.data["video_id"]})
    width, height, _, _ = decoded((await download(http, sim, video.data["video_url"])).raw)
    across, down = map(int, ratio.split(":"))
    assert (height > width) is portrait
    assert width / height == pytest.approx(across / down, rel=0.02)


async def test_render_long_side_none_renders_the_asked_size(http):
    async with Simulator(SimulatorConfig(time_scale=1.0, legacy="served", render_long_side=None)) as sim:
        status = await v2_video(http, sim, studio_body("Hi", dimension={"width": 720, "height": 1280}))
        file = await download(http, sim, status["video_url"])
    assert decoded(file.raw)[:2] == (720, 1280)
    assert "X-Simulator-Rendered-Size" not in file.headers


# test mode's watermark ---------------------------------------------------------------------------


def band_difference(a, b) -> float:
    """Mean absolute RGB difference over the middle fifth of two same-sized frames."""
    w, h = a.size
    box = (0, 2 * h // 5, w, 3 * h // 5)
    pa, pb = a.crop(box).tobytes(), b.crop(box).tobytes()
    return sum(abs(x - y) for x, y in zip(pa, pb, strict=True)) / len(pa)


def edge_difference(a, b) -> float:
    w, h = a.size
    box = (0, 0, w, h // 6)
    pa, pb = a.crop(box).tobytes(), b.crop(box).tobytes()
    return sum(abs(x - y) for x, y in zip(pa, pb, strict=True)) / len(pa)


async def test_test_mode_videos_are_watermarked_and_others_are_not(http, sim):
    normal = await v2_video(http, sim, studio_body("Same words", title="Same"))
    tested = await v2_video(http, sim, studio_body("Same words", title="Same", test=True))
    plain_frame = decoded((await download(http, sim, normal["video_url"])).raw)[3]
    marked_frame = decoded((await download(http, sim, tested["video_url"])).raw)[3]

    plain_thumb = Image.open(io.BytesIO((await download(http, sim, normal["thumbnail_url"])).raw)).convert("RGB")
    marked_thumb = Image.open(io.BytesIO((await download(http, sim, tested["thumbnail_url"])).raw)).convert("RGB")

    assert band_difference(plain_frame, marked_frame) > 20  # a dark band with white "HeyGen TEST" text
    assert edge_difference(plain_frame, marked_frame) < 3  # the rest of the frame is the same
    assert band_difference(plain_thumb, marked_thumb) > 20


async def test_a_watermarked_frame_has_white_text_on_a_dark_band(http, sim):
    tested = await v2_video(http, sim, studio_body("Words", test=True))
    frame = decoded((await download(http, sim, tested["video_url"])).raw)[3]
    w, h = frame.size
    band = frame.crop((0, h // 2 - 4, w, h // 2 + 4)).convert("L").tobytes()
    assert min(band) < 50 and max(band) > 200


async def test_template_test_mode_is_watermarked_too(http, sim):
    templates = (await call(http, sim, "GET", "/v2/templates")).data["templates"]
    template_id = templates[0]["template_id"]
    body = {"test": True, "title": "T", "variables": {}}
    made = await call(http, sim, "POST", f"/v2/template/{template_id}/generate", json=body)
    assert made.status == 200, made.body
    assert sim.state.videos[made.data["video_id"]].watermarked


async def test_v3_lipsync_enable_watermark_marks_its_file(http, sim):
    source = await call_v3(http, sim, "VideoCreate", json=v3_avatar_body("One two three four five"))
    sim.advance(60)
    own = {"type": "url", "url": f"{sim.url}/media/videos/{source.data['video_id']}.mp4"}
    frames = []
    for flag in (False, True):
        body = {"video": own, "audio": AUDIO, "title": "Dub", "enable_watermark": flag}
        made = await call_v3(http, sim, "LipsyncCreate", json=body)
        sim.advance(60)
        done = await call_v3(http, sim, "LipsyncGet", path={"lipsync_id": made.data["lipsync_id"]})
        frames.append(decoded((await download(http, sim, done.data["video_url"])).raw)[3])
    assert band_difference(*frames) > 20


# titles ------------------------------------------------------------------------------------------


async def test_both_lists_carry_the_titles_given(http, sim):
    await call(http, sim, "POST", "/v2/video/generate", json=studio_body("Hi", title="Legacy title"))
    await call_v3(http, sim, "VideoCreate", json=v3_avatar_body("Hi", title="Current title"))
    await call_v3(http, sim, "VideoCreate", json=v3_avatar_body("Hi"))

    v1 = (await call(http, sim, "GET", "/v1/video.list")).data["videos"]
    v3 = (await call_v3(http, sim, "VideoList")).data
    assert [x["video_title"] for x in v1] == [None, "Current title", "Legacy title"]
    assert [x["title"] for x in v3] == [None, "Current title", "Legacy title"]
