"""The webhook server: Telegram posts updates here, and only Telegram may.

Telegram's ``from`` is trusted only on updates that came from Telegram, which in webhook mode
means the secret token Telegram sends with each post (set with ``setWebhook``). So the secret
is required, compared in constant time, and never logged; the body's size is checked before it
is read; anything else is answered 403/404/413 and changes nothing. A post is answered after
its update was handled and committed, so nothing Telegram delivered is lost with a process.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from typing import Any

from aiohttp import web
from telegram import Update

from bot.delivery.serving import Site

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram allows 1–256 characters A-Z, a-z, 0-9, _ and -; we ask for at least 16.
SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,256}$")
# An update is a few kilobytes; Telegram never sends files in it, only their ids.
MAX_BODY = 1024 * 1024


def secret_problem(secret: str | None) -> str | None:
    """Why ``secret`` cannot protect a webhook, or None when it can."""
    if not secret:
        return ("FRONTDOOR_WEBHOOK_SECRET is required in webhook mode: without it anyone who "
                "can reach the URL can post updates in any person's name")
    if not SECRET_SHAPE.match(secret):
        return ("FRONTDOOR_WEBHOOK_SECRET must be 16 to 256 characters of A-Z, a-z, 0-9, "
                "'_' and '-' (Telegram's rule)")
    return None


class WebhookServer(Site):
    """An aiohttp server on ``listen:port`` taking Telegram's posts on ``path``."""

    client_max_size = MAX_BODY

    def __init__(self, app: Any, *, listen: str, port: int, path: str, secret: str) -> None:
        problem = secret_problem(secret)
        if problem:
            raise ValueError(problem)
        super().__init__(listen=listen, port=port)
        self.app = app
        self.path = "/" + path.lstrip("/")
        self._secret = secret.encode()

    def routes(self, server: web.Application) -> None:
        server.router.add_post(self.path, self._receive)

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning("webhook post without the right secret from %s refused", request.remote)
            return web.Response(status=403)
        if request.content_length is None or request.content_length > MAX_BODY:
            return web.Response(status=413)
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, self.app.bot)
        except (ValueError, TypeError, KeyError):
            log.warning("webhook post that is no update refused")
            return web.Response(status=400)
        if not self.app.running:
            return web.Response(status=503)  # stopping: Telegram will deliver it again
        # Answered only once the update's unit of work has committed (or was found done
        # before): a replica killed meanwhile never answers, and Telegram delivers the update
        # again, to this replica or another. Per-chat order is the update processor's.
        await self.app.update_processor.process_update(update, self.app.process_update(update))
        return web.Response()
