"""Update delivery: ``getUpdates`` long polling, ``setWebhook`` and the worker that posts
updates to the webhook."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from .base import ALL_UPDATE_TYPES, DEFAULT_UPDATE_TYPES, EmulatorBase, PendingUpdate, WebhookConfig
from .errors import ApiError
from .models import JSONDict
from .params import Params

_LOG = logging.getLogger(__name__)
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class DeliveryMixin(EmulatorBase):
    """Hands the queued updates to the bot, by long poll or by webhook."""

    def _set_allowed(self, raw: Any) -> None:
        if raw is None:
            return
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise ApiError.bad_request("can't parse allowed updates JSON object")
        # Like Telegram, this does not affect updates already queued.
        wanted = frozenset(raw) & ALL_UPDATE_TYPES
        self._allowed_updates = wanted or DEFAULT_UPDATE_TYPES

    def _confirm(self, offset: int | None) -> None:
        if not offset:
            return
        if offset < 0:
            self._updates = self._updates[offset:]
            return
        self._updates = [
            p for p in self._updates if p.update_id >= offset or (p.forced and not p.delivered)
        ]

    async def _get_updates(self, params: Params) -> list[JSONDict]:
        if self._webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        limit = min(max(params.get_int("limit") or 100, 1), 100)
        timeout = max(params.get_float("timeout") or 0.0, 0.0)
        self._set_allowed(params.get_json("allowed_updates"))
        self._confirm(params.get_int("offset"))
        self._poll_generation += 1
        generation = self._poll_generation
        self._pulse("updates")  # terminates an older long poll
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one "
                    "bot instance is running",
                )
            batch = self._updates[:limit]
            remaining = deadline - loop.time()
            if batch or self._closing or remaining <= 0:
                break
            await self._wait_pulse("updates", remaining)
        for pending in batch:
            pending.delivered = True
        if batch:
            self._pulse("any")
        return [pending.update for pending in batch]

    async def _set_webhook(self, params: Params) -> bool:
        url = (params.get_str("url") or "").strip()
        self._set_allowed(params.get_json("allowed_updates"))
        if not url:
            await self._delete_webhook(params.get_bool("drop_pending_updates"))
            return True
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            # Telegram requires https; plain http is accepted here for local receivers.
            raise ApiError.bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get_str("secret_token")
        if secret is not None and not _SECRET.match(secret):
            raise ApiError.bad_request("secret token contains unallowed characters")
        if params.get_bool("drop_pending_updates"):
            self._updates.clear()
        raw_allowed = params.get_json("allowed_updates")
        if raw_allowed is not None:
            self._webhook_allowed = sorted(self._allowed_updates)
        self._webhook = WebhookConfig(
            url=url,
            secret_token=secret,
            max_connections=min(max(params.get_int("max_connections") or 40, 1), 100),
            ip_address=params.get_str("ip_address"),
        )
        self._webhook_error = None
        self._ensure_webhook_worker()
        self._pulse("updates")
        return True

    async def _delete_webhook(self, drop_pending: bool) -> None:
        self._webhook = None
        self._webhook_allowed = None
        await self._stop_webhook_worker()
        if drop_pending:
            self._updates.clear()

    def _webhook_info(self) -> JSONDict:
        config = self._webhook
        info: JSONDict = {
            "url": config.url if config else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if config is not None:
            info["max_connections"] = config.max_connections
            if config.ip_address:
                info["ip_address"] = config.ip_address
            if self._webhook_allowed is not None:
                info["allowed_updates"] = list(self._webhook_allowed)
            if self._webhook_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    def _ensure_webhook_worker(self) -> None:
        if self._runner is None and self._url is None:
            return  # started later by start()
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.get_running_loop().create_task(self._webhook_worker())

    async def _stop_webhook_worker(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task is None or task is asyncio.current_task():
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _webhook_worker(self) -> None:
        """Post queued updates like Telegram: up to ``max_connections`` at once, one chat's
        updates one after another, each retried until the bot accepts it."""
        timeout = aiohttp.ClientTimeout(total=10)
        in_flight: dict[int, asyncio.Task[None]] = {}
        busy: set[Any] = set()
        async with aiohttp.ClientSession(timeout=timeout) as session:
            try:
                while self._webhook is not None and not self._closing:
                    config = self._webhook
                    for pending in list(self._updates):
                        if len(in_flight) >= config.max_connections:
                            break
                        chat = _chat_of(pending.update)
                        if id(pending) in in_flight or chat in busy:
                            continue
                        busy.add(chat)
                        in_flight[id(pending)] = asyncio.get_running_loop().create_task(
                            self._deliver_one(session, config, pending, chat, busy))
                    for key in [k for k, task in in_flight.items() if task.done()]:
                        in_flight.pop(key)
                    if in_flight:
                        await asyncio.wait(in_flight.values(), timeout=0.05,
                                           return_when=asyncio.FIRST_COMPLETED)
                    else:
                        await self._wait_pulse("updates", 1.0)
            finally:
                for task in in_flight.values():
                    task.cancel()
                await asyncio.gather(*in_flight.values(), return_exceptions=True)

    async def _deliver_one(self, session: aiohttp.ClientSession, config: WebhookConfig,
                           pending: PendingUpdate, chat: Any, busy: set[Any]) -> None:
        try:
            await self._post_update(session, config, pending)
        finally:
            busy.discard(chat)
        with contextlib.suppress(ValueError):
            self._updates.remove(pending)
        self._pulse("any")

    async def _post_update(
        self, session: aiohttp.ClientSession, config: WebhookConfig, pending: PendingUpdate
    ) -> bool:
        """Post until accepted (or ``webhook_attempts`` tries, when set), backing off."""
        headers = (
            {"X-Telegram-Bot-Api-Secret-Token": config.secret_token}
            if (config.secret_token)
            else {}
        )
        attempt = 0
        while self._webhook is config and not self._closing:
            if self.webhook_attempts is not None and attempt >= self.webhook_attempts:
                return False
            if attempt:
                await asyncio.sleep(min(self.webhook_retry_delay * 2 ** (attempt - 1), 2.0))
            attempt += 1
            try:
                async with session.post(config.url, json=pending.update, headers=headers) as resp:
                    if 200 <= resp.status < 300:
                        pending.delivered = True
                        reply: Any = None
                        if resp.content_type == "application/json":
                            with contextlib.suppress(ValueError, aiohttp.ContentTypeError):
                                reply = await resp.json()
                        await self._run_webhook_reply(reply)
                        return True
                    error = f"Wrong response from the webhook: {resp.status} {resp.reason}"
            except (aiohttp.ClientError, TimeoutError) as exc:
                error = f"Connection failed: {exc.__class__.__name__}"
            self._webhook_error = (self.world.now(), error)
            _LOG.info("webhook delivery of update %s failed: %s", pending.update_id, error)
        return False

    async def _run_webhook_reply(self, reply: Any) -> None:
        """Telegram executes a method given in the webhook's JSON reply."""
        if isinstance(reply, dict) and isinstance(reply.get("method"), str):
            values = {k: v for k, v in reply.items() if k != "method"}
            await self.dispatch(reply["method"], Params(values))


def _chat_of(update: JSONDict) -> Any:
    """The chat an update belongs to (its updates are posted one after another)."""
    for kind in ("message", "edited_message", "channel_post", "callback_query"):
        body = update.get(kind)
        if isinstance(body, dict):
            message = body.get("message") if kind == "callback_query" else body
            if isinstance(message, dict) and isinstance(message.get("chat"), dict):
                return message["chat"].get("id")
            sender = body.get("from")
            if isinstance(sender, dict):
                return sender.get("id")
    return ("update", update.get("update_id"))
