"""A client for a helper process that answers one JSON line with one JSON line.

The engine keeps GPL-licensed code (Piper, espeak-ng, the CMU pronouncing dictionary that textstat
reads) in such processes: they are separate programs it talks to over pipes, never imported here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from .errors import EngineError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class JsonWorker:
    """`python -m <module>`, started on first use and again if it dies; one request at a time."""

    def __init__(self, module: str, failure_code: str) -> None:
        self.module, self.failure_code = module, failure_code
        self._process: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", self.module],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                cwd=ROOT,
            )
        return self._process

    def ask_locked(self, request: dict) -> dict:
        """Send one request and read its answer; the caller holds self.lock."""
        process = self._start()
        try:
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
            answer = json.loads(process.stdout.readline() or "{}")
        except (OSError, ValueError) as error:
            self.close()
            raise EngineError(500, self.failure_code, f"the {self.module} process stopped: {error}") from error
        if not answer.get("ok"):
            raise EngineError(500, self.failure_code, f"{self.module} failed: {answer.get('error', 'no answer')}")
        return answer

    def ask(self, request: dict) -> dict:
        with self.lock:
            return self.ask_locked(request)

    def prewarm(self, request: dict) -> threading.Thread:
        """Send a request in the background (e.g. to load a model while the engine does other work)."""

        def run() -> None:
            try:
                self.ask(request)
            except EngineError:
                pass  # the next real request restarts the worker and reports the problem

        thread = threading.Thread(target=run, name=f"{self.module}-prewarm", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.stdin.close()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def serve_json_lines(handle, stdin=sys.stdin, stdout=sys.stdout) -> None:
    """The worker side: handle(request) -> answer dict for each line; every failure is answered too."""
    for line in stdin:
        try:
            answer = {"ok": True, **handle(json.loads(line))}
        except Exception as error:  # the worker answers every request; the engine turns this into a clear error
            answer = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        stdout.write(json.dumps(answer) + "\n")
        stdout.flush()
