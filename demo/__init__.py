"""`make demo`: seed 000's two HeyGen workflows, end to end through the plugin, offline by default."""

from demo.main import main

__all__ = ["main"]
