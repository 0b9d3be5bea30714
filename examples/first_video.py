"""A first video, made against the local simulator. Run it from any directory with the repository's .venv/bin/python."""

import asyncio
import os
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # the repository, wherever this runs from


async def main():
    from autohive_integrations_sdk import ExecutionContext
    from heygen import integration
    from simulator import Simulator, SimulatorConfig

    async with Simulator(SimulatorConfig(time_scale=0.05)) as sim:  # a local stand-in for api.heygen.com
        os.environ.update(HEYGEN_API_URL=sim.url, HEYGEN_UPLOAD_URL=sim.url)
        scene = {
            "character": {"type": "avatar", "avatar_id": "Angela-inblackskirt-20220820"},
            "voice": {"type": "text", "voice_id": "1bd001e7ffe04520adf63141a163d1f8", "input_text": "Hello!"},
        }
        inputs = {"video_inputs": [scene], "wait_for_completion": True}
        auth = {"auth_type": "ApiKey", "credentials": {"api_key": "local"}}
        async with ExecutionContext(auth=auth) as context:
            result = await integration.execute_action("create_avatar_video", inputs, context)
    video = result.result.data  # flat fields: video_id, status, raw_status, video_url, duration, ...
    print(f"video {video['video_id']}: {video['status']}, {video['duration']} s")


asyncio.run(main())
