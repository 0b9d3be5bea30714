"""Scripts in six writing systems: estimate_video's durations hold for scripts without spaces, and the
simulator's videos last what the estimate says (one model: heygen_core.speech_length)."""

import pytest

from heygen_core.speech_length import speaking_seconds
from simulator import ANGELA_AVATAR_ID, MONICA_VOICE_ID
from tests.helpers import ok

# (script, expected seconds at 150 words a minute or the script's character rate)
SCRIPTS = {
    "latin_diacritics": ("Ünïcödé façade naïve café crème brûlée déjà vu", 8 * 0.4),
    "cyrillic": ("Привет, как дела? Это короткое видео о нас.", 8 * 0.4),
    "greek": ("Γεια σας, αυτό είναι ένα σύντομο βίντεο.", 7 * 0.4),
    "arabic": ("مرحبا، هذا فيديو قصير عن شركتنا الجديدة.", 7 * 0.4),
    "cjk": ("我们的新产品今天正式发布了欢迎大家观看这段介绍视频希望您会喜欢它的全部功能和设计谢谢", 42 / 4.5),
    "devanagari": ("नमस्ते, यह हमारी नई कंपनी के बारे में एक छोटा वीडियो है।", 12 * 0.4),
}


def scene(text: str) -> dict:
    return {
        "character": {"type": "avatar", "avatar_id": ANGELA_AVATAR_ID},
        "voice": {"type": "text", "voice_id": MONICA_VOICE_ID, "input_text": text},
    }


@pytest.mark.parametrize("name", list(SCRIPTS))
async def test_estimate_video_holds_for_each_writing_system(name):
    text, expected = SCRIPTS[name]

    estimate = await ok("estimate_video", {"video_inputs": [scene(text)]})

    assert estimate["total_seconds"] == pytest.approx(expected, abs=0.05)


def test_forty_chinese_characters_take_about_nine_seconds_not_a_word():
    assert 8.0 <= speaking_seconds("视" * 40) <= 11.0
    assert speaking_seconds("视频。") == pytest.approx(2 / 4.5)  # the full stop is a pause, not a word


def test_mixed_scripts_sum_run_by_run_and_speed_divides():
    mixed = "HeyGen 的视频 works"
    assert speaking_seconds(mixed) == pytest.approx(2 * 0.4 + 3 / 4.5)
    assert speaking_seconds(mixed, 2.0) == pytest.approx(speaking_seconds(mixed) / 2)
    assert speaking_seconds("こんにちは") == pytest.approx(5 / 7.0)
    assert speaking_seconds("안녕하세요") == pytest.approx(5 / 6.5)
    assert speaking_seconds("สวัสดีครับ") == pytest.approx(10 / 12.0)


@pytest.mark.e2e
@pytest.mark.parametrize("name", ["cjk", "arabic"])
async def test_the_simulators_video_lasts_what_the_estimate_says(sim, name):
    text, _ = SCRIPTS[name]
    estimate = await ok("estimate_video", {"video_inputs": [scene(text)]})

    video = await ok(
        "create_avatar_video", {"video_inputs": [scene(text)], "wait_for_completion": True, "timeout_seconds": 30}
    )

    assert video["duration"] == pytest.approx(estimate["total_seconds"], abs=0.15)


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_the_simulator_draws_each_writing_system_with_real_glyphs(name):
    from PIL import Image, ImageDraw

    from simulator.fonts import UNASSIGNED, draw_line, font_at, font_for, glyph_of

    text, _ = SCRIPTS[name]
    builtin = font_at(None, 24)
    for char in set(text) - {" "}:
        font = font_for(char, 24)
        assert font is not builtin, f"{char!r} ({name}) has no installed font"
        assert glyph_of(font, char) != glyph_of(font, UNASSIGNED), f"{char!r} ({name}) is drawn as a box"
    image = Image.new("L", (900, 40))
    draw_line(ImageDraw.Draw(image), (4, 4), text, 24, 255)
    assert image.getbbox() is not None
