"""Keep the bot token out of every log line, stored error and message shown to anyone.

The token is part of every Bot API URL (``…/bot<token>/getMe``), and HTTP libraries put the
URL into their error texts (a redirect loop, a connection timeout). Everything that turns an
error into text goes through :func:`redact`; :class:`RedactingFilter` does it for log records.
"""

from __future__ import annotations

import logging
import re
import traceback

# The token in a Bot API or file URL, whatever its shape.
_URL_TOKEN = re.compile(r"(/(?:file/)?bot)[^/\s'\"<>]+")
# A token on its own: the bot's numeric id, a colon, a long secret.
_BARE_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}")
HIDDEN = "<token>"


def redact(text: str, *secrets: str) -> str:
    """``text`` with any bot token (and each of ``secrets``) replaced by ``<token>``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, HIDDEN)
    text = _URL_TOKEN.sub(rf"\1{HIDDEN}", text)
    return _BARE_TOKEN.sub(HIDDEN, text)


class RedactingFilter(logging.Filter):
    """A handler filter that writes each record's message and traceback out redacted."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), *self.secrets)
        record.args = None
        if record.exc_info:
            text = "".join(traceback.format_exception(*record.exc_info))
            record.exc_text = redact(text.rstrip("\n"), *self.secrets)
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info, *self.secrets)
        return True


def redact_logging(*secrets: str) -> None:
    """Redact every record that reaches the root logger's handlers."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter(*secrets))
