"""Polling triggers: videos that completed or failed since the last poll."""
