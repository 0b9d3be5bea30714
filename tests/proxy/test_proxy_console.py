"""The web console in a real headless Chromium (Debian's, through chromedriver): a minted token in the
link's fragment, pick an avatar and a voice, type a script, generate, watch the status, play the video.
"""

import asyncio
import json
import os
import shutil
import tempfile

import pytest

from tests.proxy.test_proxy_tokens_limits import mint

pytestmark = pytest.mark.e2e

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--autoplay-policy=no-user-gesture-required",
]


def browser_or_skip():
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.skip("Debian's chromium and chromium-driver are not installed (scripts/system-packages.txt lists them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="proxy-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except Exception as error:  # a browser that cannot start is a skip with its reason, not a failure
        shutil.rmtree(profile, ignore_errors=True)
        pytest.skip(f"Chromium could not start: {error}")
    return driver, profile


def run_console(driver, url: str, script: str) -> dict:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(driver, 30)
    driver.get(url)
    wait.until(lambda d: d.find_element(By.ID, "status").text == "ready" or d.find_element(By.ID, "error").text)
    seen = {"address_after_load": driver.current_url, "error_after_connect": driver.find_element(By.ID, "error").text}
    avatars = Select(driver.find_element(By.ID, "avatar"))
    voices = Select(driver.find_element(By.ID, "voice"))
    seen["avatar_count"], seen["voice_count"] = len(avatars.options), len(voices.options)
    avatars.select_by_index(1)
    voices.select_by_index(2)
    seen["avatar"], seen["voice"] = (
        avatars.first_selected_option.get_attribute("value"),
        voices.first_selected_option.get_attribute("value"),
    )
    box = driver.find_element(By.ID, "script")
    box.clear()
    box.send_keys(script)
    driver.find_element(By.ID, "generate").click()
    statuses = set()

    def finished(d):
        status = d.find_element(By.ID, "status").text
        statuses.add(status)
        return status in ("completed", "failed")

    WebDriverWait(driver, 60, poll_frequency=0.02).until(finished)
    seen["statuses"] = statuses
    seen["error"] = driver.find_element(By.ID, "error").text
    seen["video_id"] = driver.find_element(By.ID, "video-id").text
    video = wait.until(ready.visibility_of_element_located((By.ID, "video")))
    seen["video_src"] = video.get_attribute("src")
    wait.until(
        lambda d: d.execute_script("const v = document.getElementById('video'); return v.readyState >= 1 || v.error")
    )
    seen["video_duration"] = driver.execute_script("return document.getElementById('video').duration")
    seen["video_error"] = driver.execute_script("const e = document.getElementById('video').error; return e && e.code")
    return seen


async def test_the_console_generates_and_plays_a_video_with_a_minted_token(world):
    driver, profile = browser_or_skip()
    world.sim.state.config.time_scale = 0.5  # about a second of rendering: long enough to watch its status
    try:
        minted = await mint(world, scopes=["read", "generate"], ttl_seconds=300)
        token = minted.body["token"]
        url = f"{world.url}/console/#org=acme&token={token}&poll=100"
        seen = await asyncio.to_thread(run_console, driver, url, "Hello from the browser test.")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)

    assert seen["error_after_connect"] == "" and seen["error"] == ""
    assert token not in seen["address_after_load"]  # the fragment was cleared from the address bar
    assert seen["avatar_count"] == 30 and seen["voice_count"] == 60
    assert seen["statuses"] & {"pending", "processing"} and "completed" in seen["statuses"]
    video = world.sim.state.videos[seen["video_id"]]
    assert video.test is True
    said = [s.scene.text for s in video.timeline.segments]
    assert said == ["Hello from the browser test."]
    # the picked avatar and voice reached HeyGen in the one request that created the video
    (created,) = [r for r in world.sim.requests if r.method == "POST" and seen["avatar"] in json.dumps(r.json)]
    assert seen["voice"] in json.dumps(created.json)
    assert seen["video_src"].startswith(world.sim.url) and seen["video_error"] is None
    assert seen["video_duration"] > 0
