"""Logs never carry a key, a token or a HeyGen credential: a filter on every handler rewrites them.

Keys and tokens are recognised by their form; HeyGen credentials have none, so each one is registered
here when it is opened (`remember`), and any of them, or a long piece of one, is replaced in every record.
"""

import logging

from heygen_core.errors import redact
from proxy.auth import redact_secrets

_CREDENTIALS: set[str] = set()


def remember(credential: str) -> None:
    if credential and len(credential) >= 8 and len(_CREDENTIALS) < 10_000:
        _CREDENTIALS.add(credential)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(redact_secrets(message), tuple(_CREDENTIALS))
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            trace = logging.Formatter().formatException(record.exc_info)
            record.msg = f"{record.msg}\n{redact(redact_secrets(trace), tuple(_CREDENTIALS))}"
            record.exc_info, record.exc_text = None, None
        return True


def install(level: int = logging.INFO, stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    return handler
