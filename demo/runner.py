"""Runs one action at a time through the plugin, the way the platform does, and reports each step.

Every call goes through `heygen.integration.execute_action` with a real `ExecutionContext`: the demo
exercises exactly the code a workflow runs, input validation and output checks included.
"""

import asyncio
import base64
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from autohive_integrations_sdk import ExecutionContext, ResultType

import heygen
from demo.media_check import NotAVideo, VideoFacts, inspect_mp4


class StepFailed(Exception):
    """A step that did not give what the next one needs; its message says which step and why."""


@dataclass
class Step:
    number: int
    action: str
    status: str
    seconds: float
    produced: str = ""
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = f"  {self.number:>2}. {self.action:<27} {self.status:<10} {self.seconds:>6.2f} s"
        return [f"{head}   {self.produced}".rstrip()] + [f"{' ' * 7}{note}" for note in self.notes]


@dataclass
class SavedVideo:
    path: Path
    size_bytes: int
    reported_seconds: float | None
    facts: VideoFacts


class Runner:
    """Holds the connection (auth), where files go and what has been printed; one per demo run."""

    def __init__(self, auth: dict, out_dir: Path, *, write: Callable[[str], None], wait_seconds: int, progress=None):
        self.auth = auth
        self.out_dir = out_dir
        self.write = write
        self.wait_seconds = wait_seconds
        self.progress = progress
        self.steps: list[Step] = []
        self.saved: list[SavedVideo] = []
        self.path_name = ""
        self.number = 0

    def say(self, text: str = "") -> None:
        if self.progress is not None:
            self.progress.clear()
        self.write(text)

    def begin(self, title: str) -> None:
        self.path_name, self.number = title.split(":")[0], 0
        self.say()
        self.say(title)

    async def call(self, action: str, inputs: dict) -> dict:
        """The action's data; a StepFailed naming the step for anything else."""
        async with ExecutionContext(auth=self.auth) as context:
            result = await heygen.integration.execute_action(action, inputs, context)
        if result.type == ResultType.ACTION:
            return result.result.data
        details = result.result
        message = details.get("message") if isinstance(details, dict) else getattr(details, "message", None)
        raise StepFailed(" ".join(str(message or result.type.value).split()))

    async def step(
        self,
        action: str,
        inputs: dict,
        *,
        produced: Callable[[dict], tuple[str, Any]] | None = None,
        notes: Callable[[dict], list[str]] | None = None,
    ) -> dict:
        """Runs one action, fails on a timed-out wait, prints its line: status, time and the id it produced."""
        self.number += 1
        where = f"{self.path_name} step {self.number} ({action})"
        started = time.monotonic()
        try:
            data = await self.call(action, inputs)
            if data.get("timed_out"):
                raise StepFailed(
                    f"still {data.get('status')} after waiting {inputs.get('timeout_seconds')} s; "
                    "HeyGen keeps working on it: check again later with the matching status action"
                )
            label, value = produced(data) if produced else ("", None)
            step_notes = notes(data) if notes else []
        except StepFailed as failure:
            raise StepFailed(f"{where} failed: {failure}") from None
        except (KeyError, IndexError, TypeError) as error:
            raise StepFailed(f"{where} returned no usable {error}: nothing for the next step to use") from None
        step = Step(
            number=self.number,
            action=action,
            status=str(data.get("status") or "ok"),
            seconds=time.monotonic() - started,
            produced=f"{label} {value}" if label else "",
            notes=step_notes,
        )
        self.steps.append(step)
        for line in step.lines():
            self.say(line)
        return data

    def wait(self) -> dict:
        """The inputs that make an action wait for its job, bounded by this run's patience."""
        return {"wait_for_completion": True, "timeout_seconds": self.wait_seconds}

    async def save_video(self, download: dict, prefix: str) -> SavedVideo:
        """Writes download_video's file as <out>/<prefix>_<video_id>.mp4 and proves it decodes."""
        file = download["file"]
        path = self.out_dir / f"{prefix}_{download['video_id']}.mp4"
        content = base64.b64decode(file["content"])
        self.out_dir.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        try:
            facts = await asyncio.to_thread(inspect_mp4, path)
        except NotAVideo as error:
            raise StepFailed(f"{self.path_name}: the downloaded video is not playable: {error}") from None
        saved = SavedVideo(path, len(content), download.get("duration"), facts)
        self.saved.append(saved)
        reported = f"{saved.reported_seconds:.2f} s" if saved.reported_seconds is not None else "no duration"
        self.say(f"{' ' * 7}saved {shown(path)} ({len(content) / 1000:.0f} kB, {file['contentType']})")
        self.say(f"{' ' * 7}decodes: {facts.describe()} (HeyGen reported {reported})")
        return saved


def shown(path: Path) -> str:
    """A path as short as it can be said: relative to the current folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative
