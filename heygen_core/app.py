"""The integration object every handler module registers on; loaded from config.json beside heygen.py."""

from pathlib import Path

from heygen_core.inputs import HeyGenIntegration

CONFIG_PATH = Path(__file__).resolve().parent.parent / "config.json"

integration = HeyGenIntegration.load(CONFIG_PATH)
