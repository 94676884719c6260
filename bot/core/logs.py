"""Log lines an operator can use: text by default, one JSON object a line on request.

Records are redacted (the token, the webhook secret) by the handler's filter before they are
formatted, so neither shape can carry a secret.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# The request an update was about (its reference, "BS-2611-0042"), for the update's one log
# line (bot.delivery.updates): set by the domain where it acts on a request, never its text.
REFERENCE: ContextVar[str | None] = ContextVar("update_reference", default=None)


def concerning(reference: str) -> None:
    """Name the request the update in hand is about in that update's log line."""
    REFERENCE.set(reference)


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message"[, "error"]}``, one object a line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        reference = getattr(record, "reference", None)
        if reference:
            entry["reference"] = reference
        if record.exc_text:
            entry["error"] = record.exc_text
        elif record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str, shape: str) -> None:
    """The root logger at ``level``, writing ``shape`` ("text" or "json") lines."""
    logging.basicConfig(level=level.upper(), format=TEXT_FORMAT)
    if shape == "json":
        for handler in logging.getLogger().handlers:
            handler.setFormatter(JsonFormatter())
    logging.getLogger("httpx").setLevel(logging.WARNING)
