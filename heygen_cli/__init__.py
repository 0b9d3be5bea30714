"""A command line for the HeyGen plugin: list and describe actions, run one through the SDK."""

from heygen_cli.main import main

__all__ = ["main"]
