"""Shows what a waited job is doing: the plugin logs each poll on `heygen.jobs`; this prints those lines."""

import contextlib
import logging
import time

from heygen_core.errors import redact

JOBS_LOGGER = "heygen.jobs"


class ProgressHandler(logging.Handler):
    """On a terminal one line rewritten in place; elsewhere (a log, a CI) one line per poll."""

    def __init__(self, stream, *, in_place: bool, secrets=()):
        super().__init__(logging.INFO)
        self.stream = stream
        self.in_place = in_place
        self.secrets = tuple(secrets)
        self.started = time.monotonic()
        self.open_line = False

    def emit(self, record: logging.LogRecord) -> None:
        text = redact(record.getMessage(), self.secrets)
        if self.in_place:
            self.stream.write(f"\r\x1b[K  … {text}")
            self.open_line = True
        else:
            self.stream.write(f"  … {text}\n")
        self.stream.flush()

    def clear(self) -> None:
        """Removes the in-place line, so what is printed next starts at the left margin."""
        if self.open_line:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.open_line = False

    def finish(self, *, elapsed: bool) -> None:
        if self.open_line:
            self.stream.write("\n")
            self.open_line = False
        if elapsed:
            self.stream.write(f"  elapsed {time.monotonic() - self.started:.1f} s\n")
        self.stream.flush()


@contextlib.contextmanager
def quiet_plugin_logs():
    """The plugin's own log lines (its error messages) must not reach stderr twice via logging's last resort."""
    plugin = logging.getLogger("heygen")
    silencer = logging.NullHandler()
    plugin.addHandler(silencer)
    try:
        yield
    finally:
        plugin.removeHandler(silencer)


@contextlib.contextmanager
def show_progress(stream, *, enabled: bool, in_place: bool, secrets=(), elapsed: bool = True):
    """Prints job polls while the block runs (when enabled), and the elapsed time at its end (when asked)."""
    if not enabled:
        yield None
        return
    logger = logging.getLogger(JOBS_LOGGER)
    handler = ProgressHandler(stream, in_place=in_place, secrets=secrets)
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
        handler.finish(elapsed=elapsed)


def is_terminal(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
