"""The local HeyGen simulator's key, and how the plugin is pointed at a simulator through its host variables.

`local_simulator` runs one in-process (the demo and tests use it); the CLI's `--sim` uses the background
simulator of heygen_cli/background_sim.py instead, so consecutive commands share one account.
"""

import contextlib
import os

from heygen_core.downloads import ALLOW_LOOPBACK_VARIABLE

SIM_API_KEY = "sim-local-key"
HOST_VARIABLES = ("HEYGEN_API_URL", "HEYGEN_UPLOAD_URL")


@contextlib.contextmanager
def pointed_at(url: str):
    """Points the plugin's API and upload hosts at url while the block runs, then restores them."""
    saved = {name: os.environ.get(name) for name in (*HOST_VARIABLES, ALLOW_LOOPBACK_VARIABLE)}
    os.environ.update(dict.fromkeys(HOST_VARIABLES, url))
    os.environ[ALLOW_LOOPBACK_VARIABLE] = "1"  # the simulator's media links are on loopback
    try:
        yield url
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.asynccontextmanager
async def local_simulator(time_scale: float, **settings):
    """`async with local_simulator(0.05) as sim:` a running simulator the plugin already talks to.

    Accepts only SIM_API_KEY, so a real credential from the environment is never what reaches it.
    """
    from simulator import Simulator, SimulatorConfig  # a development tool: imported only when asked for

    config = SimulatorConfig(time_scale=time_scale, api_keys={SIM_API_KEY}, **settings)
    async with Simulator(config) as sim:
        with pointed_at(sim.url):
            yield sim
