"""A local HeyGen-compatible API server for tests, benchmarks, the CLI and the demo.

    from simulator import Simulator, SimulatorConfig, Faults
    async with Simulator(SimulatorConfig(time_scale=0.05)) as sim:
        ...  # point HEYGEN_API_URL and HEYGEN_UPLOAD_URL at sim.url

See server.py for the request pipeline and how to add route modules, catalogue.py for the seeded
ids, config.py for plans, durations and faults, testing.py for HTTP helpers used by the tests.
"""

from .catalogue import (
    ABIGAIL_AVATAR_ID,
    ADAM_VOICE_ID,
    ANGELA_AVATAR_ID,
    BRIAN_VOICE_ID,
    MONICA_VOICE_ID,
    TALKING_PHOTO_ANNA,
    TALKING_PHOTO_MARCUS,
    TEMPLATE_IDS,
    TYLER_AVATAR_ID,
    VOICE_IDS_BY_LANGUAGE,
)
from .config import Durations, Faults, Plan, SimulatorConfig
from .server import RecordedRequest, Simulator
from .state import FAILURE_TRIGGER

__all__ = [
    "ABIGAIL_AVATAR_ID",
    "ADAM_VOICE_ID",
    "ANGELA_AVATAR_ID",
    "BRIAN_VOICE_ID",
    "FAILURE_TRIGGER",
    "MONICA_VOICE_ID",
    "TALKING_PHOTO_ANNA",
    "TALKING_PHOTO_MARCUS",
    "TEMPLATE_IDS",
    "TYLER_AVATAR_ID",
    "VOICE_IDS_BY_LANGUAGE",
    "Durations",
    "Faults",
    "Plan",
    "RecordedRequest",
    "Simulator",
    "SimulatorConfig",
]
