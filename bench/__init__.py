"""`make bench`: what reliability and speed cost, measured against the local HeyGen simulator on loopback."""

from bench.main import main

__all__ = ["main"]
