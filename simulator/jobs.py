"""Background jobs as pure functions of time: the only place job progress is computed.

HeyGen's jobs (videos, photo generations, trainings, motion, upscale) move through a fixed
sequence of statuses. The simulator runs no background tasks: a ``Job`` remembers when it started
and how long each phase lasts, and every read asks it where it is *now*. Status calls are therefore
cheap, deterministic and immune to event-loop scheduling, and ``Simulator.advance()`` can skip time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    """``phases`` are (status, seconds) already multiplied by the time scale; after the last one
    the job stays in ``final`` for good."""

    started_at: float
    phases: tuple[tuple[str, float], ...]
    final: str

    @classmethod
    def start(cls, now: float, scale: float, phases: list[tuple[str, float]], final: str) -> Job:
        return cls(now, tuple((status, max(0.0, seconds * scale)) for status, seconds in phases), final)

    @property
    def finished_at(self) -> float:
        return self.started_at + sum(seconds for _, seconds in self.phases)

    def done(self, now: float) -> bool:
        return now >= self.finished_at

    def status(self, now: float) -> str:
        return self._position(now)[0]

    def changed_at(self, now: float) -> float:
        """When the job entered its current status (HeyGen's ``updated_at``)."""
        return self._position(now)[1]

    def _position(self, now: float) -> tuple[str, float]:
        boundary = self.started_at
        for status, seconds in self.phases:
            if now < boundary + seconds:
                return status, boundary
            boundary += seconds
        return self.final, boundary
