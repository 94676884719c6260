"""A Telegram Bot API emulator for conversation tests, the sandbox UI and load benchmarks.

It serves enough of the Bot API over HTTP for an unmodified python-telegram-bot
``Application`` (point ``base_url``/``base_file_url`` at it) and lets Python code play the
users (:meth:`BotApiEmulator.send_text`, :meth:`~BotApiEmulator.press`, ...) and observe the
bot (:meth:`~BotApiEmulator.next_message`, :meth:`~BotApiEmulator.messages`, ...).

:mod:`frontdoor_emulator.ptb` wires a PTB ``Application`` to it;
:mod:`frontdoor_emulator.control` adds a JSON control API for other processes;
``python -m frontdoor_emulator`` runs it standalone.
"""

from .emulator import (
    ALL_UPDATE_TYPES,
    DEFAULT_UPDATE_TYPES,
    BotApiEmulator,
    ChatLike,
    WebhookConfig,
)
from .entities import HtmlParseError, detect_entities, entities_to_html, parse_html, utf16_len
from .errors import ApiError, WaitTimeoutError
from .models import (
    GROUP_ANONYMOUS_BOT_ID,
    ApiCall,
    Button,
    CallbackAnswer,
    CallbackQueryRecord,
    Chat,
    ChatEvent,
    ChatMessage,
    FailureRule,
    FloodLimits,
    Markup,
    MessageVersion,
    SentMessage,
    StoredFile,
    Topic,
    User,
)
from .params import Params, UploadedFile

__all__ = [
    "ALL_UPDATE_TYPES",
    "DEFAULT_UPDATE_TYPES",
    "GROUP_ANONYMOUS_BOT_ID",
    "ApiCall",
    "ApiError",
    "BotApiEmulator",
    "Button",
    "CallbackAnswer",
    "CallbackQueryRecord",
    "Chat",
    "ChatEvent",
    "ChatLike",
    "ChatMessage",
    "FailureRule",
    "FloodLimits",
    "HtmlParseError",
    "Markup",
    "MessageVersion",
    "Params",
    "SentMessage",
    "StoredFile",
    "Topic",
    "UploadedFile",
    "User",
    "WaitTimeoutError",
    "WebhookConfig",
    "detect_entities",
    "entities_to_html",
    "parse_html",
    "utf16_len",
]
