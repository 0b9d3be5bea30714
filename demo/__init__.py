"""`make demo`: the two HeyGen video workflows (a quick video; a custom photo avatar), end to end through
the plugin, offline by default."""

from demo.main import main

__all__ = ["main"]
