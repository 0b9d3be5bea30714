"""The video library: listing and deleting videos, and transparent-background WebM videos."""
