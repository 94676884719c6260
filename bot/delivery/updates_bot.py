"""The bot object PTB talks through, with one change: an unreadable update is skipped.

PTB reads a ``getUpdates`` batch as a whole; one update it cannot parse (a field of a newer
API, a malformed object) fails the whole batch, the offset never moves past it, and polling
asks for the same batch again and again, forever. When a batch cannot be read, it is fetched
again raw (``do_api_request``, PTB's public call for that) and read update by update; each
unreadable one is logged and handed on as an empty update, so the offset moves past it.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import ExtBot
from telegram.warnings import PTBUserWarning

log = logging.getLogger(__name__)


class SkippingBot(ExtBot[None]):
    async def get_updates(
        self, offset: int | None = None, limit: int | None = None,
        timeout: int | timedelta | None = None,  # noqa: ASYNC109  # PTB's long-poll seconds
        allowed_updates: Sequence[str] | None = None, **kwargs: Any,
    ) -> tuple[Update, ...]:
        try:
            return await super().get_updates(offset, limit, timeout, allowed_updates, **kwargs)
        except (KeyError, TypeError, ValueError, AttributeError):
            log.warning("a getUpdates batch could not be read; reading it update by update")
        query: dict[str, Any] = {"offset": offset, "limit": limit, "timeout": 0}
        if allowed_updates is not None:
            query["allowed_updates"] = list(allowed_updates)
        with warnings.catch_warnings():
            # PTB suggests its own get_updates for this endpoint: the one that failed.
            warnings.simplefilter("ignore", PTBUserWarning)
            raw = await self.do_api_request(
                "getUpdates", api_kwargs={k: v for k, v in query.items() if v is not None})
        return tuple(self._read(item) for item in raw or ())

    def _read(self, item: Any) -> Update:
        update_id = int(item.get("update_id", 0)) if isinstance(item, dict) else 0
        try:
            update = Update.de_json(item, self)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("update %s cannot be read (%s: %s); skipped", update_id,
                        type(exc).__name__, exc)
            return Update(update_id=update_id)
        assert update is not None
        self.insert_callback_data(update)
        return update
