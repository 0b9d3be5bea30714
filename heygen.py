"""HeyGen for Autohive: the entry point named in config.json.

Importing this module registers one handler class per action (in heygen_actions/, by area) on
`integration`, which the platform runs with `integration.execute_action(name, inputs, context)`.
"""

import heygen_actions  # noqa: F401  (registers every action handler)
from heygen_core.app import integration

__all__ = ["integration"]
