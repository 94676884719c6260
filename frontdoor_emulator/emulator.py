"""The Bot API emulator: an aiohttp server speaking the Telegram Bot API plus a Python API
to act as users and to observe what the bot did.

Typical use in a test::

    async with BotApiEmulator(token="123:TEST") as emu:
        app = (
            ApplicationBuilder().token(emu.token)
            .base_url(emu.api_base_url).base_file_url(emu.file_base_url).build()
        )
        ...  # start the application with polling
        alice = emu.add_user("Alice")
        emu.send_text(alice, "/start")
        reply = await emu.next_message(alice)
        emu.press(alice, reply, "claim:42")
        edited = await emu.wait_for_edit(reply)

Everything runs on one asyncio loop; the "user" methods are synchronous and may also be
called before the loop runs.

The class is assembled from one mixin per concern, each in its own module: :mod:`.world`
(users, groups, topics), :mod:`.actions` (what users do), :mod:`.observe` (what the bot did,
and waiting for it), :mod:`.faults` (injected failures, flood control), :mod:`.server` (HTTP,
running a call) and :mod:`.delivery` (long polling, webhooks), on top of the state shared in
:mod:`.base`.
"""

from __future__ import annotations

from .actions import ActionsMixin
from .base import ALL_UPDATE_TYPES, DEFAULT_UPDATE_TYPES, ChatLike, WebhookConfig
from .models import GROUP_ANONYMOUS_BOT_ID
from .observe import ObserveMixin
from .server import ServerMixin

__all__ = [
    "ALL_UPDATE_TYPES",
    "DEFAULT_UPDATE_TYPES",
    "BotApiEmulator",
    "ChatLike",
    "WebhookConfig",
]


class BotApiEmulator(ActionsMixin, ObserveMixin, ServerMixin):
    """An in-process Telegram Bot API server with a scriptable world of users and chats.

    Args:
        token: The bot token the bot must use (``<digits>:<secret>``); the digits are the
            bot's user id.
        bot_username: ``getMe().username``.
        bot_first_name: ``getMe().first_name``.
        privacy_mode: Telegram's group privacy: a bot that is not an admin only receives
            commands, mentions of it, replies to its messages and service messages.
        clock: Wall clock (seconds) used for message dates.
        call_log_size: How many :class:`ApiCall` records :attr:`calls` keeps.
        webhook_attempts: Delivery attempts per update in webhook mode before it is dropped.
        webhook_retry_delay: Delay before the first retry (doubles each time).
        flood_limits: Enables 429 flood control on sending methods.
    """

    GROUP_ANONYMOUS_BOT_ID = GROUP_ANONYMOUS_BOT_ID
