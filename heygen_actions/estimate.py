"""Estimates made offline, before spending: duration and credits of a video from its inputs."""
